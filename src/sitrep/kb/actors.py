"""The actor knowledge base: who a name in the news stands for.

`ActorKB.load()` reads sitrep's own tables (`kb/data/actors.yaml`, `demonyms.yaml`,
`metonyms.yaml`, packaged with sitrep) plus the country list of `sitrep.kb.countries`,
and optionally extra YAML files of the same shape written by users. Everything is
precomputed into dicts keyed by `normalize()`d text; `resolve()` does dict lookups over
at most the O(n²) word n-grams of one short phrase and caches its answers.

Actor ids: "<CTRY>.<SECTOR>.<slug>" for table entries ("BLR.GOV.lukashenko",
"INT.IGO.nato"); the resolver also builds generic ids: "BLR" (the state), "BLR.GOV"
(its government), "BLR.MIL" (its armed forces), "BLR.GOV.mfa" (a ministry) … See the
comment at the top of actors.yaml for the sector codes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sitrep.errors import KnowledgeBaseError
from sitrep.kb.countries import (
    capital_index,
    countries,
    lookup_code,
    name_index,
    normalize,
    tokens,
)

__all__ = [
    "KINDS",
    "OUTLET_TYPES",
    "SECTORS",
    "Actor",
    "ActorKB",
    "ActorMatch",
    "Term",
    "default_kb",
]

SECTORS: dict[str, str] = {
    "GOV": "government and executive",
    "MIL": "armed forces",
    "SPY": "intelligence and state security services",
    "COP": "police, border guards, national guards, emergency services",
    "LEG": "legislature",
    "JUD": "judiciary, prosecutors, investigators",
    "POL": "political parties and opposition",
    "MED": "media and platforms",
    "IGO": "intergovernmental organisations",
    "NGO": "non-governmental organisations and think tanks",
    "REB": "rebels, separatists, militant groups",
    "BUS": "business",
    "CVL": "civilians",
}
KINDS = frozenset({"person", "organisation", "outlet"})
OUTLET_TYPES = frozenset({"agency", "outlet", "broadcaster", "social"})

_SOURCE_TYPES: dict[str, str] = {
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

_ID_RE = re.compile(r"^(?:[A-Z]{3})(?:\.[A-Z]{3}(?:\.[a-z0-9_]+)?)?$")

# Aliases that are also common English words: they match only when written in capitals.
_UPPER_ONLY = frozenset(
    {"us", "it", "is", "who", "am", "an", "as", "at", "in", "on", "or", "me", "no", "so"}
    | {"up", "we", "x", "aid", "rand", "ft", "mit", "sis", "ria", "dia", "cis", "sco", "ap"}
)

# Aliases that are also common words: they match only when every word is capitalised.
_TITLE_ONLY = frozenset(
    {"guardian", "economist", "sputnik", "amnesty", "commission", "union state", "congress"}
    | {"senate", "rada", "duma", "security council", "general assembly", "red cross", "azov"}
    | {"politico", "bloomberg", "world bank", "investigative committee", "memorial", "wagner"}
    | {"cyber partisans", "state border committee", "house of representatives", "zvezda"}
)

# Sub-bodies of a state the resolver builds generically: phrase → (sector, id suffix).
_BODIES: dict[str, tuple[str, str]] = {}


def _body(sector: str, suffix: str, *phrases: str) -> None:
    for p in phrases:
        _BODIES[normalize(p)] = (sector, suffix)


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

_BODY_NAMES: dict[str, str] = {
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
_ROLES: dict[str, tuple[str, ...]] = {}
_MIL_ROLES = frozenset({"commander in chief", "chief of the general staff"})


def _role(canon: tuple[str, ...], *phrases: str) -> None:
    for p in phrases:
        _ROLES[normalize(p)] = canon


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
    ("commander in chief", "chief of the general staff"),
    "army chief",
    "military chief",
    "top general",
    "top commander",
    "top military commander",
)
_role(("chief of the general staff",), "chief of the general staff", "chief of general staff")
_role(
    ("secretary general", "director general", "president", "prosecutor"),
    "secretary general",
    "secretary-general",
    "chief",
    "head",
    "director general",
    "boss",
    "prosecutor",
    "chief prosecutor",
)

# Countries whose news "leader" is the head of government (default: the president).
_LEADER_ROLE: dict[str, str] = {
    "IRN": "supreme leader",
    "PRK": "supreme leader",
    "DEU": "chancellor",
    **{
        c: "prime minister"
        for c in ("GBR", "ISR", "EST", "LVA", "HUN", "IND", "ITA", "JPN", "NLD", "CAN")
        + ("ESP", "AUS", "ARM", "GEO", "SVK", "CZE", "GRC", "SWE", "NOR", "DNK", "BEL")
    },
}

# ISO alpha-3 codes that are also English words: never read as country codes.
_CODE_WORDS = frozenset(
    {"AND", "ARE", "CAN", "BEN", "FIN", "GIN", "MAR", "PER", "TON", "DOM", "NOR", "COL"}
    | {"TUN", "GUY", "PAN", "MAC", "ASM", "ATA", "IRL", "SUR", "TAN", "MLT", "BRA", "BOL"}
)

# Country names that read better with "the" ("Government of the United States").
_THE_NAMES = frozenset(
    {"United States", "United Kingdom", "Netherlands", "Philippines", "Bahamas", "Gambia"}
    | {"Czech Republic", "Central African Republic", "Dominican Republic"}
    | {"United Arab Emirates", "Democratic Republic of the Congo", "Republic of the Congo"}
)

_GENERIC_LABELS = frozenset({"GPE", "ORG", "NORP", "PERSON"})


@dataclass(frozen=True, slots=True)
class Term:
    """One office held by an actor, with its dates (`valid_to` is the day it ended)."""

    role: str
    org: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def active(self, on: dt.date) -> bool:
        if self.valid_from is not None and on < self.valid_from:
            return False
        return not (self.valid_to is not None and on >= self.valid_to)


@dataclass(frozen=True, slots=True)
class Actor:
    """One entry of the actor table."""

    id: str
    name: str
    country: str | None
    sector: str
    kind: str
    aliases: tuple[str, ...] = ()
    terms: tuple[Term, ...] = ()
    state_media: bool | None = None
    outlet_type: str | None = None
    surname: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    note: str | None = None
    source_file: str = ""


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


@dataclass(frozen=True, slots=True)
class _Metonym:
    actor_id: str | None
    country: str | None
    sector: str | None


# ----------------------------------------------------------------------------- loading


def _fail(source: str, where: str, message: str) -> KnowledgeBaseError:
    return KnowledgeBaseError(f"{source}: {where}: {message}")


def _date(value: Any, source: str, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(source, where, f"not an ISO date: {value!r}")


def _str_list(value: Any, source: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, where, f"expected a list of names, got {value!r}")
    return tuple(value)


def _country(value: Any, source: str, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value.upper() not in countries():
        raise _fail(source, where, f"unknown country code {value!r} (need ISO alpha-3)")
    return value.upper()


_ACTOR_KEYS = frozenset(
    {"id", "name", "aliases", "country", "sector", "kind", "role", "org", "valid_from"}
    | {"valid_to", "roles", "state_media", "outlet_type", "surname", "note"}
)


def _parse_actor(raw: Any, source: str, index: int) -> Actor:
    where = f"actors[{index}]"
    if not isinstance(raw, Mapping):
        raise _fail(source, where, "entry is not a mapping")
    actor_id, name = raw.get("id"), raw.get("name")
    if not isinstance(actor_id, str) or not actor_id.strip():
        raise _fail(source, where, "missing id")
    where = f"actor {actor_id!r}"
    unknown = set(raw) - _ACTOR_KEYS
    if unknown:
        raise _fail(source, where, f"unknown keys {sorted(map(str, unknown))} (unquoted comma?)")
    if not isinstance(name, str) or not name.strip():
        raise _fail(source, where, "missing name")
    if not _ID_RE.match(actor_id):
        raise _fail(source, where, "id must look like CTRY, CTRY.SEC or CTRY.SEC.slug")
    country = _country(raw.get("country"), source, where)
    if actor_id.split(".")[0] != (country or "INT"):
        raise _fail(source, where, f"id must start with {country or 'INT'!r}")
    sector = raw.get("sector")
    if sector not in SECTORS:
        raise _fail(source, where, f"unknown sector {sector!r}; use one of {sorted(SECTORS)}")
    kind = raw.get("kind", "organisation")
    if kind not in KINDS:
        raise _fail(source, where, f"unknown kind {kind!r}; use one of {sorted(KINDS)}")
    state_media = raw.get("state_media")
    if state_media is not None and not isinstance(state_media, bool):
        raise _fail(source, where, "state_media must be true or false")
    outlet_type = raw.get("outlet_type")
    if outlet_type is not None and outlet_type not in OUTLET_TYPES:
        raise _fail(source, where, f"unknown outlet_type {outlet_type!r}")
    org_default = raw.get("org") or country or actor_id
    valid_from = _date(raw.get("valid_from"), source, where)
    valid_to = _date(raw.get("valid_to"), source, where)
    terms: list[Term] = []
    if raw.get("role") is not None:
        terms.append(
            Term(
                role=normalize(str(raw["role"])),
                org=str(org_default),
                valid_from=valid_from,
                valid_to=valid_to,
            )
        )
    roles = raw.get("roles") or []
    if not isinstance(roles, list):
        raise _fail(source, where, "roles must be a list")
    for r in roles:
        if not isinstance(r, Mapping) or not isinstance(r.get("role"), str):
            raise _fail(source, where, f"bad role entry {r!r}")
        terms.append(
            Term(
                role=normalize(r["role"]),
                org=str(r.get("org") or country or actor_id),
                valid_from=_date(r.get("from"), source, where),
                valid_to=_date(r.get("to"), source, where),
            )
        )
    surname: str | None
    if "surname" in raw:
        surname = raw["surname"] if isinstance(raw["surname"], str) else None
    elif kind == "person" and len(name.split()) > 1:
        surname = name.split()[-1]
    else:
        surname = None
    note = raw.get("note")
    return Actor(
        id=actor_id,
        name=name,
        country=country,
        sector=sector,
        kind=kind,
        aliases=_str_list(raw.get("aliases"), source, f"{where} aliases"),
        terms=tuple(terms),
        state_media=state_media,
        outlet_type=outlet_type,
        surname=surname,
        valid_from=valid_from,
        valid_to=valid_to,
        note=str(note) if note is not None else None,
        source_file=source,
    )


def _read_yaml(text: str, source: str) -> Mapping[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{source}: not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise KnowledgeBaseError(f"{source}: top level must be a mapping")
    unknown = set(data) - {"actors", "demonyms", "metonyms"}
    if unknown:
        raise KnowledgeBaseError(f"{source}: unknown top-level keys {sorted(unknown)}")
    return data


@cache
def _packaged_texts() -> tuple[tuple[str, str], ...]:
    base = resources.files("sitrep.kb") / "data"
    return tuple(
        (f"kb/data/{n}", (base / n).read_text(encoding="utf-8"))
        for n in ("actors.yaml", "demonyms.yaml", "metonyms.yaml")
    )


# ----------------------------------------------------------------------------- the KB


class ActorKB:
    """Actors, countries, demonyms and metonyms, with a fast `resolve()`."""

    def __init__(
        self,
        actors: Iterable[Actor],
        demonyms: Mapping[str, str],
        metonyms: Mapping[str, _Metonym],
        *,
        cache_size: int = 65536,
    ) -> None:
        self._actors: dict[str, Actor] = {}
        for a in actors:
            self._actors[a.id] = a
        self._demonyms = dict(demonyms)
        self._metonyms = dict(metonyms)
        self._countries = name_index()
        self._capitals = capital_index()
        self._aliases: dict[str, str] = {}
        self._surnames: dict[str, list[str]] = {}
        self._upper_only: set[str] = set()
        self._holders: dict[tuple[str, str], list[tuple[Term, str]]] = {}
        for a in self._actors.values():
            for alias in (a.name, *a.aliases):
                key = self._strip_the(normalize(alias))
                if not key:
                    continue
                if key in _UPPER_ONLY and alias.replace(".", "").isupper():
                    self._upper_only.add(key)
                self._aliases.setdefault(key, a.id)
            if a.surname:
                key = normalize(a.surname)
                ids = self._surnames.setdefault(key, [])
                if a.id not in ids:
                    ids.append(a.id)
            for t in a.terms:
                self._holders.setdefault((t.org, t.role), []).append((t, a.id))
        self._max_words = max((len(k.split()) for k in self._aliases), default=1) + 4
        self._cached = lru_cache(maxsize=cache_size)(self._resolve)

    # -- construction

    @classmethod
    def load(cls, extra_files: Iterable[str | Path] = ()) -> ActorKB:
        """Build the KB from the packaged YAML plus optional user YAML files.

        User files may hold any of the top-level keys `actors`, `demonyms`, `metonyms`.
        A user actor with the id of a packaged one replaces it; user aliases win.
        Raises KnowledgeBaseError (naming the file) on malformed entries.
        """
        texts = list(_packaged_texts())
        for p in extra_files:
            path = Path(p)
            try:
                texts.append((str(path), path.read_text(encoding="utf-8")))
            except OSError as exc:
                raise KnowledgeBaseError(f"{path}: cannot read: {exc}") from exc
        packaged: dict[str, Actor] = {}
        user: dict[str, Actor] = {}
        demonyms: dict[str, str] = {}
        metonyms: dict[str, _Metonym] = {}
        n_packaged = len(_packaged_texts())
        for i, (source, text) in enumerate(texts):
            data = _read_yaml(text, source)
            target = packaged if i < n_packaged else user
            raw_actors = data.get("actors") or []
            if not isinstance(raw_actors, list):
                raise KnowledgeBaseError(f"{source}: 'actors' must be a list")
            for j, raw in enumerate(raw_actors):
                actor = _parse_actor(raw, source, j)
                if actor.id in target:
                    raise _fail(source, f"actor {actor.id!r}", "duplicate id")
                target[actor.id] = actor
            demonyms.update(cls._parse_demonyms(data.get("demonyms"), source))
            metonyms.update(cls._parse_metonyms(data.get("metonyms"), source))
        # User entries go first so that their aliases win (`setdefault` in __init__).
        merged = {**user, **{k: v for k, v in packaged.items() if k not in user}}
        for key, m in metonyms.items():
            if m.actor_id is not None and m.actor_id not in merged:
                raise KnowledgeBaseError(f"metonym {key!r}: unknown actor {m.actor_id!r}")
        known = set(merged) | set(countries())
        for actor in merged.values():
            for t in actor.terms:
                if t.org not in known:
                    raise _fail(actor.source_file, f"actor {actor.id!r}", f"unknown org {t.org}")
        return cls(merged.values(), demonyms, metonyms)

    @staticmethod
    def _parse_demonyms(raw: Any, source: str) -> dict[str, str]:
        if raw is None:
            return {}
        if not isinstance(raw, Mapping):
            raise KnowledgeBaseError(f"{source}: 'demonyms' must map alpha-3 codes to lists")
        out: dict[str, str] = {}
        for code, names in raw.items():
            alpha3 = _country(code, source, f"demonyms {code!r}")
            assert alpha3 is not None
            for name in _str_list(names, source, f"demonyms {code!r}"):
                key = normalize(name)
                out.setdefault(key, alpha3)
                if key.endswith(("an", "i")):
                    out.setdefault(key + "s", alpha3)
        return out

    @staticmethod
    def _parse_metonyms(raw: Any, source: str) -> dict[str, _Metonym]:
        if raw is None:
            return {}
        if not isinstance(raw, list):
            raise KnowledgeBaseError(f"{source}: 'metonyms' must be a list")
        out: dict[str, _Metonym] = {}
        for i, entry in enumerate(raw):
            where = f"metonyms[{i}]"
            if not isinstance(entry, Mapping):
                raise _fail(source, where, "entry is not a mapping")
            names = _str_list(entry.get("names"), source, where)
            if not names:
                raise _fail(source, where, "missing names")
            actor_id = entry.get("actor")
            country = _country(entry.get("country"), source, where)
            sector = entry.get("sector")
            if actor_id is None and (country is None or sector not in SECTORS):
                raise _fail(source, where, "need `actor`, or `country` and a valid `sector`")
            if actor_id is not None and not isinstance(actor_id, str):
                raise _fail(source, where, "actor must be an id string")
            for n in names:
                out[normalize(n)] = _Metonym(actor_id, country, sector)
        return out

    # -- inspection

    def __len__(self) -> int:
        return len(self._actors)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._actors

    def actor(self, actor_id: str) -> Actor | None:
        """The table entry with this id, or None."""
        return self._actors.get(actor_id)

    def actors(self) -> list[Actor]:
        """All table entries, in id order."""
        return [self._actors[k] for k in sorted(self._actors)]

    @property
    def alias_count(self) -> int:
        """Number of distinct normalised names that resolve to a table entry."""
        return len(self._aliases)

    def holders(self, role: str, org: str, on: dt.date) -> list[str]:
        """Ids of the actors holding `role` ("president") of `org` ("UKR") on `on`."""
        return [aid for t, aid in self._holders.get((org, normalize(role)), ()) if t.active(on)]

    # -- resolution

    def resolve(
        self, name: str, label: str | None = None, on: dt.date | None = None
    ) -> ActorMatch | None:
        """Resolve a mention (a named-entity span or a noun phrase) to an actor.

        `label` is the spaCy entity label if known (PERSON, ORG, GPE, NORP, …): a PERSON
        resolves only to people, a NORP demonym to a nationality without sector, a GPE
        country to the state as actor (sector GOV), a capital to its government.
        `on` (the article date) picks the office holder for role phrases ("the Ukrainian
        president") and among people sharing a surname. Unknown names give None.
        """
        if not name or len(name) > 300:
            return None
        return self._cached(name, label.upper() if label else None, on)

    @staticmethod
    def _strip_the(key: str) -> str:
        return key[4:] if key.startswith("the ") else key

    def _resolve(self, name: str, label: str | None, on: dt.date | None) -> ActorMatch | None:
        raw = name.strip().strip("\"'“”‘’«»()[]")
        code = lookup_code(raw) if raw not in _CODE_WORDS else None
        if code is not None and label in (None, "GPE", "ORG", "NORP"):
            return self._country_match(code.alpha3, label, "code")
        toks = tokens(raw)
        while toks and toks[0].casefold() in ("the", "a", "an"):
            toks = toks[1:]
        if not toks:
            return None
        low = [t.casefold() for t in toks]
        n = len(low)
        person_only = label == "PERSON"
        full = self._lookup(toks, low, 0, n, label, on, stage="full")
        if full is not None and (not person_only or full.kind == "person"):
            return full
        if label is not None and label not in _GENERIC_LABELS and full is None:
            return None
        head, comma, _ = raw.partition(",")
        if comma and head.strip():
            # An apposition describes the head ("Hanna Liubakova, a fellow at …"):
            # the phrase is the head, whatever the description names.
            return self._cached(head, label, on)
        # Head noun last: the longest known name ending the phrase
        # ("Belarusian leader Alexander Lukashenko", "Russian ally Belarus").
        for start in range(1, n):
            m = self._lookup(toks, low, start, n, label, on, stage="suffix")
            if m is not None and (not person_only or m.kind == "person"):
                return m if m.match != "alias" else _with_match(m, "partial")
        if person_only:
            return None
        # Anywhere, longest first: actor names and body patterns only.
        for size in range(min(n - 1, self._max_words), 0, -1):
            for start in range(n - size - 1, -1, -1):
                m = self._lookup(toks, low, start, start + size, label, on, stage="inner")
                if m is not None:
                    return _with_match(m, "partial")
        return None

    def _lookup(
        self,
        toks: list[str],
        low: list[str],
        i: int,
        j: int,
        label: str | None,
        on: dt.date | None,
        *,
        stage: str,
    ) -> ActorMatch | None:
        key = " ".join(low[i:j])
        aid = self._aliases.get(key)
        if aid is not None and self._case_ok(key, toks[i:j]):
            return self._actor_match(aid, "alias")
        if stage != "inner":
            met = self._metonyms.get(key)
            if met is not None and label != "PERSON" and self._case_ok(key, toks[i:j]):
                return self._metonym_match(met)
            alpha3 = self._countries.get(key)
            if alpha3 is not None and self._case_ok(key, toks[i:j]):
                return self._country_match(alpha3, label, "country")
            alpha3 = self._demonyms.get(key)
            if alpha3 is not None and self._case_ok(key, toks[i:j]):
                return self._demonym_match(alpha3)
            alpha3 = self._capitals.get(key)
            if alpha3 is not None and label in (None, "GPE"):
                return self._generic(alpha3, "GOV", "", "capital")
        m = self._pattern(low[i:j], on)
        if m is not None:
            return m
        if stage != "inner" and label in (None, "PERSON"):
            ids = self._surnames.get(key)
            if ids:
                pick = self._pick_by_date(ids, on)
                if pick is not None:
                    return self._actor_match(pick, "surname")
        return None

    def _case_ok(self, key: str, original: list[str]) -> bool:
        if key in self._upper_only or key in _UPPER_ONLY:
            return all(t.isupper() for t in original)
        if key in _TITLE_ONLY:
            return all(t[:1].isupper() for t in original)
        return True

    def _pick_by_date(self, ids: list[str], on: dt.date | None) -> str | None:
        if len(ids) == 1:
            return ids[0]
        if on is None:
            return None
        active = [a for a in ids if any(t.active(on) for t in self._actors[a].terms)]
        return active[0] if len(active) == 1 else None

    # -- patterns: "<country|demonym> <body|role>" and "<body|role> of <country>"

    def _state(self, words: list[str]) -> tuple[str, str] | None:
        """(kind, code) for a country/demonym ("country", "BLR") or an IGO ("org", id)."""
        if not words:
            return None
        key = " ".join(words)
        key = self._strip_the(key)
        code = self._countries.get(key) or self._demonyms.get(key)
        if code is not None:
            return ("country", code)
        aid = self._aliases.get(key)
        if aid is not None and self._actors[aid].kind == "organisation":
            return ("org", aid)
        return None

    def _pattern(self, words: list[str], on: dt.date | None) -> ActorMatch | None:
        n = len(words)
        if n < 2:
            return None
        for want in ("country", "org"):  # a country reading wins over an organisation one
            for k in range(min(n - 1, 6), 0, -1):
                state = self._state(words[:k])
                if state is not None and state[0] == want:
                    m = self._apply(state, " ".join(words[k:]), on)
                    if m is not None:
                        return m
            for k in range(1, n - 1):
                if words[k] != "of":
                    continue
                state = self._state(words[k + 1 :])
                if state is not None and state[0] == want:
                    m = self._apply(state, self._strip_the(" ".join(words[:k])), on)
                    if m is not None:
                        return m
        return None

    def _apply(self, state: tuple[str, str], tail: str, on: dt.date | None) -> ActorMatch | None:
        kind, code = state
        roles = _ROLES.get(tail)
        if kind == "org":
            if roles is None and tail not in _BODIES:
                return None
            if roles is not None and on is not None:
                for r in roles:
                    ids = self.holders(r, code, on)
                    if len(ids) == 1:
                        return self._actor_match(ids[0], "role", role=r)
            return self._actor_match(code, "pattern")
        if roles is not None:
            if roles == ("leader",):
                roles = (_LEADER_ROLE.get(code, "president"), "president", "prime minister")
            if on is not None:
                for r in roles:
                    ids = self.holders(r, code, on)
                    if len(ids) == 1:
                        return self._actor_match(ids[0], "role", role=r)
            sector = "MIL" if set(roles) <= _MIL_ROLES else "GOV"
            return self._generic(code, sector, "", "role", role=roles[0])
        body = _BODIES.get(tail)
        if body is not None:
            return self._generic(code, body[0], body[1], "pattern")
        return None

    # -- building matches

    def _actor_match(self, actor_id: str, how: str, role: str | None = None) -> ActorMatch:
        a = self._actors[actor_id]
        source_type: str | None
        if a.sector == "MED":
            source_type = "state_media" if a.state_media else (a.outlet_type or "outlet")
        else:
            source_type = _SOURCE_TYPES.get(a.sector)
        return ActorMatch(
            actor_id=a.id,
            name=a.name,
            country=a.country,
            sector=a.sector,
            kind=a.kind,
            state_media=a.state_media if a.sector == "MED" else None,
            source_type=source_type,
            match=how,
            role=role,
        )

    def _country_match(self, alpha3: str, label: str | None, how: str) -> ActorMatch:
        c = countries()[alpha3]
        sector = None if label in ("NORP", "LOC") else "GOV"
        return ActorMatch(
            actor_id=alpha3,
            name=c.name,
            country=alpha3,
            sector=sector,
            kind="country",
            source_type="government" if sector else None,
            match=how,
        )

    def _demonym_match(self, alpha3: str) -> ActorMatch:
        return ActorMatch(
            actor_id=alpha3,
            name=countries()[alpha3].name,
            country=alpha3,
            sector=None,
            kind="group",
            match="demonym",
        )

    def _metonym_match(self, met: _Metonym) -> ActorMatch:
        if met.actor_id is not None:
            return self._actor_match(met.actor_id, "metonym")
        assert met.country is not None and met.sector is not None
        return self._generic(met.country, met.sector, "", "metonym")

    def _generic(
        self, alpha3: str, sector: str, suffix: str, how: str, role: str | None = None
    ) -> ActorMatch:
        sub = f"{sector}.{suffix}" if suffix else sector
        actor_id = f"{alpha3}.{sub}"
        if actor_id in self._actors:
            m = self._actor_match(actor_id, how, role)
            return m
        template = _BODY_NAMES.get(sub, "{c} " + sub)
        cname = countries()[alpha3].name
        if cname in _THE_NAMES and template.startswith(("Gov", "Min", "Arm", "Peo", "Nav")):
            cname = "the " + cname
        return ActorMatch(
            actor_id=actor_id,
            name=template.format(c=cname),
            country=alpha3,
            sector=sector,
            kind="organisation" if sector != "CVL" else "group",
            source_type=_SOURCE_TYPES.get(sector),
            match=how,
            role=role,
        )


def _with_match(m: ActorMatch, how: str) -> ActorMatch:
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


@cache
def default_kb() -> ActorKB:
    """The packaged KB, loaded once per process."""
    return ActorKB.load()
