"""Raw-text scanner behind :func:`sitrep.extract.timex.find_timexes`.

The text is tokenised; maximal runs of "time-ish" tokens (month and weekday names,
numbers, units, relative words...) are candidate regions.  Inside each run the longest
token span that the phrase normaliser fully understands wins, left to right.  A few
guards keep common false positives out: the modal "may" and the verb "march",
"the fall of ...", "one-year anniversary", and bare numbers that are counts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from sitrep.model.vocab import TimeType

Normaliser = Callable[[str, dt.date | None], tuple[TimeType, str] | None]

MAX_TOKENS = 10


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(
    r"\d{1,4}(?:[/.-]\d{1,2}(?:[/.-]\d{2,4})?)?(?::\d\d)?(?:st|nd|rd|th|s|am|pm)?\b"
    r"|'\d\ds?\b|[ap]\.m\.?|[A-Za-z]+(?:-[A-Za-z0-9]+)*\.?|,"
)
_ABBREVIATIONS = _wordset(
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun"
)
_WORDS = _wordset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday
    mon tue tues wed thu thur thurs fri sat sun
    spring summer fall autumn winter
    morning afternoon evening night tonight overnight dawn dusk noon midday midnight
    today yesterday tomorrow now currently current recently lately previously formerly
    soon shortly future past present recent coming daily weekly monthly yearly annually
    hourly nightly fortnightly quarterly
    second seconds minute minutes hour hours day days week weeks weekend weekends
    fortnight month months year years decade decades century centuries quarter quarters
    hrs hr yr yrs mins
    ago last this next previous earlier later early late mid the of a an and or so
    every each per once twice times a.m. p.m. am pm gmt utc local time
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety few several couple dozen half first third fourth
    in on at since until by from for over end beginning start middle moment
    before after
    thanksgiving christmas halloween eve election
    edt est cdt cst mdt mst pdt pst bst cet cest eet eest
    """
)
_NO_START = _wordset(
    ", of and or at on in since until by from for over before after so local time gmt utc "
    "a.m. p.m. am pm edt est cdt cst mdt mst pdt pst bst cet cest eet eest"
)
_NO_END = _wordset(", of and or at on in since until by from for over the a an before after")
_PREFIX_OK = ("in recent ", "in the past", "in the future", "in the coming ", "in the near ")
_MONTH_CONTEXT = _wordset(
    "in on since until till by early late mid of from during before after through last next this"
    " between throughout"
)
_SEASON_CONTEXT = _wordset(
    "in the since until by early late mid during through over last next this"
)
_QUANTITY_BEFORE = _wordset(
    "about some over nearly almost around than least approximately estimated only just "
    "up to another"
)
_COUNT_NOUNS = _wordset(
    "people troops soldiers civilians men women children refugees residents fighters "
    "killed dead wounded injured casualties families homes houses buildings tanks "
    "missiles rockets shells drones units prisoners hostages migrants km miles metres "
    "meters kilometres kilometers tonnes tons dollars euros pounds percent"
)


class _Tok(NamedTuple):
    # A tuple, not a frozen dataclass: one is built per word of every article.
    start: int
    end: int
    low: str


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        start, end, word = m.start(), m.end(), m.group()
        if word.endswith(".") and word[:-1].lower() not in _ABBREVIATIONS and "." not in word[:-1]:
            end -= 1
            word = word[:-1]
        out.append(_Tok(start, end, word.lower()))
    return out


def _is_vocab(tok: _Tok) -> bool:
    low = tok.low.rstrip(".")
    if low in _WORDS or low + "." in _WORDS or tok.low in _WORDS:
        return True
    if low[:1].isdigit() or low.startswith("'"):
        return True
    return "-" in low and all(_is_vocab(_Tok(0, 0, p)) for p in low.split("-") if p)


def _runs(text: str, toks: list[_Tok]) -> Iterable[list[int]]:
    run: list[int] = []
    for i, tok in enumerate(toks):
        vocab = _is_vocab(tok)
        joined = bool(run) and text[toks[run[-1]].end : tok.start].strip() == ""
        if vocab and (not run or joined):
            run.append(i)
            continue
        if run:
            yield run
        run = [i] if vocab else []
    if run:
        yield run


def _word(toks: list[_Tok], i: int) -> str:
    return toks[i].low.rstrip(".") if 0 <= i < len(toks) else ""


def _acceptable(text: str, toks: list[_Tok], i: int, j: int, typ: str, value: str) -> bool:
    """Guards against frequent false positives; i..j are inclusive token indices."""
    span = text[toks[i].start : toks[j].end]
    words = [_word(toks, k) for k in range(i, j + 1)]
    prev, nxt = _word(toks, i - 1), _word(toks, j + 1)
    first = words[0]
    if nxt in ("anniversary", "old") or nxt.startswith("year-old"):
        return False
    # month names: capitalised, and "May"/"March" or bare abbreviations need context
    month_words = [w for w in words if w in _MONTH_WORDS]
    if month_words and len(words) == 1:
        raw = span
        if not raw[:1].isupper():
            return False
        if first in ("may", "march") and prev not in _MONTH_CONTEXT:
            return False
        if first in _ABBREVIATIONS and not raw.endswith("."):
            return False
    if first in ("may", "march") and not span[:1].isupper():
        return False
    if first in _ABBREVIATIONS and len(words) == 1:
        return False
    bare_season = len(words) == 1 and prev not in _SEASON_CONTEXT
    if len(words) <= 2 and words[-1] in _SEASON_WORDS and (nxt == "of" or bare_season):
        return False  # "the fall of Kabul", "prices fall"
    # "to" counts only in "up to 2000 troops"; "from 1991 to 1997" is a range of years.
    quantity = prev in _QUANTITY_BEFORE and (prev != "to" or _word(toks, i - 2) == "up")
    if re.fullmatch(r"\d{4}", span) and (
        quantity or nxt in _COUNT_NOUNS or not 1900 <= int(span) <= 2099
    ):
        return False  # "some 2000 troops"
    if typ == "DURATION":
        if len(words) == 1 and not words[0][:1].isdigit() and "-" not in words[0]:
            return prev in ("for", "over") and words[0].endswith("s")
        if words in (["a", "second"], ["the", "second"]):
            return False
    if first in ("present", "current", "once", "later", "future", "past") and len(words) == 1:
        return False
    return not (value.startswith("P") and words[-1] in ("a", "an"))


_MONTH_WORDS = _wordset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_SEASON_WORDS = _wordset("spring summer fall autumn winter")


def scan_timexes(
    text: str, anchor: dt.date | None, normalise: Normaliser
) -> list[tuple[int, int, TimeType, str]]:
    """(start, end, type, value) for each non-overlapping expression in ``text``."""
    toks = _tokens(text)
    found: list[tuple[int, int, TimeType, str]] = []
    for run in _runs(text, toks):
        k = 0
        while k < len(run):
            i = run[k]
            hit = None
            for j in range(min(run[-1], i + MAX_TOKENS - 1), i - 1, -1):
                if not _span_ok(text, toks, i, j):
                    continue
                res = normalise(text[toks[i].start : toks[j].end], anchor)
                if res and _acceptable(text, toks, i, j, res[0], res[1]):
                    hit = (j, res)
                    break
            if hit is None:
                k += 1
                continue
            j, (typ, value) = hit
            found.append((toks[i].start, toks[j].end, typ, value))
            k = run.index(j) + 1
    return found


def _span_ok(text: str, toks: list[_Tok], i: int, j: int) -> bool:
    first, last = _word(toks, i), _word(toks, j)
    if last in _NO_END:
        return False
    if first in _NO_START:
        low = text[toks[i].start : toks[j].end].lower()
        return first == "in" and low.startswith(_PREFIX_OK)
    return True
