"""The local engine: ingest → extract (in this process or in forked workers) → store, in
batches, then `finish` (resolve, alerts, delivery)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import duckdb

from sitrep.extract.service import Extractor
from sitrep.finish import RunReport, finish
from sitrep.model import Article, Extraction, Reject
from sitrep.settings import Settings
from sitrep.store.db import connect
from sitrep.store.write import existing_article_ids, write_batch


def run_to_store(
    items: Iterable[Article | Reject],
    settings: Settings,
    db: Path,
    *,
    reprocess: bool = False,
    on_reject: Callable[[Reject], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    extractor: Extractor | None = None,
) -> RunReport:
    """Extract everything and write it to the store, committing every `store.commit_every`
    articles. Articles already in the store are skipped unless `reprocess`, so a killed run
    started again picks up where it stopped. Everything goes through one `nlp.pipe`
    (worker processes start once); memory is bounded by the commit size, not the input.
    `extractor`, when given (the Python API's `Pipeline`), is used instead of loading one."""
    started = time.perf_counter()
    report = RunReport()
    extractor = extractor or Extractor(settings)
    con = connect(
        db,
        memory_limit=settings.store.memory_limit,
        lock_wait=settings.store.lock_wait_seconds,
    )
    size = max(1, settings.store.commit_every)
    try:
        # Ids read but not yet committed: the store cannot tell those apart from new ones.
        in_flight: set[str] = set()
        todo = _unseen(con, items, size, reprocess, report, in_flight, on_progress)
        done: list[Extraction | Reject] = []
        # Reprocessing cannot ask the store what it already did in this run: every id read
        # stays in `in_flight` until the end, so a repeated article is extracted once.
        committed = set() if reprocess else in_flight
        for result in extractor.stream(todo):
            done.append(result)
            if len(done) >= size:
                _commit(con, done, report, committed, on_reject, on_progress)
                done = []
        _commit(con, done, report, committed, on_reject, on_progress)
        finish(con, settings, report)
    finally:
        con.close()
    report.seconds = time.perf_counter() - started
    return report


def _unseen(
    con: duckdb.DuckDBPyConnection,
    items: Iterable[Article | Reject],
    size: int,
    reprocess: bool,
    report: RunReport,
    in_flight: set[str],
    on_progress: Callable[[int], None] | None,
) -> Iterator[Article | Reject]:
    """The input without articles already stored or already read in this run, checked
    against the store `size` items at a time."""
    chunk: list[Article | Reject] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield from _filter(con, chunk, reprocess, report, in_flight, on_progress)
            chunk = []
    yield from _filter(con, chunk, reprocess, report, in_flight, on_progress)


def _filter(
    con: duckdb.DuckDBPyConnection,
    chunk: list[Article | Reject],
    reprocess: bool,
    report: RunReport,
    in_flight: set[str],
    on_progress: Callable[[int], None] | None,
) -> list[Article | Reject]:
    ids = [i.id for i in chunk if isinstance(i, Article)]
    known = set() if reprocess else existing_article_ids(con, ids)
    todo: list[Article | Reject] = []
    skipped = 0
    for item in chunk:
        if isinstance(item, Article):
            if item.id in known or item.id in in_flight:
                skipped += 1
                continue
            in_flight.add(item.id)
        todo.append(item)
    report.skipped += skipped
    if on_progress and skipped:
        on_progress(skipped)
    return todo


def _commit(
    con: duckdb.DuckDBPyConnection,
    done: list[Extraction | Reject],
    report: RunReport,
    in_flight: set[str],
    on_reject: Callable[[Reject], None] | None,
    on_progress: Callable[[int], None] | None,
) -> None:
    extractions = [r for r in done if not isinstance(r, Reject)]
    rejects = [r for r in done if isinstance(r, Reject)]
    if on_reject:
        for reject in rejects:
            on_reject(reject)
    write_batch(con, extractions, rejects)
    in_flight.difference_update(e.article.id for e in extractions)
    report.articles += len(extractions)
    report.rejects.extend(rejects)
    report.events += sum(len(e.events) for e in extractions)
    report.quotes += sum(len(e.quotes) for e in extractions)
    if on_progress:
        on_progress(len(done))
