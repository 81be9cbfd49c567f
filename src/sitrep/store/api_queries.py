"""Analysis queries behind the HTTP API, the dashboard, the escalation index and the
briefing: time series, periods, actor pairs, scored events, one article with its records.
The listings (events, quotes, articles, stories, actors, places) and their `Filters` are
store/query.py's; the event day and actor pair are explained there.

All of sitrep's SQL lives in store/; callers get plain dicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import duckdb

from sitrep.extract.timing import period_end
from sitrep.store.filters import Filters
from sitrep.store.query import LISTED, facts_where, story_where
from sitrep.store.read import _rows
from sitrep.store.read_model import DAY_SQL, TARGET_SQL, facts

_EVENT_SELECT = (
    f"({DAY_SQL}) AS day, e.event_date AS date, e.type, e.mode, e.factuality, "
    "e.source_name AS source, e.source_actor_id, e.source_country, e.source_sector, "
    "e.target_name AS target, e.target_actor_id, e.target_country, e.target_sector, "
    "e.place_name AS place, e.place_country, e.lat, e.lon, e.trigger_text AS trigger, "
    "e.sentence_start, e.sentence_end, e.sentence_text AS sentence, e.intensity, "
    "e.confidence, a.outlet, a.published, a.title, e.record"
)


def _timeseries(con: duckdb.DuckDBPyConnection, q: Filters, by: str) -> tuple[str, list[Any]]:
    """The grouped query of `timeseries` (unordered) and its parameters."""
    key = {
        "type": "e.type",
        "pair": "e.source_country || '>' || e.pair_target",
        "country": "coalesce(e.place_country, e.source_country)",
        "factuality": "e.factuality",
        "all": "'all'",
    }[by]
    where, params = facts_where(q)
    where, params = story_where(q, where, params)
    sql = (
        f"SELECT day, key, count(*) AS events, round(sum(intensity), 3) AS intensity FROM ("
        f"SELECT e.day, {key} AS key, e.intensity FROM {facts(con)} e "
        f"WHERE {LISTED[q.timing]} AND {where}) "
        "WHERE day IS NOT NULL AND key IS NOT NULL GROUP BY ALL"
    )
    return sql, params


def timeseries(con: duckdb.DuckDBPyConnection, q: Filters, by: str) -> list[dict[str, Any]]:
    """Real events (by `q.timing`) per day and key: count and summed intensity (signed,
    PLOVER scale)."""
    sql, params = _timeseries(con, q, by)
    return _rows(con, f"{sql} ORDER BY day, key", params)


def timeseries_json(con: duckdb.DuckDBPyConnection, q: Filters, by: str) -> tuple[int, str]:
    """(rows, `timeseries` as a JSON array written by DuckDB): the same values once parsed
    (tested). A year or three of days × keys is ~17,000 rows at a million events, which
    cost more to turn into Python dicts and then JSON than to query."""
    sql, params = _timeseries(con, q, by)
    row = con.execute(
        "SELECT count(*), to_json(list(struct_pack(day, key, events, intensity) "
        f"ORDER BY day, key))::VARCHAR FROM ({sql})",
        params,
    ).fetchone()
    if not row or not row[0]:
        return 0, "[]"
    return int(row[0]), str(row[1])


def period(con: duckdb.DuckDBPyConnection, q: Filters) -> dict[str, str | None]:
    """The days a view of the selection spans: `since` to `until` where given, otherwise the
    first and last publication day of the articles reporting the selected events. Event
    days outside it (a plan for next autumn, a date misread as this year's) never stretch
    a time axis: what the news of the selection covers does."""
    where, params = facts_where(replace(q, since=None, until=None))
    where, params = story_where(q, where, params)
    row = con.execute(
        "SELECT min(substr(e.published, 1, 10)), max(substr(e.published, 1, 10)) "
        f"FROM {facts(con)} e WHERE {LISTED[q.timing]} AND {where}",
        params,
    ).fetchone()
    since, until = period_of(q)
    first = since or (row[0] if row else None)
    last = until or (row[1] if row else None)
    if first and last and last < first:
        last = first
    return {"first": first, "last": last}


def period_of(q: Filters) -> tuple[str | None, str | None]:
    """The first day of `q.since` and the last of `q.until` (2024-03 → 2024-03-01 and
    2024-03-31), None where not given."""
    first = (q.since + "-01-01"[len(q.since) - 4 :])[:10] if q.since else None
    end = period_end(q.until) if q.until else None
    return first, (end.isoformat() if end else q.until)


def pair_totals(
    con: duckdb.DuckDBPyConnection, weights: dict[str, float], default: float
) -> list[dict[str, Any]]:
    """Actor pairs by total escalation score, aggregated in the store: the same numbers as
    analyze.escalation.pair_totals over scored_events (score = Σ −intensity × the
    factuality's weight over the pair's canonical events with a day), without loading every
    event into Python."""
    sql = (
        "WITH w AS (SELECT unnest(?) AS factuality, unnest(?) AS weight), "
        "d AS (SELECT e.source_country, e.pair_target, e.day, "
        "sum(coalesce(-e.intensity * coalesce(w.weight, ?), 0)) AS score, count(*) AS events "
        f"FROM {facts(con)} e LEFT JOIN w ON w.factuality = e.factuality "
        "WHERE e.canonical_id IS NOT NULL AND e.day IS NOT NULL AND e.day <> '' "
        "AND coalesce(e.source_country, '') <> '' AND coalesce(e.pair_target, '') <> '' "
        "GROUP BY ALL) "
        "SELECT source_country, pair_target AS target_country, round(sum(score), 3) AS score, "
        "sum(events)::INTEGER AS events, count(*)::INTEGER AS days, min(day) AS first_day, "
        "max(day) AS last_day FROM d GROUP BY ALL "
        "ORDER BY score DESC, source_country, target_country"
    )
    names = sorted(weights)
    return _rows(con, sql, [names, [float(weights[n]) for n in names], float(default)])


def pair_days(
    con: duckdb.DuckDBPyConnection,
    pair: tuple[str, str],
    weights: dict[str, float],
    default: float,
) -> dict[str, tuple[float, list[str]]]:
    """day → (score, canonical event ids) of one source → target pair, grouped in the store:
    what analyze.escalation.daily gives for the pair over scored_events, with the same
    weights and the same summation order (ids sorted, scores added in that order)."""
    sql = (
        "WITH w AS (SELECT unnest(?) AS factuality, unnest(?) AS weight) "
        "SELECT e.day, list_sum(list(coalesce(-e.intensity * coalesce(w.weight, ?), 0) "
        "ORDER BY e.canonical_id)) AS score, list(e.canonical_id ORDER BY e.canonical_id) AS ids "
        f"FROM {facts(con)} e LEFT JOIN w ON w.factuality = e.factuality "
        "WHERE e.canonical_id IS NOT NULL AND e.source_country = ? AND e.pair_target = ? "
        "AND e.day IS NOT NULL AND e.day <> '' GROUP BY e.day ORDER BY e.day"
    )
    names = sorted(weights)
    params = [names, [float(weights[n]) for n in names], float(default), *pair]
    return {
        day: (float(score), list(ids)) for day, score, ids in con.execute(sql, params).fetchall()
    }


def scored_events(
    con: duckdb.DuckDBPyConnection,
    since: str | None = None,
    pair: tuple[str, str] | None = None,
    ids: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Every canonical event with a day, its pair and what rules match on: the input of the
    escalation index and of the watchlists (only one source → target pair, or only the
    events `ids`, when given)."""
    clauses = ["1=1"]
    params: list[Any] = []
    # The canonical events of `ids` are picked before the joins: filtered after them, the
    # planner joins every event with its article first (≈ 3× slower for a few hundred ids).
    canonical = "canonical_events"
    if ids is not None:
        canonical = "(SELECT * FROM canonical_events WHERE id IN (SELECT unnest(?::VARCHAR[])))"
        params.append(list(ids))
    if since:
        clauses.append("day >= ?")
        params.append(since)
    if pair is not None:
        clauses.append("source_country = ? AND pair_target = ?")
        params.extend(pair)
    where = " AND ".join(clauses)
    sql = (
        f"SELECT * FROM (SELECT c.id, c.story_id, c.reports, c.independent_sources, "
        f"c.outlets, c.disputes, e.id AS mention_id, e.article_id, {_EVENT_SELECT}, "
        f"{TARGET_SQL} AS pair_target FROM {canonical} c "
        "JOIN events e ON e.id = c.first_mention_id JOIN articles a ON a.id = e.article_id) "
        f"WHERE {where} ORDER BY day NULLS LAST, id"
    )
    return _rows(con, sql, params)


def article(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    """One article with every record that points into it (records as stored JSON)."""
    found = _rows(
        con,
        "SELECT id, url, title, outlet, published, text, duplicate_of, story_id "
        "FROM articles WHERE id = ?",
        [article_id],
    )
    if not found:
        return None
    result = found[0]
    by_article = [article_id]
    result["events"] = _rows(
        con,
        "SELECT e.id, c.id AS canonical_id, e.record FROM events e LEFT JOIN canonical_events c "
        "ON list_contains(c.mention_ids, e.id) WHERE e.article_id = ? ORDER BY e.sentence_start",
        by_article,
    )
    result["quotes"] = _rows(
        con, "SELECT record FROM quotes WHERE article_id = ? ORDER BY content_start", by_article
    )
    for table in ("entities", "places", "times"):
        result[table] = _rows(
            con,
            f"SELECT * EXCLUDE (article_id) FROM {table} "
            "WHERE article_id = ? ORDER BY span_start, idx",
            by_article,
        )
    return result


def article_refs(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """id → outlet, published, title (what a citation needs)."""
    rows = _rows(
        con,
        "SELECT id, outlet, published, title FROM articles WHERE id IN (SELECT unnest(?))",
        [ids],
    )
    return {r["id"]: r for r in rows}


def story_article_ids(con: duckdb.DuckDBPyConnection, story_id: str) -> list[str]:
    rows = con.execute("SELECT id FROM articles WHERE story_id = ? ORDER BY id", [story_id])
    return [r[0] for r in rows.fetchall()]


def date_range(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """First and last day any canonical event counts on, the first and last publication day
    of the articles (what the news covers: a plan for next year does not stretch it), and
    the PLOVER types present."""
    row = con.execute(
        f"SELECT min(day), max(day), list(DISTINCT type ORDER BY type) FROM {facts(con)} e "
        "WHERE e.canonical_id IS NOT NULL"
    ).fetchone()
    first, last, types = row if row else (None, None, [])
    published = con.execute(
        "SELECT min(substr(published, 1, 10)), max(substr(published, 1, 10)) FROM articles"
    ).fetchone()
    first_published, last_published = published if published else (None, None)
    return {
        "first_day": first,
        "last_day": last,
        "first_published": first_published,
        "last_published": last_published,
        "types": types or [],
    }


def event_witnesses(
    con: duckdb.DuckDBPyConnection, ids: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Every mention of every canonical event with what judging it as a witness needs: its
    own day, type, intensity, factuality, timing and explicit (never place-derived) source
    and target actors and countries,
    and the article that counts as its witness — a copy's original, with that article's
    originating outlet (the agency of wire copy, else the outlet, inferred at ingest where
    the record names none) and URL, so a reprint never counts as a second source. Only the
    mentions of the canonical events `ids` when given."""
    only = "" if ids is None else " WHERE id IN (SELECT unnest(?::VARCHAR[]))"
    sql = (
        f"SELECT m.canonical_id, e.id AS mention_id, ({DAY_SQL}) AS day, e.type, e.intensity, "
        "e.factuality, "
        "coalesce(e.timing, 'current') AS timing, e.source_actor_id, e.source_country, "
        "e.target_actor_id, e.target_country, e.source_name AS source, "
        "e.target_name AS target, e.place_name AS place, e.sentence_text AS sentence, "
        "e.sentence_start, e.sentence_end, a.published, e.article_id AS mention_article_id, "
        "o.id AS article_id, coalesce(o.wire, o.outlet) AS outlet, o.url "
        "FROM (SELECT id AS canonical_id, unnest(mention_ids) AS mention_id "
        f"FROM canonical_events{only}) m JOIN events e ON e.id = m.mention_id "
        "JOIN articles a ON a.id = e.article_id "
        "JOIN articles o ON o.id = coalesce(a.duplicate_of, a.id) "
        "ORDER BY m.canonical_id, e.id"
    )
    return _rows(con, sql, [] if ids is None else [list(ids)])


def articles_per_day(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Publication day → articles published that day, copies left out: how much news the
    store holds each day (the exposure of the escalation model)."""
    rows = con.execute(
        "SELECT substr(published, 1, 10) AS day, count(*) FROM articles "
        "WHERE duplicate_of IS NULL AND regexp_matches(published, '^\\d{4}-\\d{2}-\\d{2}') "
        "GROUP BY day"
    ).fetchall()
    return {str(day): int(n) for day, n in rows}


def last_ingest(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """When the newest article was stored (ISO, UTC as DuckDB's now()), or None."""
    row = con.execute("SELECT max(ingested_at) FROM articles").fetchone()
    last = row[0] if row else None
    return {"last_ingested": last.isoformat() if last is not None else None}


def ingested_at(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> dict[str, str]:
    """When each of these articles was stored (ISO), for the dashboard's "new" marks."""
    if not article_ids:
        return {}
    rows = con.execute(
        "SELECT id, ingested_at FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[])) "
        "AND ingested_at IS NOT NULL",
        [list(dict.fromkeys(article_ids))],
    ).fetchall()
    return {str(i): t.isoformat() for i, t in rows}
