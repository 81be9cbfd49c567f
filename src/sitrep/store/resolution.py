"""Store side of cross-article resolution: read its inputs, write its results atomically."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb

from sitrep.model import ArticleRef, CanonicalEvent, EventMention, Story
from sitrep.resolve import Resolution
from sitrep.store import read_model
from sitrep.store.db import abort
from sitrep.store.write import insert_rows


def resolution_mentions(con: duckdb.DuckDBPyConnection) -> list[EventMention]:
    """The event mentions that become canonical events: current news only. Background
    (history an article recalls) stays in `events` but never reaches canonical events, and
    so neither the alerts, the escalation index, the brief nor the dashboard's views."""
    return [
        EventMention(*row)
        for row in con.execute(
            "SELECT id, article_id, type, "
            " coalesce(source_actor_id, source_country, lower(source_name)),"
            " coalesce(target_actor_id, target_country, lower(target_name)),"
            " event_date, place_country, factuality, confidence,"
            " coalesce(trigger_text, ''), coalesce(sentence_text, '') FROM events"
            " WHERE coalesce(timing, 'current') <> 'background' ORDER BY id"
        ).fetchall()
    ]


def resolution_articles(con: duckdb.DuckDBPyConnection, chunk: int = 1000) -> Iterator[ArticleRef]:
    """Every stored article in resolution's canonical order (`canonical_key`: date, with
    undated last, then id), `chunk` rows at a time so the texts never all sit in memory.
    Run no other query on `con` until the iterator is exhausted."""
    result = con.execute(
        "SELECT id, text, title, outlet, published, wire FROM articles "
        "ORDER BY coalesce(nullif(published, ''), '9999'), id"
    )
    while rows := result.fetchmany(chunk):
        for row in rows:
            yield ArticleRef(*row)


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
        insert_rows(con, "stories", [_story_row(s) for s in result.stories])
        con.execute("DELETE FROM canonical_events")
        insert_rows(con, "canonical_events", [_event_row(e) for e in result.events])
        read_model.refresh(con)  # the dashboard's fast event table (store/read_model.py)
        con.execute("COMMIT")
    except duckdb.Error as exc:
        raise abort(con, "writing the resolution", exc) from exc


def _story_row(s: Story) -> dict[str, Any]:
    return {
        "story_id": s.story_id,
        "title": s.title,
        "first_seen": s.first_seen,
        "last_seen": s.last_seen,
        "articles": len(s.article_ids),
        "outlets": s.outlets,
        "key_actors": s.key_actors,
        "article_ids": s.article_ids,
    }


def _event_row(e: CanonicalEvent) -> dict[str, Any]:
    return {
        "id": e.id,
        "type": e.type,
        "story_id": e.story_id,
        "reports": e.reports,
        "independent_sources": e.independent_sources,
        "outlets": e.outlets,
        "article_ids": e.article_ids,
        "mention_ids": e.mention_ids,
        "first_article_id": e.first_article_id,
        "first_mention_id": e.mention_ids[0],
        "first_reported": e.first_reported,
        "origin_outlet": e.origin_outlet,
        "state_media_only": e.state_media_only,
        "disputes": e.disputes,
    }
