"""Stories: articles about the same real-world story, clustered across outlets.

Similarity of two articles is a weighted mix of TF-IDF cosines over (1) content words,
(2) names and numbers (capitalised runs, figures), (3) word pairs and (4) the lead
paragraph; articles more than `story_window_days` apart never meet. Clustering is
average-linkage agglomeration (merge while the mean similarity ≥ `story_threshold`) over
date-contiguous blocks, with articles in a canonical order (date, id), so the result does
not depend on the order they arrived in. Tuned on ECB+ subtopics and AllSides stories.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

import numpy as np
from numpy.typing import NDArray

from sitrep.model import ArticleRef, Story
from sitrep.model.ids import digest
from sitrep.settings import ResolveSettings

_NAME = re.compile(r"\b(?:[A-Z][\w'’.-]*|\d[\d,.]*)(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’.-]*)*")
_NOT_NAMES = {
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


def _names(text: str) -> str:
    """Names and numbers as tokens: "Alexander_Lukashenko alexander lukashenko 2,000"."""
    out: list[str] = []
    for match in _NAME.finditer(text):
        found = match.group(0)
        if found in _NOT_NAMES or len(found) < 2:
            continue
        out.append(found.lower().replace(" ", "_"))
        out.extend(w.lower() for w in found.split() if w not in _NOT_NAMES and len(w) > 2)
    return " ".join(out)


def _lead(article: ArticleRef) -> str:
    paragraphs = [p for p in article.text.split("\n") if p.strip()][:2]
    return "\n".join(([article.title] if article.title else []) + paragraphs)


def similarity(articles: Sequence[ArticleRef], weights: Sequence[float]) -> NDArray[np.float64]:
    """The weighted similarity matrix of the articles (dense; one block at a time)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    texts = [f"{a.title or ''}\n{a.text}" for a in articles]
    views = [
        TfidfVectorizer(sublinear_tf=True, stop_words="english"),
        TfidfVectorizer(sublinear_tf=True, token_pattern=r"\S+"),
        TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(2, 2), min_df=2),
        TfidfVectorizer(sublinear_tf=True, stop_words="english"),
    ]
    inputs = [texts, [_names(t) for t in texts], texts, [_lead(a) for a in articles]]
    total = np.zeros((len(articles), len(articles)))
    for weight, vectorizer, docs in zip(weights, views, inputs, strict=True):
        if weight == 0:
            continue
        try:
            matrix = vectorizer.fit_transform(docs)
        except ValueError:  # empty vocabulary (tiny or stop-word-only input)
            continue
        cosine = cosine_similarity(matrix)
        cosine *= weight  # in place: one dense n×n temporary at a time
        total += cosine
        del cosine
    return total


def day_of(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def starts_block(
    size: int, previous: date | None, day: date | None, settings: ResolveSettings
) -> bool:
    """Whether an article starts a new block after one of `size` articles: its date is more
    than the window after the previous one's (or one of them is undated, but not both), or
    the block is full."""
    if not size or size >= settings.story_max_block:
        return True
    gap = day is None or previous is None or (day - previous).days > settings.story_window_days
    return gap and not (day is None and previous is None)


def _cluster_block(block: list[ArticleRef], settings: ResolveSettings) -> list[list[int]]:
    if len(block) == 1:
        return [[0]]
    from sklearn.cluster import AgglomerativeClustering

    sim = similarity(block, settings.story_weights)
    days = [day_of(a.published) for a in block]
    if all(d is not None for d in days):
        ordinals = np.array([d.toordinal() for d in days if d is not None], dtype=np.int32)
        gaps = np.subtract.outer(ordinals, ordinals)
        np.abs(gaps, out=gaps)
        sim[gaps > settings.story_window_days] = 0.0
        del gaps
    # The distance is computed in place over `sim`: no second dense matrix.
    distance = np.subtract(1.0, sim, out=sim)
    np.clip(distance, 0.0, None, out=distance)
    np.fill_diagonal(distance, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1.0 - settings.story_threshold,
    ).fit(distance)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(model.labels_):
        groups.setdefault(int(label), []).append(index)
    return sorted(groups.values())


def block_stories(block: list[ArticleRef], settings: ResolveSettings) -> list[Story]:
    """The stories of one block (articles in canonical order): a function of the block's
    articles alone, which is what lets incremental resolution redo only changed blocks."""
    return [_story([block[i] for i in members]) for members in _cluster_block(block, settings)]


class StoryClusterer:
    """Feed articles in canonical order (date, id); each block is clustered as soon as it
    closes and only its stories are kept, so the texts of one block are in memory at once."""

    def __init__(self, settings: ResolveSettings) -> None:
        self._settings = settings
        self._block: list[ArticleRef] = []
        self._previous: date | None = None
        self._stories: list[Story] = []

    def add(self, article: ArticleRef) -> None:
        day = day_of(article.published)
        if starts_block(len(self._block), self._previous, day, self._settings):
            self._flush()
        self._block.append(article)
        self._previous = day

    def _flush(self) -> None:
        block, self._block = self._block, []
        if block:
            self._stories.extend(block_stories(block, self._settings))

    def stories(self) -> list[Story]:
        self._flush()
        return sorted(self._stories, key=lambda s: (s.first_seen or "9999", s.story_id))


def cluster_stories(articles: Sequence[ArticleRef], settings: ResolveSettings) -> list[Story]:
    """Stories over all the articles, deterministic and independent of input order."""
    clusterer = StoryClusterer(settings)
    for article in sorted(articles, key=lambda a: (a.published or "9999", a.id)):
        clusterer.add(article)
    return clusterer.stories()


def _story(members: list[ArticleRef]) -> Story:
    members = sorted(members, key=lambda a: (a.published or "9999", a.id))
    dates = [a.published for a in members if a.published]
    outlets = sorted({a.outlet for a in members if a.outlet})
    return Story(
        story_id="s" + digest(*sorted(a.id for a in members)),
        title=_label(members),
        article_ids=[a.id for a in members],
        first_seen=min(dates) if dates else None,
        last_seen=max(dates) if dates else None,
        outlets=outlets,
        key_actors=_key_names(members),
    )


def _label(members: list[ArticleRef]) -> str:
    """The earliest title, else the first line of the earliest article."""
    for article in members:
        if article.title:
            return article.title
    return members[0].text.strip().split("\n")[0][:120]


def _key_names(members: list[ArticleRef], top: int = 5) -> list[str]:
    counts: Counter[str] = Counter()
    for article in members:
        counts.update({m.group(0) for m in _NAME.finditer(article.text)} - _NOT_NAMES)
    return [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
