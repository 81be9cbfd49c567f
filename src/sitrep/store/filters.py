"""The filters of every listing (store/query.py runs them): one `Filters` type, which of
them each resource takes (`RESOURCE_FILTERS`) and `validate`. Kept free of the database
driver so the command line's parser can build its options from it cheaply."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Literal, get_args

from sitrep.errors import UsageError
from sitrep.model.vocab import FACTUALITIES, PLOVER_TYPES, QUOTE_KINDS, EventTiming

# Which events a listing shows by their timing (extract/timing.py): an event's own timing,
# or "all" for no filter.
Timing = Literal[EventTiming, "all"]
TIMINGS: tuple[Timing, ...] = get_args(Timing)
# Event listings by day: oldest first (the default) or newest first, undated last in both.
Order = Literal["oldest", "newest"]
ORDERS: tuple[Order, ...] = get_args(Order)
# The largest row offset or page size a query may ask for: DuckDB's LIMIT and OFFSET are
# signed 64-bit, and no store holds anywhere near this many rows (the API answers 422 above).
MAX_OFFSET = 2**31 - 1
# `limit=None` asks for every row; LIMIT takes a number.
ALL_ROWS = 2**62
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
COUNTRY_PATTERN = r"^[A-Za-z]{3}$"
# Messages for a value of the wrong shape: the API answers 400 with the same text.
MESSAGES = {
    "since": "since must be YYYY, YYYY-MM or YYYY-MM-DD",
    "until": "until must be YYYY, YYYY-MM or YYYY-MM-DD",
    "country": "country must be an ISO 3166 alpha-3 code such as UKR",
    "factuality": f"factuality must be among {sorted(FACTUALITIES)}",
    "type": f"unknown PLOVER type; one of {sorted(PLOVER_TYPES)}",
    "kind": f"kind must be one of {list(QUOTE_KINDS)}",
}


@dataclass(frozen=True, slots=True)
class Filters:
    """Every filter of every listing; None (or empty) means "any". Which ones a resource
    takes: `RESOURCE_FILTERS`. Text filters are as given (`validate` checks them)."""

    type: str | None = None  # PLOVER type(s), comma-separated
    actor: str | None = None  # name or actor id, substring, case-insensitive
    country: str | None = None  # ISO 3166 alpha-3
    since: str | None = None  # YYYY[-MM[-DD]], inclusive
    until: str | None = None  # YYYY[-MM[-DD]], inclusive
    factuality: tuple[str, ...] = ()  # allowed values
    story: str | None = None
    kind: str | None = None  # quotes: direct, indirect or mixed
    hedged: bool | None = None
    state_media: bool | None = None
    place: str | None = None  # one place of `places`: its name and coordinates
    lat: float | None = None
    lon: float | None = None
    timing: Timing = "current"
    mentions: bool = False  # events: one row per mention instead of per real event
    order: Order = "oldest"
    limit: int | None = None  # None: every row
    offset: int = 0


FILTER_NAMES = tuple(f.name for f in fields(Filters))
_PAGE = ("limit", "offset")
_PERIOD = ("since", "until")
# The filters each resource takes, in every surface (CLI, Python API, HTTP).
RESOURCE_FILTERS: dict[str, tuple[str, ...]] = {
    "events": (
        "type",
        "actor",
        "country",
        *_PERIOD,
        "factuality",
        "story",
        "place",
        "lat",
        "lon",
        "timing",
        "mentions",
        "order",
        *_PAGE,
    ),
    "quotes": ("kind", "actor", "country", *_PERIOD, "story", "hedged", "state_media", *_PAGE),
    "articles": ("type", "actor", "country", *_PERIOD, "story", *_PAGE),
    "stories": ("actor", *_PERIOD, "story", *_PAGE),
    "actors": ("type", "actor", "country", *_PERIOD, *_PAGE),
    "places": (
        "type",
        "actor",
        "country",
        *_PERIOD,
        "factuality",
        "story",
        "timing",
        *_PAGE,
    ),
}


def names(value: str | None) -> list[str]:
    """ "ASSAULT, coerce" → ["ASSAULT", "COERCE"]."""
    return [t.strip().upper() for t in (value or "").split(",") if t.strip()]


def validate(f: Filters) -> Filters:
    """`f` with country upper-cased, factuality and kind lower-cased, or UsageError naming what is
    allowed (the API answers 400 with the same message)."""
    for name in _PERIOD:
        value = getattr(f, name)
        if value is not None and not re.match(DATE_PATTERN, value):
            raise UsageError(MESSAGES[name])
    if f.country is not None and not re.match(COUNTRY_PATTERN, f.country):
        raise UsageError(MESSAGES["country"])
    bad = set(names(f.type)) - set(PLOVER_TYPES)
    if bad:
        raise UsageError(f"unknown PLOVER type {sorted(bad)}; one of {sorted(PLOVER_TYPES)}")
    factuality = tuple(v.strip().lower() for v in f.factuality if v.strip())
    if set(factuality) - set(FACTUALITIES):
        raise UsageError(MESSAGES["factuality"])
    kind = f.kind.strip().lower() if f.kind else None
    if kind is not None and kind not in QUOTE_KINDS:
        raise UsageError(MESSAGES["kind"])
    if f.timing not in TIMINGS:
        raise UsageError(f"timing must be one of {list(TIMINGS)}, not {f.timing!r}")
    if f.order not in ORDERS:
        raise UsageError(f"order must be one of {list(ORDERS)}, not {f.order!r}")
    if f.limit is not None and not 0 <= f.limit <= ALL_ROWS:
        raise UsageError(f"limit must be 0 or more (None for every row), not {f.limit}")
    if not 0 <= f.offset <= MAX_OFFSET:
        raise UsageError(f"offset must be between 0 and {MAX_OFFSET}, not {f.offset}")
    country = f.country.upper() if f.country else f.country
    return replace(f, country=country, factuality=factuality, kind=kind)
