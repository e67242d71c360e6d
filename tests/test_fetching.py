"""Fetching a page safely: claims/fetching.py, against a real local web server (never the internet)."""

import ipaddress
import socket
import time

import pytest

from claims import fetching
from claims.fetching import FetchError, fetch

pytest_plugins = ["tests.local_web"]

PAGE = "<html><head><title>Port news</title></head><body><p>The port handled a record cargo.</p></body></html>"

real_getaddrinfo = socket.getaddrinfo


class Resolver:
    """The system's resolver plus made-up names; `.invalid` names never resolve (RFC 6761)."""

    def __init__(self):
        self.names: dict[str, str] = {}
        self.looked_up: list[str] = []

    def getaddrinfo(self, host, port, *args, **kwargs):
        self.looked_up.append(host)
        if host.endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_getaddrinfo(self.names.get(host, host), port, *args, **kwargs)


@pytest.fixture
def resolver(monkeypatch):
    """Only the name lookup is replaced; the HTTP client and its connections stay real."""
    fake = Resolver()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    return fake


def fetch_error(url, **options) -> FetchError:
    with pytest.raises(FetchError) as error:
        fetch(url, **options)
    return error.value


# --- pages that arrive --------------------------------------------------------------------------------------


def test_page_is_fetched(local_web):
    local_web.add("/news/port", PAGE)

    fetched = fetch(local_web.url("/news/port"), allow_private=True)

    assert fetched.url == local_web.url("/news/port")
    assert fetched.status_code == 200
    assert fetched.content_type == "text/html"
    assert fetched.charset == "utf-8"
    assert fetched.content == PAGE.encode()


def test_request_names_claimdesk(local_web):
    local_web.add("/", PAGE)

    fetch(local_web.url("/"), allow_private=True)

    (request,) = local_web.requests
    assert request.headers["User-Agent"].startswith("Claimdesk/")
    assert request.headers["Accept"].startswith("text/html")


def test_plain_text_keeps_its_declared_charset(local_web):
    text = "Piña growers’ “record” harvest — café owners say…"
    local_web.add("/notes.txt", text.encode("cp1252"), content_type="Text/Plain; Charset=Windows-1252")

    fetched = fetch(local_web.url("/notes.txt"), allow_private=True)

    assert (fetched.content_type, fetched.charset) == ("text/plain", "windows-1252")
    assert fetched.content.decode(fetched.charset) == text


def test_streamed_body_without_content_length_arrives_whole(local_web):
    local_web.add("/stream", lambda: (b"%d\n" % n for n in range(10_000)), content_type="text/plain")

    fetched = fetch(local_web.url("/stream"), allow_private=True)

    assert fetched.content == b"".join(b"%d\n" % n for n in range(10_000))


def test_redirect_chain_is_followed_and_the_final_url_reported(local_web):
    local_web.redirect("/short", "/old-section/port", status=301)
    local_web.redirect("/old-section/port", local_web.url("/news/port?ref=moved"))
    local_web.add("/news/port", PAGE)

    fetched = fetch(local_web.url("/short"), allow_private=True)

    assert fetched.url == local_web.url("/news/port?ref=moved")
    assert fetched.content == PAGE.encode()
    assert [request.path for request in local_web.requests] == ["/short", "/old-section/port", "/news/port?ref=moved"]


@pytest.mark.parametrize(("hops", "fetched"), [(5, True), (6, False)])
def test_redirects_are_capped(local_web, hops, fetched):
    for hop in range(hops):
        local_web.redirect(f"/hop{hop}", f"/hop{hop + 1}")
    local_web.add(f"/hop{hops}", PAGE)

    if fetched:
        assert fetch(local_web.url("/hop0"), allow_private=True, max_redirects=5).url == local_web.url(f"/hop{hops}")
    else:
        error = fetch_error(local_web.url("/hop0"), allow_private=True, max_redirects=5)
        assert (error.code, error.message) == ("redirects", "Too many redirects (more than 5).")


def test_redirect_loop_is_given_up(local_web):
    local_web.redirect("/a", "/b")
    local_web.redirect("/b", "/a")

    error = fetch_error(local_web.url("/a"), allow_private=True)

    assert (error.code, error.message) == ("redirects", "Too many redirects (more than 5).")
    assert len(local_web.requests) == 6


# --- pages that do not --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message"),
    [(404, "The server answered 404 Not Found."), (500, "The server answered 500 Internal Server Error.")],
)
def test_error_status_is_reported(local_web, status, message):
    local_web.add("/page", "Oops", status=status)

    error = fetch_error(local_web.url("/page"), allow_private=True)

    assert (error.code, error.message) == ("http_status", message)


def test_unknown_path_is_a_404(local_web):
    assert fetch_error(local_web.url("/missing"), allow_private=True).message == "The server answered 404 Not Found."


def test_slow_server_times_out(local_web):
    local_web.add("/slow", PAGE, delay=5)

    error = fetch_error(local_web.url("/slow"), allow_private=True, timeout=0.5)

    assert (error.code, error.message) == ("timeout", "The server did not answer within 0.5 seconds.")


def test_server_trickling_the_page_times_out(local_web):
    def trickle():
        for _ in range(20):
            time.sleep(0.1)
            yield b"<p>still coming</p>"

    local_web.add("/trickle", trickle)

    error = fetch_error(local_web.url("/trickle"), allow_private=True, timeout=0.5)

    assert (error.code, error.message) == ("timeout", "The server did not send the whole page within 0.5 seconds.")


def test_body_over_the_limit_is_refused_from_its_content_length(local_web):
    local_web.add("/big", b"x" * 2_000)

    error = fetch_error(local_web.url("/big"), allow_private=True, max_bytes=1_000)

    assert (error.code, error.message) == ("too_large", "The page is larger than 1 kB; Claimdesk stops there.")


def test_declared_length_is_refused_before_any_body_is_read(local_web):
    # The server announces 10 MB and sends a few bytes: reading would wait for the rest until the timeout.
    local_web.add("/announced", b"tiny", headers={"Content-Length": "10000000"})

    error = fetch_error(local_web.url("/announced"), allow_private=True, timeout=5)

    assert (error.code, error.message) == ("too_large", "The page is larger than 5 MB; Claimdesk stops there.")


def test_streamed_body_over_the_limit_is_cut_off(local_web):
    chunks_sent = []

    def endless():
        while True:
            chunks_sent.append(1)
            yield b"x" * 65_536

    local_web.add("/endless", endless)

    error = fetch_error(local_web.url("/endless"), allow_private=True, max_bytes=100_000)

    assert (error.code, error.message) == ("too_large", "The page is larger than 100 kB; Claimdesk stops there.")
    local_web.stop()
    # The client hung up long before the server could send much (only socket buffers fill up).
    assert len(chunks_sent) < 1_000


@pytest.mark.parametrize(
    "url", ["ftp://ftp.example.com/article.txt", "file:///etc/passwd", "javascript:alert(1)", "news.example.com/a"]
)
def test_only_http_and_https_are_fetched(url):
    error = fetch_error(url)

    assert (error.code, error.message) == ("scheme", "Only http:// and https:// addresses can be fetched.")


def test_redirect_to_another_scheme_is_refused(local_web):
    local_web.redirect("/download", "file:///etc/passwd")

    error = fetch_error(local_web.url("/download"), allow_private=True)

    assert error.code == "scheme"


def test_credentials_in_the_address_are_refused(local_web):
    local_web.add("/", PAGE)

    error = fetch_error(local_web.url("/").replace("http://", "http://editor:secret@"), allow_private=True)

    assert error.code == "credentials"
    assert local_web.requests == []


def test_unknown_host_is_reported(resolver):
    error = fetch_error("https://news.example.invalid/story")

    assert (error.code, error.message) == ("dns", "news.example.invalid could not be found.")


def test_refused_connection_is_reported(local_web):
    url = local_web.url("/")
    local_web.stop()

    error = fetch_error(url, allow_private=True)

    assert (error.code, error.message) == ("connection", "Could not connect to 127.0.0.1: connection refused.")


# --- private addresses --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("127.0.0.1:{port}", "127.0.0.1 is a private or local address; Claimdesk does not fetch from those."),
        ("localhost:{port}", "localhost points to 127.0.0.1, which is a private or local address; "),
        ("[::1]:{port}", "::1 is a private or local address; "),
        ("0x7f000001:{port}", "0x7f000001 points to 127.0.0.1, which is a private or local address; "),
        ("2130706433:{port}", "2130706433 points to 127.0.0.1, which is a private or local address; "),
        ("127.1:{port}", "127.1 points to 127.0.0.1, which is a private or local address; "),
        ("[::ffff:127.0.0.1]:{port}", "::ffff:127.0.0.1 points to ::ffff:7f00:1, which is a private or local "),
        ("10.0.0.1", "10.0.0.1 is a private or local address; "),
        ("192.168.1.1", "192.168.1.1 is a private or local address; "),
        ("169.254.169.254", "169.254.169.254 is a private or local address; "),
        ("100.64.0.1", "100.64.0.1 is a private or local address; "),
        ("0.0.0.0:{port}", "0.0.0.0 is a private or local address; "),
        ("224.0.0.1", "224.0.0.1 is a private or local address; "),
        ("[fd00::1]", "fd00::1 is a private or local address; "),
        ("[fe80::1]", "fe80::1 is a private or local address; "),
    ],
)
def test_private_and_local_addresses_are_refused_before_any_request(local_web, address, message):
    local_web.add("/", PAGE)

    error = fetch_error(f"http://{address.format(port=local_web.port)}/")

    assert error.code == "private_address"
    assert error.message.startswith(message)
    assert local_web.requests == []


@pytest.mark.parametrize(
    "address",
    ["::ffff:10.0.0.1", "::ffff:100.64.0.1", "::ffff:224.0.0.1", "::7f00:1", "2002:7f00:1::", "64:ff9b::a00:1"],
)
def test_ipv6_forms_of_private_ipv4_addresses_are_not_public(address):
    assert not fetching._is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"])
def test_public_addresses_are_public(address):
    assert fetching._is_public(ipaddress.ip_address(address))


def test_name_resolving_to_a_private_address_is_refused(local_web, resolver):
    resolver.names["public.example"] = "127.0.0.1"
    local_web.add("/", PAGE)

    error = fetch_error(local_web.url("/").replace("127.0.0.1", "public.example"))

    assert (error.code, error.message) == (
        "private_address",
        "public.example points to 127.0.0.1, which is a private or local address; Claimdesk does not fetch from those.",
    )
    assert local_web.requests == []


def test_connection_goes_to_the_address_that_was_checked(local_web, resolver):
    # The host name is looked up once, by the check, and that address is connected to: a second lookup at
    # connect time is what DNS rebinding would exploit. The server still sees the name in the Host header.
    resolver.names["news.example"] = "127.0.0.1"
    local_web.add("/", PAGE)
    url = local_web.url("/").replace("127.0.0.1", "news.example")

    fetch(url, allow_private=True)

    assert resolver.looked_up.count("news.example") == 1
    assert local_web.requests[0].headers["Host"] == url.split("/")[2]


def test_every_redirect_hop_is_checked(local_web, monkeypatch):
    # No public address is reachable from the tests, so 127.0.0.1 plays a public site here and 127.0.0.2
    # (also this machine's loopback) a private one that the public site redirects to.
    monkeypatch.setattr(fetching, "_is_public", lambda address: str(address) == "127.0.0.1")
    local_web.redirect("/story", f"http://127.0.0.2:{local_web.port}/admin")
    local_web.add("/admin", "secret")

    error = fetch_error(local_web.url("/story"))

    assert (error.code, error.message) == (
        "private_address",
        "127.0.0.2 is a private or local address; Claimdesk does not fetch from those.",
    )
    assert [request.path for request in local_web.requests] == ["/story"]


def test_proxy_settings_in_the_environment_are_ignored(local_web, monkeypatch):
    # A proxy would connect to the target itself, out of the address check's reach.
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("ALL_PROXY", "http://proxy.invalid:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    local_web.add("/", PAGE)

    assert fetch(local_web.url("/"), allow_private=True).content == PAGE.encode()
