"""Turning what arrived for a new source (a fetched page, an upload, pasted text) into the source's text.

Claims are anchored by code-point offsets into that text, so everything here keeps the article's own
characters exactly (quotes, dashes, ellipses, typos, inner blank lines) and only removes what is not article.
"""

import codecs
import datetime
import re
from dataclasses import dataclass
from pathlib import PurePath

import trafilatura
from charset_normalizer import from_bytes
from trafilatura.settings import set_date_params
from trafilatura.xml import xmltotxt

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
UPLOAD_TYPES = {".txt": "text/plain", ".html": "text/html", ".htm": "text/html"}
TITLE_MAX_LENGTH = 200

# Types that say nothing about the content, so the content itself is looked at.
_UNDECLARED_TYPES = frozenset({"", "application/octet-stream"})
_KINDS = {
    "application/pdf": "a PDF",
    "application/msword": "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "a Word document",
    "application/json": "JSON data",
    "image": "an image",
    "audio": "a sound file",
    "video": "a video",
}

# Page-configuration debris such as `enablePagination: false`: a code identifier (camelCase starting with a
# lowercase word of two letters or more, or snake_case) and one literal. Ordinary words ("Note", "Manila",
# "Source") never qualify, and neither does any value with a space outside quotes, so no sentence is dropped.
_DEBRIS_LINE = re.compile(
    r"""[ \t]*
    (?:[a-z][a-z0-9]+(?:[A-Z][a-z0-9]*)+ | [A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+)
    [ \t]*:[ \t]*
    (?:"[^"\n]{0,60}" | '[^'\n]{0,60}' | [^\s"']{1,60})
    [ \t]*[,;]?[ \t]*""",
    re.VERBOSE,
)
_LEADING_BLANK_LINES = re.compile(r"\A(?:[^\S\n]*\n)+")
_HTML_START = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|head|body|title|meta|div|p|h1|table|script|style|!--)[\s>]",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CHARSET_PARAMETER = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Extracted:
    """A source's text and what the page says about itself."""

    text: str
    title: str
    outlet: str
    published_on: datetime.date | None


class ExtractionError(Exception):
    """Why what arrived cannot become a source's text, in words an editor understands."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def clean_text(text: str) -> str:
    """The text a pasted or uploaded plain text becomes: same characters, minus page debris and outer blank lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    position = 0
    while position < len(lines):
        if not _DEBRIS_LINE.fullmatch(lines[position]):
            kept.append(lines[position])
            position += 1
            continue
        # The debris block runs over further debris and blank lines up to the next line of text.
        end = position
        while end < len(lines) and (_DEBRIS_LINE.fullmatch(lines[end]) or not lines[end].strip()):
            end += 1
        blank_after = _trailing_blank_lines(lines[position:end])
        blank_before = _trailing_blank_lines(kept)
        # The paragraph break around the block stays one break, as if the block had never been there.
        if len(blank_after) > len(blank_before):
            del kept[len(kept) - len(blank_before) :]
            kept.extend(blank_after)
        position = end
    return _LEADING_BLANK_LINES.sub("", "\n".join(kept)).rstrip()


def extract(content: bytes, content_type: str, *, url: str = "", charset: str = "") -> Extracted:
    """The text, title, outlet and publication date of a fetched or uploaded web page or plain text."""
    # `content_type` may be a whole Content-Type header; its charset counts unless `charset` is given.
    media_type, _, parameters = content_type.partition(";")
    media_type = media_type.strip().lower()
    if not charset and (declared := _CHARSET_PARAMETER.search(parameters)):
        charset = declared[1]
    if media_type in HTML_TYPES or (media_type in _UNDECLARED_TYPES and _HTML_START.match(content)):
        return _extract_html(content, charset, url)
    if media_type == "text/plain":
        return _extract_plain(content, charset)
    kind = _KINDS.get(media_type) or _KINDS.get(media_type.split("/")[0]) or "a file Claimdesk cannot read"
    raise ExtractionError(
        f"This is {kind} ({media_type or 'no content type'}); Claimdesk reads web pages and plain text.",
        "unsupported_type",
    )


def extract_upload(name: str, content: bytes) -> Extracted:
    """The text of an uploaded .txt or .html file, its type taken from the file name."""
    content_type = UPLOAD_TYPES.get(PurePath(name).suffix.lower())
    if content_type is None:
        *others, last = UPLOAD_TYPES
        raise ExtractionError(f"“{name}” cannot be read: upload a {', '.join(others)} or {last} file.", "upload_type")
    return extract(content, content_type)


def _extract_html(content: bytes, charset: str, url: str) -> Extracted:
    markup = _decode(content, charset or _meta_charset(content))
    document = trafilatura.bare_extraction(
        markup,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        # In the default balanced mode a page without an article comes back with its menu as "text";
        # favouring precision returns nothing there, which is what tells the editor to paste the text instead.
        favor_precision=True,
        # The extensive date search guesses from any date-like text on the page; a source's publication date
        # should come only from what the page declares (meta tags, structured data, <time>, the URL).
        date_extraction_params=set_date_params(extensive=False),
    )
    text = clean_text(_blocks_text(document.body)) if document is not None else ""
    if not text:
        raise ExtractionError(
            "No article text found on the page; paste the article's text or upload it as a file instead.",
            "no_article",
        )
    return Extracted(
        text=text,
        title=document.title or "",
        outlet=document.sitename or "",
        published_on=_date(document.date),
    )


def _trailing_blank_lines(lines: list[str]) -> list[str]:
    count = 0
    while count < len(lines) and not lines[len(lines) - 1 - count].strip():
        count += 1
    return lines[len(lines) - count :]


def _blocks_text(body) -> str:
    # trafilatura's own text output separates paragraphs with a single line break; a blank line between
    # blocks (paragraphs, headings, lists, quotes, tables) keeps them apart the way pasted articles have them.
    parts = [body.text or "", *(xmltotxt(block, include_formatting=False) for block in body)]
    return "\n\n".join(part.strip() for part in parts if part.strip())


def _extract_plain(content: bytes, charset: str) -> Extracted:
    text = clean_text(_decode(content, charset))
    if not text:
        raise ExtractionError("The text is empty.", "empty")
    first_line = text.split("\n", 1)[0].strip()
    return Extracted(
        text=text,
        title=first_line if len(first_line) <= TITLE_MAX_LENGTH else "",
        outlet="",
        published_on=None,
    )


def _decode(content: bytes, charset: str) -> str:
    for encoding in (_codec(charset), "utf-8"):
        if encoding:
            try:
                return content.decode(encoding).removeprefix("\ufeff")
            except UnicodeDecodeError:
                pass
    matches = list(from_bytes(content))
    if not matches:
        return content.decode("utf-8", errors="replace")
    best = matches[0]
    # On short texts charset-normalizer cannot tell Western from Central European code pages apart (it ties
    # windows-1252 with windows-1250 and picks the latter, turning "ñ" into "ń"); ties go to windows-1252,
    # the web's default legacy encoding.
    tied = [match for match in matches if (match.chaos, match.coherence) == (best.chaos, best.coherence)]
    return str(next((match for match in tied if "cp1252" in match.could_be_from_charset), best))


def _codec(charset: str) -> str:
    try:
        name = codecs.lookup(charset.strip()).name if charset.strip() else ""
    except LookupError:
        return ""
    # As browsers do (WHATWG Encoding), a declared Latin-1 or ASCII means windows-1252, its superset that pages
    # labelled that way actually use for curly quotes and dashes.
    return "cp1252" if name in ("iso8859-1", "ascii") else name


def _meta_charset(content: bytes) -> str:
    declared = _META_CHARSET.search(content[:4096])
    return declared[1].decode("ascii") if declared else ""


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
