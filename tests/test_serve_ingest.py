"""Ingest while serving (docs/api.md): `serve --watch` as the single writer, and plain
`serve` sharing the file with a `sitrep run` in another process. Real processes, a real
feed site on 127.0.0.1, a client thread requesting throughout."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from sitrep.store.db import connect
from watch_site import Site, serve, start_process

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT / 'tests'}"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(db: Path, *extra: str) -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, "-m", "sitrep", "--set", "ingest.allow_private=true", "serve"]
    proc = subprocess.Popen(
        [*command, "--db", str(db), "--port", str(port), *extra],
        env=_env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/stats", timeout=2).status_code in (200, 503):
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not start")
        yield base
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=60)
        print(err, file=sys.stderr)


class Client:
    """Requests /api/events and /api/stats in a loop until stopped; keeps every status."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.statuses: list[tuple[int, str]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as http:
            while not self.stop.is_set():
                for path in ("/api/events?limit=5", "/api/stats"):
                    r = http.get(path)
                    if r.status_code != 200:
                        assert r.status_code == 503, r.text
                        assert r.headers.get("retry-after"), r.headers
                        assert r.json()["error"]["status"] == 503
                    self.statuses.append((r.status_code, path))
                time.sleep(0.02)

    def __enter__(self) -> Client:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(60)


def _articles(base: str) -> int:
    return int(httpx.get(f"{base}/api/stats", timeout=30).json()["counts"]["articles"])


def test_serve_watch_answers_every_request_while_its_watcher_stores_new_articles(
    tmp_path: Path,
) -> None:
    db = tmp_path / "s.duckdb"
    connect(db).close()
    site = Site()
    site.broken = False
    with (
        serve(site) as feed,
        _server(db, "--watch", f"{feed}/feed.rss", "--every", "0.3") as base,
        Client(base) as client,
    ):
        deadline = time.monotonic() + 240
        while _articles(base) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _articles(base) == 2
        version = httpx.get(f"{base}/api/stats").json()["version"]
        site.feed_numbers = [1, 2, 3, 4]  # the feed changes: the next polls store two more
        while _articles(base) < 4 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _articles(base) == 4
        stats = httpx.get(f"{base}/api/stats").json()
        assert stats["version"] != version and stats["last_ingested"]
        while site.count("/feed.rss") < 5 and time.monotonic() < deadline:
            time.sleep(0.2)  # more polls (304s) with requests still in flight
        polls_seen = site.count("/feed.rss")
    assert polls_seen >= 5  # many polls ran while requests were in flight
    assert len(client.statuses) > 20
    # The server is the writer itself: no request ever waits for a lock or fails.
    assert {s for s, _ in client.statuses} == {200}


def test_plain_serve_lets_an_external_run_write_between_requests(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    connect(db).close()
    with _server(db) as base, Client(base) as client:
        time.sleep(0.5)
        run = subprocess.run(
            [sys.executable, "-m", "sitrep", "run", "--db", str(db), "--no-progress"]
            + [str(FIXTURES / "escalation.jsonl")],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode in (0, 3), run.stderr  # 3: some records rejected, as designed
        time.sleep(0.5)
        after = _articles(base)
    assert after > 0
    statuses = {s for s, _ in client.statuses}
    assert statuses <= {200, 503} and 200 in statuses
    assert len(client.statuses) > 20


# A writer in another process: sitrep's own store connection, held until told to let go.
HOLD_LOCK = """
import sys
from sitrep.store.db import connect
con = connect(sys.argv[1])
con.execute("CREATE TABLE IF NOT EXISTS held_by_test (n INTEGER)")
print("locked", flush=True)
sys.stdin.readline()
con.close()
"""


def test_plain_serve_answers_503_with_retry_after_while_a_writer_holds_the_store(
    tmp_path: Path,
) -> None:
    db = tmp_path / "b.duckdb"
    connect(db).close()
    with _server(db) as base:
        assert httpx.get(f"{base}/api/events?limit=1", timeout=30).status_code == 200
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(db)],
            env=_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
            busy = httpx.get(f"{base}/api/events?limit=1", timeout=30)
            assert busy.status_code == 503, busy.text
            assert busy.headers["retry-after"] == "2"
            error = busy.json()["error"]
            assert error["status"] == 503 and error["retry_after"] == 2
            assert error["message"].startswith("store busy")
            # The security headers are on the busy answer too.
            assert busy.headers["x-content-type-options"] == "nosniff"
        finally:
            assert holder.stdin is not None
            holder.stdin.write("\n")
            holder.stdin.close()
            assert holder.wait(30) == 0
        # The writer let go: the next request reads, and sees what it committed.
        assert httpx.get(f"{base}/api/events?limit=1", timeout=30).status_code == 200
    con = connect(db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM held_by_test").fetchone() == (0,)
    finally:
        con.close()


def _count(db: Path, sql: str) -> int:
    con = connect(db, read_only=True)
    try:
        row = con.execute(sql).fetchone()
    finally:
        con.close()
    return int(row[0]) if row else 0


def test_serve_watch_killed_mid_poll_restarts_without_loss_or_duplicates(
    tmp_path: Path,
) -> None:
    """kill -9 of the single writer while its poll is held inside an article fetch (requests
    still answered), then a restart: every entry stored once, none lost."""
    db = tmp_path / "k.duckdb"
    connect(db).close()
    site, feed, hold = start_process(tmp_path, hold=True)
    try:
        port = _free_port()
        command = [sys.executable, "-m", "sitrep", "--set", "ingest.allow_private=true"]
        writer = subprocess.Popen(
            [*command, "serve", "--db", str(db), "--port", str(port)]
            + ["--watch", f"{feed}/feed.rss", "--every", "0.2"],
            env=_env(),
            stderr=subprocess.DEVNULL,
        )
        reached = hold.with_name(hold.name + ".reached")
        deadline = time.monotonic() + 120
        while not reached.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert reached.exists() and writer.poll() is None
        # The poll is under way (inside its first page fetch): requests are still answered.
        answer = httpx.get(f"http://127.0.0.1:{port}/api/events?limit=1", timeout=30)
        assert answer.status_code == 200 and answer.json()["total"] == 0
        writer.kill()  # SIGKILL: no handler runs, the poll's transaction never commits
        writer.wait()
        assert _count(db, "SELECT count(*) FROM articles") == 0
        assert _count(db, "SELECT count(*) FROM watch_seen") == 0
        hold.unlink()
        with _server(db, "--watch", f"{feed}/feed.rss", "--every", "0.2") as base:
            while _articles(base) < 2 and time.monotonic() < deadline + 120:
                time.sleep(0.2)
            time.sleep(1.0)  # more polls of the unchanged feed
            assert _articles(base) == 2
    finally:
        site.kill()
        site.wait()
    assert _count(db, "SELECT count(DISTINCT text) FROM articles") == 2
    assert _count(db, "SELECT count(*) FROM articles") == 2
    assert _count(db, "SELECT count(*) FROM watch_seen WHERE article_id IS NOT NULL") == 2
