"""Date rules of the TIMEX3 normaliser: calendar dates, years, relative periods."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from sitrep.extract import timex_anchor as ta
from sitrep.extract.timex_lexicon import (
    _LEAD_STRIP,
    DAYNUM_RE,
    MONTH_RE,
    MONTHS,
    NUMBER_WORDS,
    ORDINALS,
    SEASON_NAMES,
    WD_RE,
    WEEKDAYS,
    YEAR_RE,
    Result,
    _alt,
    _number,
    _words,
)


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
    "election day": (11, -1),
}


def _holiday_in(year: int, name: str) -> dt.date:
    month, day = _HOLIDAYS[name]
    if day > 0:
        return dt.date(year, month, day)
    first = dt.date(year, 11, 1)
    if day == 0:  # US Thanksgiving: the fourth Thursday of November
        return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
    # US Election Day: the Tuesday after the first Monday of November
    return first + dt.timedelta(days=(0 - first.weekday()) % 7 + 1)


def _holiday(anchor: dt.date, name: str, shift: int = 0) -> dt.date | None:
    """A holiday resolved like a month-day (latest in the future window); with ``shift``
    -1 ("last Thanksgiving") the latest strictly before the anchor, +1 the first after."""
    dates = [_holiday_in(y, name) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    if shift < 0:
        return max(d for d in dates if d < anchor)
    if shift > 0:
        return min(d for d in dates if d > anchor)
    limit = ta.shift_days(anchor, ta.FUTURE_WINDOW_DAYS)
    return max(d for d in dates if d <= limit)


def _d_relative_more(s: str, anchor: dt.date | None) -> str | None:
    if anchor is None:
        return None
    m = re.fullmatch(r"(?:this|that) (?:day|date|time|week|month) (last|next) year", s)
    if m:
        return str(anchor.year + (1 if m.group(1) == "next" else -1))
    m = re.fullmatch(rf"(last|this|next) year (?:fiscal )?({_alt(ORDINALS)}) (quarter|half)", s)
    if m and (m.group(3) == "quarter" or ORDINALS[m.group(2)] <= 2):
        letter = "Q" if m.group(3) == "quarter" else "H"
        return f"{anchor.year + _SHIFT[m.group(1)]}-{letter}{ORDINALS[m.group(2)]}"
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
    m = re.fullmatch(r"(last|next) (.+)", s)
    if m and m.group(2) in _HOLIDAYS:
        found = _holiday(anchor, m.group(2), _SHIFT[m.group(1)])
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
