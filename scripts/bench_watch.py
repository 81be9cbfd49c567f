"""Staying power of `sitrep watch`: memory over many polls of a feed that changes every poll.

Usage: .venv/bin/python scripts/bench_watch.py [--polls 200] [--every 0.05] [--db PATH]
                                               [--csv PATH] [--feed-size 20] [--shared]
                                               [--set SECTION.KEY=VALUE ...]
                                               [--clear-caches] [--malloc-trim]
                                               [--trace-from N --trace-at N,N,...]

Serves an invented RSS feed and its article pages from a 127.0.0.1 HTTP server in this
process; before every poll the feed gains one new entry (and keeps its newest
`--feed-size`, as real feeds do), so each poll fetches the feed, one article page, extracts
it, writes it with the sources' state and resolves the store, exactly as `sitrep watch`
does (the same `Watcher` and `watch` loop; `--shared`: through one database opened once,
as `serve --watch` does). After each poll and a garbage collection, the
process's resident memory (psutil, else /proc/self/status VmRSS) is recorded. Prints one
JSON summary: RSS of the first and last 20 polls, the least-squares slope after the first
20 polls (KB per poll), the slope over the last half (a leak keeps its pace, a cache that
fills slows down), poll times, live Python objects and spaCy's string count (first and
last poll), the largest write-ahead log and the store's size; `--csv` writes every poll as it goes.
`--clear-caches` (empty the bounded caches of sitrep, trafilatura and its helpers after
every poll), `--malloc-trim` (glibc's `malloc_trim(0)` after every poll) and `--trace-from`
/ `--trace-at` (tracemalloc started at one poll, its largest growths since then printed to
stderr at others; the tracer's own memory is recorded per poll) find what grows.
docs/performance.md has the numbers. Not a test: `tests/test_bench_watch.py` runs it with
`--polls 5` to check it works.
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import ctypes.util
import gc
import json
import statistics
import sys
import tempfile
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb

from sitrep.run.watch import PollReport, Watcher, watch
from sitrep.settings import Settings, load_settings
from sitrep.views.api_store import Store

OpenStore = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]

WARM_UP = 20  # polls before the slope is measured (spaCy, caches and DuckDB settle)
WINDOW = 100  # polls per window of the growth-by-window summary (does it level off?)
PLACES = ["Kharkiv", "Odesa", "Sumy", "Kherson", "Zaporizhzhia", "Mykolaiv", "Dnipro"]
ACTS = ["shelled", "struck", "attacked", "fired rockets at"]


def rss_bytes() -> int:
    """Resident memory of this process."""
    try:
        import psutil  # type: ignore[import-untyped]

        return int(psutil.Process().memory_info().rss)
    except ImportError:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("cannot read this process's resident memory")


def wal_bytes(db: Path) -> int:
    """Size of the store's write-ahead log (0 when there is none)."""
    wal = db.with_name(db.name + ".wal")
    return wal.stat().st_size if wal.exists() else 0


def vocab_strings(watcher: Watcher) -> int:
    """Strings in the loaded spaCy pipeline's vocabulary (0 before the first article)."""
    extractor = getattr(watcher, "_extractor", None)  # loaded at the first new article
    return len(extractor.nlp.vocab.strings) if extractor is not None else 0


def article_text(n: int) -> str:
    """Invented reporting, different for every n (so no article is a copy of another)."""
    place, act = PLACES[n % len(PLACES)], ACTS[n % len(ACTS)]
    return (
        f"Russian forces {act} the city of {place} overnight, regional officials said on "
        f"day {n} of the reporting period. Emergency crews worked until dawn to clear "
        f"debris from {n % 5 + 2} apartment blocks, and {n % 9 + 3} people were taken to "
        f"hospital. The governor said water and power would be restored within {n % 4 + 1} "
        f"days. Ukraine's foreign ministry condemned the strike and called on partners to "
        f"send more air defence systems. Report number {n} ends here."
    )


class Feed:
    """The feed's entries: `newest` grows by one before every poll."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.newest = 0
        self.base = ""

    def rss(self) -> bytes:
        first = max(1, self.newest - self.size + 1)
        items = "".join(
            f"<item><title>Strike report {n}</title><link>{self.base}/a/{n}.html</link>"
            f"<guid>urn:bench:{n}</guid><pubDate>Tue, 01 Oct 2030 10:00:00 GMT</pubDate>"
            f"<description>Report {n}.</description></item>"
            for n in range(self.newest, first - 1, -1)
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            "<title>Invented bench feed</title><link>http://bench.invalid/</link>"
            f"<description>bench</description>{items}</channel></rss>"
        ).encode()


def _handler(feed: Feed) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            if self.path == "/feed.rss":
                self._send("application/rss+xml", feed.rss())
            elif self.path.startswith("/a/") and self.path.endswith(".html"):
                n = int(self.path[3:-5])
                body = (
                    f"<!doctype html><html><head><title>Strike report {n}</title></head>"
                    f"<body><article><h1>Strike report {n}</h1><p>{article_text(n)}</p>"
                    "</article></body></html>"
                )
                self._send("text/html; charset=utf-8", body.encode())
            else:
                self.send_error(404)

        def _send(self, kind: str, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serve(feed: Feed) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(feed))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    feed.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield feed.base
    finally:
        server.shutdown()
        server.server_close()


def slope(ys: list[float]) -> float:
    """Least-squares slope of ys against 0, 1, 2, ... (0 for fewer than two points)."""
    if len(ys) < 2:
        return 0.0
    xs = range(len(ys))
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den


def windows(mb: list[float]) -> dict[str, dict[str, float]]:
    """Per WINDOW polls after the first: growth (slope, KB/poll) and mean RSS (MB)."""
    found: dict[str, dict[str, float]] = {}
    for start in range(WINDOW, len(mb) - 1, WINDOW):
        part = mb[start : start + WINDOW]
        found[f"{start + 1}-{start + len(part)}"] = {
            "kb_per_poll": round(slope(part) * 1024, 1),
            "mean_mb": round(statistics.fmean(part), 1),
            "min_mb": round(min(part), 1),
        }
    return found


def clear_bounded_caches() -> None:
    """Empty the caches that fill with every new article: sitrep's module-level ones and
    trafilatura's (with htmldate's, courlan's and justext's). A probe, not a fix: the
    slope with them emptied each poll says how much of the growth is their filling."""
    from trafilatura.meta import reset_caches

    from sitrep.extract.timex import normalise_exact
    from sitrep.kb.geofold import fold
    from sitrep.resolve.merge import _content_words

    normalise_exact.cache_clear()
    fold.cache_clear()
    _content_words.cache_clear()
    reset_caches()


def malloc_trim() -> None:
    """Hand glibc's free heap pages back to the system (a probe of fragmentation)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    libc.malloc_trim(0)


def trace_report(since: tracemalloc.Snapshot, poll: int, top: int = 15) -> None:
    """The largest growths of Python allocations since `since`, by line, to stderr."""
    now = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)]
    )
    stats = now.compare_to(since, "lineno")
    total = sum(s.size_diff for s in stats)
    print(f"# tracemalloc, poll {poll}: {total / 1024:+.0f} KB since the start", file=sys.stderr)
    for stat in stats[:top]:
        print(f"#   {stat}", file=sys.stderr)


def summary(rows: list[dict[str, float]], db: Path) -> dict[str, Any]:
    mb = [r["rss_mb"] for r in rows]
    seconds = [r["seconds"] for r in rows]
    head, tail = min(WARM_UP, len(rows)), min(WARM_UP, len(rows))
    return {
        "polls": len(rows),
        "articles": int(sum(r["articles"] for r in rows)),
        "rss_mb_first_poll": round(mb[0], 1),
        "rss_mb_mean_first_20": round(statistics.fmean(mb[:head]), 1),
        "rss_mb_mean_last_20": round(statistics.fmean(mb[-tail:]), 1),
        "rss_mb_max": round(max(mb), 1),
        "rss_kb_per_poll_after_warm_up": round(slope(mb[WARM_UP:]) * 1024, 1),
        # Growth that slows down (caches filling) against growth that keeps its pace (a leak).
        "rss_kb_per_poll_last_half": round(slope(mb[len(mb) // 2 :]) * 1024, 1),
        "rss_by_window": windows(mb),
        "poll_seconds_mean_first_20": round(statistics.fmean(seconds[:head]), 3),
        "poll_seconds_mean_last_20": round(statistics.fmean(seconds[-tail:]), 3),
        "py_objects_first_last": [rows[0]["py_objects"], rows[-1]["py_objects"]],
        "vocab_strings_first_last": [rows[0]["vocab_strings"], rows[-1]["vocab_strings"]],
        "wal_mb_max": round(max(r["wal_kb"] for r in rows) / 1024, 1),
        "store_mb": round(sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 2**20, 1),
    }


@contextmanager
def one_database(db: Path, settings: Settings) -> Iterator[OpenStore]:
    """What `serve --watch` does: the server's store opened once (shared), each poll
    writing through its `writer()` (a cursor, checkpointed per `store.checkpoint_every_writes`)."""
    store = Store(db, settings, shared=True)
    try:
        yield store.writer
    finally:
        store.close()


def run(
    polls: int,
    every: float,
    db: Path,
    feed_size: int,
    csv_path: Path | None,
    shared: bool,
    overrides: list[str] | None = None,
    probes: argparse.Namespace | None = None,
) -> list[dict[str, float]]:
    clear = bool(probes and probes.clear_caches)
    trim = bool(probes and probes.malloc_trim)
    trace_from = probes.trace_from if probes else 0
    trace_at = set(probes.trace_at) if probes else set()
    traced: list[tracemalloc.Snapshot] = []
    settings = load_settings(overrides=overrides).with_overrides(
        {"ingest": {"allow_private": True}, "watch": {"settle_seconds": 0.0}}
    )
    feed = Feed(feed_size)
    rows: list[dict[str, float]] = []
    with serve(feed) as base, ExitStack() as files:
        # By default each poll opens the file, as `sitrep watch` does.
        opened = files.enter_context(one_database(db, settings)) if shared else None
        watcher = Watcher([f"{base}/feed.rss"], settings, db, open_store=opened)
        # Written as the polls go: a long run stopped early keeps what it measured.
        out = files.enter_context(csv_path.open("w", newline="")) if csv_path else None
        writer: csv.DictWriter[str] | None = None

        def on_poll(report: PollReport) -> None:
            nonlocal writer
            if report.errors:
                raise RuntimeError(f"poll {report.number} failed: {report.errors}")
            if clear:
                clear_bounded_caches()
            gc.collect()  # measure what stays alive, not garbage awaiting collection
            if trim:
                malloc_trim()
            if trace_from and report.number == trace_from:
                tracemalloc.start()
                traced.append(tracemalloc.take_snapshot())
            elif traced and report.number in trace_at:
                trace_report(traced[0], report.number)
            row: dict[str, float] = {
                "poll": report.number,
                "articles": report.articles,
                "seconds": round(report.seconds, 4),
                "rss_mb": round(rss_bytes() / 2**20, 2),
                # Where growth would come from: Python objects that stay alive, and
                # spaCy's string store, which keeps every new word it has parsed.
                "py_objects": len(gc.get_objects()),
                "vocab_strings": vocab_strings(watcher),
                # DuckDB's write-ahead log: commits not yet checkpointed into the file,
                # which DuckDB also holds in memory.
                "wal_kb": round(wal_bytes(db) / 1024, 1),
                # tracemalloc's own bookkeeping, part of the RSS while it traces.
                "tracer_mb": round(tracemalloc.get_tracemalloc_memory() / 2**20, 2),
            }
            rows.append(row)
            if out is not None:
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
                out.flush()
            feed.newest += 1  # the next poll finds one new entry

        feed.newest = 1
        try:
            watch(watcher, every=every, polls=polls, stop=threading.Event(), on_poll=on_poll)
        finally:
            watcher.close()
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polls", type=int, default=200)
    parser.add_argument("--every", type=float, default=0.05, help="seconds between poll starts")
    parser.add_argument("--db", type=Path, help="store (default: a temporary one)")
    parser.add_argument("--csv", type=Path, help="write every poll's numbers here")
    parser.add_argument("--feed-size", type=int, default=20, help="entries the feed keeps")
    parser.add_argument(
        "--shared", action="store_true", help="one open database for all polls (serve --watch)"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="a setting, as `sitrep --set` (store.checkpoint_every_writes=0: no checkpoints)",
    )
    parser.add_argument(
        "--clear-caches", action="store_true", help="empty the bounded caches every poll"
    )
    parser.add_argument("--malloc-trim", action="store_true", help="malloc_trim(0) every poll")
    parser.add_argument("--trace-from", type=int, default=0, help="start tracemalloc here")
    parser.add_argument(
        "--trace-at",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[],
        help="polls at which to print tracemalloc's largest growths (comma-separated)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as tmp:
        db = args.db or Path(tmp) / "watch.duckdb"
        rows = run(
            args.polls, args.every, db, args.feed_size, args.csv, args.shared, args.set, args
        )
        found = summary(rows, db)
    print(json.dumps(found, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
