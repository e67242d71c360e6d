"""Simulated editors for `make load` (run by benchmarks/load.py; see benchmarks/README.md).

Each simulated editor logs in through the login form with their own account, then works
the desk as a person does, a weighted mix: the desk (and the fragments it loads by
itself), a filter, a search, the next page, a claim, a note, a status change based on
the version the claim page showed, the reader. Every write the server accepted is
recorded (the note's id and text; the claim, status and version the server confirmed)
for load.py to find in the database afterwards. Configuration comes from the environment:

BENCH_HOSTS     app servers, comma-separated (editors are spread over them in turn)
BENCH_USERS     the editors' usernames, comma-separated (one account per simulated editor)
BENCH_PASSWORD  their password
BENCH_WORDS     words to search for, comma-separated
BENCH_WAIT      think time between actions in seconds, "min,max" (default 1,3)
BENCH_RECORD    the JSON file to write the requests and accepted writes to
"""

import itertools
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pages import Page, fragment_target, htmx_headers, status_move  # noqa: E402

HOSTS = [host for host in os.environ.get("BENCH_HOSTS", "http://127.0.0.1:8000").split(",") if host]
USERS = [user for user in os.environ.get("BENCH_USERS", "").split(",") if user]
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
WORDS = [word for word in os.environ.get("BENCH_WORDS", "percent").split(",") if word]
WAIT = [float(value) for value in os.environ.get("BENCH_WAIT", "1,3").split(",")]
STATUSES = ["new", "researching", "in_review", "published"]
CONFLICT = 409  # someone else changed the claim first: a correct refusal, not an error

_next_editor = itertools.count()
requests_made: list[dict] = []
writes: list[dict] = []


@events.request.add_listener
def remember_request(request_type, name, response_time, response_length, response, exception, context, **kwargs):
    status = getattr(response, "status_code", 0) if response is not None else 0
    requests_made.append(
        {
            "name": name,
            "method": request_type,
            "ms": response_time,
            "end": time.time(),
            "status": status,
            "ok": exception is None,
            "error": str(exception)[:200] if exception else "",
            "host": context.get("host", ""),
        }
    )


@events.test_stop.add_listener
def save_record(environment, **kwargs):
    path = os.environ.get("BENCH_RECORD")
    if path:
        Path(path).write_text(json.dumps({"requests": requests_made, "writes": writes}))


class Editor(FastHttpUser):
    wait_time = between(*WAIT)

    def __init__(self, environment):
        number = next(_next_editor)
        self.username = USERS[number % len(USERS)] if USERS else f"editor{number + 1:03}"
        self.host = HOSTS[number % len(HOSTS)]  # spread over the app servers
        super().__init__(environment)
        self.rng = random.Random(number)
        self.listed: list[int] = []  # claims on the last list seen
        self.mine: list[int] = []  # claims on the last "assigned to me" list
        self.readers: list[str] = []  # reader links of the last list
        self.next_url: str | None = None
        self.csrf_token = ""
        self.desk_form: dict[str, str] = {}

    def context(self):
        return {"host": self.host}

    # Requests, with what counts as success.

    def get(self, path, name, *, target=None, ok=(200,)):
        headers = htmx_headers(target, path) if target else {}
        with self.client.get(path, name=name, headers=headers, catch_response=True, allow_redirects=False) as response:
            if response.status_code in ok:
                response.success()
            else:
                response.failure(f"{response.status_code} for {path}")
                return None
            return Page(response.text or "")

    def post(self, path, data, name, *, target, current, ok=(200,)):
        headers = {
            **htmx_headers(target, current),
            "X-CSRFToken": self.csrf_token,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        with self.client.post(
            path,
            data=urlencode(data, doseq=True),
            name=name,
            headers=headers,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code in ok:
                response.success()
            else:
                response.failure(f"{response.status_code} for POST {path}")
            return response.status_code, response.text or ""

    # Logging in, once per simulated editor, through the form.

    def on_start(self):
        with self.client.get("/login/", name="login page", catch_response=True) as response:
            token = Page(response.text or "").csrf_token()
        data = {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": ""}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        with self.client.post(
            "/login/", data=urlencode(data), name="login", headers=headers, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 302:
                response.failure(f"logging in as {self.username}: {response.status_code}")
                raise RuntimeError(f"cannot log in as {self.username}")
        self.open_desk()

    # What editors do, weighted.

    def remember_list(self, page: Page, *, mine: bool = False):
        ids = page.claim_ids()
        if ids:
            self.listed = ids
            if mine:
                self.mine = ids
        self.readers = page.reader_links() or self.readers
        link = page.next_link()
        self.next_url = (link.attrs.get("hx-get") or link.attrs.get("href")) if link else None

    @task(10)
    def open_desk(self):
        page = self.get("/", "desk")
        if page is None:
            return
        self.csrf_token = page.csrf_token() or self.csrf_token
        form = next((f for f in page.parsed.forms if f.attrs.get("id") == "desk-filters"), None)
        self.desk_form = dict(form.fields) if form else {}
        self.remember_list(page)
        for element in page.self_loading_fragments():
            target = fragment_target(element)
            self.get(element.attrs["hx-get"], f"desk fragment: {target}", target=target)

    def desk_query(self, **values) -> str:
        fields = {**self.desk_form, **values}
        return "/?" + urlencode(fields)

    @task(6)
    def filter_desk(self):
        page = self.get(
            self.desk_query(status=self.rng.choice(STATUSES), assignee="me"), "desk filtered", target="claim-results"
        )
        if page is not None:
            self.remember_list(page, mine=True)

    @task(4)
    def search(self):
        words = " ".join(self.rng.sample(WORDS, min(len(WORDS), self.rng.choice([1, 2]))))
        page = self.get(self.desk_query(q=words), "search", target="claim-results")
        if page is not None:
            self.remember_list(page)

    @task(3)
    def next_page(self):
        if not self.next_url:
            return self.open_desk()
        page = self.get(self.next_url, "desk next page", target="claim-results")
        if page is not None:
            self.remember_list(page)

    @task(10)
    def open_claim(self):
        if self.listed:
            self.get(f"/claims/{self.rng.choice(self.listed)}/", "claim page")

    @task(4)
    def add_note(self):
        if not self.listed:
            return
        claim_id = self.rng.choice(self.listed)
        page = self.get(f"/claims/{claim_id}/", "claim page")
        if page is None:
            return
        self.csrf_token = page.csrf_token() or self.csrf_token
        form = page.form(f"/claims/{claim_id}/annotations/")
        if form is None:
            return
        body = f"Load-test note by {self.username}, {uuid.uuid4()}"
        status, answer = self.post(
            form.action,
            {**dict(form.fields), "body": body},
            "add note",
            target="annotation-list",
            current=f"/claims/{claim_id}/",
        )
        note_ids = Page(answer).annotation_ids() if status == 200 else []
        if note_ids:
            writes.append({"kind": "note", "id": note_ids[0], "claim": claim_id, "body": body, "user": self.username})

    @task(4)
    def change_status(self):
        pool = self.mine or self.listed
        if not pool:
            return
        claim_id = self.rng.choice(pool)
        page = self.get(f"/claims/{claim_id}/", "claim page")
        if page is None:
            return
        self.csrf_token = page.csrf_token() or self.csrf_token
        move = status_move(page, claim_id)
        if move is None:
            return  # nothing this benchmark moves freely (needs a verdict or a note)
        form, target = move
        based_on = form.value("based_on")
        status, answer = self.post(
            form.action,
            {**dict(form.fields), "target": target},
            "change status",
            target="status-panel",
            current=f"/claims/{claim_id}/",
            ok=(200, CONFLICT),
        )
        if status == CONFLICT:
            writes.append({"kind": "conflict", "claim": claim_id, "based_on": based_on, "user": self.username})
            return
        if status != 200:
            return
        confirmed = Page(answer).form(f"/claims/{claim_id}/status/")
        if confirmed is None or target not in Page(answer).statuses_shown():
            # Accepted, yet the answer does not show the change: load.py reports it.
            writes.append({"kind": "unconfirmed", "claim": claim_id, "target": target, "user": self.username})
        else:
            writes.append(
                {
                    "kind": "status",
                    "claim": claim_id,
                    "target": target,
                    "based_on": based_on,
                    "version": int(confirmed.value("based_on")),
                    "user": self.username,
                }
            )

    @task(3)
    def open_reader(self):
        if self.readers:
            self.get(self.rng.choice(self.readers), "reader")
