"""Load the packaged lexicons (event triggers, intensities, reporting cues) plus user files."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sitrep.errors import KnowledgeBaseError
from sitrep.extract.cuelex import HedgeWords, hedge_words
from sitrep.extract.timing import TimingRules, load_timing_rules
from sitrep.model.vocab import PLOVER_TYPES, EventType, is_event_type


@dataclass(frozen=True, slots=True)
class Trigger:
    type: EventType
    mode: str | None
    cameo: str | None


@dataclass(frozen=True, slots=True)
class Lexicons:
    verb_triggers: dict[str, Trigger]
    noun_triggers: dict[str, Trigger]
    light_verbs: frozenset[str]
    type_intensity: dict[EventType, float]
    mode_intensity: dict[tuple[EventType, str], float]
    reporting_verbs: frozenset[str]
    hedges: HedgeWords  # the one list of hedge words (reporting.yaml `hedges`)
    timing: TimingRules
    # Nouns that name people, groups and institutions, and weapons (data/lexicons/agents.yaml).
    agent_nouns: frozenset[str]
    instrument_nouns: frozenset[str]
    role_nouns: frozenset[str]
    anonymous_roles: frozenset[str]
    described_persons: frozenset[str]
    document_nouns: frozenset[str]
    domestic_nouns: frozenset[str]
    not_actor_nouns: frozenset[str]
    campaign_nouns: frozenset[str]
    regional_words: frozenset[str]
    intent_nouns: frozenset[str]
    hostile_nouns: frozenset[str]
    # Objects that cancel a trigger's event sense (data/lexicons/senses.yaml).
    cancel_objects: dict[str, frozenset[str]]
    # Triggers that need one of their objects, and prepositions that cancel (senses.yaml).
    require_objects: dict[str, frozenset[str]]
    cancel_preps: dict[str, frozenset[str]]
    # Nouns whose singular is a danger, with the verbs that make it an act (senses.yaml).
    danger_nouns: dict[str, frozenset[str]]
    ability_modals: frozenset[str]

    def intensity(self, event_type: EventType, mode: str | None) -> float:
        if mode is not None and (event_type, mode) in self.mode_intensity:
            return self.mode_intensity[(event_type, mode)]
        return self.type_intensity.get(event_type, 0.0)


def _packaged(name: str) -> tuple[str, Any]:
    text = resources.files("sitrep").joinpath("data", "lexicons", name).read_text("utf-8")
    return name, yaml.safe_load(text)


def _user(path: str) -> tuple[str, Any]:
    try:
        return path, yaml.safe_load(Path(path).read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"cannot read trigger lexicon {path}: {exc}") from exc


def _triggers(where: str, table: Any) -> dict[str, Trigger]:
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise KnowledgeBaseError(f"{where}: trigger table must be a mapping")
    out: dict[str, Trigger] = {}
    for lemma, entry in table.items():
        event_type = entry.get("type") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not is_event_type(event_type):
            raise KnowledgeBaseError(
                f"{where}: trigger {lemma!r} needs a PLOVER type (one of "
                f"{', '.join(PLOVER_TYPES)}), not {event_type!r}"
            )
        out[str(lemma).lower()] = Trigger(event_type, entry.get("mode"), entry.get("cameo"))
    return out


def _by_event_type(where: str, table: dict[str, Any]) -> dict[EventType, Any]:
    """`table` with its keys checked to be PLOVER types (a misspelt type would weigh 0)."""
    out: dict[EventType, Any] = {}
    for key, value in table.items():
        if not is_event_type(key):
            raise KnowledgeBaseError(f"{where}: {key!r} is not a PLOVER type")
        out[key] = value
    return out


def load_lexicons(extra_trigger_files: tuple[str, ...] = ()) -> Lexicons:
    """Packaged lexicons, with user trigger files layered on top (later files win)."""
    where, triggers = _packaged("event_triggers.yaml")
    verbs = _triggers(where, triggers.get("verbs"))
    nouns = _triggers(where, triggers.get("nouns"))
    light = set(triggers.get("light_verbs", []))
    for path in extra_trigger_files:
        where, extra = _user(path)
        if not isinstance(extra, dict):
            raise KnowledgeBaseError(f"{where}: expected a mapping with verbs/nouns")
        verbs.update(_triggers(where, extra.get("verbs")))
        nouns.update(_triggers(where, extra.get("nouns")))
        light.update(extra.get("light_verbs", []))
    where, intensity = _packaged("intensity.yaml")
    modes = {
        (etype, mode): float(weight)
        for etype, table in _by_event_type(where, intensity["modes"]).items()
        for mode, weight in table.items()
    }
    _, reporting = _packaged("reporting.yaml")
    _, agents = _packaged("agents.yaml")
    _, senses = _packaged("senses.yaml")
    return Lexicons(
        verb_triggers=verbs,
        noun_triggers=nouns,
        light_verbs=frozenset(light),
        type_intensity={k: float(v) for k, v in _by_event_type(where, intensity["types"]).items()},
        mode_intensity=modes,
        reporting_verbs=frozenset(reporting["verbs"]),
        hedges=hedge_words(reporting),
        timing=load_timing_rules(),
        agent_nouns=frozenset(agents["nouns"]),
        instrument_nouns=frozenset(agents["instruments"]),
        role_nouns=frozenset(agents["roles"]),
        anonymous_roles=frozenset(agents["anonymous_roles"]),
        described_persons=frozenset(agents["roles"]) | frozenset(agents["described_persons"]),
        document_nouns=frozenset(agents["documents"]),
        domestic_nouns=frozenset(agents["domestic"]),
        not_actor_nouns=frozenset(agents["not_actors"]),
        campaign_nouns=frozenset(agents["campaigns"]),
        regional_words=frozenset(agents["regional"]),
        intent_nouns=frozenset(agents["intent_nouns"]),
        hostile_nouns=frozenset(agents["hostile"]),
        cancel_objects={k: frozenset(v) for k, v in senses["cancel_objects"].items()},
        require_objects={k: frozenset(v) for k, v in senses["require_objects"].items()},
        cancel_preps={k: frozenset(v) for k, v in senses["cancel_preps"].items()},
        danger_nouns={k: frozenset(v) for k, v in senses["danger_nouns"].items()},
        ability_modals=frozenset(senses["ability_modals"]),
    )
