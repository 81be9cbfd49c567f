"""Current news or background: is an event the news of the day, or history the article recalls?

An event is `background` when its own date ends more than `current_days` before publication
("in 2014" in a 2022 article), when its date is an unanchored past ("years ago"), or when its
clause names a period of history ("during the Second World War", "in the 18th century").
Everything else, including events still to come, is `current`. The cues are data
(`data/lexicons/timing.yaml`, with examples the tests check).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from sitrep.model import EventDate
from sitrep.model.vocab import EventTiming

if TYPE_CHECKING:
    from spacy.tokens import Token

CURRENT: EventTiming = "current"
BACKGROUND: EventTiming = "background"

_CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis", "csubj"}
_SEASON_END = {"WI": (3, 20), "SP": (6, 20), "SU": (9, 22), "FA": (12, 21)}


@dataclass(frozen=True, slots=True)
class TimingRules:
    current_days: int
    phrases: re.Pattern[str]
    patterns: tuple[re.Pattern[str], ...]
    examples: dict[str, list[dict[str, str]]]


def load_timing_rules() -> TimingRules:
    text = resources.files("sitrep").joinpath("data", "lexicons", "timing.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    phrases = sorted(data["history_phrases"], key=len, reverse=True)
    return TimingRules(
        current_days=int(data["current_days"]),
        phrases=re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b"),
        patterns=tuple(re.compile(p) for p in data["history_patterns"]),
        examples=data.get("examples", {}),
    )


def period_end(value: str) -> date | None:
    """The last day of an ISO-like date value (2014, 2022-03, 2022-03-04, 2022-W10, 2022-FA,
    2022-Q1, 2022-H2), or None when the value names no period (PRESENT_REF, …)."""
    m = re.fullmatch(
        r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-W(\d{2})|-(WI|SP|SU|FA)|-Q([1-4])|-H([12]))?", value[:10]
    )
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(3):
            return date(year, int(m.group(2)), int(m.group(3)))
        if m.group(2):
            month = int(m.group(2))
            return date(year, month, calendar.monthrange(year, month)[1])
        if m.group(4):
            return date.fromisocalendar(year, int(m.group(4)), 7)
        if m.group(5):
            month, day = _SEASON_END[m.group(5)]
            return date(year, month, day)
        if m.group(6):
            month = int(m.group(6)) * 3
            return date(year, month, calendar.monthrange(year, month)[1])
        if m.group(7):
            return date(year, 6, 30) if m.group(7) == "1" else date(year, 12, 31)
        return date(year, 12, 31)
    except ValueError:
        return None


def clause_text(token: Token) -> str:
    """The words of the trigger's own clause (not the clauses embedded in it), lower case."""
    head = token
    for _ in range(8):
        if head.pos_ in {"VERB", "AUX"} or head.head is head:
            break
        head = head.head
    tokens: list[Token] = []
    stack = [head]
    while stack:
        node = stack.pop()
        tokens.append(node)
        stack.extend(c for c in node.children if c.dep_ not in _CLAUSE_DEPS or c.i == token.i)
    return " ".join(t.lower_ for t in sorted(tokens, key=lambda t: t.i))


def event_timing(
    rules: TimingRules, token: Token, own_date: EventDate | None, anchor: date | None
) -> EventTiming:
    """`current` or `background` for the event whose trigger is `token`. `own_date` is the
    date found in the text that dates this event (anchoring.dates_the_event), if any: a date
    that only names another noun or starts a period up to now decides nothing."""
    if own_date is not None:
        if own_date.value == "PAST_REF":
            return BACKGROUND
        end = period_end(own_date.value)
        if end is not None and anchor is not None:
            if end < anchor - timedelta(days=rules.current_days):
                return BACKGROUND
            return CURRENT
    text = clause_text(token)
    if _dating_phrase(rules, text) or any(p.search(text) for p in rules.patterns):
        return BACKGROUND
    return CURRENT


def _dating_phrase(rules: TimingRules, text: str) -> bool:
    """A history phrase that dates the clause: one after "since" measures the act instead
    ("the largest build-up since the Cold War")."""
    for found in rules.phrases.finditer(text):
        before = text[: found.start()].split()[-2:]
        if "since" not in before:
            return True
    return False
