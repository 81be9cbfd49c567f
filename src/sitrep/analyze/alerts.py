"""Alerts: escalation spikes (z-score over the pair's baseline) and watchlist rules that fired.

`evaluate_alerts(con, settings)` only reads, so the API and `sitrep alerts` can call it on a
read-only store; `record_alerts` also stores the result (first-fired times survive), for
the runner to call after every `sitrep run`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import duckdb

from sitrep.analyze.escalation import daily, load_weights, series
from sitrep.analyze.watchlists import Rule, load_rules, matches
from sitrep.settings import AnalyzeSettings, Settings
from sitrep.store import api_queries
from sitrep.store.alerts import first_fired, write_alerts

# What an alert shows of each event behind it.
EVIDENCE_FIELDS = (
    "id",
    "day",
    "type",
    "factuality",
    "source",
    "source_country",
    "target",
    "pair_target",
    "place",
    "sentence",
    "sentence_start",
    "sentence_end",
    "intensity",
    "outlet",
    "published",
    "article_id",
    "reports",
    "independent_sources",
)


@dataclass(frozen=True, slots=True)
class Alert:
    id: str
    kind: str  # "escalation" or "watchlist"
    rule: str
    title: str
    day: str
    last_day: str
    source_country: str | None
    target_country: str | None
    events: int
    score: float | None
    zscore: float | None
    baseline: float | None
    event_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    why: str
    evidence: tuple[dict[str, Any], ...] = field(default=())
    first_fired: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["event_ids"], data["article_ids"] = list(self.event_ids), list(self.article_ids)
        data["evidence"] = [dict(e) for e in self.evidence]
        return data


def _id(*parts: str) -> str:
    return "al" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:14]


def _evidence(rows: Sequence[Mapping[str, Any]]) -> tuple[dict[str, Any], ...]:
    return tuple({k: r.get(k) for k in EVIDENCE_FIELDS} for r in rows)


def escalation_alerts(rows: Sequence[Mapping[str, Any]], cfg: AnalyzeSettings) -> list[Alert]:
    """A pair-day whose score reaches `min_score` and stands `z_threshold` deviations above
    its baseline."""
    weights = load_weights(cfg.weights)
    by_id = {str(r["id"]): r for r in rows}
    out = []
    for (source, target), days in sorted(daily(rows, weights).items()):
        for point in series(days, cfg.baseline_days, cfg.min_spread):
            if point.score < cfg.min_score or point.z < cfg.z_threshold:
                continue
            behind = [by_id[i] for i in point.event_ids]
            why = (
                f"{source}→{target} escalation score {point.score:g} on {point.day} against a "
                f"{cfg.baseline_days}-day baseline of {point.baseline:g} ± {point.spread:g}: "
                f"z = {point.z:g} ≥ {cfg.z_threshold:g} ({point.events} events: "
                + ", ".join(sorted({f"{r['type']} ({r['factuality']})" for r in behind}))
                + ")"
            )
            out.append(
                Alert(
                    id=_id("escalation", source, target, point.day),
                    kind="escalation",
                    rule="escalation-z",
                    title=f"Escalation {source} → {target}",
                    day=point.day,
                    last_day=point.day,
                    source_country=source,
                    target_country=target,
                    events=point.events,
                    score=point.score,
                    zscore=point.z,
                    baseline=point.baseline,
                    event_ids=point.event_ids,
                    article_ids=tuple(sorted({str(r["article_id"]) for r in behind})),
                    why=why,
                    evidence=_evidence(behind),
                )
            )
    return out


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def rule_alerts(rule: Rule, rows: Sequence[Mapping[str, Any]]) -> list[Alert]:
    """One alert per episode: the days on which the trailing `window_days` hold at least
    `min_events` matching events. Its events are those of the episode's windows."""
    hits = sorted((r for r in rows if r.get("day") and matches(rule, r)), key=lambda r: r["day"])
    if not hits:
        return []
    out: list[Alert] = []
    episode: list[Mapping[str, Any]] = []
    added = -1  # last position of `hits` in the episode: windows only move forward
    start: str | None = None
    window = dt.timedelta(days=rule.window_days)
    days = [_day(h["day"]) for h in hits]
    first = 0  # hits are sorted by day, so the window is the run hits[first : n + 1]
    for n, hit in enumerate(hits):
        day = days[n]
        while day - days[first] >= window:
            first += 1
        if n + 1 - first >= rule.min_events:
            if start is None or (episode and day - _day(episode[-1]["day"]) >= window):
                if start is not None:
                    out.append(_rule_alert(rule, start, episode))
                start, episode, added = hit["day"][:10], [], -1
            episode.extend(hits[max(first, added + 1) : n + 1])
            added = n
    if start is not None:
        out.append(_rule_alert(rule, start, episode))
    return out


def _rule_alert(rule: Rule, start: str, events: Sequence[Mapping[str, Any]]) -> Alert:
    pairs = {(e.get("source_country"), e.get("pair_target")) for e in events}
    source, target = next(iter(pairs)) if len(pairs) == 1 else (None, None)
    last = max(str(e["day"])[:10] for e in events)
    outlets = sorted({str(e.get("outlet")) for e in events if e.get("outlet")})
    why = (
        f"{len(events)} matching event(s) from {start} to {last} (rule: at least "
        f"{rule.min_events} in {rule.window_days} days), reported by {', '.join(outlets) or '?'}"
        + (f". {rule.why}" if rule.why else "")
    )
    return Alert(
        id=_id("watchlist", rule.id, start),
        kind="watchlist",
        rule=rule.id,
        title=rule.title,
        day=start,
        last_day=last,
        source_country=source,
        target_country=target,
        events=len(events),
        score=None,
        zscore=None,
        baseline=None,
        event_ids=tuple(str(e["id"]) for e in events),
        article_ids=tuple(sorted({str(e["article_id"]) for e in events})),
        why=why,
        evidence=_evidence(events),
    )


def evaluate_alerts(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[Alert]:
    """Every alert the store's canonical events raise under the settings' rules (read-only)."""
    cfg = settings.analyze
    rows = api_queries.scored_events(con)
    alerts = escalation_alerts(rows, cfg)
    for rule in load_rules(cfg.watchlists, cfg.default_watchlists):
        alerts.extend(rule_alerts(rule, rows))
    try:
        fired = first_fired(con)
    except duckdb.CatalogException:  # a store from before migration 004
        fired = {}
    alerts = [replace(a, first_fired=fired[a.id]) if a.id in fired else a for a in alerts]
    return sorted(alerts, key=lambda a: (a.day, a.kind, a.rule, a.id), reverse=True)


def record_alerts(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[Alert]:
    """Evaluate and store the alerts (needs a writable connection); returns them."""
    alerts = evaluate_alerts(con, settings)
    write_alerts(con, [a.as_dict() for a in alerts])
    return evaluate_alerts(con, settings)
