"""Articles as they come out of ingest, and the rejects that did not make it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sitrep.errors import RejectCode
from sitrep.model.records import Entity, Event, Place, Quote, Time


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A boilerplate line taken out of an article before extraction, and the rule that did
    it (a rule of data/boilerplate.yaml, or "repeated" for a line found in many articles)."""

    rule: str
    text: str


@dataclass(slots=True)
class Article:
    """One news article. `text` is the exact string every span points into."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    # How `outlet` is known: "record", "url", "dateline", "closing" or "self" (the text names
    # its outlet; ingest/outlets.py), None when it is not.
    outlet_from: str | None = None
    # The agency whose report the article carries ("KYIV (Reuters) -", "…, BelTA reported"),
    # when that is not the outlet itself: the originating outlet that corroboration counts.
    wire: str | None = None
    # Where it came from (path:line, URL); not part of the output contract.
    origin: str | None = None
    # Boilerplate lines removed from `text` before extraction (ingest/boilerplate.py).
    boilerplate: list[RemovedLine] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Reject:
    """An input record that was refused, with the reason why."""

    origin: str
    code: RejectCode
    reason: str
    snippet: str = ""


@dataclass(slots=True)
class Sentence:
    start: int
    end: int


@dataclass(slots=True)
class Extraction:
    """Everything sitrep extracted from one article: one line of `sitrep extract`."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[Time] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON output contract (docs/schema.md): one line of `sitrep extract`."""
        from sitrep.model.serialize import extraction_to_dict  # serialize imports this module

        return extraction_to_dict(self)
