"""How the API reaches the DuckDB file, and ingest for POST /api/articles.

DuckDB lets one process write a file, and while it writes no other process may open it.
Two ways to serve a store that is also being written (docs/api.md, "Ingest while serving"):

- per request (`sitrep serve`): each request opens the file read-only and closes it
  (or after `api.keep_open_seconds` of quiet, store/pool.py), so a `sitrep run` or `watch`
  in another process takes the write lock between requests; a request made while it holds
  the lock retries for `api.lock_wait_seconds`, then gets 503 with Retry-After. Inside this
  process one lock serialises access, because DuckDB refuses a read-only and a read-write
  connection to the same file at once in one process.
- shared (`sitrep serve --watch`): the server opens the file read-write once and is the
  only writer; the watcher thread and POST /api/articles write through cursors of that one
  database (`writer()`) while requests read through others, each seeing the last commit.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import duckdb

from sitrep.model import Article, Reject
from sitrep.settings import Settings
from sitrep.store.db import connect, file_state
from sitrep.store.pool import ReadConnection
from sitrep.store.shared import SharedDatabase

T = TypeVar("T")

if TYPE_CHECKING:
    from sitrep.analyze.alert_config import AlertConfig
    from sitrep.analyze.alerts import Alert
    from sitrep.extract.service import Extractor
    from sitrep.kb.state_media import StateMedia


@dataclass(slots=True)
class IngestReport:
    stored: list[str] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    events: int = 0
    quotes: int = 0
    alerts: int = 0


class Store:
    def __init__(self, db: Path, settings: Settings, *, shared: bool = False) -> None:
        """`shared`: hold one read-write database for the server's life (serve --watch)."""
        self.db = db
        self.settings = settings
        self._lock = threading.Lock()
        self._extractor: Extractor | None = None
        self._extractor_lock = threading.Lock()
        # Kept open while requests come, closed when idle (store/pool.py).
        self._reader = ReadConnection(
            db, settings.api.keep_open_seconds, settings.api.lock_wait_seconds
        )
        # Checkpointed and reopened as it is written (store/shared.py).
        self._shared = SharedDatabase(db, settings.store) if shared else None
        # One writer at a time in this process (the watcher, an ingest request): two
        # cursors writing the same tables would conflict at commit.
        self._write_lock = threading.Lock()
        # Writes through this process; part of the state caches are keyed on, because a
        # commit may only touch the WAL's contents without changing its size class.
        self._writes = 0
        # Alerts evaluated for one state of the file: evaluating reads every canonical
        # event, seconds on a million, and the answer only changes when the file does.
        self._alerts: tuple[tuple[int, ...], list[Alert]] | None = None
        # The alert rules and weights, read once and again only when their files change.
        self._alert_config: AlertConfig | None = None
        # The state-media outlets' names for resolving after an ingest, read once and
        # again only when an actor file changes (kb/state_media.py).
        self._state_media: StateMedia | None = None
        # The same alerts by actor pair, built once per cached list (see alerts_of_pair).
        self._by_pair: tuple[list[Alert], dict[tuple[str, str], list[Alert]]] | None = None
        # Answers of requests without parameters (pairs, stats), per state of the file.
        self._answers: dict[str, tuple[tuple[int, ...], Any]] = {}

    def version(self) -> str:
        """A short tag that changes whenever the store may have changed (the dashboard
        polls /api/stats and refreshes when it differs)."""
        return hashlib.blake2b(repr(self._file_state()).encode(), digest_size=8).hexdigest()

    def _file_state(self) -> tuple[int, ...]:
        return (self._writes, *file_state(self.db))

    def alerts(self) -> list[Alert]:
        """Every alert of the store (`evaluate_alerts`), cached until the file changes."""
        from sitrep.analyze.alert_config import current
        from sitrep.analyze.alerts import evaluate_alerts

        state = self._file_state()
        cached = self._alerts
        if cached is not None and cached[0] == state:
            return cached[1]
        self._alert_config = current(self._alert_config, self.settings.analyze)
        with self.read() as con:
            found = evaluate_alerts(con, self.settings, self._alert_config)
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
        if self._shared is not None:
            with self._shared.cursor() as cursor:
                yield cursor
            return
        with self._lock, self._reader.read() as con:
            yield con

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write connection: a cursor of the shared database, or (per request) the file
        opened read-write once this process's reader has let it go."""
        with self._write_lock:
            try:
                if self._shared is not None:
                    with self._shared.writer() as cursor:
                        yield cursor
                    return
                with self._lock:
                    self._reader.close()  # one process may not hold a reader and a writer
                    store = self.settings.store
                    con = connect(
                        self.db,
                        memory_limit=store.memory_limit,
                        lock_wait=store.lock_wait_seconds,
                    )
                    try:
                        yield con
                    finally:
                        con.close()
            finally:
                self._writes += 1
                self._alerts = None

    def close(self) -> None:
        """Release the file (at shutdown)."""
        self._reader.close()
        if self._shared is not None:
            self._shared.close()
            self._shared = None

    def _extract(self, articles: list[Article]) -> Any:
        # The spaCy pipeline loads on the first ingest only: a read-only server never pays.
        with self._extractor_lock:
            if self._extractor is None:
                from sitrep.extract.service import Extractor

                self._extractor = Extractor(self.settings)
            return self._extractor.extract_transient(articles)

    def ingest(self, records: Sequence[object]) -> IngestReport:
        """Extract and store input records (the contract's input shape), then recompute
        stories, canonical events and alerts, as `sitrep run` does."""
        from sitrep.analyze.alert_config import current
        from sitrep.finish import finish
        from sitrep.ingest.jsonl import record_to_article
        from sitrep.kb.state_media import current_state_media
        from sitrep.store.write import write_batch

        report = IngestReport()
        articles: list[Article] = []
        rejects: list[Reject] = []
        for n, record in enumerate(records, 1):
            item = record_to_article(record, f"api:{n}", self.settings.ingest)
            (articles if isinstance(item, Article) else rejects).append(item)  # type: ignore[arg-type]
        extractions = self._extract(articles) if articles else []
        with self.writer() as con:
            write_batch(con, extractions, rejects)
            # Nothing new stored: the resolution stands. Alerts are delivered by
            # `sitrep alerts --deliver/--follow`, not by a request.
            self._alert_config = current(self._alert_config, self.settings.analyze)
            self._state_media = current_state_media(
                self._state_media, self.settings.extract.actor_files
            )
            finished = finish(
                con,
                self.settings,
                resolve=bool(extractions),
                deliver=False,
                alert_config=self._alert_config,
                state_media=self._state_media.names,
            )
            report.alerts = finished.alerts
        report.stored = [e.article.id for e in extractions]
        report.rejected = [
            {"origin": r.origin, "code": r.code, "reason": r.reason} for r in rejects
        ]
        report.events = sum(len(e.events) for e in extractions)
        report.quotes = sum(len(e.quotes) for e in extractions)
        return report
