"""Store side of story features (resolve/story_features.py): each article's bags of terms,
written as a full resolution clusters its blocks and read back by incremental resolution,
so an article is tokenised once, not every time its block is clustered again (also across
processes). A row is trusted only for the article's current `ingested_at` and
`FEATURES_VERSION`; anything else is computed from the text and written again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np

from sitrep.model import ArticleRef
from sitrep.resolve.story_features import FEATURES_VERSION, Analysers, StoryFeatures

_ORDER = "coalesce(nullif(a.published, ''), '9999'), a.id"


def write_story_features(con: duckdb.DuckDBPyConnection, block: Sequence[StoryFeatures]) -> None:
    """Store these articles' features, stamped with their `ingested_at`."""
    if not block:
        return
    columns: list[list[Any]] = [
        [f.id for f in block],
        [f.words for f in block],
        [f.first_line for f in block],
        [list(f.names) for f in block],
        [list(f.ends) for f in block],
        [f.terms.astype("<u8").tobytes() for f in block],
        [f.counts.astype("<u4").tobytes() for f in block],
    ]
    con.execute(
        "INSERT OR REPLACE INTO story_features SELECT f.aid, a.ingested_at, $8, f.words, "
        "f.first_line, f.names, f.ends, f.terms, f.counts FROM (SELECT unnest($1) AS aid, "
        "unnest($2) AS words, unnest($3) AS first_line, unnest($4::VARCHAR[][]) AS names, "
        "unnest($5::INTEGER[][]) AS ends, unnest($6::BLOB[]) AS terms, "
        "unnest($7::BLOB[]) AS counts) f JOIN articles a ON a.id = f.aid",
        [*columns, FEATURES_VERSION],
    )


class FeaturesWriter:
    """A `StoryClusterer` sink (`BlockSink`) that writes the blocks' features in batches of
    `batch` articles (one statement costs ~20 ms, whatever its size, and weekly blocks are
    small) on a cursor of its own, since the full resolution streams the articles on `con`
    meanwhile. `close` writes the rest."""

    def __init__(self, con: duckdb.DuckDBPyConnection, batch: int = 2000) -> None:
        self._cursor = con.cursor()
        self._batch = batch
        self._pending: list[StoryFeatures] = []

    def __call__(self, block: list[StoryFeatures]) -> None:
        self._pending.extend(block)
        if len(self._pending) >= self._batch:
            self._write()

    def _write(self) -> None:
        write_story_features(self._cursor, self._pending)
        self._pending = []

    def close(self) -> None:
        self._write()
        self._cursor.close()


def read_story_features(
    con: duckdb.DuckDBPyConnection, ids: Sequence[str], analysers: Analysers
) -> list[StoryFeatures]:
    """These articles' features in canonical order: stored ones where they are current,
    the others computed from the texts (and stored)."""
    rows = con.execute(
        "SELECT a.id, a.published, a.outlet, a.title, f.words, f.first_line, f.names, f.ends, "
        "f.terms, f.counts FROM articles a LEFT JOIN story_features f ON f.article_id = a.id "
        "AND f.version = $2 AND f.ingested_at IS NOT DISTINCT FROM a.ingested_at "
        f"WHERE a.id IN (SELECT unnest($1)) ORDER BY {_ORDER}",
        [list(ids), FEATURES_VERSION],
    ).fetchall()
    stale = [row[0] for row in rows if row[4] is None]
    computed = {f.id: f for f in _compute(con, stale, analysers)}
    return [computed[row[0]] if row[4] is None else _features(row) for row in rows]


def _features(row: tuple[Any, ...]) -> StoryFeatures:
    aid, published, outlet, title, words, first_line, names, ends, terms, counts = row
    return StoryFeatures(
        id=aid,
        published=published,
        outlet=outlet,
        title=title,
        first_line=first_line,
        words=words,
        names=tuple(names),
        ends=tuple(ends),
        terms=np.frombuffer(terms, dtype="<u8").astype(np.uint64, copy=False),
        counts=np.frombuffer(counts, dtype="<u4").astype(np.uint32, copy=False),
    )


def _compute(
    con: duckdb.DuckDBPyConnection, ids: list[str], analysers: Analysers
) -> list[StoryFeatures]:
    if not ids:
        return []
    rows = con.execute(
        "SELECT id, text, title, outlet, published, wire FROM articles "
        "WHERE id IN (SELECT unnest($1))",
        [ids],
    ).fetchall()
    features = [analysers.features(ArticleRef(*row)) for row in rows]
    write_story_features(con, features)
    return features
