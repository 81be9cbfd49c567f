"""Score time normalisation against TimeML gold (TimeBank / AQUAINT / TempEval-3 JSONL).

Gold records: `{doc_id, dct, text, timexes: [{start, end, text, type, value}]}` with offsets
into `text` and `dct` the document creation time (the article's publication date).

Two views, as in TempEval-3:
* gold spans: the normaliser alone, on each gold expression's text (`gold_value_acc`);
* end to end: sitrep's own `times` for the article (spaCy + rule scanner), matched to gold
  by overlap (relaxed span) or exact offsets (strict span). Value F1 counts a prediction as
  correct when its span overlaps a gold expression and the values are equal.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sitrep.eval.report import EvalReport, prf
from sitrep.extract.timex import normalise_timex
from sitrep.model import Article, Time
from sitrep.settings import Settings

FORMATS: tuple[str, ...] = ("tbaq",)

# Values that say nothing checkable about the calendar: kept in the counts, as TempEval does.
_MAX_ERRORS = 40


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class GoldDoc:
    doc_id: str
    dct: date | None
    text: str
    timexes: tuple[GoldTimex, ...]


# Gold spellings that TIMEX3 allows two ways, rewritten to the one sitrep writes: an
# unpadded ISO week ("2000-W8", AQUAINT) and a decade with a placeholder digit ("196X").
_UNPADDED_WEEK = re.compile(r"-W(\d)(?=$|-)")
_DECADE_X = re.compile(r"^(\d{3})X$")


def canonical_value(value: str) -> str:
    """One spelling for values TimeML writes two ways, so that only meaning is scored."""
    return _DECADE_X.sub(r"\1", _UNPADDED_WEEK.sub(r"-W0\1", value))


def read_gold(path: Path, limit: int | None = None) -> Iterator[GoldDoc]:
    """Gold documents from a TimeML-derived JSONL file, in file order."""
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if limit is not None and n >= limit:
                return
            if not line.strip():
                continue
            raw: dict[str, Any] = json.loads(line)
            dct = raw.get("dct")
            yield GoldDoc(
                doc_id=str(raw["doc_id"]),
                dct=date.fromisoformat(dct[:10]) if dct else None,
                text=raw["text"],
                timexes=tuple(
                    GoldTimex(
                        t["start"], t["end"], t["text"], t["type"], canonical_value(t["value"])
                    )
                    for t in raw["timexes"]
                ),
            )


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass(slots=True)
class _Counts:
    gold: int = 0
    pred: int = 0
    relaxed: int = 0  # gold expressions overlapped by a prediction
    relaxed_pred: int = 0  # predictions overlapping a gold expression
    strict: int = 0
    value_ok: int = 0
    type_ok: int = 0


def _match(
    doc: GoldDoc, times: list[Time], counts: _Counts, errors: list[str], kinds: Counter[str]
) -> None:
    preds = [t for t in times if t.span is not None]
    counts.gold += len(doc.timexes)
    counts.pred += len(preds)
    used: set[int] = set()
    for gold in doc.timexes:
        g = (gold.start, gold.end)
        best: int | None = None
        for i, p in enumerate(preds):
            assert p.span is not None
            if i not in used and _overlaps(g, (p.span.start, p.span.end)):
                # Prefer the prediction with the right value, then the exact span.
                rank = (p.value == gold.value, (p.span.start, p.span.end) == g)
                if best is None or rank > _rank(preds[best], gold):
                    best = i
        if best is None:
            kinds["missed"] += 1
            errors.append(f"{doc.doc_id}: missed {gold.text!r} = {gold.value}")
            continue
        used.add(best)
        pred = preds[best]
        assert pred.span is not None
        counts.relaxed += 1
        counts.strict += (pred.span.start, pred.span.end) == g
        counts.type_ok += pred.type == gold.type
        if pred.value == gold.value:
            counts.value_ok += 1
        else:
            kinds["wrong_value"] += 1
            errors.append(
                f"{doc.doc_id}: {pred.span.text!r} → {pred.value}, gold {gold.text!r} = "
                f"{gold.value} (dct {doc.dct})"
            )
    counts.relaxed_pred += len(used)
    for i, p in enumerate(preds):
        if (
            i not in used
            and p.span is not None
            and not any(
                _overlaps((p.span.start, p.span.end), (g.start, g.end)) for g in doc.timexes
            )
        ):
            kinds["spurious"] += 1
            errors.append(f"{doc.doc_id}: spurious {p.span.text!r} → {p.value}")


def _rank(pred: Time, gold: GoldTimex) -> tuple[bool, bool]:
    assert pred.span is not None
    return (pred.value == gold.value, (pred.span.start, pred.span.end) == (gold.start, gold.end))


def score_gold_spans(docs: list[GoldDoc]) -> tuple[float, int, list[str]]:
    """Value accuracy of the normaliser on gold expression texts."""
    ok = total = 0
    errors: list[str] = []
    for doc in docs:
        for gold in doc.timexes:
            total += 1
            found = normalise_timex(gold.text, doc.dct)
            if found is not None and found[1] == gold.value:
                ok += 1
            else:
                value = found[1] if found else None
                errors.append(f"{doc.doc_id}: {gold.text!r} → {value}, gold {gold.value}")
    return (ok / total if total else 0.0), total, errors


def predict(docs: list[GoldDoc], settings: Settings) -> list[list[Time]]:
    """sitrep's times for each gold document, the article dated by its DCT."""
    from sitrep.extract.service import Extractor

    articles = [
        Article(id=d.doc_id, text=d.text, published=d.dct.isoformat() if d.dct else None)
        for d in docs
    ]
    return [x.times for x in Extractor(settings).extract(articles)]


def score(gold: Path, fmt: str, settings: Settings, limit: int | None) -> EvalReport:
    started = time.perf_counter()
    docs = list(read_gold(gold, limit))
    gold_acc, gold_total, gold_errors = score_gold_spans(docs)
    counts = _Counts()
    errors: list[str] = []
    kinds: Counter[str] = Counter()
    for doc, times in zip(docs, predict(docs, settings), strict=True):
        _match(doc, times, counts, errors, kinds)
    span_p, span_r, span_f = prf(
        counts.relaxed_pred, counts.pred - counts.relaxed_pred, counts.gold - counts.relaxed
    )
    strict_p, strict_r, strict_f = prf(
        counts.strict, counts.pred - counts.strict, counts.gold - counts.strict
    )
    value_p, value_r, value_f = prf(
        counts.value_ok, counts.pred - counts.value_ok, counts.gold - counts.value_ok
    )
    metrics = {
        "gold_value_acc": round(gold_acc, 4),
        "span_p": round(span_p, 4),
        "span_r": round(span_r, 4),
        "span_f1": round(span_f, 4),
        "strict_span_f1": round(strict_f, 4),
        "value_p": round(value_p, 4),
        "value_r": round(value_r, 4),
        "value_f1": round(value_f, 4),
        "type_acc": round(counts.type_ok / counts.relaxed, 4) if counts.relaxed else 0.0,
        "gold": float(counts.gold),
        "predicted": float(counts.pred),
    }
    tables: dict[str, list[dict[str, Any]]] = {
        "errors_by_kind": [{"kind": k, "count": n} for k, n in kinds.most_common()],
        "gold_spans": [{"expressions": gold_total, "value_acc": round(gold_acc, 4)}],
    }
    return EvalReport(
        stage="times",
        dataset=gold.name,
        metrics=metrics,
        tables=tables,
        errors=(errors[: _MAX_ERRORS // 2] + gold_errors[: _MAX_ERRORS // 2]),
        seconds=time.perf_counter() - started,
    )
