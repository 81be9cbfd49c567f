"""Where and when an event happened: the date and place expressed nearest to its trigger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.context import ArticleContext
from sitrep.model import EventDate, Participant, Place, Time

if TYPE_CHECKING:
    from spacy.tokens import Token


def event_date(ctx: ArticleContext, token: Token, times: list[Time]) -> EventDate | None:
    """The nearest date in the trigger's sentence, else the publication date."""
    sent = token.sent
    in_sentence = [
        t
        for t in times
        if t.span is not None
        and t.type in {"DATE", "TIME"}
        and sent.start_char <= t.span.start < sent.end_char
        and t.value[:1].isdigit()
    ]
    if in_sentence:
        best = min(in_sentence, key=lambda t: abs(t.span.start - token.idx) if t.span else 0)
        return EventDate(value=best.value, span=best.span)
    if ctx.anchor is not None:
        return EventDate(value=ctx.anchor.isoformat(), span=None)
    return None


def event_place(
    token: Token, places: list[Place], source: Participant | None, target: Participant | None
) -> Place | None:
    sent = token.sent
    taken = {p.span.start for p in (source, target) if p is not None and p.span is not None}
    candidates = [
        p
        for p in places
        if p.span is not None
        and sent.start_char <= p.span.start < sent.end_char
        and p.span.start not in taken
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda p: abs(p.span.start - token.idx) if p.span else 0)
