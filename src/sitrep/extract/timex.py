"""Rule-based TIMEX3 normalisation anchored on an article's publication date.

``normalise_timex`` maps a whole phrase (for instance the text of a spaCy DATE entity)
to a TimeML ``(type, value)`` pair; ``find_timexes`` scans raw text.  The calendar
rules that resolve relative expressions live in :mod:`sitrep.extract.timex_anchor`, the
lexicon and phrase cleaning in :mod:`sitrep.extract.timex_lexicon`, the date rules in
:mod:`sitrep.extract.timex_dates` and the raw-text scanner in
:mod:`sitrep.extract.timex_scan`; this module holds the other handlers (references, sets,
"ago", durations, clock times) and the public API.
With ``anchor=None`` only absolute expressions (dates with a year, bare years,
decades, centuries) and anchor-free values (durations, sets, *_REF) normalise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from sitrep.extract import timex_anchor as ta
from sitrep.extract.timex_dates import _date
from sitrep.extract.timex_lexicon import (
    _REF,
    _SETS,
    _VAGUE_DURATIONS,
    MONTH_RE,
    MONTHS,
    NUM_RE,
    PARTS_OF_DAY,
    TIME_RE,
    UNIT_RE,
    UNITS,
    VAGUE_NUMBERS,
    WD_RE,
    WEEKDAYS,
    Result,
    _alt,
    _duration,
    _number,
    _unit,
    clean,
)
from sitrep.extract.timex_scan import scan_timexes
from sitrep.model.vocab import TimeType

__all__ = ["MONTHS", "WEEKDAYS", "TimexMatch", "clean", "find_timexes", "normalise_timex"]


@dataclass(frozen=True, slots=True)
class TimexMatch:
    start: int
    end: int
    text: str
    type: TimeType
    value: str


# --------------------------------------------------------------------------- handlers
Handler = Callable[[str, dt.date | None], Result | None]


def _ref(s: str, anchor: dt.date | None) -> Result | None:
    value = _REF.get(s)
    return ("DATE", value) if value else None


def _set(s: str, anchor: dt.date | None) -> Result | None:
    s = re.sub(r"^(?:once|twice|thrice|\w+ times) ", "", s)
    if s in _SETS and s != "a day":
        return ("SET", _SETS[s])
    m = re.fullmatch(rf"(?:every|each|per|a|an|once a|twice a) (?:(\S+(?: \S+)?) )?({UNIT_RE})", s)
    if m and not (s.startswith(("a ", "an ")) and m.group(1)):
        num = _number(m.group(1)) if m.group(1) else 1
        if num is not None and m.group(1) not in ("a", "an") and not s.startswith(("a ", "an ")):
            return ("SET", _duration(num, m.group(2)))
    m = re.fullmatch(
        rf"(?:every |each |on )?(?:({WD_RE})s|(?:every|each) ({WD_RE}))"
        r"(?: (morning|afternoon|evening|night)s?)?",
        s,
    )
    if m:
        pod = f"T{PARTS_OF_DAY[m.group(3)]}" if m.group(3) else ""
        return ("SET", f"XXXX-WXX-{WEEKDAYS[m.group(1) or m.group(2)] + 1}{pod}")
    m = re.fullmatch(rf"(?:every|each) ({MONTH_RE})", s)
    if m:
        return ("SET", f"XXXX-{MONTHS[m.group(1)]:02d}")
    m = re.fullmatch(r"(?:every|each) (morning|afternoon|evening|night)|(mornings|evenings)", s)
    if m:
        return ("SET", f"XXXX-XX-XXT{PARTS_OF_DAY[(m.group(1) or m.group(2)).rstrip('s')]}")
    return None


def _ago(s: str, anchor: dt.date | None) -> Result | None:
    s = re.sub(
        r"^(?:about|almost|nearly|around|roughly|some|just|only|more than|less than"
        r"|over|at least|barely|approximately|exactly|precisely) ",
        "",
        s,
    )
    m = re.fullmatch(rf"({NUM_RE}) ({UNIT_RE})(?: or so)? (ago|from now|from today|hence)", s)
    if not m or anchor is None:
        return None
    num = _number(m.group(1))
    if num is None:
        return ("DATE", "PAST_REF" if m.group(3) == "ago" else "FUTURE_REF")
    sign = -1 if m.group(3) == "ago" else 1
    is_time, letter, mult = _unit(m.group(2))
    if letter == "W" and not is_time:
        # TimeML keeps the unit's granularity: "six weeks ago" is a week, not a day.
        return ("DATE", ta.iso_week_value(ta.shift_days(anchor, sign * num * mult * 7)))
    if is_time or letter == "D":
        days = num * mult if not is_time else 0
        return ("DATE", ta.shift_days(anchor, sign * days).isoformat())
    if letter == "M":
        y, mo = ta.shift_months(anchor.year, anchor.month, sign * num * mult)
        return ("DATE", f"{y}-{mo:02d}")
    return ("DATE", str(anchor.year + sign * num * mult))


_DUR_PRE = (
    r"(?:for|the|past|last|next|coming|first|final|over|about|around|nearly|almost|more than"
    r"|less than|at least|up to|within|some|another|just|only|roughly|approximately|under"
    r"|recent|entire|whole|full|all|in|following|previous|preceding|latest|better part of"
    r"|an additional|additional|a further|further|close to|the better part of|fiscal)"
)


def _dur(s: str, anchor: dt.date | None) -> Result | None:
    if s in _VAGUE_DURATIONS:
        return ("DURATION", "PXX")
    if re.match(r"(?:last|next|this|coming|previous) (?:week|month|year|quarter|decade)", s):
        return None  # anchored dates, not durations, even when the anchor is unknown
    s = re.sub(r" (?:long|old|earlier|later|before|after|or so|or more|or less|running)$", "", s)
    s = re.sub(rf"^(?:{_DUR_PRE} )+", "", s)
    m = re.fullmatch(r"half (?:an|a) (hour|day|year)", s)
    if m:
        return ("DURATION", {"hour": "PT30M", "day": "PT12H", "year": "P6M"}[m.group(1)])
    m = re.fullmatch(
        rf"(?:({NUM_RE})(?: and a half| 1/2) ({UNIT_RE})|(an?|one) ({UNIT_RE}) and a half)", s
    )
    if m:
        num = _number(m.group(1) or "one")
        unit = m.group(2) or m.group(4)
        is_time, letter, mult = _unit(unit)
        if num is not None and mult == 1 and letter in "HYD":
            half = {"H": "30M", "Y": "6M", "D": "T12H"}[letter]
            return ("DURATION", f"P{'T' if is_time else ''}{num}{letter}{half}")
    m = re.fullmatch(rf"(?:({NUM_RE}) )?({UNIT_RE})", s)
    if not m:
        return None
    raw, unit = m.group(1), m.group(2)
    if raw is None and unit.endswith("s") and unit.rstrip("s") in UNITS:
        return ("DURATION", _duration(None, unit))  # "years", "decades"
    num = 1 if raw is None else _number(raw)
    if raw is not None and num is None and raw not in VAGUE_NUMBERS:
        return None
    return ("DURATION", _duration(num, unit))


def _time_of_day(m: re.Match[str]) -> str | None:
    if m.group(3):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m.group(3) == "pm" else 0)
    elif m.group(4):
        hour, minute = int(m.group(4)), int(m.group(5))
    elif m.group(6):
        return "24:00" if m.group(6) == "midnight" else "12:00"
    else:
        hour, minute = int(m.group(7)), int(m.group(8))
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _day_value(text: str, anchor: dt.date | None) -> str | None:
    """A phrase that must resolve to a full calendar date (YYYY-MM-DD)."""
    if not text:
        return anchor.isoformat() if anchor else None
    res = _date(text, anchor)
    if res and re.fullmatch(r"\d{4}-\d\d-\d\d", res[1]):
        return res[1]
    return None


def _with_time(s: str, anchor: dt.date | None) -> Result | None:
    s = re.sub(
        r"^(?:at|around|about|by|from|until|before|after|shortly before"
        r"|shortly after|just before|just after|some time|sometime) ",
        "",
        s,
    )
    s = re.sub(
        r"^(\d{1,2})(?::(\d\d))? (?:o'?clock )?(in the morning|in the afternoon|in the evening"
        r"|at night)",
        lambda m: (
            f"{m.group(1)}{':' + m.group(2) if m.group(2) else ''} "
            + ("am" if m.group(3) == "in the morning" else "pm")
        ),
        s,
    )
    m = re.fullmatch(rf"(?P<tm>{TIME_RE})(?: (?:on|of|in the))? ?(?P<rest>.*)", s)
    if m:
        tm = re.fullmatch(TIME_RE, m.group("tm"))
        date = _day_value(m.group("rest"), anchor) if tm else None
        if tm and date and (clock := _time_of_day(tm)):
            return ("TIME", f"{date}T{clock}")
        return None
    m = re.fullmatch(rf"(.+?)(?: at| around)? (?P<tm>{TIME_RE})", s)
    if m:
        tm = re.fullmatch(TIME_RE, m.group("tm"))
        date = _day_value(m.group(1), anchor)
        if tm and date and (clock := _time_of_day(tm)):
            return ("TIME", f"{date}T{clock}")
        return None
    pods = _alt(PARTS_OF_DAY)
    m = re.fullmatch(rf"(?:(.+?) )?(?:early |late |mid )?({pods})", s) or re.fullmatch(
        rf"(?:early |late |mid )?(?:the )?(?:early hours|small hours|({pods}))(?: of)? (.+)", s
    )
    if m and anchor is not None:
        if s.endswith(tuple(PARTS_OF_DAY)):
            head, pod = m.group(1) or "", m.group(2)
        else:
            head, pod = m.group(2), m.group(1) or "night"
        head = re.sub(r"^(?:in )?(?:the )?(?:early |late )?", "", head)
        if head in ("this", "the", "in the", ""):
            day: str | None = anchor.isoformat()
        elif head in ("last", "yesterday"):
            day = ta.shift_days(anchor, -1).isoformat()
        else:
            day = _day_value(head, anchor)
        if day:
            return ("TIME", f"{day}T{PARTS_OF_DAY[pod]}")
    return None


_HANDLERS: tuple[Handler, ...] = (_ref, _set, _ago, _date, _with_time, _dur)
_BLOCK = re.compile(r"\b(?:anniversary|old|olds|aged|age)\b")


@lru_cache(maxsize=16384)
def normalise_exact(phrase: str, anchor: dt.date | None) -> Result | None:
    """Normalise ``phrase`` only if the whole of it is understood. Pure, and asked for the
    same few phrases over and over by the scanner ("on Monday", "last year"): cached."""
    s = clean(phrase)
    if not s or _BLOCK.search(s):
        return None
    for handler in _HANDLERS:
        res = handler(s, anchor)
        if res:
            return res
    return None


def normalise_timex(phrase: str, anchor: dt.date | None) -> Result | None:
    """(TIMEX3 type, value) for a whole phrase, or None when it cannot be normalised.

    Falls back to the longest expression that :func:`find_timexes` finds inside the
    phrase, so "this day last year" yields the value of "last year".
    """
    res = normalise_exact(phrase, anchor)
    if res or _BLOCK.search(clean(phrase)):
        return res
    found = find_timexes(phrase, anchor)
    if not found:
        return None
    best = max(found, key=lambda t: t.end - t.start)
    return (best.type, best.value)


def find_timexes(text: str, anchor: dt.date | None) -> list[TimexMatch]:
    """Scan raw text; non-overlapping matches sorted by offset."""
    return [
        TimexMatch(start, end, text[start:end], typ, value)
        for start, end, typ, value in scan_timexes(text, anchor, normalise_exact)
    ]
