"""sitrep's own reporting-cue lists (the extra keys of data/lexicons/reporting.yaml).

`extract/lexicons.py` (shared with events) reads the speech verbs and hedges; the cue lists
only quotes and hedges need are loaded here, once per process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True, slots=True)
class CueLexicon:
    speech_verbs: frozenset[str]
    attitude_verbs: frozenset[str]
    intent_verbs: frozenset[str]
    direct_verbs: frozenset[str]
    cue_nouns: frozenset[str]
    object_verbs: frozenset[str]
    naming_verbs: frozenset[str]
    hedging_verbs: frozenset[str]
    hedges: frozenset[str]
    uncertainty_phrases: tuple[str, ...]
    # Unions computed once: quotes test every token against them.
    clause_verbs: frozenset[str] = field(init=False)
    """Verbs whose clausal complement is attributed content."""
    indirect_verbs: frozenset[str] = field(init=False)
    """Verbs that can introduce indirect content: clause verbs and intent verbs."""

    def __post_init__(self) -> None:
        clause = self.speech_verbs | self.attitude_verbs
        object.__setattr__(self, "clause_verbs", clause)
        object.__setattr__(self, "indirect_verbs", clause | self.intent_verbs)


@lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    path = resources.files("sitrep").joinpath("data", "lexicons", "reporting.yaml")
    table = yaml.safe_load(path.read_text("utf-8"))

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in table.get(key, []))

    speech = words("verbs")
    return CueLexicon(
        speech_verbs=speech,
        attitude_verbs=words("attitude_verbs"),
        intent_verbs=words("intent_verbs"),
        direct_verbs=speech | words("direct_verbs"),
        cue_nouns=words("cue_nouns"),
        object_verbs=words("object_verbs"),
        naming_verbs=words("naming_verbs"),
        hedging_verbs=words("hedging_verbs"),
        hedges=words("hedges"),
        uncertainty_phrases=tuple(str(p).lower() for p in table.get("uncertainty_phrases", [])),
    )
