"""The store's counts and version (GET /api/stats), what was stored since a moment
(GET /api/new) and the alerts' Atom feed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from sitrep.store import api_queries as q
from sitrep.store.read import stats
from sitrep.store.stored_since import stored_since
from sitrep.views.atom import MEDIA_TYPE as ATOM_TYPE
from sitrep.views.atom import atom_feed
from sitrep.views.routes.common import LimitQ, store_of

router = APIRouter(tags=["store"])


@router.get(
    "/alerts.atom",
    summary="Alerts as an Atom feed, newest change first (any feed reader)",
    response_class=Response,
)
def alerts_feed(request: Request, limit: LimitQ = None) -> Response:
    store = store_of(request)
    cfg = store.settings.api
    size = cfg.default_limit if limit is None else limit
    if size > cfg.max_limit:
        raise HTTPException(400, f"limit may be at most {cfg.max_limit}")
    body = atom_feed(store.alerts(), str(request.base_url), size)
    return Response(body, media_type=ATOM_TYPE)


@router.get(
    "/api/stats",
    summary="Row counts, the store's date range, and a version that changes with the store",
)
def store_stats(request: Request) -> dict[str, Any]:
    store = store_of(request)
    found = store.answer(
        "stats",
        lambda con: {"counts": stats(con), **q.date_range(con), **q.last_ingest(con)},
    )
    # The dashboard polls this cheap answer and refreshes its views when version moves.
    return {
        **found,
        "version": store.version(),
        "poll_seconds": store.settings.api.dashboard_poll_seconds,
    }


@router.get("/api/new", summary="Articles and canonical events stored after a moment")
def new_since(
    request: Request,
    since: str = Query(..., description="an ingest time, as /api/stats last_ingested"),
) -> dict[str, Any]:
    # The dashboard's "N new since your last visit": `since` is the newest ingest time the
    # analyst has marked as seen, on the store's own clock.
    moment = _ingest_time(since)
    with store_of(request).read() as con:
        return {"since": since, **stored_since(con, moment)}


def _ingest_time(text: str) -> datetime:
    """An ISO date-time; one with a zone is taken to UTC, as the store keeps ingest times."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, "since must be an ISO date-time, as last_ingested") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
