"""Compose the stages: ingest → nlp → extract (→ store), in one process, in batches."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from sitrep.analyze.alerts import record_alerts
from sitrep.deliver.webhook import deliver_webhook
from sitrep.extract.document import extract_article, load_knowledge
from sitrep.kb.actors import ActorKB, state_media_names
from sitrep.model import Article, Extraction, Reject
from sitrep.nlp.pipeline import load_pipeline, parse_texts
from sitrep.resolve import resolve_ordered
from sitrep.settings import Settings
from sitrep.store.db import connect
from sitrep.store.resolution import (
    resolution_articles,
    resolution_mentions,
    write_resolution,
)
from sitrep.store.write import existing_article_ids, write_batch

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from sitrep.extract.context import Knowledge


class Extractor:
    """Loads the spaCy pipeline and the knowledge once; turns articles into extractions."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nlp: Language = load_pipeline(settings.nlp)
        self.knowledge: Knowledge = load_knowledge(settings.extract)

    def extract(
        self, articles: list[Article], timings: dict[str, float] | None = None
    ) -> list[Extraction]:
        """Parse and extract; `timings`, when given, accumulates seconds per stage."""
        texts = (a.text for a in articles)
        if timings is None:
            docs: Iterable[Doc] = parse_texts(self.nlp, texts, self.settings.nlp)
        else:
            started = time.perf_counter()
            docs = list(parse_texts(self.nlp, texts, self.settings.nlp))
            timings["spacy"] = timings.get("spacy", 0.0) + time.perf_counter() - started
        return [
            extract_article(article, doc, self.knowledge, self.settings.extract, timings)
            for article, doc in zip(articles, docs, strict=True)
        ]

    def stream(
        self, items: Iterable[Article | Reject], timings: dict[str, float] | None = None
    ) -> Iterator[Extraction | Reject]:
        """Extractions and rejects in input order. All articles go through one `nlp.pipe`
        call, which reads ahead `nlp.batch_size` texts at a time, so worker processes
        (`nlp.n_process` > 1) start once and memory stays bounded by the batch. With
        `nlp.n_process` > 1, forked workers parse *and* extract (`run/workers.py`)."""
        if self.settings.nlp.n_process > 1:
            from sitrep.run.workers import stream_in_workers

            yield from stream_in_workers(self, items, timings)
            return
        pending: deque[Article | Reject] = deque()

        def texts() -> Iterator[str]:
            for item in items:
                pending.append(item)
                if isinstance(item, Article):
                    yield item.text

        docs = iter(parse_texts(self.nlp, texts(), self.settings.nlp))
        while True:
            started = time.perf_counter()
            doc = next(docs, None)
            if timings is not None:
                timings["spacy"] = timings.get("spacy", 0.0) + time.perf_counter() - started
            # Rejects read before this article (or after the last one) go out first.
            while pending and isinstance(head := pending[0], Reject):
                pending.popleft()
                yield head
            if doc is None:
                break
            article = pending.popleft()
            assert isinstance(article, Article)
            yield extract_article(article, doc, self.knowledge, self.settings.extract, timings)


@dataclass(slots=True)
class RunReport:
    articles: int = 0
    skipped: int = 0
    rejects: list[Reject] = field(default_factory=list)
    events: int = 0
    quotes: int = 0
    duplicates: int = 0
    stories: int = 0
    canonical_events: int = 0
    alerts: int = 0
    # Webhook deliveries of this run (deliver.webhook_url): delivery keys sent, given up on,
    # and due alerts left for the next pass after the receiver failed.
    delivered: list[str] = field(default_factory=list)
    delivery_failed: list[str] = field(default_factory=list)
    delivery_waiting: int = 0
    seconds: float = 0.0


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
        resolve_store(con, settings, report)
        record_and_deliver(con, settings, report)
    finally:
        con.close()
    report.seconds = time.perf_counter() - started
    return report


def record_and_deliver(
    con: duckdb.DuckDBPyConnection, settings: Settings, report: RunReport
) -> None:
    """Evaluate and store the alerts (watchlists and escalation, on every run), then POST
    the new and grown ones to the webhook, if one is set (deliver/webhook.py)."""
    alerts = record_alerts(con, settings)
    sent = deliver_webhook(con, settings.deliver, alerts)
    report.alerts = len(alerts)
    report.delivered, report.delivery_failed = sent.delivered, sent.failed
    report.delivery_waiting = sent.waiting


def resolve_store(
    con: duckdb.DuckDBPyConnection, settings: Settings, report: RunReport | None = None
) -> None:
    """Recompute copies, stories and canonical events over the whole store. It runs over
    everything stored, in a canonical order, so the result never depends on arrival order."""
    mentions = resolution_mentions(con)  # read first: the article stream holds `con`
    kb = ActorKB.load(extra_files=[*settings.extract.actor_files])
    result = resolve_ordered(
        resolution_articles(con), mentions, settings.resolve, state_media_names(kb)
    )
    write_resolution(con, result)
    if report is not None:
        report.duplicates = len(result.duplicate_of)
        report.stories = len(result.stories)
        report.canonical_events = len(result.events)


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
