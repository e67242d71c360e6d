"""Import and export of sources, claimants and claims: lossless round trips in CSV,
JSON and XLSX, all-or-nothing imports that name the bad row and its reason, and claim
changes that go through the workflow and land in the history."""

import csv
import io
import re
from datetime import date, datetime, timedelta, timezone

import pytest
import tablib
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from import_export.formats.base_formats import CSV, JSON

from claims.models import Claim, Claimant, ClaimEvent, EventField, Origin, Rating, Source, Tag
from claims.resources import XLSX, ClaimantResource, ClaimResource, SourceResource, import_problems
from claims.workflow import Status

from .conftest import shown
from .factories import ClaimantFactory, ClaimFactory, SourceFactory, TagFactory, UserFactory

FORMATS = {"csv": CSV, "json": JSON, "xlsx": XLSX}
ADMIN_FORMAT_INDEX = {"csv": "0", "json": "1", "xlsx": "2"}

TRICKY_TEXT = (
    "\n\n  “Exports,” the minister said — “grew by 12 percent…” and that’s that.\r\n"
    "A second line,\twith a tab; =1+1 is not a formula, and _x000D_ is not a carriage return.\r"
    "A line after a lone CR.\n\n\n"
)


def at(text, quote):
    start = text.index(quote)
    return {"quote": quote, "quote_start": start, "quote_end": start + len(quote)}


def moment(*args, offset_hours=0):
    return datetime(*args, tzinfo=timezone(timedelta(hours=offset_hours)))


@pytest.fixture
def newsroom(db, editor, reviewer):
    """Sources, claimants and claims with everything an export must carry: among them a
    published claim with its reviewer, approver, correction date and version, and one
    under correction, whose readers still see the verdict published before."""
    tricky = SourceFactory(
        title="Minister’s speech — full text",
        outlet="",
        url="",
        published_on=date(2024, 3, 1),
        text=TRICKY_TEXT,
        created_at=moment(2024, 3, 1, 9, 30, 15, 123456, offset_hours=2),
    )
    plain = SourceFactory(title="Weather report", published_on=None, text="It rained on 3 days.")
    ana = ClaimantFactory(name="Ana “Nana” Pop — MP", kind="organisation", role="")
    ClaimantFactory(name="Unused claimant", role="Mayor\nof the town")
    economy, trade = TagFactory(name="economy"), TagFactory(name="trade")
    claims = [
        ClaimFactory(source=tricky, claimant=None, summary="Exports claim", **at(TRICKY_TEXT, "“grew by 12 percent…”")),
        ClaimFactory(
            source=tricky,
            claimant=ana,
            published=True,
            rationale="  Customs tables agree.\n\nSee annex…  ",
            published_rationale="  Customs tables agree.\n\nSee annex…  ",
            published_at=moment(2024, 2, 2, 10, 0, 0, 5),
            published_by=reviewer,
            verdict_by=editor,
            reviewer=reviewer,
            corrected_at=moment(2024, 2, 2, 10, 0, 0, 5),
            version=7,
            changed_by=reviewer,
            assignee=editor,
            tags=[economy, trade],
            created_at=moment(2023, 12, 31, 23, 59, 59, 999999),
            **at(TRICKY_TEXT, "that’s that.\r\nA second line,\twith a tab"),
        ),
        ClaimFactory(source=tricky, claimant=ana, in_review=True, tags=[economy], **at(TRICKY_TEXT, "=1+1 is not")),
        ClaimFactory(source=plain, set_aside=True, kind="event", **at(plain.text, "It rained")),
        ClaimFactory(
            source=tricky,
            researching=True,
            published_verdict=Rating.objects.get(key="mostly-true"),
            published_rationale="As first published.",
            published_at=moment(2024, 1, 5, 8, 0, 0),
            published_by=reviewer,
            **at(TRICKY_TEXT, "_x000D_ is not a carriage return.\rA line"),
        ),
    ]
    # auto_now stamped them just now; make sure they differ from whatever an import would stamp.
    Claim.objects.filter(pk=claims[0].pk).update(updated_at=moment(2024, 4, 1, 12, 0, 0, 1))
    Source.objects.filter(pk=plain.pk).update(updated_at=moment(2024, 4, 2, 8, 0, 0, 654321, offset_hours=-5))
    return claims


def snapshot():
    return {
        "sources": list(Source.objects.order_by("pk").values()),
        "claimants": list(Claimant.objects.order_by("pk").values()),
        "claims": list(Claim.objects.order_by("pk").values()),
        "tags": {claim.pk: sorted(tag.name for tag in claim.tags.all()) for claim in Claim.objects.all()},
    }


def export(resource_class, fmt, queryset=None) -> bytes:
    data = FORMATS[fmt]().export_data(resource_class().export(queryset))
    return data if isinstance(data, bytes) else data.encode()


def read(fmt, data: bytes) -> tablib.Dataset:
    return FORMATS[fmt](encoding="utf-8-sig").create_dataset(data)


def load(resource_class, dataset, user, dry_run=False):
    return resource_class().import_data(dataset, dry_run=dry_run, raise_errors=False, user=user)


def wipe():
    Claim.objects.all().delete()
    Tag.objects.all().delete()
    Source.objects.all().delete()
    Claimant.objects.all().delete()


@pytest.mark.django_db
class TestRoundTrip:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_export_then_import_into_an_empty_database_recreates_every_row(self, newsroom, reviewer, fmt):
        before = snapshot()
        files = [(resource, export(resource, fmt)) for resource in (SourceResource, ClaimantResource, ClaimResource)]
        wipe()

        for resource, data in files:
            result = load(resource, read(fmt, data), reviewer)
            assert not result.has_errors() and not result.has_validation_errors(), import_problems(result)

        assert snapshot() == before

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_imported_claims_record_the_import_in_their_history(self, newsroom, reviewer, editor, fmt):
        data = export(ClaimResource, fmt)
        Claim.objects.all().delete()
        load(ClaimResource, read(fmt, data), reviewer)
        published = Claim.objects.get(pk=newsroom[1].pk)
        events = {(e.field, e.old_value, e.new_value, e.note) for e in published.events.all()}
        assert events == {
            (EventField.STATUS, "", Status.PUBLISHED, ""),
            (EventField.VERDICT, "", "true", "  Customs tables agree.\n\nSee annex…  "),
            (EventField.ASSIGNEE, "", editor.username, ""),
            (EventField.TAGS, "", "economy", ""),
            (EventField.TAGS, "", "trade", ""),
        }
        assert set(ClaimEvent.objects.values_list("origin", "actor")) == {(Origin.IMPORT, reviewer.pk)}
        assert ClaimEvent.objects.filter(field=EventField.STATUS).count() == len(newsroom)

    def test_new_rows_after_an_import_get_fresh_ids(self, newsroom, reviewer):
        data = export(ClaimResource, "csv")
        Claim.objects.all().delete()
        load(ClaimResource, read("csv", data), reviewer)
        assert ClaimFactory().pk > max(claim.pk for claim in newsroom)

    def test_a_dry_run_leaves_nothing_behind(self, newsroom, reviewer):
        data = export(ClaimResource, "json")
        Claim.objects.all().delete()
        Tag.objects.all().delete()
        result = load(ClaimResource, read("json", data), reviewer, dry_run=True)
        assert result.totals["new"] == len(newsroom)
        assert not Claim.objects.exists() and not Tag.objects.exists() and not ClaimEvent.objects.exists()

    def test_reimporting_an_unchanged_export_changes_no_workflow_field(self, newsroom, reviewer):
        data = export(ClaimResource, "csv")
        result = load(ClaimResource, read("csv", data), reviewer)
        assert result.totals["update"] == len(newsroom)
        assert not ClaimEvent.objects.exists()

    def test_export_lists_tags_and_related_rows_by_name(self, newsroom, editor):
        rows = list(csv.DictReader(io.StringIO(export(ClaimResource, "csv").decode())))
        published = next(row for row in rows if row["id"] == str(newsroom[1].pk))
        assert published["tags"] == "economy, trade"
        assert published["verdict"] == "true"
        assert published["assignee"] == editor.username
        assert published["claimant"] == "Ana “Nana” Pop — MP"
        assert published["source"] == str(newsroom[1].source_id)
        assert published["created_at"] == "2023-12-31T23:59:59.999999+00:00"

    def test_a_tag_name_cannot_hold_the_separator_of_the_tags_column(self, db):
        with pytest.raises(ValidationError, match="“tax, spending” has a comma"):
            Tag(name="Tax, spending").full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            Tag.objects.create(name="tax, spending")


@pytest.mark.django_db
class TestSpreadsheetLimits:
    def test_a_text_longer_than_a_cell_stops_the_export_instead_of_being_cut(self, db):
        source = SourceFactory(text="word " * 7000)  # 35,000 characters
        with pytest.raises(ValueError, match=rf"row 1 \(id {source.pk}\), column “text” holds 35,000 characters"):
            export(SourceResource, "xlsx")

    def test_csv_and_json_carry_any_length(self, reviewer):
        SourceFactory(text="word " * 7000)
        for fmt in ("csv", "json"):
            before = snapshot()
            data = export(SourceResource, fmt)
            Source.objects.all().delete()
            load(SourceResource, read(fmt, data), reviewer)
            assert snapshot() == before

    def test_numbers_stored_as_floats_are_whole_numbers_and_fractions_are_refused(self, newsroom, reviewer):
        before = snapshot()
        dataset = read("csv", export(ClaimResource, "csv"))
        numbers = ("id", "source", "quote_start", "quote_end")
        as_floats = tablib.Dataset(
            *[[float(row[h]) if h in numbers else row[h] for h in dataset.headers] for row in dataset.dict],
            headers=dataset.headers,
        )
        Claim.objects.all().delete()

        result = load(ClaimResource, with_row(as_floats, 1, quote_start=as_floats["quote_start"][0] + 0.5), reviewer)
        assert result.invalid_rows[0].error_dict["quote_start"] == [
            f"“{as_floats['quote_start'][0] + 0.5}” is not a whole number."
        ]
        result = load(ClaimResource, read("xlsx", XLSX().export_data(with_row(as_floats, 1, source=2.5))), reviewer)
        assert "There is no source with id “2.5”" in result.invalid_rows[0].error_dict["source"][0]
        assert not Claim.objects.exists()

        result = load(ClaimResource, as_floats, reviewer)
        assert not result.has_validation_errors(), import_problems(result)
        assert snapshot() == before

    def test_escapes_count_against_the_limit(self, db):
        SourceFactory(text="\r" * 5000)  # each CR is written as the 7 characters _x000D_
        with pytest.raises(ValueError, match="35,000 characters"):
            export(SourceResource, "xlsx")


def with_row(dataset, number, **changes):
    """The dataset with data row `number` (from 1) changed."""
    rows = [list(row) for row in dataset]
    for column, value in changes.items():
        rows[number - 1][dataset.headers.index(column)] = value
    return tablib.Dataset(*rows, headers=dataset.headers)


BAD_ROWS = {
    "offsets": ({"quote_start": "7", "quote_end": "29"}, "quote", "not the quote"),
    "status": ({"status": "archived"}, "status", "Value 'archived' is not a valid choice."),
    "claimant": ({"claimant": "Nobody Known"}, "claimant", "There is no claimant named “Nobody Known”"),
    "rating": ({"verdict": "pants-on-fire"}, "verdict", "“pants-on-fire” is not the key of a rating."),
    "source": ({"source": "999999"}, "source", "There is no source with id “999999”"),
    "assignee": ({"assignee": "vera"}, "assignee", "“vera” is not a user who may work claims"),
    "verdict-needed": ({"status": "in_review", "verdict": ""}, "verdict", "A claim that is in review needs a verdict."),
}


@pytest.mark.django_db
class TestFailedImports:
    @pytest.fixture
    def claims_file(self, newsroom, viewer):
        """An export of the claims, and a database that has none: restoring it.
        (The viewer "vera" exists so that assigning to her fails for her role, not her absence.)"""
        dataset = read("csv", export(ClaimResource, "csv"))
        Claim.objects.all().delete()
        Tag.objects.all().delete()
        return dataset

    @pytest.mark.parametrize("case", BAD_ROWS)
    def test_one_bad_row_names_its_row_and_reason_and_nothing_is_saved(self, claims_file, reviewer, case):
        changes, field, reason = BAD_ROWS[case]
        result = load(ClaimResource, with_row(claims_file, 3, **changes), reviewer)

        assert result.has_validation_errors()
        [invalid] = result.invalid_rows
        assert invalid.number == 3
        assert any(reason in message for message in invalid.error_dict[field]), invalid.error_dict
        assert any(problem.startswith(f"Row 3: {field}: ") and reason in problem for problem in import_problems(result))
        assert not Claim.objects.exists()
        assert not Tag.objects.exists()
        assert not ClaimEvent.objects.exists()

    def test_an_import_without_the_user_is_refused(self, claims_file):
        result = ClaimResource().import_data(claims_file, dry_run=False)
        assert result.has_errors()
        assert "needs the importing user" in import_problems(result)[0]
        assert not Claim.objects.exists()

    def test_a_bad_source_row_changes_no_source(self, reviewer):
        sources = [SourceFactory(title="First"), SourceFactory(title="Second")]
        dataset = read("json", export(SourceResource, "json"))
        dataset = with_row(with_row(dataset, 1, title="First, corrected"), 2, kind="rumour")
        result = load(SourceResource, dataset, reviewer)
        assert [row.number for row in result.invalid_rows] == [2]
        assert "kind" in result.invalid_rows[0].error_dict
        assert [source.title for source in Source.objects.order_by("pk")] == [s.title for s in sources]

    def test_a_source_text_that_would_unanchor_its_claims_is_refused(self, reviewer):
        claim = ClaimFactory()
        dataset = read("csv", export(SourceResource, "csv"))
        result = load(SourceResource, with_row(dataset, 1, text="Rewritten. " + claim.source.text), reviewer)
        assert "moves or changes the quotes of 1 claim" in result.invalid_rows[0].error_dict["text"][0]
        assert Source.objects.get().text == claim.source.text


@pytest.mark.django_db
class TestChangesToExistingClaims:
    def test_go_through_the_domain_in_the_order_the_workflow_needs(self, reviewer, editor):
        claim = ClaimFactory(researching=True, tags=[TagFactory(name="old")], summary="Exports doubled")
        dataset = with_row(
            read("csv", export(ClaimResource, "csv")),
            1,
            status="in_review",
            verdict="mostly-false",
            rationale="The ministry's own table says 9 %.",
            assignee=editor.username,
            tags="New, economy",
            summary="Corrected summary",
        )
        result = load(ClaimResource, dataset, reviewer)
        assert not result.has_validation_errors(), import_problems(result)
        claim.refresh_from_db()
        assert (claim.summary, claim.status, claim.verdict.key, claim.assignee) == (
            "Corrected summary",
            Status.IN_REVIEW,
            "mostly-false",
            editor,
        )
        assert sorted(tag.name for tag in claim.tags.all()) == ["economy", "new"]
        events = claim.events.order_by("id")
        assert [(e.field, e.old_value, e.new_value) for e in events] == [
            (EventField.SUMMARY, "Exports doubled", "Corrected summary"),
            (EventField.ASSIGNEE, "", editor.username),
            (EventField.TAGS, "", "economy"),
            (EventField.TAGS, "", "new"),
            (EventField.TAGS, "old", ""),
            (EventField.VERDICT, "", "mostly-false"),
            (EventField.STATUS, Status.RESEARCHING, Status.IN_REVIEW),
        ]
        assert {(e.origin, e.actor) for e in events} == {(Origin.IMPORT, reviewer)}

    @pytest.mark.parametrize(
        ("changes", "errors"),
        [
            (
                {"status": "researching", "verdict": "false", "rationale": "New data."},
                {
                    "status": [
                        "An import cannot “Open a correction”: do it on the claim's page. Say what needs "
                        "correcting and why; readers will see it with the corrected verdict."
                    ]
                },
            ),
            (
                {"verdict": "false", "rationale": "New data."},
                {"verdict": ["The verdict is published; open a correction to change it."]},
            ),
        ],
        ids=["reopened", "verdict-only"],
    )
    def test_a_published_verdict_changes_only_through_a_correction_on_the_desk(self, reviewer, changes, errors):
        ClaimFactory(published=True)
        dataset = with_row(read("xlsx", export(ClaimResource, "xlsx")), 1, **changes)
        before = snapshot()
        result = load(ClaimResource, dataset, reviewer)
        [invalid] = result.invalid_rows
        assert invalid.error_dict == errors
        assert snapshot() == before
        assert not ClaimEvent.objects.exists()

    @pytest.mark.parametrize(
        ("role", "start", "status", "reason"),
        [
            ("reviewer", {}, "published", "A claim that is new cannot move to published."),
            (
                "reviewer",
                {"researching": True},
                "in_review",
                "Before “Send to review”, set a verdict; write the verdict's rationale.",
            ),
            (
                "reviewer",
                {"in_review": True},
                "published",
                "Before “Approve and publish”, add at least one piece of evidence.",
            ),
            (
                "reviewer",
                {"in_review": True},
                "researching",
                "An import cannot “Needs more evidence”: do it on the claim's page. "
                "Say what is missing, so the editor knows what to look for.",
            ),
            ("editor", {"in_review": True}, "published", "You are not allowed to “Approve and publish”."),
        ],
        ids=["invalid-transition", "condition-unmet", "no-evidence", "note-needed", "not-allowed"],
    )
    def test_a_status_the_workflow_refuses_fails_the_row(self, role, start, status, reason):
        user = UserFactory(role=role)
        ClaimFactory()
        ClaimFactory(**start)
        dataset = read("csv", export(ClaimResource, "csv", Claim.objects.order_by("pk")))
        dataset = with_row(with_row(dataset, 1, summary="Would be saved"), 2, status=status)
        before = snapshot()

        result = load(ClaimResource, dataset, user)

        [invalid] = result.invalid_rows
        assert (invalid.number, invalid.error_dict) == (2, {"status": [reason]})
        assert snapshot() == before
        assert not ClaimEvent.objects.exists()

    def test_a_row_exported_before_someone_else_changed_the_claim_is_refused(self, reviewer, editor):
        claim = ClaimFactory(summary="Exports doubled")
        dataset = with_row(read("csv", export(ClaimResource, "csv")), 1, summary="Exports rose", assignee="eddie")
        claim.transition(Status.RESEARCHING, by=editor)
        before = snapshot()

        result = load(ClaimResource, dataset, reviewer)

        [invalid] = result.invalid_rows
        [message] = invalid.error_dict["version"]
        assert message.startswith(
            "This row was exported at version 1 of the claim, and since then eddie changed the status from New to "
            "Researching ("
        )
        assert message.endswith("export the claims again and make your changes in the new file.")
        assert snapshot() == before
        assert claim.events.count() == 1

    def test_a_stale_row_would_undo_the_importers_own_change_too(self, reviewer):
        # A row is a whole claim as exported: applied over a later change, it would undo
        # it, whoever made it (unlike the desk's panels, which each send one change).
        claim = ClaimFactory()
        dataset = with_row(read("csv", export(ClaimResource, "csv")), 1, summary="Exports rose")
        claim.assign(reviewer, by=reviewer)
        result = load(ClaimResource, dataset, reviewer)
        [message] = result.invalid_rows[0].error_dict["version"]
        assert "since then rita changed the assignee from — to rita (" in message
        claim.refresh_from_db()
        assert (claim.assignee, claim.version) == (reviewer, 2)
        assert claim.summary != "Exports rose"

    def test_a_stale_row_that_changes_nothing_is_no_conflict(self, reviewer, editor):
        claim = ClaimFactory()
        dataset = read("csv", export(ClaimResource, "csv"))
        claim.assign(editor, by=reviewer)
        claim.assign(None, by=reviewer)  # back as it was exported
        result = load(ClaimResource, dataset, reviewer)
        assert not result.has_validation_errors(), import_problems(result)
        assert result.totals["update"] == 1

    def test_publishing_by_import_follows_the_review_rules(self, reviewer, editor):
        proposed_by_editor = ClaimFactory(in_review=True, evidence=1)
        proposed_by_editor.set_verdict(proposed_by_editor.verdict, by=editor, rationale="The editor's reading.")
        own = ClaimFactory(in_review=True, evidence=1)
        own.set_verdict(own.verdict, by=reviewer, rationale="My own reading.")
        dataset = read("csv", export(ClaimResource, "csv", Claim.objects.order_by("pk")))
        dataset = with_row(with_row(dataset, 1, status="published"), 2, status="published")

        result = load(ClaimResource, dataset, reviewer)
        [invalid] = result.invalid_rows
        assert invalid.number == 2
        assert "approved by a reviewer other than you" in invalid.error_dict["status"][0]

        result = load(ClaimResource, with_row(dataset, 2, status="in_review"), reviewer)
        assert not result.has_validation_errors(), import_problems(result)
        proposed_by_editor.refresh_from_db()
        assert (proposed_by_editor.status, proposed_by_editor.published_by) == (Status.PUBLISHED, reviewer)
        assert proposed_by_editor.published_verdict == proposed_by_editor.verdict

    def test_the_reviewer_is_assigned_through_the_domain(self, reviewer, editor):
        claim = ClaimFactory()
        dataset = read("csv", export(ClaimResource, "csv"))
        result = load(ClaimResource, with_row(dataset, 1, reviewer=editor.username), reviewer)
        assert "is not a user who may review claims" in result.invalid_rows[0].error_dict["reviewer"][0]
        result = load(ClaimResource, with_row(dataset, 1, reviewer=reviewer.username), reviewer)
        assert not result.has_validation_errors(), import_problems(result)
        event = claim.events.get()
        assert (event.field, event.new_value, event.origin) == (EventField.REVIEWER, reviewer.username, Origin.IMPORT)

    def test_new_claims_need_the_rights_their_status_needs(self, newsroom, editor):
        dataset = read("csv", export(ClaimResource, "csv"))
        Claim.objects.all().delete()
        result = load(ClaimResource, dataset, editor)
        # Editors may set verdicts and assign, but neither publish (nor bring in a
        # verdict published before, as the claim under correction has) nor tag.
        errors = {row.number: row.error_dict for row in result.invalid_rows}
        assert errors == {
            2: {
                "status": ["You are not allowed to import claims that are published."],
                "tags": ["You are not allowed to tag claims."],
            },
            3: {"tags": ["You are not allowed to tag claims."]},
            5: {"published_verdict": ["You are not allowed to import published verdicts."]},
        }
        assert not Claim.objects.exists()


@pytest.mark.django_db
class TestPublishedArrivals:
    @pytest.fixture
    def published_row(self, reviewer, editor):
        """An export of one published claim, restored into a desk without it."""
        ClaimFactory(published=True, verdict_by=editor, published_by=reviewer)
        dataset = read("csv", export(ClaimResource, "csv"))
        Claim.objects.all().delete()
        return dataset

    def test_the_export_carries_what_readers_see_and_who_approved_it(self, published_row, reviewer, editor):
        [row] = published_row.dict
        assert (row["verdict"], row["published_verdict"], row["verdict_by"], row["published_by"]) == (
            "true",
            "true",
            editor.username,
            reviewer.username,
        )
        assert {"reviewer", "published_at", "published_rationale", "corrected_at", "version"} <= set(row)

    def test_a_file_without_published_verdicts_publishes_the_claims_own(self, published_row, reviewer):
        columns = [h for h in published_row.headers if not h.startswith("published_") and h != "verdict_by"]
        older = tablib.Dataset(*[[row[h] for h in columns] for row in published_row.dict], headers=columns)
        result = load(ClaimResource, older, reviewer)
        assert not result.has_validation_errors(), import_problems(result)
        claim = Claim.objects.get()
        assert (claim.published_verdict, claim.published_rationale) == (claim.verdict, claim.rationale)
        assert claim.published_at == claim.updated_at

    @pytest.mark.parametrize(
        ("changes", "field", "reason"),
        [
            ({"published_verdict": "false"}, "published_verdict", "its published verdict and rationale must be"),
            ({"published_rationale": "Another reading."}, "published_verdict", "must be its verdict and rationale"),
            ({"published_by": "eddie"}, "published_by", "a second person must approve it"),
        ],
        ids=["other-verdict", "other-rationale", "same-person"],
    )
    def test_a_published_claim_must_show_a_verdict_a_second_person_approved(
        self, published_row, reviewer, changes, field, reason
    ):
        result = load(ClaimResource, with_row(published_row, 1, **changes), reviewer)
        [invalid] = result.invalid_rows
        assert reason in invalid.error_dict[field][0]
        assert not Claim.objects.exists()


def admin_import(client, model, fmt, data: bytes):
    upload = io.BytesIO(data)
    upload.name = f"{model}s.{fmt}"
    return client.post(
        reverse(f"admin:claims_{model}_import"),
        {"format": ADMIN_FORMAT_INDEX[fmt], "resource": "0", "import_file": upload},
    )


def admin_messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db
class TestAdminImportAndExport:
    def test_a_bad_row_is_shown_with_its_line_and_reason_and_nothing_is_saved(self, newsroom, reviewer_client):
        dataset = read("csv", export(ClaimResource, "csv"))
        Claim.objects.all().delete()
        bad = with_row(dataset, 2, quote_start="0")
        response = admin_import(reviewer_client, "claim", "csv", CSV().export_data(bad).encode())

        assert response.status_code == 200
        [invalid] = response.context["result"].invalid_rows
        assert invalid.number == 2
        page = shown(response)
        assert "Some rows failed to validate" in page
        assert re.search(r"<td>2 </td>\s*<td class=\"errors\">.*?not the quote", page, re.S)
        assert "confirm_form" not in response.context
        assert not Claim.objects.exists() and not ClaimEvent.objects.exists()

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_a_good_file_is_previewed_then_imported(self, newsroom, reviewer, reviewer_client, fmt):
        before = snapshot()
        data = export(ClaimResource, fmt)
        Claim.objects.all().delete()

        preview = admin_import(reviewer_client, "claim", fmt, data)
        assert not Claim.objects.exists()
        confirm = preview.context["confirm_form"]
        response = reviewer_client.post(reverse("admin:claims_claim_process_import"), confirm.initial)

        assert response.status_code == 302
        assert admin_messages(response) == [
            f"Import finished: {len(newsroom)} new, 0 updated, 0 deleted and 0 skipped claims."
        ]
        assert snapshot() == before
        assert ClaimEvent.objects.filter(origin=Origin.IMPORT, actor=reviewer).count() > len(newsroom)
        assert LogEntry.objects.filter(user=reviewer).count() == len(newsroom)

    def test_a_file_that_went_bad_after_its_preview_imports_nothing(self, newsroom, reviewer_client):
        data = export(ClaimResource, "csv")
        Claim.objects.all().delete()
        preview = admin_import(reviewer_client, "claim", "csv", data)
        Claimant.objects.filter(name="Ana “Nana” Pop — MP").delete()

        response = reviewer_client.post(
            reverse("admin:claims_claim_process_import"), preview.context["confirm_form"].initial
        )

        assert response.status_code == 302
        assert response["Location"] == reverse("admin:claims_claim_import")
        notes = admin_messages(response)
        assert "Row 2: claimant: There is no claimant named “Ana “Nana” Pop — MP”; import claimants first." in notes
        assert notes[-1] == "Nothing was imported."
        assert not Claim.objects.exists()

    def test_sources_and_claimants_import_in_the_admin(self, newsroom, reviewer_client):
        before = snapshot()
        files = {
            model: export(resource, "xlsx")
            for model, resource in [("source", SourceResource), ("claimant", ClaimantResource)]
        }
        data = export(ClaimResource, "xlsx")
        wipe()
        for model, file in files.items():
            preview = admin_import(reviewer_client, model, "xlsx", file)
            reviewer_client.post(
                reverse(f"admin:claims_{model}_process_import"), preview.context["confirm_form"].initial
            )
        preview = admin_import(reviewer_client, "claim", "xlsx", data)
        reviewer_client.post(reverse("admin:claims_claim_process_import"), preview.context["confirm_form"].initial)
        assert snapshot() == before

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_reviewers_export_claims(self, newsroom, reviewer_client, fmt):
        fields = {f"claimresource_{name}": "on" for name in ClaimResource().get_export_order()}
        response = reviewer_client.post(
            reverse("admin:claims_claim_export"), {"format": ADMIN_FORMAT_INDEX[fmt], "resource": "0", **fields}
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="Claim-')
        dataset = read(fmt, response.content)
        assert sorted(int(value) for value in dataset["id"]) == sorted(claim.pk for claim in newsroom)
        assert dataset["quote"][dataset["id"].index(str(newsroom[1].pk))] == newsroom[1].quote

    def test_an_xlsx_export_that_would_cut_a_text_is_refused_with_the_reason(self, reviewer_client):
        SourceFactory(text="word " * 7000)
        fields = {f"sourceresource_{name}": "on" for name in SourceResource().get_export_order()}
        response = reviewer_client.post(
            reverse("admin:claims_source_export"), {"format": ADMIN_FORMAT_INDEX["xlsx"], "resource": "0", **fields}
        )
        assert response.status_code == 200
        assert "Content-Disposition" not in response
        assert any("holds 35,000 characters" in note for note in admin_messages(response))

    @pytest.mark.parametrize("page", ["import", "export"])
    def test_editors_cannot_import_or_export(self, editor_client, page):
        response = editor_client.get(reverse(f"admin:claims_claim_{page}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))

    def test_import_and_export_pages_load_for_reviewers(self, reviewer_client):
        for model in ("source", "claimant", "claim"):
            assert reviewer_client.get(reverse(f"admin:claims_{model}_import")).status_code == 200
            assert reviewer_client.get(reverse(f"admin:claims_{model}_export")).status_code == 200
