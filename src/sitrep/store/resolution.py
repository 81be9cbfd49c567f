"""Store side of cross-article resolution: read its inputs, write its results atomically."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import duckdb
import numpy as np
from numpy.typing import NDArray

from sitrep.model import ArticleRef, CanonicalEvent, EventMention, Story
from sitrep.resolve import Resolution
from sitrep.store import alert_inputs, read_model
from sitrep.store.db import abort
from sitrep.store.write import insert_rows


def resolution_mentions(
    con: duckdb.DuckDBPyConnection, article_ids: Sequence[str] | None = None
) -> list[EventMention]:
    """The event mentions that become canonical events: current news only. Background
    (history an article recalls) stays in `events` but never reaches canonical events, and
    so neither the alerts, the escalation index, the brief nor the dashboard's views.
    With `article_ids`, only those articles' mentions."""
    only = "" if article_ids is None else " AND article_id IN (SELECT unnest($1))"
    params: list[Any] = [] if article_ids is None else [list(article_ids)]
    return [
        EventMention(*row)
        for row in con.execute(
            "SELECT id, article_id, type, "
            " coalesce(source_actor_id, source_country, lower(source_name)),"
            " coalesce(target_actor_id, target_country, lower(target_name)),"
            " event_date, place_country, factuality, confidence,"
            " coalesce(trigger_text, ''), coalesce(sentence_text, '') FROM events"
            f" WHERE coalesce(timing, 'current') <> 'background'{only} ORDER BY id",
            params,
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


def write_resolution(con: duckdb.DuckDBPyConnection, result: Resolution, state: str) -> None:
    """Replace the previous resolution in one transaction, with what incremental
    resolution starts from (store/incremental.py) and the digest `state` of the settings."""
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
        insert_rows(con, "stories", [story_row(s) for s in result.stories])
        con.execute("DELETE FROM canonical_events")
        insert_rows(con, "canonical_events", [event_row(e) for e in result.events])
        write_copy_state(con, result.pairs, result.signatures)
        # The features of deleted articles (those of the others were written as clustered).
        con.execute(
            "DELETE FROM story_features f WHERE f.article_id NOT IN (SELECT id FROM articles)"
        )
        record_settings(con, state)
        alert_inputs.forget_inputs(con)  # every canonical event is new: rebuild them
        read_model.refresh(con)  # the dashboard's fast event table (store/read_model.py)
        con.execute("COMMIT")
    except duckdb.Error as exc:
        raise abort(con, "writing the resolution", exc) from exc


def write_copy_state(
    con: duckdb.DuckDBPyConnection,
    pairs: Sequence[tuple[str, str]],
    signatures: Mapping[str, NDArray[np.uint64] | None],
) -> None:
    """Store all the confirmed copy pairs and all the articles' signatures, with the
    `ingested_at` they were resolved at (a full resolution; inside the caller's
    transaction)."""
    con.execute("DELETE FROM copy_pairs")
    _insert_pairs(con, pairs)
    con.execute("DELETE FROM article_signatures")
    _write_signatures(con, signatures)


def update_copy_state(
    con: duckdb.DuckDBPyConnection,
    found: Sequence[tuple[str, str]],
    dropped: Sequence[tuple[str, str]],
    signatures: Mapping[str, NDArray[np.uint64] | None],
) -> None:
    """Add the pairs found, remove those dropped and store these (new) articles'
    signatures (an incremental resolution; inside the caller's transaction): the rest of
    the copy state stays as it is, so a write follows the new articles, not the store."""
    if dropped:
        con.execute(
            "DELETE FROM copy_pairs WHERE (earlier, later) IN (SELECT (unnest($1), unnest($2)))",
            [[p[0] for p in dropped], [p[1] for p in dropped]],
        )
    _insert_pairs(con, found)
    _write_signatures(con, signatures)


def _insert_pairs(con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[str, str]]) -> None:
    if pairs:
        con.execute(
            "INSERT INTO copy_pairs SELECT unnest($1), unnest($2)",
            [[p[0] for p in pairs], [p[1] for p in pairs]],
        )


def _write_signatures(
    con: duckdb.DuckDBPyConnection, signatures: Mapping[str, NDArray[np.uint64] | None]
) -> None:
    # In the caller's order (canonical in a full resolution): a time window's signatures
    # then lie together, which is what incremental resolution reads (store/ranged.py).
    ids = list(signatures)
    if ids:
        blobs = [
            None if (v := signatures[a]) is None else v.astype(np.uint64).tobytes() for a in ids
        ]
        con.execute(
            "INSERT OR REPLACE INTO article_signatures SELECT s.aid, a.ingested_at, s.blob "
            "FROM (SELECT unnest($1) AS aid, unnest($2::BLOB[]) AS blob) s "
            "JOIN articles a ON a.id = s.aid",
            [ids, blobs],
        )


def record_settings(con: duckdb.DuckDBPyConnection, state: str) -> None:
    """Remember the settings digest the full resolution ran with (caller's transaction)."""
    con.execute("DELETE FROM resolution_state")
    con.execute("INSERT INTO resolution_state VALUES (?)", [state])


def story_row(s: Story) -> dict[str, Any]:
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


def event_row(e: CanonicalEvent) -> dict[str, Any]:
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
