"""Files, directories and stdin: pick a reader by extension (or by sniffing) and apply it."""

from __future__ import annotations

import gzip
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from sitrep.ingest.clean import make_article, snippet
from sitrep.ingest.feeds import read_feed
from sitrep.ingest.html import article_from_html
from sitrep.ingest.jsonl import LineReader, read_json_document, read_jsonl
from sitrep.model.article import Article, Reject
from sitrep.settings import IngestSettings

# Extension → kind. ".jsonl.gz" is matched before the plain suffixes.
KINDS: dict[str, str] = {
    ".jsonl.gz": "jsonl.gz",
    ".jsonl": "jsonl",
    ".json": "json",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>/]")
_TITLE_MAX = 150


def kind_of(path: str | Path) -> str | None:
    name = str(path).lower()
    for ext, kind in KINDS.items():
        if name.endswith(ext):
            return kind
    return None


def sniff(data: bytes) -> str:
    """Kind of an unnamed document: "{" → jsonl, "<" → feed or html, anything else → text."""
    head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"<"):
        return "feed" if _FEED_ROOT.search(head.lower()) else "html"
    return "text"


def too_large(origin: str, settings: IngestSettings, what: str = "file") -> Reject:
    return Reject(
        origin=origin,
        code="R007",
        reason=f"{what} larger than ingest.max_bytes={settings.max_bytes} bytes; not read",
    )


def article_from_text_bytes(
    data: bytes,
    origin: str,
    settings: IngestSettings,
    *,
    url: str | None = None,
    encoding: str | None = None,
) -> Article | Reject:
    """Plain text bytes: NUL → R004, undecodable → R005; the first line is the title if short."""
    if b"\x00" in data:
        return Reject(
            origin=origin,
            code="R004",
            reason="binary content: NUL bytes",
            snippet=snippet(data[:200].decode("utf-8", "replace")),
        )
    codec = encoding or "utf-8-sig"
    try:
        text = data.decode("utf-8-sig" if codec.lower().replace("_", "-") == "utf-8" else codec)
    except UnicodeDecodeError as exc:
        return Reject(
            origin=origin,
            code="R005",
            reason=f"not valid {exc.encoding}: byte {exc.start}: {exc.reason}",
            snippet=snippet(data[:200].decode("utf-8", "replace")),
        )
    except LookupError:
        return Reject(origin=origin, code="R005", reason=f"unknown text encoding {encoding!r}")
    lines = text.strip().splitlines()
    first = lines[0].strip() if lines else ""
    title = first if len(lines) > 1 and len(first) <= _TITLE_MAX else None
    return make_article(text, title=title, url=url, origin=origin, settings=settings)


def read_document(
    kind: str,
    data: bytes,
    origin: str,
    settings: IngestSettings,
    *,
    url: str | None = None,
    encoding: str | None = None,
) -> Iterator[Article | Reject]:
    """Bytes of one whole document of a known kind."""
    if kind == "html":
        yield article_from_html(data, origin=origin, settings=settings, url=url)
    elif kind == "feed":
        yield from read_feed(data, origin, settings)
    elif kind == "json":
        yield from read_json_document(data, origin, settings)
    elif kind == "jsonl":
        yield from read_jsonl(_BytesLines(data), origin, settings)
    else:
        yield article_from_text_bytes(data, origin, settings, url=url, encoding=encoding)


class _BytesLines:
    """`readline` over bytes already in memory, or over a prefix then a stream."""

    def __init__(self, head: bytes, rest: BinaryIO | None = None) -> None:
        self._buffer = head
        self._rest = rest

    def readline(self, size: int = -1, /) -> bytes:
        newline = self._buffer.find(b"\n")
        if self._rest is not None and newline < 0 and (size < 0 or len(self._buffer) < size):
            want = -1 if size < 0 else size - len(self._buffer)
            self._buffer += self._rest.readline(want)
            newline = self._buffer.find(b"\n")
        end = len(self._buffer) if newline < 0 else newline + 1
        if size >= 0:
            end = min(end, size)
        line, self._buffer = self._buffer[:end], self._buffer[end:]
        return line


class _OverCap(Exception):
    """Raised inside the JSONL reader when a compressed file expands past its cap."""


class _CappedLines:
    """`readline` over a decompressing stream that stops at `cap` decompressed bytes: a
    file of a few kilobytes can expand to gigabytes (a "zip bomb")."""

    def __init__(self, stream: LineReader, cap: int) -> None:
        self._stream = stream
        self._left = cap
        self.lines = 0

    def readline(self, size: int = -1, /) -> bytes:
        want = self._left + 1 if size < 0 else min(size, self._left + 1)
        line = self._stream.readline(want)
        self._left -= len(line)
        if self._left < 0:
            raise _OverCap
        self.lines += line.endswith(b"\n")
        return line


def _read_gzip_lines(path: Path, settings: IngestSettings) -> Iterator[Article | Reject]:
    origin = str(path)
    cap = settings.max_decompressed_bytes
    with gzip.open(path, "rb") as handle:
        capped = _CappedLines(handle, cap)
        try:
            yield from read_jsonl(capped, origin, settings)
        except _OverCap:
            yield Reject(
                origin=f"{origin}:{capped.lines + 1}",
                code="R012",
                reason=f"decompresses to more than ingest.max_decompressed_bytes={cap} bytes; "
                f"the {capped.lines} line(s) before were read, the rest is skipped",
            )


def _read_capped(path: Path, settings: IngestSettings) -> bytes | Reject:
    try:
        with path.open("rb") as handle:
            data = handle.read(settings.max_bytes + 1)
    except OSError as exc:
        return Reject(origin=str(path), code="R010", reason=f"cannot read: {exc.strerror or exc}")
    if len(data) > settings.max_bytes:
        return too_large(str(path), settings)
    return data


def read_file(path: Path, settings: IngestSettings) -> Iterator[Article | Reject]:
    """One file, by extension; an unknown extension is R010."""
    origin = str(path)
    kind = kind_of(path)
    if kind is None:
        known = ", ".join(KINDS)
        yield Reject(origin=origin, code="R010", reason=f"unsupported file type (known: {known})")
        return
    if kind in ("jsonl", "jsonl.gz"):
        try:
            if kind == "jsonl.gz":
                yield from _read_gzip_lines(path, settings)
            else:
                with path.open("rb") as handle:
                    yield from read_jsonl(handle, origin, settings)
        except OSError as exc:
            yield Reject(origin=origin, code="R010", reason=f"cannot read: {exc.strerror or exc}")
        return
    data = _read_capped(path, settings)
    if isinstance(data, Reject):
        yield data
    else:
        yield from read_document(kind, data, origin, settings)


def walk(root: Path) -> list[Path]:
    """Files with a known extension under `root`, recursively, sorted; hidden entries skipped."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and kind_of(name) is not None:
                found.append(Path(folder, name))
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def read_path(item: str, settings: IngestSettings) -> Iterator[Article | Reject]:
    """A file or a directory (recursive); anything else is R010."""
    path = Path(item)
    if path.is_dir():
        files = walk(path)
        if not files:
            yield Reject(origin=item, code="R010", reason="directory has no readable input files")
        for file in files:
            yield from read_file(file, settings)
    elif path.is_file():
        yield from read_file(path, settings)
    elif path.exists():
        yield Reject(origin=item, code="R010", reason="not a regular file or directory")
    else:
        yield Reject(origin=item, code="R010", reason="no such file or directory")


def read_stdin(stream: BinaryIO, settings: IngestSettings) -> Iterator[Article | Reject]:
    """Standard input, sniffed; JSONL is streamed, anything else read whole (capped)."""
    origin = "<stdin>"
    head = stream.read(4096)
    while head and not head.strip() and len(head) <= settings.max_bytes:
        more = stream.read(4096)  # leading whitespace: read on to the first real byte
        if not more:
            break
        head += more
    kind = sniff(head)
    if kind == "jsonl":
        yield from read_jsonl(_BytesLines(head, stream), origin, settings)
        return
    data = head + stream.read(max(0, settings.max_bytes + 1 - len(head)))
    if len(data) > settings.max_bytes:
        yield too_large(origin, settings, "input")
    elif not data.strip():
        yield Reject(origin=origin, code="R003", reason="no text: standard input is empty")
    else:
        yield from read_document(kind, data, origin, settings)
