"""Suggestions of what to check: proposed when a source arrives (and on demand), shown
in the reader with their reasons and likely claimant, accepted into claims or dismissed
for good."""

import json
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from claims import suggesting
from claims.models import Claim, Source, SuggestionState
from claims.reader import highlighted_text

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
def test_a_share_written_in_words_is_suggested_with_its_reason(editor_client):
    text = "The weather was mild. Two-thirds of the fleet stayed in port all winter."
    source = paste(editor_client, text, title="Fleet")
    fleet = open_suggestion(source, "Two-thirds")
    assert [(reason["code"], reason["label"]) for reason in fleet.reasons] == [("share", "a share")]
    assert "a share" in shown(editor_client.get(reader(source)))


@pytest.mark.django_db
def test_accepting_makes_a_claim_of_the_sentence_at_its_offsets(editor_client, editor):
    source = paste(editor_client, REMITTANCES)
    suggestion = open_suggestion(source, "$43 million")
    capture = reverse("claims:claim_capture", args=[source.pk])
    form = editor_client.get(capture, {"suggestion": suggestion.pk}, **HTMX)
    assert is_fragment(form)
    assert f'name="suggestion" value="{suggestion.pk}"' in form.content.decode()
    assert suggestion.sentence in shown(form)
    assert "Suggested for a money amount: $43 million" in " ".join(strip_tags(shown(form)).split())
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


class TextLayer(HTMLParser):
    """The reader's text as a browser holds it: its characters, and the words each
    underlined suggestion covers (a suggestion cut by a claim's mark comes in pieces)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside, self.text, self.open, self.underlined, self.ids = False, [], [], {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "source-text":
            self.inside = True
            self.out_of_band = attrs.get("hx-swap-oob") == "true"
        elif self.inside and tag == "span" and "suggested" in attrs.get("class", "").split():
            self.open.append(int(attrs["data-suggestion"]))
            if attrs.get("id"):
                self.ids.append(attrs["id"])
        elif self.inside and tag == "span":
            self.open.append(None)

    def handle_endtag(self, tag):
        if self.inside and tag == "span":
            self.open.pop()
        elif self.inside and tag == "div":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.text.append(data)
            for suggestion in filter(None, self.open):
                self.underlined[suggestion] = self.underlined.get(suggestion, "") + data


def text_layer(html) -> TextLayer:
    layer = TextLayer()
    layer.feed(html)
    return layer


@pytest.mark.django_db
def test_suggested_sentences_are_underlined_in_the_text(editor_client):
    source = paste(editor_client, REMITTANCES)
    layer = text_layer(editor_client.get(reader(source)).content.decode())
    assert "".join(layer.text) == source.text  # the underlines add no character: offsets still count right
    open_ones = {s.pk: s.sentence for s in source.suggestions.filter(state=SuggestionState.OPEN)}
    assert layer.underlined == open_ones
    assert sorted(layer.ids) == sorted(f"suggested-{pk}" for pk in open_ones)  # "Show in the text" lands there


@pytest.mark.django_db
def test_viewers_see_the_text_without_underlines(viewer_client, editor_client):
    source = paste(editor_client, REMITTANCES)
    layer = text_layer(viewer_client.get(reader(source)).content.decode())
    assert "".join(layer.text) == source.text
    assert layer.underlined == {}


@pytest.mark.django_db
def test_dismissing_takes_the_underline_out_of_the_text_too(editor_client, editor):
    source = paste(editor_client, REMITTANCES)
    suggestion = open_suggestion(source, "$43 million")
    response = editor_client.post(reverse("claims:suggestion_dismiss", args=[suggestion.pk]), **HTMX)
    layer = text_layer(response.content.decode())
    assert layer.out_of_band  # htmx swaps the text beside the list
    assert "".join(layer.text) == source.text
    assert suggestion.pk not in layer.underlined
    assert layer.underlined  # the other open ones stay


@pytest.mark.django_db
def test_an_accepted_suggestion_becomes_a_mark_and_loses_its_underline(editor_client, editor):
    source = paste(editor_client, REMITTANCES)
    suggestion = open_suggestion(source, "$43 million")
    claim = suggesting.accept(suggestion, by=editor, summary="Remittances", kind="statistic")
    page = editor_client.get(reader(source)).content.decode()
    assert suggestion.pk not in text_layer(page).underlined
    assert f'data-claim="{claim.pk}"' in page


@pytest.mark.django_db
def test_a_claim_inside_a_suggested_sentence_nests_within_its_underline(editor):
    source = SourceFactory(text="Intro. Exports grew by 12 percent in 2019, the ministry said. Outro.")
    suggesting.suggest_for(source)
    suggestion = source.suggestions.get()
    words = "12 percent"
    at = source.text.index(words)
    claim = Claim.capture(source, at, at + len(words), quote=words, by=editor, summary="Exports", kind="statistic")
    html = highlighted_text(source, [claim], suggestions=[suggestion])
    layer = text_layer(f'<div id="source-text">{html}</div>')
    assert "".join(layer.text) == source.text
    assert layer.underlined == {suggestion.pk: suggestion.sentence}
    assert f'<mark class="hl" data-status="{claim.status}" data-claim="{claim.pk}" id="quote-{claim.pk}"' in html
    assert html.index(f"suggested-{suggestion.pk}") < html.index(f"quote-{claim.pk}")  # the longer span outside


# Long texts: read by the worker, not during the request


@pytest.mark.django_db
def test_a_long_text_is_read_for_suggestions_by_the_worker(editor_client, settings, django_capture_on_commit_callbacks):
    settings.SUGGEST_IN_REQUEST_MAX_CHARS = len(REMITTANCES) // 2
    with django_capture_on_commit_callbacks() as queued:
        source = paste(editor_client, REMITTANCES)
    assert source.suggestions_queued_at is not None and not source.suggestions.exists()
    waiting = editor_client.get(reader(source))
    assert "Reading the text for sentences worth checking" in shown(waiting)
    assert 'hx-trigger="every 2s"' in waiting.content.decode()  # the list asks again until they arrive

    for job in queued:  # what db_worker does once the request has committed
        job()
    source.refresh_from_db()
    assert source.suggestions_queued_at is None
    assert open_suggestion(source, "$43 million")
    polled = editor_client.get(reader(source), HTTP_HX_TARGET="source-suggestions", **HTMX)
    assert is_fragment(polled) and "every 2s" not in polled.content.decode()
    layer = text_layer(polled.content.decode())
    assert layer.out_of_band and set(layer.underlined) == set(source.suggestions.values_list("pk", flat=True))


@pytest.mark.django_db
def test_suggesting_again_on_a_long_text_says_it_is_read_in_the_background(editor_client, settings):
    source = SourceFactory(text="Unemployment fell to 4.7 percent in 2016.\n\n" + "Thank you. " * 10)
    settings.SUGGEST_IN_REQUEST_MAX_CHARS = 20
    response = editor_client.post(reverse("claims:source_suggest", args=[source.pk]), **HTMX)
    assert "being read in the background" in shown(response)
    source.refresh_from_db()
    assert source.suggestions_queued_at is not None


@pytest.mark.django_db
def test_suggestions_read_from_a_text_corrected_meanwhile_are_not_stored(editor):
    source = SourceFactory(text="Exports grew by 12 percent in 2019.\n\nImports fell by 3 percent.")
    read_before_the_correction = Source.objects.get(pk=source.pk)
    source.correct_text("A new opening with 40 ships.\n\n" + source.text, by=editor)
    before = set(source.suggestions.values_list("start", "sentence"))
    assert suggesting.suggest_for(read_before_the_correction) == []
    after = set(source.suggestions.values_list("start", "sentence"))
    assert after == before
    assert all(source.text[start:].startswith(sentence) for start, sentence in after)  # at the new offsets


@pytest.mark.django_db
def test_a_job_leaves_the_waiting_mark_to_a_later_request(editor):
    source = SourceFactory(text="Exports grew by 12 percent in 2019.")
    later = timezone.now() + timedelta(minutes=1)  # asked again after this job started
    Source.objects.filter(pk=source.pk).update(suggestions_queued_at=later)
    assert suggesting.suggest_in_background(source.pk) == 1
    source.refresh_from_db()
    assert source.suggestions_queued_at == later
    assert suggesting.suggest_in_background(999_999) == 0  # a deleted source: nothing to do


@pytest.mark.django_db
def test_the_source_list_counts_each_sources_open_suggestions(editor_client, viewer_client, editor):
    source = paste(editor_client, REMITTANCES)
    for start in (0, 50):  # claims on it must not multiply the count, nor it theirs
        ClaimFactory(source=source, quote=source.text[start : start + 20])
    open_ones = source.suggestions.filter(state=SuggestionState.OPEN)
    open_suggestion(source, "$43 million").dismiss(by=editor)
    expected = open_ones.count()
    page = shown(editor_client.get(reverse("claims:source_list")))
    assert f'href="{reader(source)}#source-suggestions">{expected} suggested</a>' in page
    assert "<td>2</td>" in page  # its two claims
    assert "suggested</a>" not in shown(viewer_client.get(reverse("claims:source_list")))
