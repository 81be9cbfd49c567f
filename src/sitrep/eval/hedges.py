"""Score the sentence-level hedge/weasel detector on CoNLL-2010 (Wikipedia) sentences.

Gold: CSV `text,label` (1 = uncertain or weasel). Text keeps PTB escapes (-LRB-), undone here
before parsing. Only the spaCy pipeline is loaded: the detector needs tags and dependencies,
not the rest of the extractors.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

from sitrep.eval.report import EvalReport, prf
from sitrep.extract.hedges import sentence_hedged
from sitrep.settings import Settings

FORMATS: tuple[str, ...] = ("conll2010",)

_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}


def _clean(text: str) -> str:
    for escape, char in _PTB.items():
        text = text.replace(escape, char)
    return " ".join(text.split())


def read_conll(gold: Path, limit: int | None) -> list[tuple[str, bool]]:
    path = gold / "conll2010_wikiweasel_sentlevel_test.csv" if gold.is_dir() else gold
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(_clean(r["text"]), r["label"].strip() == "1") for r in csv.DictReader(handle)]
    return rows[: limit or None]


def score(gold: Path, fmt: str, settings: Settings, limit: int | None) -> EvalReport:
    from sitrep.nlp.pipeline import load_pipeline, parse_texts

    started = time.perf_counter()
    rows = read_conll(gold, limit)
    nlp = load_pipeline(settings.nlp)
    docs = parse_texts(nlp, (text for text, _ in rows), settings.nlp)
    tp = fp = fn = tn = 0
    errors: list[str] = []
    for (text, label), doc in zip(rows, docs, strict=True):
        predicted = sentence_hedged(doc)
        tp += predicted and label
        fp += predicted and not label
        fn += label and not predicted
        tn += not label and not predicted
        if predicted != label and len(errors) < 60:
            errors.append(f"{'FP' if predicted else 'FN'}: {text[:120]}")
    p, r, f = prf(tp, fp, fn)
    total = tp + fp + fn + tn
    metrics = {
        "p": p,
        "r": r,
        "f1": f,
        "accuracy": (tp + tn) / total if total else 0.0,
        "sentences": float(total),
    }
    report = EvalReport("hedges", f"{fmt}:{gold.name}", metrics, {}, errors)
    report.seconds = time.perf_counter() - started
    return report
