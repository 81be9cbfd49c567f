"""GET /api/events: real events or their mentions (store/query.py `events`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from sitrep.store import api_queries, query
from sitrep.store.filters import Filters
from sitrep.views import api_rows
from sitrep.views.routes.common import (
    CSV_ANSWER,
    ActorQ,
    CountryQ,
    FactualityQ,
    FormatQ,
    LatQ,
    LimitQ,
    LonQ,
    MentionsQ,
    OffsetQ,
    OrderQ,
    PlaceQ,
    SinceQ,
    StoryQ,
    TimingQ,
    TypeQ,
    UntilQ,
    checked,
    listing,
    split,
    store_of,
)
from sitrep.views.routes.models import EventPage

router = APIRouter(tags=["events"])


def event_filters(
    request: Request,
    type: TypeQ = None,
    actor: ActorQ = None,
    country: CountryQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    factuality: FactualityQ = None,
    story: StoryQ = None,
    place: PlaceQ = None,
    lat: LatQ = None,
    lon: LonQ = None,
    timing: TimingQ = "current",
    mentions: MentionsQ = False,
    order: OrderQ = "oldest",
    limit: LimitQ = None,
    offset: OffsetQ = 0,
) -> Filters:
    """The filters of `events` (store/filters.py RESOURCE_FILTERS["events"])."""
    return checked(
        request,
        Filters(
            type=type,
            actor=actor,
            country=country,
            since=since,
            until=until,
            factuality=split(factuality),
            story=story,
            place=place,
            lat=lat,
            lon=lon,
            timing=timing,
            mentions=mentions,
            order=order,
            limit=limit,
            offset=offset,
        ),
    )


@router.get(
    "/api/events",
    summary="Events: canonical (one per real event) or raw mentions",
    response_model=EventPage,
    responses=CSV_ANSWER,
)
def events(
    request: Request,
    f: Annotated[Filters, Depends(event_filters)],
    format: FormatQ = "json",
) -> Response:
    with store_of(request).read() as con:
        total, rows = query.events(con, f)
        items = [api_rows.event_row(r) for r in rows]
        stored = api_queries.ingested_at(con, [a for i in items for a in _reports(i)])
    for item in items:
        # When the event was first reported to this store: the dashboard marks as new
        # the rows stored since the analyst's last visit.
        times = [stored[a] for a in _reports(item) if a in stored]
        item["first_stored"] = min(times) if times else None
    return listing("events", format, f, total, items)


def _reports(item: dict[str, Any]) -> list[str]:
    return [str(a) for a in (item.get("article_ids") or [item.get("article_id")]) if a]
