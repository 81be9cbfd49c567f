"""Response models of the HTTP API: one per list item and one page per listing, so
`/openapi.json` documents every field. The routes write their JSON themselves (a page of a
million-event store is not worth validating twice); tests/test_api_schema.py checks real
answers against these models, which forbid unknown fields, so they cannot drift."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ViaLink(_Model):
    """One link of a reported-speech chain ("according to BelTA")."""

    name: str | None
    actor_id: str | None
    country: str | None
    source_type: str | None
    state_media: bool
    cue: str | None


class Event(_Model):
    """A real event (canonical: one per real event, described by its first report) or,
    with `mentions=true`, one mention in one article (no corroboration fields)."""

    id: str
    mention_id: str | None = None
    article_id: str
    day: str | None
    date: str | None
    type: str | None
    mode: str | None
    factuality: str | None
    source: str | None
    source_actor_id: str | None
    source_country: str | None
    source_sector: str | None
    target: str | None
    target_actor_id: str | None
    target_country: str | None
    target_sector: str | None
    place: str | None
    place_country: str | None
    lat: float | None
    lon: float | None
    trigger: str | None
    trigger_start: int | None
    trigger_end: int | None
    sentence_start: int | None
    sentence_end: int | None
    sentence: str | None
    intensity: float | None
    confidence: float | None
    outlet: str | None
    published: str | None
    title: str | None
    timing: str | None
    speaker: str | None
    via: list[ViaLink]
    context: list[str]
    first_stored: str | None
    reports: int | None = None
    independent_sources: int | None = None
    outlets: list[str] | None = None
    article_ids: list[str] | None = None
    mention_ids: list[str] | None = None
    origin_outlet: str | None = None
    state_media_only: bool | None = None
    story_id: str | None = None
    disputes: list[str] | None = None


class Quote(_Model):
    id: str
    article_id: str
    published: str | None
    outlet: str | None
    title: str | None
    kind: str | None
    speaker: str | None
    speaker_actor_id: str | None
    speaker_country: str | None
    speaker_sector: str | None
    addressee: str | None
    hedged: bool | None
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    content_start: int | None
    content_end: int | None
    content: str | None
    story_id: str | None
    via: list[ViaLink]
    state_media: bool


class Article(_Model):
    """An article without its text (/api/articles/{id} has it)."""

    id: str
    published: str | None
    outlet: str | None
    title: str | None
    url: str | None
    story_id: str | None
    duplicate_of: str | None
    chars: int | None
    events: int
    quotes: int


class Story(_Model):
    story_id: str
    title: str | None
    first_seen: str | None
    last_seen: str | None
    articles: int
    outlets: list[str] | None
    key_actors: list[str] | None
    article_ids: list[str] | None
    events: int
    reports: int
    independent_sources: int


class Actor(_Model):
    actor_id: str | None
    name: str | None
    country: str | None
    sector: str | None
    events: int
    as_source: int
    as_target: int


class Place(_Model):
    name: str | None
    country: str | None
    lat: float
    lon: float
    events: int
    types: list[str | None]
    latest_event_ids: list[str]


class SeriesPoint(_Model):
    day: str
    key: str
    events: int
    intensity: float | None


class Period(_Model):
    first: str | None
    last: str | None


class Alert(_Model):
    id: str
    kind: str
    rule: str
    title: str
    day: str
    last_day: str
    source_country: str | None
    target_country: str | None
    events: int
    score: float | None
    zscore: float | None
    baseline: float | None
    probability: float | None
    outlets: list[str]
    event_ids: list[str]
    article_ids: list[str]
    why: str
    evidence: list[dict[str, Any]]
    first_fired: str | None
    updated: str | None


class _Page(_Model):
    total: int
    limit: int | None
    offset: int


class EventPage(_Page):
    items: list[Event]


class QuotePage(_Page):
    items: list[Quote]


class ArticlePage(_Page):
    items: list[Article]


class StoryPage(_Page):
    items: list[Story]


class ActorPage(_Page):
    items: list[Actor]


class PlacePage(_Page):
    items: list[Place]


class SeriesPage(_Page):
    period: Period
    items: list[SeriesPoint]


class AlertPage(_Page):
    items: list[Alert]


# The item model of each listing route, for the schema test and the docs.
PAGES: dict[str, type[_Page]] = {
    "/api/events": EventPage,
    "/api/quotes": QuotePage,
    "/api/articles": ArticlePage,
    "/api/stories": StoryPage,
    "/api/actors": ActorPage,
    "/api/places": PlacePage,
    "/api/timeseries": SeriesPage,
    "/api/alerts": AlertPage,
}
