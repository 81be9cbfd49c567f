"""Who acts and who is acted upon: source and target participants of an event trigger.

Several participants on a side are one compound actor ("Russia and Belarus held joint
exercises" is one event with two sources), never several events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.context import ArticleContext
from sitrep.extract.lexicons import Trigger
from sitrep.extract.spans import participant_for, pobj_of, prep_objects
from sitrep.extract.speakers import pronoun_referent
from sitrep.model import Participant, Quote, Span

if TYPE_CHECKING:
    from spacy.tokens import Token

_TARGET_PREPS = {"against", "on", "at", "into", "to", "toward", "towards", "upon"}
# Types whose "with" phrase names the other party (met with, agreed with), not a companion.
_WITH_TYPES = {"CONSULT", "AGREE", "COOPERATE", "SUPPORT"}
_SUBJECTS = {"nsubj", "csubj"}
_NATIONS = {"NORP", "GPE"}
# Entity labels that name a party even when the actor KB does not know it ("the FBI").
_NAMED = {"PERSON", "ORG", "GPE", "NORP"}

Party = list[Participant]


def roles(ctx: ArticleContext, head: Token, event_type: str, trigger: Token) -> tuple[Party, Party]:
    """The source and target participants; several when the phrase is a coordination
    ("Russia and Belarus held exercises" is one event with two sources)."""
    drawn = _drawn_by(ctx, head)
    if drawn is not None:
        return drawn
    preps = _TARGET_PREPS | {"with"} if event_type in _WITH_TYPES else _TARGET_PREPS
    if head.pos_ == "NOUN":
        preps = preps | {"of"}
    source: Party = []
    target: Party = []
    named_source = False
    for child in head.children:
        if child.i == trigger.i:
            continue
        if child.dep_ in _SUBJECTS and (not source or (_is_name(child) and not named_source)):
            # Of two subjects ("Russian ally Belarus pulls …") the proper name is the actor,
            # and so is a name in apposition ("Ukraine's neighbours Poland and Hungary").
            who = _named_apposition(child) or child
            source = _party(ctx, who) or source
            named_source = _is_name(who)
        elif child.dep_ == "poss" and not source:
            source = _party(ctx, child)
        elif child.dep_ in {"compound", "amod"} and head.pos_ == "NOUN" and not source:
            source = _party(ctx, child, named=True)  # "Russian strikes", "EU sanctions"
        elif child.dep_ == "nsubjpass" and not target:
            target = _party(ctx, child)
        elif child.dep_ == "agent":
            pobj = pobj_of(child)
            if pobj is not None:
                source = _party(ctx, pobj)
        elif child.dep_ in {"dobj", "dative"} and not target:
            target = _party(ctx, child, named=True)
        elif child.dep_ == "prep" and child.lower_ == "by" and head.pos_ == "NOUN":
            pobj = pobj_of(child)
            if pobj is not None and not source:
                source = _party(ctx, pobj)  # "an attack by militants"
        elif _from_sender(child, head, event_type):
            pobj = pobj_of(child)
            if pobj is not None and not source:
                source = _party(ctx, pobj, named=True)  # "an appeal from China"
        elif child.dep_ == "prep" and child.lower_ in preps and not target:
            pobj = pobj_of(child)
            if pobj is not None:
                target = _party(ctx, pobj, named=True)
    if not source and _passive(head):
        source = _shared_agent(ctx, head)  # "were shelled and burned by Syrian troops"
    if not source and _acts_as_modifier(head):
        # "the rebels who stormed …", "troops fighting near Bakhmut": the noun modified acts;
        # "a statement condemning …" is its author's act.
        modified = head.head
        if modified.lemma_.lower() in ctx.knowledge.lexicons.document_nouns:
            source = _author(ctx, modified, event_type, trigger)
        else:
            source = _party(ctx, _first_conjunct(_owner_named(ctx, modified)))
    if not source and _infinitive_of_possessed(ctx, head):
        # "the ministry's decision to close the border": the possessor closes it.
        owner = next(c for c in head.head.children if c.dep_ == "poss")
        source = _party(ctx, owner)
    governor = _governor(head)
    if governor is not None and _passive(head) and not _passive(governor):
        governor = None  # "contained grain before being burned": no one named burns it
    if not source and governor is not None:
        doer = _controlling_object(head, governor)
        if doer is not None:
            # "thanked Moscow for supplying", "urged Russia to withdraw", "called on the
            # West to send": the governing verb's object does it.
            source = _party(ctx, doer)
        else:
            # "Belarus has started removing vehicles", "Putin is ready to make
            # concessions", "China followed up by agreeing": the governing verb's subject.
            source, _ = roles(ctx, governor, event_type, trigger)
    if event_type == "MOBILIZE" and not source and target and _passive(head):
        # "Russian troops have been stationed in Belarus": the moved force is the actor.
        source, target = target, []
    return source, target


# Event nouns whose "from" phrase names who sends them ("an appeal from China", "aid from
# the EU"); a withdrawal, a deployment or an attack "from" somewhere names a place.
_FROM_SENDER_TYPES = {"REQUEST", "ACCUSE", "SUPPORT", "THREATEN", "REJECT", "AGREE", "AID"}


def _from_sender(prep: Token, head: Token, event_type: str) -> bool:
    return (
        prep.dep_ == "prep"
        and prep.lower_ == "from"
        and head.pos_ == "NOUN"
        and event_type in _FROM_SENDER_TYPES
    )


def _drawn_by(ctx: ArticleContext, noun: Token) -> tuple[Party, Party] | None:
    """'Xi drew condemnation from Washington', 'the remarks sparked protests': a reaction
    an act drew. Who reacts ('from' …) is the source, whoever drew it the target."""
    verb = noun.head
    drawing = ctx.knowledge.codebook.words("drawing_verbs")
    if noun.pos_ != "NOUN" or noun.dep_ != "dobj" or verb.lemma_.lower() not in drawing:
        return None
    senders = (_party(ctx, p) for word in (noun, verb) for p in prep_objects(word, "from"))
    source = next((party for party in senders if party), [])
    subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    target = _party(ctx, subject, named=True) if subject is not None else []
    return source, target


def _governor(head: Token) -> Token | None:
    """The word whose subject a subjectless verb shares: the verb it complements, is joined
    to or subordinated to; through a preposition for a gerund ("by agreeing"), an adjective
    for an infinitive ("ready to make", "right to criticize"), and a noun for a purpose
    infinitive ("used her speech to call on")."""
    if head.head.i == head.i:
        return None
    if head.dep_ in {"xcomp", "conj", "advcl", "acomp"}:
        return head.head
    if head.dep_ == "pcomp" and head.head.dep_ == "prep" and head.head.head.pos_ == "VERB":
        return head.head.head
    purpose = any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)
    if head.dep_ == "acl" and purpose and head.head.dep_ in {"dobj", "pobj"}:
        verb = head.head.head
        return verb if verb.pos_ in {"VERB", "AUX"} else None
    return None


# Verbs whose object does not do what follows: "promised Kyiv to send" is the promiser's
# act, "used HIMARS to target" the user's.
_SUBJECT_CONTROL = {"promise", "vow", "pledge", "threaten", "use", "employ", "take", "spend"}


def _controlling_object(head: Token, governor: Token) -> Token | None:
    """The governing verb's object when it is who does `head`: a gerund after "for", "of"
    or "from" ("blamed Kyiv for shelling", "accused Russia of attacking") or an infinitive
    complement after an object ("forced Russia to invade", "called on NATO to send"). A
    purpose clause ("fired tear gas to disperse") or "by" + gerund is the subject's act."""
    if governor.pos_ not in {"VERB", "AUX"} or governor.lemma_.lower() in _SUBJECT_CONTROL:
        return None
    if head.dep_ == "pcomp" and head.head.lower_ not in {"for", "of", "from"}:
        return None
    if head.dep_ not in {"pcomp", "xcomp"}:
        return None
    for child in governor.children:
        if child.dep_ == "dobj" and child.i < head.i and child.tag_ not in {"WDT", "WP"}:
            return child
        passive_object = child.dep_ == "nsubjpass" and head.dep_ == "pcomp"
        if passive_object and child.i < head.i and child.tag_ not in {"WDT", "WP"}:
            return child  # the object made subject: "the police were accused of firing"
        if child.dep_ == "prep" and child.lower_ == "on" and child.i < head.i:
            pobj = pobj_of(child)
            if pobj is not None and governor.lemma_.lower() in {"call", "prevail", "rely", "count"}:
                return pobj
    return None


def _shared_agent(ctx: ArticleContext, head: Token) -> Party:
    """The agent of a passive verb coordinated with `head` ("the villages were shelled and
    burned by Syrian troops"): both verbs share the "by" phrase."""
    for peer in head.conjuncts:
        if peer.tag_ != "VBN":
            continue
        agent = next((c for c in peer.children if c.dep_ == "agent"), None)
        pobj = pobj_of(agent) if agent else None
        if pobj is not None:
            return _party(ctx, pobj)
    return []


def _author(ctx: ArticleContext, document: Token, event_type: str, trigger: Token) -> Party:
    """Who issued a document that acts ("Japan released a statement condemning …", "the
    senate passed a resolution denouncing …", "Russia's statement accusing …"): its
    possessor, else the subject of the verb it is the object of."""
    owner = next((c for c in document.children if c.dep_ == "poss"), None)
    if owner is not None:
        return _party(ctx, owner)
    verb = document.head
    if document.dep_ == "dobj" and verb.pos_ in {"VERB", "AUX"}:
        source, _ = roles(ctx, verb, event_type, trigger)
        return source
    return []


def _owner_named(ctx: ArticleContext, noun: Token) -> Token:
    """For a thing that is no actor but belongs to named ones ("the arguments of Rome and
    Madrid, which requested …"), the named owner; else `noun` itself."""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() in ctx.knowledge.lexicons.agent_nouns:
        return noun
    named = (pobj for pobj in prep_objects(noun, "of") if pobj.ent_type_ in _NAMED)
    return next(named, noun)


def _first_conjunct(token: Token) -> Token:
    """The first of coordinated names ("Rome and Madrid, which requested …"): a
    coordination acts as one party named by its first member."""
    while token.dep_ == "conj" and token.head.i < token.i and token.head.ent_type_ in _NAMED:
        token = token.head
    return token


def _infinitive_of_possessed(ctx: ArticleContext, head: Token) -> bool:
    """An infinitive completing a possessed noun of resolve ("Russia's decision to
    withdraw", "the government's plan to ban"; `intent_nouns` in agents.yaml): the possessor
    is who would act."""
    if head.dep_ != "acl" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children):
        return False
    if head.head.lemma_.lower() not in ctx.knowledge.lexicons.intent_nouns:
        return False
    return any(c.dep_ == "poss" for c in head.head.children)


def _possessor_country(ctx: ArticleContext, token: Token, who: Participant) -> None:
    """ "its forces" after "the Russian Defense Ministry said": the possessor's country."""
    owner = next((c for c in token.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
    if owner is None:
        return
    referent = pronoun_referent(ctx, owner)
    if referent is not None:
        who.country = referent.country


def _origin_country(ctx: ArticleContext, token: Token) -> str | None:
    """The country of a "from" phrase on a participant ("volunteers from Georgia", "officers
    from Chile, Peru and Bolivia": the first named)."""
    kb = ctx.knowledge.actors
    for place in prep_objects(token, "from"):
        if place.ent_type_ == "GPE":
            match = kb.resolve(place.text, "GPE", ctx.anchor)
            if match is not None and match.country:
                return match.country
    return None


def _acts_as_modifier(head: Token) -> bool:
    """A relative clause whose subject is the relative pronoun, or an active participle
    modifying a noun: the noun is who acts."""
    if head.head is head or head.head.pos_ not in {"NOUN", "PROPN"}:
        return False
    if head.dep_ == "relcl":
        return any(
            c.dep_ == "nsubj" and c.lower_ in {"who", "which", "that"} for c in head.children
        )
    return head.dep_ == "acl" and head.tag_ == "VBG"


def _party(ctx: ArticleContext, token: Token, *, named: bool = False) -> Party:
    """The participant headed by `token` plus its coordinated peers ("Poland, Lithuania
    and Latvia"; "Russian and Belarusian troops"). With `named`, only an actor or a named
    entity counts (an object or prepositional phrase is a target only when it names one)."""
    first = participant_for(ctx, token, agent=True)
    if first is None and token.pos_ == "PRON":
        first = pronoun_referent(ctx, token)  # "she called for", "Russia said it would"
    elif first is not None and first.actor_id is None and first.country is None:
        _possessor_country(ctx, token, first)  # "its forces", "his country"
        if first.country is None:
            first.country = _origin_country(ctx, token)  # "volunteers from Georgia"
    if first is None or (named and first.actor_id is None and token.ent_type_ not in _NAMED):
        return []
    party = [first]
    for peer in token.conjuncts:
        if peer.i < token.i or peer.pos_ not in {"PROPN", "NOUN"}:
            continue
        other = participant_for(ctx, peer, agent=True)
        # A peer must be an actor or a name: "troops and launchers were sent" has one party.
        if other is not None and (other.actor_id is not None or peer.ent_type_ in _NAMED):
            party.append(other)
    if len(party) == 1:
        party = _named_modifiers(ctx, token) or _adjective_pair(ctx, token, first)
    return _distinct(party)


def _named_modifiers(ctx: ArticleContext, token: Token) -> Party:
    """ "The U.S. and EU allies", "Chile and Peru delegates" written as names:
    a coordination of names modifying the head is the party, first named first."""
    for mod in token.children:
        if mod.dep_ not in {"nmod", "compound"} or mod.ent_type_ not in _NAMED - {"NORP"}:
            continue
        peers = [p for p in mod.conjuncts if p.i > mod.i and p.ent_type_ in _NAMED]
        if not peers:
            continue
        party = [participant_for(ctx, t, agent=True) for t in (mod, *peers)]
        named = [p for p in party if p is not None and p.actor_id is not None]
        if len(named) == len(party):
            return named
    return []


def _adjective_pair(ctx: ArticleContext, token: Token, first: Participant) -> Party:
    """ "Russian and Belarusian troops", "the Belarusian-Russian drills": one participant
    per nationality adjective, in the order written."""
    own = [token] if token.pos_ == "ADJ" and token.ent_type_ in _NATIONS else []
    adjectives = own + [
        c for c in token.children if c.dep_ in {"amod", "compound"} and c.ent_type_ in _NATIONS
    ]
    peers = [
        p for a in adjectives for p in (*a.conjuncts, *_hyphen_joined(a)) if p.ent_type_ in _NATIONS
    ]
    if not adjectives or not peers:
        return [first]
    kb = ctx.knowledge.actors
    party: Party = []
    for adjective in sorted({*adjectives, *peers}, key=lambda t: t.i):
        text = adjective.text if token.pos_ == "ADJ" else f"{adjective.text} {token.text}"
        match = kb.resolve(text, None, ctx.anchor) or kb.resolve(adjective.text, "NORP", ctx.anchor)
        if match is None:
            continue
        party.append(
            Participant(
                span=Span(adjective.idx, adjective.idx + len(adjective.text), adjective.text),
                name=match.name,
                actor_id=match.actor_id,
                country=match.country,
                sector=match.sector,
            )
        )
    return party or [first]


def _hyphen_joined(adjective: Token) -> list[Token]:
    """The modifier joined to `adjective` by a hyphen ("Belarusian" in "Belarusian-Russian")."""
    doc = adjective.doc
    return [
        c
        for c in adjective.children
        if c.dep_ in {"amod", "compound"} and c.i + 2 == adjective.i and doc[c.i + 1].text == "-"
    ]


def _distinct(party: Party) -> Party:
    seen: set[str] = set()
    out: Party = []
    for who in party:
        key = who.actor_id or who.name.lower()
        if key not in seen:
            seen.add(key)
            out.append(who)
    return out


def speaker_side(
    trigger: Trigger, sources: Party, quote: Quote | None, hostile: frozenset[str]
) -> Party:
    """Fill an unnamed source from the speaker: a threat in a quote is the speaker's
    ("the answer will be most cruel"); "one of the missile units is moving", written by a
    defence ministry, is that country's military, unless its phrase names another state or
    the other side (`hostile`: "the occupiers are shelling …")."""
    speaker = quote.speaker if quote is not None else None
    if speaker is None or speaker.actor_id is None:
        return sources
    if trigger.type == "THREATEN" and not sources:
        return [speaker]
    own_forces = trigger.type in {"MOBILIZE", "ASSAULT"} and speaker.sector in {"GOV", "MIL"}
    # Not a unit whose phrase names another state ("volunteers from Georgia").
    unnamed_unit = bool(sources) and sources[0].actor_id is None
    head_word = sources[0].name.lower().split()[-1:] if sources else []
    if unnamed_unit and head_word and head_word[0].rstrip("s") in hostile:
        return sources
    if own_forces and unnamed_unit and sources[0].country in {None, speaker.country}:
        first = sources[0]
        unit = Participant(span=first.span, name=first.name, country=speaker.country, sector="MIL")
        return [unit, *sources[1:]]
    return sources


def _named_apposition(noun: Token) -> Token | None:
    """The proper name set beside a common noun ("its neighbours Poland and Hungary"; the
    tagger sometimes takes "neighbours" for a verb, so any word but a name qualifies)."""
    if noun.pos_ == "PROPN" or _is_name(noun):
        return None
    return next((c for c in noun.children if c.dep_ == "appos" and _is_name(c)), None)


def _is_name(token: Token) -> bool:
    return token.ent_type_ not in {"", "NORP"}


def _passive(head: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in head.children)
