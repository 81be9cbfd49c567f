"""Score whole articles: every event and quote sitrep emits against exhaustive gold.

The gold (docs/annotation.md) holds article ids, record numbers into the shared corpora,
character offsets into the record's raw text, labels and names, never the text itself;
the texts are read from `eval.corpora` (../shared). sitrep extracts from the article as
its ingest cleans it, so predicted offsets are mapped back to the raw text first.

Events match one to one when the type is the same and the predicted trigger starts inside
the gold event's sentence (a prediction overlapping the gold trigger is preferred). A
predicted event whose trigger lies in no gold event's sentence is *junk*: an event made up
where the article tells of none. Quotes match one to one when the prediction covers at
least half of the gold content.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from sitrep.errors import UsageError
from sitrep.eval.report import EvalReport, prf
from sitrep.ingest.boilerplate import RepeatedLines
from sitrep.kb.geofold import fold
from sitrep.model import Article, Event, Quote
from sitrep.settings import Settings

# "sitrep": score sitrep's extraction against the gold file. "agreement": the gold path is a
# folder with first.jsonl and second.jsonl, two annotators' versions of the same articles,
# scored one against the other (no extraction, no corpora needed).
FORMATS: tuple[str, ...] = ("sitrep", "agreement")

# Where each corpus named in the gold lives under `eval.corpora`, and its text field.
CORPORA: dict[str, tuple[str, str]] = {
    "war-news": ("corpus/war-news/articles.jsonl", "text"),
    "allsides": ("corpus/allsides-9928/articles.jsonl.gz", "content_original"),
}

Offsets = tuple[int, int]


@dataclass(slots=True)
class PictureEvent:
    sentence: Offsets
    trigger: Offsets
    type: str
    source_name: str | None
    source_country: str | None
    target_name: str | None
    factuality: str
    date: str | None
    current: bool


@dataclass(slots=True)
class PictureQuote:
    content: Offsets
    kind: str
    speaker: str | None
    via: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PictureArticle:
    """One annotated (or predicted) article; offsets are into the record's raw text."""

    corpus: str
    record: int
    id: str
    events: list[PictureEvent] = field(default_factory=list)
    quotes: list[PictureQuote] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, int]:
        return (self.corpus, self.record)


# --- reading -------------------------------------------------------------------------------


def _offsets(value: Any) -> Offsets:
    start, end = value
    return int(start), int(end)


def _actor(value: Any) -> tuple[str | None, str | None]:
    if not isinstance(value, dict):
        return None, None
    return value.get("name"), value.get("country")


def article_from_json(data: dict[str, Any]) -> PictureArticle:
    events = []
    for e in data.get("events", []):
        source_name, source_country = _actor(e.get("source"))
        target_name, _ = _actor(e.get("target"))
        events.append(
            PictureEvent(
                sentence=_offsets(e["sentence"]),
                trigger=_offsets(e["trigger"]),
                type=e["type"],
                source_name=source_name,
                source_country=source_country,
                target_name=target_name,
                factuality=e["factuality"],
                date=e.get("date"),
                current=bool(e.get("current", True)),
            )
        )
    quotes = [
        PictureQuote(
            content=_offsets(q["content"]),
            kind=q["kind"],
            speaker=q.get("speaker"),
            via=list(q.get("via") or []),
        )
        for q in data.get("quotes", [])
    ]
    return PictureArticle(
        corpus=data["corpus"],
        record=int(data["record"]),
        id=str(data["id"]),
        events=events,
        quotes=quotes,
    )


def load_gold(path: Path, limit: int | None = None) -> list[PictureArticle]:
    articles = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            articles.append(article_from_json(json.loads(line)))
        except (KeyError, TypeError, ValueError) as exc:
            raise UsageError(f"{path}:{n}: not a picture gold record ({exc})") from exc
    if any(a.corpus not in CORPORA for a in articles):
        raise UsageError(f"{path}: corpus must be one of {sorted(CORPORA)}")
    return articles[:limit] if limit else articles


def corpus_lines(root: Path, corpus: str) -> Iterator[tuple[int, str]]:
    """(line number, JSON line) of one corpus under `root` (gzip or plain)."""
    path = root / CORPORA[corpus][0]
    if not path.is_file():
        raise UsageError(f"corpus {corpus!r} not found at {path} (setting eval.corpora)")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from enumerate(handle)


def read_records(
    root: Path, wanted: list[tuple[str, int]]
) -> dict[tuple[str, int], dict[str, Any]]:
    """The raw corpus records the gold points at, by (corpus, line number)."""
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for corpus in sorted({c for c, _ in wanted}):
        lines = {n for c, n in wanted if c == corpus}
        for n, line in corpus_lines(root, corpus):
            if n in lines:
                out[(corpus, n)] = json.loads(line)
    return out


def raw_text(corpus: str, record: dict[str, Any]) -> str:
    return str(record[CORPORA[corpus][1]])


# --- prediction ----------------------------------------------------------------------------


class OffsetMap:
    """Maps offsets in sitrep's cleaned text back to the raw text it was cleaned from."""

    def __init__(self, clean: str, raw: str) -> None:
        self._to_raw = [0] * (len(clean) + 1)
        blocks = SequenceMatcher(None, clean, raw, autojunk=False).get_matching_blocks()
        last = 0
        for a, b, size in blocks:
            for i in range(size):
                self._to_raw[a + i] = b + i
            last = b + size
            if a + size < len(self._to_raw):
                self._to_raw[a + size] = last
        # Positions cleaning dropped or changed take the raw position after the last match.
        filled = 0
        for i in range(len(self._to_raw)):
            filled = max(filled, self._to_raw[i])
            self._to_raw[i] = filled

    def span(self, start: int, end: int) -> Offsets:
        return self._to_raw[start], self._to_raw[max(start, end - 1)] + 1


def _participant_name(event: Event) -> tuple[str | None, str | None, str | None]:
    source = event.source
    target = event.target
    return (
        source.name if source else None,
        source.country if source else None,
        target.name if target else None,
    )


def predicted_event(event: Event, mapping: OffsetMap) -> PictureEvent:
    source_name, source_country, target_name = _participant_name(event)
    return PictureEvent(
        sentence=mapping.span(event.sentence.start, event.sentence.end),
        trigger=mapping.span(event.trigger.start, event.trigger.end),
        type=event.type,
        source_name=source_name,
        source_country=source_country,
        target_name=target_name,
        factuality=event.factuality,
        date=event.date.value if event.date else None,
        current=event.timing == "current",
    )


def predicted_quote(quote: Quote, mapping: OffsetMap) -> PictureQuote:
    return PictureQuote(
        content=mapping.span(quote.content.start, quote.content.end),
        kind=quote.kind,
        speaker=quote.speaker.name if quote.speaker else None,
        via=[link.source.name for link in quote.via],
    )


def repeated_lines(corpora: list[str], settings: Settings) -> RepeatedLines | None:
    """Line counts over the whole of each corpus, as a run over it would have them: the
    gold articles lose the boilerplate lines their outlet repeats (ingest/boilerplate.py)."""
    from sitrep.ingest.jsonl import record_to_article

    if not settings.ingest.boilerplate:
        return None
    index = RepeatedLines(settings.ingest.boilerplate_min_articles)
    root = Path(settings.eval.corpora)
    for corpus in corpora:
        for n, line in corpus_lines(root, corpus):
            made = record_to_article(json.loads(line), f"{corpus}:{n}", settings.ingest)
            if isinstance(made, Article):
                index.add(made)
    return index


def predict(
    gold: list[PictureArticle], records: dict[tuple[str, int], dict[str, Any]], settings: Settings
) -> list[PictureArticle]:
    """sitrep's events and quotes for every gold article, in raw-text offsets."""
    from sitrep.extract.service import Extractor
    from sitrep.ingest.jsonl import record_to_article

    repeated = repeated_lines(sorted({item.corpus for item in gold}), settings)
    articles: list[Article] = []
    for item in gold:
        made = record_to_article(records[item.key], f"{item.corpus}:{item.record}", settings.ingest)
        if not isinstance(made, Article):
            raise UsageError(f"{item.corpus} record {item.record} was rejected: {made.reason}")
        articles.append(repeated.strip(made) if repeated is not None else made)
    extractions = Extractor(settings).extract(articles)
    out = []
    for item, article, extraction in zip(gold, articles, extractions, strict=True):
        mapping = OffsetMap(article.text, raw_text(item.corpus, records[item.key]))
        out.append(
            PictureArticle(
                corpus=item.corpus,
                record=item.record,
                id=item.id,
                events=[predicted_event(e, mapping) for e in extraction.events],
                quotes=[predicted_quote(q, mapping) for q in extraction.quotes],
            )
        )
    return out


# --- matching ------------------------------------------------------------------------------


def _inside(point: int, span: Offsets) -> bool:
    return span[0] <= point < span[1]


def _overlap(a: Offsets, b: Offsets) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_events(gold: list[PictureEvent], pred: list[PictureEvent]) -> list[tuple[int, int]]:
    """One-to-one (gold, pred) index pairs: same type, predicted trigger in the gold sentence;
    pairs whose triggers overlap are taken first, then the nearest triggers."""
    candidates = []
    for g, ge in enumerate(gold):
        for p, pe in enumerate(pred):
            if pe.type == ge.type and _inside(pe.trigger[0], ge.sentence):
                overlaps = _overlap(pe.trigger, ge.trigger) > 0
                distance = abs(pe.trigger[0] - ge.trigger[0])
                candidates.append((not overlaps, distance, g, p))
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, _, g, p in sorted(candidates):
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            pairs.append((g, p))
    return pairs


def match_quotes(gold: list[PictureQuote], pred: list[PictureQuote]) -> list[tuple[int, int]]:
    """One-to-one: the largest overlaps first, each covering ≥ 50 % of the gold content."""
    candidates = []
    for g, gq in enumerate(gold):
        length = max(1, gq.content[1] - gq.content[0])
        for p, pq in enumerate(pred):
            share = _overlap(gq.content, pq.content) / length
            if share >= 0.5:
                candidates.append((-share, g, p))
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, g, p in sorted(candidates):
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            pairs.append((g, p))
    return pairs


# Words that do not tell two speakers apart: titles, roles and function words.
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "president",
        "prime",
        "minister",
        "secretary",
        "general",
        "the",
        "of",
        "and",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "gen",
        "lt",
        "col",
        "adm",
        "chief",
        "foreign",
        "defense",
        "defence",
        "official",
        "officials",
        "government",
    ]
)
# Spellings of one name: "U.S." and "United States", "UK" and "Britain".
_ALIASES = {
    "u.s.": "united states",
    "us": "united states",
    "america": "united states",
    "american": "united states",
    "u.k.": "united kingdom",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "british": "united kingdom",
    "u.n.": "united nations",
    "un": "united nations",
    "eu": "european union",
}


def _acronym_of(short: str, long: str) -> bool:
    """ "WFP" for "World Food Programme" (initials of the words that are not function words)."""
    letters = short.replace(".", "")
    if not letters.isupper() or len(letters) < 2:
        return False
    words = [w for w in re.findall(r"[A-Za-z]+", long) if w.lower() not in {"of", "and", "the"}]
    return "".join(w[0] for w in words).upper() == letters


def _name_keys(name: str) -> set[str]:
    """Word stems of a name without titles: 'Russia's Defence Ministry' → {russi, minis}."""
    text = fold(name).replace("'s", "")
    for short, full in _ALIASES.items():
        text = re.sub(rf"(?<![\w.]){re.escape(short)}(?![\w.])", full, text)
    words = re.findall(r"[a-z0-9]+", text)
    keys = {w[:5] for w in words if w not in _TITLES and w.removesuffix("s") not in _TITLES}
    return keys or {w[:5] for w in words}


def same_speaker(gold: str | None, pred: str | None) -> bool:
    """Names agree when one's words are within the other's ('Biden' / 'Joe Biden') or they
    share at least half their words ('Russian Defence Ministry' / 'Russia's defence ministry')."""
    if gold is None or pred is None:
        return gold is None and pred is None
    if _acronym_of(pred, gold) or _acronym_of(gold, pred):
        return True
    g, p = _name_keys(gold), _name_keys(pred)
    if not g or not p:
        return False
    if g <= p or p <= g or len(g & p) / len(g | p) >= 0.5:
        return True
    # One person spelt two ways ("Aleksandr" / "Alexander Lukashenko"): same surname and
    # the same first letter of the first name.
    gw, pw = fold(gold).split(), fold(pred).split()
    return len(gw) > 1 and len(pw) > 1 and gw[-1] == pw[-1] and gw[0][0] == pw[0][0]


def same_date(gold: str, pred: str | None) -> bool:
    """Right when equal, or when the prediction is a day or month inside the gold period."""
    return pred is not None and (pred == gold or pred.startswith(gold + "-"))


# --- scoring -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Tally:
    counts: Counter[str] = field(default_factory=Counter)
    per_type: dict[str, Counter[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] += n

    def type_count(self, type_: str, name: str) -> None:
        self.per_type.setdefault(type_, Counter())[name] += 1


def _score_article_events(gold: PictureArticle, pred: PictureArticle, tally: _Tally) -> None:
    pairs = match_events(gold.events, pred.events)
    tally.add("event_tp", len(pairs))
    tally.add("event_fp", len(pred.events) - len(pairs))
    tally.add("event_fn", len(gold.events) - len(pairs))
    sentences = [e.sentence for e in gold.events]
    junk = [p for p in pred.events if not any(_inside(p.trigger[0], s) for s in sentences)]
    tally.add("pred_events", len(pred.events))
    tally.add("junk", len(junk))
    matched_g = {g for g, _ in pairs}
    matched_p = {p for _, p in pairs}
    for g, e in enumerate(gold.events):
        tally.type_count(e.type, "tp" if g in matched_g else "fn")
    for p, e in enumerate(pred.events):
        if p not in matched_p:
            tally.type_count(e.type, "fp")
            if e in junk and len(tally.errors) < 40:
                tally.errors.append(f"junk {gold.corpus}:{gold.record} {e.type} @{e.trigger[0]}")
    for g, p in pairs:
        ge, pe = gold.events[g], pred.events[p]
        if ge.source_name is not None:
            tally.add("source_n")
            tally.add("source_ok", int(pe.source_country == ge.source_country))
        tally.add("fact_n")
        tally.add("fact_ok", int(pe.factuality == ge.factuality))
        tally.add("timing_ok", int(pe.current == ge.current))
        if ge.date is not None:
            tally.add("date_n")
            tally.add("date_ok", int(same_date(ge.date, pe.date)))


def _score_article_quotes(gold: PictureArticle, pred: PictureArticle, tally: _Tally) -> None:
    pairs = match_quotes(gold.quotes, pred.quotes)
    tally.add("quote_tp", len(pairs))
    tally.add("quote_fp", len(pred.quotes) - len(pairs))
    tally.add("quote_fn", len(gold.quotes) - len(pairs))
    for g, p in pairs:
        ok = same_speaker(gold.quotes[g].speaker, pred.quotes[p].speaker)
        tally.add("speaker_ok", int(ok))
        if not ok and len(tally.errors) < 80:
            tally.errors.append(
                f"speaker {gold.corpus}:{gold.record} gold={gold.quotes[g].speaker!r} "
                f"pred={pred.quotes[p].speaker!r}"
            )


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def compare(gold: list[PictureArticle], pred: list[PictureArticle], dataset: str) -> EvalReport:
    """Score `pred` against `gold` (the same articles): sitrep's output, or a second
    annotator's when measuring agreement."""
    by_key = {a.key: a for a in pred}
    tally = _Tally()
    for article in gold:
        other = by_key.get(article.key, PictureArticle(article.corpus, article.record, article.id))
        _score_article_events(article, other, tally)
        _score_article_quotes(article, other, tally)
    c = tally.counts
    ep, er, ef = prf(c["event_tp"], c["event_fp"], c["event_fn"])
    qp, qr, qf = prf(c["quote_tp"], c["quote_fp"], c["quote_fn"])
    metrics = {
        "event_p": ep,
        "event_r": er,
        "event_f1": ef,
        "junk": _ratio(c["junk"], c["pred_events"]),
        "source_country_acc": _ratio(c["source_ok"], c["source_n"]),
        "factuality_acc": _ratio(c["fact_ok"], c["fact_n"]),
        "timing_acc": _ratio(c["timing_ok"], c["fact_n"]),
        "date_acc": _ratio(c["date_ok"], c["date_n"]),
        "quote_p": qp,
        "quote_r": qr,
        "quote_f1": qf,
        "speaker_acc": _ratio(c["speaker_ok"], c["quote_tp"]),
        "articles": float(len(gold)),
        "gold_events": float(c["event_tp"] + c["event_fn"]),
        "gold_quotes": float(c["quote_tp"] + c["quote_fn"]),
    }
    per_type = []
    for type_, counts in sorted(tally.per_type.items()):
        p, r, f = prf(counts["tp"], counts["fp"], counts["fn"])
        per_type.append(
            {
                "class": type_,
                "gold": counts["tp"] + counts["fn"],
                "pred": counts["tp"] + counts["fp"],
                "p": round(p, 3),
                "r": round(r, 3),
                "f1": round(f, 3),
            }
        )
    return EvalReport(
        stage="picture",
        dataset=dataset,
        metrics=metrics,
        tables={"per_type": per_type},
        errors=tally.errors,
    )


def score(gold: Path, fmt: str, settings: Settings, limit: int | None) -> EvalReport:
    started = time.perf_counter()
    if fmt == "agreement":
        first = load_gold(gold / "first.jsonl", limit)
        report = compare(first, load_gold(gold / "second.jsonl"), "agreement")
        report.seconds = time.perf_counter() - started
        return report
    articles = load_gold(gold, limit)
    records = read_records(Path(settings.eval.corpora), [a.key for a in articles])
    missing = [a.key for a in articles if a.key not in records]
    if missing:
        raise UsageError(f"gold records not in the corpora: {missing[:5]}")
    for article in articles:
        found = records[article.key]
        own_id = found.get("file") or found.get("ID")
        if str(own_id) != article.id:
            where = f"{article.corpus} record {article.record}"
            raise UsageError(f"{where} is {own_id!r}, the gold says {article.id!r}")
    predictions = predict(articles, records, settings)
    report = compare(articles, predictions, gold.name)
    report.seconds = time.perf_counter() - started
    return report
