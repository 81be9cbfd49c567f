"""`sitrep bench-incremental`: the time to add a few articles to stores of growing size,
resolved incrementally, against a full resolution of the same store.

Three scenarios: `latest` (the corpus's newest articles are added: news arriving, as
under `sitrep watch`), `random` (a seeded sample from anywhere in time: a backfill) and
`feed` (the newest again, to stores that all hold the corpus's articles of the 30 days
before them). The same articles are added to every store size, so the sizes differ in the
store alone, not in what is added (longer or shorter texts). For each size N the store is
N of the corpus's other articles (a seeded random sample, so every size spans the
corpus's dates; for `feed`, the recent ones first, then a sample of the older): a bigger
`latest` or `random` store is also denser around the added articles (more neighbours to
compare with in the copy and story windows), a bigger `feed` store only holds more older
news. Each store is stored and fully resolved; then the added articles are written and their
incremental resolution is timed; then a full resolution of the same store, and both must
leave the same copies, stories, canonical events, read model and alerts. Only
resolution is timed; articles are stored as ingested, with the event mentions of
`--extract` (extraction is slow: without it there are no events to merge), or
`--mentions K` synthetic mentions per article (store/synthetic.py: countries, actors, types
and dates drawn as in the query benchmark's store), so the alerts (timed after the addition,
the stored articles' alerts recorded before it, as runs do) and the read model (timed inside
the incremental resolution) have events to work on. Each addition is timed `--repeat` times
from a copy of the store before it, and the least time is reported (the others only add
the load of a shared machine). With `--whole`, the whole addition is timed too: the added
articles' corpus lines run into a copy of the stored store as `sitrep run` runs them
(reading, extraction, store write, incremental resolution, alerts; run/whole_bench.py).
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from sitrep.analyze.alert_record import Alert
from sitrep.analyze.alerts import record_alerts
from sitrep.errors import SitrepError
from sitrep.ingest import read_inputs
from sitrep.kb.actors import ActorKB, state_media_names
from sitrep.model import Article, Extraction
from sitrep.resolve import load_libraries, resolve_ordered
from sitrep.resolve.dedup import day_number
from sitrep.settings import Settings
from sitrep.store.db import connect
from sitrep.store.incremental import IncrementalReport, resolve_incrementally, settings_digest
from sitrep.store.resolution import resolution_articles, resolution_mentions, write_resolution
from sitrep.store.story_features import FeaturesWriter
from sitrep.store.synthetic import add_mentions
from sitrep.store.write import write_batch

if TYPE_CHECKING:  # loading spaCy only when extraction or `--whole` asks for it
    from sitrep.run.whole_bench import WholeAddition

SCENARIOS = ("latest", "feed", "random")


@dataclass(slots=True)
class IncrementalTiming:
    """One size and scenario: seconds of the incremental and of the full resolution."""

    scenario: str
    stored: int  # articles in the store before the addition
    added: int
    incremental_seconds: float
    full_seconds: float
    alerts_seconds: float
    read_model_seconds: float  # the read model's update, part of incremental_seconds
    blocks: int  # story days and undated blocks clustered again
    block_articles: int
    same: bool  # incremental and full left the same rows
    # `sitrep run` of the added articles into the stored store (run/whole_bench.py);
    # None without `--whole`.
    whole_seconds: float | None = None

    @property
    def per_article(self) -> float:
        return self.incremental_seconds / self.added if self.added else 0.0

    @property
    def whole_per_article(self) -> float | None:
        if self.whole_seconds is None or not self.added:
            return None
        return self.whole_seconds / self.added

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "stored": self.stored,
            "added": self.added,
            "incremental_s": round(self.incremental_seconds, 3),
            "per_article_s": round(self.per_article, 4),
            "full_s": round(self.full_seconds, 3),
            "alerts_s": round(self.alerts_seconds, 3),
            "read_model_s": round(self.read_model_seconds, 3),
            "blocks_reclustered": self.blocks,
            "articles_reclustered": self.block_articles,
            "same_as_full": self.same,
            "whole_seconds": _rounded(self.whole_seconds, 3),
            "whole_per_article_seconds": _rounded(self.whole_per_article, 4),
        }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def ratios(timings: Sequence[IncrementalTiming]) -> dict[str, float]:
    """Per scenario: per-article cost at the largest store / at the smallest, of the
    incremental resolution (key: the scenario) and, where timed, of the whole addition
    (key: "whole:" and the scenario)."""
    out: dict[str, float] = {}
    for scenario in SCENARIOS:
        rows = sorted((t for t in timings if t.scenario == scenario), key=lambda t: t.stored)
        if len(rows) < 2:
            continue
        if rows[0].per_article:
            out[scenario] = round(rows[-1].per_article / rows[0].per_article, 3)
        smallest, largest = rows[0].whole_per_article, rows[-1].whole_per_article
        if smallest and largest is not None:
            out[f"whole:{scenario}"] = round(largest / smallest, 3)
    return out


def run_incremental_bench(
    corpus: Path,
    sizes: Sequence[int],
    add: int,
    settings: Settings,
    *,
    extract: bool = False,
    mentions: int = 0,
    repeat: int = 3,
    seed: int = 0,
    whole: bool = False,
    on_row: Callable[[IncrementalTiming], None] | None = None,
) -> list[IncrementalTiming]:
    """Time the addition of `add` articles to stores of each size (module doc); with
    `mentions`, each article stored carries that many synthetic event mentions; each
    addition is timed `repeat` times and the least time kept. `whole` times the whole
    addition as well (run/whole_bench.py: the corpus must be JSON Lines)."""
    articles = [a for a in read_inputs([str(corpus)], settings.ingest) if isinstance(a, Article)]
    unique = list({a.id: a for a in articles}.values())
    random.Random(seed).shuffle(unique)
    if len(unique) <= add:
        raise SitrepError(f"the corpus has too few articles to add {add}")
    load_libraries()
    state_media = state_media_names(ActorKB.load(extra_files=[*settings.extract.actor_files]))
    added = _added(unique, add, seed)
    stores = {
        scenario: [a for a in unique if a.id not in {b.id for b in chosen}]
        for scenario, chosen in added.items()
    }
    stores["feed"] = _recent_first(stores["feed"], added["feed"], settings)
    wanted = {a.id for chosen in added.values() for a in chosen}
    wanted.update(a.id for others in stores.values() for a in others[: max(sizes)])
    adding = _whole(added, settings) if whole else None
    done = {e.article.id: e for e in _extractions(_in(unique, wanted), settings, extract, adding)}
    timings: list[IncrementalTiming] = []
    for size in sizes:
        for scenario in SCENARIOS:
            stored = [done[a.id] for a in stores[scenario][:size] if a.id in done]
            new = [done[a.id] for a in added[scenario] if a.id in done]
            counts = (mentions, repeat)
            timing = _one(stored, new, scenario, settings, state_media, counts, adding)
            timings.append(timing)
            if on_row is not None:
                on_row(timing)
    return timings


def _added(unique: list[Article], add: int, seed: int) -> dict[str, list[Article]]:
    """The articles each scenario adds, the same to every store size: the corpus's newest
    (`latest`, `feed`) and a seeded random sample (`random`)."""
    newest = sorted(unique, key=lambda a: (a.published or "", a.id))[-add:]
    sample = random.Random(seed + 1).sample(unique, add)
    return {"latest": newest, "feed": newest, "random": sample}


def _recent_first(others: list[Article], added: list[Article], settings: Settings) -> list[Article]:
    """`others` with the articles of the copy window before the added ones first (it holds
    the stories' window too): a store of any size then holds the same recent past, as a
    feed's store does whatever it has kept from before, and differs only in older news."""
    days = [d for a in added if (d := day_number(a.published)) is not None]
    if not days:
        return others
    since = min(days) - max(settings.resolve.dedup_window_days, settings.resolve.story_window_days)

    def recent(article: Article) -> bool:
        day = day_number(article.published)
        return day is not None and day >= since

    return [a for a in others if recent(a)] + [a for a in others if not recent(a)]


def _in(articles: list[Article], ids: set[str]) -> list[Article]:
    return [a for a in articles if a.id in ids]


def _whole(added: dict[str, list[Article]], settings: Settings) -> WholeAddition:
    from sitrep.run.whole_bench import prepare_whole

    return prepare_whole(added, settings)


def _extractions(
    articles: list[Article], settings: Settings, extract: bool, whole: WholeAddition | None
) -> list[Extraction]:
    """The articles extracted with `extract` (by the whole addition's extractor, when it
    has loaded one), else bare: `--whole` alone extracts only what its runs add."""
    if not extract:
        return [Extraction(article) for article in articles]
    if whole is not None:
        extractor = whole.extractor
    else:
        from sitrep.extract.service import Extractor

        extractor = Extractor(settings)
    return [r for r in extractor.stream(articles) if isinstance(r, Extraction)]


def _one(
    stored: list[Extraction],
    added: list[Extraction],
    scenario: str,
    settings: Settings,
    state_media: frozenset[str],
    counts: tuple[int, int],
    whole: WholeAddition | None = None,
) -> IncrementalTiming:
    mentions, repeat = counts
    whole_seconds: float | None = None
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-incr-") as folder:
        path = Path(folder) / "bench.duckdb"
        kept = Path(folder) / "stored.duckdb"  # the store before the addition, for --whole
        con = connect(path, memory_limit=settings.store.memory_limit)
        try:
            write_batch(con, stored, [])
            add_mentions(con, [e.article.id for e in stored], mentions)
            _full(con, settings, state_media)
            record_alerts(con, settings)  # as a run does: the alerts of the stored articles
            if whole is not None:
                con.close()
                shutil.copyfile(path, kept)
                con = connect(path, memory_limit=settings.store.memory_limit)
            write_batch(con, added, [])
            add_mentions(con, [e.article.id for e in added], mentions)
            con, done, incremental = _timed_incremental(con, path, settings, state_media, repeat)
            started = time.perf_counter()
            raised = _alert_rows(record_alerts(con, settings))
            alerts = time.perf_counter() - started
            after = _snapshot(con)
            started = time.perf_counter()
            _full(con, settings, state_media)
            full = time.perf_counter() - started
            # The full path is the reference: resolution, read model and alerts alike.
            same = _snapshot(con) == after and _alert_rows(record_alerts(con, settings)) == raised
        finally:
            con.close()
        if whole is not None:
            whole_seconds = _timed_whole(kept, scenario, whole, settings, repeat)
    return IncrementalTiming(
        scenario,
        len(stored),
        len(added),
        incremental,
        full,
        alerts,
        done.read_model_seconds,
        done.blocks,
        done.block_articles,
        same,
        whole_seconds,
    )


def _timed_whole(
    kept: Path, scenario: str, whole: WholeAddition, settings: Settings, repeat: int
) -> float:
    from sitrep.run.whole_bench import timed_whole_addition

    return timed_whole_addition(kept, kept.parent, scenario, whole, settings, repeat)


def _timed_incremental(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    settings: Settings,
    state_media: frozenset[str],
    repeat: int,
) -> tuple[duckdb.DuckDBPyConnection, IncrementalReport, float]:
    """The incremental resolution of the articles just written, timed `repeat` times, each
    from a copy of the store as it was before the first (closed and copied, so DuckDB's
    caches start alike): the least time, as `timeit` reports, since a busy machine only
    ever adds time. Returns the connection to the resolved store, the report and the time."""
    con.close()
    before = path.with_name("before.duckdb")
    shutil.copyfile(path, before)
    best = float("inf")
    done: IncrementalReport | None = None
    for attempt in range(max(repeat, 1)):
        if attempt:
            con.close()
            shutil.copyfile(before, path)
        con = connect(path, memory_limit=settings.store.memory_limit)
        started = time.perf_counter()
        done = resolve_incrementally(con, settings.resolve, state_media)
        best = min(best, time.perf_counter() - started)
        if done is None:
            raise SitrepError("the benchmark store could not be resolved incrementally")
    before.unlink()
    assert done is not None
    return con, done, best


def _full(con: duckdb.DuckDBPyConnection, settings: Settings, state_media: frozenset[str]) -> None:
    mentions = resolution_mentions(con)
    features = FeaturesWriter(con)  # kept for incremental resolution
    result = resolve_ordered(
        resolution_articles(con), mentions, settings.resolve, state_media, features
    )
    features.close()
    write_resolution(con, result, settings_digest(settings.resolve, state_media))


def _snapshot(con: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    """What resolution leaves, as one comparable value."""
    return tuple(
        con.execute(sql).fetchall()
        for sql in (
            "SELECT id, duplicate_of, story_id FROM articles ORDER BY id",
            "SELECT * FROM stories ORDER BY story_id",
            "SELECT * FROM canonical_events ORDER BY id",
            "SELECT * FROM event_facts ORDER BY id",
            "SELECT * FROM quote_facts ORDER BY id",
        )
    )


def _alert_rows(alerts: Sequence[Alert]) -> list[dict[str, Any]]:
    """The alerts less when they were stored."""
    return [replace(a, first_fired=None, updated=None).as_dict() for a in alerts]
