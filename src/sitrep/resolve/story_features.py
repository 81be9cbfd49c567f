"""What story clustering reads of an article, computed once and kept (store/story_features.py).

The four views of the similarity (content words, names and numbers, word pairs, the lead)
are bags of terms produced by scikit-learn's own analysers; tokenising is the expensive part
of clustering, and an article's bags never change. The TF-IDF of a block (its vocabulary,
document frequencies and inverse document frequencies) is computed from the bags with
sparse arithmetic, exactly as `TfidfVectorizer(sublinear_tf=True)` computes it from the
texts: a block's similarity no longer needs its texts, only the bags.

Terms are kept as 64-bit BLAKE2b hashes (8 bytes each, no Python string per term when read
back). Two different terms of one view hashing alike would count as one; at 2^64 values and
~10^5 terms a block, that chance is ~10^-9 per block.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sitrep.model import ArticleRef

# Bump when an analyser, `names_text`, `lead_text` or the hashing changes: stored features
# of another version are computed again.
FEATURES_VERSION = 1

NAME = re.compile(r"\b(?:[A-Z][\w'’.-]*|\d[\d,.]*)(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’.-]*)*")
NOT_NAMES = frozenset(
    {
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "But",
        "And",
        "This",
        "That",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Mr",
        "Ms",
        "Mrs",
    }
)

# The word-pair view keeps only pairs found in at least this many articles of the block.
_PAIR_MIN_DF = 2
VIEWS = 4


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """An article as story clustering reads it: its place, label and key names, and its
    four bags of hashed terms (`terms` sorted within each view, views ending at `ends`)."""

    id: str
    published: str | None
    outlet: str | None
    title: str | None
    first_line: str  # the label when no member of the story has a title
    words: int  # words of title and text (`block_threshold`)
    names: tuple[str, ...]  # distinct names of the text, for the story's key actors
    ends: tuple[int, ...]
    terms: NDArray[np.uint64]
    counts: NDArray[np.uint32]

    def view(self, index: int) -> tuple[NDArray[np.uint64], NDArray[np.uint32]]:
        start = self.ends[index - 1] if index else 0
        return self.terms[start : self.ends[index]], self.counts[start : self.ends[index]]


def names_text(text: str) -> str:
    """Names and numbers as tokens: "Alexander_Lukashenko alexander lukashenko 2,000"."""
    out: list[str] = []
    for match in NAME.finditer(text):
        found = match.group(0)
        if found in NOT_NAMES or len(found) < 2:
            continue
        out.append(found.lower().replace(" ", "_"))
        out.extend(w.lower() for w in found.split() if w not in NOT_NAMES and len(w) > 2)
    return " ".join(out)


def lead_text(title: str | None, text: str) -> str:
    paragraphs = [p for p in text.split("\n") if p.strip()][:2]
    return "\n".join(([title] if title else []) + paragraphs)


Analyser = Callable[[str], list[str]]


class Analysers:
    """scikit-learn's analysers of the four views, built once (each checks its stop words
    on first use)."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.views: tuple[Analyser, ...] = tuple(
            TfidfVectorizer(**options).build_analyzer()
            for options in (
                {"stop_words": "english"},
                {"token_pattern": r"\S+"},
                {"stop_words": "english", "ngram_range": (2, 2)},
                {"stop_words": "english"},
            )
        )

    def features(self, article: ArticleRef) -> StoryFeatures:
        text = f"{article.title or ''}\n{article.text}"
        inputs = (text, names_text(text), text, lead_text(article.title, article.text))
        terms: list[NDArray[np.uint64]] = []
        counts: list[NDArray[np.uint32]] = []
        for analyse, doc in zip(self.views, inputs, strict=True):
            hashed, counted = _bag(analyse(doc))
            terms.append(hashed)
            counts.append(counted)
        names = {m.group(0) for m in NAME.finditer(article.text)} - NOT_NAMES
        return StoryFeatures(
            id=article.id,
            published=article.published,
            outlet=article.outlet,
            title=article.title,
            first_line=article.text.strip().split("\n")[0][:120],
            words=len(text.split()),
            names=tuple(sorted(names)),
            ends=tuple(int(n) for n in np.cumsum([len(t) for t in terms])),
            terms=np.concatenate(terms),
            counts=np.concatenate(counts),
        )


def _bag(tokens: list[str]) -> tuple[NDArray[np.uint64], NDArray[np.uint32]]:
    """Distinct hashed terms, sorted, and their counts."""
    counted = Counter(tokens)
    if not counted:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint32)
    joined = b"".join(hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest() for t in counted)
    hashes = np.frombuffer(joined, dtype="<u8").astype(np.uint64)
    order = np.argsort(hashes, kind="stable")
    values = np.fromiter(counted.values(), dtype=np.uint32, count=len(counted))
    return hashes[order], values[order]


def _term_columns(terms: NDArray[np.uint64]) -> NDArray[np.int64]:
    """Each term's column: its rank among the distinct terms (`np.unique`'s inverse). A
    stable sort, because the terms are sorted runs (one per article), which it merges."""
    order = np.argsort(terms, kind="stable")
    ordered = terms[order]
    starts = np.empty(len(ordered), dtype=bool)
    starts[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    columns = np.empty(len(ordered), dtype=np.int64)
    columns[order] = np.cumsum(starts) - 1
    return columns


def view_cosines(
    block: Sequence[StoryFeatures], index: int, start: int = 0
) -> NDArray[np.float64] | None:
    """Cosine similarities of one view's TF-IDF over the block, as TfidfVectorizer
    (sublinear tf, smoothed idf, l2 rows) fitted on the block gives them, of the articles
    from `start` on (rows) with every article (columns); None when the block has no term
    in this view (the vectorizer's empty vocabulary)."""
    from scipy.sparse import csr_matrix
    from sklearn.utils.extmath import safe_sparse_dot

    bags = [f.view(index) for f in block]
    sizes = np.array([len(t) for t, _ in bags], dtype=np.int64)
    if not sizes.sum():
        return None
    terms = np.concatenate([t for t, _ in bags])
    counts = np.concatenate([c for _, c in bags]).astype(np.float64)
    rows = np.repeat(np.arange(len(block)), sizes)
    columns = _term_columns(terms)
    df = np.bincount(columns)
    if index == 2:  # word pairs: min_df
        kept = df >= _PAIR_MIN_DF
        if not kept.any():
            return None
        remap = np.cumsum(kept) - 1
        keep_entry = kept[columns]
        rows, columns, counts = rows[keep_entry], remap[columns[keep_entry]], counts[keep_entry]
        df = df[kept]
    idf = np.log((len(block) + 1) / (df.astype(np.float64) + 1.0)) + 1.0
    values = (np.log(counts) + 1.0) * idf[columns]
    norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(block)))
    norms[norms == 0.0] = 1.0
    values /= norms[rows]
    matrix = csr_matrix((values, (rows, columns)), shape=(len(block), len(df)))
    # Straight into a dense result, as `cosine_similarity` does: no sparse n×n product first.
    rows_wanted = matrix[start:] if start else matrix
    return np.asarray(safe_sparse_dot(rows_wanted, matrix.T, dense_output=True), dtype=np.float64)


def similarity(
    block: Sequence[StoryFeatures], weights: Sequence[float], start: int = 0
) -> NDArray[np.float64]:
    """The weighted similarity matrix of the block (dense; one block at a time): the rows
    of the articles from `start` on, against every article of the block."""
    total = np.zeros((len(block) - start, len(block)))
    for index, weight in zip(range(VIEWS), weights, strict=True):
        if weight == 0:
            continue
        cosine = view_cosines(block, index, start)
        if cosine is None:
            continue
        cosine *= weight  # in place: one dense n×n temporary at a time
        total += cosine
        del cosine
    return total
