"""`sitrep train events`: fit the event-type classifier on labelled sentences (JSONL).

Each line is one sentence: {"text": "...", "label": "<PLOVER type>"} at minimum; optional
keys ("id", "mode", "factuality", "trigger") are kept for the user's own bookkeeping and
ignored by the fit. The rules find the event candidates of each sentence; every candidate
becomes one training row (its features, the sentence's gold type), so the model learns
which type a sentence supports given what the rules proposed. Sentences in which the
rules find no candidate teach nothing and are counted as `uncovered`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sitrep.errors import UsageError
from sitrep.extract.context import ArticleContext
from sitrep.extract.event_features import Features
from sitrep.extract.event_model import EventModel, fit
from sitrep.extract.events import event_candidates, features_of
from sitrep.extract.places import extract_places
from sitrep.extract.quotes import extract_quotes
from sitrep.extract.times import extract_times
from sitrep.model import PLOVER_TYPES, Article
from sitrep.nlp.pipeline import parse_texts
from sitrep.settings import Settings

NONE = "NONE"


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    label: str


@dataclass(slots=True)
class TrainResult:
    model: EventModel
    sentences: int
    rows: int
    uncovered: int
    per_class: list[dict[str, Any]] = field(default_factory=list)
    macro_f1: float = 0.0
    accuracy: float = 0.0


def read_labelled(path: Path) -> list[Labelled]:
    """The training file; a line without text or with an unknown type is an error."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read training data {path}: {exc}") from exc
    out: list[Labelled] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{n}: not JSON: {exc}") from exc
        text, label = row.get("text"), str(row.get("label", "")).upper()
        if not isinstance(text, str) or not text.strip():
            raise UsageError(f"{path}:{n}: needs a non-empty 'text'")
        if label not in PLOVER_TYPES:
            raise UsageError(f"{path}:{n}: 'label' must be a PLOVER type, got {label!r}")
        out.append(Labelled(text, label))
    if not out:
        raise UsageError(f"{path}: no training sentences")
    return out


def candidate_features(items: Sequence[Labelled], settings: Settings) -> list[list[Features]]:
    """The features of every rule candidate of every sentence (rules only, no model)."""
    from sitrep.extract.service import Extractor

    rules_only = replace(settings, extract=replace(settings.extract, event_model=""))
    extractor = Extractor(rules_only)
    docs = parse_texts(extractor.nlp, (i.text for i in items), rules_only.nlp)
    out: list[list[Features]] = []
    for n, doc in enumerate(docs):
        article = Article(id=f"train-{n}", text=items[n].text)
        ctx = ArticleContext(article, doc, None, extractor.knowledge, rules_only.extract)
        places = extract_places(ctx)
        times = extract_times(ctx)
        quotes = extract_quotes(ctx)
        found = event_candidates(ctx, quotes, times, places)
        out.append([features_of(ctx, c) for c in found])
    return out


def train_events(
    items: Sequence[Labelled], settings: Settings, *, folds: int = 5, c: float = 1.0
) -> TrainResult:
    """Cross-validated scores (by sentence) and the model fitted on everything."""
    feats = candidate_features(items, settings)
    labels = [i.label for i in items]
    rows = _rows(feats, labels, range(len(items)))
    meta = {"sentences": len(items), "rows": len(rows), "c": c, "trained_by": "sitrep train"}
    model = fit(rows, c, meta)
    pairs: list[tuple[str, str]] = []
    if folds >= 2 and len(items) >= folds:
        for k in range(folds):
            train_idx = [i for i in range(len(items)) if i % folds != k]
            train_rows = _rows(feats, labels, train_idx)
            if len({label for _, label in train_rows}) < 2:
                continue
            fold_model = fit(train_rows, c)
            for i in range(k, len(items), folds):
                pairs.append((labels[i], sentence_label(fold_model, feats[i])))
    result = TrainResult(model, len(items), len(rows), sum(not f for f in feats))
    if pairs:
        from sitrep.eval.events import class_metrics

        metrics, result.per_class = class_metrics(pairs)
        result.macro_f1 = metrics["macro_f1"]
        result.accuracy = metrics["accuracy"]
    return result


def sentence_label(model: EventModel, candidates: list[Features]) -> str:
    """The classifier's own sentence label: the type it believes most in any candidate."""
    best, best_p = NONE, -1.0
    for features in candidates:
        for cls, p in model.probabilities(features).items():
            if p > best_p:
                best, best_p = cls, p
    return best


def _rows(
    feats: list[list[Features]], labels: list[str], idx: Sequence[int] | range
) -> list[tuple[Features, str]]:
    return [(f, labels[i]) for i in idx for f in feats[i]]
