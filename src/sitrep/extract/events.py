"""PLOVER events: trigger lexicon + dependency roles + modality, one record per trigger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.anchoring import event_date, event_place
from sitrep.extract.context import ArticleContext
from sitrep.extract.lexicons import Trigger
from sitrep.extract.modality import factuality
from sitrep.extract.spans import participant_for, sentence_span
from sitrep.model import (
    Attribution,
    Event,
    Participant,
    Place,
    Quote,
    Span,
    Time,
    record_id,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

_TARGET_PREPS = {"against", "on", "at", "into", "to", "toward", "towards", "upon"}
# Types whose "with" phrase names the other party (met with, agreed with), not a companion.
_WITH_TYPES = {"CONSULT", "AGREE", "COOPERATE", "SUPPORT"}
_SUBJECTS = {"nsubj", "csubj"}
# PLOVER context each type most often carries; a first cut refined by later extractors.
_CONTEXT = {
    "ASSAULT": ["military"],
    "MOBILIZE": ["military"],
    "THREATEN": ["military"],
    "SANCTION": ["economic"],
    "AID": ["military"],
    "CONSULT": ["diplomatic"],
    "AGREE": ["diplomatic"],
    "SUPPORT": ["diplomatic"],
    "REQUEST": ["diplomatic"],
    "REJECT": ["diplomatic"],
    "ACCUSE": ["diplomatic"],
    "COERCE": ["repression"],
    "PROTEST": ["political_institutions"],
}


def extract_events(
    ctx: ArticleContext, quotes: list[Quote], times: list[Time], places: list[Place]
) -> list[Event]:
    events: list[Event] = []
    for token in ctx.doc:
        found = _trigger(ctx, token)
        if found is None:
            continue
        trigger, actor_head = found
        event = _event(ctx, token, actor_head, trigger, quotes, times, places)
        if event is not None and event.confidence >= ctx.settings.min_event_confidence:
            events.append(event)
    return events


def _trigger(ctx: ArticleContext, token: Token) -> tuple[Trigger, Token] | None:
    """The lexicon entry for a trigger token and the token that carries its roles."""
    lex = ctx.knowledge.lexicons
    if token.pos_ == "VERB":
        particle = next((c.lower_ for c in token.children if c.dep_ == "prt"), None)
        if particle and f"{token.lemma_} {particle}" in lex.verb_triggers:
            return lex.verb_triggers[f"{token.lemma_} {particle}"], token
        entry = lex.verb_triggers.get(token.lemma_.lower())
        return (entry, token) if entry else None
    if token.pos_ == "NOUN":
        entry = lex.noun_triggers.get(token.lemma_.lower())
        if entry is None:
            return None
        carrier = token
        # "a new package of sanctions", "a wave of strikes": the container carries the roles.
        if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ == "NOUN":
            carrier = token.head.head
        if carrier.dep_ in {"dobj", "nsubjpass"} and carrier.head.lemma_ in lex.light_verbs:
            return entry, carrier.head
        if any(c.dep_ == "poss" for c in token.children):
            return entry, token
    return None


def _roles(
    ctx: ArticleContext, head: Token, event_type: str, trigger: Token
) -> tuple[Participant | None, Participant | None]:
    kb = ctx.knowledge.actors
    preps = _TARGET_PREPS | {"with"} if event_type in _WITH_TYPES else _TARGET_PREPS
    if head.pos_ == "NOUN":
        preps = preps | {"of"}
    source: Participant | None = None
    target: Participant | None = None
    named_source = False
    for child in head.children:
        if child.i == trigger.i:
            continue
        if child.dep_ in _SUBJECTS and (source is None or (_is_name(child) and not named_source)):
            # Of two subjects ("Russian ally Belarus pulls …") the proper name is the actor.
            source = participant_for(child, kb, ctx.anchor) or source
            named_source = _is_name(child)
        elif child.dep_ == "poss" and source is None:
            source = participant_for(child, kb, ctx.anchor)
        elif child.dep_ == "nsubjpass" and target is None:
            target = participant_for(child, kb, ctx.anchor)
        elif child.dep_ == "agent":
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                source = participant_for(pobj, kb, ctx.anchor)
        elif child.dep_ in {"dobj", "dative"} and target is None:
            candidate = participant_for(child, kb, ctx.anchor)
            if candidate is not None and candidate.actor_id is not None:
                target = candidate
        elif child.dep_ == "prep" and child.lower_ in preps and target is None:
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                candidate = participant_for(pobj, kb, ctx.anchor)
                if candidate is not None and candidate.actor_id is not None:
                    target = candidate
    if source is None and head.dep_ in {"xcomp", "conj", "advcl"} and head.head.i != head.i:
        # "Belarus has started removing vehicles": the subject sits on the governing verb.
        source, _ = _roles(ctx, head.head, event_type, trigger)
    if event_type == "MOBILIZE" and source is None and target is not None and _passive(head):
        # "Russian troops have been stationed in Belarus": the moved force is the actor.
        source, target = target, None
    return source, target


def _is_name(token: Token) -> bool:
    return token.ent_type_ not in {"", "NORP"}


def _passive(head: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in head.children)


def _event(
    ctx: ArticleContext,
    token: Token,
    head: Token,
    trigger: Trigger,
    quotes: list[Quote],
    times: list[Time],
    places: list[Place],
) -> Event | None:
    source, target = _roles(ctx, head, trigger.type, token)
    if target is None and head.i != token.i:
        # "sanctions against Russia": the noun's own phrase names the target.
        _, target = _roles(ctx, token, trigger.type, token)
    if source is None and target is None:
        return None
    quote = next((q for q in quotes if q.content.start <= token.idx < q.content.end), None)
    modality = factuality(head, ctx.knowledge.lexicons, quote is not None)
    if token.i != head.i and any(
        c.lower_ in {"no", "never"} and c.dep_ in {"det", "neg"} for c in token.children
    ):
        modality = "negated"  # "no arrests were made"
    sent = token.sent
    confidence = 0.35
    confidence += 0.25 if source is not None and source.actor_id else 0.0
    confidence += 0.2 if target is not None and target.actor_id else 0.0
    confidence += 0.1 if token.pos_ == "VERB" else 0.0
    lex = ctx.knowledge.lexicons
    return Event(
        id=record_id("e", ctx.article.id, token.idx, trigger.type),
        type=trigger.type,
        mode=trigger.mode,
        context=list(_CONTEXT.get(trigger.type, [])),
        source=source,
        target=target,
        trigger=Span(token.idx, token.idx + len(token.text), token.text),
        sentence=sentence_span(sent),
        date=event_date(ctx, token, times),
        place=event_place(token, places, source, target),
        factuality=modality,
        attribution=Attribution(speaker=quote.speaker, via=list(quote.via)) if quote else None,
        cameo=trigger.cameo,
        intensity=lex.intensity(trigger.type, trigger.mode),
        confidence=round(min(confidence, 1.0), 3),
    )
