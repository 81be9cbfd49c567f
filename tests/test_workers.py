"""Local worker processes (`nlp.n_process` > 1) parse and extract; the main process gets the
same records, in the same order, as one process gives, and a dead worker is a clear error."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sitrep.errors import WorkerError
from sitrep.extract import workers
from sitrep.extract.service import Extractor
from sitrep.ingest import read_inputs
from sitrep.model import Article, Extraction, Reject
from sitrep.model.serialize import extraction_to_dict
from sitrep.run.local import run_to_store
from sitrep.settings import Settings
from store_compare import assert_same_store, write_mixed_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mixed_corpus(tmp_path_factory.mktemp("input") / "articles.jsonl")


def _with_workers(settings: Settings, n: int) -> Settings:
    # Batches of two articles: ten articles make five batches, more than the window.
    return settings.with_overrides({"nlp": {"n_process": n, "batch_size": 2}})


def _items(corpus: Path, settings: Settings) -> list[Article | Reject]:
    return list(read_inputs([str(corpus)], settings.ingest))


def _as_text(result: Extraction | Reject) -> str:
    if isinstance(result, Reject):
        return f"reject {result.code} {result.origin}"
    return json.dumps(extraction_to_dict(result), sort_keys=True)


def test_workers_stream_what_one_process_streams(
    corpus: Path, settings: Settings, extractor: Extractor
) -> None:
    items = _items(corpus, settings)
    expected = [_as_text(r) for r in extractor.stream(items)]
    parallel = Extractor(_with_workers(settings, 2))
    timings: dict[str, float] = {}
    got = [_as_text(r) for r in parallel.stream(items, timings)]
    assert got == expected  # same records, rejects in the same places
    assert sum(t.startswith("reject") for t in got) == 3
    assert timings["spacy"] > 0 and timings["events"] > 0  # the workers' seconds come back


def _worker_pid(articles: list[Article], timed: bool) -> tuple[list[Extraction], dict[str, float]]:
    return workers._WORKER_EXTRACTOR[0].extract(articles), {f"pid {os.getpid()}": 1.0}


def test_workers_are_replaced_after_their_share_and_nothing_changes(
    corpus: Path, settings: Settings, extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = _items(corpus, settings)
    expected = [_as_text(r) for r in extractor.stream(items)]
    # Forked workers inherit the patched module: each batch reports the pid that did it.
    monkeypatch.setattr(workers, "_extract_batch", _worker_pid)
    recycled = settings.with_overrides(
        {"nlp": {"n_process": 2, "batch_size": 2, "worker_max_articles": 2}}
    )
    pids: dict[str, float] = {}
    got = [_as_text(r) for r in Extractor(recycled).stream(items, pids)]
    assert got == expected  # same records, rejects in the same places
    # Ten articles, two per batch, pools of two workers replaced after four articles:
    # at least three pools, so more distinct worker processes than one pool has.
    assert len(pids) > 2
    never = settings.with_overrides({"nlp": {"n_process": 2, "batch_size": 2}})
    pids = {}
    assert [_as_text(r) for r in Extractor(never).stream(items, pids)] == expected
    assert len(pids) <= 2


def test_workers_give_the_one_process_store(
    corpus: Path, settings: Settings, tmp_path: Path
) -> None:
    one = tmp_path / "one.duckdb"
    report = run_to_store(_items(corpus, settings), settings, one)
    assert report.articles == 10 and len(report.rejects) == 3
    two = tmp_path / "two.duckdb"
    parallel = _with_workers(settings, 2)
    report = run_to_store(_items(corpus, parallel), parallel, two)
    assert report.articles == 10 and len(report.rejects) == 3 and report.skipped == 1
    assert_same_store(two, one)
    again = run_to_store(_items(corpus, parallel), parallel, two)
    assert again.articles == 0 and again.skipped == 11  # nothing twice
    assert_same_store(two, one)


def _die(articles: list[Article], timed: bool) -> object:
    os._exit(3)  # a worker killed mid-batch (out of memory, kill -9)


def test_a_dead_worker_is_a_worker_error(
    corpus: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Forked workers inherit the patched module, so every batch kills its worker.
    monkeypatch.setattr(workers, "_extract_batch", _die)
    parallel = Extractor(_with_workers(settings, 2))
    with pytest.raises(WorkerError, match="E009.*worker process died"):
        list(parallel.stream(_items(corpus, settings)))


def test_reprocessing_extracts_a_repeated_article_once(
    corpus: Path, settings: Settings, tmp_path: Path
) -> None:
    # Commits after every article: the repeat at the end of the input comes long after
    # the first copy was committed, and --reprocess cannot ask the store about it.
    small = settings.with_overrides({"store": {"commit_every": 1}, "nlp": {"batch_size": 1}})
    db = tmp_path / "re.duckdb"
    first = run_to_store(_items(corpus, small), small, db)
    again = run_to_store(_items(corpus, small), small, db, reprocess=True)
    assert (first.articles, first.skipped) == (10, 1)
    assert (again.articles, again.skipped) == (10, 1)
