"""Scorers for every stage against gold files (`sitrep eval STAGE --gold PATH`).

Each stage module defines `FORMATS` (the gold formats it reads, first is the default) and
`score(gold: Path, fmt: str, settings: Settings, limit: int | None) -> EvalReport`.
Stages are imported lazily so that `sitrep eval times` does not load what `events` needs.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from sitrep.errors import UsageError
from sitrep.eval.report import EvalReport
from sitrep.settings import Settings

STAGES: dict[str, str] = {
    "events": "sitrep.eval.events",
    "quotes": "sitrep.eval.quotes",
    "hedges": "sitrep.eval.hedges",
    "places": "sitrep.eval.places",
    "times": "sitrep.eval.times",
    "stories": "sitrep.eval.stories",
    "events-coref": "sitrep.eval.events_coref",
    "picture": "sitrep.eval.picture",
}

__all__ = ["STAGES", "EvalReport", "run_eval", "stage_module"]


def stage_module(stage: str) -> ModuleType:
    if stage not in STAGES:
        raise UsageError(f"unknown eval stage {stage!r}; choose one of {sorted(STAGES)}")
    try:
        return importlib.import_module(STAGES[stage])
    except ModuleNotFoundError as exc:
        if exc.name == STAGES[stage]:
            raise UsageError(f"eval stage {stage!r} has no scorer yet") from exc
        raise


def run_eval(
    stage: str, gold: Path, fmt: str | None, settings: Settings, limit: int | None = None
) -> EvalReport:
    module = stage_module(stage)
    formats: tuple[str, ...] = module.FORMATS
    chosen = fmt or formats[0]
    if chosen not in formats:
        raise UsageError(f"eval {stage} reads formats {list(formats)}, not {chosen!r}")
    if not gold.exists():
        raise UsageError(f"gold path {gold} does not exist")
    report: EvalReport = module.score(gold, chosen, settings, limit)
    return report
