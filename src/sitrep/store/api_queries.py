"""Read queries behind the HTTP API, the dashboard, the escalation index and the briefing.

All of sitrep's SQL lives in store/; callers get plain dicts. Two derived columns matter:

* `day`: the day an event counts on. An exact event date (YYYY-MM-DD…) wins; a coarse or
  missing date counts on the publication day when it is consistent with it ("2023-01" in
  an article of 2023-01-24); otherwise (e.g. "last fall" in a January article, PAST_REF)
  the event is background and has no day, so it never inflates a daily series.
* the actor pair: source country → target country; an event without a target whose place
  lies in another country counts against that country (troops moved *to* the border).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal, get_args

import duckdb

from sitrep.extract.timing import period_end
from sitrep.model.vocab import EventTiming
from sitrep.store.read import _rows, date_where, event_where, quote_filters
from sitrep.store.read_model import (
    DAY_SQL,
    TARGET_SQL,
    TYPE_BITS,
    facts,
    quote_facts,
    stored_types,
)

# How many of a place's events `places` lists by id (the latest); `events` counts them all,
# and `events(place=..., lat=..., lon=...)` pages through every one.
PLACE_EVENT_IDS = 20
# Which events a listing shows by their timing (extract/timing.py): current news (the
# default), background (history an article recalls; never merged across articles, so each
# is listed by its mention) or both.
# An event's own timing, or "all" for no filter.
Timing = Literal[EventTiming, "all"]
TIMINGS: tuple[Timing, ...] = get_args(Timing)
# Rows of `event_facts` a listing of real events shows, by timing: canonical events are
# current news only (store/resolution.py), background events are their mentions.
LISTED = {
    "current": "e.canonical_id IS NOT NULL",
    "background": "e.canonical_id IS NULL AND e.timing = 'background'",
    "all": "(e.canonical_id IS NOT NULL OR e.timing = 'background')",
}
# The same for the listing of every mention.
_MENTIONED = {
    "current": "e.timing <> 'background'",
    "background": "e.timing = 'background'",
    "all": "1=1",
}


# The largest row offset or page size a query may ask for: DuckDB's LIMIT and OFFSET are
# signed 64-bit, and no store holds anywhere near this many rows (the API answers 422 above).
MAX_OFFSET = 2**31 - 1


@dataclass(frozen=True, slots=True)
class Query:
    """API filters; None means "any". `factuality` is a set of allowed values."""

    type: str | None = None
    actor: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    factuality: tuple[str, ...] = ()
    story: str | None = None
    hedged: bool | None = None
    state_media: bool | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    timing: Timing = "current"
    newest_first: bool = False
    limit: int = 100
    offset: int = 0


def _event_where(q: Query, *, facts_day: bool = True) -> tuple[str, list[Any]]:
    """The shared event filter (read.event_where) over `event_facts` (alias e), whose
    `day` column is precomputed; `facts_day=False` over events joined to articles."""
    where, params = event_where(
        type=q.type,
        actor=q.actor,
        country=q.country,
        since=q.since,
        until=q.until,
        factuality=q.factuality,
        **({"day": "e.day"} if facts_day else {}),
    )
    return " AND ".join(where), params


_EVENT_SELECT = (
    f"({DAY_SQL}) AS day, e.event_date AS date, e.type, e.mode, e.factuality, "
    "e.source_name AS source, e.source_actor_id, e.source_country, e.source_sector, "
    "e.target_name AS target, e.target_actor_id, e.target_country, e.target_sector, "
    "e.place_name AS place, e.place_country, e.lat, e.lon, e.trigger_text AS trigger, "
    "e.sentence_start, e.sentence_end, e.sentence_text AS sentence, e.intensity, "
    "e.confidence, a.outlet, a.published, a.title, e.record"
)


def _total(con: duckdb.DuckDBPyConnection, base: str, params: list[Any]) -> int:
    row = con.execute(f"SELECT count(*) FROM ({base})", params).fetchone()
    return int(row[0]) if row else 0


def _page(
    con: duckdb.DuckDBPyConnection, base: str, order: str, params: list[Any], q: Query
) -> tuple[int, list[dict[str, Any]]]:
    """(total matching rows, the requested page): a count, then a top-N the engine can stop
    early on."""
    total = _total(con, base, params)
    page = _rows(con, f"{base} ORDER BY {order} LIMIT ? OFFSET ?", [*params, q.limit, q.offset])
    return total, page


def _grouped_page(
    con: duckdb.DuckDBPyConnection, base: str, order: str, params: list[Any], q: Query
) -> tuple[int, list[dict[str, Any]]]:
    """`_page` for aggregates: one pass, the total being a window over the groups computed
    before LIMIT (a separate count would aggregate twice); a page past the end counts again."""
    page = _rows(
        con,
        f"SELECT *, count(*) OVER () AS __total FROM ({base}) ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, q.limit, q.offset],
    )
    if not page:
        return (_total(con, base, params) if q.offset else 0), []
    total = int(page[0]["__total"])
    for row in page:
        del row["__total"]
    return total, page


_FACT_SELECT = (
    "e.day, e.event_date AS date, e.type, e.mode, e.factuality, e.source_name AS source, "
    "e.source_actor_id, e.source_country, e.source_sector, e.target_name AS target, "
    "e.target_actor_id, e.target_country, e.target_sector, e.place_name AS place, "
    "e.place_country, e.lat, e.lon, e.trigger_text AS trigger, e.sentence_start, "
    "e.sentence_end, e.sentence_text AS sentence, e.intensity, e.confidence, e.outlet, "
    "e.published, e.title, e.record, e.timing"
)
# The story of a listed row: a canonical event's, or a background mention's article's.
_STORY = "CASE WHEN e.canonical_id IS NULL THEN e.article_story_id ELSE e.story_id END"
# A real event's corroboration columns; a background mention is its own single report.
_CANONICAL_SELECT = (
    "coalesce(e.canonical_id, e.id) AS id, e.id AS mention_id, "
    "coalesce(e.first_article_id, e.article_id) AS article_id"
)
_CORROBORATION_SELECT = (
    "coalesce(e.reports, 1) AS reports, coalesce(e.independent_sources, 1) AS "
    "independent_sources, coalesce(e.outlets, CASE WHEN e.outlet IS NULL THEN []::VARCHAR[] "
    "ELSE [e.outlet] END) AS outlets, coalesce(e.article_ids, [e.article_id]) AS article_ids, "
    "coalesce(e.mention_ids, [e.id]) AS mention_ids, "
    "coalesce(e.origin_outlet, e.outlet) AS origin_outlet, "
    "coalesce(e.state_media_only, false) AS state_media_only, "
    f"{_STORY} AS story_id, e.disputes"
)


def _newest_first(rank: str) -> str:
    """`rank` (ascending: day, then the rest, undated last) reversed, the undated still
    after the dated (latest report first too): a newest-first order on one integer."""
    return f"e.{rank} - (e.day IS NULL)::BIGINT * 1000000000000 DESC"


def events(
    con: duckdb.DuckDBPyConnection, q: Query, *, mentions: bool = False
) -> tuple[int, list[dict[str, Any]]]:
    """Real events (canonical events, one per real event described by its first report,
    and/or background mentions, by `q.timing`) or mentions: a count and a top-N over
    `event_facts` (store/read_model.py), oldest or newest first."""
    where, params = _event_where(q)
    where, params = _place_where(q, where, params)
    relation = facts(con)
    if mentions:
        where += f" AND {_MENTIONED[q.timing]}"
        if q.story:
            where += " AND e.article_story_id = ?"
            params.append(q.story)
        base = f"SELECT e.id, e.article_id, {_FACT_SELECT} FROM {relation} e WHERE {where}"
        rank = "mention_rank"  # = day NULLS LAST, article_id, sentence_start, id
    else:
        where += f" AND {LISTED[q.timing]}"
        where, params = _story_where(q, where, params)
        base = (
            f"SELECT {_CANONICAL_SELECT}, {_FACT_SELECT}, {_CORROBORATION_SELECT} "
            f"FROM {relation} e WHERE {where}"
        )
        rank = "listing_rank"  # = day NULLS LAST, published NULLS LAST, id
    order = _newest_first(rank) if q.newest_first else f"e.{rank}"
    total = _total(con, f"SELECT 1 FROM {relation} e WHERE {where}", params)
    page = _rows(con, f"{base} ORDER BY {order} LIMIT ? OFFSET ?", [*params, q.limit, q.offset])
    return total, page


def _story_where(q: Query, where: str, params: list[Any]) -> tuple[str, list[Any]]:
    """The story filter of a listing of real events (`LISTED`)."""
    if q.story:
        # Current news alone keeps the plain column (its zone maps skip row groups).
        where += f" AND {'e.story_id' if q.timing == 'current' else _STORY} = ?"
        params.append(q.story)
    return where, params


def _place_where(q: Query, where: str, params: list[Any]) -> tuple[str, list[Any]]:
    """One place of `places` (its name and coordinates as listed there)."""
    for column, value in (("place_name", q.place), ("lat", q.lat), ("lon", q.lon)):
        if value is not None:
            where += f" AND e.{column} = ?"
            params.append(value)
    return where, params


def quotes(con: duckdb.DuckDBPyConnection, q: Query) -> tuple[int, list[dict[str, Any]]]:
    """Quotes with their article's columns: a count and a top-N over `quote_facts`
    (store/read_model.py), in the order of its `quote_rank`."""
    where, params = quote_filters(
        q.actor, q.country, q.type, q.since, q.until, published="q.published"
    )
    if q.story:
        where.append("q.story_id = ?")
        params.append(q.story)
    if q.hedged is not None:
        where.append("q.hedged = ?")
        params.append(q.hedged)
    if q.state_media is not None:
        # The via chain is typed by the actor KB; state media is source_type "state_media".
        where.append(("" if q.state_media else "NOT ") + "contains(q.record, '\"state_media\"')")
    relation, matching = quote_facts(con), " AND ".join(where)
    total = _total(con, f"SELECT 1 FROM {relation} q WHERE {matching}", params)
    # The page's ranks first, then its wide columns by rank: a top-N over every column
    # reads them for all matching quotes (3× slower at a million events).
    ranks = (
        f"SELECT q.quote_rank FROM {relation} q WHERE {matching} "
        "ORDER BY q.quote_rank LIMIT ? OFFSET ?"
    )
    page = _rows(
        con,
        "SELECT q.id, q.article_id, q.published, q.outlet, q.title, q.kind, "
        "q.speaker_name AS speaker, q.speaker_actor_id, q.speaker_country, q.speaker_sector, "
        "q.via_sources AS via, q.addressee_name AS addressee, q.hedged, q.cue_text AS cue, "
        "q.content_start, q.content_end, q.content_text AS content, q.story_id, q.record "
        f"FROM {relation} q WHERE q.quote_rank IN ({ranks}) ORDER BY q.quote_rank",
        [*params, q.limit, q.offset],
    )
    return total, page


def stories(con: duckdb.DuckDBPyConnection, q: Query) -> tuple[int, list[dict[str, Any]]]:
    """Stories with corroboration: canonical events, their reports and the best-sourced one."""
    where = ["1=1"]
    params: list[Any] = []
    if q.since:
        where.append("s.last_seen >= ?")
        params.append(q.since)
    if q.until:
        where.append("substr(s.first_seen, 1, ?) <= ?")
        params.extend([len(q.until), q.until])
    if q.actor:
        # No lambda: DuckDB 2 refuses `x -> f(x)` and DuckDB < 1.3 lacks `lambda x: f(x)`.
        where.append("EXISTS (SELECT 1 FROM (SELECT unnest(s.key_actors) AS k) WHERE k ILIKE ?)")
        params.append(f"%{q.actor}%")  # a substring, as for events and quotes
    if q.story:
        where.append("s.story_id = ?")
        params.append(q.story)
    base = (
        "SELECT s.story_id, s.title, s.first_seen, s.last_seen, s.articles, s.outlets, "
        "s.key_actors, s.article_ids, coalesce(c.events, 0) AS events, "
        "coalesce(c.reports, 0) AS reports, "
        "coalesce(c.independent_sources, 0) AS independent_sources "
        "FROM stories s LEFT JOIN (SELECT story_id, count(*) AS events, "
        "sum(reports) AS reports, max(independent_sources) AS independent_sources "
        "FROM canonical_events GROUP BY story_id) c ON c.story_id = s.story_id "
        f"WHERE {' AND '.join(where)}"
    )
    return _grouped_page(con, base, "articles DESC, first_seen NULLS LAST, story_id", params, q)


def actors(con: duckdb.DuckDBPyConnection, q: Query) -> tuple[int, list[dict[str, Any]]]:
    """Actors of canonical events, with how often they act and are acted on."""
    where, params = _event_where(Query(since=q.since, until=q.until, type=q.type))
    relation = facts(con)
    sides = []
    for side, role in (("source", "as_source"), ("target", "as_target")):
        sides.append(
            f"SELECT coalesce(e.{side}_actor_id, lower(e.{side}_name)) AS key, "
            f"e.{side}_name AS name, e.{side}_actor_id AS actor_id, "
            f"e.{side}_country AS country, e.{side}_sector AS sector, '{role}' AS role "
            f"FROM {relation} e WHERE e.canonical_id IS NOT NULL AND {where} "
            f"AND e.{side}_name IS NOT NULL"
        )
    having = ""
    extra: list[Any] = []
    if q.actor:
        having = "WHERE name ILIKE ? OR actor_id ILIKE ?"
        extra = [f"%{q.actor}%"] * 2
    if q.country:
        having += (" AND " if having else "WHERE ") + "country = ?"
        extra.append(q.country.upper())
    base = (
        "SELECT any_value(actor_id) AS actor_id, mode(name) AS name, any_value(country) "
        "AS country, any_value(sector) AS sector, count(*) AS events, "
        "count(*) FILTER (role = 'as_source') AS as_source, "
        "count(*) FILTER (role = 'as_target') AS as_target "
        f"FROM ({' UNION ALL '.join(sides)}) {having} GROUP BY key"
    )
    return _grouped_page(con, base, "events DESC, name", [*params, *params, *extra], q)


# A place's latest events first: dated ones by the listing order reversed, then those
# without a day.
_LATEST_FIRST = "e.listing_rank - (e.day IS NULL)::BIGINT * 1000000000000"


def places(con: duckdb.DuckDBPyConnection, q: Query) -> tuple[int, list[dict[str, Any]]]:
    """Places of canonical events with coordinates: how many events, their PLOVER types and
    the ids of the latest `PLACE_EVENT_IDS` (by day; events without a day after the rest)."""
    where, params = _event_where(q)
    where, params = _story_where(q, where, params)
    relation = facts(con)
    # Over the fresh table a place is one integer (place_key), its types one bit each
    # (type_bit) and, unfiltered, its latest events are numbered (place_recency): a
    # four-column key, a DISTINCT list and a top-N per place cost most of the query.
    # The live relation gives the same answer the plain way.
    fresh = relation == "event_facts"
    types = stored_types(con) if fresh else []
    by_bits = 0 < len(types) < TYPE_BITS
    place = (
        "any_value(e.place_name) AS name, any_value(e.place_country) AS country, "
        "any_value(e.lat) AS lat, any_value(e.lon) AS lon"
        if fresh
        else "e.place_name AS name, e.place_country AS country, e.lat, e.lon"
    )
    type_list = "bit_or(e.type_bit)" if by_bits else "list(DISTINCT e.type ORDER BY e.type)"
    latest = (
        "list(e.canonical_id ORDER BY e.place_recency) "
        f"FILTER (e.place_recency <= {PLACE_EVENT_IDS})"
        if fresh and where == "1=1" and q.timing == "current"
        else f"max_by(coalesce(e.canonical_id, e.id), {_LATEST_FIRST}, {PLACE_EVENT_IDS})"
    )
    base = (
        f"SELECT {place}, count(*) AS events, {type_list} AS types, "
        f"{latest} AS latest_event_ids FROM {relation} e "
        f"WHERE {LISTED[q.timing]} AND {where} AND e.lat IS NOT NULL "
        f"AND e.lon IS NOT NULL GROUP BY {'e.place_key' if fresh else 'ALL'}"
    )
    order = "events DESC, name, country, lat, lon"
    total, page = _grouped_page(con, base, order, params, q)
    if by_bits:
        decode: list[str | None] = [*types, None]  # a missing type ranks last
        for row in page:
            row["types"] = [t for i, t in enumerate(decode) if row["types"] >> i & 1]
    return total, page


def _timeseries(con: duckdb.DuckDBPyConnection, q: Query, by: str) -> tuple[str, list[Any]]:
    """The grouped query of `timeseries` (unordered) and its parameters."""
    key = {
        "type": "e.type",
        "pair": "e.source_country || '>' || e.pair_target",
        "country": "coalesce(e.place_country, e.source_country)",
        "factuality": "e.factuality",
        "all": "'all'",
    }[by]
    where, params = _event_where(q)
    where, params = _story_where(q, where, params)
    sql = (
        f"SELECT day, key, count(*) AS events, round(sum(intensity), 3) AS intensity FROM ("
        f"SELECT e.day, {key} AS key, e.intensity FROM {facts(con)} e "
        f"WHERE {LISTED[q.timing]} AND {where}) "
        "WHERE day IS NOT NULL AND key IS NOT NULL GROUP BY ALL"
    )
    return sql, params


def timeseries(con: duckdb.DuckDBPyConnection, q: Query, by: str) -> list[dict[str, Any]]:
    """Real events (by `q.timing`) per day and key: count and summed intensity (signed,
    PLOVER scale)."""
    sql, params = _timeseries(con, q, by)
    return _rows(con, f"{sql} ORDER BY day, key", params)


def timeseries_json(con: duckdb.DuckDBPyConnection, q: Query, by: str) -> tuple[int, str]:
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


def period(con: duckdb.DuckDBPyConnection, q: Query) -> dict[str, str | None]:
    """The days a view of the selection spans: `since` to `until` where given, otherwise the
    first and last publication day of the articles reporting the selected events. Event
    days outside it (a plan for next autumn, a date misread as this year's) never stretch
    a time axis: what the news of the selection covers does."""
    where, params = _event_where(replace(q, since=None, until=None))
    where, params = _story_where(q, where, params)
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


def period_of(q: Query) -> tuple[str | None, str | None]:
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
) -> list[dict[str, Any]]:
    """Every canonical event with a day, its pair and what rules match on: the input of the
    escalation index and of the watchlists (only one source → target pair when given)."""
    clauses = ["1=1"]
    params: list[Any] = []
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
        f"{TARGET_SQL} AS pair_target FROM canonical_events c "
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


def articles(con: duckdb.DuckDBPyConnection, q: Query) -> tuple[int, list[dict[str, Any]]]:
    where, params = date_where("a.published", q.since, q.until)
    where.insert(0, "1=1")
    if q.story:
        where.append("a.story_id = ?")
        params.append(q.story)
    base = (
        "SELECT a.id, a.published, a.outlet, a.title, a.url, a.story_id, a.duplicate_of, "
        "length(a.text) AS chars FROM articles a "
        f"WHERE {' AND '.join(where)}"
    )
    return _page(con, base, "published NULLS LAST, id", params, q)


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


def event_witnesses(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every mention of every canonical event with what judging it as a witness needs: its
    own day, type, intensity, factuality, timing and explicit (never place-derived) source
    and target actors and countries,
    and the article that counts as its witness — a copy's original, with that article's
    originating outlet (the agency of wire copy, else the outlet, inferred at ingest where
    the record names none) and URL, so a reprint never counts as a second source."""
    sql = (
        f"SELECT m.canonical_id, e.id AS mention_id, ({DAY_SQL}) AS day, e.type, e.intensity, "
        "e.factuality, "
        "coalesce(e.timing, 'current') AS timing, e.source_actor_id, e.source_country, "
        "e.target_actor_id, e.target_country, e.source_name AS source, "
        "e.target_name AS target, e.place_name AS place, e.sentence_text AS sentence, "
        "e.sentence_start, e.sentence_end, a.published, e.article_id AS mention_article_id, "
        "o.id AS article_id, coalesce(o.wire, o.outlet) AS outlet, o.url "
        "FROM (SELECT id AS canonical_id, unnest(mention_ids) AS mention_id "
        "FROM canonical_events) m JOIN events e ON e.id = m.mention_id "
        "JOIN articles a ON a.id = e.article_id "
        "JOIN articles o ON o.id = coalesce(a.duplicate_of, a.id) "
        "ORDER BY m.canonical_id, e.id"
    )
    return _rows(con, sql, [])


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
