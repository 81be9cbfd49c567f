"""sitrep's own spaCy components."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

PARAGRAPH_BREAKS = "sitrep_paragraph_breaks"

# "KHARKIV, Ukraine (AP) — ", "MINSK, March 15 (Reuters) - ", "BRUSSELS, Feb 23 (AFP) - "
DATELINE = re.compile(
    r"[A-Z][A-Z .'’-]{2,}(?:, [A-Z][\w .'’-]{1,30}?)?(?:, [A-Z][a-z]{2,8}\.? \d{1,2})?"
    r"(?: \([A-Za-z .]{2,20}\))? ?[—–-]{1,2} "
)


@Language.component(PARAGRAPH_BREAKS, requires=["token.text"], assigns=["token.is_sent_start"])
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break always ends a sentence (headlines and paragraphs never run into the next
    line), and a dateline is a sentence of its own, so "KHARKIV" is never a subject.
    The parser keeps boundaries set before it runs."""
    starts = [0]
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
            starts.append(doc[token.i + 1].idx)
    for start in starts:
        match = DATELINE.match(doc.text, start)
        if match is None:
            continue
        span = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if span is not None and span.start > 0:
            doc[span.start].is_sent_start = True
    return doc
