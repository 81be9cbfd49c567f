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
        total += weight * cosine_similarity(matrix)
    return total


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def _blocks(ordered: list[ArticleRef], settings: ResolveSettings) -> list[list[ArticleRef]]:
    """Runs of articles whose dates are within the window of the previous one, capped."""
    blocks: list[list[ArticleRef]] = []
    previous: date | None = None
    for article in ordered:
        day = _day(article.published)
        gap = day is None or previous is None or (day - previous).days > settings.story_window_days
        starts_new = not blocks or len(blocks[-1]) >= settings.story_max_block
        if starts_new or (gap and not (day is None and previous is None)):
            blocks.append([])
        blocks[-1].append(article)
        previous = day
    return blocks


def _cluster_block(block: list[ArticleRef], settings: ResolveSettings) -> list[list[int]]:
    if len(block) == 1:
        return [[0]]
    from sklearn.cluster import AgglomerativeClustering

    sim = similarity(block, settings.story_weights)
    days = [_day(a.published) for a in block]
    if all(d is not None for d in days):
        ordinals = np.array([d.toordinal() for d in days if d is not None])
        apart = np.abs(ordinals[:, None] - ordinals[None, :]) > settings.story_window_days
        sim[apart] = 0.0
    distance = np.clip(1.0 - sim, 0.0, None)
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


def cluster_stories(articles: Sequence[ArticleRef], settings: ResolveSettings) -> list[Story]:
    """Stories over all the articles, deterministic and independent of input order."""
    ordered = sorted(articles, key=lambda a: (a.published or "9999", a.id))
    stories: list[Story] = []
    for block in _blocks(ordered, settings):
        for members in _cluster_block(block, settings):
            stories.append(_story([block[i] for i in members]))
    stories.sort(key=lambda s: (s.first_seen or "9999", s.story_id))
    return stories


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
