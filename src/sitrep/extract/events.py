"""PLOVER events: trigger lexicon + dependency roles + modality, one record per trigger."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from sitrep.extract.anchoring import dates_the_event, event_date, event_place
from sitrep.extract.codebook import Codebook
from sitrep.extract.context import ArticleContext
from sitrep.extract.event_features import Features, candidate_features, sentence_features
from sitrep.extract.event_filters import first_person_subject, lacks_named_party, not_an_event
from sitrep.extract.event_model import EventModel
from sitrep.extract.event_roles import roles, speaker_side
from sitrep.extract.event_rules import (
    THREAT_NOUN,
    derived_trigger,
    intent_token,
    names_a_quality,
    refine,
)
from sitrep.extract.lexicons import Lexicons, Trigger
from sitrep.extract.modality import factuality
from sitrep.extract.spans import sentence_span
from sitrep.extract.timing import event_timing
from sitrep.model import (
    Attribution,
    Event,
    Place,
    Quote,
    Span,
    Time,
    record_id,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

_STRIKE_ACTION = Trigger("PROTEST", "strike", "143")
_FACT_WEIGHT = {"uncertain": 0.9, "future": 0.8, "conditional": 0.8, "hypothetical": 0.8}
_FACT_WEIGHT["negated"] = 0.75
_BARE_VERB = 0.3
_BARE_MAIN = 0.32
# Lemmatizer slips seen on news text ("staged" → "stag").
_LEMMA_FIXES = {"stag": "stage"}
_SUBORDINATE = 0.7
_SUBORDINATE_DEPS = {"relcl", "acl", "advcl", "pcomp"}
_PEER_DEPS = {"conj", "appos", "cc"}
_WITHDRAW = Trigger("RETREAT", "withdraw", "0872")
_MARTIAL_LAW = Trigger("COERCE", "martial-law", "1724")
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


Candidate = tuple[Event, "Token", "Token"]  # the event, its trigger, its role carrier


def extract_events(
    ctx: ArticleContext, quotes: list[Quote], times: list[Time], places: list[Place]
) -> list[Event]:
    found = event_candidates(ctx, quotes, times, places)
    triggers = {token.i for _, token, _ in found}
    model = ctx.knowledge.event_model
    rescore = _Rescorer(ctx, model) if model is not None else None
    events: list[tuple[Event, bool]] = []  # (event, implied)
    for event, token, actor_head in found:
        event.confidence = _main_event_weight(event.confidence, token, actor_head, triggers)
        if event.confidence < ctx.settings.min_event_confidence:
            continue
        if rescore is not None:
            event.confidence = rescore(event, token, actor_head)
            doubted = event.confidence < ctx.settings.min_event_confidence
            if doubted and ctx.settings.cut_after_typing:
                continue  # the classifier doubts the type the rules gave
        events.append((event, False))
        if not ctx.settings.implied_events:
            continue
        implied = derived_trigger(ctx.knowledge.codebook, event.type, event.factuality, actor_head)
        where = intent_token(ctx.knowledge.codebook, token)
        if implied is not None and where is not None:
            events.append((_implied(ctx, event, implied, where), True))
    return _unique_ids(events)


def _unique_ids(events: list[tuple[Event, bool]]) -> list[Event]:
    """One record per id. An implied intent ("threatened to strike") whose id another
    event's own trigger gave ("threatened" → THREATEN) is that event: the direct reading
    wins; of two implied ones with one id, the first is kept. Order is unchanged."""
    direct = {event.id for event, implied in events if not implied}
    kept: list[Event] = []
    seen: set[str] = set()
    for event, implied in events:
        if event.id in seen or (implied and event.id in direct):
            continue
        seen.add(event.id)
        kept.append(event)
    return kept


def event_candidates(
    ctx: ArticleContext, quotes: list[Quote], times: list[Time], places: list[Place]
) -> list[Candidate]:
    """Every event the trigger lexicon and the rules find, before the main-event choice."""
    found: list[Candidate] = []
    doc = ctx.doc
    for i, pos in enumerate(ctx.pos):
        if pos != "VERB" and pos != "NOUN":
            continue  # only verbs and nouns trigger (`_trigger`)
        token = doc[i]
        hit = _trigger(ctx, token)
        if hit is None:
            continue
        trigger, actor_head = hit
        refined = refine(ctx.knowledge.codebook, trigger, token, actor_head)
        if refined is None:
            continue
        trigger = refined
        if not_an_event(ctx, token, actor_head, trigger):
            continue
        event = _event(ctx, token, actor_head, trigger, quotes, times, places)
        if event is None or lacks_named_party(ctx, event):
            continue
        if trigger.type == "THREATEN" and token.lemma_.lower() in ctx.knowledge.codebook.words(
            "threat_nouns"
        ):
            if event.factuality not in {"future", "conditional"}:
                continue  # "the response came quickly" announces nothing
            event.factuality = "conditional" if event.factuality == "conditional" else "future"
        found.append((event, token, actor_head))
    if not ctx.settings.one_event_per_coordination:
        return found
    return _one_act_per_coordination(found, ctx.knowledge.codebook)


def _one_act_per_coordination(found: list[Candidate], book: Codebook) -> list[Candidate]:
    """Coordinated outcomes of one attack are one event: "was shot and killed", "killed,
    injured or captured 5,000 troops", "were killed and 40 wounded" (class
    `casualty_verbs`). Other coordinated verbs tell acts of their own ("shelled and burned
    the villages", "shelled Kharkiv and bombed Kyiv"). A participle that restates its
    verb's act is that act too (`_restates`)."""
    casualties = book.words("casualty_verbs")
    verbs = {token.i: event.type for event, token, _ in found if token.pos_ == "VERB"}
    carriers = {carrier.i: event.type for event, _, carrier in found}
    kept: list[Candidate] = []
    for event, token, carrier in found:
        first = token.head
        same_act = (
            token.pos_ == "VERB"
            and token.dep_ == "conj"
            and verbs.get(first.i) == event.type
            and first.i < token.i
            and {token.lemma_.lower(), first.lemma_.lower()} <= casualties
        )
        if not same_act and not _restates(carrier, event, carriers):
            kept.append((event, token, carrier))
    return kept


def _restates(carrier: Token, event: Event, carriers: Mapping[int, str]) -> bool:
    """A bare participle after a verb of the same type tells the same act again:
    "condemned the cabinet, accusing it of …", "conducted airstrikes, launching a strike on
    …". With a marker it is an act of its own ("praised the vote while congratulating …")."""
    if carrier.dep_ != "advcl" or carrier.tag_ != "VBG" or carrier.head.i >= carrier.i:
        return False
    if any(c.dep_ == "mark" for c in carrier.children):
        return False
    return carriers.get(carrier.head.i) == event.type


def features_of(ctx: ArticleContext, candidate: Candidate) -> Features:
    """All classifier features of a candidate (training reads them; inference splits them)."""
    event, token, carrier = candidate
    return {
        **_own_features(event, token, carrier),
        **sentence_features(token.sent, ctx.knowledge.lexicons),
    }


def _own_features(event: Event, token: Token, carrier: Token) -> Features:
    sectors = (
        event.source.sector if event.source else None,
        event.target.sector if event.target else None,
    )
    return candidate_features(token, carrier, event.type, event.factuality, sectors)


class _Rescorer:
    """Mixes the classifier's belief in a candidate's type into its confidence, so that of
    several candidates the one whose type the sentence supports becomes the main event.
    The sentence's share of the scores is computed once per sentence."""

    def __init__(self, ctx: ArticleContext, model: EventModel) -> None:
        self.model = model
        self.lex = ctx.knowledge.lexicons
        self.weight = ctx.settings.event_model_weight
        self.sentences: dict[int, dict[str, float]] = {}

    def __call__(self, event: Event, token: Token, carrier: Token) -> float:
        sent = token.sent
        base = self.sentences.get(sent.start)
        if base is None:
            base = self.model.partial(sentence_features(sent, self.lex))
            self.sentences[sent.start] = base
        probs = self.model.probabilities(_own_features(event, token, carrier), base)
        p = probs.get(event.type, 0.0)
        return round((1 - self.weight) * event.confidence + self.weight * p, 3)


def _main_event_weight(
    confidence: float, token: Token, carrier: Token, triggers: set[int]
) -> float:
    """Prefer the sentence's main event: an event inside a relative, adverbial or
    prepositional clause, or governed by another trigger ("threatened to *shell*",
    "demanded that Ankara *provide*", "accused Moscow of *shelling*"), is demoted once per
    level of embedding; a bare main-clause event edges out a bare subordinate one."""
    depth = _depth(token, carrier, triggers)
    if depth:
        return round(max(confidence * _SUBORDINATE**depth, _BARE_VERB), 3)
    return _BARE_MAIN if confidence <= _BARE_VERB else confidence


def _depth(token: Token, carrier: Token, triggers: set[int]) -> int:
    """How many subordinating links lie between the trigger and the sentence root."""
    depth = 0
    phrase = carrier if carrier.pos_ == "NOUN" else token
    if phrase.pos_ == "NOUN" and phrase.dep_ == "pobj":
        depth += 1  # "after days of *fighting*", "in protest of the *arrest*"
    node = token
    for _ in range(12):
        if node.head.i == node.i:
            break
        governed = node.dep_ not in _PEER_DEPS and node.head.i in triggers
        if node.dep_ in _SUBORDINATE_DEPS or (governed and node.head.i != token.i):
            depth += 1
        node = node.head
    return min(depth, 3)


def _implied(ctx: ArticleContext, event: Event, trigger: Trigger, token: Token) -> Event:
    """The announced intent or threat behind a future/conditional event (see event_rules)."""
    lex = ctx.knowledge.lexicons
    return replace(
        event,
        id=record_id("e", ctx.article.id, token.idx, trigger.type),
        type=trigger.type,
        mode=trigger.mode,
        context=list(_CONTEXT.get(trigger.type, [])),
        trigger=Span(token.idx, token.idx + len(token.text), token.text),
        factuality="reported" if event.attribution is not None else "asserted",
        cameo=trigger.cameo,
        intensity=lex.intensity(trigger.type, trigger.mode),
        confidence=round(min(event.confidence + 0.05, 1.0), 3),
    )


def _trigger(ctx: ArticleContext, token: Token) -> tuple[Trigger, Token] | None:
    """The lexicon entry for a trigger token and the token that carries its roles."""
    lex, book = ctx.knowledge.lexicons, ctx.knowledge.codebook
    pos = token.pos_  # called for every token: read spaCy's string attribute once
    if pos == "VERB":
        return _verb_trigger(lex, book, token)
    if pos == "NOUN":
        threat = token.lemma_.lower() in book.words("threat_nouns")
        entry = THREAT_NOUN if threat else _noun_entry(lex, token)
        if entry is None:
            return None
        carrier = token
        # "a new package of sanctions", "a wave of strikes": the container carries the roles.
        if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ == "NOUN":
            carrier = token.head.head
        # "launched a mediation effort", "undertook a mediation mission".
        if token.dep_ == "compound" and token.head.lemma_.lower() in book.words("event_containers"):
            carrier = token.head
        # "arrived on a visit", "was put under investigation": the motion verb carries it.
        if token.dep_ == "pobj" and token.head.lower_ in {"on", "under"}:
            verb = token.head.head
            if verb.pos_ == "VERB" and verb.lemma_.lower() in book.words("motion_verbs"):
                return entry, verb
        governor = _LEMMA_FIXES.get(carrier.head.lemma_, carrier.head.lemma_)
        if carrier.dep_ in {"dobj", "nsubjpass"} and governor in lex.light_verbs:
            return entry, carrier.head
        if any(c.dep_ in {"poss", "compound", "amod"} for c in token.children):
            # "Russia's attack on Kyiv", "Russian strikes", "EU sanctions": own roles.
            return entry, token
        if token.dep_ in {"nsubj", "nsubjpass", "dobj"}:
            # "Protests erupted in Tbilisi": the noun is the event; roles from its phrase.
            return entry, token
    return None


def _verb_trigger(lex: Lexicons, book: Codebook, token: Token) -> tuple[Trigger, Token] | None:
    # Multi-word verbs first: particles ("pull back") and governed prepositions ("call for").
    for child in token.children:
        if child.dep_ == "prt" or (child.dep_ == "prep" and not _temporal(child)):
            entry = lex.verb_triggers.get(f"{token.lemma_.lower()} {child.lower_}")
            if entry is not None:
                return _pull_out(entry, token, child, book.words("stores")), token
        # "pushed for Hungary to lift its veto", "called for Russia to withdraw": the parser
        # makes "for" the marker of the asked-for clause, not a preposition of the verb.
        if child.dep_ in {"advcl", "ccomp"} and any(
            m.dep_ == "mark" and m.lower_ == "for" for m in child.children
        ):
            entry = lex.verb_triggers.get(f"{token.lemma_.lower()} for")
            if entry is not None:
                return entry, token
    entry = lex.verb_triggers.get(token.lemma_.lower())
    if entry is None:
        return None
    if (
        token.lemma_.lower() in lex.light_verbs
        and any(c.dep_ == "dobj" and _names_event(lex, book, c) for c in token.children)
        and not names_a_quality(token)  # "called the invasion a war" denounces it
    ):
        return None  # "sent aid", "launched strikes": the noun names the event
    return entry, token


def _names_event(lex: Lexicons, book: Codebook, noun: Token) -> bool:
    """The object is an event noun, or a container of one ("a mediation mission")."""
    if _noun_entry(lex, noun) is not None:
        return True
    return noun.lemma_.lower() in book.words("event_containers") and any(
        c.dep_ == "compound" and _noun_entry(lex, c) is not None for c in noun.children
    )


def _temporal(prep: Token) -> bool:
    """'called on Tuesday' is no 'call on': a date object makes the preposition temporal."""
    return any(g.dep_ == "pobj" and g.ent_type_ in {"DATE", "TIME"} for g in prep.children)


def _noun_entry(lex: Lexicons, token: Token) -> Trigger | None:
    entry = lex.noun_triggers.get(token.lemma_.lower())
    if entry is not None and token.lemma_.lower() == "strike" and token.head.lemma_ == "go":
        return _STRIKE_ACTION  # "workers went on strike"
    if (
        entry is None
        and token.lemma_.lower() == "law"
        and any(c.lower_ == "martial" for c in token.children)
    ):
        return _MARTIAL_LAW  # "imposed martial law"
    return entry


def _pull_out(entry: Trigger, verb: Token, particle: Token, stores: frozenset[str]) -> Trigger:
    """'pull out of storage' moves forces (MOBILIZE); 'pull out of a country/deal' retreats."""
    if entry.type != "MOBILIZE":
        return entry
    place = [
        g
        for p in [*verb.children, *particle.children]
        if p.dep_ == "prep" and p.lower_ == "of"
        for g in p.children
        if g.dep_ == "pobj"
    ]
    if place and place[0].lemma_.lower() not in stores:
        return _WITHDRAW
    return entry


def _event(
    ctx: ArticleContext,
    token: Token,
    head: Token,
    trigger: Trigger,
    quotes: list[Quote],
    times: list[Time],
    places: list[Place],
) -> Event | None:
    sources, targets = roles(ctx, head, trigger.type, token)
    if not targets and head.i != token.i:
        # "sanctions against Russia": the noun's own phrase names the target.
        _, targets = roles(ctx, token, trigger.type, token)
    # An actor is not its own recipient.
    own = {s.actor_id for s in sources if s.actor_id}
    targets = [t for t in targets if t.actor_id is None or t.actor_id not in own]
    quote = next((q for q in quotes if q.content.start <= token.idx < q.content.end), None)
    if not sources and first_person_subject(head):
        if quote is None or quote.speaker is None:
            return None  # the author's own voice ("I support his decision"): opinion
        sources = [quote.speaker]  # "we are ready to impose sanctions," Biden said
    sources = speaker_side(trigger, sources, quote, ctx.knowledge.lexicons.hostile_nouns)
    source = sources[0] if sources else None
    target = targets[0] if targets else None
    threat_noun = (
        trigger.type == "THREATEN"
        and token.lemma_.lower() in ctx.knowledge.codebook.words("threat_nouns")
    )
    bare_noun = token.pos_ != "VERB" and head.i == token.i
    if source is None and target is None and bare_noun and not threat_noun:
        return None  # a bare noun ("the attack") is background unless someone is named
    modality = factuality(head, ctx.knowledge.lexicons, ctx.knowledge.codebook, quote is not None)
    if token.i != head.i and any(
        c.lower_ in {"no", "never"} and c.dep_ in {"det", "neg"} for c in token.children
    ):
        modality = "negated"  # "no arrests were made"
    sent = token.sent
    confidence = 0.35
    confidence += 0.25 if source is not None and source.actor_id else 0.0
    confidence += 0.2 if target is not None and target.actor_id else 0.0
    # A verb, or a noun a light verb carries ("staged rallies"), is a clause's event.
    confidence += 0.1 if token.pos_ == "VERB" or head.pos_ == "VERB" else 0.0
    # What happened outranks what might, will or did not happen when picking the main event.
    # (never below the floor of a bare verb: "no arrests were made" is still recorded).
    confidence = max(confidence * _FACT_WEIGHT.get(modality, 1.0), _BARE_VERB)
    if source is None and target is None:
        confidence = _BARE_VERB  # kept for recall, but any event with a named party wins
    lex = ctx.knowledge.lexicons
    when = event_date(ctx, token, times)
    # The date the text gives this event (not the publication date, not a noun's date).
    dated = when is not None and when.span is not None and dates_the_event(ctx, token, when.span)
    own_date = when if dated else None
    return Event(
        id=record_id("e", ctx.article.id, token.idx, trigger.type),
        type=trigger.type,
        mode=trigger.mode,
        context=list(_CONTEXT.get(trigger.type, [])),
        source=source,
        target=target,
        trigger=Span(token.idx, token.idx + len(token.text), token.text),
        sentence=sentence_span(sent),
        date=when,
        place=event_place(ctx, token, places, source, target),
        factuality=modality,
        attribution=Attribution(speaker=quote.speaker, via=list(quote.via)) if quote else None,
        cameo=trigger.cameo,
        intensity=lex.intensity(trigger.type, trigger.mode),
        confidence=round(min(confidence, 1.0), 3),
        sources=sources,
        targets=targets,
        timing=event_timing(lex.timing, token, own_date, ctx.anchor),
    )
