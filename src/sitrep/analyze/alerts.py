"""Alerts: escalation episodes (a pair's hostile events, independently reported, in numbers
its Gamma–Poisson posterior makes improbable; see rate_model.py) and watchlist rules that fired.

`evaluate_alerts(con, settings)` only reads, so the API and `sitrep alerts` can call it on a
read-only store; `record_alerts` also stores the result (first-fired times survive), for
the runner to call after every `sitrep run`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal, get_args

import duckdb

from sitrep.analyze import alert_inputs
from sitrep.analyze.alert_config import AlertConfig, current
from sitrep.analyze.alert_inputs import with_report_facts
from sitrep.analyze.alert_record import Alert, alert_id, day_of, evidence_of
from sitrep.analyze.escalation_alerts import (
    PairDay,
    count_table,
    day_counts,
    judged_alerts,
    pair_days,
)
from sitrep.analyze.evidence import witness_key
from sitrep.analyze.rate_model import (
    FALLBACK,
    Surprise,
    SurpriseTest,
    discounted_exposure,
    fit_prior,
    surprising_days,
)
from sitrep.analyze.watchlists import Rule, matches
from sitrep.settings import AnalyzeSettings, Settings
from sitrep.store import api_queries
from sitrep.store.alerts import fired_times, write_alerts

__all__ = [
    "Alert",
    "AlertConfig",
    "evaluate_alerts",
    "record_alerts",
    "rule_alerts",
    "with_report_facts",
]


def rule_alerts(
    rule: Rule, rows: Sequence[Mapping[str, Any]], news: SurpriseTest | None = None
) -> list[Alert]:
    """One alert per episode: the days on which the trailing `window_days` hold at least
    `min_events` matching events. Its events are those of the episode's windows. A surge
    rule instead fires on the days its pair's own baseline makes improbable (`news`: the
    store's articles per day and the model's settings; required then)."""
    hits = sorted(
        (r for r in rows if r.get("day") and not r.get("reprint") and matches(rule, r)),
        key=lambda r: r["day"],
    )
    if not hits:
        return []
    if rule.surge is not None:
        if news is None:
            raise ValueError(f"surge rule {rule.id} needs the store's news per day")
        return _surge_alerts(rule, hits, replace(news, probability=rule.surge))
    out: list[Alert] = []
    episode: list[Mapping[str, Any]] = []
    added = -1  # last position of `hits` in the episode: windows only move forward
    start: str | None = None
    window = dt.timedelta(days=rule.window_days)
    days = [day_of(h["day"]) for h in hits]
    first = 0  # hits are sorted by day, so the window is the run hits[first : n + 1]
    for n, hit in enumerate(hits):
        day = days[n]
        while day - days[first] >= window:
            first += 1
        if n + 1 - first >= rule.min_events:
            if start is None or (episode and day - day_of(episode[-1]["day"]) >= window):
                if start is not None:
                    out.append(_rule_alert(rule, start, episode))
                start, episode, added = hit["day"][:10], [], -1
            episode.extend(hits[max(first, added + 1) : n + 1])
            added = n
    if start is not None:
        out.append(_rule_alert(rule, start, episode))
    return out


def _surge_alerts(rule: Rule, hits: Sequence[Mapping[str, Any]], news: SurpriseTest) -> list[Alert]:
    """A surge: per pair (source country → target), the days on which at least `min_events`
    independent witnesses (outlets, else articles) reported matching events, a count the
    pair's Gamma–Poisson posterior from its own earlier days makes improbable (the
    escalation model's machinery, the prior fitted over the rule's pairs). Surge days at
    most `window_days` apart are one episode, one alert."""
    by_pair: dict[tuple[Any, Any], dict[str, list[Mapping[str, Any]]]] = {}
    for hit in hits:
        pair = (hit.get("source_country"), hit.get("pair_target"))
        by_pair.setdefault(pair, {}).setdefault(str(hit["day"])[:10], []).append(hit)
    totals = [sum(len(v) for v in days.values()) for days in by_pair.values()]
    news = replace(news, prior=fit_prior(totals, float(sum(news.articles.values()))))
    out: list[Alert] = []
    for days in by_pair.values():
        counts = {day: len(_witnesses(events)) for day, events in days.items()}
        judged = {day for day, n in counts.items() if n >= rule.min_events}
        episode: list[Surprise] = []
        for surprise in surprising_days(counts, news, judged):
            if episode and (day_of(surprise.day) - day_of(episode[-1].day)).days > rule.window_days:
                out.append(_surge_alert(rule, episode, days))
                episode = []
            episode.append(surprise)
        if episode:
            out.append(_surge_alert(rule, episode, days))
    return out


def _witnesses(events: Sequence[Mapping[str, Any]]) -> set[str]:
    """Who reported these canonical events: each one's outlets, else its first article."""
    return {
        witness_key(outlet, None, str(e["article_id"]))
        for e in events
        for outlet in (e.get("outlets") or [None])
    }


def _surge_alert(
    rule: Rule, episode: Sequence[Surprise], days: Mapping[str, Sequence[Mapping[str, Any]]]
) -> Alert:
    peak = min(episode, key=lambda s: s.tail)
    events = [e for s in episode for e in days[s.day]]
    condition = (
        f"surge: on {peak.day} {peak.count} against {peak.expected:.2g} expected from the "
        f"pair's own earlier days, Gamma–Poisson P(≥{peak.count}) = {peak.tail:.2g} ≤ "
        f"{rule.surge:g}"
    )
    alert = _rule_alert(rule, episode[0].day, events, condition)
    pair = f"{alert.source_country}>{alert.target_country}"  # a rule may surge per pair
    return replace(
        alert,
        id=alert_id("watchlist", rule.id, pair, episode[0].day),
        baseline=round(peak.expected, 4),
        probability=float(f"{peak.tail:.3g}"),
    )


def _rule_alert(
    rule: Rule, start: str, events: Sequence[Mapping[str, Any]], condition: str = ""
) -> Alert:
    pairs = {(e.get("source_country"), e.get("pair_target")) for e in events}
    source, target = next(iter(pairs)) if len(pairs) == 1 else (None, None)
    last = max(str(e["day"])[:10] for e in events)
    outlets = sorted({str(e.get("outlet")) for e in events if e.get("outlet")})
    why = (
        f"{len(events)} matching event(s) from {start} to {last} ("
        + (condition or f"rule: at least {rule.min_events} in {rule.window_days} days")
        + f"), reported by {', '.join(outlets) or '?'}"
        + (f". {rule.why}" if rule.why else "")
    )
    return Alert(
        id=alert_id("watchlist", rule.id, start),
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
        evidence=evidence_of(events),
        outlets=tuple(outlets),
    )


# The filters of the alert listing, in the CLI (`sitrep alerts`), the Python API
# (`alerts()`) and GET /api/alerts alike; `select_alerts` applies them.
ALERT_FILTERS = ("since", "kind", "rule", "limit", "offset")
AlertKind = Literal["escalation", "watchlist"]
ALERT_KINDS: tuple[AlertKind, ...] = get_args(AlertKind)


def select_alerts(
    alerts: Sequence[Alert],
    *,
    since: str | None = None,
    kind: str | None = None,
    rule: str | None = None,
) -> list[Alert]:
    """The alerts of `kind`, of watchlist `rule` and whose last day is on or after `since`
    (None: any), in their order; the caller takes its page of them."""
    return [
        a
        for a in alerts
        if (kind is None or a.kind == kind)
        and (rule is None or a.rule == rule)
        and (since is None or a.last_day >= since)
    ]


def evaluate_alerts(
    con: duckdb.DuckDBPyConnection, settings: Settings, config: AlertConfig | None = None
) -> list[Alert]:
    """Every alert the store's canonical events raise under the settings' rules (read-only):
    from the stored alert inputs when they are up to date (analyze/alert_inputs.py), else
    from the whole store; both give the same alerts. `config`: the rules and weights as
    read before (analyze/alert_config.py), used while their files are unchanged."""
    config = current(config, settings.analyze)
    if alert_inputs.fresh(con, config):
        alerts = _from_inputs(con, config)
    else:
        alerts = _from_store(con, config)[0]
    return _with_fired_times(con, alerts)


def _news(articles: Mapping[str, int], cfg: AnalyzeSettings) -> SurpriseTest:
    """The store's news per day, for the surge rules (each fits its own prior)."""
    return SurpriseTest(
        prior=FALLBACK,
        articles=articles,
        exposure_before=discounted_exposure(articles, sorted(articles), cfg.half_life_days),
        half_life_days=cfg.half_life_days,
        probability=cfg.alert_probability,
        min_history_articles=cfg.min_history_articles,
    )


def _from_store(
    con: duckdb.DuckDBPyConnection, config: AlertConfig
) -> tuple[list[Alert], dict[tuple[str, str], dict[str, PairDay]], list[dict[str, Any]]]:
    """The full evaluation (the reference): every canonical event and mention read; with
    the pair-days and rows it judged, from which the alert inputs are rebuilt."""
    cfg = config.analyze
    mentions = api_queries.event_witnesses(con)
    articles = api_queries.articles_per_day(con)
    rows = with_report_facts(api_queries.scored_events(con), mentions)
    by_pair = pair_days(rows, mentions, cfg, config.weights)
    alerts = judged_alerts(count_table(day_counts(by_pair, cfg)), articles, cfg, lambda _: by_pair)
    news = _news(articles, cfg)
    for rule in config.rules:
        alerts.extend(rule_alerts(rule, rows, news))
    return alerts, by_pair, rows


def _from_inputs(con: duckdb.DuckDBPyConnection, config: AlertConfig) -> list[Alert]:
    """The same alerts from the stored inputs: every pair judged from its stored counts,
    evidence read for the days that fire, each rule judged over its stored hits."""
    cfg = config.analyze
    articles = api_queries.articles_per_day(con)
    table = alert_inputs.stored_counts(con)
    alerts = judged_alerts(table, articles, cfg, alert_inputs.evidence_reader(con, config))
    news = _news(articles, cfg)
    hits = alert_inputs.hit_rows(con)
    for rule in config.rules:
        alerts.extend(rule_alerts(rule, hits.get(rule.id, []), news))
    return alerts


def _with_fired_times(con: duckdb.DuckDBPyConnection, alerts: Sequence[Alert]) -> list[Alert]:
    try:
        fired = fired_times(con)
    except duckdb.CatalogException:  # a store from before migration 004
        fired = {}
    out = [
        replace(a, first_fired=fired[a.id][0], updated=fired[a.id][1]) if a.id in fired else a
        for a in alerts
    ]
    return sorted(out, key=lambda a: (a.day, a.kind, a.rule, a.id), reverse=True)


def record_alerts(
    con: duckdb.DuckDBPyConnection, settings: Settings, config: AlertConfig | None = None
) -> list[Alert]:
    """Evaluate and store the alerts (needs a writable connection); returns them. After an
    incremental resolution only what its changed canonical events touch is read again
    (analyze/alert_inputs.py); otherwise the whole store, and the inputs are rebuilt.
    `config` as for `evaluate_alerts`."""
    config = current(config, settings.analyze)
    if alert_inputs.bring_up_to_date(con, config):
        alerts = _from_inputs(con, config)
    else:
        alerts, by_pair, rows = _from_store(con, config)
        alert_inputs.rebuild(con, config, by_pair, rows)
    write_alerts(con, [a.as_dict() for a in alerts])
    return _with_fired_times(con, alerts)
