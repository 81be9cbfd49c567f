"""Where and when an event happened: its own clause first, then its sentence, then the article.

The clause of a trigger is what hangs off its verb without crossing into another verb's
clause, so in "Minsk said on Friday that troops crossed the border last year" the crossing
keeps "last year" (a background event keeps its own past date) and the saying gets Friday.
At article level the date is the publication date and the place the dateline's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitrep.extract.context import ArticleContext
from sitrep.extract.toponyms import names_a_location
from sitrep.model import EventDate, Participant, Place, Span, Time

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_CLAUSE_HEADS = {"VERB", "AUX"}
_NOUN_MODIFIERS = {"compound", "amod", "nummod", "nmod", "poss"}
_PERIOD_MARKS = {"since", "until", "till"}
# A dateline: "KYIV, Ukraine (Reuters) -" or "MINSK —" at the very start of the text.
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z .'-]{1,40}(?:,\s*[A-Z][A-Za-z .'-]{1,30})?\s*(?:\(|[-–—])"
)
_DATELINE_CHARS = 80


def _clause_head(token: Token) -> Token:
    """The verb whose clause the token belongs to (the token itself for a verbal trigger)."""
    tok = token
    for _ in range(8):
        if tok.pos_ in _CLAUSE_HEADS or tok.head is tok:
            return tok
        tok = tok.head
    return tok


def _root_at(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _same_clause(ctx: ArticleContext, token: Token, start: int, end: int) -> bool:
    root = _root_at(ctx.doc, start, end)
    return root is not None and _clause_head(root) == _clause_head(token)


def dates_the_event(ctx: ArticleContext, token: Token, span: Span) -> bool:
    """Whether a time expression can date the event: not when it only modifies another
    noun ("the disputed 2020 presidential election", "the 2015 nuclear agreement"), nor when
    it starts a period that runs up to now ("have destroyed half of the grid since March")."""
    before = ctx.text[max(0, span.start - 8) : span.start].lower().split()
    if before and before[-1] in {"since", "from"}:
        return False
    root = _root_at(ctx.doc, span.start, span.end)
    if root is None or root.i == token.i:
        return True
    if root.dep_ in _NOUN_MODIFIERS and root.head.pos_ == "NOUN" and root.head != token:
        return False
    # "shelled since the invasion began in February 2022": the date is the start of a period
    # told in another clause, not the date of the shelling.
    clause = _clause_head(root)
    starts_period = any(c.dep_ == "mark" and c.lower_ in _PERIOD_MARKS for c in clause.children)
    return clause == _clause_head(token) or not starts_period


def _sentence_bounds(token: Token) -> tuple[int, int]:
    """Character bounds of the token's sentence (`Token.sent` walks the sentence: take once)."""
    sent = token.sent
    return sent.start_char, sent.end_char


def _dated(t: Time) -> bool:
    return t.type in {"DATE", "TIME"} and t.value[:1].isdigit()


def event_date(ctx: ArticleContext, token: Token, times: list[Time]) -> EventDate | None:
    """The date in the trigger's clause, else the nearest in its sentence, else the article's
    publication date."""
    first, last = _sentence_bounds(token)
    spans = [t for t in times if t.span is not None and first <= t.span.start < last]

    def distance(t: Time) -> int:
        return abs(t.span.start - token.idx) if t.span else 0

    own = [
        t
        for t in spans
        if t.span is not None
        and (_dated(t) or t.value == "PAST_REF")
        and _same_clause(ctx, token, t.span.start, t.span.end)
    ]
    if own:
        best = min(own, key=distance)
        return EventDate(value=best.value, span=best.span)
    in_sentence = [t for t in spans if _dated(t)]
    if in_sentence:
        best = min(in_sentence, key=distance)
        return EventDate(value=best.value, span=best.span)
    if ctx.anchor is not None:
        return EventDate(value=ctx.anchor.isoformat(), span=None)
    return None


def dateline_place(text: str, places: list[Place]) -> Place | None:
    """The place named in the article's dateline, if it has one."""
    if not _DATELINE.match(text[:_DATELINE_CHARS]):
        return None
    first = [p for p in places if p.span is not None and p.span.start < _DATELINE_CHARS]
    return min(first, key=lambda p: p.span.start if p.span else 0) if first else None


def event_place(
    ctx: ArticleContext,
    token: Token,
    places: list[Place],
    source: Participant | None,
    target: Participant | None,
) -> Place | None:
    """The place in the trigger's clause, else the nearest one in its sentence that is not
    the source or target (a metonym such as "Minsk" is an actor there), else the dateline."""
    taken = {p.span.start for p in (source, target) if p is not None and p.span is not None}
    first, last = _sentence_bounds(token)
    free = [
        p
        for p in places
        if p.span is not None
        and first <= p.span.start < last
        and p.span.start not in taken
        and names_a_location(token.doc, p)
    ]

    def distance(p: Place) -> int:
        return abs(p.span.start - token.idx) if p.span else 0

    head = _clause_head(token)
    own = []
    for p in free:
        assert p.span is not None
        root = _root_at(token.doc, p.span.start, p.span.end)
        if root is not None and _clause_head(root) == head:
            own.append(p)
    if own:
        return min(own, key=distance)
    if free:
        return min(free, key=distance)
    return dateline_place(ctx.text, places)
