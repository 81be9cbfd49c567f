"""Escalation alerts: one per actor pair and episode of days on which hostile events
between explicit actors, reported by independent witnesses, came in numbers the pair's
Gamma–Poisson posterior (rate_model.py) makes improbable. Evidence rules: evidence.py."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitrep.analyze.alert_record import ESCALATION_RULE, Alert, alert_id, day_of, evidence_of
from sitrep.analyze.escalation import Weights, event_score, load_weights
from sitrep.analyze.evidence import (
    explicit_pair,
    is_current_fact,
    is_defensive,
    same_matter_events,
    witness_key,
)
from sitrep.analyze.rate_model import (
    GammaPrior,
    SurpriseTest,
    discounted_exposure,
    fit_prior,
    surprising_days,
)
from sitrep.settings import AnalyzeSettings


@dataclass(slots=True)
class PairDay:
    """One day of one pair: the articles reporting its hostile events (the model's count),
    their witnesses, and the events as evidence (canonical id → row with its witnesses)."""

    day: str
    articles: set[str] = field(default_factory=set)
    witnesses: set[str] = field(default_factory=set)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def score(self) -> float:
        return sum(self.scores.values())


@dataclass(frozen=True, slots=True)
class Firing:
    """A pair-day that fired: its corroborated matters (the evidence), the day's count of
    reporting articles, the count's tail probability and the count expected."""

    day: PairDay
    count: int
    tail: float
    expected: float


def _is_evidence(mention: Mapping[str, Any], cfg: AnalyzeSettings) -> bool:
    return (
        bool(mention.get("day"))
        and mention.get("type") in cfg.escalation_types
        and is_current_fact(mention, cfg.alert_factuality)
    )


def pair_days(
    rows: Sequence[Mapping[str, Any]],
    mentions: Sequence[Mapping[str, Any]],
    cfg: AnalyzeSettings,
    weights: Weights | None = None,
) -> dict[tuple[str, str], dict[str, PairDay]]:
    """Explicit pair → day → what may count as escalation evidence: every report (mention)
    of a canonical event that is current, asserted or reported, of an escalation type,
    hostile, between explicit actors, on its own day. Counting reports, not canonical
    events: resolution merges a day's strikes reported by three outlets into one event, and
    those three reports are what a surge looks like."""
    weights = weights if weights is not None else load_weights(cfg.weights)  # read once if given
    canonical = {str(r["id"]): r for r in rows}
    out: dict[tuple[str, str], dict[str, PairDay]] = {}
    for m in mentions:
        pair, event = explicit_pair(m), canonical.get(str(m["canonical_id"]))
        if pair is None or event is None or not _is_evidence(m, cfg):
            continue
        if is_defensive(event.get("trigger"), m.get("sentence")):  # the defender's success
            continue
        score = event_score(m, weights)
        if score <= 0:  # cooperation or a neutral act is no escalation
            continue
        day = str(m["day"])
        point = out.setdefault(pair, {}).setdefault(day, PairDay(day))
        witness = witness_key(m.get("outlet"), m.get("url"), str(m["article_id"]))
        point.articles.add(str(m["article_id"]))
        point.witnesses.add(witness)
        shown = point.events.setdefault(str(event["id"]), _shown(event, m))
        _add_sorted(shown["witnesses"], witness)
        _add_sorted(shown["witness_articles"], str(m["article_id"]))
        point.scores[str(event["id"])] = max(score, point.scores.get(str(event["id"]), 0.0))
    return out


# What an evidence line takes from the report that made it evidence, so the sentence, the
# actors and the day shown are those of that report (the canonical event's first report may
# be another, e.g. one without the explicit target).
_REPORT_FIELDS = (
    "day",
    "factuality",
    "source",
    "source_actor_id",
    "source_country",
    "target",
    "target_actor_id",
    "target_country",
    "place",
    "sentence",
    "sentence_start",
    "sentence_end",
    "published",
    "outlet",
)


def _shown(event: Mapping[str, Any], report: Mapping[str, Any]) -> dict[str, Any]:
    shown = {**event, **{k: report.get(k) for k in _REPORT_FIELDS}}
    shown["article_id"] = report.get("mention_article_id") or report["article_id"]
    return {**shown, "witnesses": [], "witness_articles": []}


def _add_sorted(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)
        items.sort()


def judged_events(point: PairDay, cfg: AnalyzeSettings) -> list[str]:
    """The day's events that pass the evidence rules: one matter corroborated by
    `min_outlets` witnesses, with a day score of at least `min_score`; [] when none does."""
    events = same_matter_events(point.events, cfg.min_outlets)
    if events and sum(point.scores[e] for e in events) >= cfg.min_score:
        return events
    return []


@dataclass(frozen=True, slots=True)
class DayCount:
    """What the model reads of one pair-day: its reporting articles (the count) and
    whether the day may fire (its corroborated matter passes the evidence rules)."""

    reports: int
    judged: bool


PairKey = tuple[tuple[str, str], str]  # (source country, target country), day
# Reads the evidence of these pair-days (pair → day → PairDay): from memory on a full
# evaluation, from the store on an incremental one (analyze/alert_inputs.py).
EvidenceReader = Callable[[Collection[PairKey]], Mapping[tuple[str, str], Mapping[str, PairDay]]]


@dataclass(frozen=True, slots=True)
class CountTable:
    """What judging the pairs reads of the pair-days: every pair's reports in all (the
    population the prior is fitted over), every day any pair has (the timeline of the
    news volume before each day), and the days of the pairs that have a day that may fire
    (a pair without one raises no alert, so its days are never read one by one)."""

    totals: Mapping[tuple[str, str], int]
    days: Sequence[str]
    firing: Mapping[tuple[str, str], Mapping[str, DayCount]]


def count_table(counts: Mapping[tuple[str, str], Mapping[str, DayCount]]) -> CountTable:
    """The count table of every pair's day counts (the full evaluation's)."""
    return CountTable(
        totals={pair: sum(c.reports for c in days.values()) for pair, days in counts.items()},
        days=sorted({day for days in counts.values() for day in days}),
        firing={
            pair: days for pair, days in counts.items() if any(c.judged for c in days.values())
        },
    )


def day_counts(
    by_pair: Mapping[tuple[str, str], Mapping[str, PairDay]], cfg: AnalyzeSettings
) -> dict[tuple[str, str], dict[str, DayCount]]:
    """pair → day → its count and whether it may fire."""
    return {
        pair: {day: DayCount(p.count, bool(judged_events(p, cfg))) for day, p in days.items()}
        for pair, days in by_pair.items()
    }


def _only(point: PairDay, event_ids: Collection[str]) -> PairDay:
    """The day with only these events, their witnesses and their articles."""
    events = {cid: point.events[cid] for cid in event_ids}
    return PairDay(
        point.day,
        articles={a for e in events.values() for a in e["witness_articles"]},
        witnesses={w for e in events.values() for w in e["witnesses"]},
        events=events,
        scores={cid: point.scores[cid] for cid in event_ids},
    )


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
    table = count_table(day_counts(by_pair, cfg))
    return judged_alerts(table, articles, cfg, lambda _: by_pair)


def judged_alerts(
    table: CountTable,
    articles: Mapping[str, int],
    cfg: AnalyzeSettings,
    evidence: EvidenceReader,
) -> list[Alert]:
    """The alerts of `escalation_alerts` from the pair-days' counts (the prior and the
    news volume are the whole store's, so every pair that may fire is judged again:
    arithmetic over its counts), reading the evidence of only the days that fire."""
    prior = fit_prior(_pair_counts(table.totals), float(sum(articles.values())))
    test = SurpriseTest(
        prior=prior,
        articles=articles,
        exposure_before=discounted_exposure(articles, table.days, cfg.half_life_days),
        half_life_days=cfg.half_life_days,
        probability=cfg.alert_probability,
        min_history_articles=cfg.min_history_articles,
    )
    surprises = {
        pair: surprising_days(
            {day: c.reports for day, c in days.items()},
            test,
            {day for day, c in days.items() if c.judged},
        )
        for pair, days in sorted(table.firing.items())
    }
    points = evidence([(pair, s.day) for pair, found in surprises.items() for s in found])
    out = []
    for pair, found in surprises.items():
        firings = [
            Firing(
                _only(points[pair][s.day], judged_events(points[pair][s.day], cfg)),
                s.count,
                s.tail,
                s.expected,
            )
            for s in found
        ]
        for episode in _episodes(firings, cfg.episode_gap_days):
            out.append(_escalation_alert(pair, episode, prior, cfg))
    return out


def _pair_counts(totals: Mapping[tuple[str, str], int]) -> list[int]:
    """Reporting articles of every ordered pair of the countries the evidence names, zero
    for pairs never seen: the population the prior is fitted over. Leaving out the silent
    pairs would fit the prior to the busy ones and make every new pair look ordinary."""
    countries = sorted({c for pair in totals for c in pair})
    return [totals.get((s, t), 0) for s in countries for t in countries if s != t]


def _escalation_alert(
    pair: tuple[str, str], episode: Sequence[Firing], prior: GammaPrior, cfg: AnalyzeSettings
) -> Alert:
    source, target = pair
    peak = min(episode, key=lambda f: f.tail)
    events = [e for f in episode for e in f.day.events.values()]
    reports = sum(f.day.count for f in episode)
    witnesses = sorted({w for f in episode for w in f.day.witnesses})
    first, last = episode[0].day.day, episode[-1].day.day
    days = f"on {first}" if first == last else f"on {len(episode)} days from {first} to {last}"
    why = (
        f"{source}→{target}: {len(events)} hostile event(s) between explicit actors {days} "
        f"in {reports} article(s) from {len(witnesses)} independent source(s); on "
        f"{peak.day.day} {peak.count} reporting article(s) against {peak.expected:.2g} "
        f"expected from the pair's history (Gamma–Poisson, prior over {prior.pairs} pairs): "
        f"P(≥{peak.count}) = "
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
