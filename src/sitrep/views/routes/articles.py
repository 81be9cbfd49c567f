"""/api/articles: the listing (store/query.py `articles`), one article with its spans, and
ingest (POST, with the server's token)."""

from __future__ import annotations

import hmac
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from sitrep.store import api_queries, query
from sitrep.store.filters import Filters
from sitrep.views import api_rows
from sitrep.views.routes.common import (
    CSV_ANSWER,
    ActorQ,
    CountryQ,
    FormatQ,
    LimitQ,
    OffsetQ,
    SinceQ,
    StoryQ,
    TypeQ,
    UntilQ,
    checked,
    listing,
    store_of,
)
from sitrep.views.routes.models import ArticlePage

router = APIRouter(tags=["articles"])


def article_filters(
    request: Request,
    type: TypeQ = None,
    actor: ActorQ = None,
    country: CountryQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    story: StoryQ = None,
    limit: LimitQ = None,
    offset: OffsetQ = 0,
) -> Filters:
    """The filters of `articles` (store/filters.py RESOURCE_FILTERS["articles"]): `type`
    keeps articles with an event of that type, `actor` and `country` those naming such an
    entity."""
    return checked(
        request,
        Filters(
            type=type,
            actor=actor,
            country=country,
            since=since,
            until=until,
            story=story,
            limit=limit,
            offset=offset,
        ),
    )


@router.get(
    "/api/articles",
    summary="Articles (without text), with their events and quotes counted",
    response_model=ArticlePage,
    responses=CSV_ANSWER,
)
def articles(
    request: Request,
    f: Annotated[Filters, Depends(article_filters)],
    format: FormatQ = "json",
) -> Response:
    with store_of(request).read() as con:
        total, rows = query.articles(con, f)
    return listing("articles", format, f, total, rows)


@router.get("/api/articles/{article_id:path}", summary="Article text and the spans of its records")
def article(request: Request, article_id: str) -> dict[str, Any]:
    with store_of(request).read() as con:
        found = api_queries.article(con, article_id)
    if found is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    return api_rows.article_detail(found)


@router.post("/api/articles", status_code=201, summary="Ingest articles (token required)")
async def ingest(request: Request) -> dict[str, Any]:
    token: str | None = request.app.state.token
    if token is None:
        raise HTTPException(
            403, "read-only server: start `sitrep serve` with SITREP_TOKEN set to enable ingest"
        )
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise HTTPException(401, "missing or wrong token (send Authorization: Bearer TOKEN)")
    store = store_of(request)
    body = await _capped_body(request, store.settings.api.max_body_bytes)
    data = _parse_body(body)
    records = data if isinstance(data, list) else [data]
    if not records:
        raise HTTPException(400, "no articles in the body")
    report = await run_in_threadpool(store.ingest, records)
    return {
        "stored": report.stored,
        "rejected": report.rejected,
        "events": report.events,
        "quotes": report.quotes,
        "alerts": report.alerts,
    }


def _parse_body(body: bytes) -> Any:
    """The JSON body; 400 for anything json.loads refuses, including nesting deeper than the
    interpreter's recursion limit and integers longer than its digit limit."""
    try:
        return json.loads(body)
    except RecursionError as exc:
        raise HTTPException(400, "body is not JSON: nested too deeply") from exc
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, too many digits
        raise HTTPException(400, f"body is not JSON: {str(exc)[:200]}") from exc


async def _capped_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) anything over `limit` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"body larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
