"""sitrep's own spaCy components."""

from __future__ import annotations

import re

import numpy
from spacy.attrs import IS_SPACE
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
    if len(doc) == 0:
        return doc
    text = doc.text  # built token by token: once per doc, not once per paragraph
    starts = [0]
    # Only whitespace tokens can hold a line break; skip the rest without making Tokens.
    for i in numpy.flatnonzero(doc.to_array([IS_SPACE])[:-1]).tolist():
        if "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
            starts.append(doc[i + 1].idx)
    for start in starts:
        match = DATELINE.match(text, start)
        if match is None:
            continue
        span = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if span is not None and span.start > 0:
            doc[span.start].is_sent_start = True
    return doc
