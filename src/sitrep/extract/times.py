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
from sitrep.extract.timex import find_timexes, normalise_exact, normalise_timex
from sitrep.extract.timex_lexicon import MONTHS, WEEKDAYS, clean
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
_BARE_WEEKDAY = re.compile(
    r"^(?:on |by |until )?(?:\d{1,2}(?::\d\d)? ?[ap]\.?m\.?(?: [a-z]{2,4})? )?"
    rf"({'|'.join(WEEKDAYS)})(?: (?:morning|afternoon|evening|night))?$"
)
# A weekday this close after the publication date, in a clause not in the past tense, is
# the coming one ("talks resume Tuesday" in a Monday paper), not the one six days ago.
NEAR_FUTURE_DAYS = 1
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "would"})
_FUTURE_VERBS = frozenset({"expect", "schedule", "plan", "due", "set", "intend", "hope"})
_DEFER_VERBS = frozenset({"postpone", "delay", "defer", "adjourn", "extend", "recess"})


def _until(text: str, start: int) -> bool:
    """Whether the expression starting at `start` follows "until" or "till"."""
    before = text[max(0, start - 7) : start].lower().split()
    inside = text[start : start + 6].lower()
    return inside.startswith(("until ", "till ")) or (
        bool(before) and before[-1] in {"until", "till"}
    )


def _proposals(ctx: ArticleContext) -> list[Time]:
    found: list[Time] = []
    text = ctx.text
    for ent in ctx.ents:
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        normalised = normalise_exact(ent.text, ctx.anchor)
        if normalised is None:
            # The entity may hold more than a time ("the one-year anniversary"): scan inside.
            for match in find_timexes(ent.text, ctx.anchor):
                start, end = ent.start_char + match.start, ent.start_char + match.end
                found.append(Time(Span(start, end, text[start:end]), match.type, match.value))
            continue
        kind, value = normalised
        found.append(Time(Span(ent.start_char, ent.end_char, ent.text), kind, value))
    for hit in _CONTEXTUAL.finditer(text):
        found.append(Time(Span(hit.start(), hit.end(), hit.group()), "DATE", _UNRESOLVED))
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


def _tense(ctx: ArticleContext, start: int, end: int) -> str | None:
    """'future', 'past' or None for the clause a time expression modifies."""
    verb = _head_verb(ctx.doc, start, end)
    if verb is None:
        return None
    aux = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if aux & _FUTURE_AUX or verb.lemma_ in _FUTURE_VERBS:
        return "future"
    # "postponed until Tuesday": a deferral points past its own (past-tense) verb.
    if verb.lemma_ in _DEFER_VERBS and _until(ctx.text, start):
        return "future"
    # "planning to march on Monday": the plan's verb sets the time of what it governs.
    if verb.dep_ == "xcomp" and verb.head.lemma_ in _FUTURE_VERBS:
        return "future"
    if aux & {"has", "have", "'ve", "'s"} and "had" not in aux:
        return None  # present perfect ("has given them until Tuesday") is not past
    if "going" in aux or (verb.lower_ == "going" and any(c.lower_ == "to" for c in verb.rights)):
        return "future"
    if verb.tag_ in {"VBD", "VBN"} or aux & {"did", "had", "was", "were"}:
        return "past"
    return None


def _retense(t: Time, tense: str | None, anchor: dt.date) -> Time:
    """Re-read a year-less month, month-day or weekday in a future clause forwards.

    A weekday naming the day after publication also reads forwards unless the clause is
    in the past tense ("talks resume Saturday" in a Friday paper). Past clauses keep the
    default reading (the latest such date, which already allows a few weeks ahead): the
    head verb found is often a reporting verb ("said"), so moving dates back on it costs
    more than it gains."""
    if t.span is None:
        return t
    s = clean(t.span.text)
    value: str | None = None
    m = _BARE_WEEKDAY.match(s)
    if m and tense != "past" and re.fullmatch(r"\d{4}-\d\d-\d\d(?:T[A-Z]{2}|T[\d:]+)?", t.value):
        ahead = ta.weekday_after(anchor, WEEKDAYS[m.group(1)])
        if tense == "future" or (ahead - anchor).days <= NEAR_FUTURE_DAYS:
            value = ahead.isoformat() + t.value[10:]
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


# "a year ago", "a year earlier", "the year-ago quarter", "year-earlier": in reporting of
# results these compare with the period under discussion, i.e. the last quarter mentioned.
_YEAR_AGO = re.compile(
    r"^(?:the |a |an )?(?:comparable |corresponding )?(?:year ago|year earlier)"
    r"(?: (?:quarter|period))?$"
)
_YEAR_AGO_QUARTER = re.compile(
    r"^(?:the )?(?:year ago|year earlier|last year) (?:\w+ )?(?:quarter|period)$"
)
_QUARTER_VALUE = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR_PERIOD = re.compile(r"^(?:the )?(\d{4}) (?:quarter|period)$")


# "the following year", "that month", "the next morning": relative to the date in focus.
_FOLLOWING = re.compile(
    r"^(?:(?:earlier|later) )?(?:the (following|next|previous|preceding)|that|the same|that same)"
    r" (day|morning|afternoon|evening|night|week|month|year)$"
)
# The same phrases found in running text; they have no value until the focus gives one.
_CONTEXTUAL = re.compile(
    r"\b(?:(?:[Ee]arlier|[Ll]ater) )?(?:[Tt]hat|[Tt]he same|[Tt]hat same) "
    r"(?:day|morning|afternoon|evening|night|week|month|year)\b(?!['’]s|-)"
)
_UNRESOLVED = "CONTEXT"
# A clock time without a day ("at 6 a.m.") falls on the day in focus when one was named
# shortly before ("On Oct. 23 ... at 10 p.m."), as a reader takes it.
_BARE_CLOCK = re.compile(
    r"^(?:about |around |at |by |until |before |after )?"
    r"(?:\d{1,2}(?::\d\d)? ?[ap]m|noon|midnight)(?: [a-z]{2,4})?$"
)
_CLOCK_VALUE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d$")
FOCUS_CHARS = 400
_DAY_VALUE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)")
_MONTH_VALUE = re.compile(r"^(\d{4})-(\d\d)(?!\d)")


def _following(match: re.Match[str], last: str | None) -> str | None:
    """Value of "the following year" etc. from the last calendar value mentioned."""
    if last is None:
        return None
    shift = {None: 0, "following": 1, "next": 1, "previous": -1, "preceding": -1}[match.group(1)]
    unit = match.group(2)
    if unit in {"day", "morning", "afternoon", "evening", "night", "week"} and (
        d := _DAY_VALUE.match(last)
    ):
        day = dt.date(int(d.group(1)), int(d.group(2)), int(d.group(3)))
        if unit == "week":
            return ta.iso_week_value(ta.shift_days(day, 7 * shift))
        return ta.shift_days(day, shift).isoformat()
    if unit == "month" and (m := _MONTH_VALUE.match(last)):
        year, month = ta.shift_months(int(m.group(1)), int(m.group(2)), shift)
        return f"{year}-{month:02d}"
    if unit == "year" and re.match(r"^\d{4}", last):
        return str(int(last[:4]) + shift)
    return None


def _in_context(chosen: list[Time]) -> list[Time]:
    """Re-read comparisons with the period in focus ("a year ago" after "third quarter")."""
    out: list[Time] = []
    focus: tuple[int, int] | None = None  # (year, quarter) of the last quarter mentioned
    last: str | None = None  # the last calendar value mentioned
    last_end = 0  # where it was mentioned
    for t in chosen:
        if t.span is None:
            out.append(t)
            continue
        span_end = t.span.end
        s = clean(t.span.text)
        value: str | None = None
        if (f := _FOLLOWING.match(s)) is not None:
            value = _following(f, last)
            if value is None and t.value == _UNRESOLVED:
                continue  # "that year" with nothing in focus: no record
        elif (
            _CLOCK_VALUE.match(t.value)
            and _BARE_CLOCK.match(s)
            and last is not None
            and _DAY_VALUE.match(last)
            and t.span.start - last_end <= FOCUS_CHARS
        ):
            value = last[:10] + t.value[10:]
        elif focus is not None and (_YEAR_AGO.match(s) or _YEAR_AGO_QUARTER.match(s)):
            value = f"{focus[0] - 1}-Q{focus[1]}"
        elif focus is not None and (m := _YEAR_PERIOD.match(s)):
            value = f"{m.group(1)}-Q{focus[1]}"
        elif (q := _QUARTER_VALUE.match(t.value)) and re.search(r"\byear (?:ago|earlier)", s):
            value = f"{int(q.group(1)) - 1}-Q{q.group(2)}"
        if value is not None and value != t.value:
            t = Time(t.span, "TIME" if _CLOCK_VALUE.match(value) else "DATE", value)
        elif q := _QUARTER_VALUE.match(t.value):
            focus = (int(q.group(1)), int(q.group(2)))
        if re.match(r"^\d{4}(?:$|-\d\d)", t.value):
            last, last_end = t.value, span_end
        out.append(t)
    return out


# "the quarter ended Sept. 30": TimeML marks the period and the closing date apart.
_ENDED = re.compile(
    r"^(?P<period>.*?\b(?:quarter|year|period|months|half))\s+(?:that |which )?"
    r"(?:ended|ending|ends|to)\s+(?P<date>\S.*)$",
    re.IGNORECASE,
)
_LEAD_ARTICLE = re.compile(r"^(?:(?:its|their|the|a|an|fiscal)\b[\s-]*)+", re.IGNORECASE)


def _split_ended(t: Time, anchor: dt.date | None) -> list[Time]:
    """Split "the quarter ended Sept. 30" into the period and its end date."""
    if t.span is None or (m := _ENDED.match(t.span.text)) is None:
        return [t]
    end_res = normalise_timex(m.group("date"), anchor)
    if end_res is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", end_res[1]):
        return [t]
    end_day = dt.date.fromisoformat(end_res[1])
    period = m.group("period")
    start = t.span.start
    # TimeBank keeps "the" in the period but not a possessive ("its fourth quarter").
    lead = re.match(r"^(?:its|their)\s+", period, re.IGNORECASE)
    if lead:
        start += lead.end()
        period = period[lead.end() :]
    core = clean(_LEAD_ARTICLE.sub("", period))
    if core in {"quarter", "latest quarter", "period"}:
        value = f"{end_day.year}-Q{ta.quarter_of(end_day)}"
    elif core in {"year", "full year", "latest year"}:
        value = str(end_day.year)
    else:
        found = normalise_timex(period, anchor)
        if found is None:
            return [t]
        value = found[1]
    date_start = t.span.start + m.start("date")
    text = t.span.text
    return [
        Time(Span(start, start + len(period), period), "DATE", value),
        Time(Span(date_start, t.span.end, text[m.start("date") :]), "DATE", end_res[1]),
    ]


def _discourse_now(text: str, span: Span) -> bool:
    """Sentence-initial "Now," is a discourse marker, not a reference to the present."""
    if span.text.lower() != "now" or not text.startswith(",", span.end):
        return False
    before = text[: span.start].rstrip()
    return not before or before[-1] in ".!?\"'\u201d"


# Lower-case "march" and "may" are a noun and a modal ("the march", "this march"), never
# months, whichever proposer offered them.
_LOWER_MONTH = re.compile(r"\b(?:march|may)\b")


def extract_times(ctx: ArticleContext) -> list[Time]:
    chosen = [
        t
        for t in _select(_proposals(ctx))
        if t.span is not None
        and t.span.text.lower() not in _NOT_TIMES
        and not _discourse_now(ctx.text, t.span)
        and not _LOWER_MONTH.search(t.span.text)
    ]
    chosen = [part for t in chosen for part in _split_ended(t, ctx.anchor)]
    if ctx.anchor is not None:
        anchor = ctx.anchor
        chosen = [
            _retense(t, _tense(ctx, t.span.start, t.span.end), anchor) if t.span else t
            for t in chosen
        ]
    chosen.sort(key=lambda t: t.span.start if t.span else -1)
    return _in_context(chosen)
