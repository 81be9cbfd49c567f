"""An alert as every view shows it, and what it shows of each event behind it."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

# What an alert shows of each event behind it.
EVIDENCE_FIELDS = (
    "id",
    "day",
    "type",
    "factuality",
    "source",
    "source_actor_id",
    "source_country",
    "target",
    "target_actor_id",
    "target_country",
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
    "witnesses",
    "witness_articles",
)
ESCALATION_RULE = "escalation-nb"


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
    # When a run stored it with its current events: its first fire or its episode's growth.
    updated: str | None = None
    # Independent witnesses behind the alert (outlet, else URL domain, else article).
    outlets: tuple[str, ...] = ()
    # Escalation: P(at least the peak day's count) under the pair's posterior predictive.
    probability: float | None = None

    @property
    def version(self) -> int:
        """The reports (articles) behind the alert: it grows when the episode gains a day,
        an event or a witness, so delivery sends each larger version once."""
        return len(self.article_ids)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["event_ids"], data["article_ids"] = list(self.event_ids), list(self.article_ids)
        data["outlets"] = list(self.outlets)
        data["evidence"] = [dict(e) for e in self.evidence]
        return data


def alert_id(*parts: str) -> str:
    return "al" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:14]


def evidence_of(rows: Sequence[Mapping[str, Any]]) -> tuple[dict[str, Any], ...]:
    return tuple({k: r.get(k) for k in EVIDENCE_FIELDS} for r in rows)


def day_of(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])
