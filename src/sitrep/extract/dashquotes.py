"""Quotes set off by dashes, the dialogue convention of Polish, Russian and Ukrainian news
(and of their machine translations): "- We will not give in - said the minister." The
words run from a dash that opens a paragraph or follows a sentence's end to a spaced dash
that the attribution follows; quotes.py checks that a reporting verb comes right after.
"""

from __future__ import annotations

import re
from functools import lru_cache

# An opening dash: at a paragraph start or right after a sentence's end ("….- Words").
_OPEN = re.compile(r"(?:^|(?<=[.!?…\"”]))[ \t]*[-–—][ \t]*(?=\S)", re.MULTILINE)
# The closing dash: spaced on both sides, with the attribution after it.
_CLOSE = re.compile(r"\s[-–—]\s+(?=\S)")
# Fewer characters than this between the dashes is a phrase, not a quote.
MIN_CHARS = 20


def find_dash_quoted(text: str) -> list[tuple[int, int, int]]:
    """(content start, content end, where the attribution starts) of every dash quote
    candidate, in order; the content stays within one paragraph."""
    out: list[tuple[int, int, int]] = []
    for opening in _OPEN.finditer(text):
        start = opening.end()
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        closing = _CLOSE.search(text, start, line_end)
        if closing is None:
            continue
        end = closing.start()
        while end > start and text[end - 1] in " \t":
            end -= 1
        if end - start >= MIN_CHARS and (not out or start >= out[-1][1]):
            out.append((start, end, closing.end()))
    return out


@lru_cache(maxsize=16)
def dash_quoted_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The content spans of `find_dash_quoted`, cached per article text: pronoun resolution
    asks for them once per pronoun."""
    return tuple((start, end) for start, end, _ in find_dash_quoted(text))
