"""Across articles: duplicates, stories, canonical events. Deterministic, order-independent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sitrep.model import ArticleRef, CanonicalEvent, EventMention, Story
from sitrep.resolve.dedup import find_duplicates
from sitrep.resolve.merge import merge_events
from sitrep.resolve.stories import cluster_stories
from sitrep.settings import ResolveSettings


@dataclass(slots=True)
class Resolution:
    duplicate_of: dict[str, str]
    stories: list[Story]
    events: list[CanonicalEvent]


def resolve(
    articles: Sequence[ArticleRef], mentions: Sequence[EventMention], settings: ResolveSettings
) -> Resolution:
    duplicate_of = find_duplicates(articles, settings)
    stories = cluster_stories(articles, settings)
    story_of = {aid: s.story_id for s in stories for aid in s.article_ids}
    events = merge_events(
        mentions,
        story_of,
        duplicate_of,
        {a.id: a.outlet for a in articles},
        {a.id: a.published for a in articles},
        settings,
    )
    return Resolution(duplicate_of, stories, events)


__all__ = ["Resolution", "resolve"]
