"""Score PLOVER event extraction against gold sentences (`sitrep eval events`).

Formats (first is the default):
  plv             Zero-Shot-PLOVER PLV rows: {id, text, source_text, target_text, plover_root}.
  plover-gsr      PLOVER gold records from the CAMEO manual (0.5b1 names are mapped:
                  DEMAND→REQUEST, DISAPPROVE/INVESTIGATE→ACCUSE, FIGHT→ASSAULT).
  cameo-examples  CAMEO codebook example sentences {cameo_code, root, text}, mapped to
                  PLOVER with the CAMEO2PLOVER-2021 table (packaged as data/cameo_plover.tsv).
  sitrep-modality sitrep's own modality gold (data/eval/modality_gold.jsonl): type and
                  factuality per sentence.

Scoring rules (the same for every format):
* One article per gold sentence. The sentence label is the type of the most confident event
  (ties: the earlier trigger); a sentence with no event is labelled NONE. NONE is never a
  class of its own in macro-F1: a gold sentence labelled NONE is a false negative for its
  gold class and a false positive for nothing.
* CONCEDE and RETREAT are merged as YIELD everywhere (PLV merges them; the two are hard to
  tell apart and the issue asks for YIELD vs the rest).
* macro_f1 averages per-class F1 over the classes present in the gold file.
* CAMEO roots 01 (statements) and 02 (appeals) have no PLOVER type in CAMEO2PLOVER-2021.
  Root 01 sentences are left out of accuracy and macro-F1; `none_rate_01` reports how often
  sitrep (rightly) codes no event for them. Root 02 appeals are what PLOVER calls REQUEST
  ("requests, demands, orders"); they are left out of the headline accuracy (which follows
  the table) and scored as REQUEST in `accuracy_with_02`.
* Span F1 (PLV, PLOVER gold): token-overlap F1 (SQuAD style) of the chosen event's source
  and target span text against the gold actor text, averaged over sentences with a gold
  span; a missing event or role scores 0. For several gold actors the best match counts.
* sitrep-modality: the event judged is the one whose trigger text equals the gold `trigger`
  (of the gold type first; else one of the gold type, else the most confident);
  factuality accuracy and per-value F1 are over all sentences (a missed event counts as a
  wrong factuality).
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sitrep.eval.report import EvalReport, prf
from sitrep.model import FACTUALITIES, Article, Event
from sitrep.settings import Settings

FORMATS: tuple[str, ...] = ("plv", "plover-gsr", "cameo-examples", "sitrep-modality")

NONE = "NONE"
_OLD_NAMES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
    "CONCEDE": "YIELD",
    "RETREAT": "YIELD",
}
_FORCE = ("THREATEN", "MOBILIZE", "ASSAULT")
_FACTUALITY = FACTUALITIES  # the contract's order
_BATCH = 64


@dataclass(slots=True)
class GoldItem:
    id: str
    text: str
    label: str | None  # None: scored for nothing but NONE-rate (CAMEO root 01)
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    factuality: str | None = None
    trigger: str | None = None
    group: str = ""  # CAMEO root, for the 01/02 rules


def plover_label(name: str) -> str:
    """A PLOVER type (any version) as the scorer's class: old names and YIELD merged."""
    upper = name.strip().upper()
    return _OLD_NAMES.get(upper, upper)


def cameo_to_plover() -> dict[str, str]:
    """CAMEO code → PLOVER type, from the packaged CAMEO2PLOVER-2021 table."""
    text = resources.files("sitrep").joinpath("data", "cameo_plover.tsv").read_text("utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            code, plover = line.split("\t")[:2]
            table[code] = plover
    return table


def plover_for_cameo(code: str, table: dict[str, str]) -> str | None:
    """The most specific mapping: the 4-digit code, else its 3-digit parent, else the root."""
    for key in (code, code[:3], code[:2]):
        if key in table:
            return table[key]
    return None


def load_gold(path: Path, fmt: str, limit: int | None) -> list[GoldItem]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    items: list[GoldItem] = []
    table = cameo_to_plover() if fmt == "cameo-examples" else {}
    for n, row in enumerate(rows):
        if fmt == "plv":
            items.append(
                GoldItem(
                    str(row.get("id", n)),
                    row["text"],
                    plover_label(row["plover_root"]),
                    [row["source_text"]] if row.get("source_text") else [],
                    [row["target_text"]] if row.get("target_text") else [],
                )
            )
        elif fmt == "plover-gsr":
            if not row.get("event") or not row.get("text"):
                continue  # the DOCUMENT header record
            items.append(
                GoldItem(
                    row["id"],
                    row["text"],
                    plover_label(row["event"]),
                    _actor_texts(row.get("source")),
                    _actor_texts(row.get("target")),
                )
            )
        elif fmt == "cameo-examples":
            if not row.get("text"):
                continue
            code = str(row["cameo_code"])
            root = str(row.get("root") or code[:2])
            mapped = plover_for_cameo(code, table)
            label = plover_label(mapped) if mapped else None
            items.append(GoldItem(code, row["text"], label, group=root))
        else:
            items.append(
                GoldItem(
                    str(row["id"]),
                    row["text"],
                    plover_label(row["type"]) if row.get("type") else None,
                    factuality=row["factuality"],
                    trigger=row.get("trigger"),
                )
            )
    return items[:limit] if limit is not None else items


def _actor_texts(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(a["actorText"]) for a in value if isinstance(a, dict) and a.get("actorText")]


def chosen_event(events: list[Event]) -> Event | None:
    """The sentence's event: the most confident, the earlier trigger on ties."""
    best: Event | None = None
    for event in events:
        if best is None or event.confidence > best.confidence:
            best = event
    return best


def token_f1(predicted: str, gold: str) -> float:
    p = _tokens(predicted)
    g = _tokens(gold)
    common = sum((Counter(p) & Counter(g)).values())
    if not common:
        return 0.0
    precision = common / len(p)
    recall = common / len(g)
    return 2 * precision * recall / (precision + recall)


def _tokens(text: str) -> list[str]:
    words = re.findall(r"\w+", text.lower())
    return [w for w in words if w not in {"the", "a", "an", "'s", "s"}]


def predict(items: list[GoldItem], settings: Settings) -> list[list[Event]]:
    """Events for each gold sentence, from the full pipeline (loaded once)."""
    from sitrep.extract.service import Extractor

    extractor = Extractor(settings)
    out: list[list[Event]] = []
    for start in range(0, len(items), _BATCH):
        batch = items[start : start + _BATCH]
        articles = [Article(id=f"gold-{i.id}", text=i.text) for i in batch]
        out.extend(x.events for x in extractor.extract(articles))
    return out


def benchmark_settings(settings: Settings) -> Settings:
    """The operating point of event benchmarks, where every sentence (PLV, PLOVER, CAMEO
    examples) or every annotated mention (ECB+) is an event: CAMEO-coded implied speech acts
    count, and no everyday-word type needs a named party (the article-level precision rule
    of `extract.named_party_types`), a participle that describes a thing
    ("wounded demonstrators") is a mention of its event, and an event whose type the
    classifier doubts is kept (`extract.cut_after_typing`: the sentence holds an event, and
    its type is what is scored), and each of two coordinated verbs is a mention
    (`extract.one_event_per_coordination`: "shot and killed" holds two ECB+ mentions)."""
    overrides = {
        "implied_events": True,
        "named_party_types": [],
        "descriptive_participles": True,
        "cut_after_typing": False,
        "one_event_per_coordination": False,
    }
    return settings.with_overrides({"extract": overrides})


def score(gold: Path, fmt: str, settings: Settings, limit: int | None) -> EvalReport:
    started = time.perf_counter()
    settings = benchmark_settings(settings)
    items = load_gold(gold, fmt, limit)
    predictions = predict(items, settings)
    if fmt == "sitrep-modality":
        report = _modality_report(gold, items, predictions)
    else:
        report = _type_report(gold, fmt, items, predictions)
    report.seconds = time.perf_counter() - started
    return report


def _type_report(
    gold: Path, fmt: str, items: list[GoldItem], predictions: list[list[Event]]
) -> EvalReport:
    pairs: list[tuple[str, str]] = []
    errors: list[str] = []
    src_f1: list[float] = []
    tgt_f1: list[float] = []
    none_01 = [0, 0]
    appeals: list[bool] = []
    for item, events in zip(items, predictions, strict=True):
        event = chosen_event(events)
        predicted = plover_label(event.type) if event else NONE
        if item.group == "02":
            appeals.append(predicted == "REQUEST")
        if item.label is None:
            none_01[0] += predicted == NONE
            none_01[1] += 1
            continue
        pairs.append((item.label, predicted))
        if predicted != item.label and len(errors) < 40:
            trig = f" [{event.trigger.text}]" if event else ""
            errors.append(f"{item.id}: gold {item.label} got {predicted}{trig}: {item.text[:90]}")
        if item.sources:
            name = event.source.span.text if event and event.source and event.source.span else ""
            src_f1.append(max(token_f1(name, s) for s in item.sources))
        if item.targets:
            name = event.target.span.text if event and event.target and event.target.span else ""
            tgt_f1.append(max(token_f1(name, t) for t in item.targets))
    metrics, per_class = class_metrics(pairs)
    if src_f1:
        metrics["source_f1"] = sum(src_f1) / len(src_f1)
    if tgt_f1:
        metrics["target_f1"] = sum(tgt_f1) / len(tgt_f1)
    if none_01[1]:
        metrics["none_rate_01"] = none_01[0] / none_01[1]
    if appeals:
        right = sum(g == p for g, p in pairs) + sum(appeals)
        metrics["accuracy_with_02"] = right / (len(pairs) + len(appeals))
    tables = {
        "per_class": per_class,
        "confusion_force": confusion(pairs, _FORCE),
        "confusion_yield": confusion(pairs, ("YIELD",)),
    }
    return EvalReport("events", f"{gold.name} ({fmt})", metrics, tables, errors)


def class_metrics(pairs: list[tuple[str, str]]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Accuracy, macro-F1 over the gold classes, and a per-class table."""
    classes = sorted({g for g, _ in pairs})
    rows: list[dict[str, Any]] = []
    for cls in classes:
        tp = sum(g == cls and p == cls for g, p in pairs)
        fp = sum(g != cls and p == cls for g, p in pairs)
        fn = sum(g == cls and p != cls for g, p in pairs)
        p, r, f = prf(tp, fp, fn)
        rows.append({"class": cls, "n": tp + fn, "p": p, "r": r, "f1": f})
    n = len(pairs)
    metrics = {
        "accuracy": sum(g == p for g, p in pairs) / n if n else 0.0,
        "macro_f1": sum(r["f1"] for r in rows) / len(rows) if rows else 0.0,
        "coverage": sum(p != NONE for _, p in pairs) / n if n else 0.0,
        "sentences": float(n),
    }
    return metrics, rows


def confusion(pairs: list[tuple[str, str]], focus: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows: gold class in `focus` (or OTHER); columns: predicted class in focus, OTHER, NONE."""

    def bucket(label: str) -> str:
        return label if label in focus or label == NONE else "OTHER"

    cols = [*focus, "OTHER", NONE]
    rows: list[dict[str, Any]] = []
    for gold_cls in [*focus, "OTHER"]:
        row: dict[str, Any] = {"gold": gold_cls}
        for col in cols:
            row[col] = sum(bucket(g) == gold_cls and bucket(p) == col for g, p in pairs)
        rows.append(row)
    return rows


def _modality_event(item: GoldItem, events: list[Event]) -> Event | None:
    if item.trigger:
        want = item.trigger.lower()
        hit = [e for e in events if e.trigger.text.lower() == want]
        # An implied intent shares its trigger with the event it implies: the gold type
        # says which of the two is judged.
        typed_hit = [e for e in hit if item.label and plover_label(e.type) == item.label]
        if typed_hit or hit:
            return chosen_event(typed_hit or hit)
    typed = [e for e in events if item.label and plover_label(e.type) == item.label]
    return chosen_event(typed) or chosen_event(events)


def _modality_report(
    gold: Path, items: list[GoldItem], predictions: list[list[Event]]
) -> EvalReport:
    fact_pairs: list[tuple[str, str]] = []
    type_pairs: list[tuple[str, str]] = []
    errors: list[str] = []
    for item, events in zip(items, predictions, strict=True):
        event = _modality_event(item, events)
        fact = event.factuality if event else NONE
        fact_pairs.append((item.factuality or NONE, fact))
        if item.label:
            type_pairs.append((item.label, plover_label(event.type) if event else NONE))
        if fact != item.factuality and len(errors) < 40:
            errors.append(f"{item.id}: gold {item.factuality} got {fact}: {item.text[:90]}")
    fact_metrics, fact_rows = class_metrics(fact_pairs)
    type_metrics, type_rows = class_metrics(type_pairs)
    metrics = {
        "factuality_accuracy": fact_metrics["accuracy"],
        "factuality_macro_f1": fact_metrics["macro_f1"],
        "type_accuracy": type_metrics["accuracy"],
        "type_macro_f1": type_metrics["macro_f1"],
        "coverage": fact_metrics["coverage"],
        "sentences": float(len(items)),
    }
    for row in fact_rows:
        if row["class"] in _FACTUALITY:
            metrics[f"f1_{row['class']}"] = row["f1"]
    tables = {"per_factuality": fact_rows, "per_type": type_rows}
    return EvalReport("events", f"{gold.name} (sitrep-modality)", metrics, tables, errors)
