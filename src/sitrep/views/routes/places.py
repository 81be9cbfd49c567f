"""GET /api/places (store/query.py `places`): the map."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from sitrep.store import query
from sitrep.store.filters import Filters
from sitrep.views.routes.common import (
    CSV_ANSWER,
    ActorQ,
    CountryQ,
    FactualityQ,
    FormatQ,
    LimitQ,
    OffsetQ,
    SinceQ,
    StoryQ,
    TimingQ,
    TypeQ,
    UntilQ,
    checked,
    kept_page,
    listing,
    split,
)
from sitrep.views.routes.models import PlacePage

router = APIRouter(tags=["places"])


def place_filters(
    request: Request,
    type: TypeQ = None,
    actor: ActorQ = None,
    country: CountryQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    factuality: FactualityQ = None,
    story: StoryQ = None,
    timing: TimingQ = "current",
    limit: LimitQ = None,
    offset: OffsetQ = 0,
) -> Filters:
    """The filters of `places` (store/filters.py RESOURCE_FILTERS["places"])."""
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
            timing=timing,
            limit=limit,
            offset=offset,
        ),
    )


@router.get(
    "/api/places",
    summary="Event places with coordinates, counts, types and the latest event ids",
    response_model=PlacePage,
    responses=CSV_ANSWER,
)
def places(
    request: Request,
    f: Annotated[Filters, Depends(place_filters)],
    format: FormatQ = "json",
) -> Response:
    # The map's first view: every place, the same until the store changes. One answer of
    # the largest page is kept and sliced for any page inside it.
    total, rows = kept_page(request, "places", f, query.places)
    return listing("places", format, f, total, rows)
