"""Assignment and queues: my queue, review mode walking it, and what others changed
on the claims I opened since I last looked."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimEvent, ClaimVisit
from claims.workflow import Status

from .conftest import HTMX, is_fragment, shown
from .factories import ClaimFactory, EvidenceFactory, UserFactory

QUEUE = reverse("claims:my_queue")
REVIEW = reverse("claims:queue_review")
SEEN = reverse("claims:mark_all_seen")
DESK = reverse("claims:claim_list")


def review(claim) -> str:
    return reverse("claims:queue_review_claim", args=[claim.pk])


def act(claim) -> str:
    return reverse("claims:queue_review_transition", args=[claim.pk])


def waiting(claim, minutes: int) -> Claim:
    """The claim, last changed `minutes` ago (the queue reads oldest-waiting first)."""
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now() - timedelta(minutes=minutes))
    claim.refresh_from_db()
    return claim


def ready_to_publish(proposer, **kwargs) -> Claim:
    """A claim in review with everything publishing needs, its verdict proposed by `proposer`."""
    claim = ClaimFactory(in_review=True, verdict_by=proposer, **kwargs)
    EvidenceFactory(claim=claim)
    return claim


def triggered(response) -> set[str]:
    return set(json.loads(response.get("HX-Trigger", "{}")))


def queue_of(client) -> list[str]:
    return [claim.summary for claim in client.get(QUEUE).context["my_queue"]]


@pytest.mark.django_db
class TestAccess:
    def test_anonymous_is_sent_to_login(self, client):
        claim = ClaimFactory()
        for address in (QUEUE, REVIEW, review(claim)):
            response = client.get(address)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        assert client.post(act(claim), {"target": "researching"})["Location"].startswith(reverse("login"))
        assert client.post(SEEN)["Location"].startswith(reverse("login"))

    def test_viewer_sees_changes_but_has_no_queue(self, viewer_client):
        response = viewer_client.get(QUEUE)
        assert response.status_code == 200
        assert "a queue of claims to work on needs an editor's account" in shown(response)
        assert 'id="queue-link"' not in shown(response)  # no "My queue" in the nav

    def test_viewer_cannot_use_review_mode(self, viewer_client):
        claim = ClaimFactory()
        assert viewer_client.get(REVIEW).status_code == 403
        assert viewer_client.get(review(claim)).status_code == 403

    def test_viewer_cannot_act_from_review_mode(self, viewer_client):
        claim = ClaimFactory()
        response = viewer_client.post(act(claim), {"target": "researching", "based_on": claim.version})
        assert response.status_code == 403
        claim.refresh_from_db()
        assert claim.status == Status.NEW

    def test_viewer_may_mark_their_own_visits_seen(self, viewer_client):
        assert viewer_client.post(SEEN).status_code == 302

    def test_methods(self, editor_client):
        claim = ClaimFactory()
        assert editor_client.post(QUEUE).status_code == 405
        assert editor_client.post(REVIEW).status_code == 405
        assert editor_client.post(review(claim)).status_code == 405
        assert editor_client.get(act(claim)).status_code == 405
        assert editor_client.get(SEEN).status_code == 405

    def test_missing_claim_is_404(self, editor_client):
        assert editor_client.get(reverse("claims:queue_review_claim", args=[999999])).status_code == 404


@pytest.mark.django_db
class TestMyQueue:
    def test_editor_gets_their_new_and_researching_claims(self, editor, editor_client, other_editor):
        ClaimFactory(summary="Mine, new", assignee=editor)
        ClaimFactory(summary="Mine, researching", assignee=editor, researching=True)
        ClaimFactory(summary="Mine, in review", assignee=editor, in_review=True)
        ClaimFactory(summary="Mine, published", assignee=editor, published=True)
        ClaimFactory(summary="Edna's", assignee=other_editor)
        ClaimFactory(summary="Nobody's")
        ClaimFactory(summary="Waiting for a reviewer", in_review=True, verdict_by=other_editor)
        assert sorted(queue_of(editor_client)) == ["Mine, new", "Mine, researching"]
        assert "assigned to you" in shown(editor_client.get(QUEUE))

    def test_reviewer_gets_claims_to_review_and_unclaimed_ones_of_others(self, reviewer, reviewer_client, editor):
        ClaimFactory(summary="Asked to review", in_review=True, reviewer=reviewer, verdict_by=editor)
        ClaimFactory(summary="Nobody asked yet", in_review=True, verdict_by=editor)
        ClaimFactory(summary="No proposer recorded", in_review=True)
        ClaimFactory(summary="Own proposal", in_review=True, verdict_by=reviewer)
        ClaimFactory(summary="Someone else reviews", in_review=True, reviewer=UserFactory(role="reviewer"))
        ClaimFactory(summary="Reviewer of a claim still researched", researching=True, reviewer=reviewer)
        assert sorted(queue_of(reviewer_client)) == ["Asked to review", "No proposer recorded", "Nobody asked yet"]
        body = shown(reviewer_client.get(QUEUE))
        assert "you are the reviewer" in body
        assert "waiting for a reviewer" in body

    def test_editor_is_not_offered_claims_waiting_for_a_reviewer(self, editor_client, other_editor):
        ClaimFactory(in_review=True, verdict_by=other_editor)
        assert queue_of(editor_client) == []

    def test_each_row_says_why_and_links_to_the_claim_and_review_mode(self, editor, editor_client):
        claim = ClaimFactory(summary="Exports doubled", assignee=editor, in_review=False)
        body = shown(editor_client.get(QUEUE))
        assert f'href="{claim.get_absolute_url()}"' in body
        assert f'href="{review(claim)}"' in body
        assert 'data-status="new"' in body and "No verdict" in body  # status and verdict badges
        assert "assigned to you" in body

    def test_oldest_waiting_first_with_ties_in_id_order(self, editor, editor_client):
        waiting(ClaimFactory(summary="Recent", assignee=editor), 1)
        oldest = waiting(ClaimFactory(summary="Oldest", assignee=editor), 60)
        tie = ClaimFactory(summary="Tie", assignee=editor)
        Claim.objects.filter(pk=tie.pk).update(updated_at=oldest.updated_at)
        assert queue_of(editor_client) == ["Oldest", "Tie", "Recent"]

    def test_empty_queue_says_so(self, editor_client):
        body = shown(editor_client.get(QUEUE))
        assert "Your queue is empty" in body
        assert f'href="{REVIEW}"' not in body


@pytest.mark.django_db
class TestNavCount:
    def test_editors_get_the_link_and_it_counts_on_load(self, editor, editor_client):
        ClaimFactory.create_batch(2, assignee=editor)
        desk = shown(editor_client.get(DESK))
        assert 'id="queue-link"' in desk
        assert 'hx-trigger="load, claim-changed from:body"' in desk
        response = editor_client.get(QUEUE, HTTP_HX_TARGET="queue-link", **HTMX)
        body = shown(response)
        assert is_fragment(response)
        assert body.lstrip().startswith('<a id="queue-link"')
        assert "My queue (2)" in body
        assert "HX-Target" in response["Vary"]

    def test_the_queue_page_counts_without_asking_again(self, editor, editor_client):
        ClaimFactory(assignee=editor)
        body = shown(editor_client.get(QUEUE))
        assert "My queue (1)" in body
        assert 'hx-trigger="claim-changed from:body"' in body


@pytest.mark.django_db
class TestReviewMode:
    @pytest.fixture
    def three(self, editor):
        return [waiting(ClaimFactory(summary=f"Claim {n}", assignee=editor), 30 - n) for n in (1, 2, 3)]

    def test_starts_at_the_oldest_claim(self, editor_client, three):
        response = editor_client.get(REVIEW)
        assert response.status_code == 302
        assert response["Location"] == review(three[0])

    def test_shows_the_position_and_the_way_on(self, editor_client, three):
        first = shown(editor_client.get(review(three[0])))
        assert "1 of 3" in first
        assert 'rel="prev"' not in first
        middle = shown(editor_client.get(review(three[1])))
        assert "2 of 3" in middle
        assert 'rel="prev"' in middle and 'rel="next"' in middle

    def test_next_and_previous_follow_the_queue(self, editor_client, three):
        page = editor_client.get(review(three[1]))
        next_url, previous_url = page.context["next_url"], page.context["previous_url"]
        assert editor_client.get(next_url)["Location"] == review(three[2])
        assert editor_client.get(previous_url)["Location"] == review(three[0])

    def test_next_skips_a_claim_that_left_the_queue_meanwhile(self, editor_client, three, other_editor):
        next_url = editor_client.get(review(three[0])).context["next_url"]
        three[1].transition(Status.NOT_CHECKWORTHY, by=other_editor)
        assert editor_client.get(next_url)["Location"] == review(three[2])

    def test_past_the_last_claim_is_the_end_of_the_queue(self, editor_client, three):
        page = editor_client.get(review(three[2]))
        assert "3 of 3" in shown(page)
        assert "End of the queue" in shown(page)
        end = editor_client.get(page.context["next_url"])
        assert end.status_code == 200
        assert "End of your queue" in shown(end)
        assert "3 claims are still in it" in shown(end)

    @pytest.mark.parametrize("place", ["nonsense", "99999999999999999999-1", ""])
    def test_a_place_that_is_not_one_starts_at_the_first_claim(self, editor_client, three, place):
        assert editor_client.get(REVIEW, {"after": place})["Location"] == review(three[0])
        assert editor_client.get(REVIEW, {"before": place})["Location"] == review(three[0])

    def test_empty_queue_says_so(self, editor_client):
        response = editor_client.get(REVIEW)
        assert response.status_code == 200
        assert "Your queue is empty" in shown(response)

    def test_a_claim_outside_the_queue_says_so(self, editor_client, three):
        other = ClaimFactory(published=True)
        body = shown(editor_client.get(review(other)))
        assert "not in your queue" in body
        assert "This claim is not waiting for you any more: it is published" in body

    def test_shows_the_claim_to_judge(self, reviewer_client, editor):
        claim = ready_to_publish(editor, summary="Exports doubled", quote="Exports doubled in 2023.")
        claim.evidence.update(excerpt="Customs table 4")
        body = shown(reviewer_client.get(review(claim)))
        assert '<mark class="quote">Exports doubled in 2023.</mark>' in body
        assert "In a statement on Monday, officials said: " in body  # the quote's passage
        assert "The figures match the central bank's tables." in body  # the rationale
        assert "Customs table 4" in body
        assert f"proposed by {editor.username}" in body

    def test_shows_the_latest_changes(self, editor, editor_client):
        claim = ClaimFactory(assignee=editor)
        claim.transition(Status.RESEARCHING, by=editor, note="Checking the customs data")
        body = shown(editor_client.get(review(claim)))
        assert "moved it from <em>New</em> to <em>Researching</em>" in body
        assert "Checking the customs data" in body

    def test_offers_the_moves_of_the_claim_page_with_what_blocks_them(self, reviewer_client, editor):
        claim = ClaimFactory(in_review=True, verdict_by=editor)  # no evidence yet
        body = shown(reviewer_client.get(review(claim)))
        assert '<button type="submit" name="target" value="researching"' in body
        assert "add at least one piece of evidence" in body
        assert f'action="{act(claim)}"' in body
        assert f'name="based_on" value="{claim.version}"' in body

    def test_the_legend_lists_every_shortcut_the_page_binds(self, reviewer_client, editor):
        waiting(ready_to_publish(editor), 10)  # one before, so "previous" is bound too
        claim = ready_to_publish(editor)
        body = shown(reviewer_client.get(review(claim)))
        legend = body[body.index('id="shortcut-legend"') :]
        for key in ("j", "→", "k", "←", "a", "m", "o", "?"):
            assert f"<kbd>{key}</kbd>" in legend
        for binding in ("j ArrowRight", "k ArrowLeft", "a", "m", "o", "?"):
            assert f'data-shortcut="{binding}"' in body
        publish = body[body.index('value="published"') :]
        assert publish.index('data-shortcut="a"') < publish.index("</button>")  # on the approve button
        note = body[body.index("<textarea") : body.index("</textarea>")]
        assert 'data-shortcut="m"' in note  # on the note field

    def test_keys_for_moves_the_user_cannot_make_are_not_bound(self, editor_client, editor):
        claim = ClaimFactory(assignee=editor)
        body = shown(editor_client.get(review(claim)))
        assert 'data-shortcut="a"' not in body
        assert 'data-shortcut="m"' not in body

    def test_reviewing_a_claim_counts_as_looking_at_it(self, editor, editor_client):
        claim = ClaimFactory(assignee=editor)
        editor_client.get(review(claim))
        assert ClaimVisit.objects.filter(user=editor, claim=claim).exists()


@pytest.mark.django_db
class TestReviewActions:
    def test_approving_records_the_move_and_goes_on_to_the_next_claim(self, reviewer, reviewer_client, editor):
        first = waiting(ready_to_publish(editor, summary="First"), 20)
        second = waiting(ready_to_publish(editor, summary="Second"), 10)
        page = reviewer_client.get(review(first))
        response = reviewer_client.post(
            act(first), {"target": "published", "based_on": first.version, "next": page.context["next_url"]}
        )
        assert response.status_code == 302
        landed = reviewer_client.get(response["Location"])
        assert landed["Location"] == review(second)
        first.refresh_from_db()
        assert (first.status, first.published_by) == (Status.PUBLISHED, reviewer)
        event = ClaimEvent.objects.get(claim=first, field="status")
        assert (event.actor, event.new_value) == (reviewer, Status.PUBLISHED)
        after = shown(reviewer_client.get(landed["Location"]))
        assert "1 of 1" in after
        assert "is now published" in after  # the message about the step just taken

    def test_without_a_next_field_it_still_goes_on(self, editor, editor_client):
        first = waiting(ClaimFactory(assignee=editor), 20)
        second = waiting(ClaimFactory(assignee=editor), 10)
        response = editor_client.post(act(first), {"target": "researching", "based_on": first.version})
        assert editor_client.get(response["Location"])["Location"] == review(second)

    def test_a_claim_that_stays_in_the_queue_goes_to_its_back_and_is_not_met_again_at_once(self, editor, editor_client):
        first = waiting(ClaimFactory(summary="Started", assignee=editor), 20)
        second = waiting(ClaimFactory(summary="Next one", assignee=editor), 10)
        response = editor_client.post(act(first), {"target": "researching", "based_on": first.version})
        assert editor_client.get(response["Location"])["Location"] == review(second)
        assert queue_of(editor_client) == ["Next one", "Started"]

    def test_the_last_claim_leads_to_the_end_of_the_queue(self, editor, editor_client):
        claim = ClaimFactory(assignee=editor)
        response = editor_client.post(act(claim), {"target": "not_checkworthy", "based_on": claim.version})
        end = editor_client.get(response["Location"])
        assert end.status_code == 200
        assert "Your queue is empty" in shown(end)

    def test_asking_for_more_evidence_needs_a_note(self, reviewer_client, reviewer, editor):
        claim = ClaimFactory(in_review=True, reviewer=reviewer, verdict_by=editor)
        response = reviewer_client.post(act(claim), {"target": "researching", "based_on": claim.version})
        assert response.status_code == 422
        assert "Say what is missing" in shown(response)
        claim.refresh_from_db()
        assert claim.status == Status.IN_REVIEW
        response = reviewer_client.post(
            act(claim), {"target": "researching", "based_on": claim.version, "note": "Find the 1999 row"}
        )
        assert response.status_code == 302
        claim.refresh_from_db()
        assert claim.status == Status.RESEARCHING
        assert claim.events.get(field="status").note == "Find the 1999 row"

    def test_a_blocked_move_is_refused_with_its_reason(self, reviewer_client, editor):
        claim = ClaimFactory(in_review=True, verdict_by=editor)  # no evidence
        response = reviewer_client.post(act(claim), {"target": "published", "based_on": claim.version})
        assert response.status_code == 422
        assert "add at least one piece of evidence" in shown(response)
        claim.refresh_from_db()
        assert claim.status == Status.IN_REVIEW

    def test_a_move_the_user_may_not_make_is_refused(self, editor_client, other_editor):
        claim = ready_to_publish(other_editor)
        response = editor_client.post(act(claim), {"target": "published", "based_on": claim.version})
        assert response.status_code == 403
        assert "You are not allowed to “Approve and publish”" in shown(response)
        claim.refresh_from_db()
        assert claim.status == Status.IN_REVIEW

    def test_a_stale_copy_is_a_conflict_and_keeps_the_note(self, reviewer, reviewer_client, editor, other_editor):
        claim = ClaimFactory(in_review=True, reviewer=reviewer, verdict_by=editor)
        stale = claim.version
        claim.assign(other_editor, by=other_editor)  # someone else, meanwhile
        response = reviewer_client.post(
            act(claim), {"target": "researching", "based_on": stale, "note": "Check the base year"}
        )
        assert response.status_code == 409
        body = shown(response)
        assert "Your step was <strong>not taken</strong>" in body
        assert "assigned it to <em>edna</em>" in body
        assert "Check the base year" in body
        claim.refresh_from_db()
        assert claim.status == Status.IN_REVIEW
        assert f'name="based_on" value="{claim.version}"' in body

    def test_a_next_address_elsewhere_is_ignored(self, editor, editor_client):
        claim = ClaimFactory(assignee=editor)
        response = editor_client.post(
            act(claim), {"target": "researching", "based_on": claim.version, "next": "https://evil.example/"}
        )
        assert response.status_code == 302
        assert response["Location"].startswith(f"{REVIEW}?after=")


@pytest.mark.django_db
class TestChangedSinceILooked:
    @pytest.fixture
    def opened(self, editor_client):
        """Claims the editor has opened: one that Edna changes afterwards, one the editor changes."""

        def open_claim(**kwargs):
            claim = ClaimFactory(**kwargs)
            editor_client.get(claim.get_absolute_url())
            return claim

        return open_claim

    def test_lists_others_changes_to_claims_i_opened_and_not_mine(self, editor, editor_client, other_editor, opened):
        theirs = opened(summary="Edna moved it")
        mine = opened(summary="I moved it")
        never_opened = ClaimFactory(summary="Never opened")
        theirs.transition(Status.RESEARCHING, by=other_editor)
        mine.transition(Status.RESEARCHING, by=editor)
        never_opened.transition(Status.RESEARCHING, by=other_editor)
        body = shown(editor_client.get(QUEUE))
        section = body[body.index('id="changed-since"') :]
        assert "Edna moved it" in section
        assert "by edna" in section
        assert "I moved it" not in section and "Never opened" not in section

    def test_opening_the_claim_again_clears_it(self, editor_client, other_editor, opened):
        claim = opened(summary="Edna moved it")
        claim.transition(Status.RESEARCHING, by=other_editor)
        editor_client.get(claim.get_absolute_url())
        assert "Edna moved it" not in shown(editor_client.get(QUEUE))

    def test_the_panel_refreshes_itself_as_a_fragment(self, editor_client, other_editor, opened):
        opened(summary="Edna moved it").transition(Status.RESEARCHING, by=other_editor)
        response = editor_client.get(QUEUE, HTTP_HX_TARGET="changed-since", **HTMX)
        body = shown(response)
        assert is_fragment(response)
        assert body.lstrip().startswith('<section id="changed-since"')
        assert 'hx-trigger="every 30s"' in body
        assert "Edna moved it" in body
        assert "My queue" not in body

    def test_the_desk_loads_the_panel_and_marks_changed_rows(self, editor_client, other_editor, opened):
        changed = opened(summary="Edna moved it")
        quiet = opened(summary="Nobody touched it")
        changed.transition(Status.RESEARCHING, by=other_editor)
        body = shown(editor_client.get(DESK))
        assert 'id="changed-since"' in body
        assert 'hx-trigger="load, every 30s"' in body
        assert f'href="{QUEUE}#changed-since"' in body  # without JavaScript, a link to the list
        row = body[body.index(f'id="claim-row-{changed.pk}"') :]
        assert 'class="badge changed-marker"' in row[: row.index("</tr>")]
        row = body[body.index(f'id="claim-row-{quiet.pk}"') :]
        assert "changed-marker" not in row[: row.index("</tr>")]

    def test_the_desk_can_show_only_the_changed_claims(self, editor_client, other_editor, opened):
        opened(summary="Edna moved it").transition(Status.RESEARCHING, by=other_editor)
        opened(summary="Nobody touched it")
        body = shown(editor_client.get(DESK, {"changed": "since-seen"}))
        assert "Edna moved it" in body
        assert "Nobody touched it" not in body

    def test_mark_all_as_seen_clears_the_list_and_the_markers(self, editor_client, other_editor, opened):
        claim = opened(summary="Edna moved it")
        claim.transition(Status.RESEARCHING, by=other_editor)
        as_of = editor_client.get(QUEUE).context["changes"]()["as_of"]
        response = editor_client.post(SEEN, {"as_of": as_of})
        assert response.status_code == 302
        assert response["Location"] == f"{QUEUE}#changed-since"
        assert "Edna moved it" not in shown(editor_client.get(QUEUE))
        assert "changed-marker" not in shown(editor_client.get(DESK))

    def test_mark_all_as_seen_keeps_changes_made_after_the_list_was_shown(self, editor_client, other_editor, opened):
        claim = opened(summary="Edna moved it")
        claim.transition(Status.RESEARCHING, by=other_editor)
        as_of = editor_client.get(QUEUE).context["changes"]()["as_of"]
        claim.transition(Status.NOT_CHECKWORTHY, by=other_editor)
        editor_client.post(SEEN, {"as_of": as_of})
        assert "Edna moved it" in shown(editor_client.get(QUEUE))

    def test_mark_all_as_seen_with_htmx_returns_the_empty_panel(self, editor_client, other_editor, opened):
        opened(summary="Edna moved it").transition(Status.RESEARCHING, by=other_editor)
        response = editor_client.post(SEEN, **HTMX)
        assert response.status_code == 200
        assert is_fragment(response)
        body = shown(response)
        assert body.lstrip().startswith('<section id="changed-since"')
        assert "Nobody else has changed the claims you opened" in body
        assert "changes-seen" in triggered(response)


@pytest.mark.django_db
class TestQueries:
    @pytest.mark.parametrize("rows", [1, 30])
    def test_queue_page(self, reviewer, reviewer_client, editor, django_assert_max_num_queries, rows):
        for claim in ClaimFactory.create_batch(rows, in_review=True, verdict_by=editor):
            reviewer_client.get(claim.get_absolute_url())
            claim.assign(editor, by=editor)  # changed by someone else since
        # session, user, permissions ×2, the header's groups, the nav's count, the queue,
        # the status names, the changed claims
        with django_assert_max_num_queries(10):
            response = reviewer_client.get(QUEUE)
        assert len(response.context["my_queue"]) == rows
        with django_assert_max_num_queries(6):
            reviewer_client.get(QUEUE, HTTP_HX_TARGET="changed-since", **HTMX)
        with django_assert_max_num_queries(5):
            reviewer_client.get(QUEUE, HTTP_HX_TARGET="queue-link", **HTMX)

    @pytest.mark.parametrize("rows", [1, 30])
    def test_review_page(self, reviewer_client, editor, django_assert_max_num_queries, rows):
        claims = [ready_to_publish(editor) for _ in range(rows)]
        EvidenceFactory.create_batch(3, claim=claims[0])
        # session, user, permissions ×2, the claim, the queue's places, evidence exists, the header's
        # groups, the status names, evidence, events, and the visit (a select, then an update or an
        # insert, in two savepoints, as the claim page writes it)
        with django_assert_max_num_queries(17):
            response = reviewer_client.get(review(claims[0]))
        assert response.status_code == 200

    @pytest.mark.parametrize("rows", [1, 30])
    def test_the_desk_marks_rows_in_one_query(self, editor_client, other_editor, django_assert_max_num_queries, rows):
        claims = ClaimFactory.create_batch(rows)
        for claim in claims:
            editor_client.get(claim.get_absolute_url())
            claim.transition(Status.RESEARCHING, by=other_editor)
        # the desk's own budget (tests/test_desk.py): the markers come with the page of claims
        with django_assert_max_num_queries(18):
            body = shown(editor_client.get(DESK))
        assert body.count('class="badge changed-marker"') == min(rows, 25)  # a page of the desk


def test_a_long_queue_lists_the_hundred_that_waited_longest_and_says_how_many_there_are(editor, editor_client):
    from claims.queue_views import QUEUE_SHOWN

    ClaimFactory.create_batch(QUEUE_SHOWN + 5, researching=True, assignee=editor)
    response = editor_client.get(reverse("claims:my_queue"))
    page = shown(response)
    assert page.count('id="queue-row-') == QUEUE_SHOWN
    assert f"The {QUEUE_SHOWN} that have waited longest of the {QUEUE_SHOWN + 5} in your queue are listed" in page
