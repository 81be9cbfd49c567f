"""Records made across articles: duplicates, stories and canonical (merged) events."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """What cross-article resolution needs to know of one stored article."""

    id: str
    text: str
    title: str | None
    outlet: str | None
    published: str | None
    wire: str | None = None


@dataclass(slots=True)
class Story:
    story_id: str
    title: str
    article_ids: list[str]
    first_seen: str | None
    last_seen: str | None
    outlets: list[str]
    key_actors: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EventMention:
    """One stored event, as event merge sees it."""

    id: str
    article_id: str
    type: str
    source_key: str | None  # actor id, else country, else lower-cased name
    target_key: str | None
    date: str | None
    place_country: str | None
    factuality: str
    confidence: float
    # The trigger's words and the sentence that tells of the event: evidence that two
    # mentions tell of one event ("struck" / "strikes", the same details).
    trigger: str = ""
    sentence: str = ""


@dataclass(slots=True)
class CanonicalEvent:
    """One real-world event with every report of it."""

    id: str
    type: str
    mention_ids: list[str]
    article_ids: list[str]
    outlets: list[str]
    reports: int
    independent_sources: int
    first_article_id: str
    first_reported: str | None
    story_id: str | None
    # The outlet whose report came first (its wire agency, if it carries one), and whether
    # every outlet known to report it is state-owned or state-run media.
    origin_outlet: str | None = None
    state_media_only: bool = False
    # Canonical events that deny this one (a negated report of the same event in the story),
    # or, on a denial, the claims it denies.
    disputes: list[str] = field(default_factory=list)
