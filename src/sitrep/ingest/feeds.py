"""RSS and Atom feeds (bytes in) to one article per entry."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import feedparser

from sitrep.ingest.clean import make_article, snippet
from sitrep.ingest.html import strip_tags
from sitrep.model.article import Article, Reject
from sitrep.settings import IngestSettings

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _texts(entry: Any) -> tuple[str, str]:
    """The longest content block and the summary of an entry, as plain text."""
    contents = [
        _plain(block["value"], str(block.get("type") or "text/html"))
        for block in entry.get("content") or []
        if isinstance(block, dict) and _str(block.get("value"))
    ]
    summary = _str(entry.get("summary"))
    detail = entry.get("summary_detail") or {}
    summary_text = _plain(summary, str(detail.get("type") or "text/html")) if summary else ""
    return max(contents, key=len, default=""), summary_text


def _plain(value: str, kind: str) -> str:
    return strip_tags(value) if kind.lower() in _HTML_TYPES or "<" in value else value


def _published(entry: Any) -> object:
    for key in ("published", "updated", "created"):
        if _str(entry.get(key)):
            return entry[key]
    for key in ("published_parsed", "updated_parsed"):
        if entry.get(key) is not None:
            return entry[key]
    return None


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry: `key` names it across polls (its id, else its link, else its text);
    `content` is the text of a content block (a feed carrying whole articles), "" if none."""

    key: str
    link: str | None
    title: str | None
    published: object
    text: str
    content: str


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    outlet: str | None
    entries: list[FeedEntry]


def parse_feed(data: bytes, origin: str) -> ParsedFeed | Reject:
    """The entries of an RSS/Atom document in order; a feed that cannot be parsed or has
    no entries is one `Reject` R009."""
    try:
        # A file object, never a str: feedparser would treat a str as a URL or a file name.
        parsed = feedparser.parse(io.BytesIO(data))
    except Exception as exc:  # feedparser is lenient; this is a last resort
        return Reject(origin=origin, code="R009", reason=f"feed could not be parsed: {exc}")
    raw = list(parsed.get("entries") or [])
    if not raw:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception") or "not a feed"
            reason = f"feed could not be parsed: {problem}"
        else:
            reason = "feed has no entries"
        shown = snippet(data[:400].decode("utf-8", "replace"))
        return Reject(origin=origin, code="R009", reason=reason, snippet=shown)
    outlet = _str((parsed.get("feed") or {}).get("title"))
    return ParsedFeed(outlet, [_entry(entry) for entry in raw])


def _entry(entry: Any) -> FeedEntry:
    content, summary = _texts(entry)
    link = _str(entry.get("link"))
    text = max(content, summary, key=len)
    key = _str(entry.get("id")) or link or "text:" + hashlib.sha256(text.encode()).hexdigest()
    title = _str(entry.get("title"))
    return FeedEntry(key.strip(), link, title, _published(entry), text, content)


def read_feed(data: bytes, origin: str, settings: IngestSettings) -> Iterator[Article | Reject]:
    """Entries of an RSS/Atom document in order; origins are "origin#n" (1-based).

    A feed that cannot be parsed or has no entries is one `Reject` R009.
    """
    parsed = parse_feed(data, origin)
    if isinstance(parsed, Reject):
        yield parsed
        return
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{origin}#{number}"
        if not entry.text.strip():
            yield Reject(origin=where, code="R003", reason="no text: feed entry has no content")
            continue
        yield make_article(
            entry.text,
            url=entry.link,
            title=entry.title,
            outlet=parsed.outlet,
            published=entry.published,
            origin=where,
            settings=settings,
        )
