"""Read queries of the briefing's key developments (views/brief_rank.py ranks what they return).

Canonical events are current news by construction (store/resolution.py leaves background
out); `brief_events` checks the first report's `timing` again, so a store written by an
older sitrep, or by hand, cannot bring background into a brief.
"""

from __future__ import annotations

from typing import Any

import duckdb

from sitrep.store.query import date_where
from sitrep.store.read import _rows
from sitrep.store.read_model import facts


def brief_events(
    con: duckdb.DuckDBPyConnection,
    since: str | None,
    until: str | None,
    story: str | None = None,
) -> list[dict[str, Any]]:
    """Canonical events counting on a day in [since, until] (both inclusive, YYYY[-MM[-DD]]),
    current news only, each described by its first report, with its story's label."""
    where, params = date_where("e.day", since, until)
    where += ["e.canonical_id IS NOT NULL", "coalesce(ev.timing, 'current') <> 'background'"]
    if story:
        where.append("e.story_id = ?")
        params.append(story)
    sql = (
        "SELECT e.canonical_id AS id, e.id AS mention_id, e.article_id, e.day, e.type, e.mode, "
        "e.factuality, e.source_name AS source, e.source_actor_id, e.source_country, "
        "e.target_name AS target, e.target_actor_id, e.target_country, e.pair_target, "
        "e.place_name AS place, e.sentence_text AS sentence, e.intensity, e.confidence, "
        "e.published, e.reports, e.independent_sources, e.origin_outlet, e.state_media_only, "
        "e.article_ids, e.disputes, "
        "e.story_id, s.title AS story_title, e.record "
        f"FROM {facts(con)} e JOIN events ev ON ev.id = e.id "
        "LEFT JOIN stories s ON s.story_id = e.story_id "
        f"WHERE {' AND '.join(where)} ORDER BY e.day, e.canonical_id"
    )
    return _rows(con, sql, params)


def pair_type_keys(
    con: duckdb.DuckDBPyConnection, since: str, until: str
) -> set[tuple[str, str, str]]:
    """(source, target, type) of every canonical event counting on a day in [since, until]:
    what a period has already seen (the novelty of the next one). An actor is its country,
    else its name; an unknown actor is ''."""
    where, params = date_where("e.day", since, until)
    rows = con.execute(
        "SELECT DISTINCT coalesce(e.source_country, lower(e.source_name), ''), "
        "coalesce(e.pair_target, lower(e.target_name), ''), coalesce(e.type, '') "
        f"FROM {facts(con)} e WHERE e.canonical_id IS NOT NULL AND {' AND '.join(where)}",
        params,
    ).fetchall()
    return {(str(a), str(b), str(t)) for a, b, t in rows}


def article_sources(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """id → outlet and URL of each article (what the brief names its outlets from)."""
    rows = _rows(con, "SELECT id, outlet, url FROM articles WHERE id IN (SELECT unnest(?))", [ids])
    return {r["id"]: r for r in rows}


def boilerplate_sentences(con: duckdb.DuckDBPyConnection, sentences: list[str]) -> set[str]:
    """Those of `sentences` that are, case and spacing aside, a line recorded as boilerplate
    in any article (a line removed from one article may survive in another: a copy keeps
    its lines)."""
    if not sentences:
        return set()
    rows = con.execute(
        "WITH s AS (SELECT unnest(?) AS sentence) SELECT DISTINCT s.sentence FROM s "
        "JOIN boilerplate b ON lower(regexp_replace(trim(b.line), '\\s+', ' ', 'g')) = "
        "lower(regexp_replace(trim(s.sentence), '\\s+', ' ', 'g'))",
        [sentences],
    ).fetchall()
    return {str(r[0]) for r in rows}


def period_bounds(con: duckdb.DuckDBPyConnection) -> tuple[str | None, str | None]:
    """First and last day any canonical event counts on."""
    row = con.execute(
        f"SELECT min(e.day), max(e.day) FROM {facts(con)} e WHERE e.canonical_id IS NOT NULL"
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)
