"""Hedge and weasel cues: words that make a claim uncertain or leave its source vague.

Word lists alone over-fire ("May" the month, "could" of ability in the past, "some" of a
count), so each cue is read in context: modals must be tagged MD, quantifiers must head a
vague subject ("some critics"), perception verbs must be passive or take an infinitive
("is believed to", "seems to"). `epistemic` cues (may, reportedly, unclear …) make a quote
`hedged`; `weasel` cues (many, often, widely …) only make a sentence vague. The words are
data: the `hedges` section of data/lexicons/reporting.yaml, the one list of hedge words
(also read by extract/modality.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitrep.extract.cuelex import HedgeWords, cue_lexicon

if TYPE_CHECKING:
    from collections.abc import Iterable

    from spacy.tokens import Doc, Token

    from sitrep.model import Span


@dataclass(frozen=True, slots=True)
class HedgeCue:
    token_i: int
    text: str
    strength: str  # "epistemic" or "weasel"


def hedge_cues(tokens: Iterable[Token]) -> list[HedgeCue]:
    words = cue_lexicon().hedges
    cues: list[HedgeCue] = []
    for token in tokens:
        strength = _classify(token, words)
        if strength is not None:
            cues.append(HedgeCue(token.i, token.text, strength))
    return cues


def _classify(token: Token, words: HedgeWords) -> str | None:
    lower, lemma, tag = token.lower_, token.lemma_.lower(), token.tag_
    if lower in words.modals and tag == "MD":
        if lower in {"would", "should"}:
            return None
        return "epistemic"
    if lower in words.epistemic_adverbs and token.pos_ in {"ADV", "ADJ"}:
        return "epistemic"
    if lower in words.epistemic_adjectives and token.pos_ in {"ADJ", "VERB"}:
        return "epistemic"
    if lemma in words.hedge_verbs and token.pos_ == "VERB":
        return "epistemic"
    if lemma in words.perception_verbs and token.pos_ in {"VERB", "AUX"}:
        passive = any(c.dep_ == "auxpass" for c in token.children) or tag == "VBN"
        agent = any(c.dep_ == "agent" for c in token.children)
        infinitive = any(c.dep_ == "xcomp" and c.left_edge.lower_ == "to" for c in token.children)
        if (
            passive
            and (not agent or _vague_agent(token, words))
            and (infinitive or _has_it_subject(token))
        ):
            return "epistemic"
        if passive and not agent and tag == "VBN" and token.dep_ in {"ROOT", "ccomp", "conj"}:
            return "weasel"
        if _vague_subject(token, words):
            return "weasel"
    if lower in words.vague_quantifiers and token.dep_ in {"det", "amod", "nsubj", "nsubjpass"}:
        head = token if token.dep_.startswith("nsubj") else token.head
        if head.dep_.startswith("nsubj") or head.lower_ in words.vague_nouns:
            return "weasel"
    if lower in words.vague_nouns and token.dep_.startswith("nsubj") and _bare_plural(token):
        return "weasel"
    if (
        lower in words.weasel_adverbs
        and token.dep_ == "advmod"
        and token.head.pos_ in {"VERB", "AUX", "ADJ"}
    ):
        return "weasel"
    if lower in words.weasel_adjectives and token.dep_ == "amod":
        return "weasel"
    return None


def _has_it_subject(verb: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "expl"} and c.lower_ == "it" for c in verb.children)


def _vague_agent(verb: Token, words: HedgeWords) -> bool:
    for child in verb.children:
        if child.dep_ == "agent":
            return any(
                g.lower_ in words.vague_nouns | words.vague_quantifiers for g in child.subtree
            )
    return False


def _vague_subject(verb: Token, words: HedgeWords) -> bool:
    for child in verb.children:
        if child.dep_ == "nsubj":
            subject = {t.lower_ for t in child.subtree}
            return bool(subject & words.vague_quantifiers) or (
                child.lower_ in words.vague_nouns and _bare_plural(child)
            )
    return False


def _bare_plural(noun: Token) -> bool:
    return noun.tag_ == "NNS" and not any(c.dep_ in {"det", "poss"} for c in noun.children)


def weasel_cues(tokens: Iterable[Token]) -> list[Token]:
    """Sentence-level weasel/hedge cues (the CoNLL-2010 Wikipedia notion)."""
    words = cue_lexicon().hedges
    return [t for t in tokens if _is_weasel(t, words)]


def _is_weasel(token: Token, words: HedgeWords) -> bool:
    lower = token.lower_
    if token.tag_ in {"NNP", "NNPS"}:
        return False
    if lower in {"some", "many"} and token.head.lemma_.lower() in words.time_nouns:
        return False  # "for many years", "some time later": a duration, not a vague source
    if lower == "some":  # "some critics", not "some 20 km"
        return token.dep_ in {"det", "nsubj", "nsubjpass", "dobj", "pobj"}
    if lower == "supporters":  # "supporters claim", not "his supporters marched"
        return token.dep_ == "nsubj" and _bare_plural(token)
    if lower == "certain":
        return token.dep_ == "amod"
    if lower in words.weasel_words:
        return True
    if lower == "most":  # "the most influential", "most historians", "most of them"
        if token.dep_ == "advmod":
            return token.head.pos_ in {"ADJ", "ADV"} and token.head.lower_ not in words.measured
        return token.dep_ in {"nsubj", "nsubjpass", "pobj"}
    if lower in {"may", "could"} and token.tag_ == "MD" and _perfect_after(token):
        return True  # "may have been": speculation about the past
    if lower == "number" and _a_number_of(token):
        return True  # "a number of critics"
    lemma = token.lemma_.lower()
    if lemma in {"seem", "suppose"} and _infinitive_after(token):
        return True  # "seemed to favour", "is supposed to have"
    if lower in words.vague_frequency and token.dep_ == "advmod":
        return True
    if lower in words.vague_crowd and token.dep_ in {"nsubj", "nsubjpass"}:
        return True  # "others view it as", "the majority believe"
    if lemma in words.arguing_verbs and token.pos_ == "VERB":
        return True
    if lower == "known" and any(c.lower_ in words.renown_adverbs for c in token.children):
        return True
    if token.tag_ in {"JJS", "RBS"} and _after_one_of(token):
        return True  # "one of the most influential", "one of the best": praise without a source
    if lemma in words.passive_verbs and token.tag_ == "VBN":
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
    return cue_lexicon().hedges.phrases


def span_hedged(doc: Doc, content: Span, cue: Token | None) -> bool:
    """A quote is hedged when its cue is a hedging verb ("claimed"), its content carries an
    epistemic cue, or its sentence puts it in doubt ("could not be independently verified")."""
    lex = cue_lexicon()
    if cue is not None and cue.lemma_ in lex.hedges.reporting_verbs:
        return True
    span = doc.char_span(content.start, content.end, alignment_mode="expand")
    if span is not None:
        if any(c.strength == "epistemic" for c in hedge_cues(span)):
            return True
        if any(t.lower_ in lex.hedges.anywhere for t in span if t.tag_ != "NNP"):
            return True
    sentence = cue.sent if cue is not None else span.sent if span is not None else None
    if sentence is None:
        return False
    text = sentence.text.lower()
    return any(phrase in text for phrase in lex.hedges.phrases)
