"""Turning pasted, uploaded and fetched content into a source's text: claims/extraction.py."""

import datetime
import json
from pathlib import Path

import pytest

from claims.extraction import ExtractionError, clean_text, extract, extract_upload

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
DEMO_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "demo.json"

ARTICLE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Port of Manila handles record cargo | The Harbour Gazette</title>
  <meta property="og:site_name" content="The Harbour Gazette">
  <meta property="og:title" content="Port of Manila handles record cargo">
  <meta property="article:published_time" content="2017-01-10T08:30:00+08:00">
  <style>body { font-family: serif; } .cookie-banner { position: fixed; }</style>
  <script>window.dataLayer = [{"page": "article"}]; function track() { return "tracking"; }</script>
</head>
<body>
  <div class="cookie-banner" id="cookie-consent">We use cookies to improve your experience.
    <button>Accept all cookies</button></div>
  <header class="site-header">
    <a href="/" class="logo">The Harbour Gazette</a>
    <nav class="main-nav"><ul>
      <li><a href="/news">News</a></li><li><a href="/business">Business</a></li>
      <li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe</a></li>
    </ul></nav>
  </header>
  <main>
    <article>
      <h1>Port of Manila handles record cargo</h1>
      <p class="byline">By Ana Reyes · <time datetime="2017-01-10">10 January 2017</time></p>
      <p>Metro Manila — The Port of Manila handled a record 5.2 million containers last year, the Philippine
      Ports Authority said on Tuesday, up 8 percent from the year before.</p>
      <p>“We expect the growth to continue,” general manager Juan Santos told reporters, adding that new cranes
      would arrive “in May.”</p>
      <p>Shipping lines have long complained about congestion at the port… but the authority said waiting times
      fell to 1.5 days on average in December, from 3 days a year earlier.</p>
      <p>The authority plans to spend ₱2.1 billion on new berths by 2019.</p>
    </article>
    <aside class="related"><h2>Related stories</h2><ul>
      <li><a href="/a">Typhoon closes ports</a></li><li><a href="/b">Rice imports rise</a></li>
    </ul></aside>
    <section class="comments" id="comments"><h2>Comments</h2>
      <div class="comment"><p>First! This is the best news site ever, I read it every day.</p></div>
      <div class="comment"><p>Nobody believes these numbers, the port is a mess every single day.</p></div>
    </section>
  </main>
  <div class="ad-slot advertisement">Advertisement: Buy cheap flights to Cebu now!</div>
  <footer class="site-footer"><p>© 2017 The Harbour Gazette. All rights reserved.</p>
    <p><a href="/privacy">Privacy policy</a> · <a href="/terms">Terms</a></p></footer>
</body>
</html>
"""

ARTICLE_TEXT = (
    "Port of Manila handles record cargo\n"
    "\n"
    "Metro Manila — The Port of Manila handled a record 5.2 million containers last year, the Philippine Ports "
    "Authority said on Tuesday, up 8 percent from the year before.\n"
    "\n"
    "“We expect the growth to continue,” general manager Juan Santos told reporters, adding that new cranes would "
    "arrive “in May.”\n"
    "\n"
    "Shipping lines have long complained about congestion at the port… but the authority said waiting times fell "
    "to 1.5 days on average in December, from 3 days a year earlier.\n"
    "\n"
    "The authority plans to spend ₱2.1 billion on new berths by 2019."
)

PAGE_WITHOUT_ARTICLE = """<!DOCTYPE html>
<html><head><title>Gallery | The Harbour Gazette</title></head>
<body>
  <header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav></header>
  <main><div class="gallery"><img src="a.jpg" alt=""><img src="b.jpg" alt=""></div></main>
  <footer><p>© 2017 The Harbour Gazette. All rights reserved.</p></footer>
</body></html>
"""

WESTERN_TEXT = "Piña growers’ “record” harvest — café owners say…\n\nSecond paragraph, naïve résumé."


def demo_source_texts() -> list[str]:
    return [obj["fields"]["text"] for obj in json.loads(DEMO_FIXTURE.read_text()) if obj["model"] == "claims.source"]


def read_seed(name: str) -> bytes:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not here ({SEEDS})")
    return (SEEDS / name).read_bytes()


# --- clean_text ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "fixture_index"), [("000_fa2cfc2c0d3a07cf.txt", 0), ("003_9cb9b02fa3b23b7a.txt", 1)])
def test_cleaned_seed_is_the_text_the_team_stored(seed, fixture_index):
    stored = demo_source_texts()[fixture_index]
    # The fixture keeps seed 003 as it arrived (a leading newline, trailing blank lines); cleaning trims only those.
    assert clean_text(read_seed(seed).decode()) == stored.lstrip("\n").rstrip()


def test_seed_000_loses_exactly_its_page_configuration_lines():
    cleaned = clean_text(read_seed("000_fa2cfc2c0d3a07cf.txt").decode())

    assert cleaned == demo_source_texts()[0]
    assert cleaned.startswith(
        "Russia eyes closer military cooperation with PH, says Russian ambassador\n\nMetro Manila (CNN Philippines) — "
    )
    assert "enablePagination" not in cleaned
    assert "maxPaginationLinks" not in cleaned


def test_cleaning_twice_changes_nothing():
    once = clean_text(read_seed("000_fa2cfc2c0d3a07cf.txt").decode())
    assert clean_text(once) == once


@pytest.mark.parametrize(
    "line",
    [
        "enablePagination: false",
        "maxItemsPerPage: 10",
        "maxPaginationLinks: 10",
        "max_items: 10",
        "MAX_ITEMS: 10",
        "  showComments: true,",
        "pageType: 'news article'",
        'layoutName: "two-column"',
        "adSlotId: div-gpt-ad-1234",
        "lazyLoad: null;",
    ],
)
def test_page_configuration_lines_are_debris(line):
    assert clean_text(f"Headline\n\n{line}\n\nBody.") == "Headline\n\nBody."


@pytest.mark.parametrize(
    "line",
    [
        "Note: the figures are provisional.",
        "Manila: the president said the talks would continue.",
        "Source: Reuters",
        "Photo: AFP",
        "Updated: 10:45",
        "Score: 3",
        "Men: 52",
        "total: 43",
        "iPhone: 7",
        "McDonald: 3402",
        "Khovaev: “We are ready.”",
        "maxItemsPerPage: 10 items were shown",
        "He said: true",
    ],
)
def test_article_lines_that_look_like_settings_are_kept(line):
    text = f"Headline\n\n{line}\n\nBody."
    assert clean_text(text) == text


def test_removed_debris_leaves_the_paragraph_spacing_it_found():
    assert clean_text("One.\nmaxItems: 10\nStill one.") == "One.\nStill one."
    assert clean_text("One.\n\n\nmaxItems: 10\n\nTwo.") == "One.\n\n\nTwo."
    assert clean_text("One.\n\nmaxItems: 10\n\nshowAds: false\n\n\nTwo.") == "One.\n\n\nTwo."
    assert clean_text("enablePagination: false\n\nHeadline\n\nBody.") == "Headline\n\nBody."
    assert clean_text("Body.\n\nmaxItems: 10\n\n") == "Body."


def test_line_endings_are_normalised():
    assert clean_text("One\r\nTwo\rThree\r\n\r\nFour") == "One\nTwo\nThree\n\nFour"


def test_outer_blank_lines_go_and_everything_else_stays():
    text = "“Curly” quotes, ‘single’ ones, an em dash — and an ellipsis…\n\n\n\nA typo: Phiilppines.  Two  spaces."
    assert clean_text(f"\n\n  \n{text}\n\n \t\n\n") == text
    assert clean_text("\n\n   Indented first line\nnext") == "   Indented first line\nnext"


# --- plain text ---------------------------------------------------------------------------------------------


def test_plain_text_is_cleaned_and_titled_by_its_first_line():
    extracted = extract(read_seed("000_fa2cfc2c0d3a07cf.txt"), "text/plain; charset=utf-8")

    assert extracted.text == demo_source_texts()[0]
    assert extracted.title == "Russia eyes closer military cooperation with PH, says Russian ambassador"
    assert extracted.outlet == ""
    assert extracted.published_on is None


def test_plain_text_whose_first_line_is_a_paragraph_has_no_title():
    # Seed 003 starts straight with its 212-character first paragraph.
    assert extract(read_seed("003_9cb9b02fa3b23b7a.txt"), "text/plain").title == ""


@pytest.mark.parametrize(
    ("content_type", "charset"),
    [
        ("text/plain; charset=windows-1252", ""),
        ("text/plain", "windows-1252"),
        # Pages labelled Latin-1 really use windows-1252 for their quotes and dashes, as browsers assume.
        ("text/plain; charset=ISO-8859-1", ""),
        # Nothing declared: not UTF-8, so the encoding is detected.
        ("text/plain", ""),
        # A wrong declaration is not trusted when the bytes do not decode with it.
        ("text/plain; charset=utf-8", ""),
    ],
)
def test_windows_1252_text_is_decoded(content_type, charset):
    assert extract(WESTERN_TEXT.encode("cp1252"), content_type, charset=charset).text == WESTERN_TEXT


def test_byte_order_mark_is_not_part_of_the_text():
    assert extract(b"\xef\xbb\xbfHeadline\n\nBody.", "text/plain").text == "Headline\n\nBody."


def test_empty_text_is_refused():
    with pytest.raises(ExtractionError) as error:
        extract(b"\r\n  \n", "text/plain")
    assert error.value.code == "empty"


# --- HTML ---------------------------------------------------------------------------------------------------


def test_article_page_gives_just_the_article():
    extracted = extract(
        ARTICLE_PAGE.encode(), "text/html", url="https://gazette.example/news/2017/01/10/port-record-cargo"
    )

    assert extracted.text == ARTICLE_TEXT
    assert extracted.title == "Port of Manila handles record cargo"
    assert extracted.outlet == "The Harbour Gazette"
    assert extracted.published_on == datetime.date(2017, 1, 10)
    for boilerplate in ("cookies", "Subscribe", "Related stories", "First!", "Advertisement", "©", "dataLayer", "{"):
        assert boilerplate not in extracted.text


def test_xhtml_and_undeclared_html_are_read_as_pages():
    assert extract(ARTICLE_PAGE.encode(), "application/xhtml+xml").text == ARTICLE_TEXT
    assert extract(ARTICLE_PAGE.encode(), "").text == ARTICLE_TEXT
    assert extract(b"\xef\xbb\xbf" + ARTICLE_PAGE.encode(), "application/octet-stream").text == ARTICLE_TEXT


def test_page_in_windows_1252_declared_in_a_meta_tag():
    page = ARTICLE_PAGE.replace('<meta charset="utf-8">', '<meta charset="windows-1252">').replace("₱", "PHP ")
    extracted = extract(page.encode("cp1252"), "text/html")
    assert extracted.text == ARTICLE_TEXT.replace("₱", "PHP ")


def test_page_without_article_is_refused():
    with pytest.raises(ExtractionError, match="^No article text found on the page") as error:
        extract(PAGE_WITHOUT_ARTICLE.encode(), "text/html; charset=utf-8")
    assert error.value.code == "no_article"


def test_empty_page_is_refused():
    with pytest.raises(ExtractionError) as error:
        extract(b"<html><head><title>Nothing</title></head><body></body></html>", "text/html")
    assert error.value.code == "no_article"


def test_debris_in_a_page_is_removed_too():
    page = ARTICLE_PAGE.replace("<p>The authority plans", "<p>enablePagination: false</p><p>The authority plans")
    assert extract(page.encode(), "text/html").text == ARTICLE_TEXT


# --- other types and uploads --------------------------------------------------------------------------------


def test_pdf_is_refused_with_a_reason():
    with pytest.raises(ExtractionError) as error:
        extract(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf")
    assert error.value.message == "This is a PDF (application/pdf); Claimdesk reads web pages and plain text."
    assert error.value.code == "unsupported_type"


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (b"\x89PNG\r\n", "image/png", "This is an image (image/png); "),
        (b"\x00\x01binary", "application/octet-stream", "This is a file Claimdesk cannot read (application/oct"),
        (b"%PDF-1.7", "", "This is a file Claimdesk cannot read (no content type); "),
    ],
)
def test_other_types_are_refused(content, content_type, message):
    with pytest.raises(ExtractionError) as error:
        extract(content, content_type)
    assert error.value.message.startswith(message)
    assert error.value.code == "unsupported_type"


def test_upload_type_follows_the_file_extension():
    assert extract_upload("article.txt", b"Headline\r\n\r\nBody.").text == "Headline\n\nBody."
    assert extract_upload("Saved Page.HTM", ARTICLE_PAGE.encode()).text == ARTICLE_TEXT
    assert extract_upload("saved.html", ARTICLE_PAGE.encode()).title == "Port of Manila handles record cargo"
    # A .txt file is read as text even when it holds markup: what the editor uploaded is the text.
    assert extract_upload("notes.txt", b"<p>Kept as typed.</p>").text == "<p>Kept as typed.</p>"


@pytest.mark.parametrize("name", ["report.pdf", "article.docx", "notes", "archive.txt.zip"])
def test_upload_with_another_extension_is_refused(name):
    with pytest.raises(ExtractionError) as error:
        extract_upload(name, b"anything")
    assert error.value.message == f"“{name}” cannot be read: upload a .txt, .html or .htm file."
    assert error.value.code == "upload_type"
