"""Reading the desk's pages as a browser would: the forms and what they send, the links,
the fragments htmx loads by itself. The benchmarks find every URL, version and token
here, in the HTML the server sent, so they follow the app as it changes."""

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

CSRF_HEADER = re.compile(r"""["']x-csrftoken["']\s*:\s*["']([^"']+)["']""", re.IGNORECASE)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLAIM_LINK = re.compile(r'href="/claims/(\d+)/"')
READER_LINK = re.compile(r'href="(/sources/(\d+)/\?claim=(\d+))')
ANNOTATION_ID = re.compile(r'id="annotation-(\d+)"')
STATUS_TAB = re.compile(r'class="status-([a-z_]+)"[^>]*>[^<]*<span class="count">([\d,]+)</span>')
STATUS_BADGE = re.compile(r'class="badge status" data-status="([a-z_]+)"')


@dataclass
class Form:
    attrs: dict[str, str]
    fields: list[tuple[str, str]] = field(default_factory=list)  # what it sends, hidden inputs included
    buttons: list[tuple[str, str]] = field(default_factory=list)  # enabled submit buttons with a name
    selects: dict[str, list[str]] = field(default_factory=dict)  # each select's option values

    @property
    def action(self) -> str:
        return self.attrs.get("hx-post") or self.attrs.get("action") or ""

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.elements: list[Element] = []  # every element with an hx-get or rel attribute
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, values, selected

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if "hx-get" in attrs or "rel" in attrs:
            self.elements.append(Element(tag, attrs))
        if tag == "form":
            self._form = Form(attrs)
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind == "submit":
                form.buttons.append((name, attrs.get("value", "")))
            elif kind not in ("button", "file", "image", "reset"):
                form.fields.append((name, attrs.get("value", "")))
        elif tag == "button" and name and attrs.get("type", "submit") == "submit":
            form.buttons.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select[1].append(value)
            if "selected" in attrs:
                self._select[2].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._form.fields.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, values, selected = self._select
            self._form.selects[name] = values
            chosen = selected or values[:1]
            self._form.fields.extend((name, value) for value in chosen)
            self._select = None


class Page:
    """One HTML page or fragment, parsed once."""

    def __init__(self, html: str | bytes):
        self.html = html.decode() if isinstance(html, bytes) else html
        self._parser = None

    @property
    def parsed(self) -> _PageParser:
        if self._parser is None:
            self._parser = _PageParser()
            self._parser.feed(self.html)
            self._parser.close()
        return self._parser

    def csrf_token(self) -> str | None:
        match = CSRF_HEADER.search(self.html) or CSRF_INPUT.search(self.html)
        return unescape(match.group(1)) if match else None

    def forms(self, action_ending: str = "") -> list[Form]:
        return [form for form in self.parsed.forms if form.action.split("?")[0].endswith(action_ending)]

    def form(self, action_ending: str) -> Form | None:
        return next(iter(self.forms(action_ending)), None)

    def next_link(self) -> Element | None:
        """The link to the next page of a list (rel="next")."""
        return next((e for e in self.parsed.elements if e.tag == "a" and "next" in e.attrs.get("rel", "")), None)

    def self_loading_fragments(self) -> list[Element]:
        """Elements htmx fetches by themselves when the page loads (hx-trigger "load")."""
        return [
            element
            for element in self.parsed.elements
            if "hx-get" in element.attrs and re.search(r"(^|,)\s*load\b", element.attrs.get("hx-trigger", ""))
        ]

    def claim_ids(self) -> list[int]:
        return list(dict.fromkeys(int(pk) for pk in CLAIM_LINK.findall(self.html)))

    def reader_links(self) -> list[str]:
        return list(dict.fromkeys(unescape(url) for url, _, _ in READER_LINK.findall(self.html)))

    def annotation_ids(self) -> list[int]:
        return [int(pk) for pk in ANNOTATION_ID.findall(self.html)]

    def status_counts(self) -> dict[str, int]:
        """The desk's number of claims per status (its status tabs)."""
        return {status: int(count.replace(",", "")) for status, count in STATUS_TAB.findall(self.html)}

    def statuses_shown(self) -> list[str]:
        return STATUS_BADGE.findall(self.html)


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(unescape(url)).query, keep_blank_values=True))


def htmx_headers(target: str | None = None, current_url: str = "/") -> dict[str, str]:
    """The headers htmx 2 sends with a request for a fragment (HX-Target: the target's id)."""
    headers = {"HX-Request": "true", "HX-Current-URL": current_url}
    if target:
        headers["HX-Target"] = target.lstrip("#")
    return headers


def fragment_target(element: Element) -> str | None:
    """The id htmx sends as HX-Target for this element: its hx-target, or itself."""
    target = element.attrs.get("hx-target", "")
    if target.startswith("#"):
        return target[1:]
    if target in ("", "this"):
        return element.attrs.get("id")
    return None


# The moves a benchmark may make back and forth without a verdict, evidence or note:
# new → researching → not check-worthy → new (see claims/workflow.py).
FREE_MOVES = {"new": "researching", "researching": "not_checkworthy", "not_checkworthy": "new"}


def status_move(page: Page, claim_id: int) -> tuple[Form, str] | None:
    """The claim page's status form and the free move it offers, or None."""
    form = page.form(f"/claims/{claim_id}/status/")
    if form is None:
        return None
    targets = [value for name, value in form.buttons if name == "target"]
    shown = page.statuses_shown()
    for status in shown[:1]:
        if FREE_MOVES.get(status) in targets:
            return form, FREE_MOVES[status]
    return None
