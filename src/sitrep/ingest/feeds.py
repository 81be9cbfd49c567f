"""RSS and Atom feeds (bytes in) to one article per entry."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import feedparser

from sitrep.ingest.clean import make_article, snippet
from sitrep.ingest.html import strip_tags
from sitrep.model.article import Article, Reject
from sitrep.settings import IngestSettings

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _body(entry: Any) -> str:
    """The longest of the entry's content blocks and its summary, as plain text."""
    candidates: list[tuple[str, str]] = []
    for block in entry.get("content") or []:
        if isinstance(block, dict) and _str(block.get("value")):
            candidates.append((block["value"], str(block.get("type") or "text/html")))
    summary = _str(entry.get("summary"))
    if summary:
        detail = entry.get("summary_detail") or {}
        candidates.append((summary, str(detail.get("type") or "text/html")))
    texts = [
        strip_tags(value) if kind.lower() in _HTML_TYPES or "<" in value else value
        for value, kind in candidates
    ]
    return max(texts, key=len, default="")


def _published(entry: Any) -> object:
    for key in ("published", "updated", "created"):
        if _str(entry.get(key)):
            return entry[key]
    for key in ("published_parsed", "updated_parsed"):
        if entry.get(key) is not None:
            return entry[key]
    return None


def read_feed(data: bytes, origin: str, settings: IngestSettings) -> Iterator[Article | Reject]:
    """Entries of an RSS/Atom document in order; origins are "origin#n" (1-based).

    A feed that cannot be parsed or has no entries is one `Reject` R009.
    """
    try:
        # A file object, never a str: feedparser would treat a str as a URL or a file name.
        parsed = feedparser.parse(io.BytesIO(data))
    except Exception as exc:  # feedparser is lenient; this is a last resort
        yield Reject(origin=origin, code="R009", reason=f"feed could not be parsed: {exc}")
        return
    entries = list(parsed.get("entries") or [])
    if not entries:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception") or "not a feed"
            reason = f"feed could not be parsed: {problem}"
        else:
            reason = "feed has no entries"
        shown = snippet(data[:400].decode("utf-8", "replace"))
        yield Reject(origin=origin, code="R009", reason=reason, snippet=shown)
        return
    outlet = _str((parsed.get("feed") or {}).get("title"))
    for number, entry in enumerate(entries, start=1):
        where = f"{origin}#{number}"
        text = _body(entry)
        if not text.strip():
            yield Reject(origin=where, code="R003", reason="no text: feed entry has no content")
            continue
        yield make_article(
            text,
            url=_str(entry.get("link")),
            title=_str(entry.get("title")),
            outlet=outlet,
            published=_published(entry),
            origin=where,
            settings=settings,
        )
