"""The admin: who may use it, the claim changelist, change form and bulk actions, and
that every change to a claim's status, verdict, assignee or tags lands in its history."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, ClaimEvent, Correction, EventField, Origin, Rating, StatusStyle, Tag
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


def open_correction(reason="The ministry revised its figures."):
    """A published claim under correction, opened through the domain by a reviewer."""
    claim = ClaimFactory(published=True)
    claim.transition(Status.RESEARCHING, by=UserFactory(role="reviewer"), note=reason)
    return Correction.objects.get(claim=claim)


OBJECTS = {
    "source": SourceFactory,
    "claimant": ClaimantFactory,
    "tag": TagFactory,
    "rating": lambda: Rating.objects.get(key="false"),
    "statusstyle": lambda: StatusStyle.objects.get(status=Status.IN_REVIEW),
    "claim": ClaimFactory,
    "correction": open_correction,
    "evidence": EvidenceFactory,
    "annotation": AnnotationFactory,
    "claimevent": ClaimEventFactory,
}
# Kept by the superusers (the scale, the statuses) or written only by the domain.
NOT_ADDED_BY_REVIEWERS = {"rating", "statusstyle", "correction", "claimevent"}


@pytest.mark.django_db
class TestAccess:
    @pytest.mark.parametrize("model", OBJECTS)
    def test_reviewer_can_open_every_page(self, reviewer_client, model):
        obj = OBJECTS[model]()
        assert reviewer_client.get(reverse(f"admin:claims_{model}_changelist")).status_code == 200
        assert reviewer_client.get(reverse(f"admin:claims_{model}_change", args=[obj.pk])).status_code == 200
        add = reviewer_client.get(reverse(f"admin:claims_{model}_add"))
        assert add.status_code == (403 if model in NOT_ADDED_BY_REVIEWERS else 200)

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
        data = {
            "key": "false",
            "label": "Wrong",
            "value": 1,
            "position": rating.position,
            "colour": "#aa0000",
            "description": "",
        }
        assert reviewer_client.get(url).context["has_change_permission"] is False
        assert reviewer_client.post(url, data).status_code == 403
        assert superuser_client.get(reverse("admin:claims_rating_add")).status_code == 200
        assert superuser_client.post(url, data).status_code == 302
        rating.refresh_from_db()
        assert (rating.label, rating.colour) == ("Wrong", "#aa0000")
        page = shown(superuser_client.get(reverse("admin:claims_rating_changelist")))
        assert '<span class="badge" data-verdict="false">Wrong</span>' in page
        assert reverse("claims:palette") in page  # the stylesheet that colours the badges

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

    def test_search_uses_the_full_text_index(self, reviewer_client):
        wanted = ClaimFactory(summary="Remittances from Russia fell", quote="remittances")
        ClaimFactory(summary="Exports doubled")
        ClaimFactory(summary="Remit the fine")  # "remit" is a word of its own, not the start of this search
        assert list(reviewer_client.get(CHANGELIST, {"q": "russia remitt"}).context["cl"].result_list) == [wanted]
        # Whole words except the last: "ussia" is inside a word, not one.
        assert list(reviewer_client.get(CHANGELIST, {"q": "ussia remittances"}).context["cl"].result_list) == []

    def test_claim_autocomplete_finds_the_start_of_a_word(self, reviewer_client):
        wanted = ClaimFactory(summary="Khovaev on investment")
        ClaimFactory(summary="Exports doubled")
        response = reviewer_client.get(
            reverse("admin:autocomplete"),
            {"term": "khov", "app_label": "claims", "model_name": "evidence", "field_name": "claim"},
        )
        assert response.status_code == 200
        assert [row["id"] for row in response.json()["results"]] == [str(wanted.pk)]

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
    """The changelist's editable-columns form as the browser posts it: each row's values,
    its claim's version and the values the page showed (the hidden initial-… inputs),
    with `changes` ({claim pk: {field: value}}) applied."""
    formset = response.context["cl"].formset
    data = {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
    data["_save"] = "Save"
    for form in formset.forms:
        claim = form.instance
        showed = {"status": claim.status, "assignee": claim.assignee_id or ""}
        row = {"id": claim.pk, "based_on": claim.version, **showed, **changes.get(claim.pk, {})}
        data.update({f"{form.prefix}-{field}": value for field, value in row.items()})
        data.update({f"initial-{form.prefix}-{field}": value for field, value in showed.items()})
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

    def test_each_row_carries_its_claims_version_and_the_values_it_showed(self, reviewer_client):
        claim = ClaimFactory()
        claim.transition(Status.RESEARCHING, by=UserFactory(role="editor"))
        page = shown(reviewer_client.get(CHANGELIST))
        assert '<input type="hidden" name="form-0-based_on" value="2"' in page
        assert '<input type="hidden" name="initial-form-0-status" value="researching"' in page
        assert 'name="initial-form-0-assignee"' in page

    def test_a_move_that_needs_a_note_is_made_on_the_claims_page(self, reviewer_client):
        claim = ClaimFactory(in_review=True)
        page = reviewer_client.get(CHANGELIST)
        response = reviewer_client.post(CHANGELIST, changelist_data(page, {claim.pk: {"status": Status.RESEARCHING}}))
        assert response.status_code == 200
        form = next(form for form in response.context["cl"].formset if form.instance.pk == claim.pk)
        assert form.errors["status"] == ["“Needs more evidence” needs a note: make this move on the claim's page."]
        claim.refresh_from_db()
        assert claim.status == Status.IN_REVIEW
        assert not ClaimEvent.objects.exists()

    def test_the_reviewer_column_is_listed(self, reviewer, reviewer_client):
        claim = ClaimFactory()
        claim.assign_reviewer(reviewer, by=reviewer)
        response = reviewer_client.get(CHANGELIST)
        assert "reviewer" in [header["text"] for header in response.context["result_headers"]]
        assert "rita" in shown(response)


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
        "reviewer": claim.reviewer_id or "",
        "note": "",
        "based_on": claim.version,
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

    def test_a_correction_is_opened_with_its_note_before_the_verdict_changes(self, reviewer, reviewer_client):
        claim = ClaimFactory(published=True)
        false = Rating.objects.get(key="false")
        changes = {"status": "researching", "verdict": false.pk, "rationale": "New data."}
        response = reviewer_client.post(
            change_url(claim), claim_form_data(claim, **changes, note="The agency revised its series.")
        )
        assert response.status_code == 302
        assert [(event.field, event.note) for event in admin_events(claim).order_by("id")] == [
            (EventField.STATUS, "The agency revised its series."),
            (EventField.VERDICT, "New data."),
        ]
        correction = Correction.objects.get(claim=claim)
        assert (correction.reason, correction.old_verdict.key, correction.opened_by) == (
            "The agency revised its series.",
            "true",
            reviewer,
        )
        claim.refresh_from_db()
        assert (claim.status, claim.verdict, claim.published_verdict.key) == (Status.RESEARCHING, false, "true")

    def test_opening_a_correction_needs_a_note_and_changes_nothing_without(self, reviewer_client):
        claim = ClaimFactory(published=True)
        before = Claim.objects.values().get(pk=claim.pk)
        changes = {"status": "researching", "verdict": Rating.objects.get(key="false").pk, "rationale": "New data."}
        response = reviewer_client.post(change_url(claim), claim_form_data(claim, **changes))
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert errors["note"] == ["Say what needs correcting and why; readers will see it with the corrected verdict."]
        assert Claim.objects.values().get(pk=claim.pk) == before
        assert not ClaimEvent.objects.exists() and not Correction.objects.exists()

    @pytest.mark.parametrize(
        ("start", "changes", "field", "message"),
        [
            ({}, {"status": "published"}, "status", "A claim that is new cannot move to published."),
            (
                {"researching": True},
                {"status": "in_review"},
                "status",
                "Before “Send to review”, set a verdict; write the verdict's rationale.",
            ),
            ({"in_review": True}, {"status": "published"}, "status", "add at least one piece of evidence"),
            ({"in_review": True}, {"status": "researching"}, "note", "Say what is missing"),
            ({"published": True}, {"rationale": "Changed my mind."}, "verdict", "The verdict is published"),
            ({}, {"verdict": "false", "rationale": "  "}, "rationale", "Say why: a verdict needs its rationale."),
        ],
        ids=[
            "invalid-transition",
            "condition-unmet",
            "no-evidence",
            "note-missing",
            "verdict-locked",
            "rationale-missing",
        ],
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

    def test_a_reviewer_cannot_publish_a_verdict_they_proposed(self, reviewer, reviewer_client):
        claim = ClaimFactory(in_review=True, evidence=1)
        claim.set_verdict(Rating.objects.get(key="false"), by=reviewer, rationale="The table says otherwise.")
        before = Claim.objects.values().get(pk=claim.pk)
        response = reviewer_client.post(change_url(claim), claim_form_data(claim, status="published"))
        assert response.status_code == 200
        [error] = response.context["adminform"].form.errors["status"]
        assert "have it approved by a reviewer other than you" in error
        assert Claim.objects.values().get(pk=claim.pk) == before

    def test_a_verdict_changed_in_the_same_save_counts_as_proposed_by_the_saver(self, reviewer, reviewer_client):
        # Checked with the save's own verdict change applied first: changing the verdict
        # and approving it at once would be publishing one's own verdict.
        claim = ClaimFactory(in_review=True, evidence=1)
        claim.set_verdict(claim.verdict, by=UserFactory(role="editor"), rationale="The editor's reading.")
        changes = {"verdict": Rating.objects.get(key="false").pk, "rationale": "My reading.", "status": "published"}
        response = reviewer_client.post(change_url(claim), claim_form_data(claim, **changes))
        assert response.status_code == 200
        assert "other than you" in response.context["adminform"].form.errors["status"][0]
        assert not admin_events(claim).exists()
        # Approving the editor's verdict as it stands is what a reviewer does.
        response = reviewer_client.post(change_url(claim), claim_form_data(claim, status="published"))
        assert response.status_code == 302
        claim.refresh_from_db()
        assert (claim.status, claim.published_by, claim.published_verdict) == (
            Status.PUBLISHED,
            reviewer,
            claim.verdict,
        )

    def test_the_reviewer_is_assigned_through_the_domain(self, reviewer, reviewer_client, editor):
        claim = ClaimFactory()
        response = reviewer_client.post(change_url(claim), claim_form_data(claim, reviewer=reviewer.pk))
        assert response.status_code == 302
        assert admin_events(claim, EventField.REVIEWER).get().new_value == reviewer.username
        # Only someone who may publish can review.
        claim.refresh_from_db()
        response = reviewer_client.post(change_url(claim), claim_form_data(claim, reviewer=editor.pk))
        assert "reviewer" in response.context["adminform"].form.errors
        claim.refresh_from_db()
        assert claim.reviewer == reviewer

    def test_a_note_goes_with_a_status_change(self, reviewer_client):
        claim = ClaimFactory()
        response = reviewer_client.post(change_url(claim), claim_form_data(claim, note="Looks checkable."))
        assert response.context["adminform"].form.errors["note"] == [
            "A note goes with a status change: choose the new status too."
        ]
        data = claim_form_data(claim, note="Looks checkable.", status=Status.RESEARCHING)
        assert reviewer_client.post(change_url(claim), data).status_code == 302
        assert admin_events(claim, EventField.STATUS).get().note == "Looks checkable."

    def test_the_status_help_says_what_each_move_needs(self, reviewer_client):
        claim = ClaimFactory(in_review=True)
        form = reviewer_client.get(change_url(claim)).context["adminform"].form
        help_text = form.fields["status"].help_text
        assert help_text.startswith("From In review you may move it to Researching, Published.")
        assert "add at least one piece of evidence" in help_text
        assert "“Needs more evidence” needs a note." in help_text

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

    def test_details_are_edited_through_the_domain_into_the_timeline(self, reviewer, reviewer_client):
        claim = ClaimFactory(summary="Exports doubled")
        claimant = ClaimantFactory(name="Mirela Ionescu")
        response = reviewer_client.post(
            change_url(claim), claim_form_data(claim, summary="Exports rose by half", claimant=claimant.pk)
        )
        assert response.status_code == 302
        claim.refresh_from_db()
        assert (claim.summary, claim.claimant, claim.version) == ("Exports rose by half", claimant, 2)
        events = admin_events(claim).order_by("id")
        assert [(e.field, e.old_label, e.new_label, e.actor, e.version) for e in events] == [
            (EventField.SUMMARY, "Exports doubled", "Exports rose by half", reviewer, 2),
            (EventField.CLAIMANT, events[1].old_label, "Mirela Ionescu", reviewer, 2),
        ]

    def test_a_new_quote_moves_its_offsets_and_context_with_it(self, reviewer_client):
        source = SourceFactory(text="Officials said exports grew by 12 percent. Critics said 9 percent.")
        claim = ClaimFactory(source=source, quote="exports grew by 12 percent")
        quote = "Critics said 9 percent."
        start = source.text.index(quote)
        data = claim_form_data(claim, quote=quote, quote_start=start, quote_end=start + len(quote))
        assert reviewer_client.post(change_url(claim), data).status_code == 302
        claim.refresh_from_db()
        assert (claim.quote, claim.quote_start) == (quote, start)
        assert claim.quote_prefix and source.text[:start].endswith(claim.quote_prefix)
        assert admin_events(claim, EventField.QUOTE).get().new_value == quote

    def test_offsets_alone_do_not_move(self, reviewer_client):
        source = SourceFactory(text="Prices rose. Prices rose.")
        claim = ClaimFactory(source=source, quote="Prices rose.")
        response = reviewer_client.post(change_url(claim), claim_form_data(claim, quote_start=13, quote_end=25))
        assert response.status_code == 200
        assert "change only with the quote" in response.context["adminform"].form.errors["quote_start"][0]
        claim.refresh_from_db()
        assert claim.quote_start == 0

    def test_an_old_version_on_the_history_page_is_shown_never_saved_back(self, reviewer_client):
        claim = ClaimFactory(summary="Exports doubled")
        reviewer_client.post(change_url(claim), claim_form_data(claim, summary="Exports rose"))
        first = claim.history.earliest("history_date")
        url = reverse("admin:claims_claim_simple_history", args=[claim.pk, first.history_id])
        page = reviewer_client.get(url)
        assert page.status_code == 200
        assert "Exports doubled" in shown(page) and "Revert" not in shown(page)
        assert reviewer_client.post(url, claim_form_data(claim, summary="Exports doubled")).status_code == 405
        claim.refresh_from_db()
        assert claim.summary == "Exports rose"


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

    def test_a_corrected_text_places_the_claims_again_and_orphans_the_lost(self, reviewer, reviewer_client):
        moved = ClaimFactory()
        source = moved.source
        lost = ClaimFactory(source=source, quote="Critics disputed the figures.")
        url = reverse("admin:claims_source_change", args=[source.pk])
        corrected = "Rewritten. " + source.text.replace("Critics disputed the figures.", "")
        response = reviewer_client.post(
            url, self.source_data(source, text=corrected, based_on=source.version), follow=True
        )
        assert response.status_code == 200
        assert "1 moved with their words, 1 orphaned" in shown(response)
        moved.refresh_from_db()
        lost.refresh_from_db()
        assert corrected[moved.quote_start : moved.quote_end] == moved.quote
        assert lost.orphaned_at is not None and lost.quote == "Critics disputed the figures."
        assert moved.events.get(field=EventField.ANCHOR).origin == Origin.ADMIN

    def test_a_text_correction_from_a_stale_form_is_refused(self, reviewer, reviewer_client):
        source = ClaimFactory().source
        seen = source.version
        source.correct_text(source.text + " Another line.", by=reviewer)
        url = reverse("admin:claims_source_change", args=[source.pk])
        response = reviewer_client.post(url, self.source_data(source, text="Mine.", based_on=seen))
        assert response.status_code == 200
        assert "Someone corrected this text since you opened it" in response.context["adminform"].form.errors["text"][0]
        source.refresh_from_db()
        assert source.text.endswith("Another line.")

    def test_tag_names_are_normalised_and_may_not_hold_commas(self, reviewer_client):
        TagFactory(name="economy")
        url = reverse("admin:claims_tag_add")
        assert "already exists" in shown(reviewer_client.post(url, {"name": "  Economy "}))
        assert "has a comma" in shown(reviewer_client.post(url, {"name": "tax, spending"}))
        assert reviewer_client.post(url, {"name": "Health"}).status_code == 302
        assert set(Tag.objects.values_list("name", flat=True)) == {"economy", "health"}


@pytest.mark.django_db
class TestDeletingATag:
    def test_untags_its_claims_through_the_domain_and_keeps_a_record(self, reviewer, reviewer_client):
        tag = TagFactory(name="economy")
        claim = ClaimFactory(tags=[tag])
        url = reverse("admin:claims_tag_delete", args=[tag.pk])
        assert reviewer_client.post(url, {"post": "yes"}).status_code == 302
        assert not Tag.objects.exists()
        event = admin_events(claim, EventField.TAGS).get()
        assert (event.old_value, event.new_value, event.actor) == ("economy", "", reviewer)
        claim.refresh_from_db()
        assert claim.version == 2
        deleted = Tag.history.get(history_type="-")
        assert (deleted.name, deleted.history_user, deleted.history_origin) == ("economy", reviewer, Origin.ADMIN)

    def test_needs_the_right_to_tag_claims(self):
        clerk = UserFactory(role="viewer", is_staff=True)
        clerk.user_permissions.add(Permission.objects.get(codename="delete_tag"))
        tag = TagFactory()
        response = logged_in_client(clerk).post(reverse("admin:claims_tag_delete", args=[tag.pk]), {"post": "yes"})
        assert response.status_code == 403
        assert Tag.objects.exists()


def status_list_data(page, changes):
    """The status list's editable columns as posted, with `changes` ({status: {field: value}})."""
    formset = page.context["cl"].formset
    data = {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
    data["_save"] = "Save"
    for form in formset.forms:
        style = form.instance
        row = {"id": style.pk, "label": style.label, "colour": style.colour, "position": style.position}
        row.update(changes.get(style.status, {}))
        data.update({f"{form.prefix}-{field}": value for field, value in row.items()})
    return data


STATUSES = reverse("admin:claims_statusstyle_changelist")


@pytest.mark.django_db
class TestStatusesAndCorrections:
    def test_superusers_rename_recolour_and_reorder_statuses_in_the_list(self, superuser_client):
        page = superuser_client.get(STATUSES)
        assert [header["text"] for header in page.context["result_headers"]] == [
            "status",
            "badge",
            "label",
            "colour",
            "position",
            "description",
        ]
        assert '<span class="badge" data-status="in_review">In review</span>' in shown(page)
        changes = {Status.IN_REVIEW: {"label": "Awaiting sign-off", "colour": "#123456", "position": 9}}
        response = superuser_client.post(STATUSES, status_list_data(page, changes))
        assert response.status_code == 302
        style = StatusStyle.objects.get(status=Status.IN_REVIEW)
        assert (style.label, style.colour, style.position) == ("Awaiting sign-off", "#123456", 9)
        bad = status_list_data(superuser_client.get(STATUSES), {Status.NEW: {"colour": "red"}})
        assert "Give the colour as #rrggbb" in shown(superuser_client.post(STATUSES, bad))

    def test_the_renamed_status_names_the_claim_forms_choices(self, reviewer_client):
        StatusStyle.objects.filter(status=Status.IN_REVIEW).update(label="Awaiting sign-off")
        claim = ClaimFactory(researching=True)
        choices = dict(reviewer_client.get(change_url(claim)).context["adminform"].form.fields["status"].choices)
        assert choices[Status.IN_REVIEW] == "Awaiting sign-off"

    def test_statuses_are_fixed_and_reviewers_only_look(self, reviewer_client, superuser_client):
        style = StatusStyle.objects.get(status=Status.NEW)
        url = reverse("admin:claims_statusstyle_change", args=[style.pk])
        data = {"label": "Inbox", "colour": "#000000", "position": 1, "description": ""}
        assert reviewer_client.get(STATUSES).status_code == 200
        assert reviewer_client.get(url).context["has_change_permission"] is False
        assert reviewer_client.post(url, data).status_code == 403
        for client in (reviewer_client, superuser_client):
            assert client.get(reverse("admin:claims_statusstyle_add")).status_code == 403
            assert client.post(reverse("admin:claims_statusstyle_delete", args=[style.pk])).status_code == 403
        assert superuser_client.post(url, data).status_code == 302
        style.refresh_from_db()
        assert (style.status, style.label) == (Status.NEW, "Inbox")

    @pytest.mark.parametrize("model", ["statusstyle", "correction"])
    def test_lists_take_a_fixed_number_of_queries(self, reviewer_client, django_assert_max_num_queries, model):
        for _ in range(5):
            open_correction()
        reviewer_client.get(reverse(f"admin:claims_{model}_changelist"))  # warm the caches
        with django_assert_max_num_queries(8):
            assert reviewer_client.get(reverse(f"admin:claims_{model}_changelist")).status_code == 200

    def test_corrections_are_listed_read_only_by_state_and_claim(self, reviewer_client, superuser_client):
        open_one = open_correction()
        done = open_correction()
        Correction.objects.filter(pk=done.pk).update(published_at=done.opened_at)
        url = reverse("admin:claims_correction_changelist")
        for state, wanted in [("open", [open_one]), ("published", [done]), (None, [done, open_one])]:
            response = reviewer_client.get(url, {"state": state} if state else {})
            assert sorted(response.context["cl"].result_list, key=lambda c: c.pk) == sorted(wanted, key=lambda c: c.pk)
        found = reviewer_client.get(url, {"q": open_one.claim.summary[:30]}).context["cl"].result_list
        assert list(found) == [open_one]
        change = reverse("admin:claims_correction_change", args=[open_one.pk])
        assert superuser_client.get(change).context["has_change_permission"] is False
        assert superuser_client.post(change, {"reason": "Rewritten"}).status_code == 403
        assert superuser_client.post(reverse("admin:claims_correction_delete", args=[open_one.pk])).status_code == 403
        open_one.refresh_from_db()
        assert open_one.reason == "The ministry revised its figures."


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
    def test_every_claim_the_filters_select_without_posting_their_ids(self, reviewer, reviewer_client):
        from claims.admin.claims import BULK_LISTED

        chosen = ClaimFactory.create_batch(BULK_LISTED + 5)  # new claims
        other = ClaimFactory(researching=True)
        url = f"{CHANGELIST}?status__exact=new"
        across = {"action": "set_status", "index": 0, "select_across": "1", "_selected_action": [chosen[0].pk]}
        page = reviewer_client.post(url, across)
        body = page.content.decode()
        assert f"{BULK_LISTED + 5} selected claims" in body and f"The first {BULK_LISTED} are listed." in body
        assert 'name="select_across" value="1"' in body and body.count('name="_selected_action"') == 1
        # What the confirmation page posts back: the action, select_across, and the one ticked claim.
        ticked = re.search(r'name="_selected_action" value="(\d+)"', body).group(1)
        confirmed = {**across, "_selected_action": [ticked], "apply": "yes", "bulk-status": "researching"}

        done = reviewer_client.post(url, confirmed)

        assert done.status_code == 302
        assert Claim.objects.filter(pk__in=[c.pk for c in chosen], status=Status.RESEARCHING).count() == len(chosen)
        assert ClaimEvent.objects.filter(claim__in=chosen, new_value=Status.RESEARCHING).count() == len(chosen)
        other.refresh_from_db()
        assert other.events.count() == 0

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

    def test_publishing_is_refused_per_claim_under_the_review_rules(self, reviewer, reviewer_client):
        ready = ClaimFactory(in_review=True, evidence=1, summary="Ready to publish")
        ready.set_verdict(ready.verdict, by=UserFactory(role="editor"), rationale="The editor's reading.")
        own = ClaimFactory(in_review=True, evidence=1, summary="Proposed by the reviewer")
        own.set_verdict(own.verdict, by=reviewer, rationale="My own reading.")
        bare = ClaimFactory(in_review=True, summary="Nothing to show for it")
        _, done = run_action(reviewer_client, "set_status", [ready, own, bare], status="published")
        notes = messages_of(done)
        assert "1 claim moved to Published." in notes
        assert any(
            "approved by a reviewer other than you" in note and "Proposed by the reviewer" in note for note in notes
        )
        assert any("add at least one piece of evidence" in note and "Nothing to show for it" in note for note in notes)
        statuses = dict(Claim.objects.values_list("summary", "status"))
        assert statuses == {
            "Ready to publish": Status.PUBLISHED,
            "Proposed by the reviewer": Status.IN_REVIEW,
            "Nothing to show for it": Status.IN_REVIEW,
        }
        assert admin_events(ready, EventField.STATUS).get().new_value == Status.PUBLISHED
        assert not admin_events(own, EventField.STATUS).exists() and not admin_events(bare).exists()

    def test_moves_that_need_a_note_are_refused_without_one(self, reviewer, reviewer_client):
        claims = [ClaimFactory(in_review=True), ClaimFactory(published=True)]
        _, done = run_action(reviewer_client, "set_status", claims, status="researching")
        notes = messages_of(done)
        assert any(
            note.startswith("Skipped 1 claim: This move needs a note (the Note field): Say what is missing")
            for note in notes
        )
        assert any("Say what needs correcting and why" in note for note in notes)
        assert not ClaimEvent.objects.exists() and not Correction.objects.exists()
        run_action(reviewer_client, "set_status", claims, status="researching", note="Sources disagree.")
        for claim in claims:
            claim.refresh_from_db()
            assert claim.status == Status.RESEARCHING
            assert admin_events(claim, EventField.STATUS).get().note == "Sources disagree."
        assert Correction.objects.get().claim == claims[1]

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
