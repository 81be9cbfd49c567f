"""Time expressions normalised to TIMEX3 values against the publication date.

spaCy DATE/TIME entities and the rule scanner both propose spans; the longer of two
overlapping proposals wins ("noon Thursday" over "Thursday"). Year-less months, month-days
and weekdays are then read in the tense of the clause they modify: "will meet on Monday"
is the next Monday, "met in December" the last December.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from sitrep.extract import timex_anchor as ta
from sitrep.extract.context import ArticleContext
from sitrep.extract.timex import MONTHS, WEEKDAYS, clean, find_timexes, normalise_timex
from sitrep.model import Span, Time

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Words that are time-ish but rarely worth a record: vague adverbs TimeML leaves out and
# frequency adjectives that qualify money ("quarterly dividend").
_NOT_TIMES = frozenset(
    {"previously", "formerly", "soon", "shortly", "quarterly", "annual", "annually"}
    | {"biweekly", "recent", "the moment", "this time", "the day"}
)

_BARE_MONTH = re.compile(rf"^(?:in |on |by |until |since |early |late |mid )?({'|'.join(MONTHS)})$")
_BARE_MONTH_DAY = re.compile(
    rf"^(?:on |by |until |since )?({'|'.join(MONTHS)}) (\d{{1,2}})(?:st|nd|rd|th)?$"
)
_BARE_WEEKDAY = re.compile(rf"^(?:on |by |until )?({'|'.join(WEEKDAYS)})$")
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo"})
_FUTURE_VERBS = frozenset({"expect", "schedule", "plan", "due", "set", "intend", "hope"})


def _proposals(ctx: ArticleContext) -> list[Time]:
    found: list[Time] = []
    text = ctx.doc.text
    for ent in ctx.doc.ents:
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        normalised = normalise_timex(ent.text, ctx.anchor)
        if normalised is None:
            # The entity may hold more than a time ("the one-year anniversary"): scan inside.
            for match in find_timexes(ent.text, ctx.anchor):
                start, end = ent.start_char + match.start, ent.start_char + match.end
                found.append(Time(Span(start, end, text[start:end]), match.type, match.value))
            continue
        kind, value = normalised
        found.append(Time(Span(ent.start_char, ent.end_char, ent.text), kind, value))
    for match in find_timexes(text, ctx.anchor):
        found.append(
            Time(
                Span(match.start, match.end, text[match.start : match.end]), match.type, match.value
            )
        )
    return found


def _select(proposals: list[Time]) -> list[Time]:
    """Non-overlapping proposals, longest first (ties: the earlier proposal, i.e. spaCy's)."""
    order = sorted(
        range(len(proposals)),
        key=lambda i: (-(_len(proposals[i])), i),
    )
    taken: list[tuple[int, int]] = []
    chosen: list[Time] = []
    for i in order:
        span = proposals[i].span
        assert span is not None
        if any(span.start < end and start < span.end for start, end in taken):
            continue
        taken.append((span.start, span.end))
        chosen.append(proposals[i])
    return chosen


def _len(t: Time) -> int:
    return t.span.end - t.span.start if t.span else 0


def _head_verb(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok: Token = span.root
    for _ in range(6):
        if tok.pos_ in {"VERB", "AUX"} or tok.head is tok:
            break
        tok = tok.head
    return tok if tok.pos_ in {"VERB", "AUX"} else None


def _tense(doc: Doc, start: int, end: int) -> str | None:
    """'future', 'past' or None for the clause a time expression modifies."""
    verb = _head_verb(doc, start, end)
    if verb is None:
        return None
    aux = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if aux & _FUTURE_AUX or verb.lemma_ in _FUTURE_VERBS:
        return "future"
    if "going" in aux or (verb.lower_ == "going" and any(c.lower_ == "to" for c in verb.rights)):
        return "future"
    if verb.tag_ in {"VBD", "VBN"} or aux & {"did", "had", "was", "were"}:
        return "past"
    return None


def _retense(t: Time, tense: str | None, anchor: dt.date) -> Time:
    """Re-read a year-less month, month-day or weekday in a future clause forwards.

    Past clauses keep the default reading (the latest such date, which already allows a
    few weeks ahead): the head verb found is often a reporting verb ("said"), so moving
    dates back on it costs more than it gains."""
    if tense is None or t.span is None:
        return t
    s = clean(t.span.text)
    value: str | None = None
    m = _BARE_WEEKDAY.match(s)
    if m and tense == "future":
        value = ta.weekday_after(anchor, WEEKDAYS[m.group(1)]).isoformat()
    m2 = _BARE_MONTH.match(s)
    if m2:
        month = MONTHS[m2.group(1)]
        if tense == "future" and month < anchor.month:
            value = f"{anchor.year + 1}-{month:02d}"
    m3 = _BARE_MONTH_DAY.match(s)
    if m3:
        month, day = MONTHS[m3.group(1)], int(m3.group(2))
        for year in (anchor.year - 1, anchor.year, anchor.year + 1):
            try:
                cand = dt.date(year, month, day)
            except ValueError:
                return t
            if tense == "future" and cand >= anchor:
                value = cand.isoformat()
                break
    if value is None or value == t.value:
        return t
    return Time(t.span, t.type, value)


def extract_times(ctx: ArticleContext) -> list[Time]:
    chosen = [
        t
        for t in _select(_proposals(ctx))
        if t.span is not None and t.span.text.lower() not in _NOT_TIMES
    ]
    if ctx.anchor is not None:
        anchor = ctx.anchor
        chosen = [
            _retense(t, _tense(ctx.doc, t.span.start, t.span.end), anchor) if t.span else t
            for t in chosen
        ]
    chosen.sort(key=lambda t: t.span.start if t.span else -1)
    return chosen
