"""Score story clustering with B-cubed precision, recall and F1.

Formats:
- `ecbplus`: a folder of ECB+ topic folders (`<topic>/<topic>_<n>ecb[plus].xml`); the gold
  story of a document is its subtopic (topic + ecb / ecb+). The documents carry no dates.
- `allsides`: AllSides headline roundups (JSONL, optionally gzipped); each roundup is a
  story of 2–3 articles (title + lead paragraphs). AllSides dates the roundup, not each
  article: the roundup date stands in as every member's publication date, which is how
  a live feed would see them (copies of one story appear within a day or two).
- `allsides-undated`: the same without any dates (text only).
"""

from __future__ import annotations

import gzip
import json
import re
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Hashable, Sequence
from pathlib import Path

from sitrep.errors import UsageError
from sitrep.eval.report import EvalReport
from sitrep.model import ArticleRef
from sitrep.resolve.stories import cluster_stories
from sitrep.settings import Settings

FORMATS = ("ecbplus", "allsides", "allsides-undated")
_ECB_FILE = re.compile(r"^(\d+)_(\d+)(ecbplus|ecb)\.xml$")


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold clusters."""
    by_pred: dict[Hashable, set[int]] = defaultdict(set)
    by_gold: dict[Hashable, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        by_pred[p].add(i)
        by_gold[g].add(i)
    precision = recall = 0.0
    for p, g in zip(predicted, gold, strict=True):
        shared = len(by_pred[p] & by_gold[g])
        precision += shared / len(by_pred[p])
        recall += shared / len(by_gold[g])
    n = len(gold) or 1
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load_ecbplus(folder: Path) -> list[tuple[ArticleRef, str]]:
    docs = []
    for path in sorted(folder.glob("*/*.xml")):
        match = _ECB_FILE.match(path.name)
        if match is None:
            continue
        sentences: dict[int, list[str]] = defaultdict(list)
        for token in ET.parse(path).getroot().iter("token"):
            sentences[int(token.get("sentence", "0"))].append(token.text or "")
        text = "\n".join(" ".join(words) for _, words in sorted(sentences.items()))
        story = match.group(1) + ("+" if match.group(3) == "ecbplus" else "")
        docs.append((ArticleRef(path.name, text, None, None, None), story))
    return docs


def load_allsides(path: Path, dated: bool) -> list[tuple[ArticleRef, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    docs = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            story = json.loads(line)
            published = str(story.get("date") or "")[:10] if dated else None
            for side, item in sorted((story.get("news") or {}).items()):
                if not item:
                    continue
                body = "\n\n".join(item.get("newBody") or [])
                ref = ArticleRef(
                    id=f"{story['id']}-{side}",
                    text=body,
                    title=item.get("newsTitle"),
                    outlet=item.get("newsSource"),
                    published=published or None,
                )
                docs.append((ref, str(story["id"])))
    return docs


def score(gold: Path, fmt: str, settings: Settings, limit: int | None) -> EvalReport:
    started = time.perf_counter()
    if fmt == "ecbplus":
        if not gold.is_dir():
            raise UsageError("ecbplus gold is a folder of ECB+ topic folders")
        docs = load_ecbplus(gold)
    else:
        docs = load_allsides(gold, dated=fmt == "allsides")
    if limit:
        docs = docs[:limit]
    stories = cluster_stories([d for d, _ in docs], settings.resolve)
    story_of = {aid: s.story_id for s in stories for aid in s.article_ids}
    predicted = [story_of[d.id] for d, _ in docs]
    gold_labels = [g for _, g in docs]
    precision, recall, f1 = bcubed(predicted, gold_labels)
    return EvalReport(
        stage="stories",
        dataset=f"{gold.name} ({fmt}, {len(docs)} articles)",
        metrics={
            "bcubed_precision": round(precision, 4),
            "bcubed_recall": round(recall, 4),
            "bcubed_f1": round(f1, 4),
            "gold_stories": float(len(set(gold_labels))),
            "predicted_stories": float(len(stories)),
        },
        seconds=time.perf_counter() - started,
    )
