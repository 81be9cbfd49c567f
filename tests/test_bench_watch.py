"""scripts/bench_watch.py works (a few polls); its numbers are in docs/performance.md and
are measured by running it, never by a timed test."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("shared", [False, True], ids=["file-per-poll", "shared"])
def test_bench_watch_polls_a_changing_local_feed_and_records_memory(
    tmp_path: Path, shared: bool
) -> None:
    db, polls = tmp_path / "bench.duckdb", tmp_path / "polls.csv"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_watch.py"), "--polls", "5"]
        + ["--every", "0", "--db", str(db), "--csv", str(polls)]
        + (["--shared"] if shared else []),
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=600,
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
