"""What a scorer returns: headline metrics, per-class rows and examples of errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class EvalReport:
    stage: str
    dataset: str
    # Headline numbers the CI gates pin (names documented in docs/evaluation.md).
    metrics: dict[str, float]
    # Named tables, e.g. {"per_class": [{"class": "ASSAULT", "p": .., "r": .., "f1": ..}]}.
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # A few errors to look at, as short strings.
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "dataset": self.dataset,
            "metrics": self.metrics,
            "tables": self.tables,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
        }


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f
