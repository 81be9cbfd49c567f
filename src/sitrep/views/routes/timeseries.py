"""GET /api/timeseries (store/api_queries.py `timeseries`): the timeline."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from sitrep.store import api_queries
from sitrep.store.filters import Filters
from sitrep.views.routes.common import (
    CSV_ANSWER,
    ActorQ,
    CountryQ,
    FactualityQ,
    FormatQ,
    SinceQ,
    StoryQ,
    TimingQ,
    TypeQ,
    UntilQ,
    checked,
    listing,
    split,
    store_of,
    unfiltered,
)
from sitrep.views.routes.models import SeriesPage

router = APIRouter(tags=["timeseries"])
By = Literal["type", "pair", "country", "factuality", "all"]


@router.get(
    "/api/timeseries",
    summary="Events and summed intensity per day and key, and the period they belong to",
    response_model=SeriesPage,
    responses=CSV_ANSWER,
)
def timeseries(
    request: Request,
    by: Annotated[By, Query(description="what a series is of")] = "type",
    type: TypeQ = None,
    actor: ActorQ = None,
    country: CountryQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    factuality: FactualityQ = None,
    story: StoryQ = None,
    timing: TimingQ = "current",
    format: FormatQ = "json",
) -> Response:
    f = checked(
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
        ),
    )
    store = store_of(request)
    if format == "csv":
        with store.read() as con:
            rows = api_queries.timeseries(con, f, by)
        return listing("timeseries", format, f, len(rows), rows)

    def answer(con: Any) -> tuple[int, str, dict[str, str | None]]:
        return (*api_queries.timeseries_json(con, f, by), api_queries.period(con, f))

    # JSON written by DuckDB, and for the timeline's first view (no filter) kept until
    # the store changes.
    if unfiltered(f):
        total, items, period = store.answer(f"timeseries:{by}", answer)
    else:
        with store.read() as con:
            total, items, period = answer(con)
    head = json.dumps({"total": total, "limit": f.limit, "offset": f.offset, "period": period})
    return Response(f'{head[:-1]}, "items": {items}}}', media_type="application/json")
