"""One poll of one followed source (`sitrep watch`): a feed, a page or a folder.

A poll asks the source what is new since what it answered last time (conditional GET) and
takes only entries the caller has not seen; it never raises for a source that fails.
For a feed entry the linked article page is fetched, through the same SSRF-safe fetcher,
because most feeds carry a summary only; the entry's own text is used when the feed
carries the whole article, or when the page cannot be had (and the entry says why).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from sitrep.errors import FetchError
from sitrep.ingest.clean import make_article
from sitrep.ingest.feeds import FeedEntry, parse_feed
from sitrep.ingest.files import read_document, read_file, walk
from sitrep.ingest.html import article_from_html
from sitrep.ingest.http import Fetched, Resolver, fetch, kind_for
from sitrep.model.article import Article, Reject
from sitrep.settings import IngestSettings, WatchSettings

# Given keys of a source, those already taken in an earlier poll.
SeenFilter = Callable[[list[str]], set[str]]

TEXT_FROM_PAGE = "page"
TEXT_FROM_FEED = "feed"  # the feed carries the whole article
TEXT_FROM_SUMMARY = "feed-summary"  # the page could not be had: the entry's own text
TEXT_FROM_FILE = "file"


@dataclass(frozen=True, slots=True)
class Taken:
    """One new entry of a source: the key that names it across polls, what it became, where
    its text came from, and why the feed's own text stood in for the page (when it did)."""

    key: str
    item: Article | Reject
    text_from: str
    note: str | None = None


@dataclass(slots=True)
class Polled:
    """What one poll of a source found. `error` set: the source failed (nothing taken)."""

    kind: str
    taken: list[Taken] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Web:
    """How to reach the web: ingest settings, an httpx client, and a resolver (tests)."""

    settings: IngestSettings
    client: httpx.Client
    resolver: Resolver | None = None


def poll_url(
    url: str,
    etag: str | None,
    last_modified: str | None,
    seen: SeenFilter,
    web: Web,
    watch: WatchSettings,
) -> Polled:
    """A feed's new entries, or a page when it changed; 304 means nothing new."""
    conditional = {}
    if etag:
        conditional["If-None-Match"] = etag
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    try:
        fetched = fetch(url, web.settings, web.client, web.resolver, headers=conditional)
    except FetchError as exc:
        return Polled(kind="url", error=exc.message)
    if fetched.status == 304:
        return Polled(kind="url", etag=etag, last_modified=last_modified, not_modified=True)
    kind = kind_for(fetched)
    if kind == "feed":
        polled = _poll_feed(url, fetched, seen, web, watch)
    else:
        polled = _poll_page(url, kind, fetched, seen, web.settings)
    if polled.error is None:
        # A server that stops sending validators must not keep the old ones alive.
        polled.etag, polled.last_modified = fetched.etag, fetched.last_modified
    return polled


def _poll_feed(
    url: str, fetched: Fetched, seen: SeenFilter, web: Web, watch: WatchSettings
) -> Polled:
    parsed = parse_feed(fetched.body, url)
    if isinstance(parsed, Reject):
        return Polled(kind="feed", error=f"{parsed.code} {parsed.reason}")
    fresh = _unseen(parsed.entries, seen)
    taken = [_take_entry(entry, parsed.outlet, web, watch) for entry in fresh]
    return Polled(kind="feed", taken=taken)


def _unseen(entries: Iterable[FeedEntry], seen: SeenFilter) -> list[FeedEntry]:
    """Entries not taken before, each key once (a feed may repeat an entry)."""
    unique = list({entry.key: entry for entry in reversed(list(entries))}.values())[::-1]
    known = seen([entry.key for entry in unique])
    return [entry for entry in unique if entry.key not in known]


def _take_entry(entry: FeedEntry, outlet: str | None, web: Web, watch: WatchSettings) -> Taken:
    settings = web.settings
    origin = entry.link or f"feed entry {entry.key}"
    if len(entry.content) >= watch.full_text_chars:
        article = _from_entry(entry, entry.content, outlet, origin, settings)
        return Taken(entry.key, article, TEXT_FROM_FEED)
    if entry.link is None:
        return _fallback(entry, outlet, origin, settings, "the entry has no link")
    try:
        page = fetch(entry.link, settings, web.client, web.resolver)
    except FetchError as exc:
        return _fallback(entry, outlet, origin, settings, f"page not fetched: {exc.message}")
    if kind_for(page) != "html":
        why = f"page is not HTML ({page.content_type or 'no content type'})"
        return _fallback(entry, outlet, origin, settings, why)
    article = article_from_html(
        page.body,
        origin=origin,
        settings=settings,
        url=entry.link,
        title=entry.title,
        outlet=outlet,
        published=entry.published,
    )
    if isinstance(article, Reject):
        why = f"page without article text ({article.code})"
        return _fallback(entry, outlet, origin, settings, why)
    return Taken(entry.key, article, TEXT_FROM_PAGE)


def _fallback(
    entry: FeedEntry, outlet: str | None, origin: str, settings: IngestSettings, why: str
) -> Taken:
    """The entry's own text stands in for a page that could not be had, saying why."""
    note = f"{why}; the feed's own text was used"
    if not entry.text.strip():
        reason = f"no text: {why}, and the feed entry has no content"
        return Taken(entry.key, Reject(origin=origin, code="R003", reason=reason), "", why)
    article = _from_entry(entry, entry.text, outlet, origin, settings)
    return Taken(entry.key, article, TEXT_FROM_SUMMARY, note)


def _from_entry(
    entry: FeedEntry, text: str, outlet: str | None, origin: str, settings: IngestSettings
) -> Article | Reject:
    return make_article(
        text,
        url=entry.link,
        title=entry.title,
        outlet=outlet,
        published=entry.published,
        origin=origin,
        settings=settings,
    )


def _poll_page(
    url: str, kind: str, fetched: Fetched, seen: SeenFilter, settings: IngestSettings
) -> Polled:
    """A page (or JSON/text document) is new when its bytes are: it is keyed by their hash."""
    key = "sha256:" + hashlib.sha256(fetched.body).hexdigest()
    if seen([key]):
        return Polled(kind="page")
    items = read_document(
        kind, fetched.body, url, settings, url=fetched.url, encoding=fetched.charset
    )
    return Polled(kind="page", taken=[Taken(key, item, TEXT_FROM_PAGE) for item in items])


def poll_folder(
    folder: Path,
    seen: SeenFilter,
    settings: IngestSettings,
    watch: WatchSettings,
    now: float | None = None,
) -> Polled:
    """Files of `folder` (recursive, readable kinds) not taken before, keyed by their path
    under it; files changed within `watch.settle_seconds` wait for the next poll."""
    if not folder.is_dir():
        return Polled(kind="folder", error=f"{folder} is not a folder")
    cutoff = (time.time() if now is None else now) - watch.settle_seconds
    files: dict[str, Path] = {}
    for path in walk(folder):
        try:
            settled = path.stat().st_mtime <= cutoff
        except OSError:
            continue  # removed since it was listed
        if settled:
            files[path.relative_to(folder).as_posix()] = path
    known = seen(list(files))
    taken = [
        Taken(key, item, TEXT_FROM_FILE)
        for key, path in files.items()
        if key not in known
        for item in read_file(path, settings)
    ]
    return Polled(kind="folder", taken=taken)
