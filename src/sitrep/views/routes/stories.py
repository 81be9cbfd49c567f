"""GET /api/stories (store/query.py `stories`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from sitrep.store import query
from sitrep.store.filters import Filters
from sitrep.views.routes.common import (
    CSV_ANSWER,
    ActorQ,
    FormatQ,
    LimitQ,
    OffsetQ,
    SinceQ,
    StoryQ,
    UntilQ,
    checked,
    listing,
    store_of,
)
from sitrep.views.routes.models import StoryPage

router = APIRouter(tags=["stories"])


def story_filters(
    request: Request,
    actor: ActorQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    story: StoryQ = None,
    limit: LimitQ = None,
    offset: OffsetQ = 0,
) -> Filters:
    """The filters of `stories` (store/filters.py RESOURCE_FILTERS["stories"])."""
    return checked(
        request,
        Filters(actor=actor, since=since, until=until, story=story, limit=limit, offset=offset),
    )


@router.get(
    "/api/stories",
    summary="Stories with outlets and corroboration counts",
    response_model=StoryPage,
    responses=CSV_ANSWER,
)
def stories(
    request: Request,
    f: Annotated[Filters, Depends(story_filters)],
    format: FormatQ = "json",
) -> Response:
    with store_of(request).read() as con:
        total, rows = query.stories(con, f)
    return listing("stories", format, f, total, rows)
