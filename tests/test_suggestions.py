"""Suggestions of what to check: proposed when a source arrives (and on demand), shown
in the reader with their reasons and likely claimant, accepted into claims or dismissed
for good."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from claims import suggesting
from claims.models import Claim, Source, SuggestionState

from .conftest import HTMX, is_fragment, shown
from .factories import ClaimFactory, SourceFactory

DEMO = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "demo.json").read_text())
SEED_TEXTS = [row["fields"]["text"] for row in DEMO if row["model"] == "claims.source"]
REMITTANCES = next(text for text in SEED_TEXTS if "$43 million" in text)

ADD = reverse("claims:source_add")


def paste(client, text, title="Seed article"):
    response = client.post(
        ADD, {"how": "paste", "paste-text": text, "paste-title": title, "paste-kind": "news_article"}
    )
    assert response.status_code == 302, shown(response)
    return Source.objects.get(title=title)


def reader(source):
    return reverse("claims:source_detail", args=[source.pk])


def open_suggestion(source, words):
    return source.suggestions.get(state=SuggestionState.OPEN, sentence__contains=words)


@pytest.mark.django_db
def test_a_pasted_article_comes_with_its_sentences_worth_checking(editor_client):
    source = paste(editor_client, REMITTANCES)
    remittances = open_suggestion(source, "$43 million")
    codes = {reason["code"] for reason in remittances.reasons}
    assert {"money", "percentage"} <= codes
    assert source.text[remittances.start : remittances.end] == remittances.sentence
    assert 0 <= remittances.score <= 1
    page = shown(editor_client.get(reader(source)))
    assert "Worth checking" in page
    assert remittances.sentence in page
    assert "$43 million" in page  # the words that show a reason are named beside it


@pytest.mark.django_db
def test_every_figure_in_the_seed_articles_is_in_a_suggestion(editor_client):
    for number, text in enumerate(SEED_TEXTS):
        source = paste(editor_client, text, title=f"Seed {number}")
        suggested = list(source.suggestions.values_list("start", "end"))
        for figure in ("1999", "$43 million", "0.2 percent", "$26.9 billion"):
            at = text.find(figure)
            if at >= 0:
                assert any(start <= at < end for start, end in suggested), figure


@pytest.mark.django_db
def test_accepting_makes_a_claim_of_the_sentence_at_its_offsets(editor_client, editor):
    source = paste(editor_client, REMITTANCES)
    suggestion = open_suggestion(source, "$43 million")
    capture = reverse("claims:claim_capture", args=[source.pk])
    form = editor_client.get(capture, {"suggestion": suggestion.pk}, **HTMX)
    assert is_fragment(form)
    assert f'name="suggestion" value="{suggestion.pk}"' in form.content.decode()
    assert suggestion.sentence in shown(form)
    response = editor_client.post(
        capture,
        {
            "suggestion": suggestion.pk,
            "quote": suggestion.sentence,
            "summary": "Remittances from Russia",
            "kind": "statistic",
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get(summary="Remittances from Russia")
    assert (claim.quote, claim.quote_start, claim.quote_end) == (suggestion.sentence, suggestion.start, suggestion.end)
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.claim, suggestion.decided_by) == (SuggestionState.ACCEPTED, claim, editor)
    assert suggestion.sentence not in shown(editor_client.get(reader(source))).split("Worth checking")[1]


@pytest.mark.django_db
def test_a_suggestion_is_accepted_once(editor_client, other_editor):
    source = paste(editor_client, REMITTANCES)
    suggestion = open_suggestion(source, "$43 million")
    suggesting.accept(suggestion, by=other_editor, summary="First", kind="statistic")
    response = editor_client.post(
        reverse("claims:claim_capture", args=[source.pk]),
        {"suggestion": suggestion.pk, "quote": suggestion.sentence, "summary": "Second", "kind": "statistic"},
    )
    assert response.status_code == 422
    assert "already accepted" in shown(response)
    assert list(Claim.objects.values_list("summary", flat=True)) == ["First"]


@pytest.mark.django_db
def test_a_dismissed_suggestion_does_not_come_back(editor_client, editor):
    source = paste(editor_client, REMITTANCES)
    suggestion = open_suggestion(source, "$43 million")
    response = editor_client.post(reverse("claims:suggestion_dismiss", args=[suggestion.pk]), **HTMX)
    assert response.status_code == 200 and is_fragment(response)
    assert "It will not be suggested again" in shown(response)
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.decided_by) == (SuggestionState.DISMISSED, editor)
    editor_client.post(reverse("claims:source_suggest", args=[source.pk]))
    assert source.suggestions.filter(sentence=suggestion.sentence).count() == 1
    assert suggestion.sentence not in shown(editor_client.get(reader(source))).split("Worth checking")[1]


@pytest.mark.django_db
def test_dismissing_works_without_javascript(editor_client):
    source = paste(editor_client, REMITTANCES)
    suggestion = open_suggestion(source, "$43 million")
    response = editor_client.post(reverse("claims:suggestion_dismiss", args=[suggestion.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reader(source))


@pytest.mark.django_db
def test_suggesting_on_demand_finds_sentences_of_a_source_that_had_none(editor_client):
    source = SourceFactory(text="Unemployment fell to 4.7 percent in 2016, the lowest in a decade.\n\nThank you.")
    assert not source.suggestions.exists()
    response = editor_client.post(reverse("claims:source_suggest", args=[source.pk]), **HTMX)
    assert "1 new suggestion" in shown(response)
    assert list(source.suggestions.values_list("sentence", flat=True)) == [
        "Unemployment fell to 4.7 percent in 2016, the lowest in a decade."
    ]


@pytest.mark.django_db
def test_sentences_already_claimed_are_not_suggested():
    claim = ClaimFactory(quote="Exports grew by 12 percent last year.")
    suggesting.suggest_for(claim.source)
    assert not claim.source.suggestions.filter(sentence__contains="12 percent").exists()


@pytest.mark.django_db
def test_a_corrected_text_proposes_again_but_keeps_dismissals(editor_client, editor):
    source = paste(editor_client, REMITTANCES)
    dismissed = open_suggestion(source, "$43 million")
    dismissed.dismiss(by=editor)
    opened = source.suggestions.filter(state=SuggestionState.OPEN).exclude(pk=dismissed.pk).first()
    source.correct_text("A new first paragraph with 12 ships.\n\n" + source.text, by=editor)
    moved = source.suggestions.get(fingerprint=opened.fingerprint)
    assert source.text[moved.start : moved.end] == moved.sentence  # at its new place
    assert source.suggestions.get(fingerprint=dismissed.fingerprint).state == SuggestionState.DISMISSED
    assert source.suggestions.filter(sentence__contains="12 ships").exists()


@pytest.mark.django_db
def test_viewers_see_no_suggestions_and_cannot_dismiss(viewer_client, editor_client):
    source = paste(editor_client, REMITTANCES)
    suggestion = open_suggestion(source, "$43 million")
    assert "Worth checking" not in shown(viewer_client.get(reader(source)))
    assert viewer_client.post(reverse("claims:suggestion_dismiss", args=[suggestion.pk])).status_code == 403
    assert viewer_client.post(reverse("claims:source_suggest", args=[source.pk])).status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestionState.OPEN
