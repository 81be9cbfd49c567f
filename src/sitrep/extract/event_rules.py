"""The interpreter of the codebook's rules (data/codebook.yaml) and the structural checks
they name, plus the implied speech acts of non-factual events.

The lexicon says what a word usually means; the codebook's rules read the word's
neighbours where the PLOVER/CAMEO codebooks code the same word differently ("signed a
treaty" is SUPPORT, "lifted the curfew" a concession, "sent tanks" military aid). Each rule
is a set of conditions on the trigger (its lemma, part of speech, objects, governor,
modifiers, prepositions) and an outcome; the first rule whose conditions all hold decides.
What a word list cannot say stays here as a named check over the dependency parse
(`Check`), which rules refer to by name.

`derived_trigger` codes the speech act behind a non-factual event: an announced future
cooperative act ("X will meet Y") is AGREE (PLOVER: "future-tense cooperation counts
here"), a conditional or announced future use of force ("will strike if …", "would
blockade") a THREATEN (CAMEO 13), a refusal to cooperate ("will not accept") a REJECT.
Those are added as extra events on the governing auxiliary, so the underlying event keeps
its own type and factuality.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sitrep.extract.codebook import CheckName, Codebook, CodebookRule, ImpliedWhen, When
from sitrep.extract.lexicons import Trigger
from sitrep.extract.spans import prep_objects
from sitrep.model.vocab import EventType, Factuality

if TYPE_CHECKING:
    from spacy.tokens import Token

# The reading of a threat noun (codebook class threat_nouns) that announces what will come.
THREAT_NOUN = Trigger("THREATEN", "violence", "138")


def refine(cb: Codebook, entry: Trigger, token: Token, head: Token) -> Trigger | None:
    """The trigger's reading once the codebook's rules have read its neighbours; None when
    the word is no event here ("shared a video", "shares a border")."""
    rule = first_rule(cb, entry, token, head)
    if rule is None or rule.then == "keep":
        return entry
    return rule.then


def first_rule(cb: Codebook, entry: Trigger, token: Token, head: Token) -> CodebookRule | None:
    """The rule that decides this trigger: the first whose conditions all hold."""
    facts = _Facts(token, head)
    for rule in cb.rules:
        if _holds(rule.when, entry, facts, cb):
            return rule
    return None


class _Facts:
    """What the rules read about one trigger, each computed once and only when asked."""

    def __init__(self, token: Token, head: Token) -> None:
        self.token = token
        self.head = head
        self.lemma = token.lemma_.lower()
        self.pos = token.pos_
        self._objects: set[str] | None = None
        self._noun_objects: set[str] | None = None

    @property
    def objects(self) -> set[str]:
        if self._objects is None:
            self._objects = _objects(self.token)
        return self._objects

    @property
    def noun_objects(self) -> set[str]:
        if self._noun_objects is None:
            self._noun_objects = _noun_objects(self.token)
        return self._noun_objects

    def governor(self) -> str:
        """The verb that governs a noun trigger: the role carrier, else its syntactic head."""
        if self.head.i != self.token.i:
            return self.head.lemma_.lower()
        return self.token.head.lemma_.lower()

    def child_words(self) -> set[str]:
        return {c.lower_ for c in self.token.children}


def _holds(when: When, entry: Trigger, facts: _Facts, cb: Codebook) -> bool:
    """Do all of the rule's conditions hold? Cheap tests first: most rules fail on the lemma."""
    if when.pos is not None and facts.pos != when.pos:
        return False
    if when.lemmas is not None and facts.lemma not in when.lemmas:
        return False
    if when.lexicon_types is not None and entry.type not in when.lexicon_types:
        return False
    return _object_conditions(when, facts) and _context_conditions(when, facts, cb)


def _object_conditions(when: When, facts: _Facts) -> bool:
    if when.objects is not None and not facts.objects & when.objects:
        return False
    if when.objects_outside is not None and (
        not facts.objects or facts.objects & when.objects_outside
    ):
        return False
    if when.noun_objects_outside is not None and (
        not facts.noun_objects or facts.noun_objects & when.noun_objects_outside
    ):
        return False
    return not (when.no_objects and facts.objects)


def _context_conditions(when: When, facts: _Facts, cb: Codebook) -> bool:
    token, head = facts.token, facts.head
    if when.governor is not None and facts.governor() not in when.governor:
        return False
    if when.head is not None and (head.i == token.i or head.lemma_.lower() not in when.head):
        return False
    if when.modifiers is not None and not _modifiers(token) & when.modifiers:
        return False
    if when.children is not None and not facts.child_words() & when.children:
        return False
    if when.no_children is not None and facts.child_words() & when.no_children:
        return False
    if when.prep is not None and not any(
        c.dep_ == "prep" and c.lower_ == when.prep for c in token.children
    ):
        return False
    if (
        when.prep_objects is not None
        and not _prep_objects(token, when.prep_objects[0]) & (when.prep_objects[1])
    ):
        return False
    if when.sentence_contains is not None and (
        when.sentence_contains not in token.sent.text.lower()
    ):
        return False
    if when.check is not None and not _CHECKS[when.check](token, cb):
        return False
    return when.unless is None or not _CHECKS[when.unless](token, cb)


def _objects(token: Token) -> set[str]:
    """Lemmas of the direct objects (and their conjuncts) and of a governed "of" phrase."""
    out: set[str] = set()
    if token.dep_ == "acl" or object_relative(token):
        out.add(token.head.lemma_.lower())  # "a pathologist sent to Israel"
        out.update(_compounds(token.head))  # "the weapon systems the US has sent"
    for child in token.children:
        if child.dep_ in {"dobj", "nsubjpass"}:
            out.add(child.lemma_.lower())
            out.update(_compounds(child))  # "sent air defence systems"
            out.update(c.lemma_.lower() for c in child.conjuncts)
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    out.update(g.lemma_.lower() for g in prep.children if g.dep_ == "pobj")
    return out


def _compounds(noun: Token) -> set[str]:
    return {c.lemma_.lower() for c in noun.children if c.dep_ == "compound"}


def object_relative(token: Token) -> bool:
    """A relative clause whose noun is the verb's object: "the weapon systems the US has sent"
    (no object of its own, and its subject is no relative pronoun)."""
    if token.dep_ != "relcl" or any(c.dep_ == "dobj" for c in token.children):
        return False
    subjects = [c for c in token.children if c.dep_ == "nsubj"]
    return bool(subjects) and all(c.tag_ not in {"WDT", "WP"} for c in subjects)


def _noun_objects(token: Token) -> set[str]:
    """Object lemmas that are nouns ("sent 3,000" names no thing to check)."""
    return {
        c.lemma_.lower()
        for c in token.children
        if c.dep_ in {"dobj", "nsubjpass"} and c.pos_ in {"NOUN", "PROPN"}
    }


def _modifiers(token: Token) -> set[str]:
    return {c.lower_ for c in token.children if c.dep_ in {"amod", "compound", "nmod", "poss"}}


def _prep_objects(token: Token, prep: str) -> set[str]:
    """Lemmas governed by the trigger's `prep` ("took *to* the streets")."""
    return {g.lemma_.lower() for p in token.children if p.lower_ == prep for g in p.children}


# --- the structural checks rules name (`check:` / `unless:` in the codebook) ---------------


def _demanding(token: Token, cb: Codebook) -> bool:
    """'insisted he resign', 'insisted on talks' demand; 'insisted it had not' asserts."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "on":
            return True
        if child.dep_ == "ccomp" and (
            child.tag_ == "VB"
            or any(a.dep_ == "aux" and a.lower_ in {"must", "should"} for a in child.children)
        ):
            return True
    return False


def _names_a_fault(token: Token, cb: Codebook) -> bool:
    """'called the strikes immoral', 'branded the vote a sham': what the object is called
    holds a word of blame (class `fault_words`); 'called the bill a first step' does not."""
    if not names_a_quality(token):
        return False
    faults = cb.words("fault_words")
    called = [c for c in token.children if c.dep_ == "oprd"] or [
        c for c in token.children if c.dep_ == "dobj"
    ][1:]
    called = called or _trailing_adjectives(token)
    return any(w.lemma_.lower() in faults or w.lower_ in faults for c in called for w in c.subtree)


def _named_as_a_fault(token: Token, cb: Codebook) -> bool:
    """'described the shelling as a war crime', 'described the rebels fighting there as
    "terrorists"': an "as" phrase of the verb or of its object, wherever the parser hangs it
    inside the object's phrase, names a word of blame (class `fault_words`)."""
    faults = cb.words("fault_words")
    phrases = [token, *(t for c in token.children if c.dep_ == "dobj" for t in c.subtree)]
    return any(
        p.dep_ == "prep"
        and p.lower_ == "as"
        and any(w.lemma_.lower() in faults or w.lower_ in faults for w in p.subtree)
        for head in phrases
        for p in head.children
    )


def _forces_subject(token: Token, cb: Codebook) -> bool:
    """'riot police gathered in the square', 'troops gathered near the border': the verb's
    subject (or, for a coordinated verb, the first verb's) is a force (class `military`)."""
    verb = token.head if token.dep_ == "conj" and token.head.pos_ == "VERB" else token
    forces = cb.words("military")
    return any(
        c.dep_ == "nsubj" and c.lemma_.lower() in forces for v in {token, verb} for c in v.children
    )


def _warns_of_what_is(token: Token, cb: Codebook) -> bool:
    """'warned that the rebels are regrouping' states what is; 'warned that it could
    spread', 'warned they were going to strike', 'warned that Moscow plans to invade' tell
    harm to come (classes `harm_to_come`, `future_heads`). False without a content clause."""
    clauses = [c for c in token.children if c.dep_ == "ccomp"]
    if not clauses:
        return False
    ahead = cb.words("harm_to_come") | cb.words("future_heads")
    for clause in clauses:
        if clause.tag_ == "VB" or clause.lemma_.lower() in ahead or clause.lower_ in ahead:
            return False  # "warned that he leave", "warned that it is going to …"
        if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in ahead for c in clause.children):
            return False
    return True


def _owned_or_dated(token: Token, cb: Codebook) -> bool:
    """'Merkel's gas deal', 'the 2015 agreement', 'the 1994 Budapest memorandum': a named
    possessor or a year names the agreement. 'Reached their first agreement', 'signed
    Merkel's deal' tell of it being made."""
    if token.head.lemma_.lower() in cb.words("sealing_verbs"):
        return False
    return any(
        (c.dep_ == "poss" and c.pos_ == "PROPN") or (c.ent_type_ == "DATE" and c.like_num)
        for c in token.children
    )


def _says_that(token: Token, cb: Codebook) -> bool:
    """The verb governs a that-clause ("allowed that some reforms had failed")."""
    return any(
        c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        for c in token.children
    )


def _serves_an_inquiry(token: Token, cb: Codebook) -> bool:
    """What is given goes to an investigation: "gave help with two fraud inquiries", "gave
    a boost to the probe", "provided information to the inquiry" (class `inquiries`)."""
    inquiries = cb.words("inquiries")
    holders = [token, *(c for c in token.children if c.dep_ == "dobj")]
    return any(
        pobj.lemma_.lower() in inquiries
        for holder in holders
        for word in _GIVEN_TO
        for pobj in prep_objects(holder, word)
    )


# The prepositions that say what help or information is given to or for.
_GIVEN_TO = ("on", "to", "in", "with", "for")


def _done_by_protest(token: Token, cb: Codebook) -> bool:
    """The verb's subject is a protest or its marchers ("marchers targeted the embassy";
    class `protest_words`)."""
    protests = cb.words("protest_words")
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in protests for c in token.children)


def names_a_quality(token: Token) -> bool:
    """'called the claims absurd', 'branded the vote a sham': an object and what it is called
    (a predicate complement, or a second object)."""
    objects = [c for c in token.children if c.dep_ == "dobj"]
    said_to_be = [c for c in token.children if c.dep_ == "oprd"]
    if objects and not said_to_be and len(objects) == 1:
        return bool(_trailing_adjectives(token))
    return bool(objects) and (bool(said_to_be) or len(objects) > 1)


def _trailing_adjectives(token: Token) -> list[Token]:
    """Quoted adjectives after the verb's object: English puts an attributive adjective
    before its noun, so a quoted one after it is what the object is called, hung on the
    noun by the parser ('called the strikes "deeply shameful"'); "an agreement worth
    billions" names nothing."""
    doc = token.doc
    return [
        a
        for o in token.children
        if o.dep_ == "dobj"
        for a in o.children
        if a.dep_ == "amod"
        and a.i > o.i
        and a.pos_ == "ADJ"
        and any(t.is_quote for t in doc[o.i + 1 : a.i])
    ]


# Words that open a question put to someone ("asked Truss why …").
_QUESTION_WORDS = {"why", "how", "whether", "if", "what", "when", "where", "who", "which"}
# Of them, those that open no relative clause, wherever the parser hangs their clause.
_OPEN_QUESTIONS = {"why", "how", "whether"}


def _asks_for(token: Token, cb: Codebook) -> bool:
    """'asked them to leave', 'asked for help' request; 'asked whether' and 'asked the
    minister why …' question."""
    for clause in token.children:
        if clause.dep_ == "ccomp" and any(
            c.lower_ in _QUESTION_WORDS for c in clause.children if c.i < clause.i
        ):
            return False
    if any(
        t.lower_ in _OPEN_QUESTIONS and t.dep_ in {"advmod", "mark"}
        for t in token.subtree
        if t.i > token.i
    ):
        return False  # "asked X at a hearing why …", its clause hung on the session
    return any(
        c.dep_ in {"xcomp", "dobj"} or (c.dep_ == "prep" and c.lower_ == "for")
        for c in token.children
    )


def _to_clause(token: Token, cb: Codebook) -> bool:
    """The verb governs an infinitive ('sought to reassure', 'swore to fight')."""
    return any(
        child.dep_ in {"xcomp", "advcl"}
        and any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children)
        for child in token.children
    )


def _anonymity(token: Token, cb: Codebook) -> bool:
    """'asked not to be named', 'when asked'."""
    words = {t.lemma_.lower() for t in token.subtree}
    return bool(words & {"name", "identify", "identified", "named"}) or any(
        c.dep_ == "advmod" and c.lower_ == "when" for c in token.children
    )


def _to_place(token: Token, cb: Codebook) -> bool:
    """'travelled to Ankara': a to-phrase naming a place."""
    return any(
        p.dep_ == "prep"
        and p.lower_ == "to"
        and any(g.ent_type_ in {"GPE", "LOC", "FAC"} for g in p.children)
        for p in token.children
    )


def _from_storage(verb: Token, cb: Codebook) -> bool:
    """'removing armoured vehicles from long-term storage' (codebook class stores)."""
    stores = cb.words("stores")
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in {"from", "out"}:
            for pobj in prep.subtree:
                if pobj.dep_ == "pobj" and pobj.lemma_.lower() in stores:
                    return True
    return False


def derived_trigger(
    cb: Codebook, event_type: EventType, factuality: Factuality, trigger: Token
) -> Trigger | None:
    """The speech act a non-factual event implies, if PLOVER codes one: the first of the
    codebook's `implied` rules that holds decides."""
    if factuality == "hypothetical" and _reported_would(cb, trigger):
        factuality = "future"  # "they said they would blockade Paris": future in the past
    for rule in cb.implied:
        if _implied_holds(rule.when, event_type, factuality, trigger, cb):
            return rule.then
    return None


def _implied_holds(
    when: ImpliedWhen, event_type: EventType, factuality: Factuality, trigger: Token, cb: Codebook
) -> bool:
    if when.factuality is not None and factuality not in when.factuality:
        return False
    if when.event_types is not None and event_type not in when.event_types:
        return False
    return when.check is None or _CHECKS[when.check](trigger, cb)


def _reported_would(cb: Codebook, trigger: Token) -> bool:
    would = any(c.dep_ == "aux" and c.lower_ == "would" for c in trigger.children)
    return (
        would
        and trigger.dep_ == "ccomp"
        and trigger.head.lemma_.lower() in cb.words("saying_verbs")
    )


def _must(trigger: Token, cb: Codebook) -> bool:
    """'Libya must hand over the suspects': the event is demanded."""
    return any(c.dep_ == "aux" and c.lower_ == "must" for c in trigger.children)


def _refused(trigger: Token, cb: Codebook) -> bool:
    """A negated future ("will not", "would not"): a refusal, not a denied fact."""
    if any(c.dep_ == "auxpass" for c in trigger.children):
        return False  # "will no longer be allowed" restricts someone else
    return any(
        c.dep_ == "aux" and c.lower_ in cb.words("will_auxiliaries") | {"would"}
        for c in trigger.children
    )


def intent_token(cb: Codebook, trigger: Token) -> Token | None:
    """Where an announced intent sits: the future auxiliary ("will meet"), the verb of
    intent ("plans to send") or the main-clause trigger itself; None in purpose clauses."""
    aux = next(
        (
            c
            for c in trigger.children
            if c.dep_ == "aux" and c.lower_ in cb.words("will_auxiliaries") | {"would"}
        ),
        None,
    )
    if aux is not None:
        return aux
    if trigger.dep_ == "xcomp":
        return trigger.head if trigger.head.lemma_.lower() in cb.words("intending_words") else None
    # A purpose clause ("… to discuss the details") announces nothing of its own.
    return None if trigger.dep_ in {"advcl", "acl", "relcl"} else trigger


# The structural checks by the name rules use (codebook.CheckName).
Check = Callable[["Token", Codebook], bool]
_CHECKS: dict[CheckName, Check] = {
    "demanding": _demanding,
    "asks_for": _asks_for,
    "to_clause": _to_clause,
    "anonymity": _anonymity,
    "to_place": _to_place,
    "from_storage": _from_storage,
    "must": _must,
    "refused": _refused,
    "names_a_fault": _names_a_fault,
    "warns_of_what_is": _warns_of_what_is,
    "named_as_a_fault": _named_as_a_fault,
    "forces_subject": _forces_subject,
    "owned_or_dated": _owned_or_dated,
    "says_that": _says_that,
    "serves_an_inquiry": _serves_an_inquiry,
    "done_by_protest": _done_by_protest,
}


def checks_available() -> set[str]:
    """The names of the structural checks this interpreter implements (tested to be every
    name a codebook may use)."""
    return set(_CHECKS)
