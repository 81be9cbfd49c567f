"""Staying power of `sitrep watch`: memory over many polls of a feed that changes every poll.

Usage: .venv/bin/python scripts/bench_watch.py [--polls 200] [--every 0.05] [--db PATH]
                                               [--csv PATH] [--feed-size 20] [--shared]
                                               [--set SECTION.KEY=VALUE ...]
                                               [--clear-caches] [--malloc-trim]
                                               [--trace-from N --trace-at N,N,...]
                                               [--trace-frames N]
                                               [--news-until N] [--resolve-every-poll]
                                               [--duckdb STATEMENT ...] [--day-every N]
                                               [--step-peaks] [--step-peak MODULE:NAME ...]
                                               [--distinct] [--new-words K]

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

Where the memory goes, per poll: DuckDB's own accounting at the end of the poll
(`duckdb_memory()`, before the connection is given back), glibc's heap in use and held free
(mallinfo2), the kernel's split of the RSS into anonymous and file-backed pages, and with
tracemalloc on, the Python heap and its peak during the poll. `--news-until N` stops the
feed gaining entries after poll N (it then answers 304), which tells growth with the
store from growth with the number of polls; `--resolve-every-poll` keeps resolving in
polls that store nothing; `--duckdb` runs a statement on every open (a probe of DuckDB's
settings).

`--step-peaks` (with `--trace-from`) also records, per poll, the most the Python heap grew
inside each of `finish`'s two steps, resolution (`sitrep.finish.resolve_store`) and the
alerts (`record_alerts`), above what it held when the step began: which step's working
set follows the store. `--step-peak MODULE:NAME` does the same for any function (as
called from MODULE), also one inside another measured step.
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import ctypes.util
import gc
import html
import importlib
import json
import linecache
import random
import statistics
import sys
import tempfile
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb

from sitrep.run.heap import fix_mmap_threshold
from sitrep.run.watch import PollReport, Watcher, watch
from sitrep.settings import Settings, load_settings
from sitrep.store.db import connect
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


def rss_parts() -> dict[str, float]:
    """The RSS split by the kernel (/proc/self/status): anonymous memory (heaps: Python's,
    glibc's, DuckDB's jemalloc) and file-backed pages (libraries, mapped model files).
    Empty where there is no /proc."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return {}
    found = {}
    for line in lines:
        name, _, value = line.partition(":")
        if name in ("RssAnon", "RssFile"):
            found[f"{name[3:].lower()}_mb"] = round(int(value.split()[0]) / 1024, 2)
    return found


def wal_bytes(db: Path) -> int:
    """Size of the store's write-ahead log (0 when there is none)."""
    wal = db.with_name(db.name + ".wal")
    return wal.stat().st_size if wal.exists() else 0


def vocab_strings(watcher: Watcher) -> int:
    """Strings in the loaded spaCy pipeline's vocabulary (0 before the first article)."""
    extractor = getattr(watcher, "_extractor", None)  # loaded at the first new article
    return len(extractor.nlp.vocab.strings) if extractor is not None else 0


def article_text(n: int) -> str:
    """Invented reporting, a different text for every n, but near-identical ones: word
    3-grams shared at a Jaccard of 0.5 or more, so the deduplicator finds every entry a copy
    of every other (one copy group holding the whole feed). The default, which the numbers
    in docs/performance.md before "Stories day by day" were measured with."""
    place, act = PLACES[n % len(PLACES)], ACTS[n % len(ACTS)]
    return (
        f"Russian forces {act} the city of {place} overnight, regional officials said on "
        f"day {n} of the reporting period. Emergency crews worked until dawn to clear "
        f"debris from {n % 5 + 2} apartment blocks, and {n % 9 + 3} people were taken to "
        f"hospital. The governor said water and power would be restored within {n % 4 + 1} "
        f"days. Ukraine's foreign ministry condemned the strike and called on partners to "
        f"send more air defence systems. Report number {n} ends here."
    )


# `--distinct`: the slots of the sentences after the lead, each drawn per entry (seeded by
# its number), so two entries share few word 3-grams beyond their lead.
WHO = ["Residents", "Medics", "Volunteers", "Engineers", "Teachers", "Drivers", "Farmers",
       "Firefighters", "Nurses", "Clerks", "Students", "Pensioners"]  # fmt: skip
DID = ["described", "reported", "recalled", "counted", "photographed", "mapped", "inspected",
       "cleared", "repaired", "listed", "measured", "documented"]  # fmt: skip
WHAT = ["broken windows", "burnt cars", "damaged roofs", "fresh craters", "fallen power lines",
        "burst water pipes", "shattered shop fronts", "a gutted school gym", "bus shelters",
        "a leaking gas main", "a cracked bridge", "two warehouses"]  # fmt: skip
WHERE = ["near the station", "by the river", "along the main road", "behind the market",
         "outside the clinic", "in the old town", "at the port", "beside the park",
         "around the depot", "past the stadium", "under the overpass",
         "off the ring road"]  # fmt: skip
WHEN = ["before noon", "after midnight", "at first light", "by evening", "during the curfew",
        "within hours", "on Monday", "on Tuesday", "at dusk", "before the rain",
        "after the sirens", "by the weekend"]  # fmt: skip


def distinct_article_text(n: int) -> str:
    """Invented reporting whose entries are no copies of one another: the lead names the
    act and the place (what stories are made of, shared by one entry in 28), and six
    sentences drawn per entry tell the details, so the texts share few word 3-grams."""
    place, act = PLACES[n % len(PLACES)], ACTS[n % len(ACTS)]
    draw = random.Random(n)
    details = " ".join(
        f"{draw.choice(WHO)} {draw.choice(DID)} {draw.choice(WHAT)} {draw.choice(WHERE)} "
        f"{draw.choice(WHEN)}."
        for _ in range(6)
    )
    return (
        f"Russian forces {act} the city of {place} overnight, regional officials said. "
        f"{details} Report number {n} ends here."
    )


# `--new-words`: syllables of the invented names an entry brings that no entry before had,
# as real news keeps naming people and places a process has not met.
SYLLABLES = ["ka", "lo", "mi", "ren", "tu", "vas", "el", "dor", "shi", "pa", "nek", "ri",
             "zo", "bel", "gar", "um"]  # fmt: skip


def invented_names(n: int, count: int) -> list[str]:
    """`count` names of entry n, spelt from a number no other entry's names use."""
    names = []
    for i in range(count):
        x, parts = n * count + i, []
        while True:
            x, digit = divmod(x, len(SYLLABLES))
            parts.append(SYLLABLES[digit])
            if not x:
                break
        names.append("".join(parts).capitalize() + "ski")
    return names


class Feed:
    """The feed's entries: `newest` grows by one before every poll (until `--news-until`).
    Its ETag names the newest entry, so an unchanged feed is answered 304."""

    def __init__(
        self, size: int, day_every: int = 0, distinct: bool = False, new_words: int = 0
    ) -> None:
        self.size = size
        self.day_every = day_every
        self.distinct = distinct
        self.new_words = new_words
        self.newest = 0
        self.base = ""

    def published(self, n: int) -> str:
        """Entry n's pubDate: all on one day, or a day later every `day_every` entries
        (then stories and their merging stay within the resolution's time windows, as
        with real news, instead of one story that holds every article)."""
        day = (n - 1) // self.day_every if self.day_every else 0
        stamp = datetime(2030, 10, 1, 10, tzinfo=UTC) + timedelta(days=day)
        return format_datetime(stamp, usegmt=True)

    def text(self, n: int) -> str:
        """Entry n's article text (`--distinct`: no copy of another entry's; `--new-words`:
        with names no earlier entry had)."""
        text = distinct_article_text(n) if self.distinct else article_text(n)
        if not self.new_words:
            return text
        *names, last = invented_names(n, self.new_words)
        return f"{text} Officials named {', '.join(names)} and {last} among those at the scene."

    def etag(self) -> str:
        return f'"bench-{self.newest}"'

    def rss(self) -> bytes:
        first = max(1, self.newest - self.size + 1)
        items = "".join(
            f"<item><title>Strike report {n}</title><link>{self.base}/a/{n}.html</link>"
            f"<guid>urn:bench:{n}</guid><pubDate>{self.published(n)}</pubDate>"
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
                if self.headers.get("If-None-Match") == feed.etag():
                    self.send_response(304)
                    self.end_headers()
                    return
                self._send("application/rss+xml", feed.rss(), feed.etag())
            elif self.path.startswith("/a/") and self.path.endswith(".html"):
                n = int(self.path[3:-5])
                text = html.escape(feed.text(n), quote=False)
                body = (
                    f"<!doctype html><html><head><title>Strike report {n}</title></head>"
                    f"<body><article><h1>Strike report {n}</h1><p>{text}</p>"
                    "</article></body></html>"
                )
                self._send("text/html; charset=utf-8", body.encode())
            else:
                self.send_error(404)

        def _send(self, kind: str, body: bytes, etag: str = "") -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            if etag:
                self.send_header("ETag", etag)
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


PARTS = (
    "anon_mb",
    "file_mb",
    "duckdb_mb",
    "duckdb_table_mb",
    "glibc_used_mb",
    "glibc_free_mb",
    "py_traced_mb",
)


def parts_by_window(rows: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Mean of each recorded part of the memory over the first WINDOW polls and each
    WINDOW after (the parts a run did not record are left out)."""
    found: dict[str, dict[str, float]] = {}
    for start in range(0, len(rows), WINDOW):
        part = rows[start : start + WINDOW]
        found[f"{start + 1}-{start + len(part)}"] = {
            name: round(statistics.fmean(float(r[name]) for r in part), 2)
            for name in PARTS
            if name in part[0]
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


def duckdb_on_every_open(statements: list[str]) -> None:
    """A probe: run these DuckDB statements (`SET allocator_background_threads = true`)
    on every open of the store in this process, by wrapping `sitrep.store.db._open`."""
    if not statements:
        return
    import sitrep.store.db as store_db

    plain = store_db._open

    def _open(target: str, read_only: bool) -> duckdb.DuckDBPyConnection:
        con = plain(target, read_only)
        for statement in statements:
            con.execute(statement)
        return con

    store_db._open = _open


FINISH_STEPS = ("sitrep.finish:resolve_store", "sitrep.finish:record_alerts")


@dataclass(slots=True)
class _OpenStep:
    name: str
    start: int  # bytes traced when the step began
    high: int  # the most traced since it began (across the resets of steps inside it)


class StepPeaks:
    """Per poll, the Python heap's peak inside each named step above what it held when the
    step began, and the poll's own peak. tracemalloc keeps one peak, reset at each step's
    start; the peak reached until then is first credited to the steps still open (a step
    inside another) and to the poll, so every one keeps its own. Steps are `module:name`,
    wrapped where they are looked up (`sitrep.store.incremental:dated_stories` measures
    the calls made from that module). Records nothing while tracemalloc is off."""

    def __init__(self, steps: list[str]) -> None:
        self.names = steps
        self.steps: dict[str, float] = {}
        self.open: list[_OpenStep] = []
        self.poll_peak = 0

    def _credit(self, peak: int) -> None:
        self.poll_peak = max(self.poll_peak, peak)
        for step in self.open:
            step.high = max(step.high, peak)

    def wrap(self, name: str, step: Callable[..., Any]) -> Callable[..., Any]:
        def measured_step(*args: Any, **kwargs: Any) -> Any:
            if not tracemalloc.is_tracing():
                return step(*args, **kwargs)
            start, peak_before = tracemalloc.get_traced_memory()
            self._credit(peak_before)
            tracemalloc.reset_peak()
            self.open.append(_OpenStep(name, start, start))
            try:
                return step(*args, **kwargs)
            finally:
                self._credit(tracemalloc.get_traced_memory()[1])
                done = self.open.pop()
                grown = round((done.high - done.start) / 2**20, 2)
                self.steps[name] = max(self.steps.get(name, 0.0), grown)

        return measured_step

    def install(self) -> None:
        """Wrap each step in the module that looks it up."""
        for spec in self.names:
            module_name, _, name = spec.partition(":")
            module = importlib.import_module(module_name)
            setattr(module, name, self.wrap(spec, getattr(module, name)))

    def take(self) -> dict[str, float]:
        """This poll's step peaks (MB, by the step's name less its module; 0 for a step
        that did not run) and the poll's own peak; then starts the next poll afresh."""
        poll_peak = max(self.poll_peak, tracemalloc.get_traced_memory()[1])
        found = {f"{n.partition(':')[2]}_peak_mb": self.steps.get(n, 0.0) for n in self.names}
        found["py_peak_mb"] = round(poll_peak / 2**20, 2)
        self.steps, self.poll_peak = {}, 0
        return found


def malloc_trim() -> None:
    """Hand glibc's free heap pages back to the system (a probe of fragmentation)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    libc.malloc_trim(0)


def trace_report(since: tracemalloc.Snapshot, poll: int, top: int = 15) -> None:
    """The largest growths of Python allocations since `since`, to stderr: by line, or by
    traceback (its innermost frames first) when tracemalloc keeps more than one frame
    (`--trace-frames`)."""
    # Not the tracer's own memory, nor the source lines an earlier report read to print
    # its tracebacks (linecache keeps them).
    now = tracemalloc.take_snapshot().filter_traces(
        [
            tracemalloc.Filter(False, tracemalloc.__file__),
            tracemalloc.Filter(False, linecache.__file__),
        ]
    )
    by_traceback = tracemalloc.get_traceback_limit() > 1
    stats = now.compare_to(since, "traceback" if by_traceback else "lineno")
    total = sum(s.size_diff for s in stats)
    print(f"# tracemalloc, poll {poll}: {total / 1024:+.0f} KB since the start", file=sys.stderr)
    for stat in stats[:top]:
        if not by_traceback:
            print(f"#   {stat}", file=sys.stderr)
            continue
        print(
            f"#   {stat.size_diff / 1024:+.1f} KiB in {stat.count_diff:+d} blocks", file=sys.stderr
        )
        for line in stat.traceback.format(most_recent_first=True):
            print(f"#     {line.strip()}", file=sys.stderr)


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
        # Where the RSS goes, per window (mean MB): DuckDB's own, glibc's heap, Python's.
        "parts_mb_by_window": parts_by_window(rows),
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


def file_per_poll(db: Path, settings: Settings) -> OpenStore:
    """What `sitrep watch` does (`Watcher._open_file`): the file opened for the poll."""

    @contextmanager
    def opened() -> Iterator[duckdb.DuckDBPyConnection]:
        store = settings.store
        con = connect(db, memory_limit=store.memory_limit, lock_wait=store.lock_wait_seconds)
        try:
            yield con
        finally:
            con.close()

    return opened


def duckdb_accounting(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """DuckDB's own accounting of its buffer-managed memory (`duckdb_memory()`, what
    `memory_limit` caps) at the end of a poll, before the connection is given back: in
    all, the table blocks cached (the buffer pool proper), metadata blocks, the ALLOCATOR
    tag, and what was spilled to disk."""
    tags = dict(con.execute("SELECT tag, memory_usage_bytes FROM duckdb_memory()").fetchall())
    row = con.execute("SELECT sum(temporary_storage_bytes) FROM duckdb_memory()").fetchone()

    def mb(count: float) -> float:
        return round(float(count or 0) / 2**20, 2)

    return {
        "duckdb_mb": mb(sum(tags.values())),
        "duckdb_table_mb": mb(tags.get("BASE_TABLE", 0)),
        "duckdb_metadata_mb": mb(tags.get("METADATA", 0)),
        "duckdb_allocator_mb": mb(tags.get("ALLOCATOR", 0)),
        "duckdb_temp_mb": mb(row[0] if row else 0),
    }


def measured(inner: OpenStore, seen: dict[str, float], resolve_every_poll: bool) -> OpenStore:
    """`inner`, recording DuckDB's accounting into `seen` at the end of every poll;
    `resolve_every_poll` marks resolution due at its start, so a poll that finds nothing
    new still resolves the whole store (the work of a poll without the store's growth)."""

    @contextmanager
    def opened() -> Iterator[duckdb.DuckDBPyConnection]:
        with inner() as con:
            if resolve_every_poll:
                con.execute("INSERT OR REPLACE INTO watch_pending VALUES ('resolution')")
            yield con
            seen.update(duckdb_accounting(con))

    return opened


class MallInfo2(ctypes.Structure):
    """glibc's `struct mallinfo2` (glibc 2.33 and later)."""

    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd",
            "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


def glibc_heap() -> dict[str, float]:
    """glibc malloc's heap: in use (small blocks and mmapped large ones) and held free.
    What the RSS has beyond these, DuckDB's jemalloc and mapped files hold. Empty where
    glibc has no mallinfo2."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        info_of = libc.mallinfo2
    except (OSError, AttributeError):
        return {}
    info_of.restype = MallInfo2
    info = info_of()
    return {
        "glibc_used_mb": round((info.uordblks + info.hblkhd) / 2**20, 2),
        "glibc_free_mb": round(info.fordblks / 2**20, 2),
    }


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
    news_until = probes.news_until if probes else 0
    resolve_every_poll = bool(probes and probes.resolve_every_poll)
    steps = [
        *(FINISH_STEPS if probes and probes.step_peaks else ()),
        *(probes.step_peak if probes else ()),
    ]
    step_peaks = StepPeaks(steps) if steps else None
    if step_peaks is not None:
        step_peaks.install()
    traced: list[tracemalloc.Snapshot] = []
    settings = load_settings(overrides=overrides).with_overrides(
        {"ingest": {"allow_private": True}, "watch": {"settle_seconds": 0.0}}
    )
    # What `sitrep watch` and `serve --watch` do at their start (--set
    # watch.malloc_mmap_threshold=0: glibc's adaptive default, as before).
    fix_mmap_threshold(settings.watch.malloc_mmap_threshold)
    feed = Feed(
        feed_size,
        probes.day_every if probes else 0,
        bool(probes and probes.distinct),
        probes.new_words if probes else 0,
    )
    rows: list[dict[str, float]] = []
    with serve(feed) as base, ExitStack() as files:
        # By default each poll opens the file, as `sitrep watch` does.
        inner = (
            files.enter_context(one_database(db, settings))
            if shared
            else file_per_poll(db, settings)
        )
        accounted: dict[str, float] = {}
        opened = measured(inner, accounted, resolve_every_poll)
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
                tracemalloc.start(probes.trace_frames if probes else 1)
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
                # tracemalloc's own bookkeeping, part of the RSS while it traces, and
                # the Python heap it sees (0 until it starts: --trace-from).
                "tracer_mb": round(tracemalloc.get_tracemalloc_memory() / 2**20, 2),
                "py_traced_mb": round(tracemalloc.get_traced_memory()[0] / 2**20, 2),
                # The most it traced at once during the poll: the poll's own working set
                # of Python objects (a heap that grows with it keeps its high mark).
                "py_peak_mb": round(tracemalloc.get_traced_memory()[1] / 2**20, 2),
                # DuckDB's own accounting at the end of the poll, and glibc's heap now.
                **accounted,
                **glibc_heap(),
                **rss_parts(),
                # --step-peaks: each step's own peak, and the poll's kept across its resets.
                **(step_peaks.take() if step_peaks is not None else {}),
            }
            rows.append(row)
            if tracemalloc.is_tracing():
                tracemalloc.reset_peak()
            if out is not None:
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
                out.flush()
            if not news_until or report.number < news_until:
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
        "--day-every",
        type=int,
        default=0,
        metavar="N",
        help="entries' pubDate a day later every N entries (default: all on one day)",
    )
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="entries that are no copies of one another (default: near-identical texts, "
        "which the deduplicator groups into one copy group)",
    )
    parser.add_argument(
        "--new-words",
        type=int,
        default=0,
        metavar="K",
        help="each entry names K invented people no earlier entry named (new words for "
        "spaCy's vocabulary, as real news brings; default 0)",
    )
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
    parser.add_argument(
        "--news-until",
        type=int,
        default=0,
        metavar="N",
        help="the feed gains no entry after poll N (then answers 304): does the RSS follow "
        "the store or the number of polls?",
    )
    parser.add_argument(
        "--resolve-every-poll",
        action="store_true",
        help="resolve the store in every poll, also one that stored nothing",
    )
    parser.add_argument("--trace-from", type=int, default=0, help="start tracemalloc here")
    parser.add_argument(
        "--trace-frames",
        type=int,
        default=1,
        metavar="N",
        help="frames tracemalloc keeps per allocation; above 1, --trace-at reports growth "
        "by traceback instead of by line",
    )
    parser.add_argument(
        "--trace-at",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[],
        help="polls at which to print tracemalloc's largest growths (comma-separated)",
    )
    parser.add_argument(
        "--step-peaks",
        action="store_true",
        help="with --trace-from: record the Python heap's peak inside resolution and alerts",
    )
    parser.add_argument(
        "--step-peak",
        action="append",
        default=[],
        metavar="MODULE:NAME",
        help="with --trace-from: record the Python heap's peak inside this function too, "
        "as called from MODULE (sitrep.store.incremental:_restory)",
    )
    parser.add_argument(
        "--duckdb",
        action="append",
        default=[],
        metavar="STATEMENT",
        help="a DuckDB statement run on every open of the store (a probe of its settings)",
    )
    args = parser.parse_args(argv)
    duckdb_on_every_open(args.duckdb)
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
