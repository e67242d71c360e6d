"""The desk: the claim list with its filters, sort, pages and counts per status."""

import re

import pytest
from django.urls import reverse

from claims.models import Rating
from claims.workflow import Status

from .conftest import HTMX, shown
from .factories import ClaimantFactory, ClaimFactory, SourceFactory, TagFactory, UserFactory

DESK = reverse("claims:claim_list")


@pytest.mark.django_db
class TestAccess:
    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(DESK)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next=/"

    def test_every_role_can_read_the_desk(self, viewer_client, editor_client, reviewer_client):
        for client in (viewer_client, editor_client, reviewer_client):
            assert client.get(DESK).status_code == 200

    def test_expired_session_on_htmx_request_redirects_the_whole_page(self, client):
        response = client.get(DESK, {"status": "new"}, **HTMX)
        assert response.status_code == 200
        assert response["HX-Redirect"].startswith(reverse("login"))

    def test_post_is_not_allowed(self, editor_client):
        assert editor_client.post(DESK).status_code == 405


@pytest.mark.django_db
class TestPageAndFragments:
    def test_full_request_gets_the_page(self, editor_client):
        ClaimFactory(summary="Exports doubled")
        response = editor_client.get(DESK)
        assert "<html" in shown(response)
        assert 'id="desk-filters"' in shown(response)
        assert "Exports doubled" in shown(response)
        assert "HX-Request" in response["Vary"]

    def test_htmx_filter_request_gets_only_the_results(self, editor_client):
        ClaimFactory(summary="Exports doubled")
        response = editor_client.get(DESK, {"q": "exports"}, HTTP_HX_TARGET="claim-results", **HTMX)
        body = shown(response)
        assert "<html" not in body
        assert body.lstrip().startswith('<section id="claim-results"')
        assert "Exports doubled" in body
        assert 'id="desk-filters"' not in body  # the form being typed in is left alone

    def test_status_tab_request_gets_the_filters_and_results(self, editor_client):
        response = editor_client.get(DESK, {"status": "new"}, HTTP_HX_TARGET="desk", **HTMX)
        body = shown(response)
        assert body.lstrip().startswith('<div id="desk"')
        assert 'id="desk-filters"' in body and 'id="claim-results"' in body

    def test_history_restore_gets_the_full_page(self, editor_client):
        response = editor_client.get(
            DESK, {"status": "new"}, HTTP_HX_TARGET="claim-results", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
        )
        assert "<html" in shown(response)

    def test_the_filter_form_pushes_its_address(self, editor_client):
        body = shown(editor_client.get(DESK))
        assert 'hx-push-url="true"' in body
        assert 'method="get"' in body  # without JavaScript the form still filters


@pytest.mark.django_db
class TestFilters:
    def test_filter_by_status(self, editor_client):
        ClaimFactory(summary="Fresh claim")
        ClaimFactory(summary="Claim under research", researching=True)
        body = shown(editor_client.get(DESK, {"status": "researching"}))
        assert "Claim under research" in body
        assert "Fresh claim" not in body

    def test_filter_by_verdict_key(self, editor_client):
        ClaimFactory(summary="Rated claim", in_review=True)  # mostly-true
        ClaimFactory(summary="Unrated claim")
        body = shown(editor_client.get(DESK, {"verdict": "mostly-true"}))
        assert "Rated claim" in body and "Unrated claim" not in body

    def test_filter_by_source(self, editor_client):
        wanted = ClaimFactory(summary="From the wanted source")
        ClaimFactory(summary="From elsewhere")
        body = shown(editor_client.get(DESK, {"source": wanted.source_id}))
        assert "From the wanted source" in body and "From elsewhere" not in body

    def test_filter_by_claimant(self, editor_client):
        khovaev = ClaimantFactory(name="Igor Khovaev")
        ClaimFactory(summary="The ambassador's claim", claimant=khovaev)
        ClaimFactory(summary="Someone else's claim")
        body = shown(editor_client.get(DESK, {"claimant": khovaev.pk}))
        assert "The ambassador's claim" in body and "Someone else's claim" not in body

    def test_filter_by_assignee_me_unassigned_and_username(self, editor, editor_client, other_editor):
        ClaimFactory(summary="Mine", assignee=editor)
        ClaimFactory(summary="Edna's", assignee=other_editor)
        ClaimFactory(summary="Nobody's")
        mine = shown(editor_client.get(DESK, {"assignee": "me"}))
        assert "Mine" in mine and "Edna's" not in mine and "Nobody's" not in mine
        unassigned = shown(editor_client.get(DESK, {"assignee": "none"}))
        assert "Nobody's" in unassigned and "Mine" not in unassigned
        ednas = shown(editor_client.get(DESK, {"assignee": "edna"}))
        assert "Edna's" in ednas and "Mine" not in ednas

    def test_filter_by_tag_name(self, editor_client):
        ClaimFactory(summary="Defence claim", tags=[TagFactory(name="defence")])
        ClaimFactory(summary="Trade claim", tags=[TagFactory(name="trade")])
        body = shown(editor_client.get(DESK, {"tag": "defence"}))
        assert "Defence claim" in body and "Trade claim" not in body

    def test_free_text_matches_summary_quote_claimant_and_source(self, editor_client):
        ClaimFactory(summary="Russia has had no FDI since 1999")
        ClaimFactory(summary="Quote match", quote="Remittances reached $43 million.")
        ClaimFactory(summary="Claimant match", claimant=ClaimantFactory(name="Andrey Klimov"))
        ClaimFactory(summary="Source match", source=SourceFactory(title="Mutual Defense Treaty"))
        ClaimFactory(summary="Unrelated")
        for query, expected in [
            ("fdi 1999", "Russia has had no FDI since 1999"),
            ("REMITTANCES", "Quote match"),
            ("klimov", "Claimant match"),
            ("treaty", "Source match"),
        ]:
            body = shown(editor_client.get(DESK, {"q": query}))
            assert expected in body
            assert "Unrelated" not in body

    def test_filters_combine(self, editor_client):
        tag = TagFactory(name="defence")
        ClaimFactory(summary="Researching defence", researching=True, tags=[tag])
        ClaimFactory(summary="New defence", tags=[tag])
        ClaimFactory(summary="Researching other", researching=True)
        body = shown(editor_client.get(DESK, {"status": "researching", "tag": "defence"}))
        assert "Researching defence" in body
        assert "New defence" not in body and "Researching other" not in body

    @pytest.mark.parametrize(
        "params, message",
        [
            ({"status": "bogus"}, "Select a valid choice"),
            ({"verdict": "pants-on-fire"}, "Select a valid choice"),
            ({"source": "not-a-number"}, "Select a valid choice"),
            ({"sort": "price"}, "Select a valid choice"),
            ({"q": "x" * 201}, "at most 200 characters"),
        ],
    )
    def test_a_bad_filter_is_reported_and_shows_nothing(self, editor_client, params, message):
        ClaimFactory(summary="Should not be listed")
        response = editor_client.get(DESK, params)
        body = shown(response)
        assert response.status_code == 200
        assert "Some filters could not be applied" in body
        assert message in body
        assert "Should not be listed" not in body

    def test_active_filters_offer_a_way_back(self, editor_client):
        body = shown(editor_client.get(DESK, {"status": "published"}))
        assert "Clear filters" in body
        assert "Clear filters" not in shown(editor_client.get(DESK))


@pytest.mark.django_db
class TestCountsSortAndPages:
    def test_counts_per_status_ignore_the_status_filter_but_keep_the_others(self, editor_client):
        tag = TagFactory(name="defence")
        ClaimFactory.create_batch(2, tags=[tag])
        ClaimFactory(researching=True, tags=[tag])
        ClaimFactory(researching=True)  # not tagged: not counted
        response = editor_client.get(DESK, {"tag": "defence", "status": "new"})
        counts = {status: count for status, _, count in response.context["status_counts"]}
        assert counts == {"new": 2, "researching": 1, "in_review": 0, "published": 0, "not_checkworthy": 0}
        assert response.context["total"] == 3
        assert response.context["page"].count == 2

    def test_counts_follow_a_change_at_once_and_are_cached_until_then(
        self, editor_client, editor, django_assert_max_num_queries
    ):
        claim = ClaimFactory()
        ClaimFactory(researching=True)
        first = editor_client.get(DESK).context["status_counts"]
        with django_assert_max_num_queries(20) as counted:
            editor_client.get(DESK)
        counting_queries = [query for query in counted.captured_queries if "GROUP BY" in query["sql"]]
        assert counting_queries == []  # the second look at the same desk counts nothing again

        claim.transition(Status.RESEARCHING, by=editor)
        counts = {status: count for status, _, count in editor_client.get(DESK).context["status_counts"]}

        assert {status: count for status, _, count in first}["researching"] == 1
        assert counts["researching"] == 2 and counts["new"] == 0

    def test_sort_by_status_follows_the_workflow(self, editor_client):
        ClaimFactory(summary="Published one", published=True)
        ClaimFactory(summary="New one")
        ClaimFactory(summary="Review one", in_review=True)
        claims = list(editor_client.get(DESK, {"sort": "status"}).context["page"].object_list)
        assert [claim.summary for claim in claims] == ["New one", "Review one", "Published one"]

    def test_sort_by_verdict_puts_truest_first_and_unrated_last(self, editor_client):
        ClaimFactory(summary="Unrated")
        ClaimFactory(summary="False", status=Status.RESEARCHING, verdict=Rating.objects.get(key="false"))
        ClaimFactory(summary="True", status=Status.RESEARCHING, verdict=Rating.objects.get(key="true"))
        claims = list(editor_client.get(DESK, {"sort": "verdict"}).context["page"].object_list)
        assert [claim.summary for claim in claims] == ["True", "False", "Unrated"]

    def test_default_sort_is_most_recently_changed(self, editor_client):
        older = ClaimFactory(summary="Older")
        ClaimFactory(summary="Newer")
        older.save()  # touched last
        claims = list(editor_client.get(DESK).context["page"].object_list)
        assert claims[0].summary == "Older"

    def test_pages_keep_the_filters(self, editor_client):
        ClaimFactory.create_batch(30, researching=True)
        ClaimFactory.create_batch(3)  # new: not in the filtered list
        response = editor_client.get(DESK, {"status": "researching"})
        body = shown(response)
        assert "Claims 1–25 of 30" in body
        next_link = re.search(r'href="\?(status=researching&after=[\w-]+)" rel="next"', body)
        assert next_link, "a next link that keeps the filter"
        second = editor_client.get(f"{DESK}?{next_link.group(1)}")
        assert len(second.context["page"].object_list) == 5
        assert "Claims 26–30 of 30" in shown(second)
        first_page = {claim.pk for claim in response.context["page"]}
        assert not first_page & {claim.pk for claim in second.context["page"]}

    def test_previous_goes_back_to_the_same_claims(self, editor_client):
        ClaimFactory.create_batch(30)
        first = editor_client.get(DESK)
        second = editor_client.get(DESK, {"after": first.context["page"].next_token})
        back = editor_client.get(DESK, {"before": second.context["page"].previous_token})
        assert [c.pk for c in back.context["page"]] == [c.pk for c in first.context["page"]]
        assert back.context["page"].start_index == 1 and not back.context["page"].has_previous

    def test_a_plain_form_submission_is_tidied_into_a_shareable_address(self, editor_client):
        # The form's first sort, best match, is the default: the address leaves it out.
        response = editor_client.get(DESK, {"q": "fdi", "status": "", "verdict": "", "sort": "relevance", "page": "1"})
        assert response.status_code == 302
        assert response["Location"] == "/?q=fdi"

    def test_htmx_pushes_the_tidy_address(self, editor_client):
        response = editor_client.get(DESK, {"q": "fdi 1999", "status": "new", "tag": ""}, **HTMX)
        assert response["HX-Push-Url"] == "/?q=fdi+1999&status=new"

    @pytest.mark.parametrize("token", ["not-a-token", "eyJ2IjpbMV0sImkiOjF9"])
    def test_a_page_address_that_cannot_be_read_shows_the_first_page(self, editor_client, token):
        ClaimFactory.create_batch(3)
        response = editor_client.get(DESK, {"after": token})
        assert response.status_code == 200 and response.context["page"].start_index == 1
        assert len(response.context["page"].object_list) == 3

    @pytest.mark.parametrize("rows", [1, 50])
    def test_queries_do_not_grow_with_rows(self, editor_client, django_assert_max_num_queries, rows):
        tag = TagFactory(name="defence")
        assignee = UserFactory(role="editor")
        ClaimFactory.create_batch(rows, tags=[tag], assignee=assignee, in_review=True)
        # session, user, permissions ×2, the filter's tag, the newest change (the counts' cache key),
        # per-status counts (+ its tag), the header's groups, five filter menus (sources and
        # claimants limited), the page of claims and their tags, the status names ×2
        with django_assert_max_num_queries(20):
            response = editor_client.get(DESK, {"tag": "defence"})
        assert response.status_code == 200
        with django_assert_max_num_queries(12):
            editor_client.get(DESK, {"tag": "defence"}, HTTP_HX_TARGET="claim-results", **HTMX)


class TestLongMenus:
    def test_the_source_menu_lists_the_latest_and_the_chosen_one(self, editor_client):
        chosen = SourceFactory(title="The chosen report")
        SourceFactory.create_batch(60)
        response = editor_client.get(DESK, {"source": chosen.pk})
        options = response.context["filter"].form.fields["source"].widget.choices
        assert len(options) == 1 + 1 + 50  # "Any source", the chosen one, the latest fifty
        assert (chosen.pk, str(chosen)) in options

    def test_the_finder_narrows_a_menu_by_name_and_keeps_the_choice(self, editor_client):
        khovaev = ClaimantFactory(name="Igor Khovaev")
        ClaimantFactory(name="Andrey Klimov")
        chosen = ClaimantFactory(name="Rodrigo Duterte")
        url = reverse("claims:filter_options", args=["claimant"])
        response = editor_client.get(url, {"find": "khov", "claimant": chosen.pk}, **HTMX)
        body = response.content.decode()
        assert f'<option value="{khovaev.pk}">Igor Khovaev</option>' in body
        assert f'<option value="{chosen.pk}" selected>Rodrigo Duterte</option>' in body
        assert "Klimov" not in body

    def test_without_htmx_the_finder_leads_back_to_the_desk(self, editor_client):
        response = editor_client.get(reverse("claims:filter_options", args=["source"]), {"find": "x"})
        assert response.status_code == 302 and response["Location"] == DESK

    def test_an_unknown_menu_is_not_found(self, editor_client):
        assert editor_client.get(reverse("claims:filter_options", args=["users"]), **HTMX).status_code == 404

    def test_the_evidence_menu_on_a_claim_page_is_limited_too(self, editor_client):
        claim = ClaimFactory()
        SourceFactory.create_batch(60)
        response = editor_client.get(claim.get_absolute_url())
        options = response.context["evidence_form"].fields["source"].widget.choices
        assert len(options) == 1 + 50
        assert 'placeholder="Find a source…"' in response.content.decode()
