"""Which developments a brief leads with: a significance score, the selection and the
grouping by story.

    significance = w_intensity · |intensity| / 10          (PLOVER scale, −10 … +10)
                 + w_outlets   · (1 − 1 / independent outlets)
                 + w_recency   · (day − first day) / (last day − first day)
                 + w_novelty   · [type and actor pair unseen in the previous period]
    score        = significance · confidence ^ confidence_power

Each part lies between 0 and 1; the weights are settings (`brief.weight_*`, defaults.toml).
The extraction's confidence scales the sum: a misread sentence ("the aid they provided was
corroborated by court documents" read as AID, +10) must not lead a brief on its intensity.
The previous period has the length of the briefed one and ends the day before it starts,
so a brief of 1–14 May asks whether 17–30 April saw the same kind of event between the
same actors: the fortieth report of shelling is less news than a first threat against a
new country, however violent the shelling.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sitrep.settings import BriefSettings

PairType = tuple[str, str, str]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Period:
    """The briefed days, both inclusive."""

    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The period of equal length that ends the day before this one starts."""
        end = self.first - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)


def period_start(text: str) -> dt.date:
    """The first day a YYYY[-MM[-DD]] bound covers."""
    parts = [int(p) for p in text[:10].split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def period_end(text: str) -> dt.date:
    """The last day a YYYY[-MM[-DD]] bound covers ("2024-05" runs to 31 May)."""
    parts = [int(p) for p in text[:10].split("-")]
    if len(parts) > 2:
        return dt.date(*parts[:3])
    month = parts[1] if len(parts) > 1 else 12
    return dt.date(parts[0], month, calendar.monthrange(parts[0], month)[1])


def pair_type(event: Mapping[str, Any]) -> PairType:
    """What novelty compares: (source, target, type), an actor being its country, else its
    name (lower case), else ''. Must match store.brief_queries.pair_type_keys."""
    source = event.get("source_country") or (event.get("source") or "").lower()
    target = event.get("pair_target") or (event.get("target") or "").lower()
    return (str(source), str(target), str(event.get("type") or ""))


def significance(
    event: Mapping[str, Any], period: Period, seen_before: set[PairType], w: BriefSettings
) -> float:
    """The documented score above, rounded for stable ties."""
    intensity = min(abs(float(event.get("intensity") or 0.0)), 10.0) / 10.0
    outlets = 1.0 - 1.0 / max(1, int(event.get("independent_sources") or 1))
    day = dt.date.fromisoformat(str(event["day"])[:10])
    span = max(1, period.days - 1)
    recency = min(max((day - period.first).days / span, 0.0), 1.0)
    novelty = 0.0 if pair_type(event) in seen_before else 1.0
    parts = (
        w.weight_intensity * intensity
        + w.weight_outlets * outlets
        + w.weight_recency * recency
        + w.weight_novelty * novelty
    )
    confidence = min(max(float(event.get("confidence") or 0.0), 0.0), 1.0)
    return round(parts * float(confidence**w.confidence_power), 6)


def top_per_article(
    ranked: Iterable[T], limit: int, per_article: int, article: Callable[[T], str]
) -> list[T]:
    """The first `limit` items of `ranked` (best first), at most `per_article` of one
    article (`article` names an item's article)."""
    used: Counter[str] = Counter()
    out: list[T] = []
    for row in ranked:
        key = article(row)
        if used[key] >= per_article:
            continue
        used[key] += 1
        out.append(row)
        if len(out) >= limit:
            break
    return out


@dataclass(frozen=True, slots=True)
class Scored:
    score: float
    event: Mapping[str, Any]


def rank(
    events: Iterable[Mapping[str, Any]],
    period: Period,
    seen_before: set[PairType],
    settings: BriefSettings,
) -> list[Scored]:
    """Events by significance, best first (ties: later day, then id)."""
    scored = [Scored(significance(e, period, seen_before, settings), e) for e in events]
    scored.sort(key=lambda s: (-s.score, _neg_day(s.event), str(s.event["id"])))
    return scored


def _neg_day(event: Mapping[str, Any]) -> int:
    return -dt.date.fromisoformat(str(event["day"])[:10]).toordinal()


def by_story(chosen: Iterable[Scored]) -> list[tuple[str | None, list[Scored]]]:
    """Lines grouped by story (None: an event outside any story is its own group), stories
    in the order of their best line, lines within a story best first."""
    groups: dict[str, list[Scored]] = {}
    for s in chosen:  # already best first, so each group and the group order are too
        story = s.event.get("story_id")
        key = str(story) if story else f"\x00{s.event['id']}"
        groups.setdefault(key, []).append(s)
    return [(None if k.startswith("\x00") else k, lines) for k, lines in groups.items()]
