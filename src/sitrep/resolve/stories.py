"""Stories: articles about the same real-world story, clustered across outlets.

Similarity of two articles is a weighted mix of TF-IDF cosines over (1) content words,
(2) names and numbers (capitalised runs, figures), (3) word pairs and (4) the lead
paragraph, fitted on each block from every article's bags of terms, tokenised once
(story_features.py); articles more than `story_window_days` apart never meet. Clustering is
average-linkage agglomeration (merge while the mean similarity ≥ `story_threshold`, more
in undated blocks of short texts: `block_threshold`) over blocks, with articles in a
canonical order (date, id), so the result does not depend on the order they arrived in.
A dated block lies within one fixed calendar run of `story_block_days` days and one
date-contiguous run; undated articles are split by a hash of their ids: every block
boundary depends only on the articles near it, which keeps incremental resolution local.
Tuned on ECB+ subtopics and AllSides stories.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date

import numpy as np

from sitrep.model import ArticleRef, Story
from sitrep.model.ids import digest
from sitrep.resolve.story_features import Analysers, StoryFeatures, similarity
from sitrep.settings import ResolveSettings

# An undated block of short texts needs at most this multiple of `story_threshold`: beyond
# it, headline-only blocks (ten words) would join nothing but near-copies.
_MAX_UNDATED_RAISE = 2.0


def day_of(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def calendar_block(day: date, settings: ResolveSettings) -> int:
    """The fixed run of `story_block_days` days a dated article's block lies in, counted
    from 0001-01-01 (a Monday: 7-day runs are weeks Monday–Sunday). It depends on the
    article's date alone, so an arrival never moves another run's boundaries (0: no runs)."""
    days = settings.story_block_days
    return (day.toordinal() - 1) // days if days > 0 else 0


def starts_block(size: int, previous: date, day: date, settings: ResolveSettings) -> bool:
    """Whether a dated article starts a new block after one of `size` dated articles (in
    canonical order) ending on `previous`: it is the first, the block is full, it falls in
    another calendar run, or more than the window lies between them. A boundary depends
    only on the articles of its calendar run."""
    return (
        not size
        or size >= settings.story_max_block
        or calendar_block(day, settings) != calendar_block(previous, settings)
        or (day - previous).days > settings.story_window_days
    )


def _hash_bits(aid: str) -> int:
    return int(digest("story-block", aid), 16)  # 64 bits, stable across runs and machines


def undated_blocks(ids: Sequence[str], settings: ResolveSettings) -> list[list[str]]:
    """Blocks of undated articles: all in one while they fit `story_max_block`, else split
    in two by the next bit of a hash of the id, and again, until each part fits. A part's
    boundaries depend only on the articles whose hashes share its prefix, so an undated
    arrival changes one block (or splits it), never the others; unlike order by id, the
    split keeps nothing together that an id happens to encode."""
    out: list[list[str]] = []
    pending: list[tuple[list[tuple[int, str]], int]] = [
        (sorted((_hash_bits(aid), aid) for aid in ids), 0)
    ]
    while pending:
        part, depth = pending.pop()
        if not part:
            continue
        if len(part) <= settings.story_max_block or depth >= 64:
            out.append(sorted(aid for _, aid in part))
            continue
        bit = 63 - depth
        pending.append(([p for p in part if not p[0] >> bit & 1], depth + 1))
        pending.append(([p for p in part if p[0] >> bit & 1], depth + 1))
    return sorted(out)


def story_blocks(
    order: Sequence[tuple[str, str | None]], settings: ResolveSettings
) -> list[tuple[str, ...]]:
    """The blocks `StoryClusterer` clusters, as id tuples, for (id, published) in
    canonical order: dated blocks first, in order, then the undated ones."""
    blocks: list[tuple[str, ...]] = []
    current: list[str] = []
    previous: date | None = None
    undated: list[str] = []
    for aid, published in order:
        day = day_of(published)
        if day is None:
            undated.append(aid)
            continue
        if current and previous is not None and starts_block(len(current), previous, day, settings):
            blocks.append(tuple(current))
            current = []
        current.append(aid)
        previous = day
    if current:
        blocks.append(tuple(current))
    return blocks + [tuple(block) for block in undated_blocks(undated, settings)]


def block_threshold(block: Sequence[StoryFeatures], settings: ResolveSettings) -> float:
    """The similarity a story needs in this block. Dated blocks: `story_threshold` (the
    window keeps a recurring topic's stories apart). Undated blocks of short texts (median
    below `story_undated_words`): story_threshold × sqrt(story_undated_words / median), at
    most `_MAX_UNDATED_RAISE` times it. A lead mostly states its topic, so the leads of two
    stories of one topic (two weeks' jobless claims) look alike; full texts differ in their
    details. A function of the block's own articles, like its stories."""
    base = settings.story_threshold
    reference = settings.story_undated_words
    if reference <= 0 or any(day_of(a.published) is not None for a in block):
        return base
    median = float(np.median([a.words for a in block])) if block else float(reference)
    if median >= reference:
        return base
    return base * min(math.sqrt(reference / max(median, 1.0)), _MAX_UNDATED_RAISE)


def _cluster_block(block: list[StoryFeatures], settings: ResolveSettings) -> list[list[int]]:
    if len(block) == 1:
        return [[0]]
    from sklearn.cluster import AgglomerativeClustering

    sim = similarity(block, settings.story_weights)
    threshold = block_threshold(block, settings)
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
        distance_threshold=1.0 - threshold,
    ).fit(distance)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(model.labels_):
        groups.setdefault(int(label), []).append(index)
    return sorted(groups.values())


def block_stories(block: list[StoryFeatures], settings: ResolveSettings) -> list[Story]:
    """The stories of one block (articles in canonical order): a function of the block's
    articles alone, which is what lets incremental resolution redo only changed blocks."""
    return [_story([block[i] for i in members]) for members in _cluster_block(block, settings)]


# Called with each block's features as it is clustered (the store keeps them).
BlockSink = Callable[[list[StoryFeatures]], None]


class StoryClusterer:
    """Feed articles in canonical order (date, id); each dated block is clustered as soon as
    it closes and only its stories are kept, so the features of one dated block are in
    memory at once (the texts not at all). Undated articles (last in canonical order) wait
    for `stories`, which splits them (`undated_blocks`): their features are held together.
    `on_block` receives every block's features (store/story_features.py keeps them for
    incremental resolution)."""

    def __init__(self, settings: ResolveSettings, on_block: BlockSink | None = None) -> None:
        self._settings = settings
        self._analysers = Analysers()
        self._on_block = on_block
        self._block: list[StoryFeatures] = []
        self._previous: date | None = None
        self._undated: dict[str, StoryFeatures] = {}
        self._stories: list[Story] = []

    def add(self, article: ArticleRef) -> None:
        features = self._analysers.features(article)
        day = day_of(article.published)
        if day is None:
            self._undated[article.id] = features
            return
        previous = self._previous
        if previous is None or starts_block(len(self._block), previous, day, self._settings):
            self._flush()
        self._block.append(features)
        self._previous = day

    def _cluster(self, block: list[StoryFeatures]) -> None:
        self._stories.extend(block_stories(block, self._settings))
        if self._on_block is not None:
            self._on_block(block)

    def _flush(self) -> None:
        block, self._block = self._block, []
        if block:
            self._cluster(block)

    def stories(self) -> list[Story]:
        self._flush()
        for ids in undated_blocks(list(self._undated), self._settings):
            self._cluster([self._undated[i] for i in ids])
        self._undated = {}
        return sorted(self._stories, key=lambda s: (s.first_seen or "9999", s.story_id))


def cluster_stories(articles: Sequence[ArticleRef], settings: ResolveSettings) -> list[Story]:
    """Stories over all the articles, deterministic and independent of input order."""
    clusterer = StoryClusterer(settings)
    for article in sorted(articles, key=lambda a: (a.published or "9999", a.id)):
        clusterer.add(article)
    return clusterer.stories()


def _story(members: list[StoryFeatures]) -> Story:
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


def _label(members: list[StoryFeatures]) -> str:
    """The earliest title, else the first line of the earliest article."""
    for article in members:
        if article.title:
            return article.title
    return members[0].first_line


def _key_names(members: list[StoryFeatures], top: int = 5) -> list[str]:
    counts: Counter[str] = Counter()
    for article in members:
        counts.update(article.names)
    return [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
