"""PLOVER coding conventions applied on top of the trigger lexicon.

The lexicon says what a word usually means; these rules read the word's neighbours where
the PLOVER/CAMEO codebooks code the same word differently:
* signing or reaching an agreement is SUPPORT (CAMEO 057), offering one is AGREE;
* troops sent on a peacekeeping mission are AID (CAMEO 074), not MOBILIZE;
* "granted permission" is a concession (YIELD), "granted aid" is AID (via the noun);
* an announced future cooperative act ("X will meet Y", "will release prisoners") is coded
  as AGREE (PLOVER: "future-tense cooperation counts here"), and a conditional use of force
  ("will strike if …") as THREATEN. Those are added as extra events on the governing
  auxiliary, so the underlying event keeps its own type and factuality. An announced
  future use of force or coercion ("will impose a curfew", reported "would blockade") is
  a THREATEN too (CAMEO 13), and a refusal to cooperate ("will not accept") a REJECT;
* what is handed over decides between aid and moving forces: arms, medicine or food sent
  are AID (CAMEO 07), inspectors or envoys sent are no force posture at all;
* lifting, easing or cancelling restrictions, sanctions or a curfew is a concession
  (CAMEO 081), as is accepting demands (083); cutting aid is a sanction (CAMEO 162);
* a strike that is a hunger, general or workers' strike is a protest (CAMEO 14), and
  blocking roads or throwing stones is protest (144, 145).
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Literal

from sitrep.extract.codebook import Codebook
from sitrep.extract.lexicons import Trigger
from sitrep.model.vocab import EventType, Factuality

if TYPE_CHECKING:
    from spacy.tokens import Token

_COOPERATIVE = {"CONSULT", "AID", "COOPERATE", "RETREAT", "CONCEDE", "SUPPORT"}
_FORCEFUL = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE"}
_THREATENING = {"ASSAULT", "COERCE", "SANCTION"}
# Nouns that are a threat only when they announce what will happen ("the answer will be
# most cruel", "a crushing response"); as past facts they name nothing codable.
THREAT_NOUN = Trigger("THREATEN", "violence", "138")

# What sharing is cooperation about (CAMEO 064 "share intelligence or information").
_JOINT_EXERCISE = Trigger("COOPERATE", None, "062")
_FROM_STORAGE = Trigger("MOBILIZE", "weapons", "154")
_SUPPORT_SIGN = Trigger("SUPPORT", None, "057")
_PEACEKEEPING = Trigger("AID", "peacekeeping", "074")
_YIELD_GRANT = Trigger("CONCEDE", None, "080")
INTENT = Trigger("AGREE", None, "030")
REFUSAL = Trigger("REJECT", None, "120")
_SHARE_INFO = Trigger("COOPERATE", "intelligence", "064")
_EASE = Trigger("CONCEDE", "ease", "081")
_ACCEDE = Trigger("CONCEDE", None, "083")
_AID_GOODS = Trigger("AID", None, "070")
_MILITARY_AID = Trigger("AID", "military", "072")
_CUT_AID = Trigger("SANCTION", "discontinue", "162")
_BREAK_OFF = Trigger("SANCTION", "discontinue", "160")
_REINFORCE = Trigger("MOBILIZE", "troops", "154")
_OBSTRUCT = Trigger("PROTEST", "obstruct", "144")
_RIOT = Trigger("PROTEST", "riot", "145")
_STRIKE = Trigger("PROTEST", "strike", "143")
_BAN_PEOPLE = Trigger("COERCE", "restrict", "172")
_TIES = Trigger("SUPPORT", None, "054")
_CEASEFIRE = Trigger("RETREAT", "ceasefire", "0871")
DEMAND = Trigger("REQUEST", None, "100")
THREAT = Trigger("THREATEN", "violence", "138")


class _Keep(Enum):
    """Sentinel: the rule has nothing to say (None means "no event here")."""

    KEEP = "keep"


_KEEP = _Keep.KEEP
_Rule = Trigger | None | Literal[_Keep.KEEP]


def _objects(token: Token) -> set[str]:
    """Lemmas of the direct objects (and their conjuncts) and of a governed "of" phrase."""
    out: set[str] = set()
    if token.dep_ == "acl":
        out.add(token.head.lemma_.lower())  # "a pathologist sent to Israel"
    for child in token.children:
        if child.dep_ in {"dobj", "nsubjpass"}:
            out.add(child.lemma_.lower())
            out.update(c.lemma_.lower() for c in child.conjuncts)
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    out.update(g.lemma_.lower() for g in prep.children if g.dep_ == "pobj")
    return out


def _modifiers(token: Token) -> set[str]:
    return {c.lower_ for c in token.children if c.dep_ in {"amod", "compound", "nmod", "poss"}}


def refine(cb: Codebook, entry: Trigger, token: Token, head: Token) -> Trigger | None:
    """The trigger's type once its neighbours are read (see the module docstring);
    None when the word is no event here ("shared a video", "shares a border")."""
    lemma = token.lemma_.lower()
    if lemma in {"share", "exchange"} and token.pos_ == "VERB":
        if _objects(token) & cb.words("shared_things"):
            return _SHARE_INFO
        if lemma == "share":
            return None
    rule = _by_object(cb, entry, token, lemma)
    if rule is not _KEEP:
        return rule
    if token.pos_ == "NOUN":
        noun = _noun_rule(cb, entry, token, head, lemma)
        if noun is not _KEEP:
            return noun
    if lemma in cb.words("manoeuvres") and token.pos_ == "NOUN":
        if lemma == "game" and not any(c.lower_ == "war" for c in token.children):
            return None
        if any(c.lower_ in {"joint", "combined"} for c in token.children):
            return _JOINT_EXERCISE  # joint exercises are military cooperation (CAMEO 062)
    if (
        lemma in cb.words("agreements")
        and head.i != token.i
        and head.lemma_.lower() in cb.words("sealing_verbs")
    ):
        return _SUPPORT_SIGN
    if entry.type == "MOBILIZE" and "peacekeep" in token.sent.text.lower():
        return _PEACEKEEPING
    if lemma == "grant" and token.pos_ == "VERB":
        return _YIELD_GRANT
    if entry.type == "RETREAT" and token.pos_ == "VERB" and _from_storage(cb, token):
        return _FROM_STORAGE  # "removing armoured vehicles from long-term storage"
    return entry


def _by_object(cb: Codebook, entry: Trigger, token: Token, lemma: str) -> _Rule:
    """Verb triggers whose object decides the type (see the module docstring)."""
    if token.pos_ != "VERB":
        return _KEEP
    objects = _objects(token)
    if lemma in cb.words("easing_verbs") and objects & cb.words("restrictions"):
        return _EASE  # "lifted the curfew", "cancelled restrictions"
    if lemma in {"accept", "meet", "heed", "satisfy"} and objects & cb.words("demands"):
        return _ACCEDE  # "accepted the rebels' demands"
    if lemma in cb.words("handing_verbs") and entry.type in {"MOBILIZE", "RETREAT", "AID"}:
        if objects & cb.words("arms") and lemma in cb.words("giving_verbs"):
            return _MILITARY_AID  # "sent arms to Pakistan"
        if objects & cb.words("goods"):
            return _AID_GOODS
        if entry.type == "MOBILIZE" and objects & cb.words("envoys"):
            return None  # "sent inspectors", "dispatched an envoy": no force posture
    if lemma in cb.words("giving_verbs") and objects & cb.words("details"):
        return None  # "provided details", "gave no explanation"
    things = _noun_objects(token)
    if (
        lemma in cb.words("moving_verbs")
        and entry.type == "MOBILIZE"
        and things
        and not things & cb.words("military")
    ):
        return None  # "moved the meeting", "mobilized support": only forces are MOBILIZE
    if lemma == "insist" and not _demanding(token):
        return None  # "insisted it had not attacked" asserts; "insisted he resign" demands
    if lemma == "ask" and not any(
        c.dep_ in {"xcomp", "dobj"} or (c.dep_ == "prep" and c.lower_ == "for")
        for c in token.children
    ):
        return None  # "asked whether", "asked about": a question, not a request
    if lemma == "press" and any(c.lower_ in {"ahead", "on"} for c in token.children):
        return None  # "pressed ahead with the offensive"
    if lemma == "give":
        return None  # "give" is aid only with goods (above)
    if lemma in cb.words("cutting_off_verbs") and entry.type == "SANCTION" and objects:
        if objects & cb.words("fighting"):
            return _CEASEFIRE  # "halted the offensive"
        if not objects & cb.words("sanctionable"):
            return None  # "suspended the match", "cancelled the concert"
    if lemma == "take" and entry.type == "PROTEST":
        streets = {g.lemma_.lower() for p in token.children if p.lower_ == "to" for g in p.children}
        return entry if streets & {"street", "square", "road"} else None  # "took to the streets"
    if lemma == "seek" and any(_to_clause(c) for c in token.children):
        return None  # "sought to reassure": an aim, not a request
    if lemma == "ask" and _anonymity(token):
        return None  # "asked not to be named"
    if lemma in cb.words("bolster_verbs"):
        return _REINFORCE if objects & cb.words("forces") else None
    if lemma == "block":
        return _OBSTRUCT if objects & cb.words("blockable_places") else None
    if lemma == "throw":
        return _RIOT if objects & cb.words("missiles") else None
    if lemma == "swear":  # "sworn to fight", not "sworn in"
        return entry if any(_to_clause(c) for c in token.children) else None
    if lemma == "travel":
        # "travelled to Ankara" is a visit; "civilians travelling home" is not.
        to_place = any(
            p.dep_ == "prep"
            and p.lower_ == "to"
            and any(g.ent_type_ in {"GPE", "LOC", "FAC"} for g in p.children)
            for p in token.children
        )
        return entry if to_place else None
    if lemma == "return" and entry.type == "RETREAT" and not objects:
        return None  # "negotiators return to Geneva": a trip, not a yielded possession
    if lemma == "ban" and any(c.dep_ == "prep" and c.lower_ == "from" for c in token.children):
        return _BAN_PEOPLE  # "banned candidates from running" restricts people (CAMEO 172)
    return _KEEP


def _noun_objects(token: Token) -> set[str]:
    """Object lemmas that are nouns ("sent 3,000" names no thing to check)."""
    return {
        c.lemma_.lower()
        for c in token.children
        if c.dep_ in {"dobj", "nsubjpass"} and c.pos_ in {"NOUN", "PROPN"}
    }


def _demanding(token: Token) -> bool:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "on":
            return True
        if child.dep_ == "ccomp" and (
            child.tag_ == "VB"
            or any(a.dep_ == "aux" and a.lower_ in {"must", "should"} for a in child.children)
        ):
            return True
    return False


def _anonymity(token: Token) -> bool:
    words = {t.lemma_.lower() for t in token.subtree}
    return bool(words & {"name", "identify", "identified", "named"}) or any(
        c.dep_ == "advmod" and c.lower_ == "when" for c in token.children
    )


def _to_clause(child: Token) -> bool:
    return child.dep_ in {"xcomp", "advcl"} and any(
        g.dep_ == "aux" and g.lower_ == "to" for g in child.children
    )


def _noun_rule(cb: Codebook, entry: Trigger, token: Token, head: Token, lemma: str) -> _Rule:
    governor = head.lemma_.lower() if head.i != token.i else token.head.lemma_.lower()
    if lemma == "strike":
        mods = _modifiers(token)
        if mods & cb.words("labour_strike_words") or governor in cb.words("strike_verbs"):
            return _STRIKE
        return _KEEP
    if (
        entry.type in {"SANCTION", "COERCE"}
        and lemma in cb.words("restrictions")
        and governor in cb.words("easing_verbs")
    ):
        return _EASE  # the easing verb names the event; the noun is what is eased
    if entry.type == "AID" and governor in cb.words("cutting_verbs"):
        return _CUT_AID  # "reduced food supplies", "cut aid"
    if entry.type in {"CONSULT", "COOPERATE", "AGREE", "SUPPORT"} and governor in cb.words(
        "cutting_verbs"
    ):
        return _BREAK_OFF  # "halted mediation efforts", "suspended cooperation" (CAMEO 16)
    if lemma in {"tie", "relation"}:
        return _TIES if governor in cb.words("tying_verbs") else None
    return _KEEP


def _from_storage(cb: Codebook, verb: Token) -> bool:
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in {"from", "out"}:
            for pobj in prep.subtree:
                if pobj.dep_ == "pobj" and pobj.lemma_.lower() in cb.words("stores"):
                    return True
    return False


def derived_trigger(
    cb: Codebook, event_type: EventType, factuality: Factuality, trigger: Token
) -> Trigger | None:
    """The speech act a non-factual event implies, if PLOVER codes one."""
    if any(c.dep_ == "aux" and c.lower_ == "must" for c in trigger.children):
        return DEMAND  # "Libya must hand over the suspects" demands it (CAMEO 10)
    if factuality == "hypothetical" and _reported_would(cb, trigger):
        factuality = "future"  # "they said they would blockade Paris": future in the past
    if factuality in {"future", "conditional"} and event_type in _COOPERATIVE | {"AGREE"}:
        return INTENT if event_type != "AGREE" else None
    if factuality == "future" and event_type in _THREATENING:
        return THREAT  # an announced use of force or coercion (CAMEO 13)
    if factuality == "conditional" and event_type in _FORCEFUL:
        return THREAT
    if factuality == "negated" and event_type in _COOPERATIVE | {"AGREE"} and _refused(cb, trigger):
        return REFUSAL  # "Syria will not accept more refugees" (CAMEO 12)
    return None


def _reported_would(cb: Codebook, trigger: Token) -> bool:
    would = any(c.dep_ == "aux" and c.lower_ == "would" for c in trigger.children)
    return (
        would
        and trigger.dep_ == "ccomp"
        and trigger.head.lemma_.lower() in cb.words("saying_verbs")
    )


def _refused(cb: Codebook, trigger: Token) -> bool:
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
