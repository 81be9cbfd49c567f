"""scripts/bench_watch.py works (a few polls); its numbers are in docs/performance.md and
are measured by running it, never by a timed test."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from sitrep.resolve.dedup import Deduplicator, jaccard_sorted
from sitrep.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]


def _bench_module() -> Any:
    """scripts/bench_watch.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("bench_watch", ROOT / "scripts/bench_watch.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up there
    spec.loader.exec_module(bench)
    return bench


def _bench_watch(args: list[str]) -> subprocess.CompletedProcess[str]:
    """scripts/bench_watch.py with these arguments, polling without a pause."""
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_watch.py"), "--every", "0", *args],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize("shared", [False, True], ids=["file-per-poll", "shared"])
def test_bench_watch_polls_a_changing_local_feed_and_records_memory(
    tmp_path: Path, shared: bool
) -> None:
    db, polls = tmp_path / "bench.duckdb", tmp_path / "polls.csv"
    done = _bench_watch(
        ["--polls", "5", "--db", str(db), "--csv", str(polls)] + (["--shared"] if shared else [])
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["polls"] == 5 and found["articles"] == 5  # one new entry per poll
    assert found["rss_mb_max"] >= found["rss_mb_first_poll"] > 0
    rows = list(csv.DictReader(polls.open()))
    assert [int(r["poll"]) for r in rows] == [1, 2, 3, 4, 5]
    assert all(float(r["rss_mb"]) > 0 and int(r["py_objects"]) > 0 for r in rows)
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = con.execute("SELECT count(*), count(DISTINCT text) FROM articles").fetchone()
        seen = con.execute("SELECT count(*) FROM watch_seen").fetchone()
    finally:
        con.close()
    assert stored == (5, 5) and seen == (5,)


def test_bench_watch_probes_run_and_report_what_grows(tmp_path: Path) -> None:
    """The probes that look for what grows: caches emptied and the heap trimmed every poll,
    tracemalloc started at poll 2 and its growth printed at poll 4."""
    polls = tmp_path / "polls.csv"
    done = _bench_watch(
        ["--polls", "4", "--csv", str(polls), "--clear-caches", "--malloc-trim"]
        + ["--trace-from", "2", "--trace-at", "4"]
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["articles"] == 4
    assert "# tracemalloc, poll 4:" in done.stderr and "# tracemalloc, poll 3" not in done.stderr
    tracer = [float(r["tracer_mb"]) for r in csv.DictReader(polls.open())]
    assert tracer[0] == 0 and tracer[-1] > 0  # tracing from poll 2 on


def test_growth_by_window_is_the_slope_of_each_hundred_polls_after_the_first() -> None:
    bench = _bench_module()
    # Flat for 100 polls, rising 1 MB a poll for 100, flat again for the last 50.
    mb = [500.0] * 100 + [500.0 + n for n in range(100)] + [600.0] * 50
    found = bench.windows(mb)
    assert list(found) == ["101-200", "201-250"]
    assert found["101-200"]["kb_per_poll"] == 1024.0
    assert found["201-250"] == {"kb_per_poll": 0.0, "mean_mb": 600.0, "min_mb": 600.0}


@pytest.mark.parametrize("shared", [False, True], ids=["file-per-poll", "shared"])
def test_bench_watch_feed_that_stops_adding_news_is_answered_not_modified(
    tmp_path: Path, shared: bool
) -> None:
    """`--news-until 2`: polls 3 and 4 find the feed unchanged (304, nothing stored) and,
    with `--resolve-every-poll`, still resolve; every poll records DuckDB's own accounting,
    glibc's heap and the kernel's split of the RSS."""
    db, polls = tmp_path / "bench.duckdb", tmp_path / "polls.csv"
    done = _bench_watch(
        ["--polls", "4", "--db", str(db), "--csv", str(polls)]
        + ["--news-until", "2", "--resolve-every-poll"]
        + (["--shared"] if shared else [])
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["articles"] == 2
    assert set(found["parts_mb_by_window"]["1-4"]) >= {"anon_mb", "duckdb_mb", "glibc_used_mb"}
    rows = list(csv.DictReader(polls.open()))
    assert [int(r["articles"]) for r in rows] == [1, 1, 0, 0]
    # DuckDB holds the store's blocks at the end of every poll, also one that stored nothing.
    assert all(float(r["duckdb_table_mb"]) > 0 for r in rows)
    assert all(float(r["anon_mb"]) + float(r["file_mb"]) > 0 for r in rows)
    con = duckdb.connect(str(db), read_only=True)
    try:
        statuses = con.execute("SELECT last_status FROM watch_sources").fetchall()
        pending = con.execute("SELECT count(*) FROM watch_pending").fetchone()
    finally:
        con.close()
    assert statuses == [("not modified",)] and pending == (0,)  # resolved, then done


def test_day_every_dates_the_feeds_entries_a_day_apart_every_n_entries() -> None:
    bench = _bench_module()
    apart, together = bench.Feed(20, 10), bench.Feed(20)
    assert apart.published(1) == apart.published(10) == "Tue, 01 Oct 2030 10:00:00 GMT"
    assert apart.published(11) == "Wed, 02 Oct 2030 10:00:00 GMT"
    assert together.published(500) == together.published(1)  # the default: one day


def test_step_peaks_record_the_heap_peak_inside_resolution_and_alerts(tmp_path: Path) -> None:
    """`--step-peaks`: tracing from poll 2, polls 3 and 4 record how far the Python heap
    rose inside resolution and inside the alerts (poll 1, untraced, records 0), and the
    poll's own peak is kept across the steps' resets (never below a step's rise); a step
    inside resolution (`--step-peak`) never rises above it."""
    polls = tmp_path / "polls.csv"
    done = _bench_watch(
        ["--polls", "4", "--csv", str(polls), "--trace-from", "2", "--step-peaks"]
        + ["--step-peak", "sitrep.store.incremental:_restory"]
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(polls.open()))
    steps = ("resolve_store_peak_mb", "record_alerts_peak_mb", "_restory_peak_mb")
    assert all(float(rows[0][step]) == 0 for step in steps)
    for row in rows[2:]:
        assert all(float(row[step]) > 0 for step in steps)
        assert float(row["py_peak_mb"]) >= max(float(row[step]) for step in steps)
        assert float(row["resolve_store_peak_mb"]) >= float(row["_restory_peak_mb"])


def test_step_peaks_of_a_step_inside_another_are_each_their_own() -> None:
    """The outer step holds 1 MB and calls the inner one, which rises 2 MB and frees it:
    the inner step's peak is 2 MB, the outer's 3 MB (the inner's reset does not lose it),
    the poll's at least that; the next poll starts afresh."""
    bench = _bench_module()
    peaks = bench.StepPeaks(["m:outer", "m:inner"])

    def inner() -> int:
        return len(bytearray(2 * 2**20))

    measured_inner = peaks.wrap("m:inner", inner)

    def outer() -> int:
        held = bytearray(2**20)
        return len(held) + measured_inner()

    tracemalloc.start()
    try:
        peaks.wrap("m:outer", outer)()
        found = peaks.take()
        assert 2.0 <= found["inner_peak_mb"] < 2.1
        assert 3.0 <= found["outer_peak_mb"] < 3.1
        assert found["py_peak_mb"] >= 3.0
        tracemalloc.reset_peak()
        assert peaks.take()["outer_peak_mb"] == 0.0  # nothing ran in this poll
    finally:
        tracemalloc.stop()


def test_distinct_entries_are_no_copies_while_the_default_ones_all_are() -> None:
    """The default feed's texts are near-identical (every pair a copy by the deduplicator's
    Jaccard: one copy group holding the feed); `--distinct` texts share a lead per place
    and act but no pair reaches the threshold."""
    bench = _bench_module()
    settings = load_settings().resolve
    dedup = Deduplicator(settings)

    def most_alike(text_of: Callable[[int], str]) -> tuple[float, float]:
        shingles = [dedup.signature(text_of(n))[1] for n in range(1, 61)]
        found = [jaccard_sorted(a, b) for i, a in enumerate(shingles) for b in shingles[:i]]
        return min(found), max(found)

    assert most_alike(bench.article_text)[0] >= settings.dedup_threshold
    assert most_alike(bench.distinct_article_text)[1] < settings.dedup_threshold
    feed = bench.Feed(20, distinct=True)
    assert feed.text(5) == bench.distinct_article_text(5) != bench.Feed(20).text(5)


def test_bench_watch_distinct_feed_stores_no_copies(tmp_path: Path) -> None:
    db = tmp_path / "bench.duckdb"
    done = _bench_watch(["--polls", "3", "--db", str(db), "--distinct"])
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = con.execute(
            "SELECT count(*), count(duplicate_of), count(DISTINCT text) FROM articles"
        ).fetchone()
    finally:
        con.close()
    assert stored == (3, 0, 3)


def test_trace_frames_reports_growth_by_traceback(tmp_path: Path) -> None:
    """`--trace-frames 4`: the growths printed at `--trace-at` come with their tracebacks
    (by line, the default, they do not: see the probes test above)."""
    done = _bench_watch(["--polls", "3", "--trace-from", "1", "--trace-at", "3"])
    assert done.returncode == 0, done.stderr
    assert "# tracemalloc, poll 3:" in done.stderr and '#     File "' not in done.stderr
    framed = _bench_watch(
        ["--polls", "3", "--trace-from", "1", "--trace-at", "3", "--trace-frames", "4"]
    )
    assert framed.returncode == 0, framed.stderr
    assert "# tracemalloc, poll 3:" in framed.stderr and '#     File "' in framed.stderr
