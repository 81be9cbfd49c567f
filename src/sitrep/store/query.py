"""The one query layer: `Filters` and one listing per resource, each returning
`(total matching rows, the requested page)`. The CLI listings, the Python API
(views/reader.py) and the HTTP routes (views/routes/) all call these, so a filter means the
same rows everywhere and `RESOURCE_FILTERS` says which filters each resource takes.

Event listings read store/read_model.py's `event_facts` (precomputed day, listing ranks,
place keys); quotes read `quote_facts`. Two derived columns matter:

* `day`: the day an event counts on. An exact event date (YYYY-MM-DD…) wins; a coarse or
  missing date counts on the publication day when it is consistent with it ("2023-01" in
  an article of 2023-01-24); otherwise (e.g. "last fall" in a January article, PAST_REF)
  the event is background and has no day, so it never inflates a daily series.
* the actor pair: source country → target country; an event without a target whose place
  lies in another country counts against that country (troops moved *to* the border).
"""

from __future__ import annotations

from typing import Any

import duckdb

from sitrep.store.filters import ALL_ROWS, Filters, names
from sitrep.store.read import _rows
from sitrep.store.read_model import DAY_SQL, TYPE_BITS, facts, quote_facts, stored_types

# How many of a place's events `places` lists by id (the latest); `events` counts them all,
# and `events(place=..., lat=..., lon=...)` pages through every one.
PLACE_EVENT_IDS = 20
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


def event_where(f: Filters, *, day: str = DAY_SQL) -> tuple[list[str], list[Any]]:
    """WHERE terms over events `e` (joined to their article `a`, or `event_facts`): the one
    event filter of the listings, the exports, the dashboard and the briefing. `type` may
    list several types ("ASSAULT,COERCE"); dates apply to the event's day: DAY_SQL, or
    `day` when the relation has it precomputed (store/read_model.py)."""
    where: list[str] = ["1=1"]
    params: list[Any] = []
    types = names(f.type)
    if types:
        # list_contains, not IN (SELECT unnest(?)): the semi-join that IN becomes stops
        # DuckDB from reading the wide columns for the page's rows only (3-6× slower pages).
        where.append("list_contains(?, e.type)")
        params.append(types)
    if f.actor:
        where.append(
            "(e.source_name ILIKE ? OR e.target_name ILIKE ? OR e.source_actor_id ILIKE ? "
            "OR e.target_actor_id ILIKE ?)"
        )
        params.extend([f"%{f.actor}%"] * 4)
    if f.country:
        where.append("(e.source_country = ? OR e.target_country = ? OR e.place_country = ?)")
        params.extend([f.country.upper()] * 3)
    dates, date_params = date_where(f"({day})", f.since, f.until)
    where += dates
    params += date_params
    if f.factuality:
        where.append("list_contains(?, e.factuality)")
        params.append([v.lower() for v in f.factuality])
    return where, params


def facts_where(f: Filters) -> tuple[str, list[Any]]:
    """`event_where` over `event_facts` (alias e), whose `day` column is precomputed."""
    where, params = event_where(f, day="e.day")
    return " AND ".join(where), params


def story_where(f: Filters, where: str, params: list[Any]) -> tuple[str, list[Any]]:
    """The story filter of a listing of real events (`LISTED`)."""
    if f.story:
        # Current news alone keeps the plain column (its zone maps skip row groups).
        where += f" AND {'e.story_id' if f.timing == 'current' else _STORY} = ?"
        params.append(f.story)
    return where, params


def _limit(f: Filters) -> int:
    return ALL_ROWS if f.limit is None else f.limit


def _total(con: duckdb.DuckDBPyConnection, base: str, params: list[Any]) -> int:
    row = con.execute(f"SELECT count(*) FROM ({base})", params).fetchone()
    return int(row[0]) if row else 0


def _counted(
    con: duckdb.DuckDBPyConnection,
    matching: str,
    params: list[Any],
    f: Filters,
    page: list[dict[str, Any]],
) -> int:
    """How many rows match: known from a page shorter than asked for (the last page, e.g.
    every row of a listing without a limit; an empty first page), otherwise counted over
    `matching` (a full page, `limit=0`, or an empty page past the start)."""
    if len(page) < _limit(f) and (page or not f.offset):
        return f.offset + len(page)
    return _total(con, matching, params)


def _page(
    con: duckdb.DuckDBPyConnection, base: str, order: str, params: list[Any], f: Filters
) -> tuple[int, list[dict[str, Any]]]:
    """(total matching rows, the requested page): a top-N the engine can stop early on,
    then a count unless the page tells the total."""
    page = _rows(con, f"{base} ORDER BY {order} LIMIT ? OFFSET ?", [*params, _limit(f), f.offset])
    return _counted(con, base, params, f, page), page


def _grouped_page(
    con: duckdb.DuckDBPyConnection, base: str, order: str, params: list[Any], f: Filters
) -> tuple[int, list[dict[str, Any]]]:
    """`_page` for aggregates: one pass, the total being a window over the groups computed
    before LIMIT (a separate count would aggregate twice); an empty page past the end, or of
    `limit=0`, counts again."""
    page = _rows(
        con,
        f"SELECT *, count(*) OVER () AS __total FROM ({base}) ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, _limit(f), f.offset],
    )
    if not page:
        return (_total(con, base, params) if f.offset or not _limit(f) else 0), []
    total = int(page[0]["__total"])
    for row in page:
        del row["__total"]
    return total, page


# What an event row shows, over `event_facts` (the one event SELECT of the listings).
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


def events(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    """Real events (canonical events, one per real event described by its first report,
    and/or background mentions, by `f.timing`) or, `f.mentions`, every mention: a count and
    a top-N over `event_facts` (store/read_model.py), oldest or newest first."""
    where, params = facts_where(f)
    where, params = _place_where(f, where, params)
    relation = facts(con)
    if f.mentions:
        where += f" AND {_MENTIONED[f.timing]}"
        if f.story:
            where += " AND e.article_story_id = ?"
            params.append(f.story)
        base = f"SELECT e.id, e.article_id, {_FACT_SELECT} FROM {relation} e WHERE {where}"
        rank = "mention_rank"  # = day NULLS LAST, article_id, sentence_start, id
    else:
        where += f" AND {LISTED[f.timing]}"
        where, params = story_where(f, where, params)
        base = (
            f"SELECT {_CANONICAL_SELECT}, {_FACT_SELECT}, {_CORROBORATION_SELECT} "
            f"FROM {relation} e WHERE {where}"
        )
        rank = "listing_rank"  # = day NULLS LAST, published NULLS LAST, id
    order = _newest_first(rank) if f.order == "newest" else f"e.{rank}"
    total = _total(con, f"SELECT 1 FROM {relation} e WHERE {where}", params)
    page = _rows(con, f"{base} ORDER BY {order} LIMIT ? OFFSET ?", [*params, _limit(f), f.offset])
    return total, page


def _place_where(f: Filters, where: str, params: list[Any]) -> tuple[str, list[Any]]:
    """One place of `places` (its name and coordinates as listed there)."""
    for column, value in (("place_name", f.place), ("lat", f.lat), ("lon", f.lon)):
        if value is not None:
            where += f" AND e.{column} = ?"
            params.append(value)
    return where, params


def _quote_where(f: Filters) -> tuple[list[str], list[Any]]:
    """WHERE terms over `quote_facts` (alias q)."""
    where: list[str] = ["1=1"]
    params: list[Any] = []
    if f.actor:
        where.append(
            "(q.speaker_name ILIKE ? OR q.speaker_actor_id ILIKE ? OR q.via_sources ILIKE ?)"
        )
        params.extend([f"%{f.actor}%"] * 3)
    if f.country:
        where.append("q.speaker_country = ?")
        params.append(f.country.upper())
    if f.kind:
        where.append("q.kind = ?")
        params.append(f.kind.lower())
    dates, date_params = date_where("q.published", f.since, f.until)
    where, params = where + dates, params + date_params
    if f.story:
        where.append("q.story_id = ?")
        params.append(f.story)
    if f.hedged is not None:
        where.append("q.hedged = ?")
        params.append(f.hedged)
    if f.state_media is not None:
        # The via chain is typed by the actor KB; state media is source_type "state_media".
        where.append(("" if f.state_media else "NOT ") + "contains(q.record, '\"state_media\"')")
    return where, params


def quotes(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    """Quotes with their article's columns: a count and a top-N over `quote_facts`
    (store/read_model.py), in the order of its `quote_rank` (publication, article,
    position)."""
    where, params = _quote_where(f)
    relation, matching = quote_facts(con), " AND ".join(where)
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
        [*params, _limit(f), f.offset],
    )
    total = _counted(con, f"SELECT 1 FROM {relation} q WHERE {matching}", params, f, page)
    return total, page


def articles(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    """Articles without their text, by publication date, with how many events and quotes
    each holds; `type`, `actor` and `country` keep articles with an event of those types,
    an entity of that name or actor id, an entity of that country."""
    where, params = date_where("a.published", f.since, f.until)
    where.insert(0, "1=1")
    if f.story:
        where.append("a.story_id = ?")
        params.append(f.story)
    if f.actor:
        where.append(
            "a.id IN (SELECT article_id FROM entities WHERE name ILIKE ? OR actor_id ILIKE ?)"
        )
        params.extend([f"%{f.actor}%"] * 2)
    if f.country:
        where.append("a.id IN (SELECT article_id FROM entities WHERE country = ?)")
        params.append(f.country.upper())
    if f.type:
        where.append("a.id IN (SELECT article_id FROM events WHERE list_contains(?, type))")
        params.append(names(f.type))
    base = (
        "SELECT a.id, a.published, a.outlet, a.title, a.url, a.story_id, a.duplicate_of, "
        f"length(a.text) AS chars FROM articles a WHERE {' AND '.join(where)}"
    )
    total, page = _page(con, base, "published NULLS LAST, id", params, f)
    _add_counts(con, page)
    return total, page


def _add_counts(con: duckdb.DuckDBPyConnection, page: list[dict[str, Any]]) -> None:
    """Each page row's events and quotes, counted for the page alone (not every match)."""
    if not page:
        return
    counts = {
        str(i): (int(e), int(q))
        for i, e, q in con.execute(
            "SELECT a.id, (SELECT count(*) FROM events e WHERE e.article_id = a.id), "
            "(SELECT count(*) FROM quotes q WHERE q.article_id = a.id) "
            "FROM (SELECT unnest(?::VARCHAR[]) AS id) a",
            [[r["id"] for r in page]],
        ).fetchall()
    }
    for row in page:
        row["events"], row["quotes"] = counts.get(str(row["id"]), (0, 0))


def stories(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    """Stories with corroboration: canonical events, their reports and the best-sourced one;
    the largest first. `since`/`until` keep stories whose span meets the period."""
    where = ["1=1"]
    params: list[Any] = []
    if f.since:
        where.append("s.last_seen >= ?")
        params.append(f.since)
    if f.until:
        where.append("substr(s.first_seen, 1, ?) <= ?")
        params.extend([len(f.until), f.until])
    if f.actor:
        # No lambda: DuckDB 2 refuses `x -> f(x)` and DuckDB < 1.3 lacks `lambda x: f(x)`.
        where.append("EXISTS (SELECT 1 FROM (SELECT unnest(s.key_actors) AS k) WHERE k ILIKE ?)")
        params.append(f"%{f.actor}%")  # a substring, as for events and quotes
    if f.story:
        where.append("s.story_id = ?")
        params.append(f.story)
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
    return _grouped_page(con, base, "articles DESC, first_seen NULLS LAST, story_id", params, f)


def actors(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    """Actors of canonical events, with how often they act and are acted on; the most
    active first. `actor` and `country` match the actor itself, not its counterpart."""
    where, params = facts_where(Filters(since=f.since, until=f.until, type=f.type))
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
    if f.actor:
        having = "WHERE name ILIKE ? OR actor_id ILIKE ?"
        extra = [f"%{f.actor}%"] * 2
    if f.country:
        having += (" AND " if having else "WHERE ") + "country = ?"
        extra.append(f.country.upper())
    base = (
        "SELECT any_value(actor_id) AS actor_id, mode(name) AS name, any_value(country) "
        "AS country, any_value(sector) AS sector, count(*) AS events, "
        "count(*) FILTER (role = 'as_source') AS as_source, "
        "count(*) FILTER (role = 'as_target') AS as_target "
        f"FROM ({' UNION ALL '.join(sides)}) {having} GROUP BY key"
    )
    return _grouped_page(con, base, "events DESC, name", [*params, *params, *extra], f)


# A place's latest events first: dated ones by the listing order reversed, then those
# without a day.
_LATEST_FIRST = "e.listing_rank - (e.day IS NULL)::BIGINT * 1000000000000"


def places(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    """Places of real events with coordinates: how many events, their PLOVER types and the
    ids of the latest `PLACE_EVENT_IDS` (by day; events without a day after the rest)."""
    where, params = facts_where(f)
    where, params = story_where(f, where, params)
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
        if fresh and where == "1=1" and f.timing == "current"
        else f"max_by(coalesce(e.canonical_id, e.id), {_LATEST_FIRST}, {PLACE_EVENT_IDS})"
    )
    base = (
        f"SELECT {place}, count(*) AS events, {type_list} AS types, "
        f"{latest} AS latest_event_ids FROM {relation} e "
        f"WHERE {LISTED[f.timing]} AND {where} AND e.lat IS NOT NULL "
        f"AND e.lon IS NOT NULL GROUP BY {'e.place_key' if fresh else 'ALL'}"
    )
    order = "events DESC, name, country, lat, lon"
    total, page = _grouped_page(con, base, order, params, f)
    if by_bits:
        decode: list[str | None] = [*types, None]  # a missing type ranks last
        for row in page:
            row["types"] = [t for i, t in enumerate(decode) if row["types"] >> i & 1]
    return total, page


# The listing of each resource, by name (the CLI and the Python API dispatch on it).
LISTINGS = {
    "events": events,
    "quotes": quotes,
    "articles": articles,
    "stories": stories,
    "actors": actors,
    "places": places,
}
