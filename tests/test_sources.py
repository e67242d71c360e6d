"""Adding sources (paste, upload, fetch), the reader, capturing claims from selected
words, and correcting a source's text so its claims follow their words."""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Claim, Claimant, ClaimEvent, EventField, Source, SourceState
from claims.workflow import Status

from .conftest import HTMX, is_fragment, shown
from .factories import ClaimantFactory, ClaimFactory, EvidenceFactory, SourceFactory

pytest_plugins = ["tests.local_web"]  # the local_web fixture

ADD = reverse("claims:source_add")

ARTICLE = (
    "Russia eyes closer military cooperation with PH, says Russian ambassador\n"
    "\n"
    "enablePagination: false\n"
    "maxItemsPerPage: 10\n"
    "maxPaginationLinks: 10\n"
    "\n"
    "Metro Manila (CNN Philippines) — Stronger military ties are a key aspect of improving relations, "
    "Russia's envoy to the Philippines said Tuesday.\n"
    "\n"
    '"Of course, we are interested in maintaining our military ties," Russian Ambassador Igor Khovaev told '
    "CNN Philippines' The Source.\n"
    "\n"
    "Khovaev said that Russia has not had any foreign direct investment in the Philippines since 1999.\n"
)

PAGE = """<!doctype html><html><head><title>Klimov visits Manila | Example News</title>
<meta property="og:site_name" content="Example News"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<article><h1>Klimov visits Manila</h1>
<p>Russian Senator Andrey Klimov arrived in Manila on Monday for a two-day visit focused on trade and defence.</p>
<p>Russia accounted for $43 million in overseas remittances last year, only 0.2 percent of the total
$26.9 billion, central bank data showed.</p>
<p>“We would like to have as many friends as possible,” Klimov said at a press briefing in the capital.</p>
</article>
<footer>© Example News. All rights reserved. Privacy policy. Terms of use.</footer>
</body></html>"""


def add(client, how, **fields):
    data = {"how": how, **{f"{how}-{name}": value for name, value in fields.items()}}
    return client.post(ADD, data)


def reader(source, claim=None):
    url = reverse("claims:source_detail", args=[source.pk])
    return f"{url}?claim={claim.pk}" if claim else url


class Marks(HTMLParser):
    """The reader's text as a browser holds it: its characters, and each mark's claim and nesting."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside, self.depth, self.text = False, 0, []
        self.marks = []  # (claim id, status, depth, id attribute)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "source-text":
            self.inside = True
        elif self.inside and tag == "mark":
            self.depth += 1
            self.marks.append((int(attrs["data-claim"]), attrs["data-status"], self.depth, attrs.get("id")))

    def handle_endtag(self, tag):
        if self.inside and tag == "mark":
            self.depth -= 1
        elif self.inside and tag == "div":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.text.append(data)


def read_marks(response) -> Marks:
    parser = Marks()
    parser.feed(response.content.decode())
    return parser


# Adding a source


def test_pasting_an_article_keeps_its_words_and_drops_page_debris(editor_client, editor):
    response = add(editor_client, "paste", text=ARTICLE.replace("\n", "\r\n"), kind="news_article")

    source = Source.objects.get()
    assert response.status_code == 302 and response.url == reader(source)
    assert "enablePagination" not in source.text and "maxItemsPerPage" not in source.text
    assert "\r" not in source.text
    assert "Metro Manila (CNN Philippines) — Stronger military ties" in source.text
    assert source.title == "Russia eyes closer military cooperation with PH, says Russian ambassador"
    assert source.added_by == editor and source.state == SourceState.READY
    assert source.history.get().history_user == editor


def test_an_empty_paste_is_refused_and_adds_nothing(editor_client):
    response = add(editor_client, "paste", text="   \n  ", kind="news_article")

    assert response.status_code == 422
    assert "Paste the article" in shown(response)
    assert not Source.objects.exists()


def test_the_same_article_twice_is_refused_with_a_link_to_the_first(editor_client):
    add(editor_client, "paste", text=ARTICLE, kind="news_article")
    response = add(editor_client, "paste", text=ARTICLE, kind="news_article")

    assert response.status_code == 422
    assert "already on the desk" in shown(response)
    assert Source.objects.count() == 1


def test_uploading_a_saved_web_page_keeps_only_the_article(editor_client):
    upload = SimpleUploadedFile("klimov.html", PAGE.encode(), content_type="text/html")
    response = editor_client.post(ADD, {"how": "upload", "upload-file": upload, "upload-kind": "news_article"})

    source = Source.objects.get()
    assert response.status_code == 302
    assert "Russia accounted for $43 million in overseas remittances" in source.text
    assert "cookies" not in source.text and "Subscribe" not in source.text and "Privacy" not in source.text
    assert "Klimov visits Manila" in source.title


def test_uploading_a_text_file(editor_client):
    upload = SimpleUploadedFile("article.txt", ARTICLE.encode(), content_type="text/plain")
    editor_client.post(ADD, {"how": "upload", "upload-file": upload, "upload-kind": "news_article"})

    assert "since 1999" in Source.objects.get().text


def test_an_upload_of_another_kind_of_file_is_refused_with_what_is_accepted(editor_client):
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.7 ...", content_type="application/pdf")
    response = editor_client.post(ADD, {"how": "upload", "upload-file": upload, "upload-kind": "report"})

    assert response.status_code == 422
    assert ".txt" in shown(response) and ".html" in shown(response)
    assert not Source.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(editor_client, settings):
    settings.SOURCE_UPLOAD_MAX_BYTES = 1000
    upload = SimpleUploadedFile("long.txt", b"word " * 1000, content_type="text/plain")
    response = editor_client.post(ADD, {"how": "upload", "upload-file": upload, "upload-kind": "news_article"})

    assert response.status_code == 422
    assert "sources can be up to" in shown(response)
    assert not Source.objects.exists()


def test_viewers_cannot_add_sources(viewer_client):
    assert viewer_client.get(ADD).status_code == 403
    assert add(viewer_client, "paste", text=ARTICLE, kind="news_article").status_code == 403
    assert not Source.objects.exists()


@pytest.fixture
def fetching_locally(settings):
    # The test's web server is on 127.0.0.1, which Claimdesk refuses by default.
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True
    settings.FETCH_TIMEOUT_SECONDS = 5


def test_a_source_given_by_its_address_is_fetched_in_the_background(
    editor_client, local_web, fetching_locally, django_capture_on_commit_callbacks
):
    local_web.add("/news/klimov", PAGE)

    with django_capture_on_commit_callbacks(execute=True):
        response = add(editor_client, "fetch", url=local_web.url("/news/klimov"), kind="news_article")

    source = Source.objects.get()
    assert response.status_code == 302 and response.url == reader(source)
    assert source.state == SourceState.READY and source.fetched_at is not None
    assert "only 0.2 percent of the total" in source.text
    assert "Klimov visits Manila" in source.title
    page = shown(editor_client.get(reader(source)))
    assert "Russian Senator Andrey Klimov arrived in Manila" in page


def test_a_failed_fetch_says_why_and_can_be_tried_again(
    editor_client, local_web, fetching_locally, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add(editor_client, "fetch", url=local_web.url("/not-yet"), kind="news_article")

    source = Source.objects.get()
    assert source.state == SourceState.FAILED
    page = shown(editor_client.get(reader(source)))
    assert "could not be fetched" in page and "404" in page and "Try again" in page

    local_web.add("/not-yet", PAGE)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("claims:source_fetch", args=[source.pk]))

    source.refresh_from_db()
    assert response.status_code == 302
    assert source.state == SourceState.READY and "remittances" in source.text and source.fetch_error == ""


def test_private_addresses_are_not_fetched(editor_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add(editor_client, "fetch", url="http://169.254.169.254/latest/meta-data/", kind="other")

    source = Source.objects.get()
    assert source.state == SourceState.FAILED
    assert "private or local address" in source.fetch_error


def test_while_a_source_is_fetched_its_page_shows_progress_then_reloads_itself(editor_client):
    source = SourceFactory(text="", url="https://news.example.org/a", state=SourceState.FETCHING)
    progress = {**HTMX, "HTTP_HX_TARGET": "source-progress"}

    response = editor_client.get(reader(source), **progress)
    assert response.status_code == 200 and is_fragment(response)
    assert 'hx-trigger="every 1s"' in response.content.decode()
    assert "Fetching the page and extracting the article" in shown(response)

    Source.objects.filter(pk=source.pk).update(state=SourceState.READY, text="The article.")
    response = editor_client.get(reader(source), **progress)
    assert response.headers["HX-Refresh"] == "true"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the roles come from migrations
def test_the_database_queue_holds_the_fetch_until_the_worker_runs_it(editor, local_web, fetching_locally, settings):
    from django.core.management import call_command
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    local_web.add("/news/klimov", PAGE)
    client = Client()
    client.force_login(editor)

    add(client, "fetch", url=local_web.url("/news/klimov"), kind="news_article")
    source = Source.objects.get()
    assert source.state == SourceState.QUEUED and DBTaskResult.objects.count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    source.refresh_from_db()
    assert source.state == SourceState.READY and "remittances" in source.text


# The reader


@pytest.fixture
def article(db):
    return SourceFactory(
        text=ARTICLE.replace("enablePagination: false\nmaxItemsPerPage: 10\nmaxPaginationLinks: 10\n\n", "")
    )


def claim_on(source, quote, **kwargs):
    return ClaimFactory(source=source, quote=quote, quote_start=source.text.index(quote), **kwargs)


def test_the_reader_shows_the_whole_text_with_each_quote_marked_in_its_status(editor_client, article):
    fdi = claim_on(
        article, "Russia has not had any foreign direct investment in the Philippines since 1999", researching=True
    )
    ties = claim_on(article, "Stronger military ties are a key aspect of improving relations", published=True)

    marks = read_marks(editor_client.get(reader(article)))

    assert "".join(marks.text) == article.text  # exactly the source's characters, nothing added
    assert {(claim, status) for claim, status, _, _ in marks.marks} == {
        (fdi.pk, Status.RESEARCHING),
        (ties.pk, Status.PUBLISHED),
    }
    assert {anchor for *_, anchor in marks.marks} >= {f"quote-{fdi.pk}", f"quote-{ties.pk}"}


def test_overlapping_quotes_both_stay_marked(editor_client, article):
    sentence = "Russia has not had any foreign direct investment in the Philippines since 1999"
    whole = claim_on(article, sentence)
    year = claim_on(article, "since 1999")

    marks = read_marks(editor_client.get(reader(article)))

    assert "".join(marks.text) == article.text
    nested = [(claim, depth) for claim, _, depth, _ in marks.marks]
    assert (whole.pk, 1) in nested and (year.pk, 2) in nested  # the shorter quote inside the longer


def test_the_reader_lists_the_sources_claims_with_status_and_verdict(viewer_client, article):
    claim_on(article, "since 1999", published=True, summary="No Russian FDI since 1999")

    page = shown(viewer_client.get(reader(article)))

    assert "1 claim in this source" in page
    assert "No Russian FDI since 1999" in page and "Published" in page and "True" in page
    assert "New claim from selection" not in page  # a viewer reads only


def test_clicking_a_quote_opens_its_claim_beside_the_text(editor_client, article):
    claim = claim_on(article, "since 1999", summary="No Russian FDI since 1999", researching=True)
    EvidenceFactory(claim=claim, url="https://www.bsp.gov.ph/statistics/fdi")

    response = editor_client.get(reader(article, claim), **HTMX, HTTP_HX_TARGET="reader-claim")

    assert response.status_code == 200 and is_fragment(response)
    assert 'id="reader-claim"' in response.content.decode()
    assert "No Russian FDI since 1999" in shown(response) and "bsp.gov.ph/statistics/fdi" in shown(response)
    assert reverse("claims:claim_detail", args=[claim.pk]) in response.content.decode()


def test_without_javascript_the_claim_opens_in_the_full_page(editor_client, article):
    claim = claim_on(article, "since 1999", summary="No Russian FDI since 1999")

    response = editor_client.get(reader(article, claim))

    assert not is_fragment(response)
    assert re.search(r'id="reader-claim".*No Russian FDI since 1999', shown(response), re.S)


def test_the_desk_links_each_claim_to_its_place_in_the_reader(editor_client, article):
    claim = claim_on(article, "since 1999")

    page = editor_client.get(reverse("claims:claim_list")).content.decode()

    assert f"{reader(article, claim)}#quote-{claim.pk}" in page.replace("&amp;", "&")


def test_the_reader_runs_the_same_queries_for_one_claim_and_fifty(editor_client, django_assert_max_num_queries):
    source = SourceFactory(text=" ".join(f"Sentence {n} says {n} percent." for n in range(60)))
    claim_on(source, "Sentence 0 says 0 percent.")
    with django_assert_max_num_queries(12):
        editor_client.get(reader(source))
    for n in range(1, 50):
        claim_on(source, f"Sentence {n} says {n} percent.")
    with django_assert_max_num_queries(12):
        response = editor_client.get(reader(source))
    assert len(read_marks(response).marks) == 50


# Capturing a claim from selected words


def selection(source, words):
    start = source.text.index(words)
    return {"start": start, "end": start + len(words)}


def test_selected_words_open_a_new_claim_form_with_the_quote_and_the_speaker(editor_client, article):
    words = "Russia has not had any foreign direct investment in the Philippines since 1999"
    url = reverse("claims:claim_capture", args=[article.pk])

    response = editor_client.get(url, selection(article, words), **HTMX, HTTP_HX_TARGET="reader-claim")

    page = shown(response)
    assert response.status_code == 200 and is_fragment(response)
    assert words in page
    before = article.text[article.text.index(words) - 32 : article.text.index(words)]
    assert f'<span class="context">…{before}</span>' in page  # the context that anchors it
    assert 'value="Igor Khovaev"' in page  # "Khovaev said" → the full name the article gives
    assert "Khovaev said" in page


def test_a_known_speaker_is_chosen_from_the_claimants(editor_client, article):
    khovaev = ClaimantFactory(name="Igor Khovaev")
    words = "Russia has not had any foreign direct investment in the Philippines since 1999"
    url = reverse("claims:claim_capture", args=[article.pk])

    response = editor_client.get(url, selection(article, words))

    assert re.search(rf'<option value="{khovaev.pk}" selected>Igor Khovaev</option>', response.content.decode())


def test_a_claim_captured_from_a_selection_is_anchored_and_highlighted(editor_client, editor, article):
    words = "Russia has not had any foreign direct investment in the Philippines since 1999"
    url = reverse("claims:claim_capture", args=[article.pk])
    data = {
        **selection(article, words),
        "quote": words,
        "summary": "Russia has made no direct investment in the Philippines since 1999",
        "kind": "statistic",
        "new_claimant": "Igor Khovaev",
        "new_claimant_role": "Russian Ambassador",
    }

    response = editor_client.post(url, data, **HTMX)

    claim = Claim.objects.get()
    assert article.text[claim.quote_start : claim.quote_end] == words == claim.quote
    assert claim.quote_prefix == article.text[claim.quote_start - 32 : claim.quote_start]
    assert claim.claimant == Claimant.objects.get(name="Igor Khovaev", role="Russian Ambassador")
    assert claim.status == Status.NEW and claim.changed_by == editor
    assert ClaimEvent.objects.filter(claim=claim, field=EventField.STATUS, actor=editor).exists()
    assert response.headers["HX-Retarget"] == "#reader"
    assert response.headers["HX-Push-Url"].endswith(f"?claim={claim.pk}")
    assert (claim.pk, Status.NEW) in {(pk, status) for pk, status, _, _ in read_marks(response).marks}


def test_without_javascript_a_claim_is_captured_by_typing_its_words(editor_client, article):
    url = reverse("claims:claim_capture", args=[article.pk])

    response = editor_client.post(url, {"quote": "since 1999", "summary": "No FDI since 1999", "kind": "statistic"})

    claim = Claim.objects.get()
    assert response.status_code == 302 and response.url == f"{reader(article, claim)}#quote-{claim.pk}"
    assert article.text[claim.quote_start : claim.quote_end] == "since 1999"


def test_words_that_are_not_in_the_text_make_no_claim(editor_client, article):
    url = reverse("claims:claim_capture", args=[article.pk])

    response = editor_client.post(url, {"quote": "since 2001", "summary": "No FDI", "kind": "statistic"}, **HTMX)

    assert response.status_code == 422
    assert "since 2001" in shown(response)
    assert not Claim.objects.exists()


def test_a_selection_made_before_the_text_was_corrected_still_finds_its_words(editor_client, editor, article):
    words = "since 1999"
    stale = selection(article, words)
    article.correct_text("Update: figures revised.\n\n" + article.text, by=editor)
    url = reverse("claims:claim_capture", args=[article.pk])

    editor_client.post(url, {**stale, "quote": words, "summary": "No FDI since 1999", "kind": "statistic"})

    article.refresh_from_db()
    claim = Claim.objects.get()
    assert article.text[claim.quote_start : claim.quote_end] == words
    assert claim.quote_start == stale["start"] + len("Update: figures revised.\n\n")


def test_viewers_cannot_capture_claims(viewer_client, article):
    url = reverse("claims:claim_capture", args=[article.pk])

    response = viewer_client.post(url, {"quote": "since 1999", "summary": "No FDI", "kind": "statistic"})

    assert response.status_code == 403 and not Claim.objects.exists()


# Correcting a source's text


def correct(client, source, text, based_on=None):
    url = reverse("claims:source_text", args=[source.pk])
    return client.post(url, {"text": text, "based_on": based_on or source.version})


def test_correcting_the_text_moves_each_claim_with_its_words_and_orphans_the_lost(editor_client, editor, article):
    kept = claim_on(article, "Stronger military ties are a key aspect of improving relations")
    fdi_words = "Russia has not had any foreign direct investment in the Philippines since 1999"
    lost = claim_on(article, fdi_words, researching=True)
    corrected = "Correction appended.\n\n" + article.text.replace(
        "Khovaev said that " + fdi_words + ".", "Khovaev declined to discuss investment."
    )

    response = correct(editor_client, article, corrected)

    assert response.status_code == 302 and response.url == reader(article)
    kept.refresh_from_db()
    lost.refresh_from_db()
    assert corrected[kept.quote_start : kept.quote_end] == kept.quote
    assert kept.orphaned_at is None
    event = kept.events.get(field=EventField.ANCHOR)
    assert event.actor == editor and "context" in event.note
    assert lost.orphaned_at is not None and lost.quote == fdi_words  # kept, never dropped
    assert lost.status == Status.RESEARCHING
    assert lost.events.get(field=EventField.ANCHOR).new_label == "not found (orphaned)"
    follow = shown(editor_client.get(reader(article)))
    assert "1 orphaned" in follow and "Orphaned:" in follow
    timeline = shown(editor_client.get(kept.get_absolute_url()))
    assert f"placed its quote at <em>characters {kept.quote_start}–{kept.quote_end}</em> of the source" in timeline
    assert "no longer holds its quote: <em>orphaned</em>" in shown(editor_client.get(lost.get_absolute_url()))


def test_a_corrected_typo_inside_a_quote_is_found_by_a_fuzzy_match(editor_client, article):
    article.text = article.text.replace("CNN Philippines' The Source", "CNN Phiilppines' The Source")
    article.save()
    words = "Russian Ambassador Igor Khovaev told CNN Phiilppines' The Source"
    claim = claim_on(article, words)

    correct(editor_client, article, article.text.replace("Phiilppines", "Philippines"))

    claim.refresh_from_db()
    article.refresh_from_db()
    assert claim.quote == "Russian Ambassador Igor Khovaev told CNN Philippines' The Source"
    assert article.text[claim.quote_start : claim.quote_end] == claim.quote
    assert "fuzzy" in claim.events.get(field=EventField.ANCHOR).note


def test_orphaned_claims_are_flagged_on_the_desk_and_can_be_filtered(editor_client, editor, article):
    lost = claim_on(article, "since 1999", summary="No Russian FDI since 1999")
    claim_on(article, "Stronger military ties", summary="Military ties are key")
    article.correct_text(article.text.replace("since 1999", "for years"), by=editor)

    desk = editor_client.get(reverse("claims:claim_list")).content.decode()
    orphaned = shown(editor_client.get(reverse("claims:claim_list"), {"anchor": "orphaned"}))

    assert f'href="{reader(article, lost)}" title="The source' in desk.replace("&amp;", "&")
    assert "No Russian FDI since 1999" in orphaned and "Military ties are key" not in orphaned
    claim_page = shown(editor_client.get(lost.get_absolute_url()))
    assert "Orphaned." in claim_page and "Place it again in the reader" in claim_page


def test_an_orphan_is_placed_again_at_selected_words(editor_client, editor, article):
    lost = claim_on(article, "since 1999")
    article.correct_text(article.text.replace("since 1999", "since the year 1999"), by=editor)
    lost.refresh_from_db()
    article.refresh_from_db()
    words = "since the year 1999"

    response = editor_client.post(
        reverse("claims:claim_place", args=[lost.pk]),
        {**selection(article, words), "quote": words, "based_on": lost.version},
        **HTMX,
    )

    lost.refresh_from_db()
    assert response.status_code == 200
    assert lost.orphaned_at is None and lost.quote == words
    assert article.text[lost.quote_start : lost.quote_end] == words
    assert lost.events.filter(field=EventField.ANCHOR).count() == 2


def test_a_correction_based_on_an_older_text_is_refused_and_keeps_what_was_typed(editor_client, other_editor, article):
    seen = article.version
    article.correct_text(article.text + "\nA later paragraph.", by=other_editor)

    response = correct(editor_client, article, "My own rewrite of the text.", based_on=seen)

    article.refresh_from_db()
    assert response.status_code == 409
    page = shown(response)
    assert "Someone corrected this text since you opened it" in page
    assert "My own rewrite of the text." in page and other_editor.username in page
    assert "My own rewrite" not in article.text


def test_emptying_a_source_is_refused(editor_client, article):
    response = correct(editor_client, article, "   ")

    assert response.status_code == 422
    article.refresh_from_db()
    assert article.text.strip()


def test_viewers_cannot_correct_texts(viewer_client, article):
    assert correct(viewer_client, article, "Changed.").status_code == 403


def test_the_source_list_counts_claims_and_orphans(editor_client, editor, article):
    claim_on(article, "since 1999")
    claim_on(article, "Stronger military ties")
    article.correct_text(article.text.replace("since 1999", "for years"), by=editor)

    page = shown(editor_client.get(reverse("claims:source_list")))

    assert article.title in page and "1 orphaned" in page


def test_the_source_list_runs_the_same_queries_for_one_source_and_fifty(editor_client, django_assert_max_num_queries):
    ClaimFactory()
    with django_assert_max_num_queries(8):
        editor_client.get(reverse("claims:source_list"))
    for _ in range(49):
        ClaimFactory()
    with django_assert_max_num_queries(8):
        page = shown(editor_client.get(reverse("claims:source_list")))
    assert len(re.findall(r'id="source-row-', page)) == 50


def test_the_source_list_finds_sources_by_words_in_title_or_text(editor_client):
    SourceFactory(title="Remittances fall", text="Overseas workers sent less money home.")
    SourceFactory(title="Defence deal", text="The ambassador spoke of submarines.")

    page = shown(editor_client.get(reverse("claims:source_list"), {"q": "submarines"}))

    assert "Defence deal" in page and "Remittances fall" not in page
