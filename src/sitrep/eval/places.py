"""Score place resolution against geoparsing gold (LGL, GeoWebNews, GeoVirus, TR-News JSONL).

Gold records: `{doc_id, text, pub_date_raw?, toponyms: [{start, end, text, lat, lon,
geonameid?}]}`. Only toponyms with coordinates are scored (GeoWebNews also marks
non-locational spans; those carry none).

Two views, as in Gritta et al. 2018 ("What's missing in geographical parsing?"):
* gold spans: the resolver alone, given every gold toponym's text (`gold_*`);
* end to end: sitrep's own `places` for the article, matched to gold by span overlap
  (`e2e_*`). `e2e_acc161` counts a gold toponym sitrep missed as wrong, so it is the product
  of recognition recall and resolution accuracy; `e2e_acc161_found` is over found ones;
  `e2e_strict_acc161` also wants the exact gold offsets ("California" inside a gold
  "University of California" counts as found, but not as strict). `e2e_span_p` is the share
  of sitrep's place spans that overlap a gold span, so recall is not bought with junk.

acc@161 km is the share of toponyms resolved within 161 km (100 miles) of the gold point;
AUC is the area under the curve of log(1 + error km), scaled to [0, 1] by the largest
possible error (half the Earth's circumference): lower is better.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.eval.report import EvalReport, prf
from sitrep.model import Article, Place
from sitrep.settings import Settings

FORMATS: tuple[str, ...] = ("jsonl",)

MAX_KM = 20039.0
ACC_KM = 161.0
_MAX_ERRORS = 40


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float
    lon: float
    geonameid: int | None


@dataclass(frozen=True, slots=True)
class GoldDoc:
    doc_id: str
    text: str
    published: str | None
    toponyms: tuple[GoldToponym, ...]  # with coordinates, in text order
    spans: tuple[tuple[int, int], ...]  # every annotated span, located or not


def read_gold(path: Path, limit: int | None = None) -> Iterator[GoldDoc]:
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if limit is not None and n >= limit:
                return
            if not line.strip():
                continue
            raw: dict[str, Any] = json.loads(line)
            tops = sorted(
                (_realign(raw["text"], t) for t in raw["toponyms"]), key=lambda t: t["start"]
            )
            published = raw.get("pub_date_raw") or raw.get("published")
            yield GoldDoc(
                doc_id=str(raw["doc_id"]),
                text=raw["text"],
                published=str(published)[:10] if published else None,
                toponyms=tuple(
                    GoldToponym(
                        t["start"],
                        t["end"],
                        raw["text"][t["start"] : t["end"]],
                        float(t["lat"]),
                        float(t["lon"]),
                        t.get("geonameid"),
                    )
                    for t in tops
                    if t.get("lat") is not None and t.get("lon") is not None
                ),
                spans=tuple((t["start"], t["end"]) for t in tops),
            )


def _realign(text: str, top: dict[str, Any]) -> dict[str, Any]:
    """Move a span whose offsets miss its phrase (GeoVirus is off by one) onto the nearest
    occurrence of the phrase."""
    phrase = top.get("text")
    start, end = top["start"], top["end"]
    if not phrase or text[start:end] == phrase:
        return top
    hits = [m for m in range(max(0, start - 50), start + 50) if text.startswith(phrase, m)]
    if not hits:
        return top
    best = min(hits, key=lambda m: abs(m - start))
    return {**top, "start": best, "end": best + len(phrase)}


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _error_km(gold: GoldToponym, lat: float | None, lon: float | None) -> float:
    if lat is None or lon is None:
        return MAX_KM
    return great_circle_km(gold.lat, gold.lon, lat, lon)


def auc(errors: list[float]) -> float:
    """Area under the sorted log-error curve, 0 (perfect) to 1 (every toponym antipodal)."""
    if len(errors) < 2:
        return 0.0 if not errors else math.log1p(errors[0]) / math.log1p(MAX_KM)
    logs = [math.log1p(e) for e in sorted(errors)]
    area = sum((a + b) / 2 for a, b in zip(logs, logs[1:], strict=False))
    return area / ((len(logs) - 1) * math.log1p(MAX_KM))


def _summary(prefix: str, errors: list[float]) -> dict[str, float]:
    if not errors:
        return {f"{prefix}_acc161": 0.0}
    return {
        f"{prefix}_acc161": round(sum(e <= ACC_KM for e in errors) / len(errors), 4),
        f"{prefix}_auc": round(auc(errors), 4),
        f"{prefix}_mean_km": round(statistics.fmean(errors), 1),
        f"{prefix}_median_km": round(statistics.median(errors), 1),
    }


def score_gold_spans(docs: list[GoldDoc], settings: Settings) -> tuple[dict[str, float], list[str]]:
    """The resolver alone, given each document's gold toponym texts."""
    from sitrep.extract.places import resolve_names
    from sitrep.kb.gazetteer import load_gazetteer

    gazetteer = load_gazetteer(settings.extract)
    errors: list[float] = []
    exact = with_id = 0
    notes: list[str] = []
    for doc in docs:
        resolved = resolve_names(gazetteer, [t.text for t in doc.toponyms], doc.text)
        for gold, entry in zip(doc.toponyms, resolved, strict=True):
            err = _error_km(gold, entry.lat if entry else None, entry.lon if entry else None)
            errors.append(err)
            if gold.geonameid is not None:
                with_id += 1
                exact += entry is not None and entry.geonameid == gold.geonameid
            if err > ACC_KM:
                where = f"{entry.name}, {entry.country} ({entry.feature})" if entry else "nothing"
                notes.append(f"{doc.doc_id}: {gold.text!r} → {where}: {err:.0f} km off")
    metrics = _summary("gold", errors)
    metrics["gold_exact_id"] = round(exact / with_id, 4) if with_id else 0.0
    metrics["gold_toponyms"] = float(len(errors))
    return metrics, notes


def _predict(docs: list[GoldDoc], settings: Settings) -> list[list[Place]]:
    from sitrep.extract.service import Extractor

    articles = [Article(id=d.doc_id, text=d.text, published=d.published) for d in docs]
    return [x.places for x in Extractor(settings).extract(articles)]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_end_to_end(docs: list[GoldDoc], settings: Settings) -> tuple[dict[str, float], list[str]]:
    all_errors: list[float] = []
    found_errors: list[float] = []
    notes: list[str] = []
    pred_total = pred_ok = 0
    strict_ok = 0  # same offsets as the gold span, and within 161 km
    for doc, places in zip(docs, _predict(docs, settings), strict=True):
        spans = [(p.span.start, p.span.end, p) for p in places if p.span is not None]
        pred_total += len(spans)
        pred_ok += sum(any(_overlap((s, e), g) for g in doc.spans) for s, e, _ in spans)
        for gold in doc.toponyms:
            hits = [p for s, e, p in spans if _overlap((s, e), (gold.start, gold.end))]
            if not hits:
                all_errors.append(MAX_KM)
                notes.append(f"{doc.doc_id}: missed {gold.text!r}")
                continue
            err = min(_error_km(gold, p.lat, p.lon) for p in hits)
            strict_ok += any(
                (s, e) == (gold.start, gold.end) and _error_km(gold, p.lat, p.lon) <= ACC_KM
                for s, e, p in spans
            )
            all_errors.append(err)
            found_errors.append(err)
            if err > ACC_KM:
                notes.append(f"{doc.doc_id}: {gold.text!r} → {hits[0].name}: {err:.0f} km off")
    metrics = _summary("e2e", all_errors)
    found = _summary("e2e_found", found_errors)
    metrics["e2e_acc161_found"] = found["e2e_found_acc161"]
    metrics["e2e_strict_acc161"] = round(strict_ok / len(all_errors), 4) if all_errors else 0.0
    gold_total = sum(len(d.spans) for d in docs)
    recalled = len(found_errors)
    located = len(all_errors)
    p, _, _ = prf(pred_ok, pred_total - pred_ok, 0)
    r = recalled / located if located else 0.0
    metrics["e2e_span_p"] = round(p, 4)
    metrics["e2e_span_r"] = round(r, 4)
    metrics["e2e_span_f1"] = round(2 * p * r / (p + r), 4) if p + r else 0.0
    metrics["gold_spans"] = float(gold_total)
    return metrics, notes


def score(gold: Path, fmt: str, settings: Settings, limit: int | None) -> EvalReport:
    started = time.perf_counter()
    docs = list(read_gold(gold, limit))
    gold_metrics, gold_notes = score_gold_spans(docs, settings)
    e2e_metrics, e2e_notes = score_end_to_end(docs, settings)
    return EvalReport(
        stage="places",
        dataset=gold.name,
        metrics={**gold_metrics, **e2e_metrics},
        errors=gold_notes[: _MAX_ERRORS // 2] + e2e_notes[: _MAX_ERRORS // 2],
        seconds=time.perf_counter() - started,
    )
