"""No lost updates: editors changing one claim at the same moment, through the desk.

The threaded tests start real threads together (a `threading.Barrier`), each with
its own client logged in as a different editor and its own database connection,
all posting to the desk's views for one claim. They prove that every change the
desk accepted is in the claim's timeline (ClaimEvent) and in its audit trail
(django-simple-history) exactly once, that versions rise by one per accepted
change with no gaps, that the stored claim is the last accepted change, and that
a change based on a stale copy is refused with 409 and changes nothing.

They run on PostgreSQL (row locks, `select_for_update`) and on SQLite (IMMEDIATE
transactions with WAL), where the test database is a file as in production (see
`tests/conftest.py`): an in-memory one fails a second writer at once.
"""

import re
import threading
import traceback
from collections import Counter
from dataclasses import dataclass
from functools import partial

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from claims.models import Annotation, Claim, ClaimEvent, EventField, Rating
from claims.workflow import Status

from .conftest import HTMX, is_fragment, logged_in_client, shown
from .factories import ClaimFactory, UserFactory

THREADS = 12
RETRIES = 60  # per change; each round of conflicts has a winner, so a change waits at most THREADS rounds
ACCEPTED = {200, 302}  # 200: htmx got the refreshed panel; 302: a plain form was sent back to the page
CONFLICT = 409


def threaded(test):
    """A test whose threads each use their own connection: its data must be committed, so
    the test runs outside a transaction (and puts back the migrations' data after)."""
    return pytest.mark.django_db(transaction=True, serialized_rollback=True)(test)


@dataclass
class Sent:
    """One request an editor sent, and what came back."""

    editor: str
    action: str
    data: dict
    status: int
    page: str  # what the editor was shown

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED

    @property
    def expected_event(self) -> tuple:
        """(actor, field, new value, note) of the ClaimEvent this change must have written."""
        if self.action == "verdict":
            return (self.editor, EventField.VERDICT, self.data["verdict"], self.data["rationale"])
        if self.action == "assign":
            return (self.editor, EventField.ASSIGNEE, self.data["assignee"], "")
        return (self.editor, EventField.STATUS, self.data["target"], self.data["note"])


@pytest.fixture
def editors(db):
    return [UserFactory(username=f"editor{n:02}", role="editor") for n in range(THREADS)]


@pytest.fixture
def claim(db):
    """A claim being researched, with a verdict, so it may go to review and back."""
    return ClaimFactory(
        researching=True, verdict=Rating.objects.get(key="half-true"), rationale="First reading.", evidence=1
    )


def clients_for(users) -> dict[str, Client]:
    # Logged in one after the other, before the threads start, so the race is the requests'.
    return {user.username: logged_in_client(user) for user in users}


def run_together(jobs) -> list:
    """Run each job in its own thread, released together; each thread closes its database
    connection at the end. Returns the jobs' results; fails if a job raised or hung."""
    barrier = threading.Barrier(len(jobs), timeout=60)
    results, errors = [None] * len(jobs), []

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except BaseException:  # reported below, in the test's thread
            errors.append(traceback.format_exc())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    assert not errors, "\n".join(errors)
    return results


def change(action, editor, status, based_on=None) -> dict:
    """What the claim page's form for `action` sends, for a claim in `status`."""
    data = {} if based_on is None else {"based_on": based_on}
    if action == "verdict":
        # A rationale no one else writes, so each accepted change is a change and can be found.
        tick = _next_tick()
        rating = "false" if tick % 2 else "mostly-true"
        return {**data, "verdict": rating, "rationale": f"{editor} read the tables ({tick})."}
    if action == "assign":
        return {**data, "assignee": editor}
    if status == Status.RESEARCHING:
        return {**data, "target": Status.IN_REVIEW, "note": ""}
    return {**data, "target": Status.RESEARCHING, "note": f"{editor} wants the 2019 figures ({_next_tick()})."}


_ticks = iter(range(10**9))
_ticks_lock = threading.Lock()


def _next_tick() -> int:
    with _ticks_lock:
        return next(_ticks)


URLS = {"verdict": "claims:claim_verdict", "assign": "claims:claim_assign", "transition": "claims:claim_transition"}


def post(client, claim, editor, action, data, htmx) -> Sent:
    headers = HTMX if htmx else {}
    response = client.post(reverse(URLS[action], args=[claim.pk]), data, **headers)
    assert response.status_code in {*ACCEPTED, CONFLICT}, (
        f"{editor} {action} {data}: {response.status_code}\n{shown(response)[:3000]}"
    )
    page = shown(response)
    if response.status_code == CONFLICT:
        assert "Someone changed this claim" in page
    return Sent(editor, action, data, response.status_code, page)


def stored(claim) -> tuple:
    return Claim.objects.values_list("version", "status").get(pk=claim.pk)


def claim_state(row) -> dict:
    """What the desk shows of a claim (or of one of its audit rows)."""
    return {
        "status": row.status,
        "verdict": row.verdict.key if row.verdict_id else "",
        "rationale": row.rationale,
        "assignee": row.assignee.get_username() if row.assignee_id else "",
    }


def replay(state: dict, event: ClaimEvent) -> dict:
    """The claim's state after `event`, from the state before it."""
    if event.field == EventField.VERDICT:
        return {**state, "verdict": event.new_value, "rationale": event.note}
    if event.field == EventField.ASSIGNEE:
        return {**state, "assignee": event.new_value}
    assert event.field == EventField.STATUS, event
    return {**state, "status": event.new_value}


def assert_nothing_lost(claim, before: dict, version: int, accepted: list[Sent]):
    """Every accepted change is in the timeline and the audit trail exactly once, at its
    own version, and the claim as stored is the last of them."""
    events = list(claim.events.filter(version__gt=version).select_related("actor").order_by("version"))
    assert Counter((e.actor.username, e.field, e.new_value, e.note) for e in events) == Counter(
        sent.expected_event for sent in accepted
    )
    assert [e.version for e in events] == list(range(version + 1, version + len(accepted) + 1))
    assert not claim.events.filter(version__isnull=True).exists()

    state = before
    for event in events:
        state = replay(state, event)
    claim.refresh_from_db()
    assert claim.version == version + len(accepted)
    assert claim_state(claim) == state, "the stored claim is the last accepted change"

    audit = list(
        claim.history.filter(version__gt=version)
        .select_related("verdict", "assignee", "history_user")
        .order_by("version", "history_id")
    )
    assert [row.version for row in audit] == [e.version for e in events], "one audit row per accepted change"
    state = before
    for event, row in zip(events, audit, strict=True):
        state = replay(state, event)
        assert row.history_user == event.actor
        assert claim_state(row) == state, f"the audit row of version {row.version} is not the claim after it"


@threaded
@pytest.mark.parametrize("action", ["verdict", "assign", "transition"])
def test_of_changes_based_on_the_same_version_one_wins_and_the_rest_get_409(claim, editors, action):
    before, (version, status) = claim_state(claim), stored(claim)
    clients = clients_for(editors)

    sent = run_together(
        [
            partial(post, client, claim, editor, action, change(action, editor, status, based_on=version), htmx=n % 2)
            for n, (editor, client) in enumerate(clients.items())
        ]
    )

    [winner] = [s for s in sent if s.accepted]
    conflicts = [s for s in sent if s.status == CONFLICT]
    assert len(conflicts) == THREADS - 1
    for conflict in conflicts:
        assert f"{winner.editor}</strong>" in conflict.page, "each loser is shown the winner's change"
    assert_nothing_lost(claim, before, version, [winner])


@threaded
def test_editors_who_retry_after_a_conflict_lose_nothing(claim, editors):
    """Each editor makes two of: give a verdict, assign the claim to themself, move it
    (to review, or back to research); each based on the version they last read, and
    tried again after a 409, as a person does. Then each adds a note. Half use htmx."""
    before, (version, _) = claim_state(claim), stored(claim)
    clients = clients_for(editors)

    def work(client, editor, htmx, actions):
        sent = []
        for action in actions:
            for _ in range(RETRIES):
                based_on, status = stored(claim)  # the page they have open
                sent.append(post(client, claim, editor, action, change(action, editor, status, based_on), htmx))
                if sent[-1].accepted:
                    break
            else:
                pytest.fail(f"{editor} never got {action} through")
        note = client.post(reverse("claims:annotation_create", args=[claim.pk]), {"body": f"Note by {editor}."})
        assert note.status_code == 302, note.status_code
        return sent

    orders = [["verdict", "transition"], ["transition", "assign"], ["assign", "verdict"]]
    sent = run_together(
        [
            partial(work, client, editor, htmx=n % 2, actions=orders[n % len(orders)])
            for n, (editor, client) in enumerate(clients.items())
        ]
    )
    sent = [s for per_editor in sent for s in per_editor]

    accepted = [s for s in sent if s.accepted]
    assert len(accepted) == sum(len(orders[n % len(orders)]) for n in range(THREADS))
    assert any(s.status == CONFLICT for s in sent), "the editors never raced; the test proves nothing"
    assert_nothing_lost(claim, before, version, accepted)
    notes = Annotation.objects.filter(claim=claim)
    assert sorted(notes.values_list("body", flat=True)) == sorted(f"Note by {e.username}." for e in editors)
    assert Annotation.history.filter(claim=claim, history_type="+").count() == THREADS


@threaded
def test_changes_without_a_version_are_applied_one_after_the_other(claim, editors):
    """A form sent without `based_on` (a script, an old page) is applied to the claim as
    locked at that moment: nothing is refused, and still nothing is lost."""
    before, (version, _) = claim_state(claim), stored(claim)
    clients = clients_for(editors)

    def work(client, editor, htmx):
        return [
            post(client, claim, editor, action, change(action, editor, Status.RESEARCHING), htmx)
            for action in ["verdict", "assign"]
        ]

    sent = run_together(
        [partial(work, client, editor, htmx=n % 2) for n, (editor, client) in enumerate(clients.items())]
    )
    sent = [s for per_editor in sent for s in per_editor]

    assert all(s.accepted for s in sent), Counter(s.status for s in sent)
    assert_nothing_lost(claim, before, version, sent)


@pytest.mark.django_db
class TestStaleSave:
    """One editor saves from a page someone else changed since: 409, what changed, nothing saved."""

    @pytest.fixture
    def stale(self, claim, editor, other_editor):
        seen = claim.version
        claim.set_verdict(Rating.objects.get(key="true"), by=other_editor, rationale="The 2023 table settles it.")
        claim.refresh_from_db()
        return claim, seen, {"verdict": "false", "rationale": "Nothing supports it.", "based_on": seen}

    def snapshot(self, claim):
        claim.refresh_from_db()
        return claim.version, claim_state(claim), claim.events.count(), claim.history.count()

    def test_htmx_gets_the_conflict_fragment(self, stale, editor_client):
        claim, seen, data = stale
        before = self.snapshot(claim)
        response = editor_client.post(reverse("claims:claim_verdict", args=[claim.pk]), data, **HTMX)

        assert response.status_code == CONFLICT
        assert is_fragment(response)
        page = shown(response)
        assert "Someone changed this claim" in page
        assert re.search(r"edna</strong>\s*rated it <em>True</em>", page), "the other person's change is listed"
        assert "The 2023 table settles it." in page
        assert "Nothing supports it." in page, "what they wrote is kept in the form"
        assert f'name="based_on" value="{claim.version}"' in page, "ready to apply on top of the change"
        assert response["HX-Retarget"] == "#verdict-panel"
        assert self.snapshot(claim) == before

    def test_a_plain_form_gets_the_whole_page_with_409(self, stale, editor_client):
        claim, seen, data = stale
        before = self.snapshot(claim)
        response = editor_client.post(reverse("claims:claim_verdict", args=[claim.pk]), data)

        assert response.status_code == CONFLICT
        assert not is_fragment(response)
        page = shown(response)
        assert "Someone changed this claim" in page
        assert re.search(r"edna</strong>\s*rated it <em>True</em>", page)
        assert self.snapshot(claim) == before
