"""Titles and body names: the words that make "the Belarusian leader" or "Ukraine's
foreign ministry spokesman" an actor once a country or organisation is attached.

`BODIES` maps a body phrase ("defence ministry") to (sector, id suffix); `ROLES` maps a
role phrase ("defense secretary") to the canonical role names tried in order against the
dated `roles` of actors.yaml. `split_title()` cuts a title into its body and role parts
("foreign ministry spokesman" → body GOV.mfa, role spokesperson).
"""

from __future__ import annotations

from sitrep.kb.countries import normalize

__all__ = [
    "BODIES",
    "BODY_NAMES",
    "CANONICAL_ROLES",
    "LEADER_ROLE",
    "MIL_ROLES",
    "ROLES",
    "body_id",
    "canonical_role",
    "split_title",
]

# Sub-bodies of a state the resolver builds generically: phrase → (sector, id suffix).
BODIES: dict[str, tuple[str, str]] = {}


def _body(sector: str, suffix: str, *phrases: str) -> None:
    for p in phrases:
        BODIES[normalize(p)] = (sector, suffix)


_body(
    "GOV",
    "",
    "government",
    "authorities",
    "officials",
    "administration",
    "regime",
    "leadership",
    "cabinet",
    "side",
    "diplomats",
    "diplomacy",
    "government officials",
    "senior officials",
    "embassy",
    "presidency",
)
_body(
    "GOV",
    "mod",
    "defence ministry",
    "defense ministry",
    "ministry of defence",
    "ministry of defense",
    "ministry of national defence",
    "ministry of national defense",
    "department of defense",
    "defense department",
    "mod",
)
_body(
    "GOV",
    "mfa",
    "foreign ministry",
    "ministry of foreign affairs",
    "foreign affairs ministry",
    "ministry for foreign affairs",
    "foreign office",
    "mfa",
    "state department",
    "ministry of external affairs",
    "external affairs ministry",
)
_body(
    "GOV",
    "moi",
    "interior ministry",
    "ministry of internal affairs",
    "ministry of interior",
    "ministry of the interior",
    "internal affairs ministry",
    "home office",
)
_body("GOV", "moj", "justice ministry", "ministry of justice")
_body("GOV", "mof", "finance ministry", "ministry of finance")
_body("GOV", "energy", "energy ministry", "ministry of energy")
_body("GOV", "health", "health ministry", "ministry of health")
_body("GOV", "economy", "economy ministry", "ministry of economy", "economic ministry")
_body(
    "GOV",
    "emergencies",
    "emergency situations ministry",
    "emergencies ministry",
    "ministry of emergency situations",
    "ministry of emergencies",
)
_body("GOV", "security_council", "security council", "national security council")
_body(
    "MIL",
    "",
    "army",
    "military",
    "troops",
    "forces",
    "armed forces",
    "soldiers",
    "servicemen",
    "service members",
    "servicemembers",
    "units",
    "military units",
    "army units",
    "defence forces",
    "defense forces",
    "artillery",
    "special forces",
    "paratroopers",
    "marines",
    "contingent",
    "military contingent",
    "fighters",
    "combat units",
    "air defence",
    "air defense",
    "air defences",
    "air defenses",
    "military command",
    "command",
    "defenders",
)
_body("MIL", "navy", "navy", "naval forces", "fleet")
_body("MIL", "air_force", "air force", "air forces")
_body("MIL", "ground_forces", "ground forces", "land forces")
_body("MIL", "general_staff", "general staff")
_body(
    "SPY",
    "",
    "intelligence",
    "intelligence services",
    "intelligence service",
    "intelligence agency",
    "intelligence agencies",
    "military intelligence",
    "special services",
    "security services",
    "security service",
    "spy agency",
    "spies",
    "counterintelligence",
)
_body(
    "COP",
    "",
    "police",
    "border guards",
    "border guard",
    "border service",
    "border guard service",
    "state border guard service",
    "state border service",
    "state border committee",
    "national guard",
    "emergency services",
    "rescuers",
    "law enforcement",
)
_body(
    "LEG",
    "",
    "parliament",
    "lawmakers",
    "legislators",
    "mps",
    "senate",
    "legislature",
    "deputies",
    "senators",
    "congress",
)
_body("JUD", "", "prosecutors", "prosecutor general", "courts", "court", "supreme court")
_body("JUD", "", "judiciary", "investigators", "prosecutor office", "prosecutors office")
_body("POL", "", "opposition", "opposition leaders", "opposition figures", "nationalists")
_body("MED", "", "media", "state media", "state television", "state tv", "press")
_body("MED", "", "news agency", "state news agency", "journalists", "state broadcaster")
_body("CVL", "", "people", "civilians", "citizens", "residents", "public", "population")
_body("CVL", "", "nation", "refugees", "volunteers", "protesters", "workers", "society")
_body("BUS", "", "companies", "firms", "business", "businesses", "banks")
_body("REB", "", "separatists", "rebels", "partisans", "militants", "insurgents")

BODY_NAMES: dict[str, str] = {
    "GOV": "Government of {c}",
    "GOV.mod": "Ministry of Defence of {c}",
    "GOV.mfa": "Ministry of Foreign Affairs of {c}",
    "GOV.moi": "Ministry of Internal Affairs of {c}",
    "GOV.moj": "Ministry of Justice of {c}",
    "GOV.mof": "Ministry of Finance of {c}",
    "GOV.energy": "Ministry of Energy of {c}",
    "GOV.health": "Ministry of Health of {c}",
    "GOV.economy": "Ministry of Economy of {c}",
    "GOV.emergencies": "Ministry of Emergency Situations of {c}",
    "GOV.security_council": "Security Council of {c}",
    "MIL": "Armed Forces of {c}",
    "MIL.navy": "Navy of {c}",
    "MIL.air_force": "Air Force of {c}",
    "MIL.ground_forces": "Ground Forces of {c}",
    "MIL.general_staff": "General Staff of {c}",
    "SPY": "Intelligence services of {c}",
    "COP": "Police and border guards of {c}",
    "LEG": "Legislature of {c}",
    "JUD": "Judiciary of {c}",
    "POL": "Opposition of {c}",
    "MED": "Media of {c}",
    "CVL": "People of {c}",
    "BUS": "Businesses of {c}",
    "REB": "Armed groups of {c}",
}

# Role words → canonical role names as used in actors.yaml (tried in order).
ROLES: dict[str, tuple[str, ...]] = {}
MIL_ROLES = frozenset(
    {"commander in chief", "chief of the general staff", "chief of army staff"}
    | {"chief of the defence staff", "chairman of the joint chiefs of staff"}
)


def _role(canon: tuple[str, ...], *phrases: str) -> None:
    for p in phrases:
        ROLES[normalize(p)] = canon


_role(("president",), "president", "head of state")
_role(("leader",), "leader", "ruler", "strongman", "dictator")
_role(("prime minister",), "prime minister", "premier", "pm", "head of government")
_role(("chancellor",), "chancellor")
_role(("supreme leader",), "supreme leader")
_role(("vice president",), "vice president", "vice-president", "vp")
_role(("monarch",), "king", "queen", "monarch")
_role(
    ("foreign minister", "high representative"),
    "foreign minister",
    "foreign policy chief",
    "high representative",
    "foreign secretary",
    "top diplomat",
    "secretary of state",
    "minister of foreign affairs",
    "foreign affairs minister",
    "chief diplomat",
    "external affairs minister",
    "minister of external affairs",
)
_role(
    ("defence minister",),
    "defence minister",
    "defense minister",
    "defence secretary",
    "defense secretary",
    "secretary of defense",
    "secretary of war",
    "war secretary",
    "minister of defence",
    "minister of defense",
)
_role(("interior minister",), "interior minister", "minister of internal affairs")
_role(("commander in chief",), "commander in chief", "commander-in-chief")
_role(
    ("commander in chief", "chief of the general staff", "chief of army staff")
    + ("chief of the defence staff", "chairman of the joint chiefs of staff"),
    "army chief",
    "military chief",
    "top general",
    "top commander",
    "top military commander",
    "top military officer",
)
_role(("chief of army staff",), "chief of army staff", "army chief of staff")
_role(
    ("chief of the defence staff",),
    "chief of the defence staff",
    "chief of defence staff",
    "chief of the defense staff",
    "chief of defense staff",
    "defence chief",
    "defense chief",
)
_role(
    ("chairman of the joint chiefs of staff",),
    "chairman of the joint chiefs of staff",
    "chairman of the joint chiefs",
    "joint chiefs chairman",
)
_role(("chief of the general staff",), "chief of the general staff", "chief of general staff")
_role(
    ("head", "secretary general", "director general", "president", "prosecutor"),
    "secretary general",
    "secretary-general",
    "chief",
    "head",
    "director",
    "director general",
    "boss",
    "prosecutor",
    "chief prosecutor",
)
_role(
    ("spokesperson",),
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "press secretary",
    "official spokesman",
    "official spokeswoman",
    "official spokesperson",
    "official representative",
)
_role(("crown prince",), "crown prince")
_role(("monarch",), "emir", "sultan")
_role(("national security adviser",), "national security adviser", "national security advisor")
_role(
    ("ambassador to the united nations",),
    "ambassador to the united nations",
    "ambassador to the un",
    "un ambassador",
    "envoy to the un",
    "envoy to the united nations",
)

CANONICAL_ROLES = frozenset(r for canon in ROLES.values() for r in canon)

# Countries whose news "leader" is the head of government (default: the president).
LEADER_ROLE: dict[str, str] = {
    "IRN": "supreme leader",
    "PRK": "supreme leader",
    "DEU": "chancellor",
    "SAU": "monarch",
    "QAT": "monarch",
    "JOR": "monarch",
    **{
        c: "prime minister"
        for c in ("GBR", "ISR", "EST", "LVA", "HUN", "IND", "ITA", "JPN", "NLD", "CAN", "PAK")
        + ("ESP", "AUS", "ARM", "GEO", "SVK", "CZE", "GRC", "SWE", "NOR", "DNK", "BEL")
    },
}


def canonical_role(text: str) -> str:
    """The canonical name of a role phrase ("defense secretary" → "defence minister")."""
    key = normalize(text)
    if key in CANONICAL_ROLES:
        return key
    canon = ROLES.get(key)
    return canon[0] if canon else key


def split_title(text: str) -> tuple[str, tuple[str, ...]] | None:
    """Cut a title into (holder phrase, roles): "foreign ministry spokesman" →
    ("foreign ministry", ("spokesperson",)), "head of the sbu" → ("sbu", ("head", …)).

    The holder phrase is what the role belongs to (a body, an organisation, a country);
    the caller resolves it. None when no role word ends or starts the title.
    """
    words = normalize(text).split()
    n = len(words)
    for k in range(1, n):  # longest role phrase at the end first
        roles = ROLES.get(" ".join(words[k:]))
        if roles is not None:
            return " ".join(words[:k]), roles
    for k in range(n - 2, 0, -1):  # "<role> of <holder>"
        if words[k] != "of":
            continue
        roles = ROLES.get(" ".join(words[:k]))
        if roles is not None:
            rest = words[k + 1 :]
            if rest and rest[0] == "the":
                rest = rest[1:]
            if rest:
                return " ".join(rest), roles
    return None


def body_id(country: str, phrase: str) -> str | None:
    """The generic id of a country's body ("UKR", "foreign ministry" → "UKR.GOV.mfa")."""
    body = BODIES.get(normalize(phrase))
    if body is None:
        return None
    sector, suffix = body
    return f"{country}.{sector}.{suffix}" if suffix else f"{country}.{sector}"
