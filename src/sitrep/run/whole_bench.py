"""`sitrep bench-incremental --whole`: the whole addition of the added articles, timed as
`sitrep run --db STORE FILE` performs it on a store that already holds the stored ones.

The added articles' own lines of the corpus (a JSON Lines file, plain or gzip: the bytes
sitrep read them from, so the same fields, aliases and all) are written to an input file;
then the local engine's code path (`run_to_store`, what `cmd_run` calls: reading the file,
extraction, the store write, `finish`: incremental resolution, alerts and webhook delivery
when one is set) runs against a copy of the store, fully resolved, with its alerts
recorded, as a previous run leaves it. Each run starts from its own copy; the least of
`repeat` times is kept (run/incremental_bench.py says why).

Inside the time: opening the store, reading and cleaning the input, parsing and extracting
the articles, writing them, resolving incrementally (with reading the state-media outlets'
names from the actor KB, which `sitrep run` does every run), recording the alerts.
Outside it: loading the spaCy pipeline and the knowledge (`Extractor`, loaded once: a
running watch has loaded them long before news arrives) and copying the store. The
extractor parses the added articles once before the first timing, so its caches are warm
for the first run as for the others (a watch's are warm from earlier polls).

A run that falls back to a full resolution (the stored state could not be built on) is an
error, not a slow row: it would time something else.
"""

from __future__ import annotations

import gzip
import shutil
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitrep.errors import SitrepError
from sitrep.extract.service import Extractor
from sitrep.ingest import read_inputs
from sitrep.model import Article
from sitrep.run.engines import engine_name
from sitrep.run.local import run_to_store
from sitrep.settings import Settings
from sitrep.store.db import connect


@dataclass(frozen=True, slots=True)
class WholeAddition:
    """What the whole addition needs: the extractor, loaded once, and per scenario the
    added articles' corpus lines (one JSON Lines input file's bytes) and ids."""

    extractor: Extractor
    lines: dict[str, bytes]
    ids: dict[str, frozenset[str]]


def prepare_whole(added: dict[str, list[Article]], settings: Settings) -> WholeAddition:
    """Load the extractor (warmed on the added articles) and read the added articles'
    lines back from the corpus. Only the local engine (`run.engine = "local"`, with or
    without `-j`) is timed: the Dask engine would time the start of a cluster."""
    if engine_name(settings) not in ("local", "workers"):
        raise SitrepError("--whole times the local engine; set run.engine = local")
    extractor = Extractor(settings)
    seen = {a.id: a for chosen in added.values() for a in chosen}
    for _ in extractor.stream(list(seen.values())):
        pass  # warm its caches (module doc)
    return WholeAddition(
        extractor,
        {scenario: corpus_lines(chosen) for scenario, chosen in added.items()},
        {scenario: frozenset(a.id for a in chosen) for scenario, chosen in added.items()},
    )


def corpus_lines(articles: Sequence[Article]) -> bytes:
    """The lines `articles` were read from ("path:line" origins of JSON Lines input), in
    their order, as one JSON Lines file's bytes."""
    places = [_line_place(article) for article in articles]
    wanted: dict[str, set[int]] = defaultdict(set)
    for path, number in places:
        wanted[path].add(number)
    found: dict[tuple[str, int], bytes] = {}
    for path, numbers in wanted.items():
        found.update(((path, n), line) for n, line in _lines_of(Path(path), numbers).items())
    return b"".join(found[place].rstrip(b"\r\n") + b"\n" for place in places)


def _line_place(article: Article) -> tuple[str, int]:
    """(path, line number) of a "path:line" origin."""
    path, _, number = (article.origin or "").rpartition(":")
    if not path or not number.isdigit():
        raise SitrepError(
            f"--whole needs a JSON Lines corpus: article {article.id!r} was read "
            f"from {article.origin!r}, not from a line of one"
        )
    return path, int(number)


def _lines_of(path: Path, numbers: set[int]) -> dict[int, bytes]:
    """Lines `numbers` (from 1, as the JSON Lines reader counts them) of a plain or gzip
    file."""
    if path.name.endswith(".gz"):
        with gzip.open(path, "rb") as packed:
            return _numbered(packed, numbers)
    with path.open("rb") as plain:
        return _numbered(plain, numbers)


def _numbered(lines: Iterable[bytes], numbers: set[int]) -> dict[int, bytes]:
    return {n: line for n, line in enumerate(lines, start=1) if n in numbers}


def timed_whole_addition(
    stored: Path, folder: Path, scenario: str, whole: WholeAddition, settings: Settings, repeat: int
) -> float:
    """Seconds of `sitrep run --db COPY FILE` (module doc) for the scenario's added
    articles, on copies of the store at `stored`: the least of `repeat` runs. Each run
    must store every added article and resolve incrementally, or it raises."""
    source = folder / f"added-{scenario}.jsonl"
    source.write_bytes(whole.lines[scenario])
    target = folder / "whole.duckdb"
    best = float("inf")
    for _ in range(max(repeat, 1)):
        shutil.copyfile(stored, target)
        started = time.perf_counter()
        report = run_to_store(
            read_inputs([str(source)], settings.ingest),
            settings,
            target,
            extractor=whole.extractor,
        )
        best = min(best, time.perf_counter() - started)
        if report.resolved_incrementally is None:
            raise SitrepError(
                f"the whole addition ({scenario}) fell back to a full resolution; "
                "it must resolve incrementally to be timed"
            )
        _check_stored(target, whole.ids[scenario], report.articles, settings)
        target.unlink()
    source.unlink()
    return best


def _check_stored(path: Path, ids: frozenset[str], written: int, settings: Settings) -> None:
    """Every added article was written by the run and is in the store."""
    con = connect(path, memory_limit=settings.store.memory_limit)
    try:
        rows = con.execute("SELECT id FROM articles").fetchall()
    finally:
        con.close()
    missing = ids - {row[0] for row in rows}
    if written != len(ids) or missing:
        raise SitrepError(
            f"the whole addition stored {written} of {len(ids)} articles "
            f"({len(missing)} missing from the store)"
        )
