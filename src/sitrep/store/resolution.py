"""Store side of cross-article resolution: read its inputs, write its results atomically."""

from __future__ import annotations

from typing import Any

import duckdb

from sitrep.errors import StoreError
from sitrep.model import ArticleRef, EventMention
from sitrep.resolve import Resolution
from sitrep.store.read import Filters, _limit, _rows


def resolution_inputs(
    con: duckdb.DuckDBPyConnection,
) -> tuple[list[ArticleRef], list[EventMention]]:
    articles = [
        ArticleRef(*row)
        for row in con.execute(
            "SELECT id, text, title, outlet, published FROM articles ORDER BY id"
        ).fetchall()
    ]
    mentions = [
        EventMention(*row)
        for row in con.execute(
            "SELECT id, article_id, type, "
            " coalesce(source_actor_id, source_country, lower(source_name)),"
            " coalesce(target_actor_id, target_country, lower(target_name)),"
            " event_date, place_country, factuality, confidence FROM events ORDER BY id"
        ).fetchall()
    ]
    return articles, mentions


def write_resolution(con: duckdb.DuckDBPyConnection, result: Resolution) -> None:
    """Replace the previous resolution in one transaction."""
    story_of = {aid: s.story_id for s in result.stories for aid in s.article_ids}
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("UPDATE articles SET duplicate_of = NULL, story_id = NULL")
        pairs = sorted(result.duplicate_of.items())
        if pairs:
            con.execute(
                "UPDATE articles SET duplicate_of = d.original FROM "
                "(SELECT unnest($1) AS copy, unnest($2) AS original) d WHERE articles.id = d.copy",
                [[p[0] for p in pairs], [p[1] for p in pairs]],
            )
        if story_of:
            ids = sorted(story_of)
            con.execute(
                "UPDATE articles SET story_id = s.story FROM "
                "(SELECT unnest($1) AS aid, unnest($2) AS story) s WHERE articles.id = s.aid",
                [ids, [story_of[i] for i in ids]],
            )
        con.execute("DELETE FROM stories")
        for s in result.stories:
            con.execute(
                "INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    s.story_id,
                    s.title,
                    s.first_seen,
                    s.last_seen,
                    len(s.article_ids),
                    s.outlets,
                    s.key_actors,
                    s.article_ids,
                ],
            )
        con.execute("DELETE FROM canonical_events")
        for e in result.events:
            con.execute(
                "INSERT INTO canonical_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    e.id,
                    e.type,
                    e.story_id,
                    e.reports,
                    e.independent_sources,
                    e.outlets,
                    e.article_ids,
                    e.mention_ids,
                    e.first_article_id,
                    e.mention_ids[0],
                    e.first_reported,
                    e.disputes,
                ],
            )
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise StoreError(f"writing the resolution failed: {exc}") from exc


def list_stories(con: duckdb.DuckDBPyConnection, f: Filters) -> list[dict[str, Any]]:
    where: list[str] = ["1=1"]
    params: list[Any] = []
    if f.since:
        where.append("last_seen >= ?")
        params.append(f.since)
    if f.until:
        where.append("substr(first_seen, 1, ?) <= ?")
        params.extend([len(f.until), f.until])
    if f.actor:
        where.append("list_contains(list_transform(key_actors, x -> lower(x)), lower(?))")
        params.append(f.actor)
    sql = (
        "SELECT story_id, title, first_seen, last_seen, articles, outlets, key_actors, "
        f"article_ids FROM stories WHERE {' AND '.join(where)} "
        "ORDER BY articles DESC, first_seen NULLS LAST, story_id"
    )
    return _rows(con, _limit(sql, params, f.limit), params)
