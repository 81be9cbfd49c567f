"""Score quotes against PolNeAR (brat standoff) or the two-level chain examples.

PolNeAR annotates one attribution per cue: Source, Cue and (possibly discontinuous) Content.
sitrep emits one Quote per content stretch, and continuation stretches repeat their cue, so
predicted quotes sharing a cue span are merged into one attribution before matching.
Matching is one-to-one: a gold attribution matches the unused prediction covering the largest
share of it, and only when that share is at least half of the gold content.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.eval.report import EvalReport, prf
from sitrep.model import Article, Quote
from sitrep.settings import Settings

FORMATS: tuple[str, ...] = ("polnear", "chains")

_EDGE = " \t\n.,;:"  # what "exact" ignores at a span's edges (PolNeAR drops final periods)


@dataclass(slots=True)
class Attr:
    """One attribution, gold or predicted, as sets of character offsets."""

    content: frozenset[int]
    cue: frozenset[int]
    source: frozenset[int]
    text: str = ""


def score(gold: Path, fmt: str, settings: Settings, limit: int | None) -> EvalReport:
    started = time.perf_counter()
    # PolNeAR counts every attribution, also infinitive and noun-phrase complements.
    settings = settings.with_overrides({"extract": {"attributions": "all"}})
    if fmt == "chains":
        report = _score_chains(gold, settings, limit)
    else:
        report = _score_polnear(gold, settings, limit)
    report.seconds = time.perf_counter() - started
    return report


# --- PolNeAR -------------------------------------------------------------------------------


def _polnear_files(gold: Path) -> list[tuple[Path, Path]]:
    """(text, first annotator's .ann) pairs; `gold` is a split dir or its parent."""
    split = gold if (gold / "text").is_dir() else gold / "dev"
    pairs = []
    for text in sorted((split / "text").glob("*.txt")):
        anns = sorted((split / "attributions").glob(f"{text.stem}_*.ann"))
        if anns:
            pairs.append((text, anns[0]))
    return pairs


def _offsets(field: str) -> frozenset[int]:
    chars: set[int] = set()
    for piece in field.split(";"):
        start, end = piece.split()[-2:]
        chars.update(range(int(start), int(end)))
    return frozenset(chars)


def parse_brat(ann: str, text: str) -> list[Attr]:
    """Gold attributions of one .ann file, whitespace removed from the offset sets."""
    spans: dict[str, tuple[str, frozenset[int]]] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, where = parts[1].partition(" ")
            spans[parts[0]] = (label, _visible(_offsets(where), text))
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg)
            events.append(roles)
    attrs = []
    for roles in events:

        def role(name: str, roles: dict[str, str] = roles) -> frozenset[int]:
            ref = roles.get(name)
            return spans[ref][1] if ref in spans else frozenset()

        content = role("Content")
        if content:
            attrs.append(Attr(content, role("Cue"), role("Source"), _text(content, text)))
    return attrs


def _visible(chars: frozenset[int], text: str) -> frozenset[int]:
    return frozenset(i for i in chars if i < len(text) and not text[i].isspace())


def _text(chars: frozenset[int], text: str, width: int = 90) -> str:
    if not chars:
        return ""
    snippet = " ".join(text[min(chars) : max(chars) + 1].split())
    return snippet if len(snippet) <= width else snippet[: width - 1] + "…"


def predicted_attrs(quotes: list[Quote], text: str) -> list[Attr]:
    """Quotes grouped by cue (continuations share their cue) into attributions."""
    groups: dict[object, list[Quote]] = {}
    for quote in quotes:
        key: object = (quote.cue.start, quote.cue.end) if quote.cue is not None else quote.id
        groups.setdefault(key, []).append(quote)
    attrs = []
    for group in groups.values():
        content: set[int] = set()
        for quote in group:
            content.update(range(quote.content.start, quote.content.end))
        first = group[0]
        cue = range(first.cue.start, first.cue.end) if first.cue else range(0)
        source: frozenset[int] = frozenset()
        if first.speaker is not None and first.speaker.span is not None:
            source = frozenset(range(first.speaker.span.start, first.speaker.span.end))
        vis = _visible(frozenset(content), text)
        attrs.append(Attr(vis, _visible(frozenset(cue), text), _visible(source, text)))
        attrs[-1].text = _text(vis, text)
    return attrs


def match(gold: list[Attr], pred: list[Attr]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index), best overlap first, overlap >= 50 % of gold."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            share = len(g.content & p.content) / len(g.content)
            if share >= 0.5:
                # Ties go to the prediction with less spill-over outside the gold content.
                spill = len(p.content - g.content) / max(1, len(p.content))
                candidates.append((share - spill * 0.01, gi, pi))
    pairs, used_g, used_p = [], set(), set()
    for _, gi, pi in sorted(candidates, reverse=True):
        if gi not in used_g and pi not in used_p:
            pairs.append((gi, pi))
            used_g.add(gi)
            used_p.add(pi)
    return pairs


def _exact(g: Attr, p: Attr, text: str) -> bool:
    def core(chars: frozenset[int]) -> frozenset[int]:
        return frozenset(i for i in chars if text[i] not in _EDGE + "\"“”'‘’")

    return core(g.content) == core(p.content)


def source_right(g: Attr, p: Attr, text: str) -> bool:
    """Predicted speaker mention overlaps the gold source (both empty also counts)."""
    if not g.source:
        return not p.source
    if g.source & p.source:
        return True
    # A speaker resolved from an earlier mention: same surname as the gold source's last word.
    gold_words = _text(g.source, text).lower().replace("’s", "").split()
    pred_words = _text(p.source, text).lower().split()
    return bool(gold_words and pred_words) and gold_words[-1] == pred_words[-1]


def _cue_pairs(gold: list[Attr], pred: list[Attr]) -> int:
    used: set[int] = set()
    hits = 0
    for g in gold:
        if not g.cue:
            continue
        for pi, p in enumerate(pred):
            if pi not in used and g.cue & p.cue:
                used.add(pi)
                hits += 1
                break
    return hits


def _score_polnear(gold: Path, settings: Settings, limit: int | None) -> EvalReport:
    from sitrep.extract.service import Extractor

    pairs = _polnear_files(gold)[: limit or None]
    articles = [Article(id=t.stem, text=t.read_text("utf-8")) for t, _ in pairs]
    extractions = Extractor(settings).extract(articles)
    n_gold = n_pred = n_match = n_exact = src_ok = src_n = cue_hit = cue_gold = cue_pred = 0
    errors: list[str] = []
    by_kind: dict[str, list[int]] = {}
    for (_, ann), article, extraction in zip(pairs, articles, extractions, strict=True):
        text = article.text
        gold_attrs = parse_brat(ann.read_text("utf-8"), text)
        pred_attrs = predicted_attrs(extraction.quotes, text)
        pairs_ = match(gold_attrs, pred_attrs)
        n_gold += len(gold_attrs)
        n_pred += len(pred_attrs)
        n_match += len(pairs_)
        matched_g = {gi for gi, _ in pairs_}
        matched_p = {pi for _, pi in pairs_}
        for gi, pi in pairs_:
            g, p = gold_attrs[gi], pred_attrs[pi]
            n_exact += _exact(g, p, text)
            src_n += 1
            if source_right(g, p, text):
                src_ok += 1
            elif len(errors) < 40:
                errors.append(
                    f"source {_text(p.source, text)!r} != {_text(g.source, text)!r}: {g.text}"
                )
        for gi, g in enumerate(gold_attrs):
            kind = "quoted" if any(text[i] in '"“”' for i in g.content) else "unquoted"
            row = by_kind.setdefault(kind, [0, 0])
            row[0] += 1
            row[1] += gi in matched_g
            if gi not in matched_g and len(errors) < 80:
                errors.append(f"missed [{_text(g.cue, text)}] {g.text}")
        for pi, p in enumerate(pred_attrs):
            if pi not in matched_p and len(errors) < 120:
                errors.append(f"spurious [{_text(p.cue, text)}] {p.text}")
        cue_gold += sum(1 for g in gold_attrs if g.cue)
        cue_pred += sum(1 for p in pred_attrs if p.cue)
        cue_hit += _cue_pairs(gold_attrs, pred_attrs)
    cp_, cr_, cf_ = prf(n_match, n_pred - n_match, n_gold - n_match)
    ep, er, ef = prf(n_exact, n_pred - n_exact, n_gold - n_exact)
    cp, cr, cf = prf(cue_hit, cue_pred - cue_hit, cue_gold - cue_hit)
    metrics = {
        "content_p": cp_,
        "content_r": cr_,
        "content_f1": cf_,
        "exact_p": ep,
        "exact_r": er,
        "exact_f1": ef,
        "source_acc": src_ok / src_n if src_n else 0.0,
        "cue_p": cp,
        "cue_r": cr,
        "cue_f1": cf,
        "articles": float(len(articles)),
        "gold": float(n_gold),
        "predicted": float(n_pred),
    }
    recall_rows = [
        {"kind": k, "gold": v[0], "recall": round(v[1] / v[0], 4) if v[0] else 0.0}
        for k, v in sorted(by_kind.items())
    ]
    return EvalReport("quotes", f"polnear:{gold.name}", metrics, {"recall": recall_rows}, errors)


# --- chain examples ------------------------------------------------------------------------


def _score_chains(gold: Path, settings: Settings, limit: int | None) -> EvalReport:
    from sitrep.extract.service import Extractor

    rows = [json.loads(line) for line in gold.read_text("utf-8").splitlines() if line.strip()]
    rows = rows[: limit or None]
    articles = [Article(id=str(r["id"]), text=str(r["text"]), outlet=r.get("outlet")) for r in rows]
    extractions = Extractor(settings).extract(articles)
    right = 0
    table: list[dict[str, Any]] = []
    errors: list[str] = []
    for row, extraction in zip(rows, extractions, strict=True):
        problems = chain_problems(row, extraction.quotes)
        right += not problems
        table.append({"id": row["id"], "right": not problems, "problems": "; ".join(problems)})
        errors.extend(f"{row['id']}: {p}" for p in problems)
    metrics: dict[str, float] = {
        "right": float(right),
        "total": float(len(rows)),
        "accuracy": right / len(rows) if rows else 0.0,
    }
    return EvalReport("quotes", f"chains:{gold.name}", metrics, {"examples": table}, errors)


def _overlaps(span: dict[str, Any] | None, start: int, end: int) -> bool:
    return span is not None and span["start"] < end and start < span["end"]


def chain_problems(row: dict[str, Any], quotes: list[Quote]) -> list[str]:
    """What is wrong with the predicted quotes of one chain example (empty when all right)."""
    problems: list[str] = []
    text: str = row["text"]
    expected = row.get("quotes", [])
    scare = row.get("scare_quotes", [])
    for span in scare:
        if any(q.content.start < span["end"] and span["start"] < q.content.end for q in quotes):
            problems.append(f"scare quote {span['text']!r} taken as speech")
    if not expected and quotes and not scare:
        problems.append(f"{len(quotes)} quote(s) where none is expected")
    for gold in expected:
        chars = frozenset(i for c in gold["contents"] for i in range(c["start"], c["end"]))
        chars = frozenset(i for i in chars if not text[i].isspace())
        hits = [
            q
            for q in quotes
            if len(chars & set(range(q.content.start, q.content.end))) * 2 >= len(chars)
        ]
        if not hits:
            problems.append(f"no quote covers {gold['contents'][0]['text']!r}")
            continue
        q = hits[0]
        problems.extend(_quote_problems(gold, q))
    return problems


def _quote_problems(gold: dict[str, Any], q: Quote) -> list[str]:
    out: list[str] = []
    cue = gold.get("cue")
    if cue and (q.cue is None or not _overlaps(cue, q.cue.start, q.cue.end)):
        out.append(f"cue {q.cue.text if q.cue else None!r} != {cue['text']!r}")
    sources = gold.get("sources", [])
    span = q.speaker.span if q.speaker is not None else None
    if sources and (span is None or not any(_overlaps(s, span.start, span.end) for s in sources)):
        out.append(f"speaker {span.text if span else None!r} != {sources[0]['text']!r}")
    addressee = gold.get("addressee")
    got = q.addressee.span if q.addressee is not None else None
    if addressee and (got is None or not _overlaps(addressee, got.start, got.end)):
        out.append(f"addressee {got.text if got else None!r} != {addressee['text']!r}")
    if not addressee and got is not None:
        out.append(f"unexpected addressee {got.text!r}")
    want = gold.get("via", [])
    if len(want) != len(q.via):
        out.append(f"via has {len(q.via)} link(s), expected {len(want)}")
    for link, have in zip(want, q.via, strict=False):
        src = have.source.span
        if src is None or not _overlaps(link["source"], src.start, src.end):
            out.append(f"via source {have.source.name!r} != {link['source']['text']!r}")
        if link.get("source_type") and have.source_type != link["source_type"]:
            out.append(f"via source_type {have.source_type!r} != {link['source_type']!r}")
    return out
