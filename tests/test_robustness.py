"""Staying power: a killed run resumes to exactly the clean result; extraction never emits
offsets outside the text, whatever the text."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.extract.service import Extractor
from sitrep.model import Article

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles.jsonl"


def _corpus(tmp_path: Path, copies: int = 4) -> Path:
    """The samples several times over under new ids: enough batches to kill a run mid-way."""
    lines = []
    for round_ in range(copies):
        for line in SAMPLES.read_text().splitlines():
            record = json.loads(line)
            record["id"] = f"{record['id']}-{round_}"
            record["text"] = (
                record["text"] + f"\n\nUpdate {round_}: officials said talks would resume."
            )
            lines.append(json.dumps(record))
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def _run(corpus: Path, db: Path, n_process: int = 1) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sitrep",
            "--set",
            "store.commit_every=3",
            "--set",
            "nlp.batch_size=3",
            "--set",
            f"nlp.n_process={n_process}",
            "run",
            str(corpus),
            "--db",
            str(db),
            "--no-progress",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _children(pid: int, count: int, timeout: float) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = psutil.Process(pid).children()
        if len(children) >= count:
            return children
        time.sleep(0.05)
    raise AssertionError(f"{count} worker processes never started")


def _snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    tables = {
        "articles": "SELECT id, text, duplicate_of, story_id FROM articles",
        "events": "SELECT id, article_id, type, factuality, record FROM events",
        "quotes": "SELECT id, article_id, record FROM quotes",
        "places": "SELECT article_id, idx, name, geonameid FROM places",
        "stories": "SELECT story_id, article_ids FROM stories",
        "canonical_events": "SELECT id, mention_ids, independent_sources FROM canonical_events",
    }
    snapshot = {name: sorted(con.execute(sql).fetchall(), key=repr) for name, sql in tables.items()}
    con.close()
    return snapshot


@pytest.mark.parametrize("n_process", [1, 2])
def test_sigkill_then_rerun_equals_a_clean_run(tmp_path: Path, n_process: int) -> None:
    """Killed in the middle (with worker processes too, which must not outlive the run),
    then run again: the store is exactly a clean run's."""
    corpus = _corpus(tmp_path)
    clean, killed = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    started = time.monotonic()
    assert _run(corpus, clean, n_process).wait(timeout=600) == 0
    duration = time.monotonic() - started
    process = _run(corpus, killed, n_process)
    if n_process == 1:
        time.sleep(duration * 0.7)  # past loading, in the middle of the batches
        workers = []
    else:  # the workers live while batches are extracted: kill once they are at work
        workers = _children(process.pid, n_process, timeout=duration)
        time.sleep(1.0)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive  # the workers noticed and exited
    assert _run(corpus, killed, n_process).wait(timeout=600) == 0
    assert _snapshot(killed) == _snapshot(clean)
    # And running again over the same input changes nothing.
    assert _run(corpus, killed, n_process).wait(timeout=600) == 0
    assert _snapshot(killed) == _snapshot(clean)


WORDS = st.sampled_from(
    [
        "Russia",
        "Belarus",
        "Kyiv",
        "Minsk",
        "troops",
        "attacked",
        "said",
        "“",
        "”",
        '"',
        "according",
        "to",
        "BelTA",
        "on",
        "Friday",
        "last",
        "fall",
        "will",
        "not",
        "may",
        "if",
        "Lukashenko",
        ",",
        ".",
        "—",
        "\n",
        "\n\n",
        "(",
        ")",
        "2023",
        "border",
        "missiles",
        "the",
        "a",
        "of",
    ]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(WORDS, st.text(max_size=8)), min_size=1, max_size=60))
def test_extraction_offsets_always_point_into_the_text(
    extractor: Extractor, words: list[str]
) -> None:
    text = " ".join(words).strip() or "x"
    (result,) = extractor.extract([Article(id="h", text=text, published="2023-02-24")])
    spans = [e.span for e in result.entities] + [p.span for p in result.places]
    spans += [t.span for t in result.times]
    for quote in result.quotes:
        spans += [quote.content, quote.cue] + [v.cue for v in quote.via]
    for event in result.events:
        spans += [event.trigger, event.sentence]
    for span in spans:
        if span is not None:
            assert 0 <= span.start <= span.end <= len(text)
            assert text[span.start : span.end] == span.text
