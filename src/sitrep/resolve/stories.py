"""Stories: articles about the same real-world story, clustered across outlets.

Similarity of two articles is a weighted mix of TF-IDF cosines over (1) content words,
(2) names and numbers (capitalised runs, figures), (3) word pairs and (4) the lead
paragraph, computed from every article's bags of terms, tokenised once
(story_features.py); articles more than `story_window_days` apart never meet. Clustering is
average-linkage agglomeration (merge while the mean similarity is above
`story_threshold`, more in undated blocks of short texts: `block_threshold`) with articles
in a canonical order (date, id), so the result does not depend on the order they arrived
in. Dated articles are clustered day by day against the stories still open
(story_days.py): a story's first days never depend on later ones. Undated articles are
clustered in blocks, split by a hash of their ids once they outgrow `story_max_block`:
every block boundary depends only on the articles near it, which keeps incremental
resolution local. Tuned on ECB+ subtopics and AllSides stories.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date

import numpy as np

from sitrep.model import ArticleRef, Story
from sitrep.model.ids import digest
from sitrep.resolve.dedup import day_number
from sitrep.resolve.story_days import StoryDays
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
    """The stories of one block of undated articles (canonical order): a function of the
    block's articles alone, which is what lets incremental resolution redo only changed
    blocks."""
    return [story_of([block[i] for i in members]) for members in _cluster_block(block, settings)]


# Called with each block's features as it is clustered (the store keeps them).
BlockSink = Callable[[list[StoryFeatures]], None]


class StoryClusterer:
    """Feed articles in canonical order (date, id); each day's dated articles are clustered
    as soon as the day is complete, against the stories still open (`StoryDays`), so only
    the window's features are in memory (the texts not at all). Undated articles (last in
    canonical order) wait for `stories`, which splits them (`undated_blocks`): their
    features are held together. `on_block` receives every day's and block's features
    (store/story_features.py keeps them for incremental resolution)."""

    def __init__(self, settings: ResolveSettings, on_block: BlockSink | None = None) -> None:
        self._settings = settings
        self._analysers = Analysers()
        self._on_block = on_block
        self._days = StoryDays(settings)
        self._day: list[StoryFeatures] = []
        self._day_number: int | None = None
        self._undated: dict[str, StoryFeatures] = {}

    def add(self, article: ArticleRef) -> None:
        features = self._analysers.features(article)
        number = day_number(article.published)
        if number is None:
            self._undated[article.id] = features
            return
        if number != self._day_number:
            self._flush()
            self._day_number = number
        self._day.append(features)

    def _flush(self) -> None:
        day, self._day = self._day, []
        if day and self._day_number is not None:
            self._days.add_day(self._day_number, day)
            if self._on_block is not None:
                self._on_block(day)

    def stories(self) -> list[Story]:
        self._flush()
        stories = [story_of(members) for members in self._days.stories()]
        for ids in undated_blocks(list(self._undated), self._settings):
            block = [self._undated[i] for i in ids]
            stories.extend(block_stories(block, self._settings))
            if self._on_block is not None:
                self._on_block(block)
        self._undated = {}
        return sorted(stories, key=lambda s: (s.first_seen or "9999", s.story_id))


def cluster_stories(articles: Sequence[ArticleRef], settings: ResolveSettings) -> list[Story]:
    """Stories over all the articles, deterministic and independent of input order."""
    clusterer = StoryClusterer(settings)
    for article in sorted(articles, key=lambda a: (a.published or "9999", a.id)):
        clusterer.add(article)
    return clusterer.stories()


def story_of(members: list[StoryFeatures]) -> Story:
    """The story these articles make (its id is the digest of their ids)."""
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
