"""The read model: `event_facts`, one row per event mention, for fast dashboard queries.

The API's event queries filter, sort and count on the event's *day* (read.DAY_SQL), which
takes a join of events with their articles and, for canonical events, with
`canonical_events`. On a million events those joins cost more than a dashboard can wait,
so `refresh` (run after each resolution, store/resolution.py) materialises them once: the
filter and sort columns of every mention, its day and actor-pair target, the canonical
event it is the first report of, and what a listing shows. Rows are clustered (canonical
first, then by day), so DuckDB's zone maps skip most row groups for date filters and
canonical-only queries.

Queries get the relation from `facts(con)`: the table when it matches the store, otherwise
(a store from before this table, or written without a resolution) the same columns
computed live, so results never depend on whether the table is fresh, only their speed.
"""

from __future__ import annotations

import duckdb

# The day an event counts on (see docs/schema.md, "Event day"): an exact event date wins;
# a coarse or missing date counts on the publication day when consistent with it; a date
# that contradicts the publication day (PAST_REF, "last fall") leaves the event without a
# day, so date filters and daily series never count background events.
DAY_SQL = (
    "CASE WHEN regexp_matches(e.event_date, '^\\d{4}-\\d{2}-\\d{2}') "
    "THEN substr(e.event_date, 1, 10) "
    "WHEN a.published IS NOT NULL AND (e.event_date IS NULL "
    "OR starts_with(a.published, e.event_date)) THEN substr(a.published, 1, 10) END"
)

# An event without a target whose place lies in another country counts against that country.
TARGET_SQL = (
    "coalesce(e.target_country, CASE WHEN e.place_country <> e.source_country "
    "THEN e.place_country END)"
)
# Types a place's bit mask can hold (bits of a BIGINT, less the sign bit).
TYPE_BITS = 62
# Places group on one integer (their rank by name, country, lat, lon) and OR one bit per
# type (the type's rank among the store's types, a missing type last): a DISTINCT list and
# a four-column key per place cost more than the rest of the query. Both are ranked over
# the distinct values and joined, not ranked over every event (a sort of a million rows).
PLACE_KEYS = (
    "SELECT place_name, place_country, lat, lon, row_number() OVER "
    "(ORDER BY place_name, place_country, lat, lon) AS place_key FROM (SELECT DISTINCT "
    "place_name, place_country, lat, lon FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL)"
)
TYPE_BITS_SQL = (
    f"SELECT type, CASE WHEN n <= {TYPE_BITS} THEN 1::BIGINT << (n - 1) END AS type_bit "
    "FROM (SELECT type, row_number() OVER (ORDER BY type) AS n "
    "FROM (SELECT DISTINCT type FROM events))"
)
# An event's timing (extract/timing.py): "current" news or "background" history.
TIMING_SQL = "coalesce(e.timing, 'current')"
# The rows an event listing can show: canonical events (current news, one per real event)
# and background mentions, which resolution never merges (store/resolution.py).
_LISTED = f"(c.id IS NOT NULL OR {TIMING_SQL} = 'background')"
# The listing order (day, then first report, then id) as one integer, so a page, a place's
# latest events and the API's sorts compare one number instead of three strings.
_LISTING_ORDER = f"({DAY_SQL}) NULLS LAST, a.published NULLS LAST, coalesce(c.id, e.id)"
ROW_HEAD = (
    f"e.id, c.id AS canonical_id, e.article_id, ({DAY_SQL}) AS day, e.type, e.factuality, "
    f"{TIMING_SQL} AS timing, "
    "e.source_name, e.source_actor_id, e.source_country, e.source_sector, "
    "e.target_name, e.target_actor_id, e.target_country, e.target_sector, "
    "e.place_name, e.place_country, e.lat, e.lon, e.intensity, "
    f"{TARGET_SQL} AS pair_target, a.published, a.story_id AS article_story_id, "
    "c.story_id, e.sentence_start, "
)
# What a listing page shows, so a page is one top-N over this table (DuckDB fetches these
# wide columns only for the rows that make the page).
ROW_TAIL = (
    "e.event_date, e.mode, e.trigger_text, e.sentence_end, e.sentence_text, e.confidence, "
    "a.outlet, a.title, e.record, c.first_article_id, c.reports, c.independent_sources, "
    "c.outlets, c.article_ids, c.mention_ids, c.disputes, c.first_reported, c.origin_outlet, "
    "c.state_media_only"
)
_COLUMNS = (
    ROW_HEAD + f"CASE WHEN {_LISTED} THEN row_number() OVER "
    f"(PARTITION BY {_LISTED} ORDER BY {_LISTING_ORDER}) END AS listing_rank, "
    # The same for the listing of every mention (day, article, position, id).
    f"row_number() OVER (ORDER BY ({DAY_SQL}) NULLS LAST, e.article_id, e.sentence_start, "
    "e.id) AS mention_rank, "
    "pk.place_key, tb.type_bit, "
    # A canonical event's position among its place's, latest first (dated before undated,
    # then the listing order reversed): an unfiltered map takes each place's latest ids
    # with a filter instead of a top-N per place.
    "CASE WHEN c.id IS NOT NULL AND e.lat IS NOT NULL AND e.lon IS NOT NULL THEN "
    "row_number() OVER (PARTITION BY c.id IS NULL, pk.place_key ORDER BY "
    f"({DAY_SQL}) IS NULL, ({DAY_SQL}) DESC, a.published DESC NULLS FIRST, c.id DESC) END "
    "AS place_recency, " + ROW_TAIL
)
LIVE_SQL = (
    f"SELECT {_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id "
    "LEFT JOIN canonical_events c ON c.first_mention_id = e.id "
    f"LEFT JOIN ({PLACE_KEYS}) pk ON pk.place_name IS NOT DISTINCT FROM e.place_name "
    "AND pk.place_country IS NOT DISTINCT FROM e.place_country AND pk.lat = e.lat "
    f"AND pk.lon = e.lon LEFT JOIN ({TYPE_BITS_SQL}) tb ON tb.type IS NOT DISTINCT FROM e.type"
)
# `quote_facts`: one row per quote with its article's columns, in listing order.
QUOTE_ORDER = "published NULLS LAST, article_id, content_start, id"
QUOTE_COLUMNS = (
    "q.id, q.article_id, a.published, a.outlet, a.title, q.kind, q.speaker_name, "
    "q.speaker_actor_id, q.speaker_country, q.speaker_sector, q.via_sources, "
    "q.addressee_name, q.hedged, q.cue_text, q.content_start, q.content_end, q.content_text, "
    "a.story_id, q.record"
)
QUOTE_LIVE_SQL = (
    f"SELECT *, row_number() OVER (ORDER BY {QUOTE_ORDER}) AS quote_rank FROM "
    f"(SELECT {QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id)"
)
STATE = "event_facts_state"
QUOTE_STATE = "quote_facts_state"
# Bump when the columns above change: a table of another version is rebuilt, never read.
VERSION = 8


def counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    row = con.execute(
        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM canonical_events), "
        "(SELECT count(*) FROM articles)"
    ).fetchone()
    return (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)


def _quote_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    row = con.execute(
        "SELECT (SELECT count(*) FROM quotes), (SELECT count(*) FROM articles)"
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild `event_facts` and `quote_facts` from the tables they read (in the caller's
    transaction when there is one)."""
    con.execute(
        f"CREATE OR REPLACE TABLE event_facts AS {LIVE_SQL} "
        "ORDER BY canonical_id IS NULL, day NULLS LAST, published NULLS LAST, id"
    )
    write_state(con)
    con.execute(f"CREATE OR REPLACE TABLE quote_facts AS {QUOTE_LIVE_SQL} ORDER BY quote_rank")
    write_quote_state(con)


def write_state(con: duckdb.DuckDBPyConnection) -> None:
    """What `event_facts` was built from (for `fresh`) and its event types."""
    con.execute(
        f"CREATE OR REPLACE TABLE {STATE} AS SELECT ? AS events, ? AS canonical_events, "
        "? AS articles, ? AS version, "
        "(SELECT list(DISTINCT type ORDER BY type) FILTER (type IS NOT NULL) FROM event_facts) "
        "AS types",
        [*counts(con), VERSION],
    )


def write_quote_state(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"CREATE OR REPLACE TABLE {QUOTE_STATE} AS SELECT ? AS quotes, ? AS articles, ? AS version",
        [*_quote_counts(con), VERSION],
    )


def facts_rows(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Rows of `event_facts`, and how many are canonical events."""
    row = con.execute("SELECT count(*), count(canonical_id) FROM event_facts").fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def stored_state(
    con: duckdb.DuckDBPyConnection, table: str, columns: str
) -> tuple[object, ...] | None:
    try:
        row = con.execute(f"SELECT {columns} FROM {table}").fetchone()
    except duckdb.Error:  # no such table (older store), or not of this shape
        return None
    return tuple(row) if row is not None else None


def fresh(con: duckdb.DuckDBPyConnection) -> bool:
    """True when `event_facts` exists and was built from the rows now in the store."""
    state = stored_state(con, STATE, "events, canonical_events, articles, version")
    return state == (*counts(con), VERSION)


def quotes_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    """True when `quote_facts` exists and was built from the rows now in the store."""
    state = stored_state(con, QUOTE_STATE, "quotes, articles, version")
    return state == (*_quote_counts(con), VERSION)


def facts(con: duckdb.DuckDBPyConnection) -> str:
    """The relation to query as `event_facts`: the table, or its live equivalent."""
    return "event_facts" if fresh(con) else f"({LIVE_SQL})"


def quote_facts(con: duckdb.DuckDBPyConnection) -> str:
    """The relation to query as `quote_facts`: the table, or its live equivalent."""
    return "quote_facts" if quotes_fresh(con) else f"({QUOTE_LIVE_SQL})"


def stored_types(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The sorted event types `event_facts` was built with (empty when unknown); call it
    only after `facts(con)` returned the table, i.e. when the table is fresh."""
    state = stored_state(con, STATE, "types")
    return [str(t) for t in state[0]] if state and isinstance(state[0], list) else []
