"""Fetching a page from the web for a new source, safely.

A URL typed by an editor must not make the server reach its own network (SSRF): every connection, including
each hop of a redirect chain, goes through a network backend that resolves the host name itself, refuses any
address that is not globally routable, and connects to exactly the address it vetted, so a name that
resolves differently a moment later (DNS rebinding) gains nothing.

Reads nothing from Django settings, so it can be used (and tested) without Django configured.
"""

import http
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass

import httpcore
import httpx

USER_AGENT = "Claimdesk/0.1 (fact-claim tracker for newsrooms)"
ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


@dataclass(frozen=True)
class Fetched:
    """What a web server answered: the final URL after redirects, the media type and the body."""

    url: str
    status_code: int
    content_type: str
    charset: str
    content: bytes


class FetchError(Exception):
    """Why a page could not be fetched, in words an editor understands."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
    max_redirects: int = 5,
) -> Fetched:
    """Fetch a web page, refusing local addresses, bodies over `max_bytes` and servers slower than `timeout`."""
    target = _checked_url(url)
    # `timeout` bounds each network step (connecting, each read) and, through this, the arrival of the whole body.
    deadline = time.monotonic() + timeout
    client = httpx.Client(
        transport=_VettedTransport(allow_private=allow_private),
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        max_redirects=max_redirects,
        # A proxy would connect to the target itself, out of the backend's reach. httpx already ignores proxy
        # variables when given a transport; saying so keeps it that way should the transport ever change.
        trust_env=False,
        # httpx calls request hooks for every hop of a redirect chain, so each Location is checked too.
        event_hooks={"request": [_check_hop]},
    )
    try:
        with client, client.stream("GET", target) as response:
            if not response.is_success:
                raise FetchError(f"The server answered {_status(response)}.", "http_status")
            declared_length = response.headers.get("Content-Length", "")
            if declared_length.isdigit() and int(declared_length) > max_bytes:
                raise FetchError(_too_large(max_bytes), "too_large")
            content = _read_body(response, max_bytes=max_bytes, deadline=deadline, timeout=timeout)
    except httpx.TimeoutException as exc:
        raise FetchError(f"The server did not answer within {_seconds(timeout)}.", "timeout") from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"Too many redirects (more than {max_redirects}).", "redirects") from exc
    except httpx.ConnectError as exc:
        raise FetchError(f"Could not connect to {exc.request.url.host}: {_reason(exc)}.", "connection") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"The server's answer could not be read: {_reason(exc)}.", "connection") from exc
    media_type = response.headers.get("Content-Type", "").partition(";")[0].strip().lower()
    return Fetched(
        url=str(response.url),
        status_code=response.status_code,
        content_type=media_type,
        charset=(response.charset_encoding or "").lower(),
        content=content,
    )


def _checked_url(url: str) -> httpx.URL:
    try:
        target = httpx.URL(url.strip())
    except httpx.InvalidURL as exc:
        raise FetchError(f"“{url}” is not a web address.", "url") from exc
    _check_target(target)
    return target


def _check_hop(request: httpx.Request) -> None:
    _check_target(request.url)


def _check_target(target: httpx.URL) -> None:
    if target.scheme not in ("http", "https"):
        raise FetchError("Only http:// and https:// addresses can be fetched.", "scheme")
    if target.userinfo:
        raise FetchError("Addresses with a user name or password in them cannot be fetched.", "credentials")
    if not target.host:
        raise FetchError(f"“{target}” has no host name.", "url")


def _read_body(response: httpx.Response, *, max_bytes: int, deadline: float, timeout: float) -> bytes:
    body = bytearray()
    # Counted after decompression, so a small compressed body cannot unpack into an unbounded one.
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(_too_large(max_bytes), "too_large")
        # Each read has its own timeout; this bounds a server that trickles the page a few bytes at a time.
        if time.monotonic() > deadline:
            raise FetchError(f"The server did not send the whole page within {_seconds(timeout)}.", "timeout")
    return bytes(body)


class _VettedTransport(httpx.HTTPTransport):
    """httpx's own transport, connecting through the address-vetting network backend."""

    def __init__(self, *, allow_private: bool):
        ssl_context = httpx.create_ssl_context(trust_env=False)
        super().__init__(verify=ssl_context, trust_env=False)
        # httpx has no parameter for httpcore's network backend, so the connection pool HTTPTransport just built
        # is replaced by the same pool on our backend. That keeps all of httpx's request, response, stream and
        # exception handling (which a hand-written BaseTransport would have to copy from httpx's private
        # helpers); the version pin keeps `_pool` stable, and the tests fail if a request ever bypasses it.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            network_backend=_VettingBackend(allow_private=allow_private),
        )


class _VettingBackend(httpcore.SyncBackend):
    """Resolves host names itself and connects only to the addresses it has vetted."""

    def __init__(self, *, allow_private: bool):
        self._allow_private = allow_private

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = _resolve(host, port)
        if not self._allow_private:
            for address in addresses:
                if not _is_public(address):
                    raise FetchError(_private_message(host, address), "private_address")
        failure = None
        for address in addresses:
            try:
                # Connecting to the vetted address itself: TLS still verifies the certificate against, and
                # sends SNI for, the host name, because httpcore starts TLS with the request's origin host.
                return super().connect_tcp(str(address), port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure


def _resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"{host} could not be found.", "dns") from exc
    # dict.fromkeys: distinct addresses in the resolver's order of preference.
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if address.version == 6:
        # IPv6 forms that carry an IPv4 address are judged by that address.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and (address in _NAT64 or address in _IPV4_COMPATIBLE):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return _is_public(embedded)
        if address in _NAT64_LOCAL_USE:
            return False
    # Python 3.11's tables count multicast ranges (224.0.0.0/4, ff00::/8) as global.
    return address.is_global and not address.is_multicast


def _private_message(host: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    where = host if host == str(address) else f"{host} points to {address}, which"
    return f"{where} is a private or local address; Claimdesk does not fetch from those."


def _status(response: httpx.Response) -> str:
    try:
        phrase = http.HTTPStatus(response.status_code).phrase
    except ValueError:
        phrase = response.reason_phrase
    return f"{response.status_code} {phrase}".strip()


def _reason(exc: BaseException) -> str:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"its security certificate is not valid ({cause.verify_message})"
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror[0].lower() + cause.strerror[1:]
        cause = cause.__cause__ or cause.__context__
    return str(exc) or type(exc).__name__


def _too_large(max_bytes: int) -> str:
    if max_bytes >= 1_000_000:
        size = f"{max_bytes / 1_000_000:g} MB"
    elif max_bytes >= 1000:
        size = f"{max_bytes / 1000:g} kB"
    else:
        size = f"{max_bytes} bytes"
    return f"The page is larger than {size}; Claimdesk stops there."


def _seconds(timeout: float) -> str:
    return f"{timeout:g} second{'' if timeout == 1 else 's'}"
