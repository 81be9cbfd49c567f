"""`sitrep bench`: sitrep end to end against a plain spaCy pass over the same articles.

Both run in the same process on the same texts, so the ratio is meaningful on any machine
(in one process they take turns batch by batch, so a change in load hits both alike):
`ratio` = plain spaCy seconds / sitrep seconds (≥ 1.0: sitrep is at least as fast as just
parsing the articles with the full pipeline).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitrep.ingest import read_inputs
from sitrep.model import Article, Extraction, Reject
from sitrep.settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language

    from sitrep.extract.service import Extractor


@dataclass(slots=True)
class BenchReport:
    corpus: str
    articles: int
    words: int
    baseline_seconds: float
    sitrep_seconds: float
    load_seconds: float
    stage_seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    n_process: int = 1
    baseline_cpu: float = 0.0
    sitrep_cpu: float = 0.0
    # Numbers from different spaCy builds are not comparable (docs/performance.md).
    spacy_version: str = ""

    @property
    def ratio(self) -> float:
        return self.baseline_seconds / self.sitrep_seconds if self.sitrep_seconds else 0.0

    @property
    def cpu_ratio(self) -> float:
        """The same ratio in CPU seconds (all processes): steadier than wall time when
        other work shares the machine."""
        return self.baseline_cpu / self.sitrep_cpu if self.sitrep_cpu else 0.0

    def as_dict(self) -> dict[str, Any]:
        total = sum(self.stage_seconds.values()) or 1.0
        return {
            "corpus": self.corpus,
            "articles": self.articles,
            "words": self.words,
            "spacy_plain_seconds": round(self.baseline_seconds, 2),
            "sitrep_seconds": round(self.sitrep_seconds, 2),
            "sitrep_articles_per_s": round(self.articles / self.sitrep_seconds, 2)
            if self.sitrep_seconds
            else 0.0,
            "sitrep_words_per_s": round(self.words / self.sitrep_seconds)
            if self.sitrep_seconds
            else 0,
            "ratio_to_plain_spacy": round(self.ratio, 3),
            "n_process": self.n_process,
            "spacy_version": self.spacy_version,
            "spacy_plain_cpu_seconds": round(self.baseline_cpu, 2),
            "sitrep_cpu_seconds": round(self.sitrep_cpu, 2),
            "cpu_ratio_to_plain_spacy": round(self.cpu_ratio, 3),
            "load_seconds": round(self.load_seconds, 2),
            "stage_share": {k: round(v / total, 3) for k, v in self.stage_seconds.items()},
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (nlp.pipe workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


_Timed = tuple[float, float, float, float, list[Extraction]]


def _interleaved(
    plain: Language, extractor: Extractor, articles: list[Article], stages: dict[str, float]
) -> _Timed:
    """One process: the plain pass and sitrep's parse + extract take turns, one batch each
    (alternating which goes first), so a change in machine load hits both alike."""
    size = max(1, extractor.settings.nlp.batch_size)
    wall = [0.0, 0.0]
    cpu = [0.0, 0.0]
    extractions: list[Extraction] = []
    for turn, start in enumerate(range(0, len(articles), size)):
        batch = articles[start : start + size]

        def plain_pass(batch: list[Article] = batch) -> None:
            for _ in plain.pipe([a.text for a in batch], batch_size=size):
                pass

        def sitrep_pass(batch: list[Article] = batch) -> None:
            extractions.extend(extractor.extract(batch, stages))

        steps = [(0, plain_pass), (1, sitrep_pass)]
        for side, step in steps if turn % 2 == 0 else steps[::-1]:
            started, started_cpu = time.perf_counter(), time.process_time()
            step()
            wall[side] += time.perf_counter() - started
            cpu[side] += time.process_time() - started_cpu
    return wall[0], cpu[0], wall[1], cpu[1], extractions


def _one_after_the_other(
    plain: Language, extractor: Extractor, articles: list[Article], stages: dict[str, float]
) -> _Timed:
    """Worker processes (`nlp.n_process` > 1) start once per pass, so the passes run whole:
    the plain one first (spaCy's own workers), then sitrep's stream (sitrep's workers)."""
    settings = extractor.settings.nlp
    texts = [a.text for a in articles]
    cpu = _cpu_seconds()
    started = time.perf_counter()
    for _ in plain.pipe(texts, batch_size=settings.batch_size, n_process=settings.n_process):
        pass
    baseline, baseline_cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    cpu = _cpu_seconds()
    started = time.perf_counter()
    extractions = [e for e in extractor.stream(articles, stages) if not isinstance(e, Reject)]
    return (
        baseline,
        baseline_cpu,
        time.perf_counter() - started,
        _cpu_seconds() - cpu,
        extractions,
    )


def run_bench(corpus: Path, n: int, settings: Settings) -> BenchReport:
    """Time ingest → extract → store → resolve for the first `n` articles of `corpus`,
    and a plain `nlp.pipe` pass of the configured spaCy model (nothing excluded, the same
    `nlp.batch_size` and `nlp.n_process`)."""
    import spacy

    from sitrep.extract.service import Extractor
    from sitrep.finish import resolve_store
    from sitrep.resolve import load_libraries
    from sitrep.store.db import connect
    from sitrep.store.write import write_batch

    stages: dict[str, float] = {}
    started = time.perf_counter()
    items = list(islice(read_inputs([str(corpus)], settings.ingest), n))
    articles = [a for a in items if isinstance(a, Article)]
    stages["ingest"] = time.perf_counter() - started
    texts = [a.text for a in articles]

    n_process = settings.nlp.n_process
    plain = spacy.load(settings.nlp.model)
    started = time.perf_counter()
    extractor = Extractor(settings)
    load_libraries()  # like `spacy.load` for the plain pass: start-up, not per-article work
    load = time.perf_counter() - started
    if n_process == 1:
        timed = _interleaved(plain, extractor, articles, stages)
    else:
        timed = _one_after_the_other(plain, extractor, articles, stages)
    del plain
    baseline, baseline_cpu, extract_seconds, extract_cpu, extractions = timed
    cpu = _cpu_seconds()
    run_started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        con = connect(Path(folder) / "bench.duckdb", memory_limit=settings.store.memory_limit)
        started = time.perf_counter()
        write_batch(con, extractions, [])
        stages["store"] = time.perf_counter() - started
        started = time.perf_counter()
        resolve_store(con, settings)
        stages["resolve"] = time.perf_counter() - started
        con.close()
    sitrep_seconds = time.perf_counter() - run_started + extract_seconds + stages["ingest"]
    sitrep_cpu = _cpu_seconds() - cpu + extract_cpu + stages["ingest"]
    return BenchReport(
        corpus=str(corpus),
        articles=len(articles),
        words=sum(len(t.split()) for t in texts),
        baseline_seconds=baseline,
        sitrep_seconds=sitrep_seconds,
        load_seconds=load,
        stage_seconds=stages,
        peak_rss_mb=_peak_rss_mb(),
        n_process=n_process,
        baseline_cpu=baseline_cpu,
        sitrep_cpu=sitrep_cpu,
        spacy_version=version("spacy"),
    )
