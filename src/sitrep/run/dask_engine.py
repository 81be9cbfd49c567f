"""The Dask engine: partitions of the input are extracted by Dask workers into Parquet
shards, which the coordinator loads into the store in input order; resolution and alerts
then run exactly as for the local engine (`run.local`).

Each worker loads the spaCy pipeline and the knowledge once, in a `WorkerPlugin`. A shard is
named after its partition (position, the ids of its records, the extraction settings), so a
run that was killed finds the shards it finished and loads them instead of extracting them
again; shards are deleted once the store holds them. docs/scaling.md has the details.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
from distributed import Client, Future, LocalCluster, WorkerPlugin, get_worker, wait
from distributed.worker import Worker

from sitrep.errors import DaskEngineError, SitrepError, UsageError
from sitrep.extract.service import Extractor
from sitrep.finish import RunReport, finish
from sitrep.model import Article, Extraction, Reject
from sitrep.model.ids import digest
from sitrep.settings import RunSettings, Settings
from sitrep.store.db import connect
from sitrep.store.rows import reject_row
from sitrep.store.shards import (
    clear_partial_shards,
    load_shard,
    remove_shard,
    shard_complete,
    write_shard,
)
from sitrep.store.write import existing_article_ids

PLUGIN_NAME = "sitrep-extractor"


class ExtractorPlugin(WorkerPlugin):
    """Gives every worker one `Extractor`, loaded when the plugin is registered."""

    def __init__(self, settings: Settings) -> None:
        # A worker process runs one extraction at a time: no nested spaCy processes.
        self.settings = replace(settings, nlp=replace(settings.nlp, n_process=1))
        self.extractor: Extractor | None = None
        self.lock: threading.Lock | None = None

    def setup(self, worker: Worker) -> None:
        self.lock = threading.Lock()
        self.extractor = Extractor(self.settings)

    def teardown(self, worker: Worker) -> None:
        self.extractor = None


def extract_partition(items: list[Article | Reject], folder: str, name: str) -> str:
    """Worker task: extract one partition and write its shard; returns the shard's path."""
    plugin = get_worker().plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, ExtractorPlugin) or plugin.extractor is None or plugin.lock is None:
        raise DaskEngineError("this worker has no sitrep extractor (plugin not registered)")
    # Worker threads share the worker's one pipeline; spaCy is not safe to call concurrently.
    with plugin.lock:
        results = list(plugin.extractor.stream(items))
    extractions = [r for r in results if isinstance(r, Extraction)]
    rejects = [r for r in results if isinstance(r, Reject)]
    return str(write_shard(Path(folder), name, extractions, rejects))


def shard_folder(db: Path, run: RunSettings) -> Path:
    return Path(run.shard_dir).expanduser() if run.shard_dir else Path(f"{db}.shards")


def fingerprint(settings: Settings, reprocess: bool) -> str:
    # Shards made with other extraction settings are never reused.
    return digest(repr(settings.nlp), repr(settings.extract), reprocess)


def _item_key(item: Article | Reject) -> str:
    return item.id if isinstance(item, Article) else str(reject_row(item)["id"])


def shard_name(index: int, items: list[Article | Reject], fingerprint: str) -> str:
    """The shard of the `index`-th partition: the same input, settings and partition size
    give the same names, which is how a resumed run recognises finished shards."""
    return f"{index:08d}-" + digest(fingerprint, *map(_item_key, items))


def _partitions(items: Iterable[Article | Reject], size: int) -> Iterator[list[Article | Reject]]:
    part: list[Article | Reject] = []
    for item in items:
        part.append(item)
        if len(part) >= size:
            yield part
            part = []
    if part:
        yield part


@contextmanager
def _cluster(run: RunSettings) -> Iterator[Client]:
    """A client of the scheduler named in the settings, or of a local cluster started for
    this run (one single-threaded worker process per `run.workers`)."""
    if run.scheduler:
        try:
            client = Client(run.scheduler, timeout="30s")
        except OSError as exc:
            raise DaskEngineError(
                f"cannot reach the Dask scheduler {run.scheduler}: {exc}"
            ) from exc
        try:
            yield client
        finally:
            client.close()
        return
    if run.workers < 1:
        raise UsageError("run.workers must be at least 1")
    try:
        cluster = LocalCluster(
            n_workers=run.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        )
    except OSError as exc:
        raise DaskEngineError(f"cannot start a local Dask cluster: {exc}") from exc
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


@dataclass(slots=True)
class _Partition:
    index: int
    size: int
    article_ids: set[str]
    shard: Path | None = None  # set once the shard exists (None: nothing to load)
    future: Future[str] | None = None


@dataclass(slots=True)
class _Coordinator:
    """Submits partitions, keeps a bounded number in flight, loads shards in input order."""

    con: duckdb.DuckDBPyConnection
    client: Client
    folder: Path
    fingerprint: str
    reprocess: bool
    max_pending: int
    report: RunReport
    on_reject: Callable[[Reject], None] | None
    on_progress: Callable[[int], None] | None
    queue: list[_Partition] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def add(self, index: int, items: list[Article | Reject]) -> None:
        for item in items:
            if isinstance(item, Reject):
                self.report.rejects.append(item)
                if self.on_reject:
                    self.on_reject(item)
        name = shard_name(index, items, self.fingerprint)
        part = _Partition(index, len(items), {i.id for i in items if isinstance(i, Article)})
        if shard_complete(self.folder / name):
            part.shard = self.folder / name  # finished by a run that was stopped: reuse it
        else:
            remove_shard(self.folder / name)
            todo = self._todo(items)
            if any(isinstance(i, Article) for i in todo):
                part.future = self.client.submit(
                    extract_partition, todo, str(self.folder), name, key=f"sitrep-{name}"
                )
            elif todo:  # rejects only: nothing to parse
                part.shard = write_shard(
                    self.folder, name, [], [i for i in todo if isinstance(i, Reject)]
                )
        self.queue.append(part)
        self._drain(block=False)
        while sum(p.future is not None for p in self.queue) >= self._limit():
            self._drain(block=True)

    def finish(self) -> None:
        while self.queue:
            self._drain(block=True)

    def _todo(self, items: list[Article | Reject]) -> list[Article | Reject]:
        """Drop articles already stored (unless reprocessing), already queued in this run,
        or repeated within the partition: the local engine skips the same ones."""
        ids = [i.id for i in items if isinstance(i, Article)]
        known = set() if self.reprocess else existing_article_ids(self.con, ids)
        queued = self.seen if self.reprocess else {a for p in self.queue for a in p.article_ids}
        todo: list[Article | Reject] = []
        taken: set[str] = set()
        for item in items:
            if isinstance(item, Article):
                if item.id in known or item.id in queued or item.id in taken:
                    self.report.skipped += 1
                    continue
                taken.add(item.id)
            todo.append(item)
        if self.reprocess:
            self.seen |= taken
        return todo

    def _limit(self) -> int:
        threads = int(sum(self.client.nthreads().values()))
        return max(2, self.max_pending * max(1, threads))

    def _drain(self, *, block: bool) -> None:
        """Load every finished shard at the head of the queue; with `block`, first wait
        until the oldest partition has finished."""
        if block and self.queue and self.queue[0].future is not None:
            wait([self.queue[0].future])
        while self.queue:
            head = self.queue[0]
            if head.future is not None:
                if not head.future.done():
                    return
                head.shard = Path(self._result(head.future))
                head.future = None
            if head.shard is not None:
                counts = load_shard(self.con, head.shard)
                remove_shard(head.shard)
                self.report.articles += counts.articles
                self.report.events += counts.events
                self.report.quotes += counts.quotes
            self.queue.pop(0)
            if self.on_progress:
                self.on_progress(head.size)

    @staticmethod
    def _result(future: Future[str]) -> str:
        try:
            return str(future.result())
        except SitrepError:
            raise
        except Exception as exc:  # a worker's failure, re-raised here by Dask
            raise DaskEngineError(f"a partition failed on a worker: {exc!r}") from exc


def run_with_dask(
    items: Iterable[Article | Reject],
    settings: Settings,
    db: Path,
    *,
    reprocess: bool = False,
    client: Client | None = None,
    on_reject: Callable[[Reject], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> RunReport:
    """Like `run.local.run_to_store`, with extraction spread over Dask workers. `client`
    uses an existing cluster; otherwise `run.scheduler` or a local cluster of `run.workers`
    processes is used. The store ends up as a local run would leave it."""
    started = time.perf_counter()
    report = RunReport()
    folder = shard_folder(db, settings.run)
    folder.mkdir(parents=True, exist_ok=True)
    clear_partial_shards(folder)
    con = connect(
        db,
        memory_limit=settings.store.memory_limit,
        lock_wait=settings.store.lock_wait_seconds,
    )
    try:
        with _client(settings.run, client) as dask:
            _register(dask, settings)
            coordinator = _Coordinator(
                con,
                dask,
                folder,
                fingerprint(settings, reprocess),
                reprocess,
                max(1, settings.run.max_pending),
                report,
                on_reject,
                on_progress,
            )
            size = max(1, settings.run.partition_size)
            for index, part in enumerate(_partitions(items, size)):
                coordinator.add(index, part)
            coordinator.finish()
        finish(con, settings, report)
    finally:
        con.close()
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _client(run: RunSettings, client: Client | None) -> Iterator[Client]:
    if client is not None:
        yield client
        return
    with _cluster(run) as made:
        yield made


def _register(client: Client, settings: Settings) -> None:
    """Load the pipeline on every worker (and on workers that join later)."""
    try:
        client.register_plugin(ExtractorPlugin(settings), name=PLUGIN_NAME)
    except SitrepError:
        raise
    except Exception as exc:
        raise DaskEngineError(f"workers could not load the sitrep pipeline: {exc!r}") from exc
