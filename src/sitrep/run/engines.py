"""The engines that run articles into a store, registered by name (`run.engine`).

Every engine takes the same input and options and returns the same `RunReport`; all of
them write through the store's batch writer and end with `finish` (resolve, alerts,
delivery), so the store they leave is the same. The Dask engine loads `distributed` only
when it is picked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from sitrep.errors import UsageError
from sitrep.finish import RunReport
from sitrep.model import Article, Reject
from sitrep.settings import Settings


class Engine(Protocol):
    """Extract `items` into the store at `db`; articles already stored are skipped unless
    `reprocess`. `on_reject` hears of every reject, `on_progress` of records done."""

    def __call__(
        self,
        items: Iterable[Article | Reject],
        settings: Settings,
        db: Path,
        *,
        reprocess: bool = False,
        on_reject: Callable[[Reject], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> RunReport: ...


def _run_with(processes: Callable[[int], int]) -> Engine:
    """The in-process runner with `nlp.n_process` set from the one asked for."""
    from sitrep.run.local import run_to_store

    def run(
        items: Iterable[Article | Reject],
        settings: Settings,
        db: Path,
        *,
        reprocess: bool = False,
        on_reject: Callable[[Reject], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> RunReport:
        nlp = replace(settings.nlp, n_process=processes(settings.nlp.n_process))
        return run_to_store(
            items,
            replace(settings, nlp=nlp),
            db,
            reprocess=reprocess,
            on_reject=on_reject,
            on_progress=on_progress,
        )

    return run


def _local() -> Engine:
    return _run_with(lambda _: 1)


def _workers() -> Engine:
    # Forked workers need at least two to be worth the fork (`extract/workers.py`).
    return _run_with(lambda asked: max(2, asked))


def _dask() -> Engine:
    from sitrep.run.dask_engine import run_with_dask

    return run_with_dask


# Name → loader, so an engine's dependencies load only when it is used.
ENGINES: dict[str, Callable[[], Engine]] = {
    "local": _local,
    "workers": _workers,
    "dask": _dask,
}


def engine_name(settings: Settings) -> str:
    """The engine `settings` ask for: `run.engine`, where "local" with `nlp.n_process` > 1
    (`-j N`) means the forked workers, as it always has."""
    name = settings.run.engine
    if name == "local" and settings.nlp.n_process > 1:
        return "workers"
    return name


def engine_for(settings: Settings) -> Engine:
    name = engine_name(settings)
    if name not in ENGINES:
        known = ", ".join(ENGINES)
        raise UsageError(f"unknown engine {settings.run.engine!r} (one of: {known})")
    return ENGINES[name]()
