"""Rule-based TIMEX3 normalisation anchored on an article's publication date.

``normalise_timex`` maps a whole phrase (for instance the text of a spaCy DATE entity)
to a TimeML ``(type, value)`` pair; ``find_timexes`` scans raw text.  The calendar
rules that resolve relative expressions live in :mod:`sitrep.extract.timex_anchor`.
With ``anchor=None`` only absolute expressions (dates with a year, bare years,
decades, centuries) and anchor-free values (durations, sets, *_REF) normalise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from sitrep.extract import timex_anchor as ta
from sitrep.extract.timex_scan import scan_timexes

__all__ = ["TimexMatch", "find_timexes", "normalise_timex"]

Result = tuple[str, str]


@dataclass(frozen=True, slots=True)
class TimexMatch:
    start: int
    end: int
    text: str
    type: str  # "DATE" | "TIME" | "DURATION" | "SET"
    value: str


# --------------------------------------------------------------------------- lexicon


def _words(text: str) -> list[str]:
    return text.split()


MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        "january jan",
        "february feb",
        "march mar",
        "april apr",
        "may",
        "june jun",
        "july jul",
        "august aug",
        "september sept sep",
        "october oct",
        "november nov",
        "december dec",
    ),
    start=1,
):
    for _n in _names.split():
        MONTHS[_n] = _i

WEEKDAYS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        "monday mon",
        "tuesday tues tue",
        "wednesday wed",
        "thursday thurs thur thu",
        "friday fri",
        "saturday sat",
        "sunday sun",
    )
):
    for _n in _names.split():
        WEEKDAYS[_n] = _i

SEASON_NAMES = {"spring": 0, "summer": 1, "fall": 2, "autumn": 2, "winter": 3}
PARTS_OF_DAY = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "overnight": "NI",
    "dawn": "MO",
    "dusk": "EV",
}
_SMALL = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
)
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_SMALL)}
NUMBER_WORDS.update({"a": 1, "an": 1, "a dozen": 12, "a couple of": 2, "a couple": 2})
NUMBER_WORDS.update({"couple of": 2, "a pair of": 2, "a hundred": 100, "hundred": 100})
for _i, _tens in enumerate(_words("thirty forty fifty sixty seventy eighty ninety"), start=3):
    NUMBER_WORDS[_tens] = _i * 10
VAGUE_NUMBERS = ("a few", "few", "several", "some", "many", "numerous", "recent", "coming")
ORDINALS = {w: i for i, w in enumerate(_words("first second third fourth"), start=1)}

# unit -> (is_time_unit, letter, multiplier)
UNITS: dict[str, tuple[bool, str, int]] = {
    "second": (True, "S", 1),
    "sec": (True, "S", 1),
    "minute": (True, "M", 1),
    "min": (True, "M", 1),
    "hour": (True, "H", 1),
    "hr": (True, "H", 1),
    "day": (False, "D", 1),
    "night": (False, "D", 1),
    "week": (False, "W", 1),
    "fortnight": (False, "W", 2),
    "month": (False, "M", 1),
    "year": (False, "Y", 1),
    "yr": (False, "Y", 1),
    "decade": (False, "Y", 10),
    "century": (False, "Y", 100),
    "centurie": (False, "Y", 100),
    "quarter": (False, "M", 3),
}


def _alt(words: object) -> str:
    return "|".join(sorted(map(str, words), key=len, reverse=True))  # type: ignore[call-overload]


MONTH_RE = _alt(MONTHS)
WD_RE = _alt(WEEKDAYS)
UNIT_RE = rf"(?:(?:more|additional|further|trading|business|working|calendar) )?(?:{_alt(UNITS)})s?"
_NUMWORD = _alt(k for k in NUMBER_WORDS if " " not in k and k not in ("a", "an"))
NUM_RE = (
    rf"(?:\d{{1,3}}(?:\.\d+)?|(?:{_NUMWORD})(?: (?:{_NUMWORD}))?|a dozen|a couple(?: of)?"
    rf"|couple of|a pair of|a hundred|a|an|{_alt(VAGUE_NUMBERS)})"
)
DAYNUM_RE = r"(?:the )?(\d{1,2})(?:st|nd|rd|th)?"
YEAR_RE = r"(\d{4}|'\d{2})"
TIME_RE = (
    r"(?:(\d{1,2})(?::(\d{2}))? ?(am|pm)|(\d{1,2}):(\d{2})|(noon|midday|midnight)"
    r"|([01]\d|2[0-3])([0-5]\d) ?(?:gmt|utc|hrs|hours|local time|z))"
    r"(?: (?:local time|gmt|utc|[a-z]?[a-z]st|[a-z]dt|z))?"
)


def _number(text: str) -> int | None:
    """Parse a number phrase; None for vague quantities ("several")."""
    text = text.strip()
    if text in VAGUE_NUMBERS:
        return None
    if text.replace(".", "", 1).isdigit():
        return int(float(text)) if float(text).is_integer() else None
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    parts = text.split()
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


def _unit(text: str) -> tuple[bool, str, int]:
    text = text.split()[-1]
    text = text.rstrip("s") if text not in UNITS else text
    return UNITS.get(text) or UNITS[text + "s"]


def _duration(num: int | None, unit: str) -> str:
    is_time, letter, mult = _unit(unit)
    t = "T" if is_time else ""
    if num is None:
        return f"P{t}X{letter}"
    return f"P{t}{num * mult}{letter}"


# --------------------------------------------------------------------------- cleaning


def clean(phrase: str) -> str:
    """Lower-case and normalise punctuation so the grammar can stay simple."""
    s = phrase.strip().lower().replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"\b([ap])\.\s?m\b\.?", r"\1m", s)
    s = re.sub(r"(?<=\d)'s\b", "s", s)
    s = re.sub(r"(?<=[a-z])'s\b", "", s)
    s = re.sub(r"(?<=[a-z])\.", " ", s)
    s = re.sub(r"(?<=[a-z])-|-(?=[a-z])", " ", s)
    s = re.sub(r"[^\w:'/.\- ]", " ", s)
    s = re.sub(r"(?<!\d)[:./]|[:./](?!\d)", " ", s)
    s = re.sub(r"'(?!\d)", " ", s)
    return " ".join(s.split())


_LEAD_STRIP = re.compile(
    r"^(?:in|on|at|since|until|till|by|from|during|before|after|as of|starting|beginning"
    r"|through|throughout|around|about|approximately|roughly|nearly|almost|just|only"
    r"|more than|less than|at least|at most|up to|some|over|under|within|fiscal|the|of"
    r"|early|late|mid|earlier|later|the end of|end of|the beginning of|the start of"
    r"|start of|the middle of|the first half of|the second half of|year end|year to date"
    r"|the rest of|the remainder of|the close of) "
)
_REF: dict[str, str] = {}
for _v, _ws in (
    (
        "PRESENT_REF",
        "now|right now|just now|currently|current|at present|presently|the present|present"
        "|at the moment|at this moment|for now|for the moment|these days|nowadays|today's"
        "|at this time|this time|the moment|this moment|the current period|time being",
    ),
    (
        "PAST_REF",
        "recently|lately|in the past|the past|previously|formerly|in recent days"
        "|in recent weeks|in recent months|in recent years|in recent times|in the recent past"
        "|the recent past|some time ago|a while ago|long ago|years ago|decades ago|days ago"
        "|months ago|weeks ago|a few days ago|a few weeks ago|a few months ago"
        "|a few years ago|several days ago|several weeks ago|several months ago"
        "|several years ago|many years ago|once|recent|the recent period",
    ),
    (
        "FUTURE_REF",
        "soon|in the future|the future|future|in the near future|the near future|shortly"
        "|in the coming days|in the coming weeks|in the coming months|in the coming years"
        "|in days|in weeks|in months|in years to come|as soon as possible|eventually"
        "|in the days ahead|in the weeks ahead|in the months ahead|in the years ahead"
        "|in the longer term|in the long term|in the long run|later|the near term|near term"
        "|the short term|the longer term|the long term|in the near term|in the short term"
        "|the days ahead|the weeks ahead|the months ahead|the years ahead",
    ),
):
    for _w in _ws.split("|"):
        _REF[_w] = _v

_SETS: dict[str, str] = {
    "daily": "P1D",
    "nightly": "P1D",
    "weekly": "P1W",
    "biweekly": "P2W",
    "fortnightly": "P2W",
    "monthly": "P1M",
    "quarterly": "P3M",
    "yearly": "P1Y",
    "annually": "P1Y",
    "annual": "P1Y",
    "hourly": "PT1H",
    "every day": "P1D",
    "each day": "P1D",
    "every night": "P1D",
    "per day": "P1D",
    "a day": "P1D",
    "day by day": "P1D",
}
_VAGUE_DURATIONS = ("a while", "a long time", "some time", "a short time", "a long while")


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
    if is_time or letter in "DW":
        days = num * mult * (7 if letter == "W" else 1) if not is_time else 0
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


def _strip_modifiers(s: str) -> str:
    s = re.sub(r" (?:or so|or thereabouts)$", "", s)
    prev = None
    while prev != s:
        prev = s
        s = _LEAD_STRIP.sub("", s)
        s = re.sub(r"^(?:the )?(?:end|beginning|start|middle|close|turn) of (?:the )?", "", s)
        s = re.sub(r" (?:period|timeframe|time frame|alone)$", "", s)
    return s


def _date(s: str, anchor: dt.date | None) -> Result | None:
    if re.match(r"(?:over |for |in |during )?the (?:past|last|next|coming|previous|following) ", s):
        return None  # "the past week" is a duration
    special = _d_relative_more(re.sub(r"^(?:over |during |in |on |at |for )", "", s), anchor)
    if special:
        return ("DATE", special)
    s = _years_in_words(s).replace("fiscal ", "")
    bounded = re.search(r"\b(?:end|beginning|start|middle|close|turn) of (?:the )?(\w+)$", s)
    s = _strip_modifiers(s)
    if bounded and s in ("year", "month", "week", "quarter"):
        s = f"this {s}"  # "the end of the year"
    for rule in _DATE_RULES:
        value = rule(s, anchor)
        if value:
            return ("TIME" if "T" in value and value[:1].isdigit() else "DATE", value)
    return None


# The date rules return a bare value string (or None).
DateRule = Callable[[str, dt.date | None], str | None]

_RELDAY = {
    "today": 0,
    "this day": 0,
    "tonight": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "day before yesterday": -2,
    "the day after tomorrow": 2,
    "day after tomorrow": 2,
    "last night": -1,
}


def _d_relday(s: str, anchor: dt.date | None) -> str | None:
    if anchor is None or s not in _RELDAY:
        return None
    value = ta.shift_days(anchor, _RELDAY[s]).isoformat()
    return value + "TNI" if s in ("tonight", "last night") else value


def _d_weekday(s: str, anchor: dt.date | None) -> str | None:
    m = re.fullmatch(rf"(last|past|this|this coming|coming|next)? ?({WD_RE})", s)
    if not m or anchor is None:
        return None
    wd = WEEKDAYS[m.group(2)]
    mod = m.group(1)
    if mod in ("last", "past"):
        return ta.weekday_before(anchor, wd).isoformat()
    if mod in ("next", "this coming", "coming"):
        return ta.weekday_after(anchor, wd).isoformat()
    if mod == "this":
        return ta.weekday_this_week(anchor, wd).isoformat()
    return ta.weekday_on_or_before(anchor, wd).isoformat()


def _year(text: str, anchor: dt.date | None) -> int:
    if text.startswith("'"):
        return ta.resolve_two_digit_year(anchor, int(text[1:]))
    return int(text)


def _d_calendar(s: str, anchor: dt.date | None) -> str | None:
    s = re.sub(rf"^(?:{WD_RE}) ", "", s)
    s = re.sub(rf" (?:{WD_RE})$", "", s)
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)|(\d{4})-(\d\d)", s)
    if m:
        return s if ta._safe_date(int(s[:4]), int(s[5:7]), int(m.group(3) or 1)) else None
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 >= b or a == b:
            day, month = a, b
        elif b > 12 >= a:
            day, month = b, a
        else:
            return None
        return f"{y}-{month:02d}-{day:02d}" if ta._safe_date(y, month, day) else None
    m = re.fullmatch(rf"{DAYNUM_RE} (?:of )?({MONTH_RE})(?: of)?(?: {YEAR_RE})?", s)
    n = re.fullmatch(rf"({MONTH_RE}) {DAYNUM_RE}(?: {YEAR_RE})?", s)
    if m or n:
        if m:
            day, month, ytxt = int(m.group(1)), MONTHS[m.group(2)], m.group(3)
        else:
            assert n is not None
            day, month, ytxt = int(n.group(2)), MONTHS[n.group(1)], n.group(3)
        if ytxt:
            y = _year(ytxt, anchor)
            return f"{y}-{month:02d}-{day:02d}" if ta._safe_date(y, month, day) else None
        if anchor is None:
            return None
        found = ta.resolve_month_day(anchor, month, day)
        return found.isoformat() if found else None
    m = re.fullmatch(rf"(last|this|next|past|coming)? ?({MONTH_RE})(?: of)?(?: {YEAR_RE})?", s)
    if m:
        month, mod = MONTHS[m.group(2)], m.group(1)
        if m.group(3):
            return None if mod else f"{_year(m.group(3), anchor)}-{month:02d}"
        if anchor is None:
            return None
        if mod in ("last", "past"):
            y, month = ta.last_month_named(anchor, month)
        elif mod in ("next", "coming"):
            y, month = ta.next_month_named(anchor, month)
        elif mod == "this":
            y = anchor.year
        else:
            y, month = ta.resolve_month(anchor, month)
        return f"{y}-{month:02d}"
    return None


_DECADE_WORDS = {
    w: i
    for i, w in enumerate(
        _words("twenties thirties forties fifties sixties seventies eighties nineties"), start=2
    )
}


def _word_year(s: str) -> int | None:
    """'nineteen ninety six' -> 1996, 'two thousand (and) three' -> 2003."""
    m = re.fullmatch(r"(nineteen|eighteen|twenty) (.+)", s)
    if m:
        rest = _number(m.group(2))
        if rest is not None and 10 <= rest <= 99:
            return NUMBER_WORDS[m.group(1)] * 100 + rest
    m = re.fullmatch(r"two thousand(?: (?:and )?(.+))?", s)
    if m:
        rest = _number(m.group(1)) if m.group(1) else 0
        return 2000 + rest if rest is not None and rest < 100 else None
    return None


def _d_year(s: str, anchor: dt.date | None) -> str | None:
    s = re.sub(r"^(?:the )?(?:year|calendar year|fiscal year|fiscal|fy) ", "", s)
    word_year = _word_year(s)
    if word_year:
        return str(word_year)
    m = re.fullmatch(r"(?:the )?(?:early |late |mid )?(" + _alt(_DECADE_WORDS) + ")", s)
    if m:
        return str(ta.resolve_decade(anchor, _DECADE_WORDS[m.group(1)] * 10))
    m = re.fullmatch(r"(?:the )?(?:fy ?)?(\d{4}|'\d\d)", s)
    if m:
        year = _year(m.group(1), anchor)
        return str(year) if 1000 <= year <= 2199 else None
    m = re.fullmatch(r"(?:the )?(\d{3})0s|(?:the )?'?(\d)0s", s)
    if m:
        if m.group(1):
            return m.group(1)
        return str(ta.resolve_decade(anchor, int(m.group(2)) * 10))
    m = re.fullmatch(r"(?:the )?(\d{1,2})(?:st|nd|rd|th) century", s)
    if m:
        return f"{int(m.group(1)) - 1:02d}"
    return None


_SHIFT = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1}
_SHIFT.update({"coming": 1, "the coming": 1, "the current": 0, "the previous": -1})
_SHIFT.update({"the past": -1, "a": -1, "one": -1})
_WORD_YEAR_RE = re.compile(
    r"\b(?:(?:nineteen|eighteen|twenty) (?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty"
    r"|ninety)(?: (?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
    r"|two thousand(?: (?:and )?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)\b"
)


def _years_in_words(s: str) -> str:
    """Replace spoken years ('nineteen ninety six') by digits."""
    return _WORD_YEAR_RE.sub(lambda m: str(_word_year(m.group()) or m.group()), s)


def _d_relative(s: str, anchor: dt.date | None) -> str | None:
    if anchor is None:
        return None
    m = re.fullmatch(
        r"(last|previous|this|current|next|coming|the coming|the current|the previous)"
        r" (week|weekend|month|year|quarter|decade|century)",
        s,
    )
    if not m:
        m = re.fullmatch(r"(a|one) (year) (?:earlier|ago|before)|(year|last year) (ago|earlier)", s)
    if not m:
        return _d_relative_more(s, anchor)
    if m.re.groups > 2 and m.group(3):
        return str(anchor.year - 1)
    shift, unit = _SHIFT[m.group(1)], m.group(2)
    if unit in ("week", "weekend"):
        value = ta.iso_week_value(ta.shift_days(anchor, 7 * shift))
        return value + "-WE" if unit == "weekend" else value
    if unit == "month":
        y, mo = ta.shift_months(anchor.year, anchor.month, shift)
        return f"{y}-{mo:02d}"
    if unit == "quarter":
        return ta.shift_quarter(anchor, shift)
    if unit == "decade":
        return str(anchor.year // 10 + shift)
    if unit == "century":
        return str(anchor.year // 100 + shift)
    return str(anchor.year + shift)


_HOLIDAYS = {
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "new year day": (1, 1),
    "new years day": (1, 1),
    "new year eve": (12, 31),
    "new years eve": (12, 31),
    "halloween": (10, 31),
    "valentine day": (2, 14),
    "valentines day": (2, 14),
    "independence day": (7, 4),
    "thanksgiving": (11, 0),
    "thanksgiving day": (11, 0),
}


def _holiday(anchor: dt.date, name: str) -> dt.date | None:
    month, day = _HOLIDAYS[name]
    if day:
        return ta.resolve_month_day(anchor, month, day)
    # US Thanksgiving: fourth Thursday of November, resolved like a month-day.
    first = ta.resolve_month_day(anchor, 11, 1) or dt.date(anchor.year - 1, 11, 1)
    thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
    return thursday if thursday <= ta.shift_days(anchor, ta.FUTURE_WINDOW_DAYS) else None


def _d_relative_more(s: str, anchor: dt.date | None) -> str | None:
    if anchor is None:
        return None
    m = re.fullmatch(r"(?:this|that) (?:day|date|time|week|month) (last|next) year", s)
    if m:
        return str(anchor.year + (1 if m.group(1) == "next" else -1))
    m = re.fullmatch(rf"({MONTH_RE})(?: of)? (last|this|next) year", s)
    if m:
        return f"{anchor.year + _SHIFT[m.group(2)]}-{MONTHS[m.group(1)]:02d}"
    m = re.fullmatch(rf"({WD_RE}) (last|this|next) week", s)
    if m:
        week_day = ta.shift_days(anchor, 7 * _SHIFT[m.group(2)])
        return ta.weekday_this_week(week_day, WEEKDAYS[m.group(1)]).isoformat()
    if s in ("the weekend", "weekend"):
        # Mon-Wed look back at the weekend just gone, Thu-Sun at the current week's.
        back = 7 if anchor.weekday() < 3 else 0
        return ta.iso_week_value(ta.shift_days(anchor, -back)) + "-WE"
    if s in ("the quarter", "the latest quarter", "the most recent quarter", "latest quarter"):
        return ta.shift_quarter(anchor, -1)  # the most recently completed (reported) quarter
    if s in _HOLIDAYS:
        found = _holiday(anchor, s)
        return found.isoformat() if found else None
    if s in ("year end", "the year end"):
        return f"{anchor.year}-12-31"
    return None


def _d_season_quarter(s: str, anchor: dt.date | None) -> str | None:
    seasons = _alt(SEASON_NAMES)
    m = re.fullmatch(rf"({seasons})(?: of)? (\d{{4}}|'\d\d)", s)
    if m:
        return f"{_year(m.group(2), anchor)}-{ta.SEASONS[SEASON_NAMES[m.group(1)]]}"
    m = re.fullmatch(rf"(?:(last|past|this|next|coming) )?({seasons})", s)
    if m and anchor is not None:
        season, mod = SEASON_NAMES[m.group(2)], m.group(1)
        if mod in ("last", "past"):
            return ta.last_season(anchor, season)
        if mod in ("next", "coming"):
            return ta.next_season(anchor, season)
        return ta.this_season(anchor, season)
    ords = _alt(ORDINALS)
    m = re.fullmatch(rf"(?:the )?(?:fiscal )?({ords}|q[1-4]) quarter(?: of)?(?: (\d{{4}}))?", s)
    m = m or re.fullmatch(r"(q[1-4])(?: (\d{4}))?", s)
    y = re.fullmatch(rf"(?:the )?(\d{{4}}) (?:fiscal )?({ords}|q[1-4])(?: quarter)?", s)
    if y:
        return f"{y.group(1)}-Q{ORDINALS.get(y.group(2)) or int(y.group(2)[1])}"
    if m:
        q = ORDINALS.get(m.group(1)) or int(m.group(1)[1])
        if m.group(2):
            return f"{m.group(2)}-Q{q}"
        return f"{ta.resolve_quarter(anchor, q)}-Q{q}" if anchor else None
    m = re.fullmatch(r"(?:the )?(first|second) half(?: of)?(?: (\d{4}))?", s)
    if m and (m.group(2) or anchor):
        year = m.group(2) or (str(anchor.year) if anchor else "")
        return f"{year}-H{ORDINALS[m.group(1)]}"
    return None


def _d_this_year_alias(s: str, anchor: dt.date | None) -> str | None:
    if anchor is None:
        return None
    if s in ("the current year", "the current month", "the current week"):
        unit = s.split()[-1]
        return _d_relative(f"this {unit}", anchor)
    return None


_DATE_RULES: tuple[DateRule, ...] = (
    _d_relday,
    _d_weekday,
    _d_calendar,
    _d_year,
    _d_relative,
    _d_season_quarter,
    _d_this_year_alias,
)


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


def normalise_exact(phrase: str, anchor: dt.date | None) -> Result | None:
    """Normalise ``phrase`` only if the whole of it is understood."""
    s = clean(phrase)
    if not s or _BLOCK.search(s):
        return None
    for handler in _HANDLERS:
        res = handler(s, anchor)
        if res:
            return res
    return None


def normalise_timex(phrase: str, anchor: dt.date | None) -> tuple[str, str] | None:
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
