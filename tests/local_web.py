"""A small real web server on 127.0.0.1 for tests that fetch pages (and, later, for browser tests).

    web = LocalWeb()
    web.add("/article", "<html>…</html>")
    web.add("/big", lambda: (b"x" * 65536 for _ in range(100)))   # streamed, chunked, no Content-Length
    web.redirect("/old", "/article")
    with web:
        fetch(web.url("/old"), allow_private=True)
    assert [request.path for request in web.requests] == ["/old", "/article"]

Routes can be added before or after the server starts. Each route answers every request for its path (the
query string is ignored for matching); unknown paths get a 404.

Tests get a started server from the `local_web` fixture by naming this module as a plugin in the test module:

    pytest_plugins = ["tests.local_web"]

pytest 9 still honours `pytest_plugins` in test modules (only non-root conftest files lost it). Importing the
fixture instead (`from .local_web import local_web`) works too, but ruff then reports the test's argument as
redefining an unused import (F811) as well as the import itself (F401).

The server is shut down and every handler thread joined when the `with` block (or the fixture) ends, so no
thread or socket outlives the test and nothing raises a ResourceWarning.
"""

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

Body = bytes | str | Callable[[], Iterable[bytes]]


@dataclass(frozen=True)
class Route:
    """What the server answers for one path."""

    body: Body
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class ReceivedRequest:
    """A request the server saw."""

    method: str
    path: str
    headers: dict[str, str]


class LocalWeb:
    """A threaded HTTP/1.1 server on 127.0.0.1, on a free port, answering the routes it was given."""

    def __init__(self):
        self.requests: list[ReceivedRequest] = []
        self._routes: dict[str, Route] = {}
        self._closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        # A short poll interval lets stop() return promptly (serve_forever checks for shutdown between polls).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="local-web", daemon=True
        )

    def add(
        self,
        path: str,
        body: Body,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        """Answer `path` with `body`: bytes, text (sent as UTF-8), or a callable giving chunks to stream.

        A callable body is sent with chunked transfer encoding and no Content-Length, a fresh iterable per
        request, so large bodies need not exist in memory. `headers` are added to (or replace) the defaults;
        `delay` seconds pass before the answer starts.
        """
        self._routes[path] = Route(body, status, content_type, headers or {}, delay)

    def redirect(self, path: str, to: str, *, status: int = 302) -> None:
        """Answer `path` with a redirect to `to` (a path on this server or any URL)."""
        self.add(path, b"", status=status, headers={"Location": to})

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return self._server.server_address[1]

    def url(self, path: str = "/") -> str:
        """The full URL of `path` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> "LocalWeb":
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, cut short any delayed answer and wait for every handler thread."""
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> "LocalWeb":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    # Non-daemon handler threads are joined by server_close(), so none is left running after stop().
    daemon_threads = False
    block_on_close = True

    def handle_error(self, request, client_address):
        # A client that gives up (a timeout or size limit under test) closes the connection mid-answer:
        # that is expected here, not a server error worth a traceback.
        pass


def _handler_for(web: LocalWeb) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # A client that keeps a connection open cannot hold up stop() for longer than this.
        timeout = 5

        def do_GET(self):
            self._answer(send_body=True)

        def do_HEAD(self):
            self._answer(send_body=False)

        def _answer(self, *, send_body: bool) -> None:
            path = urlsplit(self.path).path
            web.requests.append(ReceivedRequest(self.command, self.path, dict(self.headers.items())))
            route = web._routes.get(path) or Route("Not found", status=404, content_type="text/plain; charset=utf-8")
            if route.delay and web._closing.wait(route.delay):
                self.close_connection = True
                return
            self.send_response(route.status)
            headers = {"Content-Type": route.content_type, **route.headers}
            if callable(route.body):
                headers["Transfer-Encoding"] = "chunked"
            else:
                body = route.body.encode() if isinstance(route.body, str) else route.body
                headers.setdefault("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if not send_body:
                return
            if callable(route.body):
                for chunk in route.body():
                    if chunk:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.wfile.write(body)

        def log_message(self, format, *args):
            # Keeps the test output free of one access-log line per request.
            pass

    return Handler


@pytest.fixture
def local_web():
    """A started LocalWeb, stopped after the test."""
    with LocalWeb() as web:
        yield web
