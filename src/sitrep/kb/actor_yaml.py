"""Reading actor YAML files: the table's dataclasses and a validating parser.

Used by `sitrep.kb.actors` (the resolver) and `sitrep.kb.petrarch` (the importer, which
writes files this parser must accept). Errors name the file and the entry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sitrep.errors import KnowledgeBaseError
from sitrep.kb.countries import countries, normalize

__all__ = [
    "KINDS",
    "OUTLET_TYPES",
    "SECTORS",
    "Actor",
    "Metonym",
    "Term",
    "fail",
    "packaged_texts",
    "parse_actor",
    "parse_country",
    "parse_date",
    "read_tables",
    "read_yaml",
    "str_list",
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

# libyaml's safe loader when PyYAML was built with it: parsing is most of the load time.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_ID_RE = re.compile(r"^(?:[A-Z]{3})(?:\.[A-Z]{3}(?:\.[a-z0-9_]+)?)?$")


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


# ----------------------------------------------------------------------------- loading


def fail(source: str, where: str, message: str) -> KnowledgeBaseError:
    return KnowledgeBaseError(f"{source}: {where}: {message}")


def parse_date(value: Any, source: str, where: str) -> dt.date | None:
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
    raise fail(source, where, f"not an ISO date: {value!r}")


def str_list(value: Any, source: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail(source, where, f"expected a list of names, got {value!r}")
    return tuple(value)


def parse_country(value: Any, source: str, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value.upper() not in countries():
        raise fail(source, where, f"unknown country code {value!r} (need ISO alpha-3)")
    return value.upper()


_ACTOR_KEYS = frozenset(
    {"id", "name", "aliases", "country", "sector", "kind", "role", "org", "valid_from"}
    | {"valid_to", "roles", "state_media", "outlet_type", "surname", "note"}
)


def parse_actor(raw: Any, source: str, index: int) -> Actor:
    where = f"actors[{index}]"
    if not isinstance(raw, Mapping):
        raise fail(source, where, "entry is not a mapping")
    actor_id, name = raw.get("id"), raw.get("name")
    if not isinstance(actor_id, str) or not actor_id.strip():
        raise fail(source, where, "missing id")
    where = f"actor {actor_id!r}"
    unknown = set(raw) - _ACTOR_KEYS
    if unknown:
        raise fail(source, where, f"unknown keys {sorted(map(str, unknown))} (unquoted comma?)")
    if not isinstance(name, str) or not name.strip():
        raise fail(source, where, "missing name")
    if not _ID_RE.match(actor_id):
        raise fail(source, where, "id must look like CTRY, CTRY.SEC or CTRY.SEC.slug")
    country = parse_country(raw.get("country"), source, where)
    if actor_id.split(".")[0] != (country or "INT"):
        raise fail(source, where, f"id must start with {country or 'INT'!r}")
    sector = raw.get("sector")
    if sector not in SECTORS:
        raise fail(source, where, f"unknown sector {sector!r}; use one of {sorted(SECTORS)}")
    kind = raw.get("kind", "organisation")
    if kind not in KINDS:
        raise fail(source, where, f"unknown kind {kind!r}; use one of {sorted(KINDS)}")
    state_media = raw.get("state_media")
    if state_media is not None and not isinstance(state_media, bool):
        raise fail(source, where, "state_media must be true or false")
    outlet_type = raw.get("outlet_type")
    if outlet_type is not None and outlet_type not in OUTLET_TYPES:
        raise fail(source, where, f"unknown outlet_type {outlet_type!r}")
    org_default = raw.get("org") or country or actor_id
    valid_from = parse_date(raw.get("valid_from"), source, where)
    valid_to = parse_date(raw.get("valid_to"), source, where)
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
        raise fail(source, where, "roles must be a list")
    for r in roles:
        if not isinstance(r, Mapping) or not isinstance(r.get("role"), str):
            raise fail(source, where, f"bad role entry {r!r}")
        terms.append(
            Term(
                role=normalize(r["role"]),
                org=str(r.get("org") or country or actor_id),
                valid_from=parse_date(r.get("from"), source, where),
                valid_to=parse_date(r.get("to"), source, where),
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
        aliases=str_list(raw.get("aliases"), source, f"{where} aliases"),
        terms=tuple(terms),
        state_media=state_media,
        outlet_type=outlet_type,
        surname=surname,
        valid_from=valid_from,
        valid_to=valid_to,
        note=str(note) if note is not None else None,
        source_file=source,
    )


def read_yaml(text: str, source: str) -> Mapping[str, Any]:
    try:
        data = yaml.load(text, Loader=_LOADER)
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
def packaged_texts() -> tuple[tuple[str, str], ...]:
    base = resources.files("sitrep.kb") / "data"
    return tuple(
        (f"kb/data/{n}", (base / n).read_text(encoding="utf-8"))
        for n in (
            "actors.yaml",
            "actors_world.yaml",
            "actors_people.yaml",
            "demonyms.yaml",
            "metonyms.yaml",
        )
    )


@dataclass(frozen=True, slots=True)
class Metonym:
    """A name standing for an actor ("Kremlin"), for a country's sector ("Minsk"), or for
    whoever holds a one-person office of that country on the day ("the Pope": `role`)."""

    actor_id: str | None
    country: str | None
    sector: str | None
    role: str | None = None


def read_tables(
    extra_files: Iterable[str | Path] = (),
) -> tuple[list[Actor], dict[str, str], dict[str, Metonym]]:
    """Actors (user entries first, so their names win), demonyms and metonyms from the
    packaged YAML files and `extra_files`, validated across files."""
    texts = list(packaged_texts())
    for p in extra_files:
        path = Path(p).expanduser()
        try:
            texts.append((str(path), path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise KnowledgeBaseError(f"{path}: cannot read: {exc}") from exc
    packaged: dict[str, Actor] = {}
    user: dict[str, Actor] = {}
    demonyms: dict[str, str] = {}
    metonyms: dict[str, Metonym] = {}
    n_packaged = len(packaged_texts())
    for i, (source, text) in enumerate(texts):
        data = read_yaml(text, source)
        target = packaged if i < n_packaged else user
        raw_actors = data.get("actors") or []
        if not isinstance(raw_actors, list):
            raise KnowledgeBaseError(f"{source}: 'actors' must be a list")
        for j, raw in enumerate(raw_actors):
            actor = parse_actor(raw, source, j)
            if actor.id in target:
                raise fail(source, f"actor {actor.id!r}", "duplicate id")
            target[actor.id] = actor
        demonyms.update(parse_demonyms(data.get("demonyms"), source))
        metonyms.update(parse_metonyms(data.get("metonyms"), source))
    # User entries go first so that their aliases win (`setdefault` in __init__).
    merged = {**user, **{k: v for k, v in packaged.items() if k not in user}}
    for key, m in metonyms.items():
        if m.actor_id is not None and m.actor_id not in merged:
            raise KnowledgeBaseError(f"metonym {key!r}: unknown actor {m.actor_id!r}")
    known = set(merged) | set(countries())
    for actor in merged.values():
        for t in actor.terms:
            if t.org not in known:
                raise fail(actor.source_file, f"actor {actor.id!r}", f"unknown org {t.org}")
    return list(merged.values()), demonyms, metonyms


def parse_demonyms(raw: Any, source: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise KnowledgeBaseError(f"{source}: 'demonyms' must map alpha-3 codes to lists")
    out: dict[str, str] = {}
    for code, names in raw.items():
        alpha3 = parse_country(code, source, f"demonyms {code!r}")
        assert alpha3 is not None
        for name in str_list(names, source, f"demonyms {code!r}"):
            key = normalize(name)
            out.setdefault(key, alpha3)
            if key.endswith(("an", "i")):
                out.setdefault(key + "s", alpha3)
    return out


def parse_metonyms(raw: Any, source: str) -> dict[str, Metonym]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise KnowledgeBaseError(f"{source}: 'metonyms' must be a list")
    out: dict[str, Metonym] = {}
    for i, entry in enumerate(raw):
        where = f"metonyms[{i}]"
        if not isinstance(entry, Mapping):
            raise fail(source, where, "entry is not a mapping")
        names = str_list(entry.get("names"), source, where)
        if not names:
            raise fail(source, where, "missing names")
        actor_id = entry.get("actor")
        country = parse_country(entry.get("country"), source, where)
        sector = entry.get("sector")
        if actor_id is None and (country is None or sector not in SECTORS):
            raise fail(source, where, "need `actor`, or `country` and a valid `sector`")
        if actor_id is not None and not isinstance(actor_id, str):
            raise fail(source, where, "actor must be an id string")
        role = entry.get("role")
        if role is not None and (not isinstance(role, str) or country is None):
            raise fail(source, where, "role must be a string, with a `country`")
        for n in names:
            out[normalize(n)] = Metonym(actor_id, country, sector, role)
    return out
