"""Full-text search: what matches, in which order, how the indexes follow every write,
searching sources, and the desk's search. The suite runs on SQLite and on PostgreSQL
with the same expectations, so both databases find the same claims in the same order."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from claims import search
from claims.models import Claim, Source

from .conftest import HTMX, shown
from .factories import ClaimantFactory, ClaimFactory, SourceFactory, UserFactory

DESK = reverse("claims:claim_list")
POSTGRES = connection.vendor == "postgresql"


def found(text, queryset=None) -> list[str]:
    """Summaries of the claims a search finds, best match first as the desk sorts them."""
    claims = search.search_claims(queryset if queryset is not None else Claim.objects.all(), text)
    if search.is_ranked(claims):
        claims = claims.order_by(f"-{search.RANK}", "-updated_at", "-id")
    return [claim.summary for claim in claims]


def changed_at(claim, minutes_ago):
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))


def indexed(model) -> set[int]:
    """The ids of the rows the search index holds (SQLite) or has words for (PostgreSQL)."""
    if connection.vendor == "sqlite":
        sql = f"SELECT rowid FROM {model._meta.db_table}_search"
    else:
        sql = f"SELECT id FROM {model._meta.db_table} WHERE {search.DOCUMENT} IS NOT NULL"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0] for row in cursor.fetchall()}


class TestParsing:
    @pytest.mark.parametrize(
        "text, terms",
        [
            ("fdi 1999", [(("fdi",), False), (("1999",), False)]),
            (
                '"foreign direct investment" treaty',
                [(("foreign", "direct", "investment"), False), (("treaty",), False)],
            ),
            ("“curly quoted words”", [(("curly", "quoted", "words"), False)]),
            ('"unfinished phrase', [(("unfinished", "phrase"), False)]),
            ("khov*", [(("khov",), True)]),
            ('"igor khov*"', [(("igor", "khov"), True)]),
            ("k*", [(("k",), False)]),  # too short to be a prefix
            ("3.5 Russia-Philippines", [(("3", "5"), False), (("Russia", "Philippines"), False)]),
            ("Khovaev's", [(("Khovaev", "s"), False)]),
            ("fdi FDI fdi", [(("fdi",), False)]),
            ("NEAR(fdi, 2) AND -x", [(("NEAR", "fdi"), False), (("2",), False), (("AND",), False), (("x",), False)]),
        ],
    )
    def test_terms(self, text, terms):
        assert [(term.words, term.prefix) for term in search.parse(text)] == terms

    @pytest.mark.parametrize("text", ["", "   ", '"', '""', "*", "-", "!?", "—", "( ) : ^ ~ {}", "_"])
    def test_no_letters_or_digits_no_terms(self, text):
        assert search.parse(text) == []

    def test_what_reaches_the_databases_is_words_and_spaces(self):
        [term] = search.parse('"a OR b*\' ; DROP --"')
        assert term.fts5() == '"a OR b DROP"'
        assert term.tsquery() == "a <-> OR <-> b <-> DROP"


@pytest.mark.django_db
class TestMatching:
    def test_words_are_found_in_any_field_and_all_are_required(self):
        ClaimFactory(summary="Remittances from workers abroad rose")
        ClaimFactory(summary="Quote match", quote="Remittances reached $43 million.")
        ClaimFactory(summary="Claimant match", claimant=ClaimantFactory(name="Andrey Klimov"))
        ClaimFactory(summary="Source match", source=SourceFactory(title="Mutual Defense Treaty"))
        ClaimFactory(summary="Unrelated")
        assert set(found("remittances")) == {"Remittances from workers abroad rose", "Quote match"}
        assert found("klimov") == ["Claimant match"]
        assert found("treaty") == ["Source match"]
        assert found("remittances million") == ["Quote match"]
        assert found("remittances klimov") == []

    def test_terms_may_be_in_different_fields(self):
        ClaimFactory(summary="Investment doubled", claimant=ClaimantFactory(name="Andrey Klimov"))
        assert found("klimov investment") == ["Investment doubled"]

    def test_whole_words_not_parts_of_words(self):
        ClaimFactory(summary="The FDIC insures deposits")
        ClaimFactory(summary="No FDI since 1999")
        assert found("fdi") == ["No FDI since 1999"]

    def test_a_phrase_is_consecutive_words_within_one_field(self):
        ClaimFactory(summary="Foreign direct investment fell")
        ClaimFactory(summary="Direct investment from foreign firms")
        ClaimFactory(summary="It was foreign", quote="Direct investment was flat.")
        assert found('"foreign direct investment"') == ["Foreign direct investment fell"]
        assert set(found("foreign direct investment")) == {
            "Foreign direct investment fell",
            "Direct investment from foreign firms",
            "It was foreign",
        }

    @pytest.mark.parametrize("query", ["khovaev", "KHOVAEV", "Khováev", "khováev", "Khovaev’s"])
    def test_case_and_diacritics_do_not_matter(self, query):
        ClaimFactory(summary="Ambassador’s claim", claimant=ClaimantFactory(name="Igor Khováev"))
        ClaimFactory(summary="Khovaev’s remark on trade")
        expected = {"Ambassador’s claim", "Khovaev’s remark on trade"}
        assert set(found(query)) == (expected if "’s" not in query else {"Khovaev’s remark on trade"})

    def test_accented_text_is_found_by_plain_letters_and_the_other_way_round(self):
        ClaimFactory(summary="Exports from São Paulo doubled")
        ClaimFactory(summary="Cafe owners protested")
        assert found("sao paulo") == ["Exports from São Paulo doubled"]
        assert found("CAFÉ") == ["Cafe owners protested"]

    def test_a_trailing_star_finds_words_that_begin_so(self):
        ClaimFactory(summary="Remittances rose", claimant=ClaimantFactory(name="Igor Khovaev"))
        ClaimFactory(summary="Remittance data is late")
        assert set(found("remittance*")) == {"Remittances rose", "Remittance data is late"}
        assert found("remittance") == ["Remittance data is late"]
        assert found("khov*") == ["Remittances rose"]
        assert found('"igor khov*"') == ["Remittances rose"]
        assert found("khov") == []

    def test_numbers_and_hyphenated_words_split_as_written(self):
        ClaimFactory(summary="Inflation was 3.5 percent")
        ClaimFactory(summary="Inflation was 3 to 5 percent")
        ClaimFactory(summary="The Russia-Philippines treaty")
        ClaimFactory(summary="Russia and the Philippines signed")
        assert found('"3.5 percent"') == ["Inflation was 3.5 percent"]
        assert found("Russia-Philippines") == ["The Russia-Philippines treaty"]
        assert set(found("russia philippines")) == {
            "The Russia-Philippines treaty",
            "Russia and the Philippines signed",
        }

    @pytest.mark.parametrize(
        "query",
        [
            '"',
            "*",
            "fdi*",
            "AND",
            "fdi AND",
            "NEAR(fdi",
            "NEAR(fdi 1999, 2)",
            "-fdi",
            "fdi OR 1=1",
            "'; DROP TABLE claims_claim; --",
            "summary:fdi",
            "{summary quote}: fdi",
            "fdi^",
            "fdi:*",
            "fdi & !1999 | (x <-> y)",
            "%_\\",
            '"fdi',
            "ÿ\x00",
            " ".join(f"w{n}" for n in range(66)),  # as many words as the desk's 200 characters hold
        ],
    )
    def test_search_syntax_in_what_people_type_is_just_text(self, query):
        ClaimFactory(summary="No FDI since 1999")
        ClaimFactory(summary="Unrelated")
        results = found(query)
        words = {term.words[0].casefold() for term in search.parse(query)}
        if not words:
            assert set(results) == {"No FDI since 1999", "Unrelated"}  # nothing to search: everything
        else:
            assert set(results) <= {"No FDI since 1999"}
            assert ("No FDI since 1999" in results) == (words <= {"fdi", "1999"})
        assert Claim.objects.count() == 2


@pytest.mark.django_db
class TestRanking:
    """The same order on both databases: per term, 3 for summary and for quote, 1 for
    claimant and for source title; ties most recently changed first, then newest id."""

    def test_fields_weigh_summary_and_quote_above_claimant_and_source(self):
        both = ClaimFactory(summary="Tariffs on rice", quote="Tariffs were cut by 5 percent.")
        summary = ClaimFactory(summary="Tariffs on sugar")
        quote = ClaimFactory(summary="A quote about trade", quote="Tariffs rose by 2 percent.")
        source = ClaimFactory(summary="From the source", source=SourceFactory(title="Tariffs explained"))
        claimant = ClaimFactory(summary="From the claimant", claimant=ClaimantFactory(name="Tariffs Watch"))
        for minutes, claim in enumerate([source, claimant, quote, summary, both]):
            changed_at(claim, minutes)
        assert found("tariffs") == [
            "Tariffs on rice",  # 6
            "A quote about trade",  # 3, changed after "Tariffs on sugar"
            "Tariffs on sugar",  # 3
            "From the source",  # 1, changed last
            "From the claimant",  # 1
        ]
        ranks = dict(search.search_claims(Claim.objects.all(), "tariffs").values_list("summary", search.RANK))
        assert ranks == {
            "Tariffs on rice": 6,
            "A quote about trade": 3,
            "Tariffs on sugar": 3,
            "From the source": 1,
            "From the claimant": 1,
        }

    def test_each_term_adds_its_own_weight(self):
        klimov = ClaimantFactory(name="Andrey Klimov")
        words_in_summary = ClaimFactory(summary="Klimov on sanctions and tariffs", claimant=klimov)
        one_word = ClaimFactory(summary="Sanctions hit exporters", claimant=klimov)
        name_only = ClaimFactory(summary="Nothing to see", quote="Sanctions were lifted.", claimant=klimov)
        ClaimFactory(summary="Sanctions without him")
        for minutes, claim in enumerate([name_only, one_word, words_in_summary]):
            changed_at(claim, minutes)
        ranks = dict(search.search_claims(Claim.objects.all(), "klimov sanctions").values_list("summary", search.RANK))
        assert ranks == {
            "Klimov on sanctions and tariffs": 3 + 1 + 3,  # klimov: summary, claimant; sanctions: summary
            "Sanctions hit exporters": 1 + 3,
            "Nothing to see": 1 + 3,
        }
        assert found("klimov sanctions") == [
            "Klimov on sanctions and tariffs",
            "Nothing to see",
            "Sanctions hit exporters",
        ]

    def test_ties_fall_back_to_the_newest_id(self):
        first = ClaimFactory(summary="Harvest one")
        second = ClaimFactory(summary="Harvest two")
        moment = timezone.now()
        Claim.objects.filter(pk__in=[first.pk, second.pk]).update(updated_at=moment)
        assert found("harvest") == ["Harvest two", "Harvest one"]

    def test_the_desk_lists_the_best_match_first_when_searching(self, editor_client):
        weak = ClaimFactory(summary="From the source", source=SourceFactory(title="Wheat harvest report"))
        strong = ClaimFactory(summary="Wheat harvest tripled", quote="The wheat harvest tripled this year.")
        changed_at(strong, 30)  # changed long before: recency alone would list it second
        changed_at(weak, 0)
        response = editor_client.get(DESK, {"q": "wheat harvest"})
        assert [claim.summary for claim in response.context["page"]] == ["Wheat harvest tripled", "From the source"]
        assert response.context["filter"].form["sort"].value() in (None, "relevance")
        assert '<option value="relevance"' in shown(response)

    def test_a_sort_chosen_with_a_search_is_kept(self, editor_client):
        weak = ClaimFactory(summary="From the source", source=SourceFactory(title="Wheat harvest report"))
        strong = ClaimFactory(summary="Wheat harvest tripled")
        changed_at(strong, 30)
        changed_at(weak, 0)
        response = editor_client.get(DESK, {"q": "wheat", "sort": "-updated"}, **HTMX)
        assert [claim.summary for claim in response.context["page"]] == ["From the source", "Wheat harvest tripled"]
        assert response["HX-Push-Url"] == "/?q=wheat&sort=-updated"

    def test_pages_of_a_search_follow_the_rank(self, editor_client):
        for n in range(20):
            ClaimFactory(summary=f"Rice import {n}", quote=f"Rice imports rose by {n} percent.")
        for n in range(20):
            ClaimFactory(summary=f"Claim {n}", quote=f"Rice was dearer by {n} percent.")
        first = editor_client.get(DESK, {"q": "rice"})
        second = editor_client.get(DESK, {"q": "rice", "after": first.context["page"].next_token})
        listed = [claim.summary for claim in first.context["page"]] + [
            claim.summary for claim in second.context["page"]
        ]
        assert listed == found("rice")
        assert len(listed) == 40 and listed[:20] == [f"Rice import {n}" for n in reversed(range(20))]


@pytest.mark.django_db
class TestIndexesFollowEveryWrite:
    def test_a_new_claim_is_found_at_once(self):
        claim = ClaimFactory(summary="Cassava output doubled")
        assert found("cassava") == ["Cassava output doubled"]
        assert claim.pk in indexed(Claim)

    def test_an_edited_claim_is_found_by_its_new_words_only(self):
        claim = ClaimFactory(summary="Cassava output doubled")
        claim.summary = "Yam output doubled"
        claim.save()
        assert found("cassava") == []
        assert found("yam") == ["Yam output doubled"]

    def test_a_bulk_update_is_followed(self):
        ClaimFactory.create_batch(3, summary="Cassava output doubled")
        Claim.objects.update(summary="Yam output doubled")
        assert found("cassava") == [] and len(found("yam")) == 3

    def test_a_deleted_claim_leaves_the_index(self):
        claim = ClaimFactory(summary="Cassava output doubled")
        pk = claim.pk
        claim.delete()
        assert found("cassava") == []
        assert pk not in indexed(Claim)

    def test_bulk_created_claims_are_found(self):
        source = SourceFactory(text="Cassava output doubled. Yam output fell.", title="Harvest news")
        claimant = ClaimantFactory(name="Ama Owusu")
        Claim.objects.bulk_create(
            Claim(
                summary=summary,
                quote=quote,
                source=source,
                quote_start=start,
                quote_end=start + len(quote),
                claimant=claimant,
            )
            for summary, quote, start in [
                ("Cassava claim", "Cassava output doubled.", 0),
                ("Yam claim", "Yam output fell.", 24),
            ]
        )
        assert found("cassava") == ["Cassava claim"]
        assert set(found("owusu harvest")) == {"Cassava claim", "Yam claim"}
        assert indexed(Claim) == set(Claim.objects.values_list("pk", flat=True))

    def test_a_renamed_claimant_is_found_by_the_new_name(self):
        claimant = ClaimantFactory(name="Igor Khovaev")
        ClaimFactory.create_batch(2, summary="The ambassador's claim", claimant=claimant)
        claimant.name = "Igor Morgulov"
        claimant.save()
        assert found("khovaev") == []
        assert found("morgulov") == ["The ambassador's claim"] * 2

    def test_a_claim_given_another_claimant_is_found_by_that_name(self):
        claim = ClaimFactory(summary="The ambassador's claim", claimant=ClaimantFactory(name="Igor Khovaev"))
        claim.claimant = ClaimantFactory(name="Andrey Klimov")
        claim.save()
        assert found("khovaev") == [] and found("klimov") == ["The ambassador's claim"]
        claim.claimant = None
        claim.save()
        assert found("klimov") == [] and found("ambassador") == ["The ambassador's claim"]

    def test_a_retitled_source_is_found_by_the_new_title(self):
        source = SourceFactory(title="Mutual Defense Treaty")
        ClaimFactory(summary="Defence claim", source=source)
        source.title = "Visiting Forces Agreement"
        source.save()
        assert found("treaty") == []
        assert found("visiting forces") == ["Defence claim"]
        assert [s.title for s in search.search_sources(Source.objects.all(), "visiting")] == [
            "Visiting Forces Agreement"
        ]

    def test_a_corrected_source_text_is_searched_by_its_new_words(self, editor):
        claim = ClaimFactory(summary="Exports claim")
        source = claim.source
        source.correct_text(source.text + "\n\nA correction about sorghum.", by=editor, based_on=source.version)
        assert [s.pk for s in search.search_sources(Source.objects.all(), "sorghum")] == [source.pk]

    def test_bulk_created_and_deleted_sources_are_followed(self):
        Source.objects.bulk_create(
            [Source(title="Cocoa prices", text="Cocoa rose."), Source(title="Tea", text="Tea fell.")]
        )
        assert [s.title for s in search.search_sources(Source.objects.all(), "cocoa")] == ["Cocoa prices"]
        Source.objects.filter(title="Tea").delete()
        assert indexed(Source) == set(Source.objects.values_list("pk", flat=True))

    def test_every_trigger_is_in_place(self):
        # On SQLite, a migration that rebuilds claims_claim, claims_claimant or claims_source
        # (most AlterField, RemoveField and AddConstraint do) drops that table's triggers, and
        # its index silently stops following it: such a migration must call
        # `restore_sqlite_triggers` from migration 0006 for that table.
        if connection.vendor == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            expected = {
                f"claims_{t}_search_{e}"
                for t in ("claim", "claimant", "source")
                for e in ("insert", "update", "delete")
            }
        else:
            sql = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            expected = {"claims_claimant_search_update", "claims_source_search_retitle"} | {
                f"claims_{t}_search_{e}" for t in ("claim", "source") for e in ("insert", "update")
            }
        with connection.cursor() as cursor:
            cursor.execute(sql)
            assert expected <= {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
class TestSources:
    def test_title_and_text_are_searched_title_first(self):
        in_text = SourceFactory(title="Quarterly bulletin", text="Remittances reached a record.")
        SourceFactory(title="Remittances in 2024", text="Money sent home grew.")
        SourceFactory(title="Unrelated", text="Nothing here.")
        Source.objects.filter(pk=in_text.pk).update(created_at=timezone.now())  # newest, yet second
        results = search.search_sources(Source.objects.order_by("-created_at", "-id"), "remittances")
        assert [s.title for s in results] == ["Remittances in 2024", "Quarterly bulletin"]
        assert [s.search_rank for s in results] == [3, 1]

    def test_ties_keep_the_list_order(self):
        older = SourceFactory(title="Cocoa prices one")
        newer = SourceFactory(title="Cocoa prices two")
        Source.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))
        results = search.search_sources(Source.objects.order_by("-created_at", "-id"), "cocoa")
        assert [s.pk for s in results] == [newer.pk, older.pk]

    def test_as_the_source_list_counts_its_claims(self):
        # The source list's own query: counts per source, beside the search and its rank.
        source = SourceFactory(title="Cocoa prices")
        ClaimFactory.create_batch(3, source=source)
        sources = Source.objects.annotate(
            claim_count=Count("claims"), orphan_count=Count("claims", filter=Q(claims__orphaned_at__isnull=False))
        ).order_by("-created_at", "-id")
        [found_source] = search.search_sources(sources.defer("text"), "cocoa")
        assert found_source.claim_count == 3 and found_source.search_rank == 3

    @pytest.mark.parametrize("text", ["", "  ", '"*"'])
    def test_no_terms_leave_the_list_as_it_is(self, text):
        SourceFactory.create_batch(2)
        sources = Source.objects.order_by("-created_at", "-id")
        assert list(search.search_sources(sources, text)) == list(sources)


@pytest.mark.django_db
class TestTheDesk:
    def test_the_desk_searches_with_the_other_filters(self, editor_client):
        ClaimFactory(summary="Researching cocoa", researching=True)
        ClaimFactory(summary="New cocoa")
        response = editor_client.get(DESK, {"q": "cocoa", "status": "researching"})
        assert [claim.summary for claim in response.context["page"]] == ["Researching cocoa"]
        counts = {status: count for status, _, count in response.context["status_counts"]}
        assert counts["new"] == 1 and counts["researching"] == 1

    def test_searching_for_punctuation_shows_every_claim(self, editor_client):
        ClaimFactory.create_batch(2)
        response = editor_client.get(DESK, {"q": '"*" -'})
        assert response.status_code == 200 and len(response.context["page"]) == 2

    def test_queries_do_not_grow_with_results(self, editor_client, django_assert_max_num_queries):
        assignee = UserFactory(role="editor")
        ClaimFactory(summary="Unrelated")
        counted = []
        for rows in (1, 50):
            for n in range(len(counted) // 2, rows):
                ClaimFactory(summary=f"Cocoa claim {n}", researching=True, assignee=assignee)
            cache.clear()  # the counts per status are cached: count them again each time
            # session, user, permissions ×2, the newest change, the counts per status, the header's
            # groups, the filter menus, the page of claims and their tags, the status names ×2
            with django_assert_max_num_queries(20) as page:
                response = editor_client.get(DESK, {"q": "cocoa claim"})
            assert len(response.context["page"]) == min(rows, 25)
            with django_assert_max_num_queries(12) as results:
                editor_client.get(DESK, {"q": "cocoa claim"}, HTTP_HX_TARGET="claim-results", **HTMX)
            counted += [len(page.captured_queries), len(results.captured_queries)]
        assert counted[:2] == counted[2:]


def many_claims(count):
    source = SourceFactory(title="Harvest figures", text="Wheat harvest grew. " * 5)
    claimants = ClaimantFactory.create_batch(20)
    words = ["wheat", "rice", "maize", "sorghum", "millet", "barley", "cassava", "yam", "cocoa", "coffee"]
    quote = "Wheat harvest grew."
    Claim.objects.bulk_create(
        Claim(
            summary=f"{words[n % 10]} output number {n} changed",
            quote=quote,
            source=source,
            quote_start=0,
            quote_end=len(quote),
            claimant=claimants[n % 20],
        )
        for n in range(count)
    )


@pytest.mark.django_db
@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's query plan")
def test_postgresql_searches_through_the_gin_indexes():
    # The GIN indexes hold the very tsvectors the query tests, so the planner can use them;
    # with sequential scans off (a few thousand rows would be read whole otherwise), it does.
    many_claims(3000)
    Source.objects.bulk_create(Source(title=f"Bulletin {n}", text=f"Figures for week {n}.") for n in range(3000))
    with connection.cursor() as cursor:
        for table, index in (("claims_claim", "claim_search_document"), ("claims_source", "source_search_document")):
            # What autovacuum would do: fold the entries just written into the GIN index.
            cursor.execute(f"SELECT gin_clean_pending_list('{index}')")
            cursor.execute(f"ANALYZE {table}")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search.search_claims(Claim.objects.all(), "sorghum number").explain()
    assert "Bitmap Index Scan on claim_search_document" in plan
    plan = search.search_sources(Source.objects.all(), "harvest").explain()
    assert "Bitmap Index Scan on source_search_document" in plan


@pytest.mark.django_db
@pytest.mark.skipif(POSTGRES, reason="SQLite's query plan")
def test_sqlite_searches_through_the_fts_table():
    many_claims(300)
    plan = search.search_claims(Claim.objects.all(), "sorghum number").explain()
    assert "VIRTUAL TABLE INDEX" in plan and "claims_claim_search" in plan
    assert "SEARCH claims_claim USING INTEGER PRIMARY KEY" in plan  # found by id, not by reading every claim
    assert not any(line.endswith("SCAN claims_claim") for line in plan.splitlines())
