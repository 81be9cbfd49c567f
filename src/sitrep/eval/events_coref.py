"""Score canonical events (cross-document event coreference) on ECB+ event chains.

Procedure (`sitrep eval events-coref --gold DIR --format ecbplus`):

1. Gold. Every ECB+ document of the folder (`<topic>/<topic>_<n>ecb[plus].xml`) is read as
   its tokens joined by spaces, one sentence per line (as the stories scorer reads it).
   Gold event mentions are the ACTION_* and NEG_ACTION_* markables; a mention's chain is
   its CROSS_DOC_COREF instance, else its INTRA_DOC_COREF chain, else it is a singleton.
   When `ECBplus_coreference_sentences.csv` lies next to the folder (or in it), only the
   sentences it lists count, on both sides: ECB+ annotated coreference there only.
2. sitrep. The articles go through extraction (spaCy + event rules), the event mentions
   become resolution inputs exactly as the store builds them, and `merge_events` groups them
   within stories: sitrep's own stories (`cluster_stories`, the real pipeline) and, for
   comparison, the gold subtopics (topic + ecb / ecb+) as stories.
3. Alignment. A predicted mention is the gold mention of the same document whose tokens
   overlap the trigger's characters, the one sharing most tokens (ties: the shorter gold
   span, then the earlier one); each gold mention takes at most one prediction (the first
   in text order). A prediction overlapping no free gold mention stays unaligned.

Metrics: mention detection precision/recall; CoNLL F1 (mean of MUC, B-cubed, CEAF-e F1)
end to end (every gold mention in the key, every prediction in the response, unaligned ones
as their own mentions); and, labelled `aligned_*`, CoNLL F1 on the aligned mentions only
(ECB+ annotates many events that are not PLOVER events, which no PLOVER coder should find).
Baselines on the aligned mentions give the numbers a scale: `singletons`, `type_story`
(all mentions of one PLOVER type in one gold subtopic form one chain; ECB+ builds each
subtopic around one seminal event, so this is strong there) and `type_own_story` (the same
within sitrep's own stories).
"""

from __future__ import annotations

import csv
import re
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import UsageError
from sitrep.eval.coref_metrics import conll
from sitrep.eval.events import benchmark_settings
from sitrep.eval.report import EvalReport, prf
from sitrep.model import Article, ArticleRef, Event, EventMention
from sitrep.resolve.dedup import find_duplicates
from sitrep.resolve.merge import merge_events
from sitrep.resolve.stories import cluster_stories
from sitrep.settings import Settings

FORMATS = ("ecbplus",)
_ECB_FILE = re.compile(r"^(\d+)_(\d+)(ecbplus|ecb)\.xml$")
_SENTENCES_CSV = "ECBplus_coreference_sentences.csv"

MentionKey = tuple[str, str]  # (document, gold m_id) or (document, "p:" + predicted id)


@dataclass(frozen=True, slots=True)
class GoldMention:
    key: MentionKey
    tokens: frozenset[int]  # indices into the document's token list
    start: int  # character span of the tokens in the document text
    end: int
    chain: str


@dataclass(slots=True)
class GoldDoc:
    doc_id: str
    subtopic: str
    text: str
    token_spans: list[tuple[int, int]]
    token_sentence: list[int]
    selected: set[int] | None  # sentence numbers with coreference annotation (None: all)
    mentions: list[GoldMention]


def _selected_sentences(folder: Path) -> dict[str, set[int]] | None:
    for candidate in (folder / _SENTENCES_CSV, folder.parent / _SENTENCES_CSV):
        if candidate.exists():
            chosen: dict[str, set[int]] = defaultdict(set)
            with candidate.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    name = f"{row['Topic']}_{row['File']}.xml"
                    chosen[name].add(int(row["Sentence Number"]))
            return chosen
    return None


def read_document(path: Path, selected: set[int] | None) -> GoldDoc:
    match = _ECB_FILE.match(path.name)
    if match is None:
        raise UsageError(f"{path.name} is not an ECB+ document name")
    root = ET.parse(path).getroot()
    index_of: dict[str, int] = {}
    sentences: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for token in root.iter("token"):
        sentences[int(token.get("sentence", "0"))].append((token.get("t_id", ""), token.text or ""))
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    sentence_of: list[int] = []
    offset = 0
    for number, words in sorted(sentences.items()):
        if parts:
            parts.append("\n")
            offset += 1
        for k, (t_id, word) in enumerate(words):
            if k:
                parts.append(" ")
                offset += 1
            index_of[t_id] = len(spans)
            spans.append((offset, offset + len(word)))
            sentence_of.append(number)
            parts.append(word)
            offset += len(word)
    chain_of: dict[str, str] = {}
    relations = root.find("Relations")
    for rel in relations if relations is not None else []:
        sources = [s.get("m_id", "") for s in rel.findall("source")]
        if rel.tag == "CROSS_DOC_COREF":
            chain = "x:" + (rel.get("note") or rel.get("r_id") or "")
        elif rel.tag == "INTRA_DOC_COREF":
            target = rel.find("target")
            chain = f"i:{path.name}:{target.get('m_id') if target is not None else rel.get('r_id')}"
        else:
            continue
        for m_id in sources:
            chain_of.setdefault(m_id, chain)
    mentions: list[GoldMention] = []
    markables = root.find("Markables")
    for mark in markables if markables is not None else []:
        if not (mark.tag.startswith("ACTION") or mark.tag.startswith("NEG_ACTION")):
            continue
        tokens = frozenset(
            index_of[a.get("t_id", "")]
            for a in mark.findall("token_anchor")
            if a.get("t_id", "") in index_of
        )
        if not tokens:
            continue  # an instance descriptor, not a mention in the text
        if selected is not None and sentence_of[min(tokens)] not in selected:
            continue
        m_id = mark.get("m_id", "")
        mentions.append(
            GoldMention(
                key=(path.name, m_id),
                tokens=tokens,
                start=spans[min(tokens)][0],
                end=spans[max(tokens)][1],
                chain=chain_of.get(m_id, f"s:{path.name}:{m_id}"),
            )
        )
    subtopic = match.group(1) + ("+" if match.group(3) == "ecbplus" else "")
    return GoldDoc(path.name, subtopic, "".join(parts), spans, sentence_of, selected, mentions)


def load_gold(folder: Path, limit: int | None = None) -> list[GoldDoc]:
    chosen = _selected_sentences(folder)
    paths = [p for p in sorted(folder.glob("*/*.xml")) if _ECB_FILE.match(p.name)]
    if limit:
        paths = paths[:limit]
    return [read_document(p, None if chosen is None else chosen.get(p.name, set())) for p in paths]


def mention_of(event: Event, article_id: str) -> EventMention:
    """The resolution input of an event, built as the store builds it."""

    def key(p: Any) -> str | None:
        if p is None:
            return None
        return p.actor_id or p.country or (p.name.lower() if p.name else None)

    return EventMention(
        id=event.id,
        article_id=article_id,
        type=event.type,
        source_key=key(event.source),
        target_key=key(event.target),
        date=event.date.value if event.date else None,
        place_country=event.place.country if event.place else None,
        factuality=event.factuality,
        confidence=event.confidence,
        trigger=event.trigger.text,
        sentence=event.sentence.text,
    )


def align(doc: GoldDoc, triggers: Sequence[tuple[str, int, int]]) -> dict[str, MentionKey]:
    """Predicted id → gold mention key, by token overlap with the trigger (see module doc)."""
    taken: set[MentionKey] = set()
    out: dict[str, MentionKey] = {}
    for pred_id, start, end in sorted(triggers, key=lambda t: (t[1], t[2], t[0])):
        covered = {i for i, (s, e) in enumerate(doc.token_spans) if s < end and start < e}
        best: tuple[int, int, int] | None = None
        choice: GoldMention | None = None
        for gold in doc.mentions:
            shared = len(gold.tokens & covered)
            if not shared or gold.key in taken:
                continue
            rank = (-shared, len(gold.tokens), gold.start)
            if best is None or rank < best:
                best, choice = rank, gold
        if choice is not None:
            taken.add(choice.key)
            out[pred_id] = choice.key
    return out


def _in_selected(doc: GoldDoc, start: int) -> bool:
    if doc.selected is None:
        return True
    for i, (s, e) in enumerate(doc.token_spans):
        if s <= start < e or start < s:
            return doc.token_sentence[i] in doc.selected
    return False


def _clusters(labels: Mapping[MentionKey, Hashable]) -> list[list[MentionKey]]:
    groups: dict[Hashable, list[MentionKey]] = defaultdict(list)
    for key, label in labels.items():
        groups[label].append(key)
    return list(groups.values())


def _scores(
    prefix: str, key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]
) -> dict[str, float]:
    found = conll(list(key), list(response))
    out = {f"{prefix}conll_f1": found["conll"].f1}
    for name in ("muc", "bcubed", "ceafe"):
        out[f"{prefix}{name}_f1"] = found[name].f1
    return {k: round(v, 4) for k, v in out.items()}


def score(gold: Path, fmt: str, settings: Settings, limit: int | None) -> EvalReport:
    from sitrep.extract.service import Extractor

    started = time.perf_counter()
    if not gold.is_dir():
        raise UsageError("ecbplus gold is a folder of ECB+ topic folders")
    docs = load_gold(gold, limit)
    articles = [Article(id=d.doc_id, text=d.text) for d in docs]
    # ECB+ annotates every event mention: the event benchmarks' operating point.
    extractions = Extractor(benchmark_settings(settings)).extract(articles)

    # Predicted mentions in annotated sentences, aligned to gold mentions.
    mentions: list[EventMention] = []
    pred_key: dict[str, MentionKey] = {}
    aligned: dict[str, MentionKey] = {}
    for doc, extraction in zip(docs, extractions, strict=True):
        kept = [e for e in extraction.events if _in_selected(doc, e.trigger.start)]
        mentions.extend(mention_of(e, doc.doc_id) for e in kept)
        found = align(doc, [(e.id, e.trigger.start, e.trigger.end) for e in kept])
        aligned.update(found)
        for e in kept:
            pred_key[e.id] = found.get(e.id, (doc.doc_id, "p:" + e.id))

    refs = [ArticleRef(d.doc_id, d.text, None, None, None) for d in docs]
    gold_story = {d.doc_id: d.subtopic for d in docs}
    own_story = {
        a: s.story_id for s in cluster_stories(refs, settings.resolve) for a in s.article_ids
    }
    duplicate_of = find_duplicates(refs, settings.resolve)
    no_outlet: dict[str, str | None] = {d.doc_id: None for d in docs}

    def response(story_of: Mapping[str, str]) -> dict[MentionKey, str]:
        events = merge_events(
            mentions, story_of, duplicate_of, no_outlet, no_outlet, settings.resolve
        )
        return {pred_key[m]: e.id for e in events for m in e.mention_ids}

    gold_chain = {m.key: m.chain for d in docs for m in d.mentions}
    key_all = _clusters(gold_chain)
    aligned_keys = set(aligned.values())
    key_aligned = _clusters({k: c for k, c in gold_chain.items() if k in aligned_keys})
    type_of = {pred_key[m.id]: m.type for m in mentions}
    doc_of_key = {k: k[0] for k in aligned_keys}

    metrics: dict[str, float] = {}
    for label, story_of in (("", own_story), ("gold_stories_", gold_story)):
        labels = response(story_of)
        metrics.update(_scores(label, key_all, _clusters(labels)))
        only = {k: v for k, v in labels.items() if k in aligned_keys}
        metrics.update(_scores("aligned_" + label, key_aligned, _clusters(only)))
    singletons = [[k] for k in aligned_keys]
    by_type_story = {k: (gold_story[doc_of_key[k]], type_of[k]) for k in aligned_keys}
    metrics.update(_scores("baseline_singletons_aligned_", key_aligned, singletons))
    metrics.update(_scores("baseline_type_story_aligned_", key_aligned, _clusters(by_type_story)))
    by_type_own = {k: (own_story[doc_of_key[k]], type_of[k]) for k in aligned_keys}
    metrics.update(_scores("baseline_type_own_story_aligned_", key_aligned, _clusters(by_type_own)))

    n_gold, n_pred, n_hit = len(gold_chain), len(mentions), len(aligned)
    p, r, f = prf(n_hit, n_pred - n_hit, n_gold - n_hit)
    metrics.update(
        {
            "mention_p": round(p, 4),
            "mention_r": round(r, 4),
            "mention_f1": round(f, 4),
            "gold_mentions": float(n_gold),
            "predicted_mentions": float(n_pred),
            "aligned_mentions": float(n_hit),
            "gold_chains": float(len(key_all)),
        }
    )
    table = [
        {
            "system": name,
            "conll_f1": metrics[f"{name}conll_f1"],
            "muc_f1": metrics[f"{name}muc_f1"],
            "bcubed_f1": metrics[f"{name}bcubed_f1"],
            "ceafe_f1": metrics[f"{name}ceafe_f1"],
        }
        for name in (
            "",
            "gold_stories_",
            "aligned_",
            "aligned_gold_stories_",
            "baseline_singletons_aligned_",
            "baseline_type_story_aligned_",
            "baseline_type_own_story_aligned_",
        )
    ]
    for row in table:
        row["system"] = str(row["system"]).rstrip("_") or "end_to_end"
    return EvalReport(
        stage="events-coref",
        dataset=f"{gold.name} ({fmt}, {len(docs)} documents)",
        metrics=metrics,
        tables={"coreference": table},
        seconds=time.perf_counter() - started,
    )
