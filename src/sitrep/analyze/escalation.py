"""Escalation index: per actor pair and day, factuality-weighted conflict, against a rolling
baseline of the days before it (mean, standard deviation, z-score).

Input rows come from `store.api_queries.scored_events`; nothing here touches the store.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sitrep.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Weights:
    factuality: Mapping[str, float]
    default: float

    def of(self, factuality: str | None) -> float:
        if factuality is None:
            return self.default
        return self.factuality.get(factuality, self.default)


@dataclass(frozen=True, slots=True)
class DayScore:
    """One day of one pair: the score, the baseline before it and how far above it is."""

    day: str
    score: float
    events: int
    baseline: float
    spread: float
    z: float
    event_ids: tuple[str, ...]


def load_weights(path: str = "") -> Weights:
    """The packaged weights (data/escalation.yaml) or a user file of the same shape."""
    if path:
        try:
            text = Path(path).expanduser().read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read escalation weights {path}: {exc.strerror}") from exc
    else:
        text = resources.files("sitrep.analyze").joinpath("data", "escalation.yaml").read_text()
    try:
        raw = yaml.safe_load(text)
        table = {str(k): float(v) for k, v in raw["factuality"].items()}
        default = float(raw.get("default", 0.5))
    except (yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"escalation weights {path or 'escalation.yaml'}: {exc}") from exc
    return Weights(table, default)


def event_score(row: Mapping[str, Any], weights: Weights) -> float:
    """Positive for hostile acts, negative for cooperation; 0 for negated reports."""
    intensity = row.get("intensity")
    if intensity is None:
        return 0.0
    return -float(intensity) * weights.of(row.get("factuality"))


def pair_of(row: Mapping[str, Any]) -> tuple[str, str] | None:
    source, target = row.get("source_country"), row.get("pair_target")
    if not source or not target:
        return None
    return str(source), str(target)


def daily(
    rows: Iterable[Mapping[str, Any]], weights: Weights
) -> dict[tuple[str, str], dict[str, tuple[float, list[str]]]]:
    """pair → day → (score, canonical event ids)."""
    out: dict[tuple[str, str], dict[str, tuple[float, list[str]]]] = defaultdict(dict)
    for row in rows:
        pair, day = pair_of(row), row.get("day")
        if pair is None or not day:
            continue
        score, ids = out[pair].get(day, (0.0, []))
        ids.append(str(row["id"]))  # in place: copying made busy days quadratic
        out[pair][day] = (score + event_score(row, weights), ids)
    return out


def _date(day: str) -> dt.date:
    return dt.date.fromisoformat(day[:10])


def series(
    days: Mapping[str, tuple[float, list[str]]],
    baseline_days: int,
    min_spread: float,
    *,
    dense: bool = False,
) -> list[DayScore]:
    """Scores with their baseline: the mean and standard deviation of the `baseline_days`
    days before (days without events count as 0). `min_spread` floors the deviation so one
    event after a quiet fortnight gives a large but finite z. `dense` adds the quiet days."""
    if not days:
        return []
    by_date = {_date(d): v for d, v in days.items()}
    first, last = min(by_date), max(by_date)
    # Scores by day offset from the first day (quiet days 0.0): the baseline window reads a
    # list by index instead of building a date per day and looking it up; the same floats,
    # added in the same order, as reading `by_date`.
    span = (last - first).days + 1
    scores = [0.0] * span
    for when, (score, _) in by_date.items():
        scores[(when - first).days] = score
    wanted = range(span) if dense else sorted((when - first).days for when in by_date)
    out = []
    for i in wanted:
        when = first + dt.timedelta(i)
        score, ids = by_date.get(when, (0.0, []))
        window = [scores[i - n] if i >= n else 0.0 for n in range(1, baseline_days + 1)]
        mean = sum(window) / len(window) if window else 0.0
        spread = math.sqrt(sum((x - mean) ** 2 for x in window) / len(window)) if window else 0.0
        z = (score - mean) / max(spread, min_spread, 1e-9)
        out.append(
            DayScore(
                when.isoformat(),
                round(score, 3),
                len(ids),
                round(mean, 3),
                round(spread, 3),
                round(z, 2),
                tuple(ids),
            )
        )
    return out


def pair_totals(
    scores: Mapping[tuple[str, str], Mapping[str, tuple[float, list[str]]]],
) -> list[dict[str, Any]]:
    """Pairs by total score, for pickers and the briefing's trend section."""
    rows = []
    for (source, target), days in scores.items():
        ordered = sorted(days)
        rows.append(
            {
                "source_country": source,
                "target_country": target,
                "score": round(sum(v[0] for v in days.values()), 3),
                "events": sum(len(v[1]) for v in days.values()),
                "days": len(days),
                "first_day": ordered[0],
                "last_day": ordered[-1],
            }
        )
    return sorted(rows, key=lambda r: (-r["score"], r["source_country"], r["target_country"]))


def trend(points: list[DayScore], recent_days: int = 7) -> dict[str, Any]:
    """The last `recent_days` against the same span before them (by the pair's last day)."""
    if not points:
        return {"recent": 0.0, "previous": 0.0, "direction": "flat", "last_day": None}
    last = _date(points[-1].day)
    recent = sum(p.score for p in points if (last - _date(p.day)).days < recent_days)
    previous = sum(
        p.score for p in points if recent_days <= (last - _date(p.day)).days < 2 * recent_days
    )
    direction = "up" if recent > previous else "down" if recent < previous else "flat"
    return {
        "recent": round(recent, 3),
        "previous": round(previous, 3),
        "direction": direction,
        "last_day": points[-1].day,
        "last_z": points[-1].z,
    }
