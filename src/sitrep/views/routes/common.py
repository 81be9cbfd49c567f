"""What the routers share: the query parameters of the filters (store/filters.py), checked
the same way for every route, and the JSON or CSV answer of a listing."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from sitrep.errors import UsageError
from sitrep.model.vocab import FACTUALITIES, PLOVER_TYPES, QuoteKind
from sitrep.store.filters import (
    COUNTRY_PATTERN,
    DATE_PATTERN,
    MAX_OFFSET,
    Filters,
    Order,
    Timing,
    validate,
)
from sitrep.views import api_rows
from sitrep.views.api_store import Store

Format = Literal["json", "csv"]


def _list_pattern(values: tuple[str, ...]) -> str:
    """One value or several, comma-separated, any case ("ASSAULT" or "assault,coerce"), or
    nothing (`type=`: no filter, as before the pattern)."""
    one = "|".join(values)
    return rf"(?i)^\s*(({one})\s*(,\s*({one})\s*)*)?$"


TypeQ = Annotated[
    str | None,
    Query(
        description=f"PLOVER type(s), comma-separated: {', '.join(PLOVER_TYPES)}",
        pattern=_list_pattern(PLOVER_TYPES),
    ),
]
ActorQ = Annotated[str | None, Query(description="actor name or id (substring, case-insensitive)")]
CountryQ = Annotated[
    str | None,
    Query(description="ISO 3166 alpha-3 (source, target or place)", pattern=COUNTRY_PATTERN),
]
SinceQ = Annotated[str | None, Query(description="first day, YYYY[-MM[-DD]]", pattern=DATE_PATTERN)]
UntilQ = Annotated[
    str | None, Query(description="last day, inclusive, YYYY[-MM[-DD]]", pattern=DATE_PATTERN)
]
FactualityQ = Annotated[
    str | None,
    Query(
        description=f"factuality value(s), comma-separated: {', '.join(FACTUALITIES)}",
        pattern=_list_pattern(FACTUALITIES),
    ),
]
StoryQ = Annotated[str | None, Query(description="story id")]
KindQ = Annotated[QuoteKind | None, Query(description="quote kind")]
HedgedQ = Annotated[bool | None, Query(description="hedged quotes only (or, false, none)")]
StateMediaQ = Annotated[
    bool | None, Query(description="quotes relayed by state media (or, false, not)")
]
PlaceQ = Annotated[str | None, Query(description="place name, exactly as /api/places lists it")]
LatQ = Annotated[float | None, Query(description="place latitude, as /api/places lists it")]
LonQ = Annotated[float | None, Query(description="place longitude, as /api/places lists it")]
TimingQ = Annotated[
    Timing,
    Query(
        description="current (news of the day; the default), background (history an "
        "article recalls, e.g. 'during the Second World War'; listed by its mention) or all"
    ),
]
MentionsQ = Annotated[bool, Query(description="raw mentions: one row per event per article")]
OrderQ = Annotated[Order, Query(description="by day: oldest first, or newest first (undated last)")]
LimitQ = Annotated[
    int | None,
    Query(ge=1, le=MAX_OFFSET, description="rows per page (default and maximum: api settings)"),
]
OffsetQ = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")]
FormatQ = Annotated[Format, Query(description="json or csv")]
# Parameters whose wrong shape answers 400 with the message of store/filters.py (checked by
# `pattern` first, so /openapi.json shows what is allowed).
PATTERN_CHECKED = ("type", "country", "since", "until", "factuality")
CSV_ANSWER: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def checked(request: Request, filters: Filters) -> Filters:
    """`filters` with the API's page size (default and maximum from the settings), checked
    by store/filters.py `validate`; 400 with its message when a value is wrong."""
    cfg = store_of(request).settings.api
    size = cfg.default_limit if filters.limit is None else filters.limit
    if size > cfg.max_limit:
        raise HTTPException(400, f"limit may be at most {cfg.max_limit}")
    try:
        return validate(replace(filters, limit=size))
    except UsageError as exc:
        raise HTTPException(400, str(exc)) from exc


def split(values: str | None) -> tuple[str, ...]:
    return tuple(v for v in (values or "").split(",") if v.strip())


def listing(
    name: str, fmt: Format, f: Filters, total: int, items: list[dict[str, Any]]
) -> Response:
    """A page as JSON (`{"total", "limit", "offset", "items"}`) or as a CSV download."""
    if fmt == "csv":
        return Response(
            api_rows.to_csv(items),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    body = {"total": total, "limit": f.limit, "offset": f.offset, "items": items}
    return Response(json.dumps(body, default=str), media_type="application/json")


def unfiltered(f: Filters) -> bool:
    """No filter (type, actor, country, dates, factuality, story, quote kind, hedged, state
    media) and the default timing (current news): a first view, worth keeping until the
    store changes."""
    return (
        not (f.type or f.actor or f.country or f.since or f.until or f.factuality)
        and not (f.story or f.kind)
        and f.hedged is None
        and f.state_media is None
        and f.timing == "current"
    )


def kept_page(request: Request, key: str, f: Filters, run: Any) -> tuple[int, list[dict[str, Any]]]:
    """A first view's page out of one kept answer of the largest page (`run(con, filters)`),
    when the page lies inside it; otherwise the page queried."""
    store = store_of(request)
    largest = store.settings.api.max_limit
    limit = f.limit if f.limit is not None else largest
    if unfiltered(f) and f.offset + limit <= largest:
        everything = replace(f, limit=largest, offset=0)
        total, first = store.answer(key, lambda con: run(con, everything))
        return total, first[f.offset : f.offset + limit]
    with store.read() as con:
        found: tuple[int, list[dict[str, Any]]] = run(con, f)
    return found
