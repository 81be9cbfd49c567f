"""A real HTTP server on 127.0.0.1 for `sitrep watch` tests: a feed that changes between
polls (with ETag and Last-Modified), article pages, and sources that fail — HTTP 500, a
response slower than the timeout, garbage. All text is invented for these tests.

Run as a script (`python tests/watch_site.py PORTFILE`) it serves until killed, with the
first page held back while the file `PORTFILE.hold` exists (a watcher killed mid-poll).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PLACES = ["Varnok", "Eldmoor", "Tessaly Ford", "Krandel", "Ostvik", "Marrow Gap", "Sulbeck"]


def page_text(n: int) -> str:
    """The article body of page n: invented reporting, different for every n."""
    place = PLACES[n % len(PLACES)]
    return (
        f"Officials in {place} said on Tuesday that a convoy of {n + 3} trucks carrying "
        f"flour and medicine crossed the river bridge after a week of delays. "
        f"The district governor told reporters that repairs to the water station would "
        f"begin once engineers reached the site, and that {n * 10 + 40} families had "
        f"registered for temporary shelter. Aid workers described long queues at the "
        f"distribution point near the old market in {place}, where volunteers handed out "
        f"blankets until late in the evening. Page marker {n} closes this report."
    )


def summary_text(n: int) -> str:
    return f"Summary {n}: a convoy reached {PLACES[n % len(PLACES)]} after delays."


def page_html(n: int) -> bytes:
    paragraphs = "".join(f"<p>{part.strip()}.</p>" for part in page_text(n).split(". "))
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>Convoy report {n}</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>Convoy report {n}</h1>{paragraphs}</article>"
        "<footer>Copyright The Invented Courier</footer></body></html>"
    ).encode()


def rss(base: str, numbers: list[int], *, full: bool = False, links: dict[int, str]) -> bytes:
    items = []
    for n in numbers:
        link = links.get(n, f"{base}/a/{n}.html")
        content = f"<content:encoded><![CDATA[<p>{page_text(n)}</p>]]></content:encoded>"
        items.append(
            f"<item><title>Convoy report {n}</title><link>{link}</link>"
            f"<guid>urn:courier:{n}</guid><pubDate>Tue, 0{1 + n % 8} Oct 2030 10:00:00 GMT"
            f"</pubDate><description>{summary_text(n)}</description>"
            + (content if full else "")
            + "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>The Invented Courier</title><link>http://courier.invalid/</link>"
        "<description>Invented news for tests</description>" + "".join(items) + "</channel></rss>"
    ).encode()


class Site:
    """What the server serves, changed by the test between polls, and what it was asked."""

    def __init__(self) -> None:
        self.base = ""
        self.feed_numbers: list[int] = [1, 2]
        self.full_numbers: list[int] = [20]
        self.links: dict[int, str] = {}
        self.broken = True
        self.hold = threading.Event()
        self.hold.set()
        self.hold_file: Path | None = None
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()

    def count(self, path: str) -> int:
        with self.lock:
            return sum(1 for p, _ in self.requests if p == path)

    def headers_of(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [h for p, h in self.requests if p == path]


def _feed_response(body: bytes, handler: BaseHTTPRequestHandler) -> None:
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    modified = formatdate(1_900_000_000 + len(body), usegmt=True)
    if handler.headers.get("If-None-Match") == etag:
        handler.send_response(304)
        handler.send_header("ETag", etag)
        handler.end_headers()
        return
    _send(handler, 200, "application/rss+xml", body, {"ETag": etag, "Last-Modified": modified})


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    kind: str,
    body: bytes,
    extra: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (extra or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def make_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            with site.lock:
                site.requests.append((self.path, dict(self.headers.items())))
            # The client may give up (a timeout, a killed watcher).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._route()

        def _route(self) -> None:
            path = self.path
            if path == "/feed.rss":
                _feed_response(rss(site.base, site.feed_numbers, links=site.links), self)
            elif path == "/full.rss":
                body = rss(site.base, site.full_numbers, full=True, links=site.links)
                _feed_response(body, self)
            elif path.startswith("/a/") and path.endswith(".html"):
                if site.hold_file is not None and site.hold_file.exists():
                    # Tell the test a watcher is inside its poll, then keep it there.
                    site.hold_file.with_name(site.hold_file.name + ".reached").touch()
                    while site.hold_file.exists():
                        time.sleep(0.05)
                site.hold.wait(30)
                _send(self, 200, "text/html; charset=utf-8", page_html(int(path[3:-5])))
            elif path == "/broken":
                if site.broken:
                    _send(self, 500, "text/plain", b"internal error")
                else:
                    _feed_response(rss(site.base, [30], links=site.links), self)
            elif path == "/slow":
                time.sleep(3)
                _send(self, 200, "application/rss+xml", rss(site.base, [40], links={}))
            elif path == "/garbage":
                noise = bytes((i * 7919) % 256 for i in range(3000))
                _send(self, 200, "application/rss+xml", noise)
            else:
                _send(self, 404, "text/plain", b"not here")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serve(site: Site) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield site.base
    finally:
        server.shutdown()
        server.server_close()


def start_process(folder: Path, *, hold: bool) -> tuple[subprocess.Popen[bytes], str, Path]:
    """This site in its own process (the caller kills it): its base URL, and the hold file
    that keeps the first article page back while it exists."""
    port_file = folder / "site.url"
    hold_file = folder / "site.url.hold"
    if hold:
        hold_file.write_text("hold")
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": f"{root / 'src'}{os.pathsep}{root / 'tests'}"}
    server = subprocess.Popen([sys.executable, str(Path(__file__)), str(port_file)], env=env)
    for _ in range(200):
        if port_file.exists() and port_file.read_text():
            return server, port_file.read_text(), hold_file
        time.sleep(0.05)
    server.kill()
    raise AssertionError("test site did not start")


if __name__ == "__main__":
    port_file = Path(sys.argv[1])
    shared = Site()
    shared.hold_file = port_file.with_name(port_file.name + ".hold")
    with serve(shared) as base:
        port_file.write_text(base)
        while True:
            time.sleep(1)
