"""Story features computed once and kept: the similarity they give is the one TF-IDF fitted
on the texts gives, a new process reads them from the store instead of tokenising, an old
store gains them through its migration, and the copy candidates found by sorting stored
signatures' bands are those of an LSH index of them."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest
from numpy.typing import NDArray

from old_store import store_before
from sitrep.finish import resolve_store
from sitrep.model import ArticleRef
from sitrep.resolve.dedup import Deduplicator
from sitrep.resolve.incremental import band_matches
from sitrep.resolve.story_days import summary
from sitrep.resolve.story_features import (
    Analysers,
    StoryFeatures,
    lead_text,
    names_text,
    similarity,
)
from sitrep.settings import ResolveSettings, Settings
from sitrep.store.db import connect
from sitrep.store.story_features import read_story_features, read_story_summaries
from sitrep.store.write import insert_rows

_PLACES = ["Kharkiv", "Odesa", "Port Velmora", "Minsk", "Lake Orlin", "Tartus"]
_WORDS = [
    "shelling",
    "convoy",
    "ceasefire",
    "drone",
    "refinery",
    "talks",
    "harbour",
    "grain",
    "corridor",
    "evacuation",
    "artillery",
    "brigade",
    "governor",
    "mayor",
    "electricity",
    "blackout",
    "prisoners",
    "exchange",
    "envoy",
    "summit",
    "sanctions",
    "tanker",
    "pipeline",
    "village",
    "bridge",
    "checkpoint",
    "curfew",
    "protest",
    "parliament",
    "vote",
]


def _texts(seed: int, count: int) -> list[ArticleRef]:
    """Articles of a few topics (shared places and words), with titles, paragraphs,
    figures and the odd stop-word-only or empty text."""
    rnd = random.Random(seed)
    out: list[ArticleRef] = []
    for n in range(count):
        topic = n % 5
        place = _PLACES[topic]
        words = rnd.sample(_WORDS[topic * 5 : topic * 5 + 9], 6) + rnd.sample(_WORDS, 4)
        paragraphs = [
            f"{place} officials said {rnd.randint(2, 900)} people left on Monday. "
            + " ".join(words),
            f"The Governor of {place} said the {words[0]} would go on. " + " ".join(words[::-1]),
            " ".join(rnd.sample(_WORDS, 8)),
        ]
        text = "\n".join(paragraphs[: rnd.randint(1, 3)])
        if n == 7:
            text = "It was the and of the."  # stop words only
        title = None if n % 4 == 3 else f"{place}: {words[1]} and {words[2]}"
        out.append(ArticleRef(f"a{n:02}", text, title, rnd.choice(["AP", "BBC"]), None))
    return out


def _fresh_similarity(articles: list[ArticleRef], weights: tuple[float, ...]) -> NDArray[Any]:
    """The similarity as TF-IDF fitted on the block's texts gives it (scikit-learn)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    texts = [f"{a.title or ''}\n{a.text}" for a in articles]
    views = [
        TfidfVectorizer(sublinear_tf=True, stop_words="english"),
        TfidfVectorizer(sublinear_tf=True, token_pattern=r"\S+"),
        TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(2, 2), min_df=2),
        TfidfVectorizer(sublinear_tf=True, stop_words="english"),
    ]
    inputs = [
        texts,
        [names_text(t) for t in texts],
        texts,
        [lead_text(a.title, a.text) for a in articles],
    ]
    total = np.zeros((len(articles), len(articles)))
    for weight, vectorizer, docs in zip(weights, views, inputs, strict=True):
        try:
            total += weight * cosine_similarity(vectorizer.fit_transform(docs))
        except ValueError:  # empty vocabulary
            continue
    return total


@pytest.mark.parametrize("seed", [1, 2])
def test_features_give_the_similarity_of_tfidf_fitted_on_the_texts(seed: int) -> None:
    articles = _texts(seed, 24)
    analysers = Analysers()
    features = [analysers.features(a) for a in articles]
    weights = ResolveSettings().story_weights
    expected = _fresh_similarity(articles, weights)
    assert np.allclose(similarity(features, weights), expected, rtol=0, atol=1e-12)
    # Each view alone too (the word pairs' min_df, the names view without stop words).
    for view in range(4):
        only = tuple(1.0 if v == view else 0.0 for v in range(4))
        got = similarity(features, only)
        assert np.allclose(got, _fresh_similarity(articles, only), rtol=0, atol=1e-12)
        assert got.max() > 0.2  # the view has shared terms: the test compares something


def test_a_block_of_stop_words_only_has_no_similarity() -> None:
    analysers = Analysers()
    block = [
        analysers.features(ArticleRef(f"s{n}", "the of and", None, None, None)) for n in (1, 2)
    ]
    assert not similarity(block, (0.3, 0.0, 0.2, 0.3)).any()


def _store_articles(con: duckdb.DuckDBPyConnection, articles: list[ArticleRef], stamp: int) -> None:
    rows = [
        {
            "id": a.id,
            "text": a.text,
            "title": a.title,
            "outlet": a.outlet,
            "published": f"2024-05-{1 + int(a.id[1:]) % 20:02}",
            "ingested_at": f"2025-01-01 00:00:{stamp:02}",
        }
        for a in articles
    ]
    insert_rows(con, "articles", rows)


class _CountingAnalysers(Analysers):
    """Analysers that count the articles they tokenise."""

    def __init__(self) -> None:
        super().__init__()
        self.computed: list[str] = []

    def features(self, article: ArticleRef) -> StoryFeatures:
        self.computed.append(article.id)
        return super().features(article)


def _same(a: StoryFeatures, b: StoryFeatures) -> bool:
    return (
        (a.id, a.published, a.outlet, a.title, a.first_line, a.words, a.names, a.ends)
        == (b.id, b.published, b.outlet, b.title, b.first_line, b.words, b.names, b.ends)
        and np.array_equal(a.terms, b.terms)
        and np.array_equal(a.counts, b.counts)
    )


def test_a_new_process_reads_the_features_a_full_resolution_stored(tmp_path: Path) -> None:
    articles = _texts(3, 20)
    path = tmp_path / "s.duckdb"
    con = connect(path)
    _store_articles(con, articles, 0)
    assert resolve_store(con, Settings()) is None  # full: writes every block's features
    con.close()

    con = connect(path)  # another connection, as a restarted process has
    counting = _CountingAnalysers()
    ids = [a.id for a in articles]
    read = read_story_features(con, ids, counting)
    assert counting.computed == []  # nothing tokenised again
    fresh = {a.id: Analysers().features(a) for a in articles}
    published = dict(con.execute("SELECT id, published FROM articles").fetchall())
    from dataclasses import replace

    assert all(_same(f, replace(fresh[f.id], published=published[f.id])) for f in read)
    assert [f.id for f in read] == sorted(ids, key=lambda i: (published[i], i))

    # A rewritten article (another ingested_at) is tokenised again, and stored again.
    con.execute(
        "UPDATE articles SET text = 'Kharkiv new text', ingested_at = now() WHERE id = 'a05'"
    )
    read = read_story_features(con, ids, counting)
    assert counting.computed == ["a05"]
    assert next(f for f in read if f.id == "a05").names == ("Kharkiv",)
    counting.computed.clear()
    read_story_features(con, ids, counting)
    assert counting.computed == []
    con.close()


def test_summaries_are_the_features_less_their_bags_and_new_articles_get_theirs(
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    articles = _texts(5, 12)
    con = connect(tmp_path / "s.duckdb")
    _store_articles(con, articles[:10], 0)
    resolve_store(con, Settings())  # stores the first ten's features
    _store_articles(con, articles[10:], 1)  # two without stored features
    published = dict(con.execute("SELECT id, published FROM articles").fetchall())
    known = {a.id: replace(a, published=published[a.id]) for a in articles[10:]}  # as stored
    counting = _CountingAnalysers()
    ids = [a.id for a in articles]
    read = read_story_summaries(con, ids, counting, known)
    assert sorted(counting.computed) == ["a10", "a11"]  # only the new ones tokenised
    assert [f.id for f in read] == sorted(ids, key=lambda i: (published[i], i))
    fresh = {a.id: Analysers().features(a) for a in articles}
    for f in read:
        assert not len(f.terms) and not len(f.counts)
        assert _same(f, summary(replace(fresh[f.id], published=published[f.id])))
    # The new ones were stored on the way: read again, nothing is tokenised.
    counting.computed.clear()
    read_story_summaries(con, ids, counting)
    assert counting.computed == []


def test_similarity_from_a_row_on_is_those_rows_of_the_whole_matrix() -> None:
    block = [Analysers().features(a) for a in _texts(6, 15)]
    whole = similarity(block, (0.3, 0.2, 0.2, 0.3))
    assert np.allclose(similarity(block, (0.3, 0.2, 0.2, 0.3), 11), whole[11:], atol=1e-12)


def _store_before_015(path: Path) -> None:
    """A store as sitrep wrote it before migration 015 (no story features)."""
    store_before(path, 15).close()


def test_an_old_store_gains_features_and_resolves_incrementally_as_in_full(tmp_path: Path) -> None:
    articles = _texts(4, 30)
    old = tmp_path / "old.duckdb"
    _store_before_015(old)
    con = connect(old)  # migrated: the table is there, empty
    assert con.execute("SELECT count(*) FROM story_features").fetchone() == (0,)
    _store_articles(con, articles[:25], 0)
    assert resolve_store(con, Settings()) is None
    con.execute("DELETE FROM story_features")  # as a resolution before 015 left it
    _store_articles(con, articles[25:], 1)
    done = resolve_store(con, Settings())
    assert done is not None and done.block_articles > 5
    stored = con.execute("SELECT count(*) FROM story_features").fetchone()
    assert stored is not None and stored[0] >= done.block_articles  # computed, then kept
    incremental = con.execute("SELECT id, story_id FROM articles ORDER BY id").fetchall()
    stories = con.execute("SELECT * FROM stories ORDER BY story_id").fetchall()
    assert resolve_store(con, Settings(), full=True) is None
    assert con.execute("SELECT id, story_id FROM articles ORDER BY id").fetchall() == incremental
    assert con.execute("SELECT * FROM stories ORDER BY story_id").fetchall() == stories
    assert len(stories) < len(articles)  # some stories have several articles
    con.close()


def _lsh_candidates(
    stored: NDArray[np.uint64], new: NDArray[np.uint64], settings: ResolveSettings, scheme: str
) -> set[tuple[int, int]]:
    """What an LSH index holding both returns for each new signature (datasketch)."""
    from datasketch import LeanMinHash, MinHashLSH

    lsh = MinHashLSH(threshold=settings.dedup_threshold, num_perm=settings.minhash_permutations)
    every = np.vstack([stored, new])
    for row, values in enumerate(every):
        lsh.insert(row, LeanMinHash(seed=1, hashvalues=values, scheme=scheme))
    found: set[tuple[int, int]] = set()
    for j in range(len(stored), len(every)):
        for i in lsh.query(LeanMinHash(seed=1, hashvalues=every[j], scheme=scheme)):
            if i != j:
                found.add((min(i, j), max(i, j)))
    return found


def test_band_matches_are_the_candidates_of_an_lsh_index() -> None:
    settings = ResolveSettings()
    dedup = Deduplicator(settings)
    rnd = random.Random(7)
    base = [" ".join(rnd.choice(_WORDS) for _ in range(60)) for _ in range(30)]
    # Reprints: a few words changed, so some bands agree and others do not.
    texts = base + [t.replace(t.split()[k], "edited", 1) for k, t in enumerate(base[:12])]
    signed = []
    for text in texts:
        signature = dedup.signature(text)[0]
        assert signature is not None
        signed.append(signature.hashvalues)
    matrix = np.array(signed, dtype=np.uint64)
    stored, new = matrix[:36], matrix[36:]
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=settings.dedup_threshold, num_perm=settings.minhash_permutations)
    assert dedup.bands == (lsh.b, lsh.r)
    found = band_matches(stored, new, *dedup.bands)
    expected = _lsh_candidates(stored, new, settings, dedup.scheme)
    assert found == expected
    assert len(expected) >= 6  # reprints and their originals are found
