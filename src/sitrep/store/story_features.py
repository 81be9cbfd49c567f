"""Store side of story features (resolve/story_features.py): each article's bags of terms,
written as a full resolution clusters its blocks and read back by incremental resolution,
so an article is tokenised once, not every time its block is clustered again (also across
processes). A row is trusted only for the article's current `ingested_at` and
`FEATURES_VERSION`; anything else is computed from the text and written again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import numpy as np

from sitrep.model import ArticleRef
from sitrep.resolve.story_days import summary
from sitrep.resolve.story_features import FEATURES_VERSION, Analysers, StoryFeatures
from sitrep.store.ranged import rows_by_id


def write_story_features(con: duckdb.DuckDBPyConnection, block: Sequence[StoryFeatures]) -> None:
    """Store these articles' features, stamped with their `ingested_at`, replacing older
    rows (delete, then insert: joining the articles in the INSERT, or INSERT OR REPLACE,
    made it ~2.5 ms an article instead of ~0.2)."""
    ids = [f.id for f in block]
    if not ids:
        return
    stamps = dict(
        con.execute(
            "SELECT id, ingested_at FROM articles WHERE id IN (SELECT unnest($1))", [ids]
        ).fetchall()
    )
    block = [f for f in block if f.id in stamps]
    columns: list[list[Any]] = [
        [f.id for f in block],
        [stamps[f.id] for f in block],
        [f.words for f in block],
        [f.first_line for f in block],
        [list(f.names) for f in block],
        [list(f.ends) for f in block],
        [f.terms.astype("<u8").tobytes() for f in block],
        [f.counts.astype("<u4").tobytes() for f in block],
    ]
    con.execute("DELETE FROM story_features WHERE article_id IN (SELECT unnest($1))", [ids])
    con.execute(
        "INSERT INTO story_features SELECT f.aid, f.stamp, $9, f.words, f.first_line, f.names, "
        "f.ends, f.terms, f.counts FROM (SELECT unnest($1) AS aid, "
        "unnest($2::TIMESTAMP[]) AS stamp, unnest($3) AS words, unnest($4) AS first_line, "
        "unnest($5::VARCHAR[][]) AS names, unnest($6::INTEGER[][]) AS ends, "
        "unnest($7::BLOB[]) AS terms, unnest($8::BLOB[]) AS counts) f",
        [*columns, FEATURES_VERSION],
    )


def current_ids(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> set[str]:
    """The articles among `ids` whose stored features are current (their `ingested_at`,
    this `FEATURES_VERSION`)."""
    rows = con.execute(
        "SELECT f.article_id FROM story_features f JOIN articles a ON a.id = f.article_id "
        "WHERE f.version = $2 AND f.ingested_at IS NOT DISTINCT FROM a.ingested_at "
        "AND f.article_id IN (SELECT unnest($1))",
        [list(ids), FEATURES_VERSION],
    ).fetchall()
    return {str(row[0]) for row in rows}


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
        # Features already stored for the article as it is (a full resolution after
        # incremental ones) are not written again.
        current = current_ids(self._cursor, [f.id for f in self._pending])
        write_story_features(self._cursor, [f for f in self._pending if f.id not in current])
        self._pending = []

    def close(self) -> None:
        self._write()
        self._cursor.close()


def read_story_features(
    con: duckdb.DuckDBPyConnection,
    ids: Sequence[str],
    analysers: Analysers,
    known: Mapping[str, ArticleRef] | None = None,
) -> list[StoryFeatures]:
    """These articles' features in canonical order: stored ones where they are current,
    the others computed from the texts (`known` ones from the articles given: the new
    articles, whose texts the caller holds) and stored."""
    places = {
        row[0]: row
        for row in con.execute(
            "SELECT id, published, outlet, title, ingested_at FROM articles "
            "WHERE id IN (SELECT unnest($1))",
            [list(ids)],
        ).fetchall()
    }
    stored = {
        row[0]: row
        for row in rows_by_id(
            con,
            "t.article_id, t.ingested_at, t.version, t.words, t.first_line, t.names, t.ends, "
            "t.terms, t.counts",
            "story_features",
            "article_id",
            list(places),
        )
        # Current: computed from the article as it is now, by this version's analysers.
        if row[1] == places[row[0]][4] and row[2] == FEATURES_VERSION
    }
    stale = [aid for aid in places if aid not in stored]
    computed = {f.id: f for f in _compute(con, stale, analysers, known or {})}
    out = [
        computed[aid] if aid in computed else _features(places[aid], stored[aid]) for aid in places
    ]
    return sorted(out, key=lambda f: (f.published or "9999", f.id))


def read_story_summaries(
    con: duckdb.DuckDBPyConnection,
    ids: Sequence[str],
    analysers: Analysers,
    known: Mapping[str, ArticleRef] | None = None,
) -> list[StoryFeatures]:
    """These articles' features without their bags of terms (`story_days.summary`), in
    canonical order: what a story's fields are made of. Read from narrow columns only,
    wherever the rows lie; articles without current stored features are read (or
    computed) whole (`read_story_features`)."""
    rows = con.execute(
        "SELECT a.id, a.published, a.outlet, a.title, a.ingested_at, f.words, f.first_line, "
        "f.names FROM articles a JOIN story_features f ON f.article_id = a.id "
        "WHERE a.id IN (SELECT unnest($1)) AND f.version = $2 "
        "AND f.ingested_at IS NOT DISTINCT FROM a.ingested_at",
        [list(ids), FEATURES_VERSION],
    ).fetchall()
    found = [
        _features(row[:5], (None, None, None, row[5], row[6], row[7], (), b"", b"")) for row in rows
    ]
    read = {f.id for f in found}
    rest = read_story_features(con, [aid for aid in ids if aid not in read], analysers, known)
    out = found + [summary(f) for f in rest]
    return sorted(out, key=lambda f: (f.published or "9999", f.id))


class StoredFeatures:
    """The store as incremental resolution's `FeatureSource`: features of stored articles
    as stored, of new ones (`known`) computed and stored."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        analysers: Analysers,
        known: Mapping[str, ArticleRef],
    ) -> None:
        self._con = con
        self._analysers = analysers
        self._known = known

    def features(self, ids: list[str]) -> list[StoryFeatures]:
        return read_story_features(self._con, ids, self._analysers, self._known)

    def summaries(self, ids: list[str]) -> list[StoryFeatures]:
        return read_story_summaries(self._con, ids, self._analysers, self._known)


def _features(place: tuple[Any, ...], row: tuple[Any, ...]) -> StoryFeatures:
    aid, published, outlet, title, _ = place
    words, first_line, names, ends, terms, counts = row[3:]
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
    con: duckdb.DuckDBPyConnection,
    ids: list[str],
    analysers: Analysers,
    known: Mapping[str, ArticleRef],
) -> list[StoryFeatures]:
    unknown = [aid for aid in ids if aid not in known]
    rows = rows_by_id(
        con, "t.id, t.text, t.title, t.outlet, t.published, t.wire", "articles", "id", unknown
    )
    articles = [known[aid] for aid in ids if aid in known] + [ArticleRef(*row) for row in rows]
    features = [analysers.features(article) for article in articles]
    write_story_features(con, features)
    return features
