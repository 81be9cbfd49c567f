"""sitrep's own reporting-cue lists (the extra keys of data/lexicons/reporting.yaml) and
the one list of hedge words (its `hedges` section, read by `hedge_words`).

`extract/lexicons.py` (shared with events) reads the speech verbs, and the hedge words
through `hedge_words`; the cue lists only quotes and hedges need are loaded here, once per
process.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from sitrep.errors import KnowledgeBaseError


@dataclass(frozen=True, slots=True)
class HedgeWords:
    """The hedge words, by how extract/hedges.py reads them in context (data/lexicons/
    reporting.yaml says why each class is there)."""

    anywhere: frozenset[str]
    reporting_verbs: frozenset[str]
    modals: frozenset[str]
    epistemic_adverbs: frozenset[str]
    epistemic_adjectives: frozenset[str]
    hedge_verbs: frozenset[str]
    perception_verbs: frozenset[str]
    weasel_adverbs: frozenset[str]
    weasel_adjectives: frozenset[str]
    vague_quantifiers: frozenset[str]
    vague_nouns: frozenset[str]
    weasel_words: frozenset[str]
    time_nouns: frozenset[str]
    vague_frequency: frozenset[str]
    measured: frozenset[str]
    vague_crowd: frozenset[str]
    arguing_verbs: frozenset[str]
    renown_adverbs: frozenset[str]
    passive_verbs: frozenset[str]
    phrases: tuple[str, ...]


def hedge_words(reporting: dict[str, Any]) -> HedgeWords:
    """The `hedges` section of a parsed reporting.yaml; every class must be there."""
    section = reporting.get("hedges")
    names = {f.name for f in fields(HedgeWords)}
    if not isinstance(section, dict) or set(section) != names:
        found = sorted(section) if isinstance(section, dict) else section
        raise KnowledgeBaseError(
            f"reporting.yaml: `hedges` must have exactly {sorted(names)}, not {found!r}"
        )
    words = {k: frozenset(str(w).lower() for w in v) for k, v in section.items() if k != "phrases"}
    phrases = tuple(str(p).lower() for p in section["phrases"])
    return HedgeWords(phrases=phrases, **words)


@dataclass(frozen=True, slots=True)
class CueLexicon:
    speech_verbs: frozenset[str]
    attitude_verbs: frozenset[str]
    intent_verbs: frozenset[str]
    direct_verbs: frozenset[str]
    cue_nouns: frozenset[str]
    object_verbs: frozenset[str]
    naming_verbs: frozenset[str]
    belief_verbs: frozenset[str]
    hedges: HedgeWords
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
        belief_verbs=words("belief_verbs"),
        hedges=hedge_words(table),
    )
