"""The HTTP API and the dashboard: `create_app(db, settings, token)` builds the FastAPI app.

Read-only unless a token is passed in (the CLI takes it from SITREP_TOKEN; nothing here
reads the environment); with one, POST /api/articles ingests. Errors are JSON:
`{"error": {"status": 404, "message": "..."}}`.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable, Collection
from dataclasses import replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from sitrep import __version__, model
from sitrep.errors import ConfigError, StoreError
from sitrep.settings import Settings
from sitrep.store import api_queries as q
from sitrep.store.read import stats
from sitrep.store.stored_since import stored_since
from sitrep.views import api_rows
from sitrep.views.api_store import Store
from sitrep.views.atom import MEDIA_TYPE as ATOM_TYPE
from sitrep.views.atom import atom_feed
from sitrep.views.hosts import host_allowed

log = logging.getLogger(__name__)

PLOVER_TYPES = frozenset(model.PLOVER_TYPES)
FACTUALITY = frozenset(model.FACTUALITIES)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_COUNTRY = re.compile(r"^[A-Za-z]{3}$")
# The dashboard only ever loads its own files; inline script and style are refused, so an
# injected <script> or onerror= would not run even if escaping failed somewhere.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
Format = Literal["json", "csv"]
# Seconds a client is told to wait when another process holds the store: a poll of
# `sitrep watch` or a batch of `sitrep run` usually commits within a few seconds.
_RETRY_AFTER = 2


def _static_dir() -> Path:
    return Path(str(resources.files("sitrep.views").joinpath("static")))


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message, **extra}}, status)


def create_app(
    db: Path,
    settings: Settings,
    *,
    token: str | None = None,
    allowed_hosts: Collection[str] | None = None,
    shared: bool = False,
) -> FastAPI:
    """The app over the store at `db`. `allowed_hosts` (normalised names, see
    views/hosts.py) guards against DNS rebinding; None answers any Host. `shared`: hold the
    store read-write for the app's life, to write through `app.state.store.writer()` while
    serving (serve --watch; views/api_store.py)."""
    store = Store(db, settings, shared=shared)
    cfg = settings.api
    app = FastAPI(
        # /docs is served below from the vendored Swagger UI: nothing loads from a CDN.
        docs_url=None,
        redoc_url=None,
        title="sitrep",
        version=__version__,
        description="Sourced, structured situation picture: PLOVER events, quotes, stories, "
        "places, escalation and alerts. Every record cites its article and character span.",
    )
    app.state.store = store
    hosts = None if allowed_hosts is None else frozenset(allowed_hosts)

    @app.middleware("http")
    async def headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # Outermost: the Host check and crashes answer here, so every response, a 400 for
        # a rebinding name or a 500, carries the same headers and error shape.
        if not host_allowed(request.headers.get("host", ""), hosts):
            response: Response = _error(400, "unknown Host header (see api.allowed_hosts)")
        else:
            try:
                response = await call_next(request)
            except Exception:
                log.exception("unhandled error")
                response = _error(500, "internal error")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if not request.url.path.startswith(("/docs", "/redoc")):
            response.headers["Content-Security-Policy"] = _CSP
        return response

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = [
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()
        ]
        return _error(422, "invalid request: " + "; ".join(parts))

    @app.exception_handler(StoreError)
    async def store_error(_: Request, exc: StoreError) -> JSONResponse:
        if exc.busy:
            # Another process writes the store (`sitrep run`/`watch`): worth retrying soon.
            busy = _error(
                503,
                f"store busy (another process is writing it; retry): {exc}",
                retry_after=_RETRY_AFTER,
            )
            busy.headers["Retry-After"] = str(_RETRY_AFTER)
            return busy
        return _error(503, f"store unavailable (a run may be writing it; retry): {exc}")

    @app.exception_handler(ConfigError)
    async def config_error(_: Request, exc: ConfigError) -> JSONResponse:
        return _error(500, f"server configuration error: {exc}")

    @app.exception_handler(Exception)
    async def crash(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return _error(500, "internal error")

    def query(
        type: str | None,
        actor: str | None,
        country: str | None,
        since: str | None,
        until: str | None,
        factuality: str | None,
        story: str | None,
        limit: int | None,
        offset: int,
        **extra: Any,
    ) -> q.Query:
        """Validate the shared filters, with messages that say what is allowed."""
        for name, value in (("since", since), ("until", until)):
            if value is not None and not _DATE.match(value):
                raise HTTPException(400, f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD")
        if country is not None and not _COUNTRY.match(country):
            raise HTTPException(400, "country must be an ISO 3166 alpha-3 code such as UKR")
        facts = tuple(f.strip().lower() for f in (factuality or "").split(",") if f.strip())
        if set(facts) - FACTUALITY:
            raise HTTPException(400, f"factuality must be among {sorted(FACTUALITY)}")
        size = cfg.default_limit if limit is None else limit
        if size > cfg.max_limit:
            raise HTTPException(400, f"limit may be at most {cfg.max_limit}")
        return q.Query(
            type, actor, country, since, until, facts, story, limit=size, offset=offset, **extra
        )

    def check_types(value: str | None) -> None:
        bad = {t.strip().upper() for t in (value or "").split(",") if t.strip()} - PLOVER_TYPES
        if bad:
            raise HTTPException(
                400, f"unknown PLOVER type {sorted(bad)}; one of {sorted(PLOVER_TYPES)}"
            )

    def listing(
        name: str, fmt: Format, flt: q.Query, total: int, items: list[dict[str, Any]]
    ) -> Response:
        if fmt == "csv":
            return Response(
                api_rows.to_csv(items),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
            )
        body = {"total": total, "limit": flt.limit, "offset": flt.offset, "items": items}
        return Response(json.dumps(body, default=str), media_type="application/json")

    Type = Query(None, description="PLOVER type(s), comma-separated")
    Actor = Query(None, description="actor name or id (substring, case-insensitive)")
    Country = Query(None, description="ISO 3166 alpha-3 (source, target or place)")
    Since = Query(None, description="first day, YYYY[-MM[-DD]]")
    Until = Query(None, description="last day, inclusive, YYYY[-MM[-DD]]")
    Fact = Query(None, description="factuality value(s), comma-separated")
    Story = Query(None, description="story id")
    Limit = Query(
        None,
        ge=1,
        le=q.MAX_OFFSET,
        description=f"rows per page (default {cfg.default_limit}, max {cfg.max_limit})",
    )
    Offset = Query(0, ge=0, le=q.MAX_OFFSET, description="rows to skip")
    Fmt = Query("json", description="json or csv")
    TimingOf = Query(
        "current",
        description="current (news of the day; the default), background (history an "
        "article recalls, e.g. 'during the Second World War'; listed by its mention) or all",
    )

    @app.get("/api/events", summary="Events: canonical (one per real event) or raw mentions")
    def events(
        type: str | None = Type,
        actor: str | None = Actor,
        country: str | None = Country,
        since: str | None = Since,
        until: str | None = Until,
        factuality: str | None = Fact,
        story: str | None = Story,
        mentions: bool = Query(False, description="raw mentions"),
        place: str | None = Query(None, description="place name, exactly as /api/places lists it"),
        lat: float | None = Query(None, description="place latitude, as /api/places lists it"),
        lon: float | None = Query(None, description="place longitude, as /api/places lists it"),
        timing: q.Timing = TimingOf,
        order: Literal["oldest", "newest"] = Query(
            "oldest", description="by day: oldest first, or newest first (undated last)"
        ),
        limit: int | None = Limit,
        offset: int = Offset,
        format: Format = Fmt,
    ) -> Response:
        check_types(type)
        flt = query(
            type,
            actor,
            country,
            since,
            until,
            factuality,
            story,
            limit,
            offset,
            place=place,
            lat=lat,
            lon=lon,
            timing=timing,
            newest_first=order == "newest",
        )
        with store.read() as con:
            total, rows = q.events(con, flt, mentions=mentions)
            items = [api_rows.event_row(r) for r in rows]
            stored = q.ingested_at(con, [a for i in items for a in _reports(i)])
        for item in items:
            # When the event was first reported to this store: the dashboard marks as new
            # the rows stored since the analyst's last visit.
            times = [stored[a] for a in _reports(item) if a in stored]
            item["first_stored"] = min(times) if times else None
        return listing("events", format, flt, total, items)

    @app.get("/api/quotes", summary="Quotes with speaker, via chain and state-media flag")
    def quotes(
        kind: str | None = Query(None, description="direct, indirect or mixed"),
        actor: str | None = Actor,
        country: str | None = Country,
        since: str | None = Since,
        until: str | None = Until,
        story: str | None = Story,
        hedged: bool | None = Query(None),
        state_media: bool | None = Query(None),
        limit: int | None = Limit,
        offset: int = Offset,
        format: Format = Fmt,
    ) -> Response:
        flt = query(
            kind,
            actor,
            country,
            since,
            until,
            None,
            story,
            limit,
            offset,
            hedged=hedged,
            state_media=state_media,
        )
        if (
            _unfiltered(flt)
            and flt.hedged is None
            and flt.state_media is None
            and flt.offset + flt.limit <= cfg.max_limit
        ):
            # The quotes panel's first view, kept like the map's (see `places`).
            everything = replace(flt, limit=cfg.max_limit, offset=0)
            total, first = store.answer("quotes", lambda con: quote_page(con, everything))
            items = first[flt.offset : flt.offset + flt.limit]
        else:
            with store.read() as con:
                total, items = quote_page(con, flt)
        return listing("quotes", format, flt, total, items)

    @app.get("/api/stories", summary="Stories with outlets and corroboration counts")
    def stories(
        actor: str | None = Actor,
        since: str | None = Since,
        until: str | None = Until,
        story: str | None = Story,
        limit: int | None = Limit,
        offset: int = Offset,
        format: Format = Fmt,
    ) -> Response:
        flt = query(None, actor, None, since, until, None, story, limit, offset)
        with store.read() as con:
            total, rows = q.stories(con, flt)
        return listing("stories", format, flt, total, rows)

    @app.get("/api/actors", summary="Actors of events, with counts as source and target")
    def actors(
        type: str | None = Type,
        actor: str | None = Actor,
        country: str | None = Country,
        since: str | None = Since,
        until: str | None = Until,
        limit: int | None = Limit,
        offset: int = Offset,
        format: Format = Fmt,
    ) -> Response:
        check_types(type)
        flt = query(type, actor, country, since, until, None, None, limit, offset)
        with store.read() as con:
            total, rows = q.actors(con, flt)
        return listing("actors", format, flt, total, rows)

    @app.get(
        "/api/places",
        summary="Event places with coordinates, counts, types and the latest event ids",
    )
    def places(
        type: str | None = Type,
        actor: str | None = Actor,
        country: str | None = Country,
        since: str | None = Since,
        until: str | None = Until,
        factuality: str | None = Fact,
        story: str | None = Story,
        timing: q.Timing = TimingOf,
        limit: int | None = Limit,
        offset: int = Offset,
        format: Format = Fmt,
    ) -> Response:
        check_types(type)
        flt = query(
            type, actor, country, since, until, factuality, story, limit, offset, timing=timing
        )
        if _unfiltered(flt) and flt.offset + flt.limit <= cfg.max_limit:
            # The map's first view: every place, the same until the store changes. One
            # answer of the largest page is kept and sliced for any page inside it.
            everything = replace(flt, limit=cfg.max_limit, offset=0)
            total, first = store.answer("places", lambda con: q.places(con, everything))
            rows = first[flt.offset : flt.offset + flt.limit]
        else:
            with store.read() as con:
                total, rows = q.places(con, flt)
        return listing("places", format, flt, total, rows)

    @app.get(
        "/api/timeseries",
        summary="Events and summed intensity per day and key, and the period they belong to",
    )
    def timeseries(
        by: Literal["type", "pair", "country", "factuality", "all"] = Query("type"),
        type: str | None = Type,
        actor: str | None = Actor,
        country: str | None = Country,
        since: str | None = Since,
        until: str | None = Until,
        factuality: str | None = Fact,
        story: str | None = Story,
        timing: q.Timing = TimingOf,
        format: Format = Fmt,
    ) -> Response:
        check_types(type)
        flt = query(type, actor, country, since, until, factuality, story, None, 0, timing=timing)
        if format == "csv":
            with store.read() as con:
                rows = q.timeseries(con, flt, by)
            return listing("timeseries", format, flt, len(rows), rows)

        def answer(con: Any) -> tuple[int, str, dict[str, str | None]]:
            return (*q.timeseries_json(con, flt, by), q.period(con, flt))

        # JSON written by DuckDB, and for the timeline's first view (no filter) kept until
        # the store changes.
        if _unfiltered(flt):
            total, items, period = store.answer(f"timeseries:{by}", answer)
        else:
            with store.read() as con:
                total, items, period = answer(con)
        head = json.dumps(
            {"total": total, "limit": flt.limit, "offset": flt.offset, "period": period}
        )
        return Response(f'{head[:-1]}, "items": {items}}}', media_type="application/json")

    @app.get("/api/articles", summary="Articles (without text)")
    def articles(
        since: str | None = Since,
        until: str | None = Until,
        story: str | None = Story,
        limit: int | None = Limit,
        offset: int = Offset,
        format: Format = Fmt,
    ) -> Response:
        flt = query(None, None, None, since, until, None, story, limit, offset)
        with store.read() as con:
            total, rows = q.articles(con, flt)
        return listing("articles", format, flt, total, rows)

    @app.get("/api/articles/{article_id:path}", summary="Article text and the spans of its records")
    def article(article_id: str) -> dict[str, Any]:
        with store.read() as con:
            found = q.article(con, article_id)
        if found is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        return api_rows.article_detail(found)

    from sitrep.views import api_analysis

    api_analysis.add_routes(app, store, query, listing)

    @app.post("/api/articles", status_code=201, summary="Ingest articles (token required)")
    async def ingest(request: Request) -> dict[str, Any]:
        if token is None:
            raise HTTPException(
                403, "read-only server: start `sitrep serve` with SITREP_TOKEN set to enable ingest"
            )
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise HTTPException(401, "missing or wrong token (send Authorization: Bearer TOKEN)")
        body = await _capped_body(request, cfg.max_body_bytes)
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

    @app.get(
        "/alerts.atom",
        summary="Alerts as an Atom feed, newest change first (any feed reader)",
        response_class=Response,
    )
    def alerts_feed(request: Request, limit: int | None = Limit) -> Response:
        size = cfg.default_limit if limit is None else limit
        if size > cfg.max_limit:
            raise HTTPException(400, f"limit may be at most {cfg.max_limit}")
        body = atom_feed(store.alerts(), str(request.base_url), size)
        return Response(body, media_type=ATOM_TYPE)

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(_static_dir() / "index.html", media_type="text/html")

    @app.get(
        "/api/stats",
        summary="Row counts, the store's date range, and a version that changes with the store",
    )
    def store_stats() -> dict[str, Any]:
        found = store.answer(
            "stats",
            lambda con: {"counts": stats(con), **q.date_range(con), **q.last_ingest(con)},
        )
        # The dashboard polls this cheap answer and refreshes its views when version moves.
        return {
            **found,
            "version": store.version(),
            "poll_seconds": cfg.dashboard_poll_seconds,
        }

    @app.get("/api/new", summary="Articles and canonical events stored after a moment")
    def new_since(
        since: str = Query(..., description="an ingest time, as /api/stats last_ingested"),
    ) -> dict[str, Any]:
        # The dashboard's "N new since your last visit": `since` is the newest ingest time
        # the analyst has marked as seen, on the store's own clock.
        moment = _ingest_time(since)
        with store.read() as con:
            return {"since": since, **stored_since(con, moment)}

    app.mount("/static", StaticFiles(directory=_static_dir()), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        vendor = "/static/vendor/swagger-ui"
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="sitrep API",
            swagger_js_url=f"{vendor}/swagger-ui-bundle.js",
            swagger_css_url=f"{vendor}/swagger-ui.css",
            swagger_favicon_url=f"{vendor}/favicon-32x32.png",
        )

    return app


def _ingest_time(text: str) -> datetime:
    """An ISO date-time; one with a zone is taken to UTC, as the store keeps ingest times."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, "since must be an ISO date-time, as last_ingested") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _reports(item: dict[str, Any]) -> list[str]:
    return [str(a) for a in (item.get("article_ids") or [item.get("article_id")]) if a]


def quote_page(con: Any, flt: q.Query) -> tuple[int, list[dict[str, Any]]]:
    total, rows = q.quotes(con, flt)
    return total, [api_rows.quote_row(r) for r in rows]


def _unfiltered(flt: q.Query) -> bool:
    """No filter of the shared set (type, actor, country, dates, factuality, story) and the
    default timing (current news)."""
    return (
        not (flt.type or flt.actor or flt.country or flt.since or flt.until or flt.factuality)
        and not flt.story
        and flt.timing == "current"
    )


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
