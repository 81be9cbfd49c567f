"""The extraction service: the spaCy pipeline and the knowledge, loaded once, turning
articles into extractions (in this process or in forked workers, `extract/workers.py`).

It lives in `extract/` because it composes only what lies below in the flow (nlp, kb and
extract): every engine of `run/`, the evaluations (`eval/`) and the API's ingest (`views/`)
use it without importing upwards.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from sitrep.extract.document import extract_article, load_knowledge
from sitrep.extract.timex import normalise_exact
from sitrep.kb.geofold import fold
from sitrep.model import Article, Extraction, Reject
from sitrep.nlp.pipeline import load_pipeline, parse_texts
from sitrep.settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from sitrep.extract.context import Knowledge


class Extractor:
    """Loads the spaCy pipeline and the knowledge once; turns articles into extractions."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nlp: Language = load_pipeline(settings.nlp)
        self.knowledge: Knowledge = load_knowledge(settings.extract)

    def extract(
        self, articles: list[Article], timings: dict[str, float] | None = None
    ) -> list[Extraction]:
        """Parse and extract; `timings`, when given, accumulates seconds per stage."""
        texts = (a.text for a in articles)
        if timings is None:
            docs: Iterable[Doc] = parse_texts(self.nlp, texts, self.settings.nlp)
        else:
            started = time.perf_counter()
            docs = list(parse_texts(self.nlp, texts, self.settings.nlp))
            timings["spacy"] = timings.get("spacy", 0.0) + time.perf_counter() - started
        return [
            extract_article(article, doc, self.knowledge, self.settings.extract, timings)
            for article, doc in zip(articles, docs, strict=True)
        ]

    def extract_transient(self, articles: list[Article]) -> list[Extraction]:
        """`extract` inside a spaCy memory zone (`Language.memory_zone`): the strings and
        lexemes these articles add to the vocabulary (news brings new names, numbers and
        misspellings, ~25 strings an article) are freed when it ends, so a process that
        extracts for weeks (`sitrep watch`, the server's ingest) does not grow with every
        word it has met. The extractions hold Python values only, nothing of the zone.
        The caches keyed by what articles contain (resolved names, folded names, time
        phrases) are emptied after it for the same reason: bounded for batch runs at tens
        of thousands of entries, they would otherwise fill over a watch's first weeks."""
        try:
            with self.nlp.memory_zone():
                return self.extract(articles)
        finally:
            self.knowledge.actors.forget_resolved()
            fold.cache_clear()
            normalise_exact.cache_clear()

    def stream(
        self, items: Iterable[Article | Reject], timings: dict[str, float] | None = None
    ) -> Iterator[Extraction | Reject]:
        """Extractions and rejects in input order. All articles go through one `nlp.pipe`
        call, which reads ahead `nlp.batch_size` texts at a time, so worker processes
        (`nlp.n_process` > 1) start once and memory stays bounded by the batch. With
        `nlp.n_process` > 1, forked workers parse *and* extract (`extract/workers.py`)."""
        if self.settings.nlp.n_process > 1:
            from sitrep.extract.workers import stream_in_workers

            yield from stream_in_workers(self, items, timings)
            return
        pending: deque[Article | Reject] = deque()

        def texts() -> Iterator[str]:
            for item in items:
                pending.append(item)
                if isinstance(item, Article):
                    yield item.text

        docs = iter(parse_texts(self.nlp, texts(), self.settings.nlp))
        while True:
            started = time.perf_counter()
            doc = next(docs, None)
            if timings is not None:
                timings["spacy"] = timings.get("spacy", 0.0) + time.perf_counter() - started
            # Rejects read before this article (or after the last one) go out first.
            while pending and isinstance(head := pending[0], Reject):
                pending.popleft()
                yield head
            if doc is None:
                break
            article = pending.popleft()
            assert isinstance(article, Article)
            yield extract_article(article, doc, self.knowledge, self.settings.extract, timings)
