"""The closed vocabularies of the output contract, defined once as `Literal` types.

mypy checks every producer against these types; `typing.get_args` gives the same values
to runtime checks (lexicon loading, the API's filters, the JSON Schema, the docs), so a
value added here reaches all of them and a typo anywhere is a type error.
"""

from __future__ import annotations

from typing import Literal, TypeGuard, get_args

# The 16 PLOVER event types, in the ontology's order (cooperative to conflictual).
EventType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]

# How the text presents an event: as fact, as someone's report, or as less than fact.
Factuality = Literal[
    "asserted",
    "reported",
    "uncertain",
    "hypothetical",
    "conditional",
    "future",
    "negated",
]

# "direct" is all in quotation marks, "indirect" has none, "mixed" quotes part of a clause.
QuoteKind = Literal["direct", "indirect", "mixed"]

# "current" news (within about a month of publication, or still to come) or "background"
# (history the article recalls); see extract/timing.py.
EventTiming = Literal["current", "background"]

# spaCy's temporal entity labels, as kept in `Time.type`.
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]

PLOVER_TYPES: tuple[EventType, ...] = get_args(EventType)
FACTUALITIES: tuple[Factuality, ...] = get_args(Factuality)
QUOTE_KINDS: tuple[QuoteKind, ...] = get_args(QuoteKind)
EVENT_TIMINGS: tuple[EventTiming, ...] = get_args(EventTiming)
TIME_TYPES: tuple[TimeType, ...] = get_args(TimeType)


def is_event_type(value: object) -> TypeGuard[EventType]:
    """True when `value` is one of the PLOVER types (for values read from data files)."""
    return value in PLOVER_TYPES


def is_factuality(value: object) -> TypeGuard[Factuality]:
    return value in FACTUALITIES


def is_quote_kind(value: object) -> TypeGuard[QuoteKind]:
    return value in QUOTE_KINDS
