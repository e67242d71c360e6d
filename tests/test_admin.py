"""The admin: who may use it, the claim changelist, change form and bulk actions, and
that every change to a claim's status, verdict, assignee or tags lands in its history."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, ClaimEvent, EventField, Origin, Rating, Tag
from claims.workflow import Status

from .conftest import logged_in_client, shown
from .factories import (
    AnnotationFactory,
    ClaimantFactory,
    ClaimEventFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    TagFactory,
    UserFactory,
)

CHANGELIST = reverse("admin:claims_claim_changelist")
ADMIN_LOGIN = reverse("admin:login")


def change_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def admin_events(claim, field=None):
    events = ClaimEvent.objects.filter(claim=claim, origin=Origin.ADMIN)
    return events.filter(field=field) if field else events


OBJECTS = {
    "source": SourceFactory,
    "claimant": ClaimantFactory,
    "tag": TagFactory,
    "rating": lambda: Rating.objects.get(key="false"),
    "claim": ClaimFactory,
    "evidence": EvidenceFactory,
    "annotation": AnnotationFactory,
    "claimevent": ClaimEventFactory,
}


@pytest.mark.django_db
class TestAccess:
    @pytest.mark.parametrize("model", OBJECTS)
    def test_reviewer_can_open_every_page(self, reviewer_client, model):
        obj = OBJECTS[model]()
        assert reviewer_client.get(reverse(f"admin:claims_{model}_changelist")).status_code == 200
        assert reviewer_client.get(reverse(f"admin:claims_{model}_change", args=[obj.pk])).status_code == 200
        add = reviewer_client.get(reverse(f"admin:claims_{model}_add"))
        # The rating scale is the superusers'; the history is written only by the domain.
        assert add.status_code == (403 if model in {"rating", "claimevent"} else 200)

    @pytest.mark.parametrize("model", OBJECTS)
    @pytest.mark.parametrize("user", ["editor_client", "viewer_client"])
    def test_editors_and_viewers_are_sent_to_the_admin_login(self, request, user, model):
        client = request.getfixturevalue(user)
        obj = OBJECTS[model]()
        for url in [
            reverse(f"admin:claims_{model}_changelist"),
            reverse(f"admin:claims_{model}_add"),
            reverse(f"admin:claims_{model}_change", args=[obj.pk]),
        ]:
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(ADMIN_LOGIN)

    def test_ratings_are_changed_by_superusers_only(self, reviewer_client, superuser_client):
        rating = Rating.objects.get(key="false")
        url = reverse("admin:claims_rating_change", args=[rating.pk])
        data = {"key": "false", "label": "Wrong", "value": 1, "position": rating.position, "description": ""}
        assert reviewer_client.get(url).context["has_change_permission"] is False
        assert reviewer_client.post(url, data).status_code == 403
        assert superuser_client.get(reverse("admin:claims_rating_add")).status_code == 200
        assert superuser_client.post(url, data).status_code == 302
        rating.refresh_from_db()
        assert rating.label == "Wrong"

    def test_history_is_never_changed_in_the_admin(self, superuser_client):
        event = ClaimEventFactory()
        url = reverse("admin:claims_claimevent_change", args=[event.pk])
        assert superuser_client.get(url).status_code == 200
        assert superuser_client.post(url, {"note": "rewritten"}).status_code == 403
        assert superuser_client.get(reverse("admin:claims_claimevent_add")).status_code == 403
        assert superuser_client.post(reverse("admin:claims_claimevent_delete", args=[event.pk])).status_code == 403
        event.refresh_from_db()
        assert event.note == ""

    def test_reviewer_reads_but_does_not_edit_another_editors_note(self, reviewer, reviewer_client):
        others = AnnotationFactory(body="Checked with the ministry.")
        own = AnnotationFactory(author=reviewer, body="Mine.")
        others_url = reverse("admin:claims_annotation_change", args=[others.pk])
        assert reviewer_client.post(others_url, {"claim": others.claim_id, "body": "Edited"}).status_code == 403
        own_url = reverse("admin:claims_annotation_change", args=[own.pk])
        assert reviewer_client.post(own_url, {"claim": own.claim_id, "body": "Mine, edited."}).status_code == 302
        others.refresh_from_db()
        own.refresh_from_db()
        assert (others.body, own.body) == ("Checked with the ministry.", "Mine, edited.")


@pytest.mark.django_db
class TestClaimChangelist:
    @pytest.mark.parametrize(
        "term",
        ["inflation", "fourteen percent", "Mirela", "Central Gazette"],
        ids=["summary", "quote", "claimant", "source"],
    )
    def test_search(self, reviewer_client, term):
        source = SourceFactory(title="The Central Gazette", text="She said inflation hit fourteen percent in May.")
        wanted = ClaimFactory(
            summary="Minister on inflation",
            quote="fourteen percent",
            source=source,
            claimant=ClaimantFactory(name="Mirela Ionescu"),
        )
        ClaimFactory(summary="Exports doubled")
        response = reviewer_client.get(CHANGELIST, {"q": term})
        assert list(response.context["cl"].result_list) == [wanted]

    def test_filters(self, reviewer_client, editor):
        economy = TagFactory(name="economy")
        wanted = ClaimFactory(in_review=True, kind="promise", tags=[economy])
        wanted.source.kind = "transcript"
        wanted.source.save()
        wanted.assignee = editor
        wanted.save()
        ClaimFactory(tags=[TagFactory(name="health")])
        ClaimFactory(published=True)
        for params in [
            {"status__exact": Status.IN_REVIEW},
            {"verdict__id__exact": wanted.verdict_id},
            {"kind__exact": "promise"},
            {"source__kind__exact": "transcript"},
            {"assignee__id__exact": editor.pk},
            {"tags__id__exact": economy.pk},
        ]:
            response = reviewer_client.get(CHANGELIST, params)
            assert response.status_code == 200, params  # an unknown filter redirects with ?e=1
            assert list(response.context["cl"].result_list) == [wanted], params

    def test_filter_titles_tell_the_two_kinds_apart(self, reviewer_client):
        ClaimFactory(tags=[TagFactory(name="economy")])
        titles = [spec.title for spec in reviewer_client.get(CHANGELIST).context["cl"].filter_specs]
        assert titles == ["status", "verdict", "kind", "source kind", "assignee", "tags"]

    def test_assignee_filter_offers_only_claim_workers(self, reviewer_client, editor, viewer):
        response = reviewer_client.get(CHANGELIST)
        assignee_filter = next(spec for spec in response.context["cl"].filter_specs if spec.field_path == "assignee")
        offered = {label for _, label in assignee_filter.lookup_choices}
        assert editor.username in offered
        assert viewer.username not in offered

    def test_autocomplete_finds_sources(self, reviewer_client):
        wanted = SourceFactory(title="Budget speech to parliament")
        SourceFactory(title="Weather report")
        response = reviewer_client.get(
            reverse("admin:autocomplete"),
            {"app_label": "claims", "model_name": "claim", "field_name": "source", "term": "budget"},
        )
        assert response.status_code == 200
        assert [result["id"] for result in response.json()["results"]] == [str(wanted.pk)]

    @pytest.mark.parametrize("rows", [1, 50])
    def test_queries_do_not_grow_with_rows(self, reviewer_client, django_assert_max_num_queries, rows, editor):
        tags = [TagFactory(name="economy"), TagFactory(name="health")]
        for _ in range(rows):
            ClaimFactory(in_review=True, assignee=editor, tags=tags)
        reviewer_client.get(CHANGELIST)  # warm the caches a first request fills (content types, permissions)
        with django_assert_max_num_queries(12):
            response = reviewer_client.get(CHANGELIST)
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == rows

    def test_query_count_is_the_same_for_one_row_and_fifty(self, reviewer_client, editor):
        counts = []
        for rows in (1, 49):
            for _ in range(rows):
                ClaimFactory(in_review=True, assignee=editor, tags=[TagFactory()])
            reviewer_client.get(CHANGELIST)
            with CaptureQueriesContext(connection) as queries:
                reviewer_client.get(CHANGELIST)
            counts.append(len(queries))
        assert counts[0] == counts[1]


def changelist_data(response, changes):
    """The changelist's editable-columns form as the browser posts it, with `changes`
    ({claim pk: {field: value}}) applied."""
    formset = response.context["cl"].formset
    data = {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
    data["_save"] = "Save"
    for form in formset.forms:
        row = {"id": form.instance.pk, "status": form.instance.status, "assignee": form.instance.assignee_id or ""}
        row.update(changes.get(form.instance.pk, {}))
        data.update({f"{form.prefix}-{field}": value for field, value in row.items()})
    return data


@pytest.mark.django_db
class TestEditableColumns:
    def test_status_change_goes_through_the_workflow(self, reviewer, reviewer_client):
        claim = ClaimFactory()
        other = ClaimFactory()
        page = reviewer_client.get(CHANGELIST)
        response = reviewer_client.post(CHANGELIST, changelist_data(page, {claim.pk: {"status": Status.RESEARCHING}}))
        assert response.status_code == 302
        claim.refresh_from_db()
        assert claim.status == Status.RESEARCHING
        event = admin_events(claim).get()
        assert (event.field, event.old_value, event.new_value, event.actor) == (
            EventField.STATUS,
            Status.NEW,
            Status.RESEARCHING,
            reviewer,
        )
        assert not ClaimEvent.objects.filter(claim=other).exists()

    def test_invalid_transition_is_shown_on_the_row_and_nothing_changes(self, reviewer_client):
        claim = ClaimFactory()
        page = reviewer_client.get(CHANGELIST)
        response = reviewer_client.post(CHANGELIST, changelist_data(page, {claim.pk: {"status": Status.PUBLISHED}}))
        assert response.status_code == 200
        form = next(form for form in response.context["cl"].formset if form.instance.pk == claim.pk)
        assert form.errors["status"] == ["A claim that is new cannot move to published."]
        assert "A claim that is new cannot move to published." in shown(response)
        claim.refresh_from_db()
        assert claim.status == Status.NEW
        assert not ClaimEvent.objects.exists()

    def test_assignee_change_goes_through_the_workflow(self, reviewer_client, editor):
        claim = ClaimFactory()
        page = reviewer_client.get(CHANGELIST)
        reviewer_client.post(CHANGELIST, changelist_data(page, {claim.pk: {"assignee": editor.pk}}))
        claim.refresh_from_db()
        assert claim.assignee == editor
        assert admin_events(claim, EventField.ASSIGNEE).get().new_value == editor.username

    def test_a_claim_keeps_an_assignee_who_no_longer_works_claims(self, reviewer_client, viewer):
        claim = ClaimFactory(assignee=viewer)  # assigned before they became a viewer
        page = reviewer_client.get(CHANGELIST)
        assert "selected>vera</option>" in shown(page)
        reviewer_client.post(CHANGELIST, changelist_data(page, {claim.pk: {"status": Status.RESEARCHING}}))
        claim.refresh_from_db()
        response = reviewer_client.post(change_url(claim), claim_form_data(claim, summary="Corrected"))
        assert response.status_code == 302
        claim.refresh_from_db()
        assert (claim.status, claim.summary, claim.assignee) == (Status.RESEARCHING, "Corrected", viewer)

    def test_only_claim_workers_can_be_assigned(self, reviewer_client, viewer):
        claim = ClaimFactory()
        page = reviewer_client.get(CHANGELIST)
        response = reviewer_client.post(CHANGELIST, changelist_data(page, {claim.pk: {"assignee": viewer.pk}}))
        assert response.status_code == 200
        claim.refresh_from_db()
        assert claim.assignee is None


INLINES = ("evidence", "annotations", "events")


def claim_form_data(claim, **changes):
    data = {
        "summary": claim.summary,
        "kind": claim.kind,
        "claimant": claim.claimant_id or "",
        "tags": [tag.pk for tag in claim.tags.all()],
        "source": claim.source_id,
        "quote": claim.quote,
        "quote_start": claim.quote_start,
        "quote_end": claim.quote_end,
        "status": claim.status,
        "verdict": claim.verdict_id or "",
        "rationale": claim.rationale,
        "assignee": claim.assignee_id or "",
    }
    for prefix in INLINES:
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data["events-TOTAL_FORMS"] = data["events-INITIAL_FORMS"] = claim.events.count()
    data.update(changes)
    return data


@pytest.mark.django_db
class TestClaimChangeForm:
    def test_verdict_then_status_in_one_save_write_history(self, reviewer, reviewer_client):
        claim = ClaimFactory(researching=True)
        rating = Rating.objects.get(key="mostly-false")
        response = reviewer_client.post(
            change_url(claim),
            claim_form_data(
                claim, verdict=rating.pk, rationale="The ministry's own table says 9 %.", status="in_review"
            ),
        )
        assert response.status_code == 302, response.context and response.context["adminform"].form.errors
        claim.refresh_from_db()
        assert (claim.status, claim.verdict, claim.rationale) == (
            Status.IN_REVIEW,
            rating,
            "The ministry's own table says 9 %.",
        )
        events = admin_events(claim).order_by("id")
        assert [(event.field, event.new_value, event.actor) for event in events] == [
            (EventField.VERDICT, "mostly-false", reviewer),
            (EventField.STATUS, Status.IN_REVIEW, reviewer),
        ]

    def test_reopening_a_published_claim_comes_before_changing_its_verdict(self, reviewer_client):
        claim = ClaimFactory(published=True)
        response = reviewer_client.post(
            change_url(claim),
            claim_form_data(
                claim, status="researching", verdict=Rating.objects.get(key="false").pk, rationale="New data."
            ),
        )
        assert response.status_code == 302
        assert [event.field for event in admin_events(claim).order_by("id")] == [EventField.STATUS, EventField.VERDICT]

    @pytest.mark.parametrize(
        ("start", "changes", "field", "message"),
        [
            ({}, {"status": "published"}, "status", "A claim that is new cannot move to published."),
            ({"researching": True}, {"status": "in_review"}, "status", "Set a verdict before “Send to review”."),
            ({"published": True}, {"rationale": "Changed my mind."}, "verdict", "The verdict is published"),
            ({}, {"verdict": "false", "rationale": "  "}, "rationale", "Say why: a verdict needs its rationale."),
        ],
        ids=["invalid-transition", "condition-unmet", "verdict-locked", "rationale-missing"],
    )
    def test_refused_change_is_a_form_error_and_changes_nothing(self, reviewer_client, start, changes, field, message):
        claim = ClaimFactory(**start)
        if "verdict" in changes:
            changes["verdict"] = Rating.objects.get(key=changes["verdict"]).pk
        before = Claim.objects.values().get(pk=claim.pk)
        response = reviewer_client.post(change_url(claim), claim_form_data(claim, **changes))
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert any(message in error for error in errors[field]), errors
        assert Claim.objects.values().get(pk=claim.pk) == before
        assert not ClaimEvent.objects.exists()

    def test_publishing_needs_the_publish_permission(self):
        # A staff member who may change claims but not publish them.
        clerk = UserFactory(role="editor", is_staff=True)
        clerk.user_permissions.add(Permission.objects.get(codename="change_claim"))
        claim = ClaimFactory(in_review=True)
        response = logged_in_client(clerk).post(change_url(claim), claim_form_data(claim, status="published"))
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["status"] == ["You are not allowed to “Approve and publish”."]
        claim.refresh_from_db()
        assert claim.status == Status.IN_REVIEW

    def test_tags_and_assignee_change_through_the_domain(self, reviewer_client, editor):
        kept, dropped, added = TagFactory(name="kept"), TagFactory(name="dropped"), TagFactory(name="added")
        claim = ClaimFactory(tags=[kept, dropped])
        response = reviewer_client.post(
            change_url(claim), claim_form_data(claim, tags=[kept.pk, added.pk], assignee=editor.pk)
        )
        assert response.status_code == 302
        assert {tag.name for tag in claim.tags.all()} == {"kept", "added"}
        assert sorted((event.old_value, event.new_value) for event in admin_events(claim, EventField.TAGS)) == [
            ("", "added"),
            ("dropped", ""),
        ]
        assert admin_events(claim, EventField.ASSIGNEE).get().new_value == editor.username

    def test_other_fields_are_saved_without_history(self, reviewer_client):
        claim = ClaimFactory()
        response = reviewer_client.post(change_url(claim), claim_form_data(claim, summary="Corrected summary"))
        assert response.status_code == 302
        claim.refresh_from_db()
        assert claim.summary == "Corrected summary"
        assert not ClaimEvent.objects.exists()


@pytest.mark.django_db
class TestAddClaim:
    def add(self, client, source, quote, start, **extra):
        data = {
            "summary": "Unemployment fell",
            "kind": "statistic",
            "source": source.pk,
            "quote": quote,
            "quote_start": start,
            "quote_end": start + len(quote),
            "rationale": "",
            **{f"{prefix}-{key}": 0 for prefix in INLINES for key in ("TOTAL_FORMS", "INITIAL_FORMS")},
            **extra,
        }
        return client.post(reverse("admin:claims_claim_add"), data)

    def test_offsets_are_checked_and_context_filled(self, reviewer_client):
        source = SourceFactory(text="The minister said unemployment fell to 4 percent in March.")
        response = self.add(reviewer_client, source, "unemployment fell to 4 percent", 18)
        assert response.status_code == 302
        claim = Claim.objects.get()
        assert (claim.quote_prefix, claim.quote_suffix, claim.status) == ("The minister said ", " in March.", "new")

    def test_offsets_that_miss_the_quote_are_refused(self, reviewer_client):
        source = SourceFactory(text="The minister said unemployment fell to 4 percent in March.")
        response = self.add(reviewer_client, source, "unemployment fell to 4 percent", 10)
        assert response.status_code == 200
        assert "not the quote" in response.context["adminform"].form.errors["quote"][0]
        assert not Claim.objects.exists()

    def test_a_new_claim_starts_as_new_whatever_is_posted(self, reviewer_client):
        source = SourceFactory(text="Exports rose.")
        page = reviewer_client.get(reverse("admin:claims_claim_add"))
        assert "status" not in page.context["adminform"].form.fields
        self.add(reviewer_client, source, "Exports rose.", 0, status="published")
        assert Claim.objects.get().status == Status.NEW

    def test_a_verdict_given_on_the_add_form_is_recorded(self, reviewer, reviewer_client):
        source = SourceFactory(text="Exports rose.")
        rating = Rating.objects.get(key="true")
        response = self.add(reviewer_client, source, "Exports rose.", 0, verdict=rating.pk, rationale="Customs data.")
        assert response.status_code == 302
        claim = Claim.objects.get()
        assert claim.verdict == rating
        assert admin_events(claim, EventField.VERDICT).get().actor == reviewer

    def test_a_multi_line_quote_keeps_the_sources_line_breaks(self, reviewer_client):
        source = SourceFactory(text="Intro.\n\nFirst line\nsecond line.\n")
        # Browsers send textarea line breaks as CRLF.
        response = self.add(reviewer_client, source, "First line\r\nsecond line.", 8)
        assert response.status_code == 200  # the CRLF quote is one character longer than the offsets
        response = self.add(reviewer_client, source, "First line\r\nsecond line.", 8, quote_end=8 + 23)
        assert response.status_code == 302
        assert Claim.objects.get().quote == "First line\nsecond line."


@pytest.mark.django_db
class TestSourceAndTagForms:
    def source_data(self, source, **changes):
        return {
            "title": source.title,
            "outlet": source.outlet,
            "url": source.url,
            "kind": source.kind,
            "published_on": "",
            "text": source.text,
            **changes,
        }

    def test_text_keeps_its_whitespace_and_line_breaks(self, reviewer_client):
        source = SourceFactory(text="x")
        text = "\n\n  Leading blank lines, “quotes” — and trailing ones…  \n\n"
        url = reverse("admin:claims_source_change", args=[source.pk])
        response = reviewer_client.post(url, self.source_data(source, text=text.replace("\n", "\r\n")))
        assert response.status_code == 302
        source.refresh_from_db()
        assert source.text == text

    def test_an_edit_that_unanchors_a_claim_is_refused(self, reviewer_client):
        claim = ClaimFactory()
        source = claim.source
        url = reverse("admin:claims_source_change", args=[source.pk])
        response = reviewer_client.post(url, self.source_data(source, text="Rewritten. " + source.text))
        assert response.status_code == 200
        assert "moves or changes the quotes of 1 claim" in response.context["adminform"].form.errors["text"][0]
        response = reviewer_client.post(url, self.source_data(source, text=source.text + " A new last line."))
        assert response.status_code == 302

    def test_tag_names_are_normalised_and_may_not_hold_commas(self, reviewer_client):
        TagFactory(name="economy")
        url = reverse("admin:claims_tag_add")
        assert "already exists" in shown(reviewer_client.post(url, {"name": "  Economy "}))
        assert "has a comma" in shown(reviewer_client.post(url, {"name": "tax, spending"}))
        assert reviewer_client.post(url, {"name": "Health"}).status_code == 302
        assert set(Tag.objects.values_list("name", flat=True)) == {"economy", "health"}


def run_action(client, action, claims, **fields):
    """Choose a bulk action on the changelist, then confirm its intermediate page."""
    selected = {"_selected_action": [claim.pk for claim in claims]}
    page = client.post(CHANGELIST, {"action": action, "index": 0, **selected})
    done = client.post(
        CHANGELIST, {"action": action, "apply": "yes", **selected, **{f"bulk-{k}": v for k, v in fields.items()}}
    )
    return page, done


@pytest.mark.django_db
class TestBulkActions:
    def test_set_status(self, reviewer, reviewer_client):
        fresh = [ClaimFactory(), ClaimFactory(researching=True)]
        published = ClaimFactory(published=True, summary="Treaty signed in 1990")
        page, done = run_action(
            reviewer_client, "set_status", [*fresh, published], status="not_checkworthy", note="Opinion, not fact."
        )
        assert page.status_code == 200
        assert page.templates[0].name == "admin/claims/claim/bulk_change.html"
        assert "Treaty signed in 1990" in shown(page)
        assert done.status_code == 302
        for claim in fresh:
            event = admin_events(claim).get()
            assert (event.new_value, event.note, event.actor) == (
                Status.NOT_CHECKWORTHY,
                "Opinion, not fact.",
                reviewer,
            )
        published.refresh_from_db()
        assert published.status == Status.PUBLISHED
        assert not admin_events(published).exists()
        notes = messages_of(done)
        assert "2 claims moved to Not check-worthy." in notes
        assert any(
            "Skipped 1 claim: A claim that is published cannot move to not check-worthy." in note
            and "Treaty signed in 1990" in note
            for note in notes
        )

    def test_set_verdict(self, reviewer_client):
        working = [ClaimFactory(researching=True), ClaimFactory()]
        published = ClaimFactory(published=True)
        rating = Rating.objects.get(key="misleading")
        page, done = run_action(
            reviewer_client, "set_verdict", [*working, published], verdict=rating.pk, rationale="Cherry-picked years."
        )
        assert "Rationale" in shown(page)
        for claim in working:
            claim.refresh_from_db()
            assert (claim.verdict, claim.rationale) == (rating, "Cherry-picked years.")
            assert admin_events(claim, EventField.VERDICT).get().note == "Cherry-picked years."
        published.refresh_from_db()
        assert published.verdict.key == "true"
        assert any("Skipped 1 claim: The verdict is published" in note for note in messages_of(done))

    def test_set_verdict_needs_a_rationale(self, reviewer_client):
        claim = ClaimFactory()
        rating = Rating.objects.get(key="false")
        _, again = run_action(reviewer_client, "set_verdict", [claim], verdict=rating.pk, rationale="")
        assert again.status_code == 200  # the intermediate page again, with the error
        assert again.context["form"].errors["rationale"]
        assert not ClaimEvent.objects.exists()

    def test_assign(self, reviewer_client, editor, viewer):
        unassigned = ClaimFactory()
        already = ClaimFactory()
        already.assign(editor, by=editor)
        page, done = run_action(reviewer_client, "assign", [unassigned, already], assignee=editor.pk)
        offered = {label for _, label in page.context["form"].fields["assignee"].choices}
        assert editor.username in offered and viewer.username not in offered
        unassigned.refresh_from_db()
        assert unassigned.assignee == editor
        assert admin_events(unassigned, EventField.ASSIGNEE).count() == 1
        assert not admin_events(already).exists()
        assert messages_of(done) == ["1 claim assigned to eddie.", "1 claim was already assigned to eddie."]

    def test_assign_refuses_users_who_do_not_work_claims(self, reviewer_client, viewer):
        claim = ClaimFactory()
        _, again = run_action(reviewer_client, "assign", [claim], assignee=viewer.pk)
        assert again.status_code == 200
        assert "assignee" in again.context["form"].errors

    def test_add_tag_creates_the_tag(self, reviewer_client):
        claims = [ClaimFactory(), ClaimFactory()]
        page, done = run_action(reviewer_client, "add_tag", claims, tag="  Election-2024 ")
        tag = Tag.objects.get(name="election-2024")
        for claim in claims:
            assert list(claim.tags.all()) == [tag]
            assert admin_events(claim, EventField.TAGS).get().new_value == "election-2024"
        assert messages_of(done) == ["2 claims tagged “election-2024”."]

    def test_add_tag_refuses_commas(self, reviewer_client):
        _, again = run_action(reviewer_client, "add_tag", [ClaimFactory()], tag="a, b")
        assert "has a comma" in again.context["form"].errors["tag"][0]
        assert not Tag.objects.exists()

    @pytest.mark.parametrize("action", ["set_status", "set_verdict", "assign", "add_tag"])
    def test_editors_cannot_run_them(self, editor_client, action):
        claim = ClaimFactory()
        response = editor_client.post(CHANGELIST, {"action": action, "index": 0, "_selected_action": [claim.pk]})
        assert response.status_code == 302
        assert response["Location"].startswith(ADMIN_LOGIN)
        assert not ClaimEvent.objects.exists()

    def test_staff_without_the_permissions_are_not_offered_them(self):
        clerk = UserFactory(role="viewer", is_staff=True)
        client = logged_in_client(clerk)
        assert client.get(CHANGELIST).context["action_form"] is None
        claim = ClaimFactory()
        client.post(
            CHANGELIST,
            {"action": "set_status", "apply": "yes", "_selected_action": [claim.pk], "bulk-status": "researching"},
        )
        claim.refresh_from_db()
        assert claim.status == Status.NEW
