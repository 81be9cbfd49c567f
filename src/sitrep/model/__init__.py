"""Pure dataclasses for sitrep's records; no I/O, no spaCy."""

from sitrep.model.article import Article, Extraction, Reject, Sentence
from sitrep.model.ids import article_id_for, normalise_text, record_id
from sitrep.model.records import (
    FACTUALITIES,
    PLOVER_TYPES,
    Attribution,
    Entity,
    Event,
    EventDate,
    Participant,
    Place,
    Quote,
    Span,
    Time,
    ViaLink,
)
from sitrep.model.story import ArticleRef, CanonicalEvent, EventMention, Story
from sitrep.model.vocab import (
    EVENT_TIMINGS,
    QUOTE_KINDS,
    TIME_TYPES,
    EventTiming,
    EventType,
    Factuality,
    QuoteKind,
    TimeType,
)

__all__ = [
    "ArticleRef",
    "CanonicalEvent",
    "EventMention",
    "Story",
    "EVENT_TIMINGS",
    "FACTUALITIES",
    "PLOVER_TYPES",
    "QUOTE_KINDS",
    "TIME_TYPES",
    "EventTiming",
    "EventType",
    "Factuality",
    "QuoteKind",
    "TimeType",
    "Article",
    "Attribution",
    "Entity",
    "Event",
    "EventDate",
    "Extraction",
    "Participant",
    "Place",
    "Quote",
    "Reject",
    "Sentence",
    "Span",
    "Time",
    "ViaLink",
    "article_id_for",
    "normalise_text",
    "record_id",
]
