"""A real HTTP receiver on 127.0.0.1 for the webhook tests: it answers the first
`fail_first` POSTs with `fail_status`, then 200, and keeps every request. Not a test
module."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    at: float
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def document(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class Receiver:
    url: str
    fail_first: int = 0
    fail_status: int = 503
    # Extra headers of failing answers (a Location for redirect tests).
    fail_headers: dict[str, str] = field(default_factory=dict)
    requests: list[Received] = field(default_factory=list)

    @property
    def accepted(self) -> list[Received]:
        return [r for r in self.requests if 200 <= r.status < 300]

    def keys(self) -> list[str]:
        return [r.document["delivery"] for r in self.accepted]


@contextmanager
def receiver(fail_first: int = 0, fail_status: int = 503) -> Iterator[Receiver]:
    lock = threading.Lock()
    state = Receiver("", fail_first, fail_status)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                failing = len(state.requests) < state.fail_first
                status = state.fail_status if failing else 200
                state.requests.append(Received(time.monotonic(), status, dict(self.headers), body))
            self.send_response(status)
            for name, value in (state.fail_headers if failing else {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet test output

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
