"""GET /api/quotes (store/query.py `quotes`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from sitrep.store import query
from sitrep.store.filters import Filters
from sitrep.views import api_rows
from sitrep.views.routes.common import (
    CSV_ANSWER,
    ActorQ,
    CountryQ,
    FormatQ,
    HedgedQ,
    KindQ,
    LimitQ,
    OffsetQ,
    SinceQ,
    StateMediaQ,
    StoryQ,
    UntilQ,
    checked,
    kept_page,
    listing,
)
from sitrep.views.routes.models import QuotePage

router = APIRouter(tags=["quotes"])


def quote_filters(
    request: Request,
    kind: KindQ = None,
    actor: ActorQ = None,
    country: CountryQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    story: StoryQ = None,
    hedged: HedgedQ = None,
    state_media: StateMediaQ = None,
    limit: LimitQ = None,
    offset: OffsetQ = 0,
) -> Filters:
    """The filters of `quotes` (store/filters.py RESOURCE_FILTERS["quotes"])."""
    return checked(
        request,
        Filters(
            kind=kind,
            actor=actor,
            country=country,
            since=since,
            until=until,
            story=story,
            hedged=hedged,
            state_media=state_media,
            limit=limit,
            offset=offset,
        ),
    )


@router.get(
    "/api/quotes",
    summary="Quotes with speaker, via chain and state-media flag",
    response_model=QuotePage,
    responses=CSV_ANSWER,
)
def quotes(
    request: Request,
    f: Annotated[Filters, Depends(quote_filters)],
    format: FormatQ = "json",
) -> Response:
    # The quotes panel's first view is kept like the map's (routes/places.py).
    total, items = kept_page(request, "quotes", f, quote_page)
    return listing("quotes", format, f, total, items)


def quote_page(con: Any, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    total, rows = query.quotes(con, f)
    return total, [api_rows.quote_row(r) for r in rows]
