"""Lexicon, number words and phrase cleaning for the TIMEX3 normaliser."""

from __future__ import annotations

import re

from sitrep.model.vocab import TimeType

# (TIMEX3 type, value)
Result = tuple[TimeType, str]


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
