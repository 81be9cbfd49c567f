"""`sitrep watch` against a real HTTP server on 127.0.0.1 whose feeds change between polls."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from actor_files import state_outlet_file
from sitrep.cli import _one_line, main
from sitrep.extract.service import Extractor
from sitrep.run.watch import Watcher
from sitrep.settings import Settings
from sitrep.store.shared import SharedDatabase
from sitrep.views.api_store import Store
from watch_site import Site, page_text, serve, start_process, summary_text

ROOT = Path(__file__).resolve().parents[1]


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def site() -> Iterator[Site]:
    site = Site()
    with serve(site):
        yield site


@pytest.fixture()
def watch_settings(settings: Settings) -> Settings:
    return settings.with_overrides(
        {
            "ingest": {"allow_private": True, "timeout": 0.5},
            "watch": {"backoff_base": 10.0, "backoff_max": 25.0, "settle_seconds": 0.0},
        }
    )


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _texts(db: Path) -> list[str]:
    return [str(r[0]) for r in _rows(db, "SELECT text FROM articles ORDER BY text")]


def test_feed_entries_are_stored_once_and_unchanged_feeds_answer_304(
    site: Site, watch_settings: Settings, extractor: Extractor, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    watcher = Watcher(
        [f"{site.base}/feed.rss"], watch_settings, db, extractor=extractor, clock=Clock()
    )
    first = watcher.poll()
    assert (first.polled, first.articles, first.errors) == (1, 2, [])
    texts = _texts(db)
    # The article is the linked page, not the feed's one-line summary.
    assert any("Page marker 1 closes" in t for t in texts)
    assert not any(summary_text(1) in t for t in texts)

    second = watcher.poll()  # nothing changed: the server answers 304
    assert (second.not_modified, second.articles) == (1, 0)
    asked = site.headers_of("/feed.rss")[-1]
    assert asked.get("If-None-Match", "").startswith('"')
    assert "If-Modified-Since" in asked

    site.feed_numbers = [1, 2, 3]
    third = watcher.poll()
    assert third.articles == 1
    assert len(_texts(db)) == 3
    # Entries already stored are never fetched again.
    assert [site.count(f"/a/{n}.html") for n in (1, 2, 3)] == [1, 1, 1]
    seen = _rows(db, "SELECT key, text_from FROM watch_seen ORDER BY key")
    assert seen == [(f"urn:courier:{n}", "page") for n in (1, 2, 3)]
    watcher.close()


def _wal_bytes(db: Path) -> int:
    wal = db.with_name(db.name + ".wal")
    return wal.stat().st_size if wal.exists() else 0


@pytest.mark.parametrize("every", [1, 0], ids=["checkpointed", "left-to-duckdb"])
def test_serve_watch_checkpoints_its_open_store_after_each_poll(
    site: Site, watch_settings: Settings, extractor: Extractor, tmp_path: Path, every: int
) -> None:
    """`serve --watch` never closes its store: unless checkpointed, DuckDB keeps the
    polls' commits in its write-ahead log (and memory) until the log reaches 16 MB."""
    db = tmp_path / "w.duckdb"
    settings = watch_settings.with_overrides({"store": {"checkpoint_every_writes": every}})
    store = Store(db, settings, shared=True)
    try:
        watcher = Watcher(
            [f"{site.base}/feed.rss"],
            settings,
            db,
            extractor=extractor,
            clock=Clock(),
            open_store=store.writer,
        )
        assert watcher.poll().articles == 2
        if every:
            assert _wal_bytes(db) == 0  # all in the file
        else:
            assert _wal_bytes(db) > 0
        with store.read() as con:
            assert con.execute("SELECT count(*) FROM articles").fetchone() == (2,)
    finally:
        store.close()
    assert len(_texts(db)) == 2


def test_a_checkpoint_an_open_request_refuses_is_left_to_the_next_poll(
    site: Site, watch_settings: Settings, extractor: Extractor, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    store = Store(db, watch_settings, shared=True)
    try:
        watcher = Watcher(
            [f"{site.base}/feed.rss"],
            watch_settings,
            db,
            extractor=extractor,
            clock=Clock(),
            open_store=store.writer,
        )
        with store.read() as request:
            # A request's transaction that began before the poll's write: DuckDB refuses
            # a checkpoint until it ends. The poll stores and reports no error.
            request.execute("BEGIN TRANSACTION")
            request.execute("SELECT count(*) FROM articles").fetchall()
            first = watcher.poll()
            request.execute("COMMIT")
        assert (first.articles, first.errors) == (2, [])
        assert _wal_bytes(db) > 0
        site.feed_numbers = [1, 2, 3]
        second = watcher.poll()
        assert (second.articles, second.errors) == (1, [])
        assert _wal_bytes(db) == 0
    finally:
        store.close()
    assert len(_texts(db)) == 3


def test_the_open_store_is_reopened_every_n_polls_once_its_reads_end(
    site: Site, watch_settings: Settings, extractor: Extractor, tmp_path: Path
) -> None:
    """Closing is what gives back the memory the open database keeps (store/shared.py); a
    request reading at the time finishes on the old database, then the file reopens."""
    db = tmp_path / "w.duckdb"
    settings = watch_settings.with_overrides({"store": {"reopen_every_writes": 2}})
    shared = SharedDatabase(db, settings.store)
    try:
        watcher = Watcher(
            [f"{site.base}/feed.rss"],
            settings,
            db,
            extractor=extractor,
            clock=Clock(),
            open_store=shared.writer,
        )
        assert (watcher.poll().articles, shared.opened) == (2, 1)
        site.feed_numbers = [1, 2, 3]
        reading, release = threading.Event(), threading.Event()
        counts: list[object] = []

        def request() -> None:
            with shared.cursor() as con:
                reading.set()
                release.wait(120)
                counts.append(con.execute("SELECT count(*) FROM articles").fetchone())

        reader = threading.Thread(target=request)
        reader.start()
        assert reading.wait(120)
        second: list[object] = []
        poller = threading.Thread(target=lambda: second.append(watcher.poll().articles))
        poller.start()
        deadline = time.monotonic() + 120
        while not shared._reopening and time.monotonic() < deadline:  # the write is done
            time.sleep(0.01)
        assert shared._reopening and shared.opened == 1  # waiting for the request
        release.set()
        reader.join(120)
        poller.join(120)
        assert counts == [(3,)] and second == [1] and shared.opened == 2
        with shared.cursor() as con:
            assert con.execute("SELECT count(*) FROM articles").fetchone() == (3,)
    finally:
        release.set()
        shared.close()
    assert len(_texts(db)) == 3


def test_failing_sources_rest_with_growing_backoff_while_the_feed_goes_on(
    site: Site, watch_settings: Settings, extractor: Extractor, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    clock = Clock()
    sources = [f"{site.base}/{p}" for p in ("feed.rss", "broken", "slow", "garbage")]
    watcher = Watcher(sources, watch_settings, db, extractor=extractor, clock=clock)
    first = watcher.poll()
    assert first.articles == 2
    failed = {source.rsplit("/", 1)[1]: (why, rest) for source, why, rest in first.errors}
    assert set(failed) == {"broken", "slow", "garbage"}
    assert "HTTP 500" in failed["broken"][0]
    assert "timed out" in failed["slow"][0]
    assert "R009" in failed["garbage"][0]
    assert {rest for _, rest in failed.values()} == {10.0}

    site.feed_numbers = [1, 2, 3]
    clock.now += 5  # within the rest: only the feed is asked
    second = watcher.poll()
    assert (second.polled, second.resting, second.articles) == (1, 3, 1)
    assert site.count("/broken") == 1

    clock.now += 6  # rest over: they fail again and rest twice as long
    third = watcher.poll()
    assert sorted(rest for _, _, rest in third.errors) == [20.0, 20.0, 20.0]
    clock.now += 21
    fourth = watcher.poll()
    assert sorted(rest for _, _, rest in fourth.errors) == [25.0, 25.0, 25.0]  # capped
    failures = dict(_rows(db, "SELECT source, failures FROM watch_sources"))
    assert failures[f"{site.base}/broken"] == 3 and failures[f"{site.base}/feed.rss"] == 0

    site.broken = False  # the source recovers: its entries come in, its failures reset
    clock.now += 26
    fifth = watcher.poll()
    assert f"{site.base}/broken" not in [s for s, _, _ in fifth.errors]
    assert fifth.articles == 1
    state = _rows(
        db, f"SELECT failures, next_poll_at FROM watch_sources WHERE source = '{site.base}/broken'"
    )
    assert state == [(0, None)]
    watcher.close()


def test_feed_text_stands_in_only_for_a_missing_page_or_a_full_feed(
    site: Site, watch_settings: Settings, extractor: Extractor, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    site.links = {2: f"{site.base}/gone.html"}
    sources = [f"{site.base}/feed.rss", f"{site.base}/full.rss"]
    # The invented articles are short: a content block of 300 characters counts as whole.
    whole = watch_settings.with_overrides({"watch": {"full_text_chars": 300}})
    assert len(page_text(20)) > 300 > len(summary_text(1))
    watcher = Watcher(sources, whole, db, extractor=extractor, clock=Clock())
    report = watcher.poll()
    assert report.articles == 3
    assert [(o, why) for o, why in report.stand_ins] == [
        (
            f"{site.base}/gone.html",
            "page not fetched: HTTP 404 Not Found; the feed's own text was used",
        )
    ]
    seen = dict(_rows(db, "SELECT key, text_from FROM watch_seen"))
    assert seen == {
        "urn:courier:1": "page",
        "urn:courier:2": "feed-summary",
        "urn:courier:20": "feed",
    }
    assert site.count("/a/20.html") == 0  # the feed carried the whole article
    texts = _texts(db)
    assert any(t.startswith("Summary 2:") for t in texts)
    assert any("Page marker 20 closes" in t for t in texts)
    watcher.close()


def test_a_folder_source_takes_only_new_and_settled_files(
    watch_settings: Settings, extractor: Extractor, tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "one.txt").write_text(page_text(1))
    db = tmp_path / "w.duckdb"
    clock = Clock()
    clock.now = time.time() + 1
    watcher = Watcher([str(folder)], watch_settings, db, extractor=extractor, clock=clock)
    assert watcher.poll().articles == 1
    (folder / "two.txt").write_text(page_text(2))
    (folder / "one.txt").write_text(page_text(3))  # an old file rewritten is not new
    clock.now = time.time() + 1
    assert watcher.poll().articles == 1
    assert watcher.poll().articles == 0
    texts = _texts(db)
    assert len(texts) == 2 and not any("Page marker 3" in t for t in texts)

    settling = watch_settings.with_overrides({"watch": {"settle_seconds": 60.0}})
    late = Watcher([str(folder)], settling, db, extractor=extractor, clock=clock)
    (folder / "three.txt").write_text(page_text(4))
    clock.now = time.time()
    assert late.poll().articles == 0  # still being written, perhaps: next poll
    clock.now += 61
    assert late.poll().articles == 1


def test_a_page_source_is_stored_again_only_when_its_bytes_change(
    site: Site, watch_settings: Settings, extractor: Extractor, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    page = f"{site.base}/a/5.html"
    watcher = Watcher([page], watch_settings, db, extractor=extractor, clock=Clock())
    assert watcher.poll().articles == 1
    assert watcher.poll().articles == 0  # same bytes: not read again
    assert _rows(db, "SELECT kind, last_status FROM watch_sources") == [("page", "ok: 0 new")]
    assert len(_texts(db)) == 1 and site.count("/a/5.html") == 2
    watcher.close()


def test_text_from_the_web_cannot_break_the_log_line() -> None:
    assert _one_line("bad\x1b[2J\nsitrep watch: poll 9") == "bad\\x1b[2J\\nsitrep watch: poll 9"


def test_watch_cli_stops_after_n_polls_with_one_line_per_poll(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    args = ["--set", "ingest.timeout=0.5", "watch", f"{site.base}/feed.rss", f"{site.base}/broken"]
    code = main([*args, "--db", str(db), "--allow-private", "--every", "0", "--polls", "3"])
    assert code == 0
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ": poll " in ln]
    assert len(lines) == 3
    assert "2 new articles" in lines[0] and "HTTP 500" in lines[0]
    assert "1 not modified" in lines[1] and "1 resting" in lines[1]
    assert len(_texts(db)) == 2


def test_watch_refuses_loopback_without_allow_private(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    assert main(["watch", f"{site.base}/feed.rss", "--db", str(db), "--polls", "1"]) == 0
    err = capsys.readouterr().err
    assert "loopback" in err and "1 errors" in err
    assert site.requests == []


# --- subprocesses: signals and kill -9 --------------------------------------------------


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT / 'tests'}"}


def _watch(db: Path, base: str, *extra: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "sitrep", "watch", f"{base}/feed.rss", "--db", str(db)]
    return subprocess.Popen(
        [*command, "--allow-private", *extra],
        env=_env(),
        stderr=subprocess.PIPE,
    )


def test_sigterm_stops_the_watcher_between_polls(tmp_path: Path) -> None:
    server, base, _ = start_process(tmp_path, hold=False)
    db = tmp_path / "w.duckdb"
    try:
        watcher = _watch(db, base, "--every", "0.2")
        stderr = watcher.stderr
        assert stderr is not None
        seen = b""
        while seen.count(b": poll ") < 2:
            line = stderr.readline()
            assert line, seen.decode()
            seen += line
        watcher.send_signal(signal.SIGTERM)
        rest = stderr.read()
        assert watcher.wait(30) == 0
        assert b"SIGTERM: stopping" in rest and b"stopped after" in rest
    finally:
        server.kill()
        server.wait()
    assert len(_texts(db)) == 2


def test_kill_9_mid_poll_then_restart_loses_nothing_and_stores_nothing_twice(
    tmp_path: Path,
) -> None:
    server, base, hold = start_process(tmp_path, hold=True)
    db = tmp_path / "w.duckdb"
    try:
        watcher = _watch(db, base, "--every", "0.2")
        deadline = time.time() + 60
        # The site holds the first page back: the watcher is inside its first poll.
        reached = hold.with_name(hold.name + ".reached")
        while not reached.exists() and time.time() < deadline:
            time.sleep(0.05)
        assert reached.exists()
        assert watcher.poll() is None
        watcher.kill()  # SIGKILL: no handler runs, no transaction commits
        watcher.wait()
        assert _rows(db, "SELECT count(*) FROM articles") == [(0,)]
        assert _rows(db, "SELECT count(*) FROM watch_seen") == [(0,)]
        hold.unlink()
        again = _watch(db, base, "--polls", "2", "--every", "0")
        assert again.wait(120) == 0
        third = _watch(db, base, "--polls", "1")
        assert third.wait(120) == 0
    finally:
        server.kill()
        server.wait()
    texts = _texts(db)
    assert len(texts) == 2 and len(set(texts)) == 2
    seen = _rows(db, "SELECT key, article_id IS NOT NULL FROM watch_seen ORDER BY key")
    assert seen == [("urn:courier:1", True), ("urn:courier:2", True)]
    linked = _rows(db, "SELECT count(*) FROM watch_seen s JOIN articles a ON a.id = s.article_id")
    assert linked == [(2,)]


def test_the_watcher_reads_state_media_once_and_again_when_an_actor_file_changes(
    site: Site, watch_settings: Settings, extractor: Extractor, tmp_path: Path
) -> None:
    """Resolution after every poll needs the state-media outlets' names: the watcher reads
    them from the actor KB at its first resolution and keeps them (building the KB per
    poll took ~0.4 s), until the user's actor file changes."""
    outlets = tmp_path / "outlets.yaml"
    state_outlet_file(outlets, "Invented State Wire")
    settings = watch_settings.with_overrides({"extract": {"actor_files": [str(outlets)]}})
    watcher = Watcher(
        [f"{site.base}/feed.rss"], settings, tmp_path / "w.duckdb", extractor=extractor
    )
    assert watcher.poll().articles == 2
    kept = watcher._state_media
    assert kept is not None and {"TASS", "Invented State Wire"} <= kept.names
    site.feed_numbers = [1, 2, 3]
    assert watcher.poll().articles == 1
    assert watcher._state_media is kept  # resolved again, the names not read again
    state_outlet_file(outlets, "Another Invented Broadcaster")
    site.feed_numbers = [1, 2, 3, 4]
    assert watcher.poll().articles == 1
    assert watcher._state_media is not None
    assert "Another Invented Broadcaster" in watcher._state_media.names
    assert "Invented State Wire" not in watcher._state_media.names
    watcher.close()
