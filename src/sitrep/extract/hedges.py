"""Hedge and weasel cues: words that make a claim uncertain or leave its source vague.

Word lists alone over-fire ("May" the month, "could" of ability in the past, "some" of a
count), so each cue is read in context: modals must be tagged MD, quantifiers must head a
vague subject ("some critics"), perception verbs must be passive or take an infinitive
("is believed to", "seems to"). `epistemic` cues (may, reportedly, unclear …) make a quote
`hedged`; `weasel` cues (many, often, widely …) only make a sentence vague.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitrep.extract.cuelex import cue_lexicon

if TYPE_CHECKING:
    from collections.abc import Iterable

    from spacy.tokens import Doc, Token

    from sitrep.model import Span

_MODALS = {"may", "might", "could", "would", "should"}
_EPISTEMIC_ADVERBS = {
    "possibly", "perhaps", "probably", "likely", "unlikely", "reportedly", "allegedly",
    "apparently", "seemingly", "purportedly", "supposedly", "presumably", "arguably",
    "maybe", "conceivably", "potentially", "ostensibly", "perchance", "rumoredly",
}  # fmt: skip
_EPISTEMIC_ADJECTIVES = {
    "possible", "probable", "likely", "unlikely", "unclear", "uncertain", "unconfirmed",
    "unverified", "alleged", "suspected", "purported", "supposed", "rumored", "rumoured",
    "questionable", "doubtful", "disputed", "controversial", "debatable", "apparent",
}  # fmt: skip
_WEASEL_ADVERBS = {
    "often", "usually", "generally", "widely", "commonly", "sometimes", "frequently",
    "typically", "mostly", "largely", "mainly", "traditionally", "occasionally", "reputedly",
    "popularly", "somewhat", "relatively", "fairly", "rather", "virtually", "essentially",
    "almost", "nearly", "roughly", "approximately", "about", "around", "some",
}  # fmt: skip
_WEASEL_ADJECTIVES = {"many", "several", "various", "numerous", "certain", "considerable"}
_VAGUE_QUANTIFIERS = {"some", "many", "most", "several", "various", "numerous", "few", "others"}
_VAGUE_NOUNS = {
    "people", "critics", "scholars", "historians", "experts", "observers", "sources", "fans",
    "analysts", "commentators", "researchers", "others", "authors", "writers", "scientists",
    "believers", "theorists", "reports", "accounts", "claims",
}  # fmt: skip
# Verbs that hedge when passive without an agent or with an infinitive ("is thought to").
_PERCEPTION_VERBS = {
    "believe", "think", "consider", "regard", "say", "claim", "allege", "suppose", "rumor",
    "rumour", "report", "suggest", "assume", "estimate", "expect", "presume", "speculate",
    "suspect", "view", "describe", "see", "know", "call", "deem", "hold", "reckon", "argue",
}  # fmt: skip
# Verbs that hedge whatever their form.
_HEDGE_VERBS = {
    "seem", "appear", "suggest", "speculate", "indicate", "tend", "suspect", "doubt",
    "assume", "presume", "guess", "estimate", "believe", "argue", "claim", "allege",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class HedgeCue:
    token_i: int
    text: str
    strength: str  # "epistemic" or "weasel"


def hedge_cues(tokens: Iterable[Token]) -> list[HedgeCue]:
    cues: list[HedgeCue] = []
    for token in tokens:
        strength = _classify(token)
        if strength is not None:
            cues.append(HedgeCue(token.i, token.text, strength))
    return cues


def _classify(token: Token) -> str | None:
    lower, lemma, tag = token.lower_, token.lemma_.lower(), token.tag_
    if lower in _MODALS and tag == "MD":
        if lower in {"would", "should"}:
            return None
        return "epistemic"
    if lower in _EPISTEMIC_ADVERBS and token.pos_ in {"ADV", "ADJ"}:
        return "epistemic"
    if lower in _EPISTEMIC_ADJECTIVES and token.pos_ in {"ADJ", "VERB"}:
        return "epistemic"
    if lemma in _HEDGE_VERBS and token.pos_ == "VERB":
        return "epistemic"
    if lemma in _PERCEPTION_VERBS and token.pos_ in {"VERB", "AUX"}:
        passive = any(c.dep_ == "auxpass" for c in token.children) or tag == "VBN"
        agent = any(c.dep_ == "agent" for c in token.children)
        infinitive = any(c.dep_ == "xcomp" and c.left_edge.lower_ == "to" for c in token.children)
        if (
            passive
            and (not agent or _vague_agent(token))
            and (infinitive or _has_it_subject(token))
        ):
            return "epistemic"
        if passive and not agent and tag == "VBN" and token.dep_ in {"ROOT", "ccomp", "conj"}:
            return "weasel"
        if _vague_subject(token):
            return "weasel"
    if lower in _VAGUE_QUANTIFIERS and token.dep_ in {"det", "amod", "nsubj", "nsubjpass"}:
        head = token if token.dep_.startswith("nsubj") else token.head
        if head.dep_.startswith("nsubj") or head.lower_ in _VAGUE_NOUNS:
            return "weasel"
    if lower in _VAGUE_NOUNS and token.dep_.startswith("nsubj") and _bare_plural(token):
        return "weasel"
    if (
        lower in _WEASEL_ADVERBS
        and token.dep_ == "advmod"
        and token.head.pos_ in {"VERB", "AUX", "ADJ"}
    ):
        return "weasel"
    if lower in _WEASEL_ADJECTIVES and token.dep_ == "amod":
        return "weasel"
    return None


def _has_it_subject(verb: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "expl"} and c.lower_ == "it" for c in verb.children)


def _vague_agent(verb: Token) -> bool:
    for child in verb.children:
        if child.dep_ == "agent":
            return any(g.lower_ in _VAGUE_NOUNS | _VAGUE_QUANTIFIERS for g in child.subtree)
    return False


def _vague_subject(verb: Token) -> bool:
    for child in verb.children:
        if child.dep_ == "nsubj":
            words = {t.lower_ for t in child.subtree}
            return bool(words & _VAGUE_QUANTIFIERS) or (
                child.lower_ in _VAGUE_NOUNS and _bare_plural(child)
            )
    return False


def _bare_plural(noun: Token) -> bool:
    return noun.tag_ == "NNS" and not any(c.dep_ in {"det", "poss"} for c in noun.children)


# Cues of a vague source or an unsupported claim in encyclopaedic/news prose, chosen by hand
# and checked on CoNLL-2010: a bare "may" or "could" is mostly non-committal there, not weasel
# ("may have been" is, below).
_WEASEL_WORDS = {
    "many", "widely", "critics", "scholars", "historians", "scientists", "fans",
    "experts", "observers", "analysts", "commentators", "probably", "possibly", "perhaps",
    "allegedly", "alleged", "seemingly", "supposedly", "purportedly",
    "arguably", "largely", "notable", "famous", "controversial", "mainstream", "might",
    "presumably", "rumored", "rumoured", "unclear", "unconfirmed", "unverified", "disputed",
    "seems", "likely", "unlikely", "whether", "numerous", "notorious",
    "acclaimed", "legendary",
}  # fmt: skip
_TIME_NOUNS = {"year", "time", "day", "week", "month", "decade", "century", "hour", "minute"}
# Adverbs that generalise without a source ("is commonly held", "traditionally seen").
_VAGUE_FREQUENCY = {"commonly", "traditionally", "popularly", "reputedly"}
# Superlatives that state a checkable measure, not praise ("the most recent", "most common").
_MEASURED = {"recent", "common", "frequent", "populous", "populated", "intense", "basic"}
# Subjects that stand for an unnamed group of people.
_VAGUE_CROWD = {"others", "majority", "many", "some", "most", "few"}
# Verbs that present a claim as one side's view, whatever their form ("some suggest").
_ARGUING_LEMMAS = {"suggest", "argue", "speculate", "contend", "theorize", "theorise", "posit"}
# Renown asserted without a source ("is well known for", "best known as").
_RENOWN_ADVERBS = {"well", "best", "widely", "better"}
# Verbs that hide their source when passive ("is considered", "was reported", "is said to").
_PASSIVE_LEMMAS = {
    "consider", "believe", "think", "regard", "view", "perceive", "accept", "suggest",
    "report", "argue", "allege", "rumor", "rumour", "speculate", "claim", "say", "criticize",
    "criticise",
}  # fmt: skip


def weasel_cues(tokens: Iterable[Token]) -> list[Token]:
    """Sentence-level weasel/hedge cues (the CoNLL-2010 Wikipedia notion)."""
    return [t for t in tokens if _is_weasel(t)]


def _is_weasel(token: Token) -> bool:
    lower = token.lower_
    if token.tag_ in {"NNP", "NNPS"}:
        return False
    if lower in {"some", "many"} and token.head.lemma_.lower() in _TIME_NOUNS:
        return False  # "for many years", "some time later": a duration, not a vague source
    if lower == "some":  # "some critics", not "some 20 km"
        return token.dep_ in {"det", "nsubj", "nsubjpass", "dobj", "pobj"}
    if lower == "supporters":  # "supporters claim", not "his supporters marched"
        return token.dep_ == "nsubj" and _bare_plural(token)
    if lower == "certain":
        return token.dep_ == "amod"
    if lower in _WEASEL_WORDS:
        return True
    if lower == "most":  # "the most influential", "most historians", "most of them"
        if token.dep_ == "advmod":
            return token.head.pos_ in {"ADJ", "ADV"} and token.head.lower_ not in _MEASURED
        return token.dep_ in {"nsubj", "nsubjpass", "pobj"}
    if lower in {"may", "could"} and token.tag_ == "MD" and _perfect_after(token):
        return True  # "may have been": speculation about the past
    if lower == "number" and _a_number_of(token):
        return True  # "a number of critics"
    lemma = token.lemma_.lower()
    if lemma in {"seem", "suppose"} and _infinitive_after(token):
        return True  # "seemed to favour", "is supposed to have"
    if lower in _VAGUE_FREQUENCY and token.dep_ == "advmod":
        return True
    if lower in _VAGUE_CROWD and token.dep_ in {"nsubj", "nsubjpass"}:
        return True  # "others view it as", "the majority believe"
    if lemma in _ARGUING_LEMMAS and token.pos_ == "VERB":
        return True
    if lower == "known" and any(c.lower_ in _RENOWN_ADVERBS for c in token.children):
        return True
    if token.tag_ in {"JJS", "RBS"} and _after_one_of(token):
        return True  # "one of the most influential", "one of the best": praise without a source
    if lemma in _PASSIVE_LEMMAS and token.tag_ == "VBN":
        passive = any(c.dep_ == "auxpass" for c in token.children) or token.dep_ == "acl"
        return passive and not any(c.dep_ == "agent" for c in token.children)
    return False


def _infinitive_after(verb: Token) -> bool:
    doc, i = verb.doc, verb.i
    return i + 1 < len(doc) and doc[i + 1].lower_ == "to" and verb.pos_ in {"VERB", "AUX"}


def _perfect_after(modal: Token) -> bool:
    doc, i = modal.doc, modal.i
    return i + 2 < len(doc) and doc[i + 1].lower_ == "have" and doc[i + 2].tag_ == "VBN"


def _a_number_of(token: Token) -> bool:
    doc, i = token.doc, token.i
    return 0 < i < len(doc) - 1 and doc[i - 1].lower_ == "a" and doc[i + 1].lower_ == "of"


def _after_one_of(token: Token) -> bool:
    i = token.i
    return i >= 3 and token.doc[i - 3].lower_ == "one" and token.doc[i - 2].lower_ == "of"


def sentence_hedged(tokens: Iterable[Token], *, weasel: bool = True) -> bool:
    """Does the sentence carry a hedge (or, with `weasel`, a vague-source) cue?"""
    tokens = list(tokens)
    if weasel and weasel_cues(tokens):
        return True
    if not weasel and any(c.strength == "epistemic" for c in hedge_cues(tokens)):
        return True
    text = " ".join(t.lower_ for t in tokens)
    return any(phrase in text for phrase in _uncertainty_phrases())


def _uncertainty_phrases() -> tuple[str, ...]:
    return cue_lexicon().uncertainty_phrases


def span_hedged(doc: Doc, content: Span, cue: Token | None) -> bool:
    """A quote is hedged when its cue is a hedging verb ("claimed"), its content carries an
    epistemic cue, or its sentence puts it in doubt ("could not be independently verified")."""
    lex = cue_lexicon()
    if cue is not None and cue.lemma_ in lex.hedging_verbs:
        return True
    span = doc.char_span(content.start, content.end, alignment_mode="expand")
    if span is not None:
        if any(c.strength == "epistemic" for c in hedge_cues(span)):
            return True
        if any(t.lower_ in lex.hedges for t in span if t.tag_ != "NNP"):
            return True
    sentence = cue.sent if cue is not None else span.sent if span is not None else None
    if sentence is None:
        return False
    text = sentence.text.lower()
    return any(phrase in text for phrase in lex.uncertainty_phrases)
