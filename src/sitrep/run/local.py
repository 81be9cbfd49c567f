"""Compose the stages: ingest → nlp → extract (→ store), in one process, in batches."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from sitrep.analyze.alerts import record_alerts
from sitrep.extract.document import extract_article, load_knowledge
from sitrep.model import Article, Extraction, Reject
from sitrep.nlp.pipeline import load_pipeline, parse_texts
from sitrep.resolve import resolve
from sitrep.settings import Settings
from sitrep.store.db import connect
from sitrep.store.resolution import resolution_inputs, write_resolution
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

    def stream(self, items: Iterable[Article | Reject]) -> Iterator[Extraction | Reject]:
        """Extractions and rejects in input order, parsing articles in batches."""
        pending: list[Article | Reject] = []
        size = max(1, self.settings.nlp.batch_size)
        for item in items:
            pending.append(item)
            if sum(isinstance(p, Article) for p in pending) >= size:
                yield from self._flush(pending)
                pending = []
        yield from self._flush(pending)

    def _flush(self, pending: list[Article | Reject]) -> Iterator[Extraction | Reject]:
        articles = [p for p in pending if isinstance(p, Article)]
        done = iter(self.extract(articles))
        for item in pending:
            yield item if isinstance(item, Reject) else next(done)


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
    seconds: float = 0.0


def run_to_store(
    items: Iterable[Article | Reject],
    settings: Settings,
    db: Path,
    *,
    reprocess: bool = False,
    on_reject: Callable[[Reject], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> RunReport:
    """Extract everything and write it to the store, committing every `store.commit_every`
    articles. Articles already in the store are skipped unless `reprocess`, so a killed run
    started again picks up where it stopped."""
    started = time.perf_counter()
    report = RunReport()
    extractor = Extractor(settings)
    con = connect(db)
    try:
        chunk: list[Article | Reject] = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= settings.store.commit_every:
                _commit(con, extractor, chunk, reprocess, report, on_reject, on_progress)
                chunk = []
        _commit(con, extractor, chunk, reprocess, report, on_reject, on_progress)
        resolve_store(con, settings, report)
        record_alerts(con, settings)  # watchlists and escalation, evaluated on every run
    finally:
        con.close()
    report.seconds = time.perf_counter() - started
    return report


def resolve_store(
    con: duckdb.DuckDBPyConnection, settings: Settings, report: RunReport | None = None
) -> None:
    """Recompute copies, stories and canonical events over the whole store. It runs over
    everything stored, in a canonical order, so the result never depends on arrival order."""
    articles, mentions = resolution_inputs(con)
    result = resolve(articles, mentions, settings.resolve)
    write_resolution(con, result)
    if report is not None:
        report.duplicates = len(result.duplicate_of)
        report.stories = len(result.stories)
        report.canonical_events = len(result.events)


def _commit(
    con: duckdb.DuckDBPyConnection,
    extractor: Extractor,
    chunk: list[Article | Reject],
    reprocess: bool,
    report: RunReport,
    on_reject: Callable[[Reject], None] | None,
    on_progress: Callable[[int], None] | None,
) -> None:
    ids = [i.id for i in chunk if isinstance(i, Article)]
    known = set() if reprocess else existing_article_ids(con, ids)
    seen: set[str] = set()
    todo: list[Article | Reject] = []
    for item in chunk:
        if isinstance(item, Article):
            if item.id in known or item.id in seen:
                report.skipped += 1
                continue
            seen.add(item.id)
        todo.append(item)
    extractions: list[Extraction] = []
    rejects: list[Reject] = []
    for result in extractor.stream(todo):
        if isinstance(result, Reject):
            rejects.append(result)
            if on_reject:
                on_reject(result)
        else:
            extractions.append(result)
    write_batch(con, extractions, rejects)
    report.articles += len(extractions)
    report.rejects.extend(rejects)
    report.events += sum(len(e.events) for e in extractions)
    report.quotes += sum(len(e.quotes) for e in extractions)
    if on_progress:
        on_progress(len(chunk))
