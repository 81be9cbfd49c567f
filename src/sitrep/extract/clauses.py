"""The attributed content of a reporting cue, as token spans of the parse.

PolNeAR-style boundaries: a complementizer "that" and an infinitive "to" belong to the
content; punctuation at either edge does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token


def trim(doc_span: SpacySpan) -> SpacySpan | None:
    doc = doc_span.doc
    left, right = doc_span.start, doc_span.end
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    while right > left and (doc[right - 1].is_punct or doc[right - 1].is_space):
        right -= 1
    return doc[left:right] if right > left else None


def complement(verb: Token, *, xcomp: bool) -> list[SpacySpan]:
    """The verb's clausal complement ("said [that …]", "vowed [to …]")."""
    deps = {"ccomp", "xcomp"} if xcomp else {"ccomp"}
    doc = verb.doc
    for child in verb.children:
        if child.dep_ in deps and child.pos_ in {"VERB", "AUX"}:
            left, right = child.left_edge.i, child.right_edge.i + 1
            if child.i < verb.i:
                # Clause before the cue ("…, officials said"): stop where the subject starts.
                stops = [c.left_edge.i for c in verb.children if c.i > child.i and c.i < verb.i]
                right = min([right, verb.i, *stops])
            span = trim(doc[left:right])
            return [span] if span is not None else []
    return []


# Right-hand dependents that belong to what a verb like "criticized" or "called" attributes.
_OBJECT_PARTS = {"dobj", "oprd", "prep", "dative", "xcomp", "ccomp", "acomp", "attr", "npadvmod"}


def object_complement(verb: Token, *, naming: bool = False) -> SpacySpan | None:
    """What an evaluative or naming verb attributes: its object and what follows it
    ("praised [her effort]", "called [Trump 'unhinged']", "called [for a ban]").
    With `naming`, a bare object is not enough: "called" needs a predicate or "for"."""
    if any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children):
        return None  # "was praised by …", "is called …": the subject is not the source
    parts = []
    for child in verb.rights:
        if child.dep_ in {"cc", "conj", "punct", "advcl", "relcl", "parataxis"}:
            break
        if child.dep_ in _OBJECT_PARTS:
            parts.append(child)
    if not parts or not any(c.dep_ in {"dobj", "prep", "ccomp", "xcomp"} for c in parts):
        return None
    # A leading preposition must say what about ("talked about", "called on"), not when.
    topical = {"for", "about", "of", "to", "on"} if naming else {"for", "about", "of", "to"}
    if parts[0].dep_ == "prep" and parts[0].lower_ not in topical:
        return None
    if naming:
        predicate = any(c.dep_ in {"oprd", "xcomp", "ccomp", "attr"} for c in parts)
        calls_for = parts[0].dep_ == "prep" and parts[0].lower_ in {"for", "on"}
        if not (predicate or calls_for):
            return None
    return trim(verb.doc[parts[0].left_edge.i : parts[-1].right_edge.i + 1])


def noun_complement(noun: Token) -> SpacySpan | None:
    """ "the claim [that …]", "a statement [saying …]" is left to the verb "saying"."""
    for child in noun.children:
        if child.dep_ in {"acl", "ccomp", "relcl"} and child.pos_ in {"VERB", "AUX"}:
            first = child.left_edge
            if first.lower_ != "that" or first.i != noun.i + 1:
                continue
            span = trim(noun.doc[first.i : child.right_edge.i + 1])
            if span is not None:
                return span
    # "His view is that …": the clause hangs off the copula whose subject the noun is.
    head = noun.head
    if noun.dep_ == "nsubj" and head.lemma_ == "be":
        for child in head.children:
            if child.dep_ == "ccomp" and child.left_edge.lower_ == "that":
                return trim(noun.doc[child.left_edge.i : child.right_edge.i + 1])
    return None


def split_around(verb: Token) -> list[SpacySpan]:
    """A parenthetical cue ("which battlegroups, TASS says, have been …"): the content is the
    host clause without the cue's own phrase, possibly in two pieces."""
    host = verb.head
    doc = verb.doc
    start, end = host.left_edge.i, host.right_edge.i + 1
    inner_start, inner_end = verb.left_edge.i, verb.right_edge.i + 1
    pieces = []
    for left, right in ((start, inner_start), (inner_end, end)):
        if right > left:
            span = trim(doc[left:right])
            if span is not None:
                pieces.append(span)
    return pieces


def main_clause_without(according: Token) -> SpacySpan:
    """The sentence minus its "according to X" phrase."""
    sent = according.sent
    doc = according.doc
    phrase_start = according.i
    phrase_end = doc[according.i + 1].right_edge.i + 1
    if phrase_start - sent.start > sent.end - phrase_end:
        left, right = sent.start, phrase_start
    else:
        left, right = phrase_end, sent.end
    return trim(doc[left:right]) or doc[left:right]
