"""Routes of the analysis layer: alerts, escalation series and actor pairs."""

from __future__ import annotations

from dataclasses import fields
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from sitrep.analyze.alerts import Alert, AlertKind, select_alerts
from sitrep.analyze.escalation import load_weights, series, trend
from sitrep.store import api_queries as q
from sitrep.store.filters import COUNTRY_PATTERN, Filters
from sitrep.views.routes.common import (
    CSV_ANSWER,
    FormatQ,
    LimitQ,
    OffsetQ,
    SinceQ,
    UntilQ,
    checked,
    listing,
    store_of,
)
from sitrep.views.routes.models import AlertPage

router = APIRouter(tags=["analysis"])
CountryCode = Annotated[str, Query(pattern=COUNTRY_PATTERN, description="alpha-3 country code")]
# Columns of the alerts CSV (the evidence stays in JSON).
ALERT_COLUMNS = [
    "id",
    "kind",
    "rule",
    "title",
    "day",
    "last_day",
    "source_country",
    "target_country",
    "events",
    "score",
    "zscore",
    "baseline",
    "probability",
    "outlets",
    "event_ids",
    "article_ids",
    "first_fired",
    "why",
]


def alert_dict(alert: Alert) -> dict[str, Any]:
    """`Alert.as_dict()` without its deep copy: the evidence dicts are shared with the
    cached alerts (store.alerts), so callers only serialise them, never change them. The
    copy cost ~0.1 s for a busy pair's alerts."""
    data = {f.name: getattr(alert, f.name) for f in fields(alert)}
    data["event_ids"], data["article_ids"] = list(alert.event_ids), list(alert.article_ids)
    data["outlets"] = list(alert.outlets)
    data["evidence"] = list(alert.evidence)
    return data


@router.get(
    "/api/alerts",
    summary="Alerts: escalation spikes and watchlist rules that fired",
    response_model=AlertPage,
    responses=CSV_ANSWER,
)
def alerts(
    request: Request,
    kind: Annotated[AlertKind | None, Query(description="escalation or watchlist")] = None,
    rule: Annotated[str | None, Query(description="watchlist rule id")] = None,
    since: SinceQ = None,
    limit: LimitQ = None,
    offset: OffsetQ = 0,
    format: FormatQ = "json",
) -> Response:
    f = checked(request, Filters(since=since, limit=limit, offset=offset))
    size = f.limit or 0
    found = select_alerts(store_of(request).alerts(), since=since, kind=kind, rule=rule)
    # Only the page is turned into dicts: alerts carry their evidence, and copying every
    # alert's evidence on a large store costs seconds.
    page = [alert_dict(a) for a in found[f.offset : f.offset + size]]
    if format == "csv":
        page = [{c: a.get(c) for c in ALERT_COLUMNS} for a in page]
    return listing("alerts", format, f, len(found), page)


@router.get("/api/pairs", summary="Actor pairs (source → target country) by escalation score")
def pairs(request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> dict[str, Any]:
    store = store_of(request)
    weights = load_weights(store.settings.analyze.weights)
    rows = store.answer(
        "pairs", lambda con: q.pair_totals(con, dict(weights.factuality), weights.default)
    )
    return {"items": rows[:limit]}


@router.get("/api/escalation", summary="Daily escalation index of one pair, with alerts")
def escalation(
    request: Request,
    source: CountryCode,
    target: CountryCode,
    since: SinceQ = None,
    until: UntilQ = None,
) -> dict[str, Any]:
    store = store_of(request)
    pair = (source.upper(), target.upper())
    shown = q.period_of(checked(request, Filters(since=since, until=until)))
    cfg = store.settings.analyze
    weights = load_weights(cfg.weights)
    with store.read() as con:
        # Grouped by day in the store: the same numbers as escalation.daily over
        # scored_events (tests/test_query_scale.py), without a row per event.
        days = q.pair_days(con, pair, dict(weights.factuality), weights.default)
    # The baseline of the first day shown reads the days before it: the series is
    # computed whole, then cut to the period.
    everything = series(days, cfg.baseline_days, cfg.min_spread, dense=True)
    points = [p for p in everything if _within(p.day, p.day, shown)]
    return {
        "source_country": pair[0],
        "target_country": pair[1],
        "baseline_days": cfg.baseline_days,
        "alert_probability": cfg.alert_probability,
        "series": [
            {
                "day": p.day,
                "score": p.score,
                "events": p.events,
                "baseline": p.baseline,
                "spread": p.spread,
                "z": p.z,
                "event_ids": list(p.event_ids),
            }
            for p in points
        ],
        "trend": trend(points, store.settings.brief.trend_days),
        "alerts": [
            alert_dict(a) for a in store.alerts_of_pair(pair) if _within(a.day, a.last_day, shown)
        ],
    }


def _within(first: str, last: str, period: tuple[str | None, str | None]) -> bool:
    """Whether the days `first`…`last` overlap `period` (open where None)."""
    since, until = period
    return (since is None or last >= since) and (until is None or first <= until)
