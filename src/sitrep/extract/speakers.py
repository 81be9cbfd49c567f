"""Who is speaking: the grammatical source of a reporting cue, resolved through the actor KB.

Pronoun speakers keep the pronoun as their span (the mention tied to the quote) and take the
name, id and country of the last compatible person named before them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.spans import participant_for, resolve_mention, token_span
from sitrep.model import Participant

if TYPE_CHECKING:
    from spacy.tokens import Token

    from sitrep.extract.context import ArticleContext

THIRD_PERSON = {"he", "she", "him", "her"}
# First person is the speaker quoted or the author; a plural may be a group: keep the word.
OTHER_PRONOUNS = {"i", "we", "they", "you", "me", "us", "them", "it", "who"}
# A passive subject is what is reported, not who reports ("X is expected to …").
_SUBJECTS = {"nsubj", "csubj"}
# How far back (characters) a pronoun or an unattributed quote looks for its person.
LOOKBACK = 1500


def cue_speaker(ctx: ArticleContext, cue: Token) -> Participant | None:
    """The subject of the cue verb, its passive agent, or the subject it shares with the
    verb it is coordinated with or subordinated to ("…, saying that")."""
    seen = 0
    verb: Token | None = cue
    while verb is not None and seen < 4:
        subject = _subject(verb)
        if subject is not None:
            return mention(ctx, subject)
        if verb.dep_ in {"conj", "advcl", "xcomp", "acl"} and verb.head is not verb:
            verb = verb.head
        else:
            verb = None
        seen += 1
    return None


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in _SUBJECTS and child.lower_ not in {"it", "there", "which", "that"}:
            return child
        if child.dep_ == "agent":  # "it was said by officials"
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    # A noun cue's possessor is its source ("Russia's claim that …").
    for child in verb.children:
        if child.dep_ == "poss":
            return child
    return None


def mention(ctx: ArticleContext, token: Token) -> Participant | None:
    """A participant for the phrase headed by `token`; pronouns resolved but keep their span."""
    if token.lower_ in THIRD_PERSON:
        person = last_person_before(ctx, token.idx)
        span = token_span(token.doc[token.i : token.i + 1])
        if person is None:
            return Participant(span=span, name=token.text)
        person.span = span
        return person
    if token.lower_ in OTHER_PRONOUNS:
        return Participant(span=token_span(token.doc[token.i : token.i + 1]), name=token.text)
    return participant_for(ctx, token)


def last_person_before(ctx: ArticleContext, offset: int) -> Participant | None:
    """The last PERSON named before `offset` (within LOOKBACK), resolved through the KB."""
    kb = ctx.knowledge.actors
    for ent in reversed(ctx.ents):
        if ent.end_char > offset:
            continue
        if ent.end_char < offset - LOOKBACK:
            break
        if ent.label_ not in {"PERSON", "ORG", "GPE", "NORP"}:
            continue
        match = resolve_mention(kb, ent.text, ent.label_, ctx.anchor)
        if ent.label_ != "PERSON" and (match is None or match.kind != "person"):
            continue  # a known person the small model mislabelled is still a "he"
        if match is not None and match.kind != "person":
            continue  # a mislabelled agency ("BelTA") is not a "he" or "she"
        return Participant(
            span=token_span(ent),
            name=match.name if match else ent.text,
            actor_id=match.actor_id if match else None,
            country=match.country if match else None,
            sector=match.sector if match else None,
        )
    return None


def phrase_speaker(ctx: ArticleContext, tokens: list[Token]) -> Participant | None:
    """The speaker of a colon or dash attribution ("Kerry: …", "— Albert Einstein"): the
    last word of the first run of nominals (the head of "Albert Einstein")."""
    nominal = {"PROPN", "NOUN", "PRON"}
    for index, token in enumerate(tokens):
        if token.pos_ in nominal:
            while index + 1 < len(tokens) and tokens[index + 1].pos_ in {"PROPN", "NOUN"}:
                index += 1
            return mention(ctx, tokens[index])
    return None
