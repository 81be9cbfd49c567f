"""Fast paths in extraction give what the slower code they replaced gave (texts written here)."""

from __future__ import annotations

import random
import re

from sitrep.extract.cuelex import cue_lexicon
from sitrep.extract.places import whole_word_hits
from sitrep.extract.service import Extractor
from sitrep.extract.toponyms import _Overlaps
from sitrep.model import Article

# Letters, digits, the joiners "_" and "-", separators and a few non-ASCII word characters.
_ALPHABET = "ab A-_ .,'é٣ß\n"


def _regex_hits(text: str, name: str) -> list[tuple[int, int]]:
    pattern = rf"(?<![\w-]){re.escape(name)}(?![\w-])"
    return [m.span() for m in re.finditer(pattern, text)]


def test_whole_word_hits_match_the_regex() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 30)))
        name = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 3)))
        assert whole_word_hits(text, name) == _regex_hits(text, name), (text, name)


def test_whole_word_hits_examples() -> None:
    text = "Kharkiv, Kharkiv-based, Kharkivska, pre-Kharkiv and Kharkiv"
    last = text.rindex("Kharkiv")
    assert whole_word_hits(text, "Kharkiv") == [(0, 7), (last, last + 7)]
    assert whole_word_hits("aaa", "aa") == []
    assert whole_word_hits("aa aa", "aa") == [(0, 2), (3, 5)]


def test_overlaps_match_a_scan_of_every_span() -> None:
    rng = random.Random(11)
    for _ in range(2000):
        spans = []
        for _ in range(rng.randint(0, 6)):
            start = rng.randint(0, 40)
            spans.append((start, start + rng.randint(0, 8)))  # empty spans included
        overlaps = _Overlaps(spans)
        for _ in range(10):
            start = rng.randint(0, 45)
            end = start + rng.randint(1, 6)
            expected = any(s < end and start < e for s, e in spans)
            assert overlaps.hit(start, end) == expected, (spans, start, end)


def test_cue_unions_are_computed_once_and_right() -> None:
    lex = cue_lexicon()
    assert lex.clause_verbs == lex.speech_verbs | lex.attitude_verbs
    assert lex.indirect_verbs == lex.clause_verbs | lex.intent_verbs
    assert "say" in lex.clause_verbs
    assert lex.intent_verbs <= lex.indirect_verbs


def test_repeated_places_and_indirect_quotes_end_to_end(extractor: Extractor) -> None:
    text = (
        "Shelling hit Kharkiv on Monday. A Kharkiv-based volunteer said the power failed. "
        "Officials in Kharkiv said repairs would take days."
    )
    result = extractor.extract([Article(id="f", text=text, published="2023-02-24")])[0]
    spans = sorted((p.span.start, p.span.end) for p in result.places if p.span)
    first = text.index("Kharkiv")
    last = text.rindex("Kharkiv")
    assert (first, first + 7) in spans
    assert (last, last + 7) in spans
    # Indirect content after "said" is still found with the precomputed verb union.
    assert any(q.kind == "indirect" for q in result.quotes)


def test_to_plain_gives_what_asdict_gives(extractor: Extractor) -> None:
    """The store's record JSON and the contract output use `to_plain`, not `asdict`."""
    from dataclasses import asdict

    from sitrep.model.serialize import to_plain

    text = (
        "KYIV, March 3 (Reuters) - Russian forces shelled Kharkiv on Tuesday, the governor "
        'said. "We will respond," Zelenskiy told reporters, according to Interfax. '
        "Moscow denied the report and said talks with Turkey may resume next week."
    )
    (extraction,) = extractor.extract([Article(id="a1", text=text, origin="t:1")])
    records = [*extraction.entities, *extraction.places, *extraction.times]
    records += [*extraction.quotes, *extraction.events]
    assert extraction.quotes and extraction.events
    for record in records:
        assert to_plain(record) == asdict(record)
