"""The records of the output contract (DESIGN.md), as plain dataclasses.

Field names and nesting mirror the JSON contract exactly, so `dataclasses.asdict`
gives contract JSON. No I/O and no spaCy here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitrep.model.vocab import (
    FACTUALITIES,
    PLOVER_TYPES,
    EventTiming,
    EventType,
    Factuality,
    QuoteKind,
    TimeType,
)


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets into `Article.text` (end exclusive) and the text they cover."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Participant:
    """A mention resolved (where possible) to an actor of the knowledge base."""

    span: Span | None
    name: str
    actor_id: str | None = None
    country: str | None = None
    sector: str | None = None


@dataclass(slots=True)
class Entity:
    span: Span | None
    name: str
    actor_id: str | None
    country: str | None
    sector: str | None
    label: str


@dataclass(slots=True)
class Place:
    span: Span | None
    name: str
    geonameid: int | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None


@dataclass(slots=True)
class Time:
    span: Span | None
    type: TimeType
    value: str


@dataclass(slots=True)
class ViaLink:
    """One outer link of a source chain: "according to BelTA", "told Newsweek"."""

    cue: Span | None
    source: Participant
    source_type: str | None = None


@dataclass(slots=True)
class Quote:
    id: str
    kind: QuoteKind
    content: Span
    cue: Span | None
    speaker: Participant | None
    addressee: Participant | None = None
    via: list[ViaLink] = field(default_factory=list)
    hedged: bool = False
    # A denial ("X denied that …", "no such proposal was made") and the id of the quote or
    # event of the same article that it denies, when the text shows which.
    denial: bool = False
    denies: str | None = None


@dataclass(slots=True)
class EventDate:
    value: str
    span: Span | None


@dataclass(slots=True)
class Attribution:
    speaker: Participant | None
    via: list[ViaLink] = field(default_factory=list)


@dataclass(slots=True)
class Event:
    id: str
    type: EventType
    mode: str | None
    context: list[str]
    source: Participant | None
    target: Participant | None
    trigger: Span
    sentence: Span
    date: EventDate | None
    place: Place | None
    factuality: Factuality
    attribution: Attribution | None
    cameo: str | None
    intensity: float
    confidence: float
    # Every participant on each side ("Russia and Belarus held exercises": two sources);
    # `source`/`target` stay the first of each, for readers of the older contract.
    sources: list[Participant] = field(default_factory=list)
    targets: list[Participant] = field(default_factory=list)
    # "current" news (within about a month of publication, or still to come) or
    # "background" (history the article recalls); see extract/timing.py.
    timing: EventTiming = "current"

    def __post_init__(self) -> None:
        # A record built the old way (one source, one target) keeps the lists consistent.
        if not self.sources and self.source is not None:
            self.sources = [self.source]
        if not self.targets and self.target is not None:
            self.targets = [self.target]


__all__ = [
    "FACTUALITIES",
    "PLOVER_TYPES",
    "Attribution",
    "Entity",
    "Event",
    "EventDate",
    "EventTiming",
    "EventType",
    "Factuality",
    "Participant",
    "Place",
    "Quote",
    "QuoteKind",
    "Span",
    "Time",
    "TimeType",
    "ViaLink",
]
