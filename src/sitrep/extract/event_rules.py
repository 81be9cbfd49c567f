"""PLOVER coding conventions applied on top of the trigger lexicon.

The lexicon says what a word usually means; these rules read the word's neighbours where
the PLOVER/CAMEO codebooks code the same word differently:
* signing or reaching an agreement is SUPPORT (CAMEO 057), offering one is AGREE;
* troops sent on a peacekeeping mission are AID (CAMEO 074), not MOBILIZE;
* "granted permission" is a concession (YIELD), "granted aid" is AID (via the noun);
* an announced future cooperative act ("X will meet Y", "will release prisoners") is coded
  as AGREE (PLOVER: "future-tense cooperation counts here"), and a conditional use of force
  ("will strike if …") as THREATEN. Those are added as extra events on the governing
  auxiliary, so the underlying event keeps its own type and factuality.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.lexicons import Trigger

if TYPE_CHECKING:
    from spacy.tokens import Token

_AGREEMENTS = {"agreement", "deal", "pact", "treaty", "accord", "memorandum", "charter"}
_SEALING = {"sign", "ratify", "reach", "conclude", "seal", "clinch", "strike", "finalize", "agree"}
_COOPERATIVE = {"CONSULT", "AID", "COOPERATE", "RETREAT", "CONCEDE", "SUPPORT"}
_FORCEFUL = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE"}
# Nouns that are a threat only when they announce what will happen ("the answer will be
# most cruel", "a crushing response"); as past facts they name nothing codable.
THREAT_NOUNS = {"answer", "response", "retaliation", "revenge", "retribution", "punishment"}
THREAT_NOUN = Trigger("THREATEN", "violence", "138")

# What sharing is cooperation about (CAMEO 064 "share intelligence or information").
_SHARED = {
    "intelligence",
    "information",
    "data",
    "technology",
    "expertise",
    "experience",
    "evidence",
}
_MANOEUVRES = {"exercise", "drill", "game", "manoeuvre", "maneuver"}
_JOINT_EXERCISE = Trigger("COOPERATE", None, "062")
STORES = {"storage", "reserve", "depot", "warehouse", "base", "stock", "stockpile", "arsenal"}
_FROM_STORAGE = Trigger("MOBILIZE", "weapons", "154")
_SUPPORT_SIGN = Trigger("SUPPORT", None, "057")
_PEACEKEEPING = Trigger("AID", "peacekeeping", "074")
_YIELD_GRANT = Trigger("CONCEDE", None, "080")
INTENT = Trigger("AGREE", None, "030")
_WILL = {"will", "shall", "'ll", "wo"}
_INTENDING = {"plan", "intend", "pledge", "promise", "vow", "offer", "prepare", "decide", "aim"}
_INTENDING |= {"ready", "willing", "prepared", "set", "agree"}
DEMAND = Trigger("REQUEST", None, "100")
THREAT = Trigger("THREATEN", "violence", "138")


def refine(entry: Trigger, token: Token, head: Token) -> Trigger | None:
    """The trigger's type once its neighbours are read (see the module docstring);
    None when the word is no event here ("shared a video", "shares a border")."""
    lemma = token.lemma_.lower()
    if lemma == "share" and not any(
        c.dep_ == "dobj" and c.lemma_.lower() in _SHARED for c in token.children
    ):
        return None
    if lemma in _MANOEUVRES and token.pos_ == "NOUN":
        if lemma == "game" and not any(c.lower_ == "war" for c in token.children):
            return None
        if any(c.lower_ in {"joint", "combined"} for c in token.children):
            return _JOINT_EXERCISE  # joint exercises are military cooperation (CAMEO 062)
    if lemma in _AGREEMENTS and head.i != token.i and head.lemma_.lower() in _SEALING:
        return _SUPPORT_SIGN
    if entry.type == "MOBILIZE" and "peacekeep" in token.sent.text.lower():
        return _PEACEKEEPING
    if lemma == "grant" and token.pos_ == "VERB":
        return _YIELD_GRANT
    if entry.type == "RETREAT" and token.pos_ == "VERB" and _from_storage(token):
        return _FROM_STORAGE  # "removing armoured vehicles from long-term storage"
    return entry


def _from_storage(verb: Token) -> bool:
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in {"from", "out"}:
            for pobj in prep.subtree:
                if pobj.dep_ == "pobj" and pobj.lemma_.lower() in STORES:
                    return True
    return False


def derived_trigger(event_type: str, factuality: str, trigger: Token) -> Trigger | None:
    """The speech act a non-factual event implies, if PLOVER codes one."""
    if any(c.dep_ == "aux" and c.lower_ == "must" for c in trigger.children):
        return DEMAND  # "Libya must hand over the suspects" demands it (CAMEO 10)
    if factuality == "future" and event_type in _COOPERATIVE:
        return INTENT
    if factuality == "conditional" and event_type in _FORCEFUL:
        return THREAT
    return None


def intent_token(trigger: Token) -> Token | None:
    """Where an announced intent sits: the future auxiliary ("will meet"), the verb of
    intent ("plans to send") or the main-clause trigger itself; None in purpose clauses."""
    aux = next((c for c in trigger.children if c.dep_ == "aux" and c.lower_ in _WILL), None)
    if aux is not None:
        return aux
    if trigger.dep_ == "xcomp":
        return trigger.head if trigger.head.lemma_.lower() in _INTENDING else None
    # A purpose clause ("… to discuss the details") announces nothing of its own.
    return None if trigger.dep_ in {"advcl", "acl", "relcl"} else trigger
