"""URL fetching: address checks, redirects, size caps, content types; a real local server too."""

from __future__ import annotations

import gzip
import json
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from sitrep.errors import FetchError
from sitrep.ingest import read_inputs
from sitrep.ingest.http import check_address
from sitrep.model.article import Article, Reject
from sitrep.settings import IngestSettings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PAGE = (FIXTURES / "page.html").read_bytes()
RSS = (FIXTURES / "feed.rss").read_bytes()
BODY = "Residents of the border town said shelling continued through the night on Sunday."
PUBLIC = "93.184.216.34"
LOCAL = IngestSettings(allow_private=True, max_bytes=50_000, timeout=5.0)


# --- a real server on 127.0.0.1 ------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {
        "/page.html": (200, "text/html; charset=utf-8", PAGE),
        "/feed": (200, "application/rss+xml", RSS),
        "/plain": (200, "text/plain; charset=utf-8", (BODY + "\n").encode()),
        "/missing": (404, "text/plain", b"not here"),
    }

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        if self.path == "/redirect":
            self._send(302, "text/plain", b"", {"Location": "/page.html"})
        elif self.path == "/loop":
            self._send(302, "text/plain", b"", {"Location": "/loop"})
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()  # no Content-Length: the body just goes on
            try:
                for _ in range(2_000):
                    self.wfile.write(b"x" * 65_536)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif self.path in self.routes:
            self._send(*self.routes[self.path])
        else:
            self._send(404, "text/plain", b"unknown")

    def _send(
        self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # silence the test server
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_loopback_refused_by_default(server: str) -> None:
    [reject] = list(read_inputs([f"{server}/page.html"], IngestSettings()))
    assert isinstance(reject, Reject)
    assert reject.code == "R008"
    assert reject.origin == f"{server}/page.html"
    assert reject.reason == "refused: 127.0.0.1 is a loopback address (use --allow-private)"


def test_localhost_name_refused_by_default() -> None:
    [reject] = list(read_inputs(["http://localhost:9/x"], IngestSettings()))
    assert isinstance(reject, Reject) and reject.code == "R008"
    assert reject.reason.startswith("refused: localhost resolves to ")
    assert "loopback address" in reject.reason


def test_real_server_page_feed_text_and_redirect(server: str) -> None:
    urls = [f"{server}/page.html", f"{server}/feed", f"{server}/plain", f"{server}/redirect"]
    results = list(read_inputs(urls, LOCAL))
    assert all(isinstance(r, Article) for r in results), results
    page, feed1, feed2, plain, redirected = results
    assert isinstance(page, Article) and page.title == "Ceasefire talks resume in Lakeside"
    assert page.url == f"{server}/page.html"  # the fetched URL wins over the canonical link
    assert page.origin == f"{server}/page.html"
    assert isinstance(feed1, Article) and feed1.origin == f"{server}/feed#1"
    assert isinstance(feed2, Article) and feed2.title == "Aid convoy reaches northern villages"
    assert isinstance(plain, Article) and plain.text == BODY
    assert isinstance(redirected, Article)
    assert redirected.url == f"{server}/page.html"
    assert redirected.origin == f"{server}/redirect"
    assert redirected.id == page.id


def test_real_server_failures(server: str) -> None:
    urls = [f"{server}/missing", f"{server}/loop", f"{server}/huge"]
    results = list(read_inputs(urls, LOCAL))
    assert [r.code for r in results] == ["R008", "R008", "R008"]  # type: ignore[union-attr]
    reasons = [r.reason for r in results]  # type: ignore[union-attr]
    assert reasons[0] == "HTTP 404 Not Found"
    assert reasons[1] == "too many redirects (more than ingest.max_redirects=5)"
    assert reasons[2].startswith("response larger than ingest.max_bytes=50000 bytes")


def test_connection_refused_is_r008() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    [reject] = list(read_inputs([f"http://127.0.0.1:{port}/"], LOCAL))
    assert isinstance(reject, Reject) and reject.code == "R008"
    assert reject.reason.startswith("cannot connect to 127.0.0.1")


# --- check_address ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "label"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("[::1]", "a loopback address"),
        ("10.1.2.3", "a private address"),
        ("172.16.0.1", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fc00::1", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("224.0.0.1", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("0.0.0.0", "an unspecified address"),
        ("::", "an unspecified address"),
        ("240.0.0.1", "a reserved address"),
        ("100.64.0.1", "a non-public address"),
    ],
)
def test_check_address_refuses_non_public(address: str, label: str) -> None:
    with pytest.raises(FetchError) as caught:
        check_address(address, allow_private=False)
    assert label in caught.value.message
    assert caught.value.message.endswith("(use --allow-private)")
    assert check_address(address, allow_private=True)


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "2606:4700:4700::1111"])
def test_check_address_accepts_public(address: str) -> None:
    assert check_address(address, allow_private=False) == [address.strip("[]")]


def fake_resolver(table: dict[str, list[str]]) -> Callable[[str], list[str]]:
    def resolve(host: str) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


def test_check_address_any_private_answer_refuses() -> None:
    resolver = fake_resolver({"mixed.example": [PUBLIC, "10.0.0.7"], "ok.example": [PUBLIC]})
    with pytest.raises(FetchError) as caught:
        check_address("mixed.example", False, resolver)
    assert caught.value.message == (
        "refused: mixed.example resolves to 10.0.0.7, a private address (use --allow-private)"
    )
    assert check_address("ok.example", False, resolver) == [PUBLIC]
    with pytest.raises(FetchError, match="cannot resolve nowhere.example"):
        check_address("nowhere.example", False, resolver)
    with pytest.raises(FetchError, match="no addresses"):
        check_address("empty.example", False, fake_resolver({"empty.example": []}))


# --- MockTransport + fake resolver ---------------------------------------------------------

Handler = Callable[[httpx.Request], httpx.Response]
RESOLVER = fake_resolver(
    {"news.example": [PUBLIC], "internal.example": ["10.0.0.5"], "other.example": ["8.8.4.4"]}
)


def mock_run(
    handler: Handler, urls: list[str], settings: IngestSettings | None = None
) -> list[Article | Reject]:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    with client:
        return list(
            read_inputs(urls, settings or IngestSettings(), client=client, resolver=RESOLVER)
        )


def test_requests_are_pinned_to_the_checked_address() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text=BODY, headers={"Content-Type": "text/plain"})

    [article] = mock_run(handler, ["https://news.example/story?id=1"])
    assert isinstance(article, Article) and article.url == "https://news.example/story?id=1"
    [request] = seen
    assert request.url.host == PUBLIC
    assert request.headers["host"] == "news.example"
    assert request.headers["user-agent"] == IngestSettings().user_agent
    assert request.extensions["sni_hostname"] == "news.example"


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://internal.example/admin", "internal.example resolves to 10.0.0.5, a private"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local"),
        ("http://[::1]:8080/", "::1 is a loopback"),
        ("file:///etc/passwd", "only http and https URLs are fetched"),
        ("gopher://news.example/1", "only http and https URLs are fetched"),
    ],
)
def test_redirect_to_private_address_is_refused(location: str, reason: str) -> None:
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.headers["host"])
        if request.headers["host"] == "news.example":
            return httpx.Response(302, headers={"Location": location})
        return httpx.Response(200, text="secret " * 20)

    [reject] = mock_run(handler, ["http://news.example/story"])
    assert isinstance(reject, Reject) and reject.code == "R008"
    assert reason in reject.reason
    assert hosts == ["news.example"]  # the private target was never contacted


def test_redirect_chain_between_public_hosts() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers["host"] == "news.example":
            return httpx.Response(301, headers={"Location": "https://other.example/final"})
        assert request.url.host == "8.8.4.4"
        return httpx.Response(200, text=BODY, headers={"Content-Type": "text/plain"})

    [article] = mock_run(handler, ["http://news.example/start"])
    assert isinstance(article, Article) and article.url == "https://other.example/final"


def test_redirect_limit_is_a_setting() -> None:
    count = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal count
        count += 1
        return httpx.Response(302, headers={"Location": f"/hop{count}"})

    [reject] = mock_run(handler, ["http://news.example/"], IngestSettings(max_redirects=2))
    assert isinstance(reject, Reject)
    assert reject.reason == "too many redirects (more than ingest.max_redirects=2)"
    assert count == 3


def test_streamed_body_stops_at_the_cap() -> None:
    produced = 0

    def chunks() -> Iterator[bytes]:
        nonlocal produced
        for _ in range(10_000):
            produced += 1
            yield b"y" * 1_000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=chunks(), headers={"Content-Type": "text/plain"})

    [reject] = mock_run(handler, ["http://news.example/big"], IngestSettings(max_bytes=5_000))
    assert isinstance(reject, Reject) and reject.code == "R008"
    assert "larger than ingest.max_bytes=5000" in reject.reason
    assert produced <= 7


def test_declared_length_over_the_cap() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"z" * 6_000, headers={"Content-Type": "text/plain"})

    [reject] = mock_run(handler, ["http://news.example/big"], IngestSettings(max_bytes=5_000))
    assert isinstance(reject, Reject)
    assert reject.reason == "response of 6000 bytes is larger than ingest.max_bytes=5000"


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (httpx.ReadTimeout("slow"), "timed out after 15 s"),
        (httpx.ConnectError("refused"), "cannot connect to news.example: refused"),
        (httpx.RemoteProtocolError("bad"), "fetch failed: RemoteProtocolError: bad"),
    ],
)
def test_transport_errors(exc: Exception, reason: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    [reject] = mock_run(handler, ["http://news.example/x"])
    assert isinstance(reject, Reject) and (reject.code, reject.reason) == ("R008", reason)


def test_unresolvable_host() -> None:
    [reject] = mock_run(lambda r: httpx.Response(200), ["http://nowhere.example/x"])
    assert isinstance(reject, Reject) and reject.code == "R008"
    assert reject.reason.startswith("cannot resolve nowhere.example")


def _records(*ids: str) -> bytes:
    return b"".join(json.dumps({"id": i, "text": BODY}).encode() + b"\n" for i in ids)


@pytest.mark.parametrize(
    ("path", "ctype", "body", "expected"),
    [
        ("/a", "application/rss+xml", RSS, ["article", "article"]),
        ("/a", "text/xml", RSS, ["article", "article"]),
        ("/a", "text/html", RSS, ["article", "article"]),  # a feed served as HTML
        ("/a", "text/html", PAGE, ["article"]),
        ("/a", "application/x-ndjson", _records("n1", "n2"), ["n1", "n2"]),
        ("/a", "application/json", json.dumps([{"id": "j1", "text": BODY}]).encode(), ["j1"]),
        ("/data.jsonl", "text/plain", _records("p1"), ["p1"]),
        ("/data.jsonl.gz", "application/octet-stream", gzip.compress(_records("g1")), ["g1"]),
        ("/a", "application/octet-stream", _records("s1"), ["s1"]),
        ("/a", "", PAGE, ["article"]),
        (
            "/a",
            "text/plain; charset=latin-1",
            "Caf\xe9 ".encode("latin-1") + BODY.encode(),
            ["article"],
        ),
        ("/a", "text/plain", b"\xff\xfe" + BODY.encode(), ["R005"]),
        ("/a", "text/plain", b"\x00" * 100, ["R004"]),
        ("/a", "image/png", b"\x89PNG", ["R008"]),
        ("/a", "application/xml", b"<urlset><url>x</url></urlset>", ["R009"]),
        ("/a", "text/html", b"<html><body><nav>Home</nav></body></html>", ["R006"]),
    ],
)
def test_content_type_decides_the_reader(
    path: str, ctype: str, body: bytes, expected: list[str]
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": ctype} if ctype else {}
        return httpx.Response(200, content=body, headers=headers)

    results = mock_run(handler, [f"http://news.example{path}"])
    got = [
        r.code if isinstance(r, Reject) else (r.id if not r.id.startswith("a") else "article")
        for r in results
    ]
    assert got == expected
