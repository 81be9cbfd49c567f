"""Across articles: duplicates, stories, canonical events. Deterministic, order-independent."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sitrep.model import ArticleRef, CanonicalEvent, EventMention, Story
from sitrep.resolve.dedup import Deduplicator, canonical_key
from sitrep.resolve.merge import merge_events
from sitrep.resolve.stories import BlockSink, StoryClusterer
from sitrep.settings import ResolveSettings


@dataclass(slots=True)
class Resolution:
    duplicate_of: dict[str, str]
    stories: list[Story]
    events: list[CanonicalEvent]
    # What incremental resolution starts from (resolve/incremental.py): the confirmed copy
    # pairs (earlier, later) and each article's MinHash signature (None: no words).
    pairs: list[tuple[str, str]] = field(default_factory=list)
    # Arrays do not compare with `==`; the signatures follow from the texts anyway.
    signatures: dict[str, NDArray[np.uint64] | None] = field(
        default_factory=dict, compare=False, repr=False
    )


def resolve(
    articles: Sequence[ArticleRef],
    mentions: Sequence[EventMention],
    settings: ResolveSettings,
    state_media: frozenset[str] = frozenset(),
) -> Resolution:
    return resolve_ordered(sorted(articles, key=canonical_key), mentions, settings, state_media)


def resolve_ordered(
    articles: Iterable[ArticleRef],
    mentions: Sequence[EventMention],
    settings: ResolveSettings,
    state_media: frozenset[str] = frozenset(),
    on_block: BlockSink | None = None,
) -> Resolution:
    """`resolve` over articles already in canonical order (`canonical_key`), read once:
    only MinHash data, the story window's features and each article's outlet and date are
    kept, so the articles can stream from the store. `state_media` names the outlets whose
    reports alone flag an event as state-media-only (kb.actors.state_media_names);
    `on_block` receives each story day's and block's features (the store keeps them)."""
    dedup = Deduplicator(settings)
    clusterer = StoryClusterer(settings, on_block)
    outlet_of: dict[str, str | None] = {}
    published_of: dict[str, str | None] = {}
    for article in articles:
        dedup.add(article)  # raises when the order is not canonical
        clusterer.add(article)
        outlet_of[article.id] = article.wire or article.outlet  # whose report it carries
        published_of[article.id] = article.published
    duplicate_of = dedup.duplicate_of()
    stories = clusterer.stories()
    story_of = {aid: s.story_id for s in stories for aid in s.article_ids}
    events = merge_events(
        mentions, story_of, duplicate_of, outlet_of, published_of, settings, state_media
    )
    return Resolution(duplicate_of, stories, events, dedup.pairs, dedup.signatures)


def load_libraries() -> None:
    """Import what resolution needs (scikit-learn, datasketch and, through both, SciPy):
    about 3 s, paid once per process. Benchmarks call it in their loading phase, as they
    load spaCy before timing it."""
    import datasketch  # noqa: F401
    import sklearn.cluster  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401
    import sklearn.metrics.pairwise  # noqa: F401


__all__ = ["Resolution", "load_libraries", "resolve", "resolve_ordered"]
