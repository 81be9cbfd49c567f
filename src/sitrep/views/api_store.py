"""How the API reaches the DuckDB file, and ingest for POST /api/articles.

DuckDB lets one process write a file, and while it writes no other process may open it.
So the API holds its read-only connection only while requests keep coming and closes it
after `api.keep_open_seconds` of quiet (store/pool.py); a `sitrep run` in another process
can take the write lock in between (requests made while it holds the lock get 503 "store
busy"). Inside this process one lock
serialises access, because DuckDB refuses a read-only and a read-write connection to the
same file at once in one process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import duckdb

from sitrep.model import Article, Reject
from sitrep.settings import Settings
from sitrep.store.db import connect
from sitrep.store.pool import ReadConnection

T = TypeVar("T")

if TYPE_CHECKING:
    from sitrep.analyze.alerts import Alert
    from sitrep.extract.service import Extractor


@dataclass(slots=True)
class IngestReport:
    stored: list[str] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    events: int = 0
    quotes: int = 0
    alerts: int = 0


class Store:
    def __init__(self, db: Path, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._lock = threading.Lock()
        self._extractor: Extractor | None = None
        self._extractor_lock = threading.Lock()
        # Kept open while requests come, closed when idle (store/pool.py).
        self._reader = ReadConnection(db, settings.api.keep_open_seconds)
        # Alerts evaluated for one state of the file: evaluating reads every canonical
        # event, seconds on a million, and the answer only changes when the file does.
        self._alerts: tuple[tuple[int, ...], list[Alert]] | None = None
        # The same alerts by actor pair, built once per cached list (see alerts_of_pair).
        self._by_pair: tuple[list[Alert], dict[tuple[str, str], list[Alert]]] | None = None
        # Answers of requests without parameters (pairs, stats), per state of the file.
        self._answers: dict[str, tuple[tuple[int, ...], Any]] = {}

    def _file_state(self) -> tuple[int, ...]:
        state: list[int] = []
        for path in (self.db, self.db.with_name(self.db.name + ".wal")):
            try:
                info = path.stat()
            except OSError:
                state += [0, 0]
            else:
                state += [info.st_mtime_ns, info.st_size]
        return tuple(state)

    def alerts(self) -> list[Alert]:
        """Every alert of the store (`evaluate_alerts`), cached until the file changes."""
        from sitrep.analyze.alerts import evaluate_alerts

        state = self._file_state()
        cached = self._alerts
        if cached is not None and cached[0] == state:
            return cached[1]
        with self.read() as con:
            found = evaluate_alerts(con, self.settings)
        self._alerts = (state, found)
        return found

    def answer(self, name: str, compute: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """`compute` over the store, reused until the file changes: for requests that take
        no filters, whose answer depends on the store alone (pairs: a grouped pass over
        every canonical event, ~80 ms on a million)."""
        state = self._file_state()
        cached = self._answers.get(name)
        if cached is not None and cached[0] == state:
            return cast(T, cached[1])
        with self.read() as con:
            found = compute(con)
        self._answers[name] = (state, found)
        return found

    def alerts_of_pair(self, pair: tuple[str, str]) -> list[Alert]:
        """The alerts about one source → target pair, in `alerts()` order: those of the
        pair and those whose evidence has an event of it. Indexed once per cached list,
        because scanning every alert's evidence costs ~0.2 s a request on a large store."""
        found = self.alerts()
        indexed = self._by_pair
        if indexed is None or indexed[0] is not found:
            index: dict[tuple[Any, Any], list[Alert]] = {}
            for alert in found:
                pairs = {(alert.source_country, alert.target_country)}
                pairs.update(
                    (e.get("source_country"), e.get("pair_target")) for e in alert.evidence
                )
                for key in pairs:
                    index.setdefault(key, []).append(alert)
            indexed = (found, index)
            self._by_pair = indexed
        return indexed[1].get(pair, [])

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock, self._reader.read() as con:
            yield con

    def _extract(self, articles: list[Article]) -> Any:
        # The spaCy pipeline loads on the first ingest only: a read-only server never pays.
        with self._extractor_lock:
            if self._extractor is None:
                from sitrep.extract.service import Extractor

                self._extractor = Extractor(self.settings)
            return self._extractor.extract(articles)

    def ingest(self, records: Sequence[object]) -> IngestReport:
        """Extract and store input records (the contract's input shape), then recompute
        stories, canonical events and alerts, as `sitrep run` does."""
        from sitrep.finish import finish
        from sitrep.ingest.jsonl import record_to_article
        from sitrep.store.write import write_batch

        report = IngestReport()
        articles: list[Article] = []
        rejects: list[Reject] = []
        for n, record in enumerate(records, 1):
            item = record_to_article(record, f"api:{n}", self.settings.ingest)
            (articles if isinstance(item, Article) else rejects).append(item)  # type: ignore[arg-type]
        extractions = self._extract(articles) if articles else []
        with self._lock:
            self._reader.close()  # one process may not hold a read-only and a writer
            self._alerts = None
            con = connect(self.db)
            try:
                write_batch(con, extractions, rejects)
                # Nothing new stored: the resolution stands. Alerts are delivered by
                # `sitrep alerts --deliver/--follow`, not by a request.
                finished = finish(con, self.settings, resolve=bool(extractions), deliver=False)
                report.alerts = finished.alerts
            finally:
                con.close()
        report.stored = [e.article.id for e in extractions]
        report.rejected = [
            {"origin": r.origin, "code": r.code, "reason": r.reason} for r in rejects
        ]
        report.events = sum(len(e.events) for e in extractions)
        report.quotes = sum(len(e.quotes) for e in extractions)
        return report
