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
_COLUMNS = (
    f"e.id, c.id AS canonical_id, e.article_id, ({DAY_SQL}) AS day, e.type, e.factuality, "
    "e.source_name, e.source_actor_id, e.source_country, e.source_sector, "
    "e.target_name, e.target_actor_id, e.target_country, e.target_sector, "
    "e.place_name, e.place_country, e.lat, e.lon, e.intensity, "
    f"{TARGET_SQL} AS pair_target, a.published, a.story_id AS article_story_id, "
    "c.story_id, e.sentence_start, "
    # What a listing page shows, so a page is one top-N over this table (DuckDB fetches
    # these wide columns only for the rows that make the page).
    "e.event_date, e.mode, e.trigger_text, e.sentence_end, e.sentence_text, e.confidence, "
    "a.outlet, a.title, e.record, c.first_article_id, c.reports, c.independent_sources, "
    "c.outlets, c.article_ids, c.mention_ids, c.disputes, c.first_reported"
)
LIVE_SQL = (
    f"SELECT {_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id "
    "LEFT JOIN canonical_events c ON c.first_mention_id = e.id"
)
_STATE = "event_facts_state"
# Bump when the columns above change: a table of another version is rebuilt, never read.
VERSION = 2


def _counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    row = con.execute(
        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM canonical_events), "
        "(SELECT count(*) FROM articles)"
    ).fetchone()
    return (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild `event_facts` from events, articles and canonical events (in the caller's
    transaction when there is one)."""
    con.execute(
        f"CREATE OR REPLACE TABLE event_facts AS {LIVE_SQL} "
        "ORDER BY canonical_id IS NULL, day NULLS LAST, published NULLS LAST, id"
    )
    con.execute(
        f"CREATE OR REPLACE TABLE {_STATE} AS SELECT ? AS events, ? AS canonical_events, "
        "? AS articles, ? AS version",
        [*_counts(con), VERSION],
    )


def fresh(con: duckdb.DuckDBPyConnection) -> bool:
    """True when `event_facts` exists and was built from the rows now in the store."""
    try:
        row = con.execute(
            f"SELECT events, canonical_events, articles, version FROM {_STATE}"
        ).fetchone()
    except duckdb.Error:  # no such table (older store), or not of this shape
        return False
    return row is not None and tuple(row) == (*_counts(con), VERSION)


def facts(con: duckdb.DuckDBPyConnection) -> str:
    """The relation to query as `event_facts`: the table, or its live equivalent."""
    return "event_facts" if fresh(con) else f"({LIVE_SQL})"
