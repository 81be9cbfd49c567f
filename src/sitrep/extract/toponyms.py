"""Toponyms that spaCy's small NER model misses, found with the gazetteer.

The small model finds about two thirds of the toponyms in news (LGL, GeoWebNews). The rest
are mostly (1) adjectives of nationality and region ("Russian troops", "African leaders"),
which both corpora count as toponyms; (2) places inside organisation names ("the Athens
Police Department", "The Washington Post"); (3) small towns tagged PERSON/ORG or nothing;
(4) upper-case datelines ("MANSFIELD, Texas —"). This module scans runs of capitalised
tokens for gazetteer names, longest first, and keeps a name when the evidence is enough
for its size:

* a country, continent, first-level region, capital or city of 100,000 or more;
* a smaller place in a first-level region the article already names ("Lombard" in a
  piece about Illinois), or one after a locative cue ("in", "near", "outside") or in a
  "Town, State" pair.

A name on the stop list (`kb/data/not_toponyms.txt`) is never taken alone; a run inside a
PERSON name is taken only when the whole name is a place; a sentence's first word needs the
strongest evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.attrs import ORTH

from sitrep.kb.gazetteer import Gazetteer, GeoEntry
from sitrep.kb.geofold import fold
from sitrep.model import Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

Mention = tuple[int, int, str]

MAX_TOKENS = 4
STRONG_POPULATION = 100_000
SUPPORTED_POPULATION = 1_000
CUED_POPULATION = 5_000
_STRONG_FEATURES = {"PCLI", "CONT", "RGN", "ADM1", "PPLC"}
_AREA_FEATURES = {"PCLI", "CONT", "RGN"}
# Words before a name that say it is a place ("in Lombard", "outside Roselle").
_CUES = {
    "in", "near", "from", "outside", "at", "to", "across", "around", "toward", "towards",
    "into", "through", "between", "via", "inside", "nearby", "downtown", "suburban",
}  # fmt: skip
# Entities whose words are never place names (dates, numbers, works, languages).
_SKIP_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LANGUAGE"}
_ABBREV = re.compile(r"^(?:St|Ft|Mt|Pt)\.$")
_ARTICLES = {"the", "a", "an"}
_DASHES = {"-", "--", "—", "–", "_"}
_INITIALS = re.compile(r"^(?:[A-Z]\.){2,3}$")  # "U.S.", "D.C."
# Upper-case abbreviations that name a country or union ("the EU", "UK officials").
_ACRONYMS = {"us", "usa", "uk", "eu", "uae", "drc", "ussr"}


def _capitalised(tok: Token) -> bool:
    text = tok.text
    if tok.lower_ in _ARTICLES:
        return False  # "The Portuguese" is "Portuguese"; fold() drops it from "The Hague"
    if _ABBREV.match(text) or _INITIALS.match(text):
        return True
    if text.isupper() and tok.is_alpha:
        return fold(text) in _ACRONYMS or dateline_word(tok)
    return text[:1].isupper() and tok.is_alpha


def dateline_word(tok: Token) -> bool:
    """An upper-case word of a dateline: "MANSFIELD —", "COLUMBUS, Ohio (AP) —"."""
    text = tok.text
    if not (text.isupper() and tok.is_alpha and len(text) > 2):
        return False
    doc = tok.doc
    k = tok.i
    while k + 1 < len(doc) and doc[k + 1].text.isupper() and doc[k + 1].is_alpha:
        k += 1
    after = doc[k + 1 : k + 6]
    if not len(after):
        return False
    if not doc[k].whitespace_:
        return after[0].text == "," and any(_breaks(t) for t in after[2:])
    if after[0].text == "(":  # "MINSK (Reuters)", not "HIV (the virus)": a sentence start
        j = tok.i
        while j > 0 and doc[j - 1].text.isupper() and doc[j - 1].is_alpha:
            j -= 1
        return j == 0 or doc[j].is_sent_start is True
    return _breaks(after[0])  # "MANSFIELD —", not "HIV-positive"


def _breaks(tok: Token) -> bool:
    """A dateline's closing dash, or its "(AP)"."""
    if tok.text in _DASHES:
        return True
    nxt = tok.nbor() if tok.i + 1 < len(tok.doc) else None
    return tok.text == "(" and nxt is not None and nxt.text.isupper()


def context_regions(gazetteer: Gazetteer, names: Iterable[str]) -> set[str]:
    """First-level regions the already recognised place names point to (their most
    likely reading), for supporting small namesakes there."""
    regions: set[str] = set()
    for name in names:
        cands = gazetteer.candidates(name)[:1]
        for e in cands:
            if e.admin1 and e.feature != "PCLI":
                regions.add(e.admin1)
    return regions


def _own(gazetteer: Gazetteer, name: str) -> list[GeoEntry]:
    """Candidates that this name really names: their main name, a listed spelling, or an
    area by one of its adjectives ("Russian" → Russia)."""
    return [
        e
        for e in gazetteer.candidates(name)[:20]
        if e.feature in _AREA_FEATURES or gazetteer.is_own_name(e, name)
    ]


def _strong(entries: list[GeoEntry]) -> bool:
    return any(e.feature in _STRONG_FEATURES or e.population >= STRONG_POPULATION for e in entries)


def _cued(doc: Doc, start: int, end: int) -> bool:
    if dateline_word(doc[start]):
        return True
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < len(doc) else None
    if before is not None and before.lower_ in _CUES:
        return True
    if after is not None and after.text == "-" and end + 1 < len(doc):
        return doc[end + 1].lower_ in {"based", "area"}
    return (
        after is not None
        and after.text == ","
        and end + 1 < len(doc)
        and (doc[end + 1].text[:1].isupper())
    )


def _demonym(gazetteer: Gazetteer, name: str) -> bool:
    """Whether the name is an adjective or people of a country or region ("Russian",
    "Palestinians", "African")."""
    for form in (name, name[:-1] if name.endswith("s") else ""):
        if form and any(e.feature in _AREA_FEATURES for e in gazetteer.candidates(form)[:1]):
            return True
    return False


@dataclass(slots=True)
class _Weak:
    """A small place name with no evidence yet; kept if the document supports its region."""

    mention: Mention
    regions: set[str]


class _Scan:
    def __init__(
        self, doc: Doc, gazetteer: Gazetteer, regions: set[str], words: Iterable[str]
    ) -> None:
        self.doc = doc
        self.gazetteer = gazetteer
        self.regions = set(regions)
        self.found: list[Mention] = []
        self.weak: list[_Weak] = []
        # Words of multi-word person names ("Nadia Moayyad" makes a later "Nadia" a person)
        # and words the article also writes in lower case ("most", "bank"): not places alone.
        self.people = {t.lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
        self.common = {w for w in words if w.islower() and w.isalpha()}  # spaCy's is_alpha

    def run(self, start: int, end: int) -> None:
        """Match the run doc[start:end] left to right, longest names first."""
        doc = self.doc
        i = start
        while i < end:
            for length in range(min(MAX_TOKENS, end - i), 0, -1):
                span = doc[i : i + length]
                if span[0].ent_type_ == "PERSON" and not _whole_entity(span):
                    continue  # "Paris Hilton", "Glen Carbon Elementary": part of a name
                if self._take(span):
                    i += length
                    break
            else:
                i += 1

    def _take(self, span: Span) -> bool:
        mention = (span.start_char, span.end_char, span.text)
        name = span.text
        key = fold(name)
        people_word = span[0].ent_type_ == "NORP" or len(span) == 1 and name.endswith("s")
        if people_word and _demonym(self.gazetteer, name):
            self.found.append(mention)
            return True
        if key in self.gazetteer.not_toponyms or len(key) < 3 and not name.isupper():
            return False
        single = len(span) == 1
        if single and (span[0].lower_ in self.people or span[0].lower_ in self.common):
            return False
        entries = _own(self.gazetteer, name)
        if not entries:
            return False
        if _strong(entries):
            self.found.append(mention)
            self.regions.update(e.admin1 for e in entries[:1] if e.admin1 and e.feature != "PCLI")
            return True
        if span.start == span.sent.start and not dateline_word(span[0]):
            return False  # a sentence's first word is capitalised anyway
        sized = [e for e in entries if e.population >= SUPPORTED_POPULATION or e.feature == "ADM2"]
        if _cued(self.doc, span.start, span.end) and any(
            e.population >= CUED_POPULATION or e.feature == "ADM2" for e in sized
        ):
            self.found.append(mention)
            return True
        if sized:
            self.weak.append(_Weak(mention, {e.admin1 for e in sized if e.admin1}))
            return True
        return False

    def settle(self) -> list[Mention]:
        """Keep the weak names whose region the article names, or that share a region with
        another weak name ("Torrington" beside "Harwinton")."""
        seen: dict[str, set[str]] = {}
        for weak in self.weak:
            for region in weak.regions:
                seen.setdefault(region, set()).add(fold(weak.mention[2]))
        kept = [
            w.mention
            for w in self.weak
            if any(r in self.regions or len(seen[r]) > 1 for r in w.regions)
        ]
        return sorted(self.found + kept)


def find_toponyms(
    doc: Doc, gazetteer: Gazetteer, taken: list[tuple[int, int]], regions: set[str]
) -> list[Mention]:
    """Mentions of places outside `taken` (character spans already recognised)."""
    orths = [int(h) for h in doc.to_array([ORTH]).ravel().tolist()] if len(doc) else []
    strings = doc.vocab.strings
    # Each distinct word once, without building a spaCy Token per word.
    words: dict[int, str] = {h: str(strings[h]) for h in set(orths)}
    scan = _Scan(doc, gazetteer, regions, words.values())
    overlaps = _Overlaps(taken)
    # Every usable token starts with a capital (see `_capitalised`): test that first.
    usable = [words[h][:1].isupper() and _usable(doc[i], overlaps) for i, h in enumerate(orths)]
    i, n = 0, len(doc)
    while i < n:
        if not usable[i]:
            i += 1
            continue
        end = i
        while end < n and end - i < 12 and usable[end]:
            end += 1
        scan.run(i, end)
        i = end
    return scan.settle()


class _Overlaps:
    """Whether a character range overlaps any of a fixed set of spans, by bisection:
    spans sorted by start, with the furthest end among the first k of them."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach: list[int] = []
        furthest = -1
        for _, e in ordered:
            furthest = max(furthest, e)
            self.reach.append(furthest)

    def hit(self, start: int, end: int) -> bool:
        k = bisect_left(self.starts, end)  # spans that start before `end`
        return k > 0 and self.reach[k - 1] > start


def _usable(tok: Token, overlaps: _Overlaps) -> bool:
    if tok.ent_type_ in _SKIP_LABELS or not _capitalised(tok):
        return False
    return not overlaps.hit(tok.idx, tok.idx + len(tok.text))


def _whole_entity(span: Span) -> bool:
    """Whether the span is exactly one named entity of the parse."""
    if span[0].ent_iob_ != "B" or any(t.ent_iob_ != "I" for t in span[1:]):
        return False
    return span.end >= len(span.doc) or span.doc[span.end].ent_iob_ != "I"


def names_a_location(doc: Doc, place: Place) -> bool:
    """Whether the toponym can be where something happened: not an adjective or people of
    a nation ("Russian troops", "Ukrainians"), nor part of another name ("the Athens Police
    Department", "The Washington Post"). Both count as toponyms for geoparsing, but an
    event's place must be a location."""
    if place.span is None:
        return True
    span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    if span is None or not len(span):
        return True
    first, last = span[0], span[-1]
    if fold(span.text) != fold(place.name) and (
        first.ent_type_ in {"NORP", "ORG"} or last.pos_ == "ADJ" or last.tag_ in {"NNPS", "NNS"}
    ):
        return False  # "the EU" is a body, "Ukrainians" a people
    if first.ent_type_ in {"ORG", "PERSON", "WORK_OF_ART", "EVENT", "PRODUCT"}:
        # Inside a longer name: the entity reaches beyond the toponym.
        before = first.ent_iob_ == "I"
        after = span.end < len(doc) and doc[span.end].ent_iob_ == "I"
        return not (before or after)
    return True
