"""The Python API's reading side: `sitrep.open(path)` → a `StoreReader` whose listings take
keyword filters and return `Rows`. Each method is a thin wrapper over the query the HTTP
API runs (store/api_queries.py; alerts: analyze/alerts.py), so the three agree.

Read-only: a store is never created or written here (`Pipeline.run` writes one). Every call
opens the file read-only and closes it again, as the server does, so a `sitrep run` in
another process can take the write lock between calls.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from sitrep.analyze.alerts import evaluate_alerts
from sitrep.errors import StoreError, UsageError
from sitrep.settings import Settings, load_settings
from sitrep.store import api_queries
from sitrep.store.api_queries import Query, Timing
from sitrep.store.db import connect
from sitrep.store.read import stats
from sitrep.views.rows import Rows

# `limit=None` asks for every row; the queries take a number (DuckDB's LIMIT is a BIGINT).
_ALL_ROWS = 2**62
# A filter naming one or several values ("ASSAULT,COERCE" or ["ASSAULT", "COERCE"]).
Names = str | Sequence[str] | None


def open_store(path: str | Path, settings: Settings | None = None) -> StoreReader:
    """A store written by `sitrep run` (or `Pipeline.run`), opened read-only. Raises
    `StoreError` when the file does not exist or is not a sitrep store."""
    return StoreReader(Path(path), settings if settings is not None else load_settings())


class StoreReader:
    """Listings over one store. Filters that apply: `since`/`until` (YYYY[-MM[-DD]],
    inclusive; an event's day, an article's or quote's publication day, a story's span),
    `type` (PLOVER types), `actor` (name or actor id, substring), `country` (ISO alpha-3),
    `story`, `limit` (None: every row) and `offset`."""

    def __init__(self, path: Path, settings: Settings) -> None:
        self.path = path
        self.settings = settings
        with self._connection():
            pass  # fail now, with a clear message, rather than at the first listing

    def __repr__(self) -> str:
        return f"StoreReader({str(self.path)!r})"

    @contextmanager
    def _connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self.path.is_dir():
            raise StoreError(f"store {self.path} is a folder, not a store file")
        if not self.path.is_file():
            raise StoreError(
                f"store {self.path} does not exist (create it with `sitrep run` or Pipeline.run)"
            )
        con = connect(self.path, read_only=True)
        try:
            yield con
        finally:
            con.close()

    def events(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        type: Names = None,
        actor: str | None = None,
        country: str | None = None,
        factuality: Names = None,
        story: str | None = None,
        timing: Timing = "current",
        mentions: bool = False,
        newest_first: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> Rows:
        """Canonical events: one row per real event, described by its first report, with
        `reports`, `independent_sources`, `outlets`, `story_id` and `record` (the contract
        Event as JSON text). `mentions=True`: one row per event found in one article.
        `timing`: "current" news (the default), "background" (history an article recalls)
        or "all". Oldest first (by day, undated last) unless `newest_first`."""
        if timing not in api_queries.TIMINGS:
            raise UsageError(f"timing must be one of {api_queries.TIMINGS}, not {timing!r}")
        limit_, offset_ = _page(limit, offset)
        query = Query(
            type=_joined(type),
            actor=actor,
            country=country,
            since=since,
            until=until,
            factuality=tuple(f.lower() for f in _names(factuality)),
            story=story,
            timing=timing,
            newest_first=newest_first,
            limit=limit_,
            offset=offset_,
        )
        with self._connection() as con:
            total, rows = api_queries.events(con, query, mentions=mentions)
        return Rows.of(rows, total)

    def quotes(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        country: str | None = None,
        kind: str | None = None,
        story: str | None = None,
        hedged: bool | None = None,
        state_media: bool | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Rows:
        """Quotes with speaker, `via` chain, `hedged`, content and article; `actor` matches
        the speaker or a source of the chain, `country` the speaker's, `kind` is "direct",
        "indirect" or "mixed", `state_media` keeps quotes relayed (or, False, not) by state
        media. By publication date, article and position."""
        limit_, offset_ = _page(limit, offset)
        query = Query(
            type=kind,  # the quote filter reads its kind from `type` (store/read.py)
            actor=actor,
            country=country,
            since=since,
            until=until,
            story=story,
            hedged=hedged,
            state_media=state_media,
            limit=limit_,
            offset=offset_,
        )
        with self._connection() as con:
            total, rows = api_queries.quotes(con, query)
        return Rows.of(rows, total)

    def stories(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        story: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Rows:
        """Stories (articles about one matter across outlets) with their outlets, key
        actors, canonical events, summed reports and best `independent_sources`; the
        largest first. `since`/`until` keep stories whose span meets the period."""
        limit_, offset_ = _page(limit, offset)
        query = Query(
            actor=actor, since=since, until=until, story=story, limit=limit_, offset=offset_
        )
        with self._connection() as con:
            total, rows = api_queries.stories(con, query)
        return Rows.of(rows, total)

    def articles(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        story: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Rows:
        """Articles without their text (`article(id)` has it), by publication date, with
        `story_id` and `duplicate_of` (the original of a copy)."""
        limit_, offset_ = _page(limit, offset)
        query = Query(since=since, until=until, story=story, limit=limit_, offset=offset_)
        with self._connection() as con:
            total, rows = api_queries.articles(con, query)
        return Rows.of(rows, total)

    def alerts(
        self,
        *,
        since: str | None = None,
        kind: str | None = None,
        rule: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Rows:
        """Alerts the store's events raise under the settings' rules (escalation and
        watchlists), newest first, each with `why` and its `evidence` (a list of dicts);
        `since` keeps alerts whose last day is on or after it, `kind` is "escalation" or
        "watchlist", `rule` a watchlist rule id."""
        limit, offset = _page(limit, offset)
        with self._connection() as con:
            found = [
                a
                for a in evaluate_alerts(con, self.settings)
                if (kind is None or a.kind == kind)
                and (rule is None or a.rule == rule)
                and (since is None or a.last_day >= since)
            ]
        # Only the page becomes dicts: every alert's evidence copied costs seconds on a large
        # store (views/api_analysis.py does the same).
        page = found[offset : offset + limit]
        return Rows.of([a.as_dict() for a in page], len(found))

    def stats(self) -> dict[str, int]:
        """Rows per table (articles, events, quotes, stories, canonical_events, …)."""
        with self._connection() as con:
            return stats(con)

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One article with its text and every record that points into it; None if absent."""
        with self._connection() as con:
            return api_queries.article(con, article_id)


def _page(limit: int | None, offset: int) -> tuple[int, int]:
    """(limit, offset) as the queries take them, checked."""
    if limit is not None and limit < 0:
        raise UsageError(f"limit must be 0 or more (None for every row), not {limit}")
    if offset < 0:
        raise UsageError(f"offset must be 0 or more, not {offset}")
    return (_ALL_ROWS if limit is None else limit), offset


def _names(value: Names) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item.strip()]


def _joined(value: Names) -> str | None:
    return ",".join(_names(value)) or None
