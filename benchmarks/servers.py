"""Real app servers and a browser-like session against them, for `make load` and
tests/test_two_servers.py: start gunicorn on a port with a given environment, log in
through the login form, change a status and add a note through the desk's own forms
(reading the version and the CSRF token from the page, as the browser does)."""

import html
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks import harness
from benchmarks.pages import Page, htmx_headers, status_move

READY_PATH = "/login/"
USER_NAME = re.compile(r'<span class="user-name">([^<]*)</span>')


@dataclass
class Server:
    name: str
    port: int
    env: dict[str, str]
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start_gunicorn(name: str, port: int, env: dict[str, str], *, workers: int = 4, log_dir: Path) -> Server:
    """gunicorn serving config.wsgi, as a deployment runs it (sync workers)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"gunicorn-{name}-{port}.log"
    command = [
        str(harness.BIN / "gunicorn"),
        "config.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--timeout",
        "120",
        "--graceful-timeout",
        "10",
    ]
    # Its own process group, so stopping it stops its workers and nothing else. What the
    # app logs (tracebacks of errors included) goes to the same file as gunicorn's own log.
    with log.open("w") as output:
        process = subprocess.Popen(
            command, env=env, cwd=harness.ROOT, start_new_session=True, stdout=output, stderr=subprocess.STDOUT
        )
    return Server(name, port, env, process, log)


def wait_until_ready(server: Server, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server {server.name} exited ({server.process.returncode}); see {server.log}")
        try:
            if httpx.get(server.url + READY_PATH, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server {server.name} did not answer on {server.url} within {timeout:.0f} s; see {server.log}")


def stop(server: Server) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


class DeskSession:
    """One browser's session with one server: its cookies, and the desk's forms as the
    pages present them. Methods raise AssertionError when the server answers otherwise."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None):
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, cookies=cookies, follow_redirects=False, timeout=60)
        self.csrf_token = None

    def close(self):
        self.http.close()

    @property
    def cookies(self) -> dict[str, str]:
        return dict(self.http.cookies.items())

    def log_in(self, username: str, password: str) -> None:
        page = Page(self.http.get("/login/").text)
        data = {"username": username, "password": password, "csrfmiddlewaretoken": page.csrf_token(), "next": ""}
        response = self.http.post("/login/", data=data)
        assert response.status_code == 302, f"logging in as {username} on {self.base_url}: {response.status_code}"

    def page(self, path: str, *, target: str | None = None) -> Page:
        headers = htmx_headers(target, path) if target else {}
        response = self.http.get(path, headers=headers)
        assert response.status_code == 200, f"GET {self.base_url}{path}: {response.status_code}"
        page = Page(response.text)
        self.csrf_token = page.csrf_token() or self.csrf_token
        return page

    def signed_in_as(self) -> str | None:
        """Who the desk says is signed in, or None if it sends us to the login page."""
        response = self.http.get("/")
        if response.status_code != 200:
            return None
        found = USER_NAME.search(response.text)
        return html.unescape(found.group(1)) if found else None

    def post_htmx(self, path: str, data: dict, *, target: str | None, current: str) -> httpx.Response:
        headers = {**htmx_headers(target, current), "X-CSRFToken": self.csrf_token or ""}
        return self.http.post(path, data=data, headers=headers)

    def change_status(self, claim_id: int) -> tuple[str, int]:
        """Make the claim page's free move (new → researching → not check-worthy → new),
        based on the version the page showed. Returns (new status, version confirmed)."""
        path = f"/claims/{claim_id}/"
        page = self.page(path)
        move = status_move(page, claim_id)
        assert move is not None, f"claim {claim_id} offers no free move on {self.base_url}"
        form, target = move
        response = self.post_htmx(
            form.action, {**dict(form.fields), "target": target}, target="status-panel", current=path
        )
        assert response.status_code == 200, f"status change of claim {claim_id}: {response.status_code}"
        answer = Page(response.text)
        version = answer.form(f"/claims/{claim_id}/status/").value("based_on")
        assert target in answer.statuses_shown(), f"claim {claim_id}: the answer does not show {target}"
        return target, int(version)

    def add_note(self, claim_id: int, body: str) -> int:
        path = f"/claims/{claim_id}/"
        page = self.page(path)
        form = page.form(f"/claims/{claim_id}/annotations/")
        assert form is not None, f"claim {claim_id} has no note form on {self.base_url}"
        data = {**dict(form.fields), "body": body}
        response = self.post_htmx(form.action, data, target="annotation-list", current=path)
        assert response.status_code == 200, f"adding a note to claim {claim_id}: {response.status_code}"
        ids = Page(response.text).annotation_ids()
        assert ids, f"adding a note to claim {claim_id}: no note in the answer"
        return ids[0]


CACHE_PROBE = """
import sys, django
django.setup()
from django.core.cache import caches
cache = caches["default"]
key, value = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None
if value is not None:
    cache.set(key, value, 120)
print(type(cache).__name__, cache.get(key))
"""


def cache_probe(env: dict[str, str], key: str, value: str | None = None) -> tuple[str, str]:
    """Set (if `value`) then read `key` through Django's cache, in a process with this
    server's environment. Returns (cache backend class, value read)."""
    command = [harness.PYTHON, "-c", CACHE_PROBE, key, *([value] if value is not None else [])]
    done = subprocess.run(command, env=env, cwd=harness.ROOT, capture_output=True, text=True, check=True)
    backend, _, read = done.stdout.strip().rpartition("\n")[2].partition(" ")
    return backend, read
