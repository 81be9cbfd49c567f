"""GET /api/actors (store/query.py `actors`)."""

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
    FormatQ,
    LimitQ,
    OffsetQ,
    SinceQ,
    TypeQ,
    UntilQ,
    checked,
    listing,
    store_of,
)
from sitrep.views.routes.models import ActorPage

router = APIRouter(tags=["actors"])


def actor_filters(
    request: Request,
    type: TypeQ = None,
    actor: ActorQ = None,
    country: CountryQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    limit: LimitQ = None,
    offset: OffsetQ = 0,
) -> Filters:
    """The filters of `actors` (store/filters.py RESOURCE_FILTERS["actors"])."""
    return checked(
        request,
        Filters(
            type=type,
            actor=actor,
            country=country,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
        ),
    )


@router.get(
    "/api/actors",
    summary="Actors of events, with counts as source and target",
    response_model=ActorPage,
    responses=CSV_ANSWER,
)
def actors(
    request: Request,
    f: Annotated[Filters, Depends(actor_filters)],
    format: FormatQ = "json",
) -> Response:
    with store_of(request).read() as con:
        total, rows = query.actors(con, f)
    return listing("actors", format, f, total, rows)
