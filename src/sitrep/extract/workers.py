"""Parse and extract in worker processes (`nlp.n_process` > 1).

Each worker is forked from the process that already loaded the spaCy pipeline and the
knowledge, so nothing is loaded twice and pages are shared until written. A worker takes
`nlp.batch_size` articles at a time and sends back their extractions (small records)
rather than parsed documents, so the main process only orders, stores and resolves. At
most two batches per worker are in flight: memory stays bounded whatever the input size.
Results come back in input order, with rejects in their place, exactly as in one process.
Workers are replaced by fresh forks every `nlp.worker_max_articles` articles each, because a
process that parses only grows (spaCy's vocabulary, lemma and place caches); the main
process never parses, so a fresh fork starts from the memory the first one had.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import TYPE_CHECKING

from sitrep.errors import WorkerError
from sitrep.model import Article, Extraction, Reject

if TYPE_CHECKING:
    from sitrep.extract.service import Extractor

_Result = tuple[list[Extraction], dict[str, float]]

# The extractor a worker process was forked with. Process-local: set once by `_adopt` in
# the worker, never in the main process (a pool's task function must be module-level).
_WORKER_EXTRACTOR: list[Extractor] = []


def _adopt(extractor: Extractor) -> None:
    """Worker initializer: keep the inherited extractor; parse in this process only; and
    exit when the main process dies (a killed run must not leave workers behind)."""
    settings = extractor.settings
    extractor.settings = replace(settings, nlp=replace(settings.nlp, n_process=1))
    _WORKER_EXTRACTOR.append(extractor)
    threading.Thread(target=_exit_with_parent, name="sitrep-parent-watch", daemon=True).start()


def _exit_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()  # returns when the main process has exited, however it ended
        os._exit(1)


def _extract_batch(articles: list[Article], timed: bool) -> _Result:
    timings: dict[str, float] | None = {} if timed else None
    extractions = _WORKER_EXTRACTOR[0].extract(articles, timings)
    return extractions, timings or {}


def stream_in_workers(
    extractor: Extractor,
    items: Iterable[Article | Reject],
    timings: dict[str, float] | None = None,
) -> Iterator[Extraction | Reject]:
    """`Extractor.stream` over `nlp.n_process` forked workers; `timings` accumulates the
    workers' seconds per stage."""
    settings = extractor.settings.nlp
    size = max(1, settings.batch_size)
    window = 2 * settings.n_process
    # Articles one pool takes before it is drained and replaced (0: never).
    recycle_after = max(0, settings.worker_max_articles) * settings.n_process
    pool = _fork_pool(extractor)
    taken = 0
    queue: deque[Reject | Future[_Result]] = deque()
    batch: list[Article] = []

    def submit() -> Iterator[Extraction | Reject]:
        nonlocal batch, pool, taken
        if not batch:
            return
        if recycle_after and taken >= recycle_after:
            yield from ready(0)  # everything sent to the old workers comes back first
            pool.shutdown(wait=True)
            pool = _fork_pool(extractor)
            taken = 0
        queue.append(pool.submit(_extract_batch, batch, timings is not None))
        taken += len(batch)
        batch = []

    def ready(limit: int) -> Iterator[Extraction | Reject]:
        """Yield from the head of the queue while more than `limit` batches are pending."""
        while queue and (isinstance(queue[0], Reject) or _pending(queue) > limit):
            head = queue.popleft()
            if isinstance(head, Reject):
                yield head
                continue
            extractions, spent = _result(head)
            if timings is not None:
                for stage, seconds in spent.items():
                    timings[stage] = timings.get(stage, 0.0) + seconds
            yield from extractions

    try:
        for item in items:
            if isinstance(item, Reject):
                yield from submit()  # keep the reject after the articles read before it
                queue.append(item)
            else:
                batch.append(item)
                if len(batch) >= size:
                    yield from submit()
            yield from ready(window)
        yield from submit()
        yield from ready(0)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _fork_pool(extractor: Extractor) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=extractor.settings.nlp.n_process,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_adopt,
        initargs=(extractor,),  # forked, not pickled: the loaded pipeline is inherited
    )


def _pending(queue: deque[Reject | Future[_Result]]) -> int:
    return sum(1 for entry in queue if not isinstance(entry, Reject))


def _result(future: Future[_Result]) -> _Result:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise WorkerError(
            "an extraction worker process died (killed, or out of memory?); "
            "nothing of its batch was stored, so running again resumes from there"
        ) from exc
