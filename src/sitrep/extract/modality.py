"""Factuality of an event trigger: asserted, reported, uncertain, hypothetical, conditional,
future or negated, read off the dependency parse and a few cue lexicons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.codebook import Codebook
from sitrep.extract.lexicons import Lexicons
from sitrep.model.vocab import Factuality

if TYPE_CHECKING:
    from spacy.tokens import Token

_CONDITIONAL_MARKS = {"if", "unless", "provided"}
# "in the case of", "in the event of", "in case of": what follows is a supposition.
_CASE_NOUNS = {"case", "event"}
# Links through which a denial or a weighing reaches the trigger ("denies plans to invade").
_COMPLEMENT_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "acl", "pcomp", "relcl"}
_PAST_REPORTING = {"VBD", "VBN"}


def factuality(trigger: Token, lex: Lexicons, book: Codebook, in_quote: bool) -> Factuality:
    """The strongest modality that governs the trigger.

    Order matters: a doubt about the whole claim ("it was not immediately clear whether
    Ukraine had proposed …") outranks the negation inside the doubt phrase; negation of the
    trigger itself outranks condition, possibility and futurity; reporting comes last.
    """
    chain = _governing_chain(trigger)
    if _uncertain_scope(trigger, chain, lex):
        return "uncertain"
    if _negated(trigger, chain, book):
        return "negated"
    condition = _condition(trigger, chain)
    if condition is not None:
        return condition
    if _supposed(trigger, chain, book) or _question(trigger):
        return "hypothetical"
    auxes = {c.lower_ for t in chain[:2] for c in t.children if c.dep_ in {"aux", "auxpass"}}
    if "would" in auxes and _reported_past(trigger, lex):
        return "future"  # "Russia said it would withdraw": a future told in the past
    if auxes & lex.hedges.modals:
        return "hypothetical"
    future_aux = book.words("will_auxiliaries")
    if auxes & future_aux or _going_to(trigger) or _intended(chain, book):
        return "future"
    if _uncertain(trigger, chain, lex):
        return "uncertain"
    if in_quote or any(t.lemma_ in lex.reporting_verbs and t.i != trigger.i for t in chain[1:]):
        return "reported"
    if _according_to(trigger):
        return "reported"
    return "asserted"


def _reported_past(trigger: Token, lex: Lexicons) -> bool:
    """The trigger is the complement of a past reporting verb ("said it would …")."""
    head = trigger.head
    return (
        trigger.dep_ == "ccomp"
        and head.lemma_ in lex.reporting_verbs | {"announce", "promise", "pledge", "vow"}
        and head.tag_ in _PAST_REPORTING
    )


def _supposed(trigger: Token, chain: list[Token], book: Codebook) -> bool:
    """Governed by a verb that weighs an option ("considering imposing sanctions"), or
    inside "in the case of …" / "in the event of …"."""
    for k in range(1, min(4, len(chain))):
        if (
            chain[k].lemma_ in book.words("weighing_heads")
            and chain[k - 1].dep_ in _COMPLEMENT_DEPS
        ):
            return True
    for token in chain[1:4]:
        if token.lower_ == "of" and token.head.lemma_ in _CASE_NOUNS:
            return True
        if token.lemma_ == "case" and any(c.lower_ == "in" for c in token.children):
            return True  # "in case Russia invades"
    return False


def _question(trigger: Token) -> bool:
    """A question asks; it tells of nothing ("Will Russia invade?")."""
    return trigger.sent.text.rstrip().rstrip("\"'”’").endswith("?")


def _governing_chain(trigger: Token) -> list[Token]:
    """The trigger and the heads above it, up to the sentence root."""
    chain = [trigger]
    token = trigger
    while token.head.i != token.i and len(chain) < 8:
        token = token.head
        chain.append(token)
    return chain


def _contrasted_clause(conjunct: Token) -> bool:
    """A conjunct with its own subject after "but" or "yet": a clause of its own."""
    own_subject = any(c.dep_ in {"nsubj", "nsubjpass"} for c in conjunct.children)
    contrast = any(c.dep_ == "cc" and c.lower_ in {"but", "yet"} for c in conjunct.head.children)
    return own_subject and contrast


def _negated(trigger: Token, chain: list[Token], book: Codebook) -> bool:
    if any(c.dep_ == "neg" for c in trigger.children):
        return True
    # "did not send troops or tanks": the negation sits on the first verb of a coordination
    # (not across "but" to a clause with its own subject: "has not been abandoned, but Biden
    # is authorising").
    if trigger.dep_ == "conj" and any(c.dep_ == "neg" for c in trigger.head.children):
        return not _contrasted_clause(trigger)
    if any(
        c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children) for c in trigger.children
    ):
        return True  # "will no longer be allowed"
    if trigger.dep_ == "pcomp" and trigger.head.lower_ == "without":
        return True  # "agreed to resign without returning"
    # "are not going to attack", "did not want to send": the negation sits on the governor.
    if trigger.dep_ == "xcomp" and any(c.dep_ == "neg" for c in trigger.head.children):
        return True
    # "would not be reckless enough to attack", "is not willing to send": the negation sits
    # on the verb the governing adjective completes.
    adjective = trigger.head
    completed = adjective.head.children if adjective.dep_ == "acomp" else ()
    if trigger.dep_ == "xcomp" and any(c.dep_ == "neg" for c in completed):
        return True
    for k in range(1, min(4, len(chain))):
        # "denied sending troops", "denies plans to invade", "refused to attend the talks".
        if (
            chain[k].lemma_ in book.words("negating_heads")
            and chain[k - 1].dep_ in _COMPLEMENT_DEPS
        ):
            return True
    return any(
        c.lower_ in {"no", "never"} and c.dep_ in {"det", "neg", "advmod"} for c in trigger.children
    )


def _condition(trigger: Token, chain: list[Token]) -> Factuality | None:
    """ "hypothetical" for what an if-clause supposes ("if Russia *attacks*"),
    "conditional" for what is promised should it happen ("… we *will respond*")."""
    for token in chain:
        if token.dep_ in {"ccomp", "relcl"} and token is not trigger:
            break  # a condition inside reported speech stays with that speech
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONAL_MARKS for c in token.children):
            return "hypothetical"
    for token in chain[:2]:
        for child in token.children:
            if child.dep_ == "advcl" and any(
                g.dep_ == "mark" and g.lower_ in _CONDITIONAL_MARKS for g in child.children
            ):
                return "conditional"
    return None


def _intended(chain: list[Token], book: Codebook) -> bool:
    """'plans to send', 'ready to fight': the trigger is the complement of a verb of intent
    (a coordinated verb, as in 'agreed … and thanked', is not)."""
    return any(
        chain[k].lemma_ in book.words("future_heads") and chain[k - 1].dep_ in {"xcomp", "ccomp"}
        for k in range(1, min(3, len(chain)))
    )


def _going_to(trigger: Token) -> bool:
    head = trigger.head
    return (
        trigger.dep_ == "xcomp"
        and head.lemma_ == "go"
        and any(c.dep_ == "aux" and c.lemma_ == "be" for c in head.children)
    )


def _uncertain_scope(trigger: Token, chain: list[Token], lex: Lexicons) -> bool:
    """An uncertainty phrase ("not immediately clear whether") that governs the trigger."""
    sentence = trigger.sent
    text = sentence.text.lower()
    for phrase in lex.hedges.phrases:
        at = text.find(phrase)
        if at < 0:
            continue
        phrase_start = sentence.start_char + at
        # The phrase governs what follows it ("unclear whether X") or a claim it closes
        # ("X, which could not be independently verified").
        if trigger.idx > phrase_start or "verif" in phrase or "confirm" in phrase:
            return True
    return False


def _uncertain(trigger: Token, chain: list[Token], lex: Lexicons) -> bool:
    for token in chain[:3]:
        for child in token.children:
            if child.dep_ == "advmod" and child.lower_ in lex.hedges.anywhere:
                return True
        hedging = token.lemma_ in {"seem", "appear"} or token.lemma_ in lex.hedges.reporting_verbs
        if hedging and token.i != trigger.i:
            return True
    return False


def _according_to(trigger: Token) -> bool:
    for token in trigger.sent:
        if (
            token.lower_ == "according"
            and token.i + 1 < len(token.doc)
            and token.nbor(1).lower_ == "to"
        ):
            return True
    return False
