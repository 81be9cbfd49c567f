"""Time expressions normalised to TIMEX3 values against the publication date."""

from __future__ import annotations

from sitrep.extract.context import ArticleContext
from sitrep.extract.spans import token_span
from sitrep.extract.timex import find_timexes, normalise_timex
from sitrep.model import Span, Time


def extract_times(ctx: ArticleContext) -> list[Time]:
    """spaCy DATE/TIME entities first (they know context), then the rule scanner fills gaps."""
    found: list[Time] = []
    taken: list[tuple[int, int]] = []
    for ent in ctx.doc.ents:
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        normalised = normalise_timex(ent.text, ctx.anchor)
        if normalised is None:
            # The entity may hold more than a time ("the one-year anniversary"): scan inside.
            for match in find_timexes(ent.text, ctx.anchor):
                start = ent.start_char + match.start
                end = ent.start_char + match.end
                found.append(
                    Time(Span(start, end, ctx.doc.text[start:end]), match.type, match.value)
                )
                taken.append((start, end))
            continue
        kind, value = normalised
        found.append(Time(token_span(ent), kind, value))
        taken.append((ent.start_char, ent.end_char))
    for match in find_timexes(ctx.doc.text, ctx.anchor):
        if any(match.start < end and start < match.end for start, end in taken):
            continue
        found.append(
            Time(
                Span(match.start, match.end, ctx.doc.text[match.start : match.end]),
                match.type,
                match.value,
            )
        )
    found.sort(key=lambda t: t.span.start if t.span else -1)
    return found
