"""`sitrep watch`: follow feeds, pages and folders, one atomic batch per poll.

Each poll asks every due source what is new (ingest/poll.py), extracts the new articles,
and writes them with the sources' new state in one transaction; then resolution and alerts
run over the store as they do after `sitrep run`. A source that fails rests (exponential
backoff, capped) while the others go on. The caller stops the loop between polls.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import httpx

from sitrep.analyze.alert_config import AlertConfig, current
from sitrep.extract.service import Extractor
from sitrep.finish import finish
from sitrep.ingest.boilerplate import strip_boilerplate
from sitrep.ingest.outlets import attribute_outlets
from sitrep.ingest.poll import Polled, Taken, Web, poll_folder, poll_url
from sitrep.kb.state_media import StateMedia, current_state_media
from sitrep.model import Article, Extraction, Reject
from sitrep.settings import Settings
from sitrep.store.db import connect
from sitrep.store.watch_state import (
    SeenEntry,
    SourceState,
    load_states,
    resolution_done,
    resolution_due,
    seen_keys,
    write_watch_state,
)
from sitrep.store.write import existing_article_ids, write_batch


@dataclass(slots=True)
class PollReport:
    """One poll: sources asked, resting or unchanged; what was stored; what went wrong."""

    number: int
    polled: int = 0
    resting: int = 0
    not_modified: int = 0
    articles: int = 0
    already_stored: int = 0
    rejects: list[Reject] = field(default_factory=list)
    errors: list[tuple[str, str, float]] = field(default_factory=list)  # source, why, rest
    stand_ins: list[tuple[str, str]] = field(default_factory=list)  # entry origin, why
    seconds: float = 0.0


class Watcher:
    """The sources, the store and an extractor (loaded at the first new article: polls
    that find nothing new never load spaCy)."""

    def __init__(
        self,
        sources: Sequence[str],
        settings: Settings,
        db: Path,
        *,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
        extractor: Extractor | None = None,
        open_store: Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]] | None = None,
    ) -> None:
        """`client`, `clock` and `extractor` are for tests (a fake clock, a loaded pipeline).
        `open_store` gives a poll its write connection for the poll's length: `serve
        --watch` passes a cursor of the server's own database (one process, one writer);
        by default the file is opened, waiting `store.lock_wait_seconds` for its lock."""
        self.sources = list(dict.fromkeys(sources))
        self.settings = settings
        self.db = db
        self.clock = clock
        self._own_client = client is None
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(settings.ingest.timeout),
            headers={"User-Agent": settings.ingest.user_agent},
            follow_redirects=False,
            trust_env=False,
        )
        self._extractor = extractor
        self._open_store = open_store or self._open_file
        self.polls = 0
        # The alert rules and weights, read at the first resolution and again only when
        # their files change (analyze/alert_config.py).
        self._alert_config: AlertConfig | None = None
        # The state-media outlets' names, read from the actor KB at the first resolution
        # and again only when an actor file changes (building the KB per poll took ~0.4 s).
        self._state_media: StateMedia | None = None

    @contextmanager
    def _open_file(self) -> Iterator[duckdb.DuckDBPyConnection]:
        store = self.settings.store
        con = connect(self.db, memory_limit=store.memory_limit, lock_wait=store.lock_wait_seconds)
        try:
            yield con
        finally:
            con.close()

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def poll(self) -> PollReport:
        """Poll every due source and store what is new as one batch."""
        started = time.perf_counter()
        self.polls += 1
        report = PollReport(self.polls)
        with self._open_store() as con:
            now = self.clock()
            states = load_states(con, self.sources)
            taken: list[tuple[str, Taken]] = []
            for source, state in states.items():
                if state.next_poll_at is not None and state.next_poll_at > now:
                    report.resting += 1
                    continue
                polled = self._poll_source(con, source, state)
                self._update(state, polled, now, report)
                taken.extend((source, entry) for entry in polled.taken)
            self._store(con, list(states.values()), taken, report)
            if resolution_due(con):
                # Alerts are delivered by `sitrep alerts --deliver/--follow`, not here.
                self._alert_config = current(self._alert_config, self.settings.analyze)
                self._state_media = current_state_media(
                    self._state_media, self.settings.extract.actor_files
                )
                finish(
                    con,
                    self.settings,
                    deliver=False,
                    alert_config=self._alert_config,
                    state_media=self._state_media.names,
                )
                resolution_done(con)
        report.seconds = time.perf_counter() - started
        return report

    def _poll_source(
        self, con: duckdb.DuckDBPyConnection, source: str, state: SourceState
    ) -> Polled:
        def seen(keys: list[str]) -> set[str]:
            return seen_keys(con, source, keys)

        if source.lower().startswith(("http://", "https://")):
            web = Web(self.settings.ingest, self.client)
            return poll_url(source, state.etag, state.last_modified, seen, web, self.settings.watch)
        return poll_folder(
            Path(source), seen, self.settings.ingest, self.settings.watch, self.clock()
        )

    def _update(self, state: SourceState, polled: Polled, now: float, report: PollReport) -> None:
        """The source's new state: validators and a reset on success, a rest on failure."""
        report.polled += 1
        state.last_polled_at = now
        if polled.kind != "url":
            state.kind = polled.kind
        if polled.error is not None:
            state.failures += 1
            watch = self.settings.watch
            rest = min(watch.backoff_max, watch.backoff_base * 2 ** (state.failures - 1))
            state.next_poll_at = now + rest
            state.last_status = f"error: {polled.error}"
            report.errors.append((state.source, polled.error, rest))
            return
        state.failures, state.next_poll_at = 0, None
        state.etag, state.last_modified = polled.etag, polled.last_modified
        if polled.not_modified:
            report.not_modified += 1
            state.last_status = "not modified"
        else:
            state.last_status = f"ok: {len(polled.taken)} new"

    def _store(
        self,
        con: duckdb.DuckDBPyConnection,
        states: list[SourceState],
        taken: list[tuple[str, Taken]],
        report: PollReport,
    ) -> None:
        """Extract the new articles and write them with the sources' state, atomically."""
        items = attribute_outlets(
            strip_boilerplate((entry.item for _, entry in taken), self.settings.ingest)
        )
        final = list(items)  # one for one, in order (both stages keep order and count)
        articles = [item for item in final if isinstance(item, Article)]
        stored = existing_article_ids(con, [a.id for a in articles])
        fresh = list({a.id: a for a in articles if a.id not in stored}.values())
        report.already_stored = len(articles) - len(fresh)
        extractions: list[Extraction] = self._extract(fresh)
        rejects = [item for item in final if isinstance(item, Reject)]
        seen = [
            SeenEntry(
                source,
                entry.key,
                item.id if isinstance(item, Article) else None,
                entry.text_from,
                entry.note,
            )
            for (source, entry), item in zip(taken, final, strict=True)
        ]
        report.stand_ins = [
            (entry.item.origin or entry.key, entry.note)
            for _, entry in taken
            if entry.note is not None
        ]

        def also(c: duckdb.DuckDBPyConnection) -> None:
            write_watch_state(c, states, seen, resolution_due=bool(extractions))

        write_batch(con, extractions, rejects, also=also)
        report.articles = len(extractions)
        report.rejects = rejects

    def _extract(self, articles: list[Article]) -> list[Extraction]:
        if not articles:
            return []
        if self._extractor is None:
            self._extractor = Extractor(self.settings)
        return self._extractor.extract_transient(articles)


def watch(
    watcher: Watcher,
    *,
    every: float,
    polls: int | None,
    stop: threading.Event,
    on_poll: Callable[[PollReport], None],
) -> int:
    """Poll until `stop` is set (checked between polls, never inside one) or `polls` polls
    are done; returns how many ran."""
    done = 0
    while not stop.is_set() and (polls is None or done < polls):
        started = time.monotonic()
        on_poll(watcher.poll())
        done += 1
        if polls is not None and done >= polls:
            break
        stop.wait(max(0.0, every - (time.monotonic() - started)))
    return done
