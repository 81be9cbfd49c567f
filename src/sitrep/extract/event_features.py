"""Sentence features of one event candidate, for the event-type classifier (event_model).

Every feature is a readable string ("lemma=shell", "dobj=sanction", "src=MIL"), so a
model's weights explain themselves. Sentence words enter as lemmas, never as text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from sitrep.extract.lexicons import Lexicons

Features = dict[str, float]

_CONTENT = {"NOUN", "VERB", "ADJ", "PROPN"}
_ROLE_DEPS = {"dobj", "nsubj", "nsubjpass", "xcomp", "ccomp", "prt", "attr", "dative"}
_MODAL = {"will", "would", "may", "might", "could", "should", "must", "can", "shall"}


def candidate_features(
    token: Token,
    carrier: Token,
    rule_type: str,
    factuality: str,
    sectors: tuple[str | None, str | None],
) -> Features:
    """Features of the candidate whose trigger is `token` and whose roles `carrier` holds."""
    lemma = token.lemma_.lower()
    out: Features = {
        f"rule={rule_type}": 1.0,
        f"lemma={lemma}": 1.0,
        f"lemma_rule={lemma}|{rule_type}": 1.0,
        f"pos={token.pos_}": 1.0,
        f"fact={factuality}": 1.0,
        f"gov={token.head.lemma_.lower()}": 1.0,
        f"dep={token.dep_}": 1.0,
    }
    if carrier.i != token.i:
        out[f"carrier={carrier.lemma_.lower()}"] = 1.0
    source, target = sectors
    out[f"src={source or 'none'}"] = 1.0
    out[f"tgt={target or 'none'}"] = 1.0
    for node in {token, carrier}:
        for child in node.children:
            _child_features(child, out)
    return out


def sentence_features(sent: SpacySpan, lex: Lexicons) -> Features:
    """What the whole sentence says, shared by all its candidates (computed once)."""
    out: Features = {}
    for word in sent:
        if word.is_stop or word.pos_ not in _CONTENT:
            if word.lower_ in _MODAL or word.dep_ == "neg":
                out[f"cue={word.lower_}"] = 1.0
            continue
        wl = word.lemma_.lower()
        out[f"w={wl}"] = 1.0
        hit = lex.verb_triggers.get(wl) if word.pos_ == "VERB" else lex.noun_triggers.get(wl)
        if hit is not None:
            out[f"lex={hit.type}"] = 1.0  # the trigger words of the sentence
    return out


def _child_features(child: Token, out: Features) -> None:
    if child.dep_ in _ROLE_DEPS:
        out[f"{child.dep_}={child.lemma_.lower()}"] = 1.0
        if child.ent_type_:
            out[f"{child.dep_}_ent={child.ent_type_}"] = 1.0
    elif child.dep_ == "prep":
        out[f"prep={child.lower_}"] = 1.0
        for pobj in child.children:
            if pobj.dep_ == "pobj":
                out[f"prep_{child.lower_}={pobj.lemma_.lower()}"] = 1.0
    elif child.dep_ in {"neg", "aux"}:
        out[f"{child.dep_}={child.lower_}"] = 1.0
