"""A claim's quote is tied to the exact characters of its source, and both the
model and the database refuse offsets that do not select it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import anchoring
from claims.models import Claim

from .factories import ClaimFactory, SourceFactory

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
