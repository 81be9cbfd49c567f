"""The HTTP API and the dashboard: `create_app(db, settings, token)` builds the FastAPI app.

Read-only unless a token is passed in (the CLI takes it from SITREP_TOKEN; nothing here
reads the environment); with one, POST /api/articles ingests. Errors are JSON:
`{"error": {"status": 404, "message": "..."}}`. The routes live in views/routes/, one
router per resource, over store/query.py's listings.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from sitrep import __version__
from sitrep.errors import ConfigError, StoreError
from sitrep.settings import Settings
from sitrep.store.filters import MESSAGES
from sitrep.views.api_store import Store
from sitrep.views.hosts import host_allowed
from sitrep.views.routes import (
    actors,
    analysis,
    articles,
    events,
    meta,
    places,
    quotes,
    stories,
    timeseries,
)

log = logging.getLogger(__name__)

# The dashboard only ever loads its own files; inline script and style are refused, so an
# injected <script> or onerror= would not run even if escaping failed somewhere.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
# What a query parameter of the wrong shape without a message of its own is told.
PATTERN_HELP = "as /openapi.json describes it (see docs/api.md)"
_PAIR_MESSAGES = {
    side: "source and target must be ISO 3166 alpha-3 codes" for side in ("source", "target")
}
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
    app.state.token = token
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
        # A filter of the wrong shape (a date, a country code, a type) is a 400 with what
        # is allowed, as store/filters.py says it; other invalid values stay 422.
        for e in exc.errors():
            loc = e.get("loc", ())
            if e.get("type") == "string_pattern_mismatch" and len(loc) == 2:
                name = str(loc[1])
                message = {**MESSAGES, **_PAIR_MESSAGES}.get(name)
                return _error(400, message or f"{name} must be {PATTERN_HELP}")
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

    for router in (
        events.router,
        quotes.router,
        stories.router,
        actors.router,
        places.router,
        timeseries.router,
        articles.router,
        analysis.router,
        meta.router,
    ):
        app.include_router(router)

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(_static_dir() / "index.html", media_type="text/html")

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
