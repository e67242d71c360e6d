"""A claim's quote is tied to the exact characters of its source, and both the
model and the database refuse offsets that do not select it."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import anchoring
from claims.models import Claim

from .factories import ClaimFactory, SourceFactory

DEMO = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "demo.json").read_text(encoding="utf-8"))
SOURCES = {record["pk"]: record["fields"]["text"] for record in DEMO if record["model"] == "claims.source"}
CLAIMS = {record["pk"]: record["fields"] for record in DEMO if record["model"] == "claims.claim"}
AMBASSADOR, SENATOR = SOURCES[1], SOURCES[2]  # the seed articles as the demo stores them

TEXT = "Metro Manila (CNN Philippines) — “We can offer…” he said.\nNext paragraph “here”."


def test_offsets_count_code_points_not_bytes():
    start = TEXT.index("“We")
    end = TEXT.index("he said")
    anchoring.check_anchor(TEXT, "“We can offer…” ", start, end)


@pytest.mark.parametrize(
    "quote, start, end, code",
    [
        ("", 0, 0, "empty_quote"),
        ("Metro", -1, 4, "offsets_out_of_range"),
        ("Metro", 5, 5, "offsets_out_of_range"),
        ("here", len(TEXT) - 5, len(TEXT) + 1, "offsets_out_of_range"),
        ("Manila", 0, 6, "quote_mismatch"),
        ("We can offer", 33, 45, "quote_mismatch"),  # off by one: the curly quote is not in the quote
    ],
)
def test_bad_anchors_are_refused_with_a_reason(quote, start, end, code):
    with pytest.raises(ValidationError) as refused:
        anchoring.check_anchor(TEXT, quote, start, end)
    assert refused.value.code == code


def test_mismatch_message_shows_both_texts():
    with pytest.raises(ValidationError) as refused:
        anchoring.check_anchor(TEXT, "Manila", 0, 6)
    assert refused.value.messages == ["The source text at 0–6 reads “Metro ”, not the quote “Manila”."]


def test_context_is_the_text_around_the_quote():
    start = TEXT.index("Philippines")
    prefix, suffix = anchoring.context_around(TEXT, start, start + len("Philippines"), length=8)
    assert (prefix, suffix) == ("la (CNN ", ") — “We ")


def test_context_stops_at_the_ends_of_the_text():
    assert anchoring.context_around("abc", 0, 3) == ("", "")


def test_find_quote_prefers_the_occurrence_its_context_describes():
    text = "He said yes. Later, the minister said yes."
    assert anchoring.find_quote(text, "said yes") == (3, 11)
    assert anchoring.find_quote(text, "said yes", prefix="the minister ") == (33, 41)
    assert anchoring.find_quote(text, "said no") is None


def test_passage_is_the_paragraph_around_the_quote():
    start = TEXT.index("offer")
    passage = anchoring.passage_around(TEXT, start, start + 5)
    assert passage.before == "Metro Manila (CNN Philippines) — “We can "
    assert passage.quote == "offer"
    assert passage.after == "…” he said."


def test_passage_spans_every_paragraph_a_quote_crosses():
    start = TEXT.index("said")
    end = TEXT.index("paragraph") + len("paragraph")
    passage = anchoring.passage_around(TEXT, start, end)
    assert passage.quote == "said.\nNext paragraph"
    assert passage.after == " “here”."


@pytest.mark.django_db
class TestClaimAnchoring:
    def test_clean_accepts_a_true_anchor_and_fills_the_context(self):
        source = SourceFactory(text=TEXT)
        start = TEXT.index("“We")
        claim = Claim(source=source, summary="s", quote="“We can offer…”", quote_start=start, quote_end=start + 15)
        claim.full_clean()
        assert claim.quote_prefix == TEXT[:start][-32:]
        assert claim.quote_suffix == TEXT[start + 15 :][:32]

    def test_clean_refuses_a_quote_not_at_its_offsets(self):
        source = SourceFactory(text=TEXT)
        claim = Claim(source=source, summary="s", quote="Manila", quote_start=0, quote_end=6)
        with pytest.raises(ValidationError) as refused:
            claim.full_clean()
        assert "quote" in refused.value.message_dict

    @pytest.mark.parametrize(
        "changes",
        [{"quote_end": 10_000}, {"quote_start": 5, "quote_end": 5}, {"quote": "shorter"}],
    )
    def test_the_database_refuses_offsets_that_do_not_span_the_quote(self, changes):
        claim = ClaimFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Claim.objects.filter(pk=claim.pk).update(**changes)


def relocate(old_text: str, new_text: str, start: int, end: int, *, knowing_old_text: bool = True):
    """Relocate old_text[start:end] the way a claim stores it: quote, offsets, prefix and suffix."""
    prefix, suffix = anchoring.context_around(old_text, start, end)
    return anchoring.relocate(
        new_text,
        quote=old_text[start:end],
        start=start,
        end=end,
        prefix=prefix,
        suffix=suffix,
        old_text=old_text if knowing_old_text else None,
    )


def span_of(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


both_ways = pytest.mark.parametrize("knowing_old_text", [True, False], ids=["with-old-text", "context-only"])


class TestRelocation:
    def test_a_quote_still_at_its_offsets_stays(self):
        claim = CLAIMS[25]
        new_text = SENATOR.replace("Malacanang", "Malacañang")  # before the quote: same length, same offsets
        relocation = relocate(SENATOR, new_text, claim["quote_start"], claim["quote_end"])
        assert relocation == anchoring.Relocation(
            claim["quote_start"], claim["quote_end"], claim["quote"], anchoring.RelocationMethod.POSITION, 1.0
        )

    @both_ways
    def test_text_inserted_before_the_quote_shifts_its_offsets(self, knowing_old_text):
        claim = CLAIMS[12]
        note = "Editor's note: this article was updated to correct a date.\n\n"
        new_text = note + AMBASSADOR
        relocation = relocate(
            AMBASSADOR, new_text, claim["quote_start"], claim["quote_end"], knowing_old_text=knowing_old_text
        )
        assert relocation.method == anchoring.RelocationMethod.CONTEXT
        assert (relocation.start, relocation.end) == (claim["quote_start"] + len(note), claim["quote_end"] + len(note))
        assert relocation.quote == claim["quote"] == new_text[relocation.start : relocation.end]

    @both_ways
    @pytest.mark.parametrize("occurrence", ["first", "second"])
    def test_a_repeated_quote_is_found_where_its_prefix_and_suffix_say(self, knowing_old_text, occurrence):
        quote = "“We would like to have as many friends as possible,”"
        repeated = "\nAsked about China, he repeated: " + quote + "\nHe stressed though"
        old_text = SENATOR.replace("\nHe stressed though", repeated)
        first, second = old_text.index(quote), old_text.rindex(quote)
        # Text added (before the second) or cut (before the first) at the top, so that the claim's old offsets
        # fall 40 characters from the other occurrence: only the surroundings tell the two apart.
        shift = second - first - 40
        if occurrence == "second":
            start, new_text, expected = second, AMBASSADOR[:shift] + old_text, second + shift
        else:
            start, new_text, expected = first, old_text[shift:], first - shift
        relocation = relocate(old_text, new_text, start, start + len(quote), knowing_old_text=knowing_old_text)
        assert relocation.method == anchoring.RelocationMethod.CONTEXT
        assert relocation.start == expected

    @both_ways
    @pytest.mark.parametrize(
        "quote, typo, correction",
        [
            (
                "When asked by CNN Phiilppines about any procurement or deals in the pipeline",
                "Phiilppines",
                "Philippines",
            ),
            (CLAIMS[17]["quote"], "Malacanang", "Malacañang"),
        ],
    )
    def test_a_typo_corrected_inside_the_quote_takes_the_corrected_words(
        self, knowing_old_text, quote, typo, correction
    ):
        old_text = SOURCES[1] if "Phiilppines" in quote else SOURCES[2]
        new_text = old_text.replace(typo, correction)
        relocation = relocate(old_text, new_text, *span_of(old_text, quote), knowing_old_text=knowing_old_text)
        assert relocation.method == anchoring.RelocationMethod.FUZZY
        assert relocation.quote == quote.replace(typo, correction) == new_text[relocation.start : relocation.end]
        assert anchoring.FUZZY_MIN_SIMILARITY <= relocation.similarity < 1

    @both_ways
    def test_a_few_words_reworded_inside_a_long_quote_takes_the_new_wording(self, knowing_old_text):
        claim = CLAIMS[25]
        reworded = claim["quote"].replace("but it was only", "which was just a").replace("the total", "the overall")
        new_text = SENATOR.replace(claim["quote"], reworded)
        relocation = relocate(
            SENATOR, new_text, claim["quote_start"], claim["quote_end"], knowing_old_text=knowing_old_text
        )
        assert relocation.method == anchoring.RelocationMethod.FUZZY
        assert (relocation.start, relocation.quote) == (claim["quote_start"], reworded)

    @both_ways
    def test_a_clause_added_in_the_middle_of_a_long_quote_moves_its_end(self, knowing_old_text):
        claim = CLAIMS[2]
        clause = 'joint military exercises, on both bilateral and multilateral basis,"'
        longer = claim["quote"].replace(clause, clause + " as well as intelligence sharing,")
        new_text = "Updated.\n" + AMBASSADOR.replace(claim["quote"], longer)
        relocation = relocate(
            AMBASSADOR, new_text, claim["quote_start"], claim["quote_end"], knowing_old_text=knowing_old_text
        )
        assert relocation.method == anchoring.RelocationMethod.FUZZY
        assert relocation.quote == longer == new_text[relocation.start : relocation.end]

    @both_ways
    def test_a_quote_whose_sentence_was_deleted_is_orphaned(self, knowing_old_text):
        claim = CLAIMS[24]
        new_text = SENATOR.replace(" " + claim["quote"], "")
        relocation = relocate(
            SENATOR, new_text, claim["quote_start"], claim["quote_end"], knowing_old_text=knowing_old_text
        )
        assert relocation is None

    @both_ways
    def test_a_quote_rewritten_beyond_recognition_is_orphaned(self, knowing_old_text):
        claim = CLAIMS[24]
        rewritten = "Central bank figures record no Russian equity placements in the country for nearly two decades."
        new_text = SENATOR.replace(claim["quote"], rewritten)
        relocation = relocate(
            SENATOR, new_text, claim["quote_start"], claim["quote_end"], knowing_old_text=knowing_old_text
        )
        assert relocation is None

    @both_ways
    def test_a_short_quote_whose_sentence_moved_is_found_by_its_context(self, knowing_old_text):
        sentence = CLAIMS[24]["quote"]
        new_text = SENATOR.replace(" " + sentence, "").rstrip("\n") + "\n" + sentence + "\n"
        relocation = relocate(SENATOR, new_text, *span_of(SENATOR, "1999"), knowing_old_text=knowing_old_text)
        assert relocation.method == anchoring.RelocationMethod.CONTEXT
        assert relocation.start == new_text.index("since 1999") + len("since ")

    @both_ways
    @pytest.mark.parametrize("elsewhere", ["1999", "1998"])
    def test_a_short_quote_that_disappears_is_not_matched_to_another_number(self, knowing_old_text, elsewhere):
        new_text = SENATOR.replace("since 1999", "since 2001").replace("in January", f"in January {elsewhere}")
        relocation = relocate(SENATOR, new_text, *span_of(SENATOR, "1999"), knowing_old_text=knowing_old_text)
        assert relocation is None

    @both_ways
    def test_offsets_count_code_points_outside_the_basic_plane(self, knowing_old_text):
        claim = CLAIMS[17]
        new_text = "🇵🇭🤝🇷🇺 " + SENATOR.replace("Malacanang", "Malacañang")
        relocation = relocate(
            SENATOR, new_text, claim["quote_start"], claim["quote_end"], knowing_old_text=knowing_old_text
        )
        # Two flags of two regional indicators each, a handshake and a space: 6 code points (11 UTF-16 units).
        assert relocation.start == claim["quote_start"] + 6
        assert (
            relocation.quote
            == new_text[relocation.start : relocation.end]
            == claim["quote"].replace("Malacanang", "Malacañang")
        )

    def test_an_empty_quote_is_nowhere(self):
        assert anchoring.relocate(TEXT, quote="", start=0, end=0, prefix="", suffix="") is None
