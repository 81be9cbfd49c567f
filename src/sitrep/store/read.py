"""Read queries over the store: stats, filtered listings, exports. All SQL lives in store/."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from sitrep.errors import OutputError, UsageError
from sitrep.store.read_model import DAY_SQL, facts, quote_facts

TABLES = (
    "articles",
    "entities",
    "places",
    "times",
    "quotes",
    "events",
    "rejects",
    "stories",
    "canonical_events",
)
EXPORT_FORMATS = {
    "parquet": "(FORMAT PARQUET)",
    "csv": "(FORMAT CSV, HEADER)",
    "jsonl": "(FORMAT JSON)",
}


@dataclass(frozen=True, slots=True)
class Filters:
    """Filters shared by the listing commands; None means "any"."""

    type: str | None = None
    actor: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int | None = None


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def stats(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = {}
    for table in TABLES:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def _limit(sql: str, params: list[Any], limit: int | None) -> str:
    if limit is not None:
        params.append(limit)
        return sql + " LIMIT ?"
    return sql


def date_where(column: str, since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    """`since`/`until` as YYYY[-MM[-DD]], both inclusive, over an ISO text column."""
    where: list[str] = []
    params: list[Any] = []
    if since:
        where.append(f"{column} >= ?")
        params.append(since)
    if until:
        # "until 2024-03" keeps all of March: compare only as many characters as given.
        where.append(f"substr({column}, 1, ?) <= ?")
        params.extend([len(until), until])
    return where, params


def event_where(
    *,
    type: str | None = None,
    actor: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    factuality: tuple[str, ...] = (),
    day: str = DAY_SQL,
) -> tuple[list[str], list[Any]]:
    """WHERE terms over events `e` joined to their article `a`: the one event filter of the
    CLI listings, the API, the dashboard and the briefing. `type` may list several types
    ("ASSAULT,COERCE"); dates apply to the event's day: DAY_SQL, or `day` when the relation
    has it precomputed (store/read_model.py)."""
    where: list[str] = ["1=1"]
    params: list[Any] = []
    types = [t.strip().upper() for t in (type or "").split(",") if t.strip()]
    if types:
        # list_contains, not IN (SELECT unnest(?)): the semi-join that IN becomes stops
        # DuckDB from reading the wide columns for the page's rows only (3-6× slower pages).
        where.append("list_contains(?, e.type)")
        params.append(types)
    if actor:
        where.append(
            "(e.source_name ILIKE ? OR e.target_name ILIKE ? OR e.source_actor_id ILIKE ? "
            "OR e.target_actor_id ILIKE ?)"
        )
        params.extend([f"%{actor}%"] * 4)
    if country:
        where.append("(e.source_country = ? OR e.target_country = ? OR e.place_country = ?)")
        params.extend([country.upper()] * 3)
    dates, date_params = date_where(f"({day})", since, until)
    where += dates
    params += date_params
    if factuality:
        where.append("list_contains(?, e.factuality)")
        params.append(list(factuality))
    return where, params


_EVENT_COLUMNS = (
    "e.event_date AS date, e.type, e.mode, e.factuality, "
    "e.source_name AS source, e.source_country, e.target_name AS target, "
    "e.target_country, e.place_name AS place, e.place_country, e.trigger_text AS trigger, "
    "e.intensity, e.confidence, e.sentence_text AS sentence, e.outlet, e.record"
)


def list_events(con: duckdb.DuckDBPyConnection, f: Filters) -> list[dict[str, Any]]:
    """Event mentions: one row per event found in one article (over store/read_model.py's
    `event_facts`, which has each mention's day and article columns)."""
    where, params = event_where(
        type=f.type, actor=f.actor, country=f.country, since=f.since, until=f.until, day="e.day"
    )
    sql = (
        f"SELECT e.id, e.article_id, {_EVENT_COLUMNS} FROM {facts(con)} e "
        f"WHERE {' AND '.join(where)} "
        "ORDER BY e.event_date NULLS LAST, e.article_id, e.sentence_start, e.id"
    )
    return _rows(con, _limit(sql, params, f.limit), params)


def list_canonical_events(con: duckdb.DuckDBPyConnection, f: Filters) -> list[dict[str, Any]]:
    """Canonical events: one row per real event, described by its earliest report."""
    where, params = event_where(
        type=f.type, actor=f.actor, country=f.country, since=f.since, until=f.until, day="e.day"
    )
    sql = (
        f"SELECT e.canonical_id AS id, e.first_article_id AS article_id, {_EVENT_COLUMNS}, "
        "e.reports, e.independent_sources, e.outlets, e.origin_outlet, e.state_media_only, "
        f"e.article_ids, e.mention_ids, e.story_id, e.disputes FROM {facts(con)} e "
        f"WHERE e.canonical_id IS NOT NULL AND {' AND '.join(where)} "
        "ORDER BY e.event_date NULLS LAST, e.first_reported NULLS LAST, e.canonical_id"
    )
    return _rows(con, _limit(sql, params, f.limit), params)


def quote_filters(
    actor: str | None,
    country: str | None,
    kind: str | None,
    since: str | None,
    until: str | None,
    *,
    published: str = "a.published",
) -> tuple[list[str], list[Any]]:
    """WHERE terms over quotes `q` joined to articles `a` (or over store/read_model.py's
    `quote_facts`, passing its `published` column); shared by the CLI and the API."""
    where: list[str] = ["1=1"]
    params: list[Any] = []
    if actor:
        where.append(
            "(q.speaker_name ILIKE ? OR q.speaker_actor_id ILIKE ? OR q.via_sources ILIKE ?)"
        )
        params.extend([f"%{actor}%"] * 3)
    if country:
        where.append("q.speaker_country = ?")
        params.append(country.upper())
    if kind:
        where.append("q.kind = ?")
        params.append(kind.lower())
    dates, date_params = date_where(published, since, until)
    return where + dates, params + date_params


def list_quotes(con: duckdb.DuckDBPyConnection, f: Filters) -> list[dict[str, Any]]:
    """Quotes over store/read_model.py's `quote_facts` (each quote with its article's
    columns), by publication date, article and position."""
    where, params = quote_filters(
        f.actor, f.country, f.type, f.since, f.until, published="q.published"
    )
    sql = (
        "SELECT q.id, q.article_id, q.published, q.kind, q.speaker_name AS speaker, "
        "q.speaker_country, q.via_sources AS via, q.addressee_name AS addressee, q.hedged, "
        "q.cue_text AS cue, q.content_text AS content, q.outlet, q.record "
        f"FROM {quote_facts(con)} q WHERE {' AND '.join(where)} ORDER BY q.quote_rank"
    )
    return _rows(con, _limit(sql, params, f.limit), params)


def list_articles(con: duckdb.DuckDBPyConnection, f: Filters) -> list[dict[str, Any]]:
    where, params = date_where("a.published", f.since, f.until)
    where.insert(0, "1=1")
    if f.actor:
        where.append(
            "a.id IN (SELECT article_id FROM entities WHERE name ILIKE ? OR actor_id ILIKE ?)"
        )
        params.extend([f"%{f.actor}%"] * 2)
    if f.country:
        where.append("a.id IN (SELECT article_id FROM entities WHERE country = ?)")
        params.append(f.country.upper())
    if f.type:
        where.append("a.id IN (SELECT article_id FROM events WHERE type = ?)")
        params.append(f.type.upper())
    sql = (
        "SELECT a.id, a.published, a.outlet, a.title, a.url, length(a.text) AS chars, "
        "(SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events, "
        "(SELECT count(*) FROM quotes q WHERE q.article_id = a.id) AS quotes "
        f"FROM articles a WHERE {' AND '.join(where)} ORDER BY a.published NULLS LAST, a.id"
    )
    return _rows(con, _limit(sql, params, f.limit), params)


def summary(con: duckdb.DuckDBPyConnection, top: int = 10) -> dict[str, Any]:
    """What the demo prints: counts, events by type and factuality, top actors, quotes."""
    by_type = con.execute(
        "SELECT type, count(*) FROM events GROUP BY type ORDER BY count(*) DESC, type"
    ).fetchall()
    by_fact = con.execute(
        "SELECT factuality, count(*) FROM events GROUP BY factuality ORDER BY count(*) DESC"
    ).fetchall()
    actors = con.execute(
        "SELECT name, country, sector, count(*) AS n FROM ("
        " SELECT source_name AS name, source_country AS country, source_sector AS sector"
        " FROM events WHERE source_actor_id IS NOT NULL"
        " UNION ALL SELECT target_name, target_country, target_sector FROM events"
        " WHERE target_actor_id IS NOT NULL) GROUP BY ALL ORDER BY n DESC, name LIMIT ?",
        [top],
    ).fetchall()
    quotes = _rows(
        con,
        "SELECT q.speaker_name AS speaker, q.via_sources AS via, q.kind, q.hedged, "
        "q.content_text AS content FROM quotes q JOIN articles a ON a.id = q.article_id "
        "WHERE q.speaker_actor_id IS NOT NULL ORDER BY a.published, q.article_id, "
        "q.content_start LIMIT ?",
        [top],
    )
    return {
        "counts": stats(con),
        "events_by_type": [{"type": t, "events": n} for t, n in by_type],
        "events_by_factuality": [{"factuality": t, "events": n} for t, n in by_fact],
        "top_actors": [
            {"actor": a, "country": c, "sector": s, "events": n} for a, c, s, n in actors
        ],
        "quotes": quotes,
    }


def export(con: duckdb.DuckDBPyConnection, fmt: str, out_dir: Path) -> list[Path]:
    """Every table to OUT_DIR/<table>.<fmt>; DuckDB writes the files itself."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of {sorted(EXPORT_FORMATS)}")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder {out_dir}: {exc.strerror or exc}") from exc
    written = []
    for table in TABLES:
        target = out_dir / f"{table}.{fmt}"
        escaped = str(target).replace("'", "''")
        try:
            con.execute(
                f"COPY (SELECT * FROM {table} ORDER BY ALL) TO '{escaped}' {EXPORT_FORMATS[fmt]}"
            )
        except duckdb.Error as exc:  # an unwritable folder or file, a full disk
            raise OutputError(f"cannot write {target}: {exc}") from exc
        written.append(target)
    return written


def decode_record(row: dict[str, Any]) -> dict[str, Any]:
    """The contract record stored with an event or quote row."""
    record: dict[str, Any] = json.loads(row["record"])
    return record
