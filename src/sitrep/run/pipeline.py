"""The Python API's extraction side: `sitrep.extract` for one article, `sitrep.Pipeline` for
many (extracted in memory, or run into a store). The same calls the CLI's `extract` and
`run` make: records become articles as JSONL lines do (ingest/records.py), the
`Extractor` parses and extracts them, `run_to_store` stores, resolves and evaluates alerts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from sitrep.errors import InputRejected, UsageError
from sitrep.extract.service import Extractor
from sitrep.finish import RunReport
from sitrep.ingest import read_inputs
from sitrep.ingest.clean import normalise_published
from sitrep.ingest.records import Record, read_records
from sitrep.model import Article, Extraction, Reject
from sitrep.run.local import run_to_store
from sitrep.settings import Settings, load_settings

# A publication date: ISO text ("2024-05-01", "2024-05-01T08:30:00Z") or a date/datetime.
Published = str | dt.date | None


class Pipeline:
    """Loads spaCy and the knowledge once (about a second), then extracts any number of
    articles. `settings` default to the packaged defaults (`load_settings()`)."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings if settings is not None else load_settings()
        self.extractor = Extractor(self.settings)

    def extract(self, text_or_record: Record, *, published: Published = None) -> Extraction:
        """One article's extraction (the contract object; `.to_dict()` for its JSON).
        `published` (which relative dates such as "on Friday" are read against) replaces
        the record's own. Raises `InputRejected` (with the reject code) for text sitrep
        refuses, e.g. empty or binary."""
        date = _published(published) if published is not None else None
        item = next(read_records([text_or_record], self.settings.ingest, origin="record"))
        if isinstance(item, Article) and date is not None:
            item.published = date
        result = next(self.extractor.stream([item]))
        if isinstance(result, Reject):
            raise InputRejected(result.code, f"{result.origin}: {result.reason}")
        return result

    def pipe(self, records: Iterable[Record]) -> Iterator[Extraction | Reject]:
        """Extractions of `records` (texts, or dicts shaped like JSONL input lines), in input
        order; a record sitrep refuses comes out in its place as a `Reject` (origin
        "records[i]", code, reason). Lazy: articles are parsed in batches as you iterate."""
        yield from self.extractor.stream(read_records(records, self.settings.ingest))

    def pipe_inputs(self, inputs: Sequence[str | Path]) -> Iterator[Extraction | Reject]:
        """`pipe` over what the CLI reads: JSONL, .txt, .html, feeds, directories, URLs."""
        items = read_inputs([str(i) for i in inputs], self.settings.ingest)
        yield from self.extractor.stream(items)

    def run(
        self, records: Iterable[Record], db: str | Path, *, reprocess: bool = False
    ) -> RunReport:
        """Extract `records` into the store `db` (created when missing, as `sitrep run`
        does): stored, resolved across articles, alerts evaluated. Articles already stored
        are skipped unless `reprocess`. The report lists the rejects."""
        items = read_records(records, self.settings.ingest)
        return self._run(items, db, reprocess)

    def run_inputs(
        self, inputs: Sequence[str | Path], db: str | Path, *, reprocess: bool = False
    ) -> RunReport:
        """`run` over what the CLI reads (paths, directories, URLs): `sitrep run`."""
        items = read_inputs([str(i) for i in inputs], self.settings.ingest)
        return self._run(items, db, reprocess)

    def _run(self, items: Iterator[Article | Reject], db: str | Path, reprocess: bool) -> RunReport:
        if self.settings.run.engine != "local":
            raise UsageError("the Python API runs the local engine; use `sitrep run` for dask")
        return run_to_store(
            items, self.settings, Path(db), reprocess=reprocess, extractor=self.extractor
        )


def extract(
    text_or_record: Record, *, published: Published = None, settings: Settings | None = None
) -> Extraction:
    """One article's extraction, loading the pipeline for this call (about a second): for
    more than a few articles make one `Pipeline` and call its `extract` or `pipe`."""
    return Pipeline(settings).extract(text_or_record, published=published)


def _published(value: str | dt.date) -> str:
    found = normalise_published(value)
    if found is None:
        raise UsageError(f"published: not a date: {value!r} (use YYYY-MM-DD or ISO 8601)")
    return found
