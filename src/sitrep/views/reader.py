"""The Python API's reading side: `sitrep.open(path)` → a `StoreReader` whose listings take
keyword filters and return `Rows`. Each method is a thin wrapper over the listing the HTTP
API and the CLI run (store/query.py; alerts: analyze/alerts.py), with the same filters
(store/filters.py `RESOURCE_FILTERS`), so the three agree.

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

from sitrep.analyze.alerts import evaluate_alerts, select_alerts
from sitrep.errors import StoreError, UsageError
from sitrep.settings import Settings, load_settings
from sitrep.store import api_queries
from sitrep.store.db import connect
from sitrep.store.filters import ALL_ROWS, Filters, Order, Timing, validate
from sitrep.store.query import LISTINGS
from sitrep.store.read import stats
from sitrep.views.rows import Rows

# A filter naming one or several values ("ASSAULT,COERCE" or ["ASSAULT", "COERCE"]).
Names = str | Sequence[str] | None


def open_store(path: str | Path, settings: Settings | None = None) -> StoreReader:
    """A store written by `sitrep run` (or `Pipeline.run`), opened read-only. Raises
    `StoreError` when the file does not exist or is not a sitrep store."""
    return StoreReader(Path(path), settings if settings is not None else load_settings())


class StoreReader:
    """Listings over one store. Filters (each method takes those of its resource, as the
    CLI and the HTTP API do): `since`/`until` (YYYY[-MM[-DD]], inclusive; an event's day,
    an article's or quote's publication day, a story's span), `type` (PLOVER types, a list
    or comma-separated), `actor` (name or actor id, substring), `country` (ISO alpha-3),
    `factuality`, `story`, `limit` (None: every row) and `offset`. A bad value raises
    `UsageError`."""

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

    def _list(
        self, resource: str, type: Names = None, factuality: Names = None, **given: Any
    ) -> Rows:
        """One listing of store/query.py with the filters given (checked by `validate`)."""
        filters = validate(
            Filters(type=_joined(type), factuality=tuple(_names(factuality)), **given)
        )
        with self._connection() as con:
            total, rows = LISTINGS[resource](con, filters)
        return Rows.of(rows, total)

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
        place: str | None = None,
        lat: float | None = None,
        lon: float | None = None,
        timing: Timing = "current",
        mentions: bool = False,
        order: Order = "oldest",
        limit: int | None = None,
        offset: int = 0,
    ) -> Rows:
        """Canonical events: one row per real event, described by its first report, with
        `reports`, `independent_sources`, `outlets`, `story_id` and `record` (the contract
        Event as JSON text). `mentions=True`: one row per event found in one article.
        `timing`: "current" news (the default), "background" (history an article recalls)
        or "all". `place`, `lat`, `lon`: one place as `places()` lists it. By day, undated
        last: oldest first, or newest first with `order="newest"`."""
        return self._list(
            "events",
            since=since,
            until=until,
            type=type,
            actor=actor,
            country=country,
            factuality=factuality,
            story=story,
            place=place,
            lat=lat,
            lon=lon,
            timing=timing,
            mentions=mentions,
            order=order,
            limit=limit,
            offset=offset,
        )

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
        return self._list(
            "quotes",
            since=since,
            until=until,
            actor=actor,
            country=country,
            kind=kind,
            story=story,
            hedged=hedged,
            state_media=state_media,
            limit=limit,
            offset=offset,
        )

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
        return self._list(
            "stories",
            since=since,
            until=until,
            actor=actor,
            story=story,
            limit=limit,
            offset=offset,
        )

    def articles(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        type: Names = None,
        actor: str | None = None,
        country: str | None = None,
        story: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Rows:
        """Articles without their text (`article(id)` has it), by publication date, with
        `story_id`, `duplicate_of` (the original of a copy) and how many `events` and
        `quotes` each holds. `type`: articles with an event of that type; `actor`,
        `country`: articles naming such an entity."""
        return self._list(
            "articles",
            since=since,
            until=until,
            type=type,
            actor=actor,
            country=country,
            story=story,
            limit=limit,
            offset=offset,
        )

    def actors(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        type: Names = None,
        actor: str | None = None,
        country: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Rows:
        """Actors of real events with `events`, `as_source` and `as_target` counts, the
        most active first; `actor` and `country` match the actor itself."""
        return self._list(
            "actors",
            since=since,
            until=until,
            type=type,
            actor=actor,
            country=country,
            limit=limit,
            offset=offset,
        )

    def places(
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
        limit: int | None = None,
        offset: int = 0,
    ) -> Rows:
        """Places of real events with coordinates: `events`, their `types` and the ids of
        the latest (`latest_event_ids`); the busiest first."""
        return self._list(
            "places",
            since=since,
            until=until,
            type=type,
            actor=actor,
            country=country,
            factuality=factuality,
            story=story,
            timing=timing,
            limit=limit,
            offset=offset,
        )

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
            found = select_alerts(
                evaluate_alerts(con, self.settings), since=since, kind=kind, rule=rule
            )
        # Only the page becomes dicts: every alert's evidence copied costs seconds on a large
        # store (views/routes/analysis.py does the same).
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
    return (ALL_ROWS if limit is None else limit), offset


def _names(value: Names) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item.strip()]


def _joined(value: Names) -> str | None:
    return ",".join(_names(value)) or None
