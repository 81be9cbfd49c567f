"""`sitrep bench-incremental --whole`: the whole addition, timed as `sitrep run` performs it
on a store already holding the stored articles, end to end on a small invented corpus."""

from __future__ import annotations

import gzip
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from sitrep.cli import EXIT_FATAL, main
from sitrep.errors import SitrepError
from sitrep.finish import RunReport
from sitrep.model import Article
from sitrep.run import local, whole_bench
from sitrep.run.whole_bench import corpus_lines
from sitrep.store.db import connect

_SIDES = [("Avaria", "Borvik"), ("Corland", "Dunmere"), ("Estavia", "Farholt")]
_PLACES = ["Kelm", "Ostrava Nova", "Tarnel", "Vesk", "Lurin", "Pallow"]
_VERBS = ["shelled", "attacked", "bombed", "fired rockets at"]


def _record(n: int, rnd: random.Random) -> dict[str, Any]:
    """One invented article, in the field names of a corpus sitrep reads by alias (ID,
    source, date, content_original)."""
    army, other = rnd.choice(_SIDES)
    place = rnd.choice(_PLACES)
    day = date(2024, 5, 1) + timedelta(days=n // 3)
    text = (
        f"{army} forces {rnd.choice(_VERBS)} positions near {place} on {day:%A}, "
        f"the {other} defence ministry said.\n\n"
        f"“We will respond to this aggression,” said a spokesman for the {other} army. "
        f"Officials in {army} denied that civilians had been hit near {place}.\n\n"
        f"Talks between {army} and {other} were postponed until next week."
    )
    return {
        "ID": f"inv-{n:03}",
        "source": rnd.choice(["Wire One", "Daily Ledger", "Morning Post"]),
        "date": day.isoformat(),
        "title": f"{army} strikes near {place} ({n})",
        "content_original": text,
        "topic": "invented",  # a field sitrep does not read: written back as it is
    }


def _corpus(path: Path, count: int) -> None:
    rnd = random.Random(16)
    lines = "".join(json.dumps(_record(n, rnd)) + "\n" for n in range(count))
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(lines)


def test_the_whole_addition_is_timed_as_a_run_into_the_stored_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "invented.jsonl.gz"
    _corpus(corpus, 24)
    stored_after: list[tuple[int, int, bool]] = []  # (articles run, stored after, incremental)
    events: list[int] = []
    real_run = local.run_to_store

    def run_and_count(*args: Any, **kwargs: Any) -> RunReport:
        report = real_run(*args, **kwargs)
        con = connect(args[2])
        (count,) = con.execute("SELECT count(*) FROM articles").fetchone() or (0,)
        (mentions,) = con.execute("SELECT count(*) FROM events").fetchone() or (0,)
        con.close()
        stored_after.append((report.articles, count, report.resolved_incrementally is not None))
        # Without --extract the stored articles are bare: every event is the run's own.
        events.append(report.events)
        assert mentions == report.events
        return report

    monkeypatch.setattr(whole_bench, "run_to_store", run_and_count)
    args = ["bench-incremental", "--corpus", str(corpus), "--sizes", "6,12", "--add", "3"]
    assert main([*args, "--repeat", "1", "--whole", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = report["timings"]
    assert [(r["scenario"], r["stored"]) for r in rows] == [
        (scenario, size) for size in (6, 12) for scenario in ("latest", "feed", "random")
    ]
    assert all(r["whole_seconds"] > 0 and r["whole_per_article_seconds"] > 0 for r in rows)
    assert all(r["same_as_full"] for r in rows)
    # One run per row, each into its own copy of the stored store: the 3 added on top of
    # the row's stored articles, resolved incrementally.
    assert stored_after == [(3, r["stored"] + 3, True) for r in rows]
    assert all(n > 0 for n in events)  # extracted inside the run: the corpus holds none
    ratios = report["per_article_ratio_largest_to_smallest"]
    assert set(ratios) == {"latest", "feed", "random"} | {
        f"whole:{s}" for s in ("latest", "feed", "random")
    }
    assert all(value > 0 for value in ratios.values())


def test_without_whole_no_whole_addition_is_timed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "invented.jsonl.gz"
    _corpus(corpus, 12)
    args = ["bench-incremental", "--corpus", str(corpus), "--sizes", "4,8", "--add", "2"]
    assert main([*args, "--repeat", "1", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert all(r["whole_seconds"] is None for r in report["timings"])
    assert set(report["per_article_ratio_largest_to_smallest"]) == {"latest", "feed", "random"}


def test_a_whole_addition_that_falls_back_to_a_full_resolution_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Incremental resolution off: `sitrep run` resolves the whole store, which is not the
    addition to time, and the benchmark says so instead of reporting it."""
    corpus = tmp_path / "invented.jsonl.gz"
    _corpus(corpus, 12)
    args = ["bench-incremental", "--corpus", str(corpus), "--sizes", "4", "--add", "2"]
    args += ["--repeat", "1", "--whole", "--set", "resolve.incremental=false"]
    assert main(args) == EXIT_FATAL
    assert "fell back to a full resolution" in capsys.readouterr().err


def test_the_added_articles_are_written_as_their_own_corpus_lines(tmp_path: Path) -> None:
    plain = tmp_path / "plain.jsonl"
    plain.write_text('{"id": "a", "text": "one"}\n\n{"id": "b", "text": "two"}\n', "utf-8")
    found = corpus_lines(
        [
            Article(id="b", text="two", origin=f"{plain}:3"),
            Article(id="a", text="one", origin=f"{plain}:1"),
        ]
    )
    assert found == b'{"id": "b", "text": "two"}\n{"id": "a", "text": "one"}\n'
    with pytest.raises(SitrepError, match="needs a JSON Lines corpus"):
        corpus_lines([Article(id="c", text="x", origin="https://example.org/page")])
