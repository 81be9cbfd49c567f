"""A small, transparent event-type classifier: multinomial logistic regression over the
readable features of event_features, stored as JSON (feature → class → weight).

The rules propose event candidates; the model scores each candidate's type from its
sentence, and that score is mixed into the candidate's confidence, which decides the
sentence's main event. Inference is plain Python (no scikit-learn import at run time);
scikit-learn only fits the weights (`fit`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sitrep.errors import KnowledgeBaseError
from sitrep.extract.event_features import Features

FORMAT = "sitrep-event-model/1"
PACKAGED = "packaged"
_PRUNE = 0.02  # weights smaller than this change no decision and only bloat the file


@dataclass(frozen=True, slots=True)
class EventModel:
    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: dict[str, dict[str, float]]  # feature → class → weight (zeros left out)
    meta: dict[str, Any] = field(default_factory=dict)

    def partial(self, features: Features) -> dict[str, float]:
        """Raw class scores of some features, to add to later (a sentence's shared part)."""
        scores = dict.fromkeys(self.classes, 0.0)
        for name, value in features.items():
            for cls, weight in self.weights.get(name, {}).items():
                scores[cls] += weight * value
        return scores

    def probabilities(
        self, features: Features, base: dict[str, float] | None = None
    ) -> dict[str, float]:
        """Softmax over the classes; `base` is a `partial` of features shared elsewhere."""
        scores = self.partial(features)
        for k, cls in enumerate(self.classes):
            scores[cls] += self.intercepts[k] + (base.get(cls, 0.0) if base else 0.0)
        top = max(scores.values())
        exp = {cls: math.exp(s - top) for cls, s in scores.items()}
        total = sum(exp.values())
        return {cls: e / total for cls, e in exp.items()}

    def explain(self, features: Features, cls: str, n: int = 5) -> list[tuple[str, float]]:
        """The features that pushed `cls` most, for a reader asking "why this type"."""
        pushes = [(f, self.weights.get(f, {}).get(cls, 0.0) * v) for f, v in features.items()]
        return sorted((p for p in pushes if p[1]), key=lambda p: -abs(p[1]))[:n]


def to_json(model: EventModel) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "meta": model.meta,
        "classes": list(model.classes),
        "intercepts": [round(b, 4) for b in model.intercepts],
        "weights": {f: model.weights[f] for f in sorted(model.weights)},
    }


def from_json(data: Any, where: str) -> EventModel:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KnowledgeBaseError(f"{where}: not a sitrep event model ({FORMAT})")
    classes = tuple(str(c) for c in data["classes"])
    intercepts = tuple(float(b) for b in data["intercepts"])
    if len(classes) != len(intercepts):
        raise KnowledgeBaseError(f"{where}: classes and intercepts differ in length")
    weights = {
        str(f): {str(c): float(w) for c, w in row.items() if c in classes}
        for f, row in data["weights"].items()
    }
    return EventModel(classes, intercepts, weights, dict(data.get("meta", {})))


def save_event_model(model: EventModel, path: Path) -> None:
    text = json.dumps(to_json(model), ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    path.write_text(text + "\n", "utf-8")


def load_event_model(spec: str) -> EventModel | None:
    """`packaged` (the shipped model), a file path, or "" (no model)."""
    if not spec:
        return None
    if spec == PACKAGED:
        where = "data/event_model.json"
        text = resources.files("sitrep").joinpath("data", "event_model.json").read_text("utf-8")
    else:
        where = spec
        try:
            text = Path(spec).expanduser().read_text("utf-8")
        except OSError as exc:
            raise KnowledgeBaseError(f"cannot read event model {spec}: {exc}") from exc
    try:
        return from_json(json.loads(text), where)
    except (ValueError, KeyError, TypeError) as exc:
        raise KnowledgeBaseError(f"{where}: malformed event model: {exc}") from exc


def fit(
    rows: Sequence[tuple[Features, str]], c: float = 1.0, meta: dict[str, Any] | None = None
) -> EventModel:
    """Fit the weights (L2 logistic regression) on (features, PLOVER type) rows."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    labels = [label for _, label in rows]
    if len(set(labels)) < 2:
        raise KnowledgeBaseError("training needs examples of at least two event types")
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([f for f, _ in rows])
    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit(x, labels)
    classes = tuple(str(c) for c in clf.classes_)
    coef = clf.coef_
    intercepts = [float(b) for b in clf.intercept_]
    if len(classes) == 2:  # binary: scikit-learn keeps one row; softmax needs both sides
        coef = [-coef[0] / 2, coef[0] / 2]
        intercepts = [-intercepts[0] / 2, intercepts[0] / 2]
    weights: dict[str, dict[str, float]] = {}
    for j, name in enumerate(vectorizer.get_feature_names_out()):
        row = {
            cls: round(float(coef[k][j]), 3)
            for k, cls in enumerate(classes)
            if abs(coef[k][j]) >= _PRUNE
        }
        if row:
            weights[str(name)] = row
    return EventModel(classes, tuple(intercepts), weights, dict(meta or {}))
