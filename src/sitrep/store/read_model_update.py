"""The read model (store/read_model.py) brought up to date after an incremental resolution,
without rebuilding it: only the rows of the articles the resolution touched are built
again from the tables they read, and each rank column is computed again only where it can
have changed, with the same order as `read_model.LIVE_SQL`, over the table's own columns.

- `listing_rank`, `mention_rank` (and `quote_rank`): both orders begin with the day (the
  publication date for quotes), so rows before the earliest changed day keep their
  positions; the rows from that day on are numbered again, after the count of rows before
  them. News arriving in date order renumbers the last days only; a back-dated article
  renumbers from its day on.
- `place_key`, `type_bit`: ranks over the distinct places and types, computed again from
  the table's distinct values (a few thousand) and written where they differ (only when
  a place or type appeared or went).
- `place_recency`: numbered again within the places of the changed rows.

The tables then hold what `read_model.refresh` builds (tests compare every row), less its
physical clustering by day: new rows come last until the next full resolution.
"""

from __future__ import annotations

from collections.abc import Collection

import duckdb

from sitrep.store import read_model as rm

# The rows of some articles' mentions without their ranks.
_ROWS_SQL = (
    f"SELECT {rm.ROW_HEAD}{rm.ROW_TAIL} FROM events e JOIN articles a ON a.id = e.article_id "
    "LEFT JOIN canonical_events c ON c.first_mention_id = e.id "
    "WHERE e.article_id IN (SELECT unnest($1))"
)
_LISTED = "(f.canonical_id IS NOT NULL OR f.timing = 'background')"
_PLACES = (
    "SELECT place_name, place_country, lat, lon, row_number() OVER (ORDER BY place_name, "
    "place_country, lat, lon) AS place_key FROM (SELECT DISTINCT place_name, place_country, "
    "lat, lon FROM event_facts WHERE lat IS NOT NULL AND lon IS NOT NULL)"
)
_TYPES = rm.TYPE_BITS_SQL.replace("FROM events", "FROM event_facts")
# What a changed row tells about where ranks move: its first day (NULL: only undated rows
# from the end) and whether it is undated, and its place.
_DAYS = "SELECT min(day), bool_or(day IS NULL), count(*) FROM event_facts WHERE {where}"
_WHERE_ARTICLES = "article_id IN (SELECT unnest($1))"


def refresh_articles(con: duckdb.DuckDBPyConnection, article_ids: Collection[str]) -> None:
    """Bring `event_facts` and `quote_facts` up to date after a change confined to these
    articles: their mentions, quotes and story, and the canonical events first reported in
    them (module doc). Rebuilds both with `refresh` when they were not up to date before."""
    if rm.stored_state(con, rm.STATE, "version") != (rm.VERSION,) or rm.stored_state(
        con, rm.QUOTE_STATE, "version"
    ) != (rm.VERSION,):
        rm.refresh(con)
        return
    ids = sorted(article_ids)
    before = _changed(con, ids)
    con.execute(f"DELETE FROM event_facts WHERE {_WHERE_ARTICLES}", [ids])
    con.execute(f"INSERT INTO event_facts BY NAME {_ROWS_SQL}", [ids])
    if rm.facts_rows(con) != rm.counts(con)[:2]:  # it was not up to date: rebuild it
        rm.refresh(con)
        return
    after = _changed(con, ids)
    _places_and_types(con)
    first, undated = _earliest(before, after)
    if first is not None or undated:
        _orders(con, first)
    _recency(con, before[3] | after[3])
    rm.write_state(con)
    _quotes(con, ids)
    rm.write_quote_state(con)


Changed = tuple[str | None, bool, int, set[tuple[object, ...]]]


def _changed(con: duckdb.DuckDBPyConnection, ids: list[str]) -> Changed:
    """The earliest day of these articles' rows, whether one is undated, how many there
    are, and their places."""
    row = con.execute(_DAYS.format(where=_WHERE_ARTICLES), [ids]).fetchone()
    places = con.execute(
        "SELECT DISTINCT place_name, place_country, lat, lon FROM event_facts "
        f"WHERE {_WHERE_ARTICLES} AND lat IS NOT NULL AND lon IS NOT NULL",
        [ids],
    ).fetchall()
    first, undated, n = row if row else (None, False, 0)
    return first, bool(undated), int(n or 0), {tuple(p) for p in places}


def _earliest(before: Changed, after: Changed) -> tuple[str | None, bool]:
    days = [d for d in (before[0], after[0]) if d is not None]
    return (min(days) if days else None), before[1] or after[1]


def _orders(con: duckdb.DuckDBPyConnection, first: str | None) -> None:
    """`listing_rank` and `mention_rank` of the rows from the first changed day on
    (undated rows sort last, so they are always among them)."""
    suffix = "f.day IS NULL" if first is None else "(f.day >= $1 OR f.day IS NULL)"
    params = [] if first is None else [first]
    prefix = "f.day IS NOT NULL" if first is None else "f.day < $1"
    row = con.execute(
        f"SELECT count(*) FILTER ({_LISTED}), count(*) FROM event_facts f WHERE {prefix}",
        params,
    ).fetchone()
    listed_before, all_before = (int(row[0]), int(row[1])) if row else (0, 0)
    con.execute(
        "UPDATE event_facts SET listing_rank = r.listing_rank, mention_rank = r.mention_rank "
        f"FROM (SELECT f.id, CASE WHEN {_LISTED} THEN {listed_before} + row_number() OVER "
        f"(PARTITION BY {_LISTED} ORDER BY f.day NULLS LAST, f.published NULLS LAST, "
        f"coalesce(f.canonical_id, f.id)) END AS listing_rank, {all_before} + row_number() "
        "OVER (ORDER BY f.day NULLS LAST, f.article_id, f.sentence_start, f.id) AS mention_rank "
        f"FROM event_facts f WHERE {suffix}) r WHERE event_facts.id = r.id AND "
        "(event_facts.listing_rank IS DISTINCT FROM r.listing_rank "
        "OR event_facts.mention_rank IS DISTINCT FROM r.mention_rank)",
        params,
    )


def _places_and_types(con: duckdb.DuckDBPyConnection) -> None:
    """`place_key` and `type_bit` where they differ from the ranks of the distinct values
    (new rows have none yet; others move only when a place or type appeared or went)."""
    con.execute(
        f"UPDATE event_facts SET place_key = p.place_key FROM ({_PLACES}) p "
        "WHERE p.place_name IS NOT DISTINCT FROM event_facts.place_name "
        "AND p.place_country IS NOT DISTINCT FROM event_facts.place_country "
        "AND p.lat = event_facts.lat AND p.lon = event_facts.lon "
        "AND event_facts.place_key IS DISTINCT FROM p.place_key"
    )
    con.execute(
        f"UPDATE event_facts SET type_bit = t.type_bit FROM ({_TYPES}) t "
        "WHERE t.type IS NOT DISTINCT FROM event_facts.type "
        "AND event_facts.type_bit IS DISTINCT FROM t.type_bit"
    )


def _recency(con: duckdb.DuckDBPyConnection, places: set[tuple[object, ...]]) -> None:
    """`place_recency` numbered again within the places of the changed rows."""
    if not places:
        return
    ordered = sorted(places, key=repr)
    con.execute(
        "UPDATE event_facts SET place_recency = r.place_recency FROM (SELECT f.id, CASE WHEN "
        "f.canonical_id IS NOT NULL THEN row_number() OVER (PARTITION BY "
        "f.canonical_id IS NULL, f.place_key ORDER BY f.day IS NULL, f.day DESC, "
        "f.published DESC NULLS FIRST, f.canonical_id DESC) END AS place_recency "
        "FROM event_facts f WHERE f.place_key IN (SELECT p.place_key FROM event_facts p "
        "JOIN (SELECT unnest($1) AS n, unnest($2) AS c, unnest($3) AS la, unnest($4) AS lo) w "
        "ON p.place_name IS NOT DISTINCT FROM w.n AND p.place_country IS NOT DISTINCT FROM w.c "
        "AND p.lat = w.la AND p.lon = w.lo)) r WHERE event_facts.id = r.id "
        "AND event_facts.place_recency IS DISTINCT FROM r.place_recency",
        [[p[i] for p in ordered] for i in range(4)],
    )


def _quotes(con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    """The quotes of these articles again, and `quote_rank` from the first changed
    publication date on (the listing order begins with it)."""
    where = _WHERE_ARTICLES
    old = con.execute(
        f"SELECT min(published), bool_or(published IS NULL) FROM quote_facts WHERE {where}",
        [ids],
    ).fetchone()
    con.execute(f"DELETE FROM quote_facts WHERE {where}", [ids])
    con.execute(
        f"INSERT INTO quote_facts BY NAME SELECT {rm.QUOTE_COLUMNS} FROM quotes q "
        f"JOIN articles a ON a.id = q.article_id WHERE {where}",
        [ids],
    )
    new = con.execute(
        f"SELECT min(published), bool_or(published IS NULL) FROM quote_facts WHERE {where}",
        [ids],
    ).fetchone()
    firsts = [d for d in (old[0] if old else None, new[0] if new else None) if d is not None]
    if not firsts and not ((old and old[1]) or (new and new[1])):
        return  # no quotes before or after
    first = min(firsts) if firsts else None
    later = "(q.published >= $1 OR q.published IS NULL)"
    suffix = "q.published IS NULL" if first is None else later
    prefix = "q.published IS NOT NULL" if first is None else "q.published < $1"
    params = [] if first is None else [first]
    row = con.execute(f"SELECT count(*) FROM quote_facts q WHERE {prefix}", params).fetchone()
    before = int(row[0]) if row else 0
    con.execute(
        f"UPDATE quote_facts SET quote_rank = r.n FROM (SELECT q.id, {before} + row_number() "
        f"OVER (ORDER BY {rm.QUOTE_ORDER}) AS n FROM quote_facts q WHERE {suffix}) r "
        "WHERE quote_facts.id = r.id AND quote_facts.quote_rank IS DISTINCT FROM r.n",
        params,
    )
