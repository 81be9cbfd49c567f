"""Records given as Python objects (a text, or a dict shaped like a JSONL input line) to
articles: the input of the Python API (`sitrep.Pipeline.pipe`, `sitrep.extract`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sitrep.ingest.boilerplate import strip_boilerplate
from sitrep.ingest.clean import make_article
from sitrep.ingest.jsonl import record_to_article
from sitrep.ingest.outlets import attribute_outlets
from sitrep.model.article import Article, Reject
from sitrep.settings import IngestSettings

# What a record may be: an article's text, or a dict with the keys of a JSONL input line
# ({"id"?, "url"?, "title"?, "outlet"?, "published"?, "text" | "html"}).
Record = str | Mapping[str, Any]


def record_item(record: object, origin: str, settings: IngestSettings) -> Article | Reject:
    """One record to an `Article`, or a `Reject` saying why not (the codes of JSONL input)."""
    if isinstance(record, str):
        return make_article(record, origin=origin, settings=settings)
    if isinstance(record, Mapping):
        return record_to_article(dict(record), origin, settings)
    reason = f"record of type {type(record).__name__}: give a text or a dict"
    return Reject(origin=origin, code="R002", reason=reason)


def read_records(
    records: Iterable[object], settings: IngestSettings, *, origin: str = "records"
) -> Iterator[Article | Reject]:
    """Articles and rejects of `records`, in order, named "origin[i]"; then the passes every
    input goes through (read_inputs): lines repeated across the records removed as
    boilerplate, outlets attributed from URL and text."""
    items = (record_item(r, f"{origin}[{i}]", settings) for i, r in enumerate(records))
    return attribute_outlets(strip_boilerplate(items, settings))
