"""Helpers that turn spaCy tokens and spans into contract `Span`s and participants."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from sitrep.kb.geofold import fold
from sitrep.model import Participant, Span

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from sitrep.extract.context import ArticleContext
    from sitrep.kb.actors import ActorKB, ActorMatch

# Dependency labels that belong to a noun phrase's core (not relative clauses or appositions).
_NP_CORE = {"compound", "amod", "det", "poss", "case", "nmod", "nummod", "flat", "quantmod"}
_NP_KEEP = _NP_CORE | {"prep", "pobj", "cc", "conj", "punct"}


def pobj_of(prep: Token) -> Token | None:
    """The object of a preposition ("by *militants*", "from *China*"), if the parse has one."""
    return next((child for child in prep.children if child.dep_ == "pobj"), None)


def prep_objects(token: Token, word: str) -> Iterator[Token]:
    """The objects of the `word` phrases hanging off `token` ("condemnation *from* X")."""
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == word:
            pobj = pobj_of(prep)
            if pobj is not None:
                yield pobj


def char_span(text: str, start: int, end: int) -> Span:
    """`text` is the article's (the context's cached copy: `Doc.text` is rebuilt per call)."""
    return Span(start, end, text[start:end])


def token_span(tokens: SpacySpan) -> Span:
    return Span(tokens.start_char, tokens.end_char, tokens.text)


def sentence_span(sent: SpacySpan) -> Span:
    """The sentence without the line breaks and spaces that trail it."""
    text = sent.text.rstrip()
    return Span(sent.start_char, sent.start_char + len(text), text)


def noun_phrase(token: Token) -> SpacySpan:
    """The token's noun phrase: its core modifiers plus 'of'-phrases (Ministry of Defense of X)."""
    left = token.i
    right = token.i
    for child in token.children:
        if child.dep_ in _NP_CORE and child.i < token.i:
            left = min(left, child.left_edge.i)
    for child in token.rights:
        of_phrase = child.dep_ == "prep" and child.lower_ == "of"
        if child.dep_ in {"compound", "flat", "nmod"} or of_phrase:
            right = max(right, child.right_edge.i)
        elif child.dep_ in {"case"}:
            right = max(right, child.i)
    doc = token.doc
    while left < token.i and doc[left].dep_ in {"det", "punct"}:
        left += 1
    while right > token.i and doc[right].is_punct:
        right -= 1
    return doc[left : right + 1]


def entity_for(ctx: ArticleContext, token: Token) -> SpacySpan | None:
    """The named entity that covers the token, if any."""
    if token.ent_type_:
        return ctx.entity_at(token.i)
    return None


# Matches that name the whole mention exactly; safe even when spaCy's label was wrong.
_EXACT_MATCHES = {"alias", "metonym", "country", "capital", "code", "surname"}


def resolve_mention(
    kb: ActorKB, text: str, label: str | None, on: date | None
) -> ActorMatch | None:
    """Resolve with spaCy's label; when that fails, accept an exact name match without it
    (the small model often labels an agency such as BelTA as a PERSON)."""
    match = kb.resolve(text, label, on)
    if match is None and label is not None:
        unlabelled = kb.resolve(text, None, on)
        if unlabelled is not None and unlabelled.match in _EXACT_MATCHES:
            return unlabelled
    return match


# Suffixes of nouns for people who do something: fighter, investigator, activist, civilian,
# resident, occupant, refugee.
_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "ee", "ive", "ary", "crat")


def names_agent(ctx: ArticleContext, token: Token) -> bool:
    """Whether a common noun names people, a group or an institution ("officials", "the
    defence ministry"), by its lemma or a compound's ("security forces"), or a weapon that
    stands for its user."""
    lex = ctx.knowledge.lexicons
    agents = lex.agent_nouns
    lemma = token.lemma_.lower()
    if lemma in agents or token.lower_ in agents or lemma.endswith(_AGENT_SUFFIXES):
        return True
    if lemma in lex.instrument_nouns:
        return True  # "missiles hit the city": the weapon stands for its unnamed user
    return any(c.dep_ == "compound" and c.lemma_.lower() in agents for c in token.children)


def _same_person(match: ActorMatch | None, name: str) -> bool:
    """The KB match is the person named (by surname), not an office or a government."""
    if match is None or match.kind != "person":
        return False
    surname = fold(name.split()[-1]) if name.split() else ""
    return bool(surname) and surname in fold(match.name)


def participant_for(
    ctx: ArticleContext, token: Token, *, agent: bool = False
) -> Participant | None:
    """Resolve the phrase headed by `token` to a participant; None when nothing actor-like.
    With `agent`, an unresolved common noun must name people, a group or an institution
    (an event's party: "the move" or "his goal" never act); a speaker may be a report or a
    poll, so quotes do not ask for it."""
    kb, on = ctx.knowledge.actors, ctx.anchor
    phrase = noun_phrase(token)
    match = None
    ent = entity_for(ctx, token)
    named = False  # the match is the head word's own name, not a guess from the phrase
    if ent is not None:
        # The name the head word belongs to beats its modifiers ("Russian ally Belarus").
        match = resolve_mention(kb, ent.text, ent.label_, on)
        if match is not None and ent.label_ not in {"NORP"}:
            phrase = ent
            named = True
        elif match is not None:
            match = None
    if match is None:
        match = kb.resolve(phrase.text, None, on)
    if match is None:
        for candidate in ctx.ents_within(phrase.start, phrase.end):
            match = resolve_mention(kb, candidate.text, candidate.label_, on)
            if match is not None:
                break
    if (
        ent is not None
        and ent.label_ == "PERSON"
        and not named
        and not _same_person(match, ent.text)
    ):
        # "Japanese Ambassador Motohide Yoshikawa": the named person beats a title's office
        # holder or government; the title still tells whose official the person is.
        return Participant(
            span=token_span(phrase),
            name=ent.text,
            country=match.country if match is not None else None,
            sector=match.sector if match is not None else None,
        )
    if match is None:
        if token.pos_ == "PRON" or (ent is None and token.pos_ not in {"PROPN", "NOUN"}):
            return None
        if agent and ent is None and token.pos_ == "NOUN" and not names_agent(ctx, token):
            return None  # "the move", "bank stocks", "his goal": no one to act
        return Participant(span=token_span(phrase), name=phrase.text)
    return participant_of(match, token_span(phrase))


def participant_of(match: ActorMatch, span: Span | None) -> Participant:
    """The KB actor `match` as the participant mentioned at `span`."""
    return Participant(
        span=span,
        name=match.name,
        actor_id=match.actor_id,
        country=match.country,
        sector=match.sector,
    )
