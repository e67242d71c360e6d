"""The claim page and every action on it, each as htmx and as a plain form:
status, verdict, assignment, notes and evidence."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Annotation, ClaimEvent, Evidence, Rating
from claims.workflow import Status

from .conftest import HTMX, is_fragment, logged_in_client, shown
from .factories import AnnotationFactory, ClaimEventFactory, ClaimFactory, EvidenceFactory, SourceFactory, UserFactory


def url(name, pk):
    return reverse(f"claims:{name}", args=[pk])


def triggered(response) -> set[str]:
    return set(json.loads(response.get("HX-Trigger", "{}")))


@pytest.fixture
def claim(db):
    return ClaimFactory(
        summary="Russia has had no FDI in the Philippines since 1999",
        quote="Russia has not had any foreign direct investment in the Philippines since 1999",
        source=SourceFactory(
            text="Economic ties are at their infancy. Russia has not had any foreign direct investment "
            "in the Philippines since 1999, central bank data showed.\nNext paragraph."
        ),
    )


@pytest.mark.django_db
class TestClaimPage:
    def test_anonymous_is_sent_to_login(self, client, claim):
        response = client.get(claim.get_absolute_url())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_missing_claim_is_404(self, editor_client):
        assert editor_client.get(url("claim_detail", 999999)).status_code == 404

    def test_quote_is_highlighted_inside_its_paragraph(self, viewer_client, claim):
        body = shown(viewer_client.get(claim.get_absolute_url()))
        assert (
            '<blockquote class="passage">Economic ties are at their infancy. <mark class="quote">'
            "Russia has not had any foreign direct investment in the Philippines since 1999</mark>"
            ", central bank data showed.</blockquote>"
        ) in body
        assert "Quote at characters 36–114 of the source text." in body
        assert claim.claimant.name in body

    def test_page_shows_evidence_notes_and_history(self, viewer_client, claim):
        EvidenceFactory(claim=claim, excerpt="BSP table of FDI by country")
        AnnotationFactory(claim=claim, body="Ask the BSP for the 1999 row")
        ClaimEventFactory(claim=claim, note="Numbers need checking")
        body = shown(viewer_client.get(claim.get_absolute_url()))
        assert "BSP table of FDI by country" in body
        assert "Ask the BSP for the 1999 row" in body
        assert "moved it from <em>New</em> to <em>Researching</em>" in body
        assert "Numbers need checking" in body

    def test_the_timeline_shows_notes_and_evidence_added_edited_and_deleted(self, editor, editor_client, claim):
        note = AnnotationFactory(claim=claim, author=editor, body="Call the BSP press office.")
        note.edit("Called the BSP press office: they will send the table.", by=editor)
        evidence = EvidenceFactory(claim=claim, added_by=editor, excerpt="Table 3, 2012 row.")
        evidence._history_user = editor
        evidence.delete()
        timeline = shown(editor_client.get(claim.get_absolute_url())).split('id="claim-history"')[1]
        assert "<strong>eddie</strong> added a note" in timeline
        assert "<strong>eddie</strong> edited a note" in timeline
        assert "<del>Call the BSP press office.</del>" in timeline
        assert "<strong>eddie</strong> deleted evidence" in timeline and "Table 3, 2012 row." in timeline

    def test_viewer_sees_no_editing_controls(self, viewer_client, claim):
        AnnotationFactory(claim=claim)
        body = shown(viewer_client.get(claim.get_absolute_url()))
        assert 'name="target"' not in body
        assert url("claim_verdict", claim.pk) not in body
        assert url("claim_assign", claim.pk) not in body
        assert url("annotation_create", claim.pk) not in body
        assert url("evidence_create", claim.pk) not in body
        assert "/edit/" not in body and "/delete/" not in body
        assert "moving it on needs an editor's account" in body

    def test_editor_sees_the_moves_open_to_them(self, editor_client, claim):
        body = shown(editor_client.get(claim.get_absolute_url()))
        assert '<button type="submit" name="target" value="researching"' in body
        assert '<button type="submit" name="target" value="not_checkworthy"' in body
        assert 'value="published"' not in body

    def test_only_reviewers_see_approve_and_publish(self, editor_client, reviewer_client):
        claim = ClaimFactory(in_review=True)
        assert "Approve and publish</button>" not in shown(editor_client.get(claim.get_absolute_url()))
        assert "A reviewer can also: Approve and publish." in shown(editor_client.get(claim.get_absolute_url()))
        assert "Approve and publish</button>" in shown(reviewer_client.get(claim.get_absolute_url()))

    def test_send_to_review_is_disabled_until_there_is_a_verdict(self, editor_client):
        claim = ClaimFactory(researching=True)
        body = shown(editor_client.get(claim.get_absolute_url()))
        assert 'value="in_review"\n                    disabled' in body
        assert "Before “Send to review”, set a verdict; write the verdict's rationale." in body

    @pytest.mark.parametrize(
        "target",
        ["claim-header", "status-panel", "transition-actions", "verdict-panel", "claim-history", "source-claims"],
    )
    def test_htmx_asks_for_one_part_by_its_id(self, editor_client, claim, target):
        response = editor_client.get(claim.get_absolute_url(), HTTP_HX_TARGET=target, **HTMX)
        assert is_fragment(response)
        assert f'id="{target}"' in shown(response).split(">", 1)[0]

    def test_an_unknown_target_gets_the_whole_page(self, editor_client, claim):
        response = editor_client.get(claim.get_absolute_url(), HTTP_HX_TARGET="nonsense", **HTMX)
        assert not is_fragment(response)

    @pytest.mark.parametrize("rows", [1, 50])
    def test_queries_do_not_grow_with_notes_evidence_and_history(
        self, editor_client, claim, django_assert_max_num_queries, rows
    ):
        AnnotationFactory.create_batch(rows, claim=claim)
        EvidenceFactory.create_batch(rows, claim=claim, source=SourceFactory())
        ClaimEventFactory.create_batch(rows, claim=claim)
        for _ in range(rows):
            ClaimFactory(source=claim.source, quote=f"Extra quote {_}.")
        # The page, each panel's rows, the status names, corrections, the audit of notes
        # and evidence for the timeline, and recording the visit.
        with django_assert_max_num_queries(27):
            assert editor_client.get(claim.get_absolute_url()).status_code == 200


@pytest.mark.django_db
class TestStatusChange:
    def test_htmx_move_returns_the_panel_and_tells_the_page(self, editor, editor_client, claim):
        response = editor_client.post(
            url("claim_transition", claim.pk), {"target": "researching", "note": "Worth a look"}, **HTMX
        )
        assert response.status_code == 200
        assert is_fragment(response)
        assert shown(response).lstrip().startswith('<section id="status-panel"')
        assert {"claim-changed", "status-changed"} <= triggered(response)
        claim.refresh_from_db()
        assert claim.status == Status.RESEARCHING
        event = claim.events.get()
        assert (event.field, event.old_value, event.new_value, event.note, event.actor) == (
            "status",
            "new",
            "researching",
            "Worth a look",
            editor,
        )

    def test_plain_form_redirects_back_to_the_claim(self, editor_client, claim):
        response = editor_client.post(url("claim_transition", claim.pk), {"target": "researching"})
        assert response.status_code == 302
        assert response["Location"] == claim.get_absolute_url()
        claim.refresh_from_db()
        assert claim.status == Status.RESEARCHING

    @pytest.mark.parametrize(
        "data, message",
        [
            ({"target": "bogus"}, "“bogus” is not a status."),
            ({}, "Choose a status."),
            ({"target": "published"}, "A claim that is new cannot move to published."),
            ({"target": "researching", "note": "x" * 2001}, "at most 2000 characters"),
        ],
    )
    def test_bad_input_is_explained_and_changes_nothing(self, reviewer_client, claim, data, message):
        for headers in ({}, HTMX):
            response = reviewer_client.post(url("claim_transition", claim.pk), data, **headers)
            assert response.status_code == 422
            assert message in shown(response)
            assert is_fragment(response) == bool(headers)
        claim.refresh_from_db()
        assert claim.status == Status.NEW
        assert not claim.events.exists()

    def test_htmx_error_is_swapped_into_the_panel(self, editor_client, claim):
        response = editor_client.post(url("claim_transition", claim.pk), {"target": "bogus"}, **HTMX)
        assert response["HX-Retarget"] == "#status-panel"
        assert response["HX-Reswap"] == "outerHTML"

    def test_send_to_review_without_verdict_is_refused(self, editor_client):
        claim = ClaimFactory(researching=True)
        response = editor_client.post(url("claim_transition", claim.pk), {"target": "in_review"})
        assert response.status_code == 422
        assert "Before “Send to review”, set a verdict; write the verdict's rationale." in shown(response)
        claim.refresh_from_db()
        assert claim.status == Status.RESEARCHING

    def test_editor_cannot_publish(self, editor_client):
        claim = ClaimFactory(in_review=True)
        response = editor_client.post(url("claim_transition", claim.pk), {"target": "published"}, **HTMX)
        assert response.status_code == 403
        claim.refresh_from_db()
        assert claim.status == Status.IN_REVIEW

    def test_reviewer_publishes(self, reviewer_client, editor):
        claim = ClaimFactory(in_review=True, evidence=1, verdict_by=editor)
        reviewer_client.post(url("claim_transition", claim.pk), {"target": "published"}, **HTMX)
        claim.refresh_from_db()
        assert claim.status == Status.PUBLISHED

    def test_publishing_without_evidence_says_so(self, reviewer_client, editor):
        claim = ClaimFactory(in_review=True, verdict_by=editor)
        body = shown(reviewer_client.get(claim.get_absolute_url()))
        assert "Before “Approve and publish”, add at least one piece of evidence." in body
        response = reviewer_client.post(url("claim_transition", claim.pk), {"target": "published"}, **HTMX)
        assert response.status_code == 422
        assert "add at least one piece of evidence" in shown(response)
        claim.refresh_from_db()
        assert claim.status == Status.IN_REVIEW

    def test_the_proposer_sees_why_they_cannot_publish(self, reviewer_client, reviewer):
        claim = ClaimFactory(in_review=True, evidence=1, verdict_by=reviewer)
        body = shown(reviewer_client.get(claim.get_absolute_url()))
        assert 'value="published"\n                    disabled' in body
        assert "have it approved by a reviewer other than you, since you proposed this verdict" in body

    def test_asking_for_more_evidence_needs_a_note(self, reviewer_client):
        claim = ClaimFactory(in_review=True)
        data = {"target": "researching", "note": ""}
        response = reviewer_client.post(url("claim_transition", claim.pk), data, **HTMX)
        assert response.status_code == 422
        assert "Say what is missing" in shown(response)
        claim.refresh_from_db()
        assert claim.status == Status.IN_REVIEW

    def test_viewer_is_refused(self, viewer_client, claim):
        response = viewer_client.post(url("claim_transition", claim.pk), {"target": "researching"}, **HTMX)
        assert response.status_code == 403
        claim.refresh_from_db()
        assert claim.status == Status.NEW

    def test_get_is_not_allowed(self, editor_client, claim):
        assert editor_client.get(url("claim_transition", claim.pk)).status_code == 405


@pytest.mark.django_db
class TestCsrf:
    def test_htmx_post_without_token_is_refused(self, editor, claim):
        client = logged_in_client(editor, enforce_csrf_checks=True)
        response = client.post(url("claim_transition", claim.pk), {"target": "researching"}, **HTMX)
        assert response.status_code == 403
        claim.refresh_from_db()
        assert claim.status == Status.NEW

    def test_htmx_post_with_the_page_token_header_is_accepted(self, editor, claim):
        client = logged_in_client(editor, enforce_csrf_checks=True)
        page = client.get(claim.get_absolute_url())
        token = shown(page).split('"x-csrftoken": "', 1)[1].split('"', 1)[0]
        response = client.post(
            url("claim_transition", claim.pk), {"target": "researching"}, HTTP_X_CSRFTOKEN=token, **HTMX
        )
        assert response.status_code == 200
        claim.refresh_from_db()
        assert claim.status == Status.RESEARCHING

    def test_login_form_is_protected_too(self, db):
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("login"), {"username": "x", "password": "y"})
        assert response.status_code == 403


@pytest.mark.django_db
class TestVerdict:
    def test_editor_sets_a_verdict_with_its_rationale(self, editor, editor_client, claim):
        response = editor_client.post(
            url("claim_verdict", claim.pk), {"verdict": "false", "rationale": "BSP shows inflows in 2012."}, **HTMX
        )
        assert response.status_code == 200
        assert shown(response).lstrip().startswith('<section id="verdict-panel"')
        assert {"claim-changed", "verdict-changed"} <= triggered(response)
        claim.refresh_from_db()
        assert claim.verdict.key == "false"
        assert claim.rationale == "BSP shows inflows in 2012."
        event = claim.events.get()
        assert (event.field, event.new_value, event.new_label, event.note, event.actor) == (
            "verdict",
            "false",
            "False",
            "BSP shows inflows in 2012.",
            editor,
        )

    @pytest.mark.parametrize(
        "data, message",
        [
            ({"verdict": "false", "rationale": "   "}, "Say why: a verdict needs its rationale."),
            ({"verdict": "pants-on-fire", "rationale": "Because"}, "That is not a rating on the scale."),
            ({"rationale": "Because"}, "Choose a rating."),
            ({"verdict": "false", "rationale": "x" * 5001}, "at most 5000 characters"),
        ],
    )
    def test_bad_input_is_explained_and_changes_nothing(self, editor_client, claim, data, message):
        for headers in ({}, HTMX):
            response = editor_client.post(url("claim_verdict", claim.pk), data, **headers)
            assert response.status_code == 422
            assert message in shown(response)
        claim.refresh_from_db()
        assert claim.verdict is None
        assert not claim.events.exists()

    def test_a_published_verdict_cannot_be_changed_on_the_desk(self, reviewer_client):
        claim = ClaimFactory(published=True)
        response = reviewer_client.post(url("claim_verdict", claim.pk), {"verdict": "false", "rationale": "Changed"})
        assert response.status_code == 422
        assert "The verdict is published; open a correction to change it." in shown(response)
        claim.refresh_from_db()
        assert claim.verdict.key == "true"

    def test_viewer_is_refused(self, viewer_client, claim):
        response = viewer_client.post(url("claim_verdict", claim.pk), {"verdict": "false", "rationale": "x"})
        assert response.status_code == 403
        claim.refresh_from_db()
        assert claim.verdict is None

    def test_verdict_then_send_to_review(self, editor_client, claim):
        editor_client.post(url("claim_transition", claim.pk), {"target": "researching"})
        editor_client.post(url("claim_verdict", claim.pk), {"verdict": "true", "rationale": "Matches BSP data."})
        editor_client.post(url("claim_transition", claim.pk), {"target": "in_review"})
        claim.refresh_from_db()
        assert (claim.status, claim.verdict) == (Status.IN_REVIEW, Rating.objects.get(key="true"))
        assert list(claim.events.order_by("at", "id").values_list("field", "new_value")) == [
            ("status", "researching"),
            ("verdict", "true"),
            ("status", "in_review"),
        ]


@pytest.mark.django_db
class TestAssignment:
    def test_assign_to_a_colleague(self, editor, editor_client, other_editor, claim):
        response = editor_client.post(url("claim_assign", claim.pk), {"assignee": other_editor.username}, **HTMX)
        assert response.status_code == 200
        claim.refresh_from_db()
        assert claim.assignee == other_editor
        event = claim.events.get()
        assert (event.field, event.new_value, event.actor) == ("assignee", other_editor.username, editor)

    def test_unassign(self, editor_client, editor):
        claim = ClaimFactory(assignee=editor)
        editor_client.post(url("claim_assign", claim.pk), {"assignee": ""})
        claim.refresh_from_db()
        assert claim.assignee is None

    def test_a_viewer_cannot_be_given_claims(self, editor_client, viewer, claim):
        response = editor_client.post(url("claim_assign", claim.pk), {"assignee": viewer.username})
        assert response.status_code == 422
        assert "Select a valid choice" in shown(response)
        claim.refresh_from_db()
        assert claim.assignee is None

    def test_viewer_is_refused(self, viewer_client, editor, claim):
        assert viewer_client.post(url("claim_assign", claim.pk), {"assignee": editor.username}).status_code == 403


@pytest.mark.django_db
class TestAnnotations:
    def test_htmx_add_appends_the_note_and_empties_the_form(self, editor, editor_client, claim):
        response = editor_client.post(url("annotation_create", claim.pk), {"body": "Call the BSP press office"}, **HTMX)
        assert response.status_code == 200
        annotation = Annotation.objects.get()
        assert (annotation.claim, annotation.author, annotation.body) == (claim, editor, "Call the BSP press office")
        body = shown(response)
        assert is_fragment(response)
        assert body.lstrip().startswith(f'<li id="annotation-{annotation.pk}"')
        assert 'id="annotation-form"' in body and 'hx-swap-oob="true"' in body
        assert "Call the BSP press office</textarea>" not in body

    def test_plain_add_redirects_to_the_note(self, editor_client, claim):
        response = editor_client.post(url("annotation_create", claim.pk), {"body": "Plain note"})
        annotation = Annotation.objects.get()
        assert response["Location"] == f"{claim.get_absolute_url()}#annotation-{annotation.pk}"

    @pytest.mark.parametrize(
        "body, message",
        [("", "Write something before saving the note."), ("   ", "Write something"), ("x" * 5001, "at most 5000")],
    )
    def test_bad_note_is_explained_and_nothing_is_saved(self, editor_client, claim, body, message):
        response = editor_client.post(url("annotation_create", claim.pk), {"body": body}, **HTMX)
        assert response.status_code == 422
        assert message in shown(response)
        assert response["HX-Retarget"] == "#annotation-form"
        assert not Annotation.objects.exists()

    def test_a_rejected_note_keeps_what_was_typed(self, editor_client, claim):
        long_note = "y" * 5001
        response = editor_client.post(url("annotation_create", claim.pk), {"body": long_note})
        assert long_note in shown(response)

    def test_viewer_cannot_add(self, viewer_client, claim):
        assert viewer_client.post(url("annotation_create", claim.pk), {"body": "Hi"}).status_code == 403
        assert not Annotation.objects.exists()

    def test_edit_own_note_in_place(self, editor, editor_client, claim):
        annotation = AnnotationFactory(claim=claim, author=editor, body="First thought")
        form = editor_client.get(url("annotation_edit", annotation.pk), **HTMX)
        assert is_fragment(form)
        assert "First thought</textarea>" in shown(form)
        field = f"annotation-{annotation.pk}-body"
        response = editor_client.post(url("annotation_edit", annotation.pk), {field: "Second thought"}, **HTMX)
        assert response.status_code == 200
        assert "Second thought" in shown(response)
        annotation.refresh_from_db()
        assert annotation.body == "Second thought"

    def test_edit_without_javascript_shows_the_page_with_the_form(self, editor, editor_client, claim):
        annotation = AnnotationFactory(claim=claim, author=editor, body="First thought")
        page = editor_client.get(url("annotation_edit", annotation.pk))
        assert not is_fragment(page)
        assert "First thought</textarea>" in shown(page)
        response = editor_client.post(url("annotation_edit", annotation.pk), {f"annotation-{annotation.pk}-body": ""})
        assert response.status_code == 422
        annotation.refresh_from_db()
        assert annotation.body == "First thought"

    def test_cannot_edit_or_delete_someone_elses_note(self, editor_client, other_editor, claim):
        annotation = AnnotationFactory(claim=claim, author=other_editor, body="Edna's note")
        field = f"annotation-{annotation.pk}-body"
        assert editor_client.get(url("annotation_edit", annotation.pk)).status_code == 403
        assert editor_client.post(url("annotation_edit", annotation.pk), {field: "Hijacked"}).status_code == 403
        assert editor_client.post(url("annotation_delete", annotation.pk), **HTMX).status_code == 403
        annotation.refresh_from_db()
        assert annotation.body == "Edna's note"
        page = shown(editor_client.get(claim.get_absolute_url()))
        assert url("annotation_edit", annotation.pk) not in page

    def test_delete_own_note(self, editor, editor_client, claim):
        annotation = AnnotationFactory(claim=claim, author=editor)
        response = editor_client.post(url("annotation_delete", annotation.pk), **HTMX)
        assert response.status_code == 200 and response.content == b""
        assert not Annotation.objects.exists()

    def test_delete_without_javascript_redirects(self, editor, editor_client, claim):
        annotation = AnnotationFactory(claim=claim, author=editor)
        response = editor_client.post(url("annotation_delete", annotation.pk))
        assert response["Location"] == f"{claim.get_absolute_url()}#annotations"

    def test_cancel_edit_shows_the_note_again(self, editor, editor_client, claim):
        annotation = AnnotationFactory(claim=claim, author=editor, body="Kept")
        response = editor_client.get(url("annotation_detail", annotation.pk), **HTMX)
        assert shown(response).lstrip().startswith(f'<li id="annotation-{annotation.pk}"')
        assert editor_client.get(url("annotation_detail", annotation.pk)).status_code == 302


@pytest.mark.django_db
class TestEvidence:
    def test_add_a_web_page(self, editor, editor_client, claim):
        response = editor_client.post(
            url("evidence_create", claim.pk),
            {"url": "https://www.bsp.gov.ph/statistics", "stance": "refutes", "excerpt": "Russia: 2012 inflow"},
            **HTMX,
        )
        assert response.status_code == 200
        evidence = Evidence.objects.get()
        assert (evidence.claim, evidence.stance, evidence.added_by) == (claim, "refutes", editor)
        assert shown(response).lstrip().startswith(f'<li id="evidence-{evidence.pk}"')
        assert 'id="evidence-form"' in shown(response)

    def test_add_a_known_source(self, editor_client, claim):
        bsp = SourceFactory(title="BSP FDI statistics", kind="official_statistics")
        editor_client.post(url("evidence_create", claim.pk), {"source": bsp.pk, "stance": "context"})
        assert Evidence.objects.get().source == bsp

    @pytest.mark.parametrize(
        "data, message",
        [
            ({"stance": "supports"}, "Give the evidence a source or a URL."),
            ({"url": "not a url", "stance": "supports"}, "Enter a valid URL."),
            ({"url": "https://example.org", "stance": "agrees"}, "Select a valid choice"),
            ({"url": "https://example.org", "stance": "supports", "excerpt": "x" * 5001}, "at most 5000"),
        ],
    )
    def test_bad_evidence_is_explained_and_nothing_is_saved(self, editor_client, claim, data, message):
        response = editor_client.post(url("evidence_create", claim.pk), data, **HTMX)
        assert response.status_code == 422
        assert message in shown(response)
        assert not Evidence.objects.exists()

    def test_viewer_cannot_add(self, viewer_client, claim):
        data = {"url": "https://example.org", "stance": "supports"}
        assert viewer_client.post(url("evidence_create", claim.pk), data).status_code == 403
        assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_history_panel_shows_a_change_after_it_is_made(editor_client, claim):
    editor_client.post(url("claim_transition", claim.pk), {"target": "researching", "note": "On it"}, **HTMX)
    panel = shown(editor_client.get(claim.get_absolute_url(), HTTP_HX_TARGET="claim-history", **HTMX))
    assert "moved it from <em>New</em> to <em>Researching</em>" in panel
    assert "On it" in panel
    assert ClaimEvent.objects.count() == 1


@pytest.mark.django_db
def test_a_user_without_a_role_is_refused_everything(client, claim):
    client.force_login(UserFactory())
    assert client.get(reverse("claims:claim_list")).status_code == 403
    assert client.get(claim.get_absolute_url()).status_code == 403
    assert client.post(url("claim_transition", claim.pk), {"target": "researching"}).status_code == 403


@pytest.mark.django_db
class TestEditConflicts:
    """A save based on a copy someone else has changed since is refused with what they changed."""

    def stale_verdict_post(self, client, claim, headers):
        return client.post(
            url("claim_verdict", claim.pk),
            {"verdict": "false", "rationale": "The bank's table has no 1999 row.", "based_on": 1},
            **headers,
        )

    def test_htmx_gets_a_409_fragment_with_their_change_and_my_text(self, editor_client, other_editor):
        claim = ClaimFactory(researching=True)
        claim.set_verdict(Rating.objects.get(key="true"), by=other_editor, rationale="Matches the BSP table.")
        response = self.stale_verdict_post(editor_client, claim, HTMX)
        assert response.status_code == 409
        assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#verdict-panel", "outerHTML")
        body = shown(response)
        assert is_fragment(response)
        assert "Someone changed this claim while you were working on it" in body
        assert "edna</strong>\nrated it <em>True</em>" in body
        assert "The bank's table has no 1999 row.</textarea>" in body  # mine, kept to re-apply
        assert 'name="based_on" value="2"' in body  # based on theirs now
        claim.refresh_from_db()
        assert (claim.verdict.key, claim.rationale) == ("true", "Matches the BSP table.")

    def test_reapplying_after_seeing_the_conflict_saves_mine(self, editor_client, other_editor):
        claim = ClaimFactory(researching=True)
        claim.set_verdict(Rating.objects.get(key="true"), by=other_editor, rationale="Matches the BSP table.")
        self.stale_verdict_post(editor_client, claim, HTMX)
        response = editor_client.post(
            url("claim_verdict", claim.pk),
            {"verdict": "false", "rationale": "The bank's table has no 1999 row.", "based_on": 2},
            **HTMX,
        )
        assert response.status_code == 200
        claim.refresh_from_db()
        assert (claim.verdict.key, claim.version) == ("false", 3)
        assert list(claim.events.order_by("id").values_list("actor__username", flat=True)) == ["edna", "eddie"]

    def test_without_javascript_the_whole_page_says_so(self, editor_client, other_editor):
        claim = ClaimFactory(researching=True)
        claim.set_verdict(Rating.objects.get(key="true"), by=other_editor, rationale="Matches the BSP table.")
        response = self.stale_verdict_post(editor_client, claim, {})
        assert response.status_code == 409
        assert not is_fragment(response)
        assert "Your change was <strong>not saved</strong>" in shown(response)

    def test_a_stale_status_change_offers_to_apply_it_anyway(self, editor_client, other_editor):
        claim = ClaimFactory()
        claim.assign(other_editor, by=other_editor)
        response = editor_client.post(
            url("claim_transition", claim.pk), {"target": "researching", "based_on": 1}, **HTMX
        )
        assert response.status_code == 409
        body = shown(response)
        assert "edna</strong>\nassigned it to <em>edna</em>" in body
        assert "Apply mine anyway: Start research</button>" in body
        claim.refresh_from_db()
        assert claim.status == Status.NEW

    def test_a_stale_note_edit_shows_the_note_as_it_is_now(self, editor, editor_client):
        note = AnnotationFactory(author=editor, body="First draft")
        note.edit("Second draft, from the other tab", by=editor)
        prefix = f"annotation-{note.pk}"
        response = editor_client.post(
            reverse("claims:annotation_edit", args=[note.pk]),
            {f"{prefix}-body": "Third draft", f"{prefix}-based_on": 1},
            **HTMX,
        )
        assert response.status_code == 409
        body = shown(response)
        assert "Second draft, from the other tab" in body and "Third draft</textarea>" in body
        note.refresh_from_db()
        assert note.body == "Second draft, from the other tab"
