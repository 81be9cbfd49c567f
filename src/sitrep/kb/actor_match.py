"""What a name resolved to (`ActorMatch`), and the word lists the actor resolver consults
before it trusts an alias (kept apart from kb/actors.py, which holds the resolver)."""

from __future__ import annotations

from dataclasses import dataclass, field

SOURCE_TYPES: dict[str, str] = {
    "GOV": "government",
    "LEG": "government",
    "JUD": "government",
    "COP": "government",
    "MIL": "military",
    "SPY": "intelligence",
    "IGO": "igo",
    "NGO": "ngo",
    "POL": "political",
    "REB": "armed_group",
    "BUS": "business",
    "CVL": "civilian",
}


# Aliases that are also common English words: they match only when written in capitals.
UPPER_ONLY = frozenset(
    {"us", "it", "is", "who", "am", "an", "as", "at", "in", "on", "or", "me", "no", "so"}
    | {"up", "we", "x", "aid", "rand", "ft", "mit", "sis", "ria", "dia", "cis", "sco", "ap"}
    | {"spa", "app", "raw", "mea"}
)

# Aliases that are also common words: they match only when every word is capitalised.
TITLE_ONLY = frozenset(
    {"guardian", "economist", "sputnik", "amnesty", "commission", "union state", "congress"}
    | {"senate", "rada", "duma", "security council", "general assembly", "red cross", "azov"}
    | {"politico", "bloomberg", "world bank", "investigative committee", "memorial", "wagner"}
    | {"cyber partisans", "state border committee", "house of representatives", "zvezda"}
)


# ISO alpha-3 codes that are also English words: never read as country codes.
CODE_WORDS = frozenset(
    {"AND", "ARE", "CAN", "BEN", "FIN", "GIN", "MAR", "PER", "TON", "DOM", "NOR", "COL"}
    | {"TUN", "GUY", "PAN", "MAC", "ASM", "ATA", "IRL", "SUR", "TAN", "MLT", "BRA", "BOL"}
)

# Country names that read better with "the" ("Government of the United States").
THE_NAMES = frozenset(
    {"United States", "United Kingdom", "Netherlands", "Philippines", "Bahamas", "Gambia"}
    | {"Czech Republic", "Central African Republic", "Dominican Republic"}
    | {"United Arab Emirates", "Democratic Republic of the Congo", "Republic of the Congo"}
)

# A title after these words names a past holder: no holder is picked by date.
FORMER = frozenset({"former", "ex", "onetime", "one time"})

GENERIC_LABELS = frozenset({"GPE", "ORG", "NORP", "PERSON"})


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """What a name resolved to.

    `kind` is "person", "organisation" or "outlet" for table entries, "country" for a
    state ("BLR"), "group" for a nationality ("Belarusian", "the Belarusians"), and
    "organisation" for generic bodies ("BLR.GOV.mfa"). `match` says how it was found:
    alias, code, country, demonym, metonym, capital, pattern, role, surname, partial.
    """

    actor_id: str
    name: str
    country: str | None
    sector: str | None
    kind: str
    state_media: bool | None = None
    source_type: str | None = None
    match: str = "alias"
    role: str | None = field(default=None, compare=False)


def with_match(m: ActorMatch, how: str) -> ActorMatch:
    if m.match in ("alias", "surname"):
        return ActorMatch(
            m.actor_id,
            m.name,
            m.country,
            m.sector,
            m.kind,
            m.state_media,
            m.source_type,
            how,
            m.role,
        )
    return m
