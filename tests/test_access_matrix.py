"""Who may do what: every URL of the project, every method, every role, against one rules table.

The test is generated from the URL configuration, not from the table: each named
URL is one test, which sends PUT, PATCH, DELETE, GET and POST as each role
(anonymous; vera the viewer; eddie the editor; rita the reviewer; ada the
superuser) and compares every answer with the rule for that URL name. A URL without
a rule fails, naming it, and so does a rule for a URL that no longer exists: a new
view is not reachable until someone has written down who may use it.

A rule gives, for each method and role, the status, where a redirect must go, and
whether the request changes data. Around every request the test takes a snapshot of
every row of every claims model and of their audit history (django-simple-history),
and of the users, groups and admin log. A refused request (403, 405, sent to log in)
and a request that only reads must leave it exactly as it was; an allowed change
must change it. POST bodies are what the page's form sends, with valid data
(including `based_on`, the version the page showed), so "allowed" really makes the
change: the desk's are in `desk_body`. Each role starts from the same data (a
savepoint, rolled back after each role) and sends POST last.

The admin. Its URLs are derived from the registered ModelAdmins: for each model the
changelist, add, change, delete and history pages, the audit trail's old versions,
and import, confirm-import and export where the admin has them, plus the admin's
own index, app index, login, logout, password, autocomplete, jsi18n and "view on
site" pages. `ADMIN_RIGHTS` says per model what each role may do there (view, add,
change, delete), and the rules of its pages follow from it (`admin_page_rule`); the
exceptions are in `ADMIN_EXCEPTIONS`. A newly registered model, or a kind of admin
page not known here, has no rule and fails until it is given one. Bodies are the
form as the admin renders it for the superuser (inlines and management forms
included, as a browser sends them) with the edits in `ADMIN_EDITS`; a changelist
POST is the confirmed bulk delete of the fixture's object, the most a changelist
can do; an import uploads a one-row CSV file, and its confirmation sends the form
the preview shows. Viewers and editors are not staff: the admin sends them to its
own login (anonymous users get the desk's, see `admin_page_rule`). The admin
answers PUT, PATCH and DELETE as it answers GET (it renders the page and changes
nothing); the rules record that. The admin's two unnamed URL patterns (`<id>/`,
which redirects to the change page, and its catch-all) cannot be reversed and are
left out; an unnamed URL anywhere else fails.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims import suggesting
from claims.models import Annotation, Claim, ClaimVisit, Correction, Rating, StatusStyle, Suggestion
from claims.queues import seen_mark
from claims.tasks import fetch_source
from claims.webannotation import claim_to_annotation
from claims.workflow import Status

from .factories import (
    PASSWORD,
    AnnotationFactory,
    ClaimantFactory,
    ClaimEventFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    TagFactory,
)

ROLES = ("anonymous", "viewer", "editor", "reviewer", "admin")
METHODS = ("PUT", "PATCH", "DELETE", "GET", "POST")  # POST last: the one request that may change data
NEW_PASSWORD = "a-new-passphrase-for-the-matrix"


@dataclass(frozen=True)
class Outcome:
    status: int
    to: str = ""  # a redirect's target, as a URL name
    writes: bool = False  # whether the request changes data

    def __str__(self):
        return f"{self.status}{f' to {self.to}' if self.to else ''}{', changing data' if self.writes else ''}"


OK = Outcome(200)  # answered; nothing changed
WROTE = Outcome(200, writes=True)  # answered, and changed data
SAVED = Outcome(302, writes=True)  # changed, then POST, redirect, GET
LOGIN = Outcome(302, to="login")  # anonymous: log in first
ADMIN_LOGIN = Outcome(302, to="admin:login")  # not staff: the admin's own login
DENIED = Outcome(403)
NOT_ALLOWED = Outcome(405)

Row = dict[str, Outcome]  # role -> outcome
Rule = dict[str, Row]  # method -> row


def everyone(outcome: Outcome) -> Row:
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome: Outcome, **per_role: Outcome) -> Row:
    """Anonymous users are sent to log in; the others get `outcome` unless named."""
    return {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], outcome), **per_role}


NOT_STAFF = ("anonymous", "viewer", "editor")


def staff(outcome: Outcome, **per_role: Outcome) -> Row:
    """The admin: rita and ada are staff and get `outcome` unless named; the others its login."""
    return {**dict.fromkeys(NOT_STAFF, ADMIN_LOGIN), "reviewer": outcome, "admin": outcome, **per_role}


def rule(default: Row, **per_method: Row) -> Rule:
    """`default` for every method, except those named."""
    return {method: per_method.get(method, default) for method in METHODS}


ALL_405 = signed_in(NOT_ALLOWED)
TO_DESK = Outcome(302, to="claims:claim_list")
TO_ADMIN = Outcome(302, to="admin:index")
TO_READER = Outcome(302, to="claims:source_detail")
TO_READER_SAVED = Outcome(302, to="claims:source_detail", writes=True)


# The desk, signing in and out, and the admin site's own pages. The fixture's claim is
# in review with eddie's verdict, assigned to eddie, rita asked to review it; the
# note is eddie's.
RULES: dict[str, Rule] = {
    "claims:claim_list": rule(ALL_405, GET=signed_in(OK)),
    "claims:palette": rule(everyone(NOT_ALLOWED), GET=everyone(OK)),  # public: the badge colours
    # The desk's menu finder answers htmx; a plain request is sent back to the desk.
    "claims:filter_options": rule(ALL_405, GET=signed_in(TO_DESK)),
    # Opening a claim records the visit, for "changed since you last looked".
    "claims:claim_detail": rule(ALL_405, GET=signed_in(WROTE)),
    # Publishing it: eddie may move claims, but the domain refuses him publishing.
    "claims:claim_transition": rule(ALL_405, POST=signed_in(SAVED, viewer=DENIED, editor=DENIED)),
    "claims:claim_verdict": rule(ALL_405, POST=signed_in(SAVED, viewer=DENIED)),
    "claims:claim_assign": rule(ALL_405, POST=signed_in(SAVED, viewer=DENIED)),
    "claims:claim_assign_reviewer": rule(ALL_405, POST=signed_in(SAVED, viewer=DENIED)),
    "claims:annotation_create": rule(ALL_405, POST=signed_in(SAVED, viewer=DENIED)),
    "claims:evidence_create": rule(ALL_405, POST=signed_in(SAVED, viewer=DENIED)),
    # Without htmx, a note's address sends the reader to it on the claim's page.
    "claims:annotation_detail": rule(ALL_405, GET=signed_in(Outcome(302, to="claims:claim_detail"))),
    # A note speaks for its author: only eddie edits or deletes his, not even ada.
    "claims:annotation_edit": rule(ALL_405, GET=signed_in(DENIED, editor=OK), POST=signed_in(DENIED, editor=SAVED)),
    "claims:annotation_delete": rule(ALL_405, POST=signed_in(DENIED, editor=SAVED)),
    # Queues. The claim is in rita's (she is asked to review it), in no one else's.
    "claims:my_queue": rule(ALL_405, GET=signed_in(OK)),
    "claims:mark_all_seen": rule(ALL_405, POST=signed_in(Outcome(302, to="claims:my_queue", writes=True))),
    # Review mode is for those who move claims: it starts at the first claim of the queue.
    "claims:queue_review": rule(
        ALL_405, GET=signed_in(OK, viewer=DENIED, reviewer=Outcome(302, to="claims:queue_review_claim"))
    ),
    "claims:queue_review_claim": rule(ALL_405, GET=signed_in(WROTE, viewer=DENIED)),  # reviewing it is a visit
    "claims:queue_review_transition": rule(
        ALL_405, POST=signed_in(Outcome(302, to="claims:queue_review", writes=True), viewer=DENIED, editor=DENIED)
    ),
    # Sources and the reader. The claim's source is ready, so fetching it again is refused
    # (with a message, back to the reader). Viewers read only.
    "claims:source_list": rule(ALL_405, GET=signed_in(OK)),
    "claims:source_detail": rule(ALL_405, GET=signed_in(OK)),
    "claims:source_add": rule(
        ALL_405, GET=signed_in(OK, viewer=DENIED), POST=signed_in(TO_READER_SAVED, viewer=DENIED)
    ),
    "claims:source_fetch": rule(ALL_405, POST=signed_in(TO_READER, viewer=DENIED)),
    "claims:source_text": rule(
        ALL_405, GET=signed_in(OK, viewer=DENIED), POST=signed_in(TO_READER_SAVED, viewer=DENIED)
    ),
    "claims:claim_capture": rule(
        ALL_405, GET=signed_in(OK, viewer=DENIED), POST=signed_in(TO_READER_SAVED, viewer=DENIED)
    ),
    "claims:claim_place": rule(ALL_405, POST=signed_in(TO_READER_SAVED, viewer=DENIED)),
    # Suggestions: the source's were made when the world was; asking again finds none new.
    "claims:source_suggest": rule(ALL_405, POST=signed_in(TO_READER, viewer=DENIED)),
    "claims:suggestion_dismiss": rule(ALL_405, POST=signed_in(TO_READER_SAVED, viewer=DENIED)),
    # Similar claims: anyone signed in looks; marking a duplicate moves its verdict, so as a status change.
    "claims:claim_similar": rule(ALL_405, GET=signed_in(OK)),
    "claims:claim_mark_duplicate": rule(ALL_405, POST=signed_in(SAVED, viewer=DENIED)),
    # The fixture's claim is no duplicate: unmarking it is refused, with the form's message.
    "claims:claim_unmark_duplicate": rule(ALL_405, POST=signed_in(Outcome(422), viewer=DENIED)),
    # Web Annotation interchange: everyone signed in exports; importing creates claims.
    "claims:claim_annotation": rule(ALL_405, GET=signed_in(OK)),
    "claims:source_annotations": rule(ALL_405, GET=signed_in(OK)),
    "claims:annotations_export": rule(ALL_405, GET=signed_in(OK)),
    "claims:annotations_import": rule(ALL_405, GET=signed_in(OK, viewer=DENIED), POST=signed_in(WROTE, viewer=DENIED)),
    # Whoever is signed in already is sent on to the desk. PUT is answered as an empty POST.
    "login": rule(
        signed_in(TO_DESK, anonymous=NOT_ALLOWED),
        GET=signed_in(TO_DESK, anonymous=OK),
        PUT=signed_in(TO_DESK, anonymous=OK),
        POST=everyone(TO_DESK),  # vera's name and password
    ),
    "logout": rule(ALL_405, POST=signed_in(Outcome(302, to="login"))),
    "admin:index": rule(staff(OK)),
    "admin:app_list": rule(staff(OK)),
    "admin:login": rule(
        everyone(NOT_ALLOWED),
        GET=staff(TO_ADMIN, **dict.fromkeys(NOT_STAFF, OK)),
        PUT=everyone(OK),  # an empty POST: the form again, no one signed in
        POST=everyone(TO_ADMIN),  # rita's name and password: whoever sends them is rita now
    ),
    # Signed in but not staff: sent to the admin's index, which sends them to its login.
    "admin:logout": rule(
        staff(NOT_ALLOWED, viewer=TO_ADMIN, editor=TO_ADMIN),
        POST=staff(Outcome(302, to="login"), viewer=TO_ADMIN, editor=TO_ADMIN),
    ),
    "admin:password_change": rule(
        staff(NOT_ALLOWED),
        GET=staff(OK),
        PUT=staff(OK),  # an empty POST: the form again, with its errors
        POST=staff(Outcome(302, to="admin:password_change_done", writes=True)),
    ),
    "admin:password_change_done": rule(staff(NOT_ALLOWED), GET=staff(OK)),
    "admin:autocomplete": rule(staff(NOT_ALLOWED), GET=staff(OK)),
    "admin:jsi18n": rule(staff(NOT_ALLOWED), GET=staff(OK)),
    "admin:view_on_site": rule(staff(Outcome(302, to="claims:claim_detail"))),
}

# What each role may do in each model's admin: v(iew), a(dd), c(hange), d(elete).
# Roles not named have no rights there. Viewers and editors are not staff.
ADMIN_RIGHTS: dict[str, dict[str, str]] = {
    "auth.group": {"admin": "vacd"},
    "auth.user": {"admin": "vacd"},
    "claims.source": {"reviewer": "vacd", "admin": "vacd"},
    "claims.claimant": {"reviewer": "vacd", "admin": "vacd"},
    "claims.tag": {"reviewer": "vacd", "admin": "vacd"},
    "claims.claim": {"reviewer": "vacd", "admin": "vacd"},
    "claims.evidence": {"reviewer": "vacd", "admin": "vacd"},
    # A note speaks for its author: the note is eddie's, and eddie has no admin.
    "claims.annotation": {"reviewer": "va", "admin": "va"},
    # The scale verdicts are published on belongs to the superusers.
    "claims.rating": {"reviewer": "v", "admin": "vacd"},
    # The timeline is written by the domain only, and so are corrections.
    "claims.claimevent": {"reviewer": "v", "admin": "v"},
    "claims.correction": {"reviewer": "v", "admin": "v"},
    # The workflow's statuses are fixed; superusers rename and recolour them.
    "claims.statusstyle": {"reviewer": "v", "admin": "vc"},
    # The background queue (django-tasks-db): superusers look at it; only the worker writes it.
    "django_tasks_database.dbtaskresult": {"admin": "v"},
}


def admin_page_rule(rights: dict[str, str], page: str) -> Rule | None:
    """The rule of one kind of admin page of a model, from who has which rights on it.

    Anonymous users are sent to the desk's login, not the admin's: LoginRequiredMiddleware
    stops them first, and Django gives a ModelAdmin's pages no `login_url` of their own."""

    def by_right(**outcomes: Outcome) -> Row:
        """For rita and ada, the outcome of the first right named that they have; 403 without any."""

        def outcome(role):
            return next((o for letter, o in outcomes.items() if letter in rights.get(role, "")), DENIED)

        return staff(DENIED, anonymous=LOGIN, reviewer=outcome("reviewer"), admin=outcome("admin"))

    viewing = by_right(v=OK)
    pages = {
        # A bulk delete someone may not make is not offered: the list comes back unchanged.
        "changelist": rule(viewing, POST=by_right(d=SAVED, v=OK)),
        "change": rule(viewing, POST=by_right(c=SAVED)),
        "history": rule(viewing),
        "add": rule(by_right(a=OK), POST=by_right(a=SAVED)),
        "delete": rule(by_right(d=OK), POST=by_right(d=SAVED)),
        # An old version from the audit trail: shown, never saved back.
        "simple_history": rule(by_right(v=NOT_ALLOWED), GET=viewing),
        # Importing needs the right to change, exporting the right to view. The upload
        # shows a preview and saves nothing; its confirmation saves.
        "import": rule(by_right(c=OK)),
        "process_import": rule(by_right(c=NOT_ALLOWED), POST=by_right(c=SAVED)),
        "export": rule(viewing),
        # A user's password, set by whoever may change users.
        "password_change": rule(by_right(c=OK), POST=by_right(c=SAVED)),
    }
    return pages.get(page)


# A claim with a timeline cannot be deleted in the admin, by anyone: its events and
# corrections would go with it, no one may delete those there (ClaimEventAdmin,
# CorrectionAdmin), and Django refuses a deletion that takes along what the user may
# not delete. The delete page says so; a bulk delete is refused. The fixture's claim
# has both.
ADMIN_EXCEPTIONS: dict[str, dict[str, Row]] = {
    "admin:claims_claim_delete": {"POST": staff(DENIED, anonymous=LOGIN, reviewer=OK, admin=OK)},
    "admin:claims_claim_changelist": {"POST": staff(DENIED, anonymous=LOGIN)},
}


# URLs


def url_patterns(resolver=None, namespace=""):
    """(name or None, namespace, pattern) of every URL pattern of the project."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner)
        else:
            assert isinstance(pattern, URLPattern)
            yield (f"{namespace}{pattern.name}" if pattern.name else None), namespace, pattern


def admin_pages() -> dict[str, tuple[str, str]]:
    """URL name -> (model label, kind of page) for every page of every registered ModelAdmin."""
    pages = {}
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        for pattern in model_admin.urls:
            if getattr(pattern, "name", None):
                pages[f"admin:{pattern.name}"] = (model._meta.label_lower, pattern.name.removeprefix(prefix))
    return pages


PATTERNS = {name: pattern for name, _, pattern in url_patterns() if name}
URL_NAMES = sorted(PATTERNS)
ADMIN_PAGES = admin_pages()


def rule_for(name: str) -> Rule | None:
    if name in RULES:
        return RULES[name]
    if name in ADMIN_PAGES:
        model, page = ADMIN_PAGES[name]
        page_rule = admin_page_rule(ADMIN_RIGHTS[model], page) if model in ADMIN_RIGHTS else None
        return page_rule and {**page_rule, **ADMIN_EXCEPTIONS.get(name, {})}
    return None


# The data every URL is tried against


@dataclass
class World:
    users: dict[str, User | None]  # by role
    claim: Claim
    note: Annotation
    original: Claim  # a claim the fixture's claim may be marked a duplicate of
    suggestion: Suggestion
    objects: dict[str, Model]  # what each admin model's pages are about, by model label


def queued_fetch(source) -> DBTaskResult:
    """A fetch waiting in the database queue, as adding a source by its address leaves one."""
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        fetch_source.enqueue(source.pk)
    return DBTaskResult.objects.get()


@pytest.fixture
def world(viewer, editor, reviewer, superuser, other_editor) -> World:
    tag = TagFactory(name="economy")
    claim = ClaimFactory(in_review=True, assignee=editor, reviewer=reviewer, verdict_by=editor, tags=[tag], evidence=1)
    note = AnnotationFactory(claim=claim, author=editor, body="Ask the bank for the 2019 table.")
    objects = {
        "auth.group": Group.objects.create(name="interns"),
        "auth.user": other_editor,
        "claims.claim": claim,
        "claims.tag": tag,
        "claims.annotation": note,
        # Claims protect their sources, claimants and ratings from deletion: use unused ones.
        "claims.source": SourceFactory(title="An unused report"),
        "claims.claimant": ClaimantFactory(name="An unused claimant"),
        "claims.rating": Rating.objects.create(key="spare", label="Spare", position=99),
        "claims.evidence": EvidenceFactory(claim=claim, added_by=editor),
        "claims.claimevent": ClaimEventFactory(claim=claim, actor=editor),
        "claims.correction": Correction.objects.create(claim=claim, reason="The rate was annual.", opened_by=reviewer),
        "claims.statusstyle": StatusStyle.objects.get(status=Status.IN_REVIEW),
        "django_tasks_database.dbtaskresult": queued_fetch(claim.source),
    }
    # Everyone opened the claim an hour ago, so there is something to mark as seen.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    for user in (viewer, editor, reviewer, superuser):
        ClaimVisit.objects.create(user=user, claim=claim, seen_at=an_hour_ago)
    users = {"anonymous": None, "viewer": viewer, "editor": editor, "reviewer": reviewer, "admin": superuser}
    suggesting.suggest_for(claim.source)
    sentence = "Critics disputed the figures."
    start = claim.source.text.index(sentence)
    suggestion = Suggestion.objects.get_or_create(
        source=claim.source,
        fingerprint=suggesting.fingerprint(sentence),
        defaults={"start": start, "end": start + len(sentence), "sentence": sentence, "score": 0.5},
    )[0]
    original = ClaimFactory(summary="The claim said first")
    return World(users=users, claim=claim, note=note, original=original, suggestion=suggestion, objects=objects)


@pytest.fixture(scope="module")
def client_pool() -> dict[str, Client]:
    # Made once: each client builds the middleware stack, and WhiteNoise scans every static file.
    return {role: Client(raise_request_exception=False) for role in ROLES}


@pytest.fixture
def clients(world, client_pool) -> dict[str, Client]:
    for role, client in client_pool.items():
        client.cookies.clear()
        if world.users[role]:
            client.force_login(world.users[role])
    return client_pool


# A desk URL's argument is the claim, unless said here.
ARGUMENTS: dict[str, Callable[[World], list]] = {
    "claims:annotation_detail": lambda w: [w.note.pk],
    "claims:annotation_edit": lambda w: [w.note.pk],
    "claims:annotation_delete": lambda w: [w.note.pk],
    "claims:source_detail": lambda w: [w.claim.source_id],
    "claims:filter_options": lambda w: ["source"],
    "claims:source_fetch": lambda w: [w.claim.source_id],
    "claims:source_text": lambda w: [w.claim.source_id],
    "claims:claim_capture": lambda w: [w.claim.source_id],
    "claims:source_suggest": lambda w: [w.claim.source_id],
    "claims:suggestion_dismiss": lambda w: [w.suggestion.pk],
    "claims:source_annotations": lambda w: [w.claim.source_id],
    "admin:app_list": lambda w: ["claims"],
    "admin:view_on_site": lambda w: [ContentType.objects.get_for_model(Claim).pk, w.claim.pk],
}
QUERIES = {"admin:autocomplete": "?app_label=claims&model_name=claim&field_name=source&term=report"}


def url_for(name: str, world: World) -> str:
    """The URL, with the fixture's objects for its arguments."""
    if name in ADMIN_PAGES:
        model, _ = ADMIN_PAGES[name]
        assert model in world.objects, f"give the world fixture an object for the admin pages of {model}"
        obj = world.objects[model]
        arguments = [obj.pk]
        if PATTERNS[name].pattern.regex.groups == 2:  # an old version of the object, from its audit trail
            arguments.append(obj.history.order_by("-history_id")[0].history_id)
    else:
        arguments = ARGUMENTS.get(name, lambda w: [w.claim.pk])(world)
    wanted = PATTERNS[name].pattern.regex.groups
    assert wanted <= len(arguments), f"say in ARGUMENTS what {name} takes"
    return reverse(name, args=arguments[:wanted]) + QUERIES.get(name, "")


# What the forms send


class FormReader(HTMLParser):
    """The fields each form of a page sends, as a browser sends them: checked boxes only,
    the selected options (or a single select's first), text areas without the newline
    that follows their tag; not the buttons, not file inputs, not disabled fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.form = self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = {"id": attrs.get("id", ""), "method": attrs.get("method", "get").lower(), "fields": []}
            self.forms.append(self.form)
        elif self.form is None or "disabled" in attrs:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind not in {"submit", "button", "image", "reset", "file"}:
                self.form["fields"].append(
                    (attrs["name"], attrs.get("value", "on" if kind in {"checkbox", "radio"} else ""))
                )
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = [attrs["name"], ""]
        elif tag == "select" and attrs.get("name"):
            self.select = {"name": attrs["name"], "multiple": "multiple" in attrs, "options": [], "chosen": []}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.select["options"].append(value)
            if "selected" in attrs:
                self.select["chosen"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.form["fields"].append((name, text.removeprefix("\r\n").removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            select = self.select
            chosen = select["chosen"] or ([] if select["multiple"] else select["options"][:1])
            self.form["fields"] += [(select["name"], value) for value in chosen]
            self.select = None


def form_on(client: Client, url: str, form_id: str = "") -> dict[str, list[str]]:
    """The POST form of the page (the one with `form_id`, or the first that is not the
    logout button), as the fields it sends; empty if the page has none."""
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return {}
    reader = FormReader()
    reader.feed(response.content.decode())
    forms = [f for f in reader.forms if f["method"] == "post" and f["id"] != "logout-form"]
    forms = [f for f in forms if f["id"] == form_id] if form_id else forms
    if not forms:
        return {}
    data: dict[str, list[str]] = {}
    for name, value in forms[0]["fields"]:
        data.setdefault(name, []).append(value)
    return data


# Edits made on each admin model's add and change forms: valid data for each.
ADMIN_EDITS: dict[str, Callable[[World], dict]] = {
    "auth.group add": lambda w: {"name": "fact-checkers"},
    "auth.group change": lambda w: {"name": "interns, renamed"},
    "auth.user add": lambda w: {"username": "newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    "auth.user change": lambda w: {"first_name": "Edna-Marie"},
    "auth.user password_change": lambda w: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    "claims.source add": lambda w: {"title": "A new report", "kind": "report", "text": "The report's words."},
    "claims.source change": lambda w: {"title": "An unused report, revised"},
    "claims.claimant add": lambda w: {"name": "A new claimant", "kind": "person"},
    "claims.claimant change": lambda w: {"role": "Former minister"},
    "claims.tag add": lambda w: {"name": "trade"},
    "claims.tag change": lambda w: {"name": "the-economy"},
    "claims.rating add": lambda w: {
        "key": "pants-on-fire",
        "label": "Pants on fire",
        "position": "9",
        "colour": "#aa0000",
    },
    "claims.rating change": lambda w: {"label": "Spare, renamed"},
    "claims.claim add": lambda w: {
        "summary": "The same words, logged again",
        "kind": "statistic",
        "source": str(w.claim.source_id),
        "quote": w.claim.quote,
        "quote_start": str(w.claim.quote_start),
        "quote_end": str(w.claim.quote_end),
    },
    "claims.claim change": lambda w: {"summary": "Exports grew, says the minister (summary edited)"},
    "claims.evidence add": lambda w: {"claim": str(w.claim.pk), "stance": "refutes", "url": "https://example.org/t"},
    "claims.evidence change": lambda w: {"excerpt": "Table 4, second row."},
    "claims.annotation add": lambda w: {"claim": str(w.claim.pk), "body": "Written in the admin."},
    "claims.annotation change": lambda w: {"body": "Rewritten in the admin."},
    "claims.statusstyle change": lambda w: {"label": "Waiting for a second look"},
}

# A file each import accepts: one new row.
IMPORT_FILES: dict[str, Callable[[World], str]] = {
    "claims.source": lambda w: "id,title,kind,text\n,An imported report,report,Its words.\n",
    "claims.claimant": lambda w: "id,name,kind,role\n,An imported claimant,person,Mayor\n",
    "claims.claim": lambda w: (
        "id,summary,quote,source,quote_start,quote_end,kind,status\n"
        f",An imported claim,{w.claim.quote},{w.claim.source_id},{w.claim.quote_start},{w.claim.quote_end},"
        "statistic,new\n"
    ),
}
CSV_FORMAT = "0"  # the admin lists CSV first


def desk_body(name: str, world: World) -> dict | None:
    claim, note = world.claim, world.note
    bodies = {
        "claims:claim_transition": {"target": Status.PUBLISHED, "note": "", "based_on": claim.version},
        "claims:claim_verdict": {
            "verdict": "false",
            "rationale": "The bank's table says 3 %.",
            "based_on": claim.version,
        },
        "claims:claim_assign": {"assignee": "rita", "based_on": claim.version},
        "claims:claim_assign_reviewer": {"reviewer": "ada", "based_on": claim.version},
        "claims:annotation_create": {"body": "Called the press office."},
        "claims:queue_review_transition": {"target": Status.PUBLISHED, "note": "", "based_on": claim.version},
        "claims:mark_all_seen": {"as_of": seen_mark(timezone.now())},
        "claims:evidence_create": {"url": "https://stats.example.org/t1", "stance": "refutes", "excerpt": "3 %."},
        "claims:annotation_edit": {
            f"annotation-{note.pk}-body": "Rewritten.",
            f"annotation-{note.pk}-based_on": note.version,
        },
        "login": {"username": "vera", "password": PASSWORD},
        "claims:source_add": {"how": "paste", "paste-text": "A new article.\n\nIt says 3 %.", "paste-kind": "other"},
        "claims:source_text": {
            "text": claim.source.text + "\nA corrected last line.",
            "based_on": claim.source.version,
        },
        "claims:claim_mark_duplicate": {"original": world.original.pk, "based_on": claim.version},
        "claims:claim_unmark_duplicate": {"based_on": claim.version},
        "claims:claim_capture": {"quote": claim.quote, "summary": "The same words, claimed again", "kind": "statistic"},
        # Placed on a longer selection: "officials said: " and its quote.
        "claims:claim_place": {
            "quote": claim.source.text[claim.quote_start - 16 : claim.quote_end],
            "start": claim.quote_start - 16,
            "end": claim.quote_end,
            "based_on": claim.version,
        },
    }
    return bodies.get(name)


def annotation_upload(world: World) -> dict:
    """A file of one new claim, as another desk exports it: its own source, no tags, status new."""
    annotation = claim_to_annotation(world.claim)
    address = "https://elsewhere.example.org/report"
    annotation["target"]["source"].update({"id": address, "claimdesk:url": address, "claimdesk:title": "Elsewhere"})
    annotation["body"] = [body for body in annotation["body"] if body["purpose"] == "describing"]
    for key in ("claimdesk:verdict", "claimdesk:rationale", "claimdesk:verdictBy", "claimdesk:assignee"):
        annotation.pop(key, None)
    annotation.update({"claimdesk:status": Status.NEW, "motivation": "describing"})
    upload = io.BytesIO(json.dumps([annotation]).encode())
    upload.name = "claims.jsonld"
    return {"file": upload}


def bodies_for(name: str, url: str, world: World, clients: dict[str, Client]) -> Callable[[str], dict]:
    """What the page's form sends to `url`, for each role; a page's form is read once."""
    if name == "claims:annotations_import":
        return lambda role: annotation_upload(world)  # a new upload each time
    body = desk_body(name, world)
    if name == "admin:login":
        body = {**form_on(Client(), url), "username": "rita", "password": PASSWORD}
    elif name == "admin:password_change":
        body = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    elif name in ADMIN_PAGES:
        model, page = ADMIN_PAGES[name]
        boss = clients["admin"]
        if page == "import":
            return lambda role: import_body(model, world)  # a new upload each time
        if page == "process_import":
            return lambda role: import_confirmation(name, model, world, clients[role], boss)
        if page == "changelist":
            selected = world.objects[model].pk
            confirmed = {"action": "delete_selected", "_selected_action": [selected], "index": "0", "post": "yes"}
            body = {**form_on(boss, url, "changelist-form"), **confirmed}
        elif page in {"add", "change", "password_change"}:
            edits = ADMIN_EDITS.get(f"{model} {page}", lambda w: {})(world)
            body = {**form_on(boss, url), **edits, "_save": "Save"}
        else:
            body = form_on(boss, url)
    body = body or {}
    return lambda role: body


def import_confirmation(name: str, model: str, world: World, client: Client, boss: Client) -> dict:
    """The confirmation form that the preview of an upload shows its uploader (or, to
    someone who may not import, what ada's shows her)."""
    import_url = reverse(name.removesuffix("process_import") + "import")
    for uploader in (client, boss):
        preview = uploader.post(import_url, import_body(model, world))
        if preview.status_code == 200:
            reader = FormReader()
            reader.feed(preview.content.decode())
            confirm = [f for f in reader.forms if any(field == "import_file_name" for field, _ in f["fields"])]
            if confirm:
                return dict(confirm[0]["fields"])
    raise AssertionError(f"no confirmation form for {name}")


def import_body(model: str, world: World) -> dict:
    upload = io.BytesIO(IMPORT_FILES[model](world).encode())
    upload.name = "rows.csv"
    return {"format": CSV_FORMAT, "resource": "0", "import_file": upload}


# Data, before and after


def watched_tables():
    """Every claims model (audit history included) and the users, groups and admin log."""
    tables = [(model, None) for model in apps.get_app_config("claims").get_models(include_auto_created=True)]
    user_fields = ("id", "username", "password", "first_name", "is_active", "is_staff", "is_superuser")
    tables += [
        (User, user_fields),  # not last_login, which signing in stamps
        (User.groups.through, None),
        (User.user_permissions.through, None),
        (Group, None),
        (Group.permissions.through, None),
        (LogEntry, None),
    ]
    return tables


@cache
def snapshot_query() -> str:
    """One query for every watched row, as (table, primary key, the row as text): a snapshot
    is taken after each of thousands of requests, so it is one round trip to the database."""
    quote = connection.ops.quote_name
    selects = []
    for model, fields in watched_tables():
        opts = model._meta
        names = fields or [f.attname for f in opts.concrete_fields]
        columns = [quote(opts.get_field(name).column) for name in names]
        if connection.vendor == "postgresql":
            text = f"CAST(ROW({', '.join(columns)}) AS text)"
        else:
            text = " || ',' || ".join(f"quote({column})" for column in columns)
        selects.append(f"SELECT '{opts.label}', {quote(opts.pk.column)}, {text} FROM {quote(opts.db_table)}")
    return " UNION ALL ".join(selects) + " ORDER BY 1, 2"


def snapshot() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(snapshot_query())
        for table, _, row in cursor.fetchall():
            rows.setdefault(table, []).append(row)
    return rows


def changed_tables(before, after) -> list[str]:
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))


def send(client: Client, method: str, url: str, body: dict):
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url, body)
    # What a script might send instead: the same fields, as a form-encoded body.
    fields = {key: value for key, value in body.items() if not isinstance(value, io.IOBase)}
    encoded = urlencode(fields, doseq=True)
    return client.generic(method, url, encoded, content_type="application/x-www-form-urlencoded")


def mismatch(response, expected: Outcome, changed: list[str]) -> str:
    problems = []
    if response.status_code != expected.status:
        raised = getattr(response, "exc_info", None)
        problems.append(f"status {response.status_code}{f' ({raised[1]!r})' if raised else ''}")
    elif expected.to:
        target = resolve(urlsplit(response["Location"]).path).view_name
        if target != expected.to:
            problems.append(f"went to {target}")
    if expected.writes and not changed:
        problems.append("changed nothing")
    if changed and not expected.writes:
        problems.append(f"changed {', '.join(changed)}")
    return "; ".join(problems)


# The tests


@pytest.fixture(autouse=True)
def refusals_not_logged():
    """Django logs every 403 and 405 with its traceback, and the matrix sends hundreds."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.django_db
@pytest.mark.parametrize("name", URL_NAMES)
def test_every_url_method_and_role_gets_what_its_rule_says(name, world, clients):
    url_rule = rule_for(name)
    if url_rule is None:
        model = ADMIN_PAGES.get(name, ("",))[0]
        hint = f" (in ADMIN_RIGHTS for {model}, or a kind of admin page admin_page_rule knows)" if model else ""
        pytest.fail(f"{name} has no rule: say in RULES{hint} what each role may do with it")
    url = url_for(name, world)
    body_of = bodies_for(name, url, world, clients)
    problems = []
    for role in ROLES:
        with transaction.atomic():
            body = body_of(role)
            before = snapshot()
            for method in METHODS:
                expected = url_rule[method][role]
                response = send(clients[role], method, url, body)
                after = snapshot()
                problem = mismatch(response, expected, changed_tables(before, after))
                if problem:
                    problems.append(f"{method} as {role}: expected {expected}, got {problem}")
                before = after
            transaction.set_rollback(True)
    assert not problems, f"{name} ({url}):\n" + "\n".join(problems)


def test_every_rule_is_for_a_url_that_exists():
    stale = sorted(set(RULES) - set(URL_NAMES))
    assert not stale, f"rules for URLs that no longer exist: {stale}"
    registered = {model._meta.label_lower for model in admin.site._registry}
    unregistered = sorted(set(ADMIN_RIGHTS) - registered)
    assert not unregistered, f"ADMIN_RIGHTS for models without an admin: {unregistered}"
    gone = sorted(set(ADMIN_EXCEPTIONS) - set(URL_NAMES))
    assert not gone, f"ADMIN_EXCEPTIONS for URLs that no longer exist: {gone}"


def test_every_rule_says_what_each_role_gets_for_each_method():
    for name in URL_NAMES:
        url_rule = rule_for(name)
        if url_rule is not None:
            assert set(url_rule) == set(METHODS), name
            assert all(set(row) == set(ROLES) for row in url_rule.values()), name


def test_every_url_outside_the_admin_has_a_name():
    unnamed = [str(p.pattern) for name, namespace, p in url_patterns() if not name and namespace != "admin:"]
    assert not unnamed, f"unnamed URLs cannot be in the access matrix; name them: {unnamed}"
