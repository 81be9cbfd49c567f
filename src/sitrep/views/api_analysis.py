"""API routes of the analysis layer: alerts, escalation series and actor pairs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from typing import Any, Literal

from fastapi import FastAPI, Query
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from sitrep.analyze.alerts import Alert
from sitrep.analyze.escalation import load_weights, series, trend
from sitrep.store import api_queries as q
from sitrep.views.api_store import Store

_COUNTRY = re.compile(r"^[A-Z]{3}$")
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


def add_routes(
    app: FastAPI,
    store: Store,
    query: Callable[..., q.Query],
    listing: Callable[..., Response],
) -> None:
    settings = store.settings

    @app.get("/api/alerts", summary="Alerts: escalation spikes and watchlist rules that fired")
    def alerts(
        kind: Literal["escalation", "watchlist"] | None = Query(None),
        rule: str | None = Query(None, description="watchlist rule id"),
        since: str | None = Query(None, description="alerts from this day on"),
        limit: int | None = Query(None, ge=1, le=q.MAX_OFFSET),
        offset: int = Query(0, ge=0, le=q.MAX_OFFSET),
        format: Literal["json", "csv"] = Query("json"),
    ) -> Response:
        flt = query(None, None, None, since, None, None, None, limit, offset)
        found = [
            a
            for a in store.alerts()
            if (kind is None or a.kind == kind)
            and (rule is None or a.rule == rule)
            and (since is None or a.last_day >= since)
        ]
        # Only the page is turned into dicts: alerts carry their evidence, and copying every
        # alert's evidence on a large store costs seconds.
        page = [alert_dict(a) for a in found[flt.offset : flt.offset + flt.limit]]
        if format == "csv":
            page = [{c: a.get(c) for c in ALERT_COLUMNS} for a in page]
        return listing("alerts", format, flt, len(found), page)

    @app.get("/api/pairs", summary="Actor pairs (source → target country) by escalation score")
    def pairs(limit: int = Query(50, ge=1, le=1000)) -> dict[str, Any]:
        weights = load_weights(settings.analyze.weights)
        rows = store.answer(
            "pairs", lambda con: q.pair_totals(con, dict(weights.factuality), weights.default)
        )
        return {"items": rows[:limit]}

    @app.get("/api/escalation", summary="Daily escalation index of one pair, with alerts")
    def escalation(
        source: str = Query(..., description="source country, alpha-3"),
        target: str = Query(..., description="target country, alpha-3"),
        since: str | None = Query(None, description="first day shown, YYYY[-MM[-DD]]"),
        until: str | None = Query(None, description="last day shown, inclusive, YYYY[-MM[-DD]]"),
    ) -> dict[str, Any]:
        pair = (source.upper(), target.upper())
        if not all(_COUNTRY.match(c) for c in pair):
            raise HTTPException(400, "source and target must be ISO 3166 alpha-3 codes")
        shown = q.period_of(query(None, None, None, since, until, None, None, None, 0))
        cfg = settings.analyze
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
                alert_dict(a)
                for a in store.alerts_of_pair(pair)
                if _within(a.day, a.last_day, shown)
            ],
        }


def _within(first: str, last: str, period: tuple[str | None, str | None]) -> bool:
    """Whether the days `first`…`last` overlap `period` (open where None)."""
    since, until = period
    return (since is None or last >= since) and (until is None or first <= until)
