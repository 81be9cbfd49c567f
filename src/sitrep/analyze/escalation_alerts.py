"""Escalation alerts: one per actor pair and episode of days on which hostile events
between explicit actors, reported by independent witnesses, came in numbers the pair's
Gamma–Poisson posterior (rate_model.py) makes improbable. Evidence rules: evidence.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitrep.analyze.alert_record import ESCALATION_RULE, Alert, alert_id, day_of, evidence_of
from sitrep.analyze.escalation import event_score, load_weights
from sitrep.analyze.evidence import explicit_pair, is_current_fact, witness_key
from sitrep.analyze.rate_model import GammaPrior, decay, fit_prior, predictive
from sitrep.settings import AnalyzeSettings


@dataclass(slots=True)
class PairDay:
    """One day of one pair: its qualifying events and the witnesses who reported them."""

    day: str
    events: list[Mapping[str, Any]] = field(default_factory=list)
    witnesses: set[str] = field(default_factory=set)
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Firing:
    """A pair-day that fired: the day, its count's tail probability and expected count."""

    day: PairDay
    tail: float
    expected: float


@dataclass(slots=True)
class Witnesses:
    """Who reported one event as escalation evidence: witness keys, their articles and the
    strongest factuality among those reports (the first of `alert_factuality`)."""

    keys: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    factuality: str = ""


def _witnesses_by_event(
    mentions: Sequence[Mapping[str, Any]], cfg: AnalyzeSettings
) -> dict[str, dict[tuple[str, str], Witnesses]]:
    """canonical id → explicit pair → its witnesses, over the mentions that may count as
    evidence (current, accepted factuality, explicit source and target actors)."""
    rank = {name: n for n, name in enumerate(cfg.alert_factuality)}
    out: dict[str, dict[tuple[str, str], Witnesses]] = {}
    for m in mentions:
        pair = explicit_pair(m)
        if pair is None or not is_current_fact(m, cfg.alert_factuality):
            continue
        found = out.setdefault(str(m["canonical_id"]), {}).setdefault(pair, Witnesses())
        found.keys.add(witness_key(m.get("outlet"), m.get("url"), str(m["article_id"])))
        found.articles.add(str(m["article_id"]))
        factuality = str(m["factuality"])
        if not found.factuality or rank[factuality] < rank[found.factuality]:
            found.factuality = factuality
    return out


def pair_days(
    rows: Sequence[Mapping[str, Any]],
    mentions: Sequence[Mapping[str, Any]],
    cfg: AnalyzeSettings,
) -> dict[tuple[str, str], dict[str, PairDay]]:
    """Explicit pair → day → the hostile events that may count as escalation evidence."""
    weights = load_weights(cfg.weights)
    witnesses = _witnesses_by_event(mentions, cfg)
    out: dict[tuple[str, str], dict[str, PairDay]] = {}
    for row in rows:
        pair, day = explicit_pair(row), row.get("day")
        found = witnesses.get(str(row["id"]), {}).get(pair) if pair else None
        if pair is None or not day or found is None:
            continue
        if row.get("type") not in cfg.escalation_types:
            continue
        score = event_score({**row, "factuality": found.factuality}, weights)
        if score <= 0:  # cooperation or a neutral act is no escalation
            continue
        point = out.setdefault(pair, {}).setdefault(str(day), PairDay(str(day)))
        point.events.append(
            {**row, "witnesses": sorted(found.keys), "witness_articles": sorted(found.articles)}
        )
        point.witnesses |= found.keys
        point.score += score
    return out


def _discounted_exposure(
    articles: Mapping[str, int], days: Sequence[str], half_life: float
) -> dict[str, float]:
    """day → Σ articles of every earlier day × its decay: the store's news volume before
    each of `days` (the exposure behind a pair's history, shared by every pair)."""
    timeline = sorted({*articles, *days})
    out: dict[str, float] = {}
    total, previous = 0.0, None
    for day in timeline:
        if previous is not None:
            gap = (day_of(day) - day_of(previous)).days
            total = (total + articles.get(previous, 0)) * decay(gap, half_life)
        out[day] = total
        previous = day
    return {d: out[d] for d in days}


def _firings(
    points: Mapping[str, PairDay],
    prior: GammaPrior,
    exposure_before: Mapping[str, float],
    articles: Mapping[str, int],
    cfg: AnalyzeSettings,
) -> list[Firing]:
    """The pair's days that pass the evidence rules and whose count is improbable under the
    posterior predictive built from the pair's earlier days."""
    out = []
    history, previous = 0.0, None
    for day in sorted(points):
        point = points[day]
        if previous is not None:
            gap = (day_of(day) - day_of(previous)).days
            history = (history + len(points[previous].events)) * decay(gap, cfg.half_life_days)
        previous = day
        if len(point.witnesses) < cfg.min_outlets or point.score < cfg.min_score:
            continue
        guess = predictive(
            prior,
            history,
            exposure_before[day],
            max(1, articles.get(day, 0)),
            len(point.events),
        )
        if guess.tail <= cfg.alert_probability:
            out.append(Firing(point, guess.tail, guess.expected))
    return out


def _episodes(firings: Sequence[Firing], gap_days: int) -> list[list[Firing]]:
    """Firing days of one pair, grouped: a day within `gap_days` of the previous one
    continues its episode."""
    out: list[list[Firing]] = []
    for firing in firings:
        if out and (day_of(firing.day.day) - day_of(out[-1][-1].day.day)).days <= gap_days:
            out[-1].append(firing)
        else:
            out.append([firing])
    return out


def escalation_alerts(
    rows: Sequence[Mapping[str, Any]],
    mentions: Sequence[Mapping[str, Any]],
    articles: Mapping[str, int],
    cfg: AnalyzeSettings,
) -> list[Alert]:
    """One alert per pair and episode of days on which hostile events between explicit
    actors, reported by at least `min_outlets` independent witnesses, came in numbers the
    pair's Gamma–Poisson posterior makes improbable (tail ≤ `alert_probability`)."""
    by_pair = pair_days(rows, mentions, cfg)
    prior = fit_prior(
        [sum(len(p.events) for p in d.values()) for d in by_pair.values()],
        float(sum(articles.values())),
    )
    all_days = sorted({day for days in by_pair.values() for day in days})
    exposure = _discounted_exposure(articles, all_days, cfg.half_life_days)
    out = []
    for pair, points in sorted(by_pair.items()):
        firings = _firings(points, prior, exposure, articles, cfg)
        for episode in _episodes(firings, cfg.episode_gap_days):
            out.append(_escalation_alert(pair, episode, prior, cfg))
    return out


def _escalation_alert(
    pair: tuple[str, str], episode: Sequence[Firing], prior: GammaPrior, cfg: AnalyzeSettings
) -> Alert:
    source, target = pair
    peak = min(episode, key=lambda f: f.tail)
    events = [e for f in episode for e in f.day.events]
    witnesses = sorted({w for f in episode for w in f.day.witnesses})
    first, last = episode[0].day.day, episode[-1].day.day
    days = f"on {first}" if first == last else f"on {len(episode)} days from {first} to {last}"
    why = (
        f"{source}→{target}: {len(events)} hostile event(s) between explicit actors {days}, "
        f"reported by {len(witnesses)} independent source(s); on {peak.day.day} "
        f"{len(peak.day.events)} against {peak.expected:.2g} expected from the pair's history "
        f"(Gamma–Poisson, prior over {prior.pairs} pairs): P(≥{len(peak.day.events)}) = "
        f"{peak.tail:.2g} ≤ {cfg.alert_probability:g} ("
        + ", ".join(sorted({f"{e['type']} ({e['factuality']})" for e in events}))
        + ")"
    )
    return Alert(
        id=alert_id("escalation", source, target, first),
        kind="escalation",
        rule=ESCALATION_RULE,
        title=f"Escalation {source} → {target}",
        day=first,
        last_day=last,
        source_country=source,
        target_country=target,
        events=len(events),
        score=round(max(f.day.score for f in episode), 3),
        zscore=None,
        baseline=round(peak.expected, 4),
        event_ids=tuple(str(e["id"]) for e in events),
        article_ids=tuple(sorted({a for e in events for a in e["witness_articles"]})),
        why=why,
        evidence=evidence_of(events),
        outlets=tuple(witnesses),
        probability=float(f"{peak.tail:.3g}"),
    )
