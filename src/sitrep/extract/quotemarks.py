"""Find quoted stretches of text by their marks; tolerant of unbalanced and long quotes."""

from __future__ import annotations

OPENERS = {"“": "”", "„": "“”", "«": "»", '"': '"'}
CLOSERS = {"”", "»", '"', "“"}


def find_quoted(text: str) -> list[tuple[int, int]]:
    """Content offsets (inside the marks) of every quoted stretch, in order.

    A paragraph that ends inside a quote continues it when the next paragraph opens with a
    quote mark (the newspaper convention for long quotes): each paragraph's stretch is its
    own span (docs/annotation.md: one quote per paragraph), and the stretches after the
    first share its attribution (quotes.py). Otherwise the quote closes at the paragraph
    end, so a missing closing mark never swallows the rest of the article.
    """
    spans: list[tuple[int, int]] = []
    paragraphs = _paragraphs(text)
    open_at: int | None = None
    closer = ""
    for index, (p_start, p_end) in enumerate(paragraphs):
        i = p_start
        if open_at is not None and i < p_end and text[i] in OPENERS:
            i += 1  # continuing a long quote: skip the paragraph's own opening mark
        while i < p_end:
            ch = text[i]
            if open_at is None:
                if ch in OPENERS and _opens(text, i):
                    open_at, closer = i + 1, OPENERS[ch]
            elif ch in closer or (ch in CLOSERS and ch != '"' and closer != '"'):
                if i > open_at:
                    spans.append((open_at, i))
                open_at = None
            i += 1
        if open_at is not None:
            following = paragraphs[index + 1][0] if index + 1 < len(paragraphs) else None
            end = p_end
            while end > open_at and text[end - 1].isspace():
                end -= 1
            if end > open_at:
                spans.append((open_at, end))
            continued = following is not None and text[following] in OPENERS
            open_at = following + 1 if continued and following is not None else None
    return spans


def _opens(text: str, i: int) -> bool:
    """A straight double quote opens only at a word start (not after a letter or digit)."""
    if text[i] != '"':
        return True
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and not after.isspace()


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        left = start
        while left < end and text[left].isspace():
            left += 1
        if left < end:
            out.append((left, end))
        start = end + 1
    return out
