"""End to end in real headless Chromium (Debian's package, driven by Playwright):
the flows a person walks through, on the demo data, against a live server.

Skipped where no Chromium is installed, except when CLAIMDESK_REQUIRE_BROWSER=1
(as in CI), where a missing browser fails the run instead."""

import io
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections
from django.urls import reverse

from claims.demo import DEMO_PASSWORD
from claims.models import Annotation, Claim, Claimant, Rating, Source
from claims.workflow import Status

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = os.environ.get("CLAIMDESK_SCREENSHOTS")  # a folder: save the README's screenshots there
FDI_QUOTE = "Russia has not had any foreign direct investment in the Philippines since 1999, central bank data showed."

pytest_plugins = ["tests.local_web"]  # the local_web fixture

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized rollback restores the roles
    # and ratings that migrations created once the test has flushed the database.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(demo, monkeypatch):
    """A fresh Chromium per test. It starts after the database is set up and stops
    before the database is flushed: Django refuses ORM calls while Playwright's
    event loop runs, except where DJANGO_ALLOW_ASYNC_UNSAFE allows them (the test
    body's own queries, which are synchronous and safe)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CLAIMDESK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"No Chromium at {CHROMIUM}; CI must run the browser tests (apt-get install chromium).")
        pytest.skip(f"No Chromium at {CHROMIUM}: install Debian's chromium package to run the browser tests.")
    from playwright.sync_api import expect, sync_playwright

    # The machines are shared and have two cores: give a swap the same time as a click.
    expect.set_options(timeout=10_000)

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            # This machine's network is closed; without these Chromium keeps trying to reach Google.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    yield browser
    # Connections the test body opened while the loop ran live in the loop's context:
    # close them here, or PostgreSQL refuses to drop the test database at the end.
    connections.close_all()
    browser.close()
    playwright.stop()
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE")


@pytest.fixture
def demo(settings, live_server):
    """The demo users and data, as `make run` sets them up (the demo needs DEBUG)."""
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    return live_server


@pytest.fixture
def page(demo, browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=demo.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = Path("test-artifacts")
        folder.mkdir(exist_ok=True)
        page.screenshot(path=folder / f"{request.node.name}.png", full_page=True, timeout=30_000)
    context.close()


def log_in(page, username):
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))


def save_screenshot(page, name):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SCREENSHOTS) / f"{name}.png", full_page=True)


def no_reload_since_marked(page) -> bool:
    return page.evaluate("window.__claimdeskMarker === true")


def test_editor_works_the_fdi_claim(page):
    log_in(page, "editor")
    expect = pytest.importorskip("playwright.sync_api").expect
    rows = page.locator("table.claims tbody tr")
    all_count = rows.count()
    save_screenshot(page, "desk")

    # Filter the desk: the list changes in place and the address follows.
    page.evaluate("window.__claimdeskMarker = true")
    page.get_by_label("Search").fill("foreign direct investment")
    expect(rows).to_have_count(1)
    assert "q=foreign+direct+investment" in page.url
    page.get_by_label("Status", exact=True).select_option("researching")
    page.wait_for_url(re.compile(r"status=researching"))
    expect(rows).to_have_count(1)
    expect(page.locator("nav.status-tabs a[aria-current]")).to_contain_text("Researching")
    assert no_reload_since_marked(page)

    # The back button returns to the previous filter.
    page.go_back()
    page.wait_for_url(re.compile(r"q=foreign\+direct\+investment$"))
    expect(page.get_by_label("Status", exact=True)).to_have_value("")

    # Open the FDI claim: its quote is highlighted in the paragraph.
    page.get_by_role("link", name=re.compile("foreign direct investment", re.I)).first.click()
    expect(page.locator("blockquote.passage mark.quote")).to_have_text(FDI_QUOTE)
    header = page.locator("#claim-header")
    expect(header.locator(".badge.status")).to_have_text("Researching")
    send_to_review = page.get_by_role("button", name="Send to review")
    expect(send_to_review).to_be_disabled()

    # Verdict, then status, without leaving the page; the header and history follow.
    page.evaluate("window.__claimdeskMarker = true")
    verdict_panel = page.locator("#verdict-panel")
    verdict_panel.get_by_label("Verdict").select_option("mostly-true")
    verdict_panel.get_by_label("Rationale").fill("BSP's FDI tables list no Russian equity inflows after 1999.")
    verdict_panel.get_by_role("button", name="Save verdict").click()
    expect(header.locator(".badge.verdict")).to_have_text("Mostly true")
    expect(send_to_review).to_be_enabled()
    page.locator("#status-panel").get_by_label("Note", exact=True).fill("Ready for a second pair of eyes")
    send_to_review.click()
    expect(header.locator(".badge.status")).to_have_text("In review")
    history = page.locator("#claim-history")
    expect(history).to_contain_text("moved it from Researching to In review")
    expect(history).to_contain_text("Ready for a second pair of eyes")
    expect(history).to_contain_text("rated it Mostly true")
    expect(page.locator("#source-claims")).to_contain_text("In review")

    # A note, added in place.
    notes = page.locator("#annotations")
    notes.get_by_label("Note").fill("Asked BSP for the country breakdown back to 1999.")
    notes.get_by_role("button", name="Add note").click()
    expect(notes.locator(".annotation").last).to_contain_text("Asked BSP for the country breakdown")
    expect(notes.get_by_label("Note")).to_have_value("")
    assert no_reload_since_marked(page)
    save_screenshot(page, "claim")

    # Reload: everything was kept.
    page.reload()
    expect(header.locator(".badge.status")).to_have_text("In review")
    expect(header.locator(".badge.verdict")).to_have_text("Mostly true")
    expect(notes).to_contain_text("Asked BSP for the country breakdown back to 1999.")
    claim = Claim.objects.get(quote__startswith=FDI_QUOTE)
    assert (claim.status, claim.verdict.key) == (Status.IN_REVIEW, "mostly-true")
    assert Annotation.objects.filter(claim=claim, body__startswith="Asked BSP").exists()
    assert all_count > 1


def test_rejected_evidence_keeps_what_was_typed(page):
    expect = pytest.importorskip("playwright.sync_api").expect
    log_in(page, "editor")
    claim = Claim.objects.get(quote__startswith=FDI_QUOTE)
    page.goto(claim.get_absolute_url())
    form = page.locator("#evidence-form")
    form.get_by_label("Stance").select_option("refutes")
    form.get_by_label("Excerpt").fill("Net FDI from Russia, 2012: see table 3.")
    form.get_by_role("button", name="Add evidence").click()  # neither a source nor a URL
    expect(form.locator(".error")).to_contain_text("Give the evidence a source or a URL.")
    expect(form.get_by_label("Excerpt")).to_have_value("Net FDI from Russia, 2012: see table 3.")
    form.get_by_label("URL").fill("https://www.bsp.gov.ph/statistics/external/fdi.aspx")
    form.get_by_role("button", name="Add evidence").click()
    expect(page.locator("#evidence-list")).to_contain_text("Net FDI from Russia, 2012: see table 3.")
    expect(form.get_by_label("Excerpt")).to_have_value("")
    assert claim.evidence.filter(stance="refutes", url__contains="bsp.gov.ph").count() == 1


def test_viewer_sees_no_controls(page):
    expect = pytest.importorskip("playwright.sync_api").expect
    log_in(page, "viewer")
    expect(page.locator("table.claims tbody tr").first).to_be_visible()
    claim = Claim.objects.get(quote__startswith=FDI_QUOTE)
    page.goto(claim.get_absolute_url())
    expect(page.locator("mark.quote").first).to_have_text(FDI_QUOTE)
    for form in [
        "#status-panel form",
        "#verdict-panel form",
        "#assignment-panel form",
        "#annotation-form",
        "#evidence-form",
    ]:
        expect(page.locator(form)).to_have_count(0)
    expect(page.locator("button[name=target]")).to_have_count(0)
    expect(page.locator("#status-panel")).to_contain_text("moving it on needs an editor's account")


def test_without_javascript_the_forms_still_work(browser, demo):
    expect = pytest.importorskip("playwright.sync_api").expect
    context = browser.new_context(java_script_enabled=False, base_url=demo.url)
    page = context.new_page()
    log_in(page, "editor")
    page.get_by_role("button", name="Apply").click()  # the filter form's fallback button
    claim = Claim.objects.filter(status=Status.NEW).order_by("pk").first()
    page.goto(claim.get_absolute_url())
    page.get_by_role("button", name="Start research").click()
    expect(page.locator("#claim-header .badge.status")).to_have_text("Researching")
    claim.refresh_from_db()
    assert claim.status == Status.RESEARCHING
    context.close()


def session(browser, demo, username):
    """A browser window of its own, logged in as `username`."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=demo.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, username)
    return page


def propose(page, claim, rating, rationale):
    page.goto(claim.get_absolute_url())
    panel = page.locator("#verdict-panel")
    panel.get_by_label("Verdict").select_option(rating)
    panel.get_by_label("Rationale").fill(rationale)
    panel.get_by_role("button", name="Save verdict").click()
    expect = pytest.importorskip("playwright.sync_api").expect
    # As an editor would: see the verdict saved before sending it on (the two
    # requests otherwise race, and review is refused for the old verdict).
    expect(panel.locator(".rationale")).to_contain_text(rationale)
    page.get_by_role("button", name="Send to review").click()
    expect(page.locator("#claim-header .badge.status")).to_have_text("In review")


def test_sign_off_by_a_second_person_then_a_correction(browser, demo):
    expect = pytest.importorskip("playwright.sync_api").expect
    claim = Claim.objects.get(quote__startswith=FDI_QUOTE)
    editor = session(browser, demo, "editor")
    reviewer = session(browser, demo, "reviewer")

    # The editor proposes a verdict and sends it to review; publishing is not theirs.
    propose(editor, claim, "mostly-true", "BSP's FDI tables list no Russian equity inflows after 1999.")
    expect(editor.locator("#claim-header .badge.status")).to_have_text("In review")
    expect(editor.get_by_role("button", name="Approve and publish")).to_have_count(0)
    expect(editor.locator("#status-panel")).to_contain_text("A reviewer can also: Approve and publish.")

    # A reviewer, a second person, publishes it.
    reviewer.goto(claim.get_absolute_url())
    expect(reviewer.locator("#verdict-panel")).to_contain_text("proposed by editor")
    reviewer.get_by_role("button", name="Approve and publish").click()
    expect(reviewer.locator("#claim-header .badge.status")).to_have_text("Published")
    expect(reviewer.locator("#verdict-panel")).to_contain_text("open a correction to change it")

    # Later the verdict changes: only through a correction, which says why and stays on the claim.
    editor.goto(claim.get_absolute_url())
    editor.get_by_role("button", name="Open a correction").click()
    expect(editor.locator("#status-panel .errorlist")).to_contain_text("Say what needs correcting and why")
    editor.locator("#status-panel").get_by_label("Note", exact=True).fill("BSP revised its table: a 2012 inflow.")
    editor.get_by_role("button", name="Open a correction").click()
    expect(editor.locator("#claim-header")).to_contain_text("Correction in progress")
    expect(editor.locator("#verdict-panel .published-verdict")).to_contain_text("Readers see Mostly true")
    editor.reload()
    propose(editor, claim, "false", "BSP's revised table shows a Russian equity inflow in 2012.")
    reviewer.reload()
    reviewer.get_by_role("button", name="Approve and publish").click()
    expect(reviewer.locator("#claim-header .badge.status")).to_have_text("Published")
    reviewer.reload()
    corrections = reviewer.locator("#corrections")
    expect(corrections).to_contain_text("Mostly true → False")
    expect(corrections).to_contain_text("Why: BSP revised its table: a 2012 inflow.")
    expect(corrections).to_contain_text("Opened by editor, approved by reviewer.")
    expect(reviewer.locator("#claim-header .correction-mark")).to_contain_text("Corrected")
    save_screenshot(reviewer, "correction")
    reviewer.goto(reverse("claims:claim_list") + "?q=foreign+direct+investment")
    expect(reviewer.locator("table.claims tbody tr").first.locator(".correction-mark")).to_have_text("corrected")

    claim.refresh_from_db()
    correction = claim.corrections.get()
    assert (claim.published_verdict.key, correction.old_verdict.key, correction.new_verdict.key) == (
        "false",
        "mostly-true",
        "false",
    )


def test_the_proposer_cannot_approve_their_own_verdict(browser, demo):
    expect = pytest.importorskip("playwright.sync_api").expect
    claim = Claim.objects.get(quote__startswith=FDI_QUOTE)
    reviewer = session(browser, demo, "reviewer")
    propose(reviewer, claim, "mostly-true", "BSP's FDI tables list no Russian equity inflows after 1999.")
    approve = reviewer.get_by_role("button", name="Approve and publish")
    expect(approve).to_be_disabled()
    expect(reviewer.locator("#status-panel")).to_contain_text(
        "have it approved by a reviewer other than you, since you proposed this verdict"
    )
    second = session(browser, demo, "admin")
    second.goto(claim.get_absolute_url())
    second.get_by_role("button", name="Approve and publish").click()
    expect(second.locator("#claim-header .badge.status")).to_have_text("Published")
    claim.refresh_from_db()
    assert (claim.status, claim.verdict_by.username, claim.published_by.username) == (
        Status.PUBLISHED,
        "reviewer",
        "admin",
    )


def test_a_status_change_sent_while_the_buttons_refresh_shows_everywhere(browser, demo):
    """Saving a verdict refreshes the status buttons; an editor who sends the claim to
    review before that refresh has come back must still see it go to review, in the
    panel and in the header. (The refresh once replaced the whole status panel under
    the request in flight, and the answer to the request was dropped unseen.)"""
    expect = pytest.importorskip("playwright.sync_api").expect
    claim = Claim.objects.get(quote__startswith=FDI_QUOTE)
    # A verdict is there already, so "Send to review" is open before the refresh.
    claim.set_verdict(
        Rating.objects.get(key="half-true"),
        by=User.objects.get(username="editor"),
        rationale="BSP lists no Russian inflows; we have not yet seen its 2016 table.",
    )
    editor = session(browser, demo, "editor")
    held = {}

    def hold_refresh_and_status_change(route):
        request = route.request
        if request.headers.get("hx-trigger") == "transition-actions":
            held["refresh"] = route
        elif request.method == "POST" and request.url.endswith("/status/"):
            held["status change"] = route
        else:
            route.continue_()

    def wait_for(name):
        for _ in range(200):
            if name in held:
                return held.pop(name)
            editor.wait_for_timeout(50)
        pytest.fail(f"The browser sent no {name}.")

    editor.goto(claim.get_absolute_url())
    editor.route(re.compile(r"/claims/\d+/(status/)?$"), hold_refresh_and_status_change)
    panel = editor.locator("#verdict-panel")
    panel.get_by_label("Verdict").select_option("mostly-true")
    panel.get_by_label("Rationale").fill("BSP's FDI tables list no Russian equity inflows after 1999.")
    panel.get_by_role("button", name="Save verdict").click()
    expect(panel.locator(".rationale")).to_contain_text("BSP's FDI tables")
    refresh = wait_for("refresh")
    editor.get_by_role("button", name="Send to review").click()
    status_change = wait_for("status change")

    # The refresh answers first, while the status change is still on its way.
    editor.evaluate("document.getElementById('transition-actions').dataset.before = 'refresh'")
    refresh.continue_()
    editor.wait_for_function("!document.getElementById('transition-actions').dataset.before")
    status_change.continue_()

    expect(editor.locator("#claim-header .badge.status")).to_have_text("In review")
    expect(editor.locator("#status-panel .badge.status")).to_have_text("In review")
    expect(editor.locator("#claim-history")).to_contain_text("In review")
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


def test_two_sessions_editing_one_claim_see_the_conflict(browser, demo):
    expect = pytest.importorskip("playwright.sync_api").expect
    claim = Claim.objects.get(quote__startswith=FDI_QUOTE)
    first = session(browser, demo, "editor")
    second = session(browser, demo, "reviewer")
    first.goto(claim.get_absolute_url())
    second.goto(claim.get_absolute_url())

    panel = first.locator("#verdict-panel")
    panel.get_by_label("Verdict").select_option("mostly-true")
    panel.get_by_label("Rationale").fill("BSP's FDI tables list no Russian equity inflows after 1999.")
    panel.get_by_role("button", name="Save verdict").click()
    expect(first.locator("#claim-header .badge.verdict")).to_have_text("Mostly true")

    # The second person still has the page as it was before: their save is refused, not applied over.
    panel = second.locator("#verdict-panel")
    panel.get_by_label("Verdict").select_option("unverifiable")
    panel.get_by_label("Rationale").fill("BSP publishes no country breakdown before 2005.")
    panel.get_by_role("button", name="Save verdict").click()
    conflict = second.locator("#verdict-panel .conflict")
    expect(conflict).to_contain_text("Someone changed this claim while you were working on it")
    expect(conflict).to_contain_text("editor rated it Mostly true")
    expect(panel.get_by_label("Rationale")).to_have_value("BSP publishes no country breakdown before 2005.")
    expect(second.locator("#claim-header .badge.verdict")).to_have_text("Mostly true")  # the page caught up
    expect(second.get_by_role("button", name="Send to review")).to_be_enabled()
    save_screenshot(second, "conflict")
    claim.refresh_from_db()
    assert claim.verdict.key == "mostly-true"

    # Having seen it, they choose to apply theirs on top.
    panel.get_by_role("button", name="Save verdict").click()
    expect(second.locator("#claim-header .badge.verdict")).to_have_text("Unverifiable")
    claim.refresh_from_db()
    assert (claim.verdict.key, claim.version) == ("unverifiable", 3)
    assert list(claim.events.filter(field="verdict").order_by("id").values_list("actor__username", flat=True)) == [
        "editor",
        "reviewer",
    ]


def test_a_reviewer_works_the_queue_from_the_keyboard(browser, demo):
    expect = pytest.importorskip("playwright.sync_api").expect
    reviewer = session(browser, demo, "reviewer")
    reviewer.get_by_role("link", name=re.compile(r"My queue")).click()
    reviewer.get_by_role("link", name="Review mode").first.click()
    position = reviewer.locator("#queue-position")
    expect(position).to_contain_text("1 of 4")
    first = reviewer.locator("#review-claim-heading").inner_text()
    legend = reviewer.locator("#shortcut-legend")
    expect(legend).to_contain_text("Approve and publish, when you may")
    # The shortcuts are bound by the deferred script, which may run after the legend shows.
    expect(reviewer.locator("html")).to_have_class(re.compile(r"\bjs\b"))

    reviewer.keyboard.press("j")
    expect(position).to_contain_text("2 of 4")
    reviewer.wait_for_load_state()  # the shortcuts are bound once the page's script has run
    reviewer.keyboard.press("k")
    expect(reviewer.locator("#review-claim-heading")).to_have_text(first)
    reviewer.wait_for_load_state()

    # Keys typed into the note are text, not shortcuts.
    note = reviewer.locator("#review-actions").get_by_label("Note", exact=True)
    note.click()
    note.press_sequentially("ja")
    expect(note).to_have_value("ja")
    expect(position).to_contain_text("1 of 4")
    note.fill("")

    # "a" approves the first claim (an editor proposed it, with evidence) and moves on.
    reviewer.locator("body").click(position={"x": 5, "y": 5})
    reviewer.keyboard.press("a")
    expect(reviewer.locator("#review-claim-heading")).not_to_have_text(first)
    expect(position).to_contain_text("1 of 3")
    published = Claim.objects.get(summary=first)
    assert (published.status, published.published_by.username) == (Status.PUBLISHED, "reviewer")


# Sources and the reader


PASTED = (
    "Klimov visits Manila\n\nenablePagination: false\nmaxItemsPerPage: 10\n\n"
    "Russian Senator Andrey Klimov arrived in Manila on Monday for a two-day visit.\n\n"
    "“We would like to have as many friends as possible,” Klimov said.\n"
)

KLIMOV_PAGE = """<!doctype html><html><head><title>Klimov visits Manila</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Klimov visits Manila</h1>
<p>Russian Senator Andrey Klimov arrived in Manila on Monday for a two-day visit focused on trade and defence.</p>
<p>Russia accounted for $43 million in overseas remittances last year, only 0.2 percent of the total
$26.9 billion, central bank data showed.</p></article>
<footer>All rights reserved.</footer></body></html>"""


def select_words(page, words):
    """Select `words` in the reader's text as a person would with the mouse, across highlights."""
    found = page.evaluate(
        """(words) => {
          const container = document.getElementById("source-text");
          const nodes = [];
          const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
          let node, text = "";
          while ((node = walker.nextNode())) { nodes.push([node, text.length]); text += node.data; }
          const start = text.indexOf(words);
          if (start < 0) return false;
          const end = start + words.length;
          const at = (offset) => {
            for (const [n, from] of nodes) { if (offset <= from + n.data.length) return [n, offset - from]; }
          };
          const range = document.createRange();
          range.setStart(...at(start));
          range.setEnd(...at(end));
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          return true;
        }""",
        words,
    )
    assert found, f"“{words}” is not in the reader's text"


def test_an_editor_pastes_a_source_and_reads_it(page):
    expect = pytest.importorskip("playwright.sync_api").expect
    log_in(page, "editor")
    page.get_by_role("link", name="Sources").click()
    page.get_by_role("link", name="Add a source").click()
    page.get_by_label("Text").fill(PASTED)
    page.get_by_role("button", name="Add the source").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Klimov visits Manila")
    text = page.locator("#source-text")
    expect(text).to_contain_text("Russian Senator Andrey Klimov arrived in Manila")
    expect(text).not_to_contain_text("maxItemsPerPage")
    expect(page.locator("#source-claims")).to_contain_text("0 claims in this source")


def test_an_editor_adds_a_source_by_its_address_and_watches_it_arrive(page, settings, local_web):
    from django_tasks_db.management.commands.db_worker import Worker

    expect = pytest.importorskip("playwright.sync_api").expect
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True  # the local web server is on 127.0.0.1
    local_web.add("/world/klimov", KLIMOV_PAGE)
    log_in(page, "editor")
    page.goto(reverse("claims:source_add") + "?how=fetch")
    page.get_by_label("Address").fill(local_web.url("/world/klimov"))
    page.get_by_role("button", name="Fetch and add").click()

    # Queued: the page says so and keeps asking, until a worker has fetched the page.
    progress = page.locator("#source-progress")
    expect(progress.locator("li.current")).to_have_text("Waiting for the worker")
    page.wait_for_timeout(1500)
    expect(progress.locator("li.current")).to_have_text("Waiting for the worker")
    # The worker runs here, in the test's thread: an in-memory SQLite database is shared
    # with the live server through one connection, which a worker thread could not use.
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test",
        excluded_queue_names=[],
    ).run()

    expect(page.locator("#source-text")).to_contain_text("only 0.2 percent of the total")
    expect(page.get_by_role("heading", level=1)).to_have_text("Klimov visits Manila")
    expect(page.locator("#source-text")).not_to_contain_text("All rights reserved")


def test_an_editor_makes_a_claim_of_selected_words_and_sees_it_highlighted(page):
    expect = pytest.importorskip("playwright.sync_api").expect
    source = Source.objects.get(title__startswith="Russia eyes closer")
    words = "Sophisticated weapons. Not the second-hand ones."
    log_in(page, "editor")
    page.goto(source.get_absolute_url())
    page.evaluate("window.__claimdeskMarker = true")

    select_words(page, words)
    page.get_by_role("button", name="New claim from selection").click()
    panel = page.locator("#reader-claim")
    expect(panel).to_contain_text(words)
    expect(panel.get_by_label("Claimant", exact=True)).to_have_value(str(Claimant.objects.get(name="Igor Khovaev").pk))
    panel.get_by_label("Summary").fill("Khovaev: Russia offers new, sophisticated weapons")
    panel.get_by_label("Kind").select_option("quotation")
    panel.get_by_role("button", name="Add the claim").click()

    expect(page.locator("#reader-claim h2")).to_have_text("Khovaev: Russia offers new, sophisticated weapons")
    claim = Claim.objects.get(summary="Khovaev: Russia offers new, sophisticated weapons")
    mark = page.locator(f'#source-text mark[data-claim="{claim.pk}"]')
    expect(mark).to_have_text(words)
    expect(mark).to_have_attribute("data-status", Status.NEW)
    expect(page.locator("#source-claims")).to_contain_text("Khovaev: Russia offers new, sophisticated weapons")
    assert source.text[claim.quote_start : claim.quote_end] == words
    assert no_reload_since_marked(page)
    save_screenshot(page, "reader")

    # Opening another claim from the list marks it, in the text and in the list, instead.
    first = source.claims.order_by("quote_start", "id").first()
    page.locator(f'#source-claims li[data-claim="{first.pk}"] a').click()
    expect(page.locator("#reader-claim h2")).to_have_text(first.summary)
    expect(page.locator(f'#source-text mark[data-claim="{first.pk}"]').first).to_have_class(re.compile(r"\bselected\b"))
    expect(mark).not_to_have_class(re.compile(r"\bselected\b"))
    expect(page.locator(f'#source-claims li[data-claim="{first.pk}"]')).to_have_attribute("aria-current", "true")


def test_correcting_a_source_moves_one_claim_and_orphans_another(page):
    expect = pytest.importorskip("playwright.sync_api").expect
    source = Source.objects.get(title__startswith="Russia eyes closer")
    moved, lost = source.claims.order_by("quote_start")[:2]
    corrected = "Editor's note: this article was updated.\n\n" + source.text.replace(lost.quote, "")
    log_in(page, "editor")
    page.goto(source.get_absolute_url())
    page.get_by_role("link", name="Correct the text").click()
    page.get_by_label("Text").fill(corrected)
    page.get_by_role("button", name="Save the correction").click()

    expect(page.locator("#flash")).to_contain_text("could not be found again")
    expect(page.locator("#flash")).to_contain_text(f"Orphaned: “{lost.summary}”")
    expect(page.locator(f'#source-text mark[data-claim="{moved.pk}"]').first).to_be_visible()
    expect(page.locator(f'#source-text mark[data-claim="{lost.pk}"]')).to_have_count(0)
    orphan_entry = page.locator(f'#source-claims li[data-claim="{lost.pk}"]')
    expect(orphan_entry).to_contain_text("Orphaned")
    moved.refresh_from_db()
    assert corrected[moved.quote_start : moved.quote_end] == moved.quote

    # The desk flags it too, and the reader offers to place it again.
    page.goto(reverse("claims:claim_list") + "?anchor=orphaned")
    expect(page.locator("table.claims tbody tr")).to_have_count(1)
    expect(page.locator("table.claims")).to_contain_text(lost.summary)
    page.locator("table.claims .orphan-mark").click()
    expect(page.locator("#reader-claim")).to_contain_text("no longer in it")
    save_screenshot(page, "orphaned")

    # Placed again by selecting where its words stand now.
    words = "He said these threats include"
    select_words(page, words)
    expect(page.get_by_label("Its words as they stand now")).to_have_value(words)
    page.get_by_role("button", name="Place it at these words").click()
    expect(page.locator(f'#source-text mark[data-claim="{lost.pk}"]')).to_have_text(words)
    expect(page.locator(f'#source-claims li[data-claim="{lost.pk}"]')).not_to_contain_text("Orphaned")
    lost.refresh_from_db()
    assert lost.orphaned_at is None and lost.quote == words


# Claim intelligence: suggestions, the arithmetic check, similar claims.


def test_an_editor_accepts_one_suggestion_and_dismisses_another(page):
    from claims.models import SuggestionState

    expect = pytest.importorskip("playwright.sync_api").expect
    source = Source.objects.get(title__startswith="Russian senator visits Manila")
    first, second = source.suggestions.filter(state=SuggestionState.OPEN).order_by("start")[:2]
    log_in(page, "editor")
    page.goto(source.get_absolute_url())
    page.evaluate("window.__claimdeskMarker = true")
    suggestions = page.locator("#source-suggestions")
    expect(suggestions.locator(f"#suggestion-{first.pk}")).to_contain_text(first.sentence)
    expect(suggestions.locator(f"#suggestion-{first.pk} .reason").first).to_be_visible()

    suggestions.locator(f"#suggestion-{first.pk}").get_by_role("link", name="Accept…").click()
    panel = page.locator("#reader-claim")
    expect(panel.locator(".capture-quote")).to_contain_text(first.sentence)
    panel.get_by_label("Summary").fill("Accepted from a suggestion")
    panel.get_by_role("button", name="Add the claim").click()
    expect(page.locator("#reader-claim h2")).to_have_text("Accepted from a suggestion")
    claim = Claim.objects.get(summary="Accepted from a suggestion")
    expect(page.locator(f'#source-text mark[data-claim="{claim.pk}"]')).to_have_text(first.sentence)
    expect(page.locator(f"#suggestion-{first.pk}")).to_have_count(0)
    save_screenshot(page, "suggestions")

    underline = page.locator(f'#source-text .suggested[data-suggestion="{second.pk}"]')
    expect(underline.first).to_be_visible()
    page.locator(f"#suggestion-{second.pk}").get_by_role("button", name="Dismiss").click()
    expect(page.locator("#source-suggestions")).to_contain_text("It will not be suggested again")
    expect(page.locator(f"#suggestion-{second.pk}")).to_have_count(0)
    expect(underline).to_have_count(0)  # the text follows the list
    expect(page.locator(f'#source-text .suggested[data-suggestion="{first.pk}"]')).to_have_count(0)
    page.locator("#source-suggestions").get_by_role("button", name="Suggest again").click()
    expect(page.locator("#source-suggestions")).to_contain_text("No new suggestions")
    expect(page.locator(f"#suggestion-{second.pk}")).to_have_count(0)
    assert no_reload_since_marked(page)
    second.refresh_from_db()
    assert (claim.quote_start, claim.quote_end) == (first.start, first.end)
    assert second.state == SuggestionState.DISMISSED


def test_a_suggested_sentence_opens_from_the_text_unless_words_are_being_selected(page):
    from claims.models import SuggestionState

    expect = pytest.importorskip("playwright.sync_api").expect
    source = Source.objects.get(title__startswith="Russian senator visits Manila")
    suggestion = source.suggestions.filter(state=SuggestionState.OPEN).order_by("start").first()
    log_in(page, "editor")
    page.goto(source.get_absolute_url())
    sentence = page.locator(f'#source-text .suggested[data-suggestion="{suggestion.pk}"]').first
    expect(sentence).to_be_visible()
    panel = page.locator("#reader-claim")

    # Dragging across some of its words selects them for a claim of their own.
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    line = sentence.evaluate("e => { const r = e.getClientRects()[0]; return [r.left, r.top, r.width, r.height]; }")
    left, top, width, height = line
    page.mouse.move(left + 2, top + height / 2)
    page.mouse.down()
    page.mouse.move(left + width / 2, top + height / 2, steps=8)
    page.mouse.up()
    page.locator("#capture-selection").get_by_role("button", name="New claim from selection").click()
    expect(panel.locator("h2")).to_have_text("New claim from the text")
    selected = panel.locator(".capture-quote mark").inner_text()
    assert selected and selected in suggestion.sentence and selected != suggestion.sentence
    assert not [url for url in asked if "suggestion=" in url], "the drag opened the suggestion"

    # A plain click opens it, ready to accept.
    sentence.click()
    expect(panel.locator("h2")).to_have_text("New claim from the text")
    expect(panel.locator(".capture-quote mark")).to_have_text(suggestion.sentence)
    expect(panel.locator('input[name="suggestion"]')).to_have_value(str(suggestion.pk))


def test_the_remittances_claim_shows_its_arithmetic(page):
    expect = pytest.importorskip("playwright.sync_api").expect
    claim = Claim.objects.get(quote__contains="$43 million")
    log_in(page, "editor")
    page.goto(claim.get_absolute_url())
    numbers = page.locator("#numbers")
    expect(numbers.locator(".arithmetic")).to_contain_text("The numbers add up.")
    expect(numbers.locator(".arithmetic")).to_contain_text(
        "$43 million / $26.9 billion = 0.16 %, which rounds to the stated 0.2 %"
    )
    save_screenshot(page, "arithmetic")


def test_an_editor_is_warned_of_a_similar_claim_while_creating_one(page):
    expect = pytest.importorskip("playwright.sync_api").expect
    source = Source.objects.get(title__startswith="Russia eyes closer")
    fdi = Claim.objects.get(quote__startswith="Russia has not had any foreign direct investment")
    log_in(page, "editor")
    page.goto(source.get_absolute_url())
    select_words(page, "Stronger military ties are a key aspect of improving relations")
    page.get_by_role("button", name="New claim from selection").click()
    panel = page.locator("#reader-claim")
    panel.get_by_label("Summary").fill("No Russian FDI has gone to the Philippines since 1999")
    warning = panel.locator("#similar-found")
    expect(warning).to_contain_text("Already on the desk?")
    expect(warning.locator(f'li[data-claim="{fdi.pk}"]')).to_contain_text(fdi.summary)
    save_screenshot(page, "similar")
    # Typed into something else, the warning goes.
    panel.get_by_label("Summary").fill("Khovaev on military ties with Manila")
    expect(warning.locator(f'li[data-claim="{fdi.pk}"]')).to_have_count(0)
