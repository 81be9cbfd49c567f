"""JSON Lines (plain or gzip) and .json files to articles, one record at a time."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import Protocol

from sitrep.ingest.clean import make_article, snippet
from sitrep.ingest.html import article_from_html
from sitrep.model.article import Article, Reject
from sitrep.settings import IngestSettings

_BOM = b"\xef\xbb\xbf"
_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return _JSON_TYPES.get(type(value), type(value).__name__)


class LineReader(Protocol):
    """Anything with a binary `readline(size)`: files, gzip files, stdin."""

    def readline(self, size: int = -1, /) -> bytes: ...


class _WrongType(Exception):
    pass


def _field(record: dict[str, object], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _WrongType(f"field {key!r} must be a string, got {_type_name(value)}")
    return value


def _alias(record: dict[str, object], keys: tuple[str, ...]) -> tuple[str, object] | None:
    """The first of `keys` present with a non-null, non-empty value."""
    for key in keys:
        value = record.get(key)
        if value is not None and value != "":
            return key, value
    return None


def _alias_text(record: dict[str, object], keys: tuple[str, ...]) -> str | None:
    found = _alias(record, keys)
    if found is None:
        return None
    key, value = found
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("name"), str):  # {"source": {"name": …}}
        return str(value["name"])
    raise _WrongType(f"field {key!r} must be a string, got {_type_name(value)}")


def _alias_id(record: dict[str, object], keys: tuple[str, ...]) -> str | None:
    found = _alias(record, keys)
    if found is None:
        return None
    key, value = found
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    raise _WrongType(f"field {key!r} must be a string or an integer, got {_type_name(value)}")


def record_to_article(record: object, origin: str, settings: IngestSettings) -> Article | Reject:
    """One decoded JSON value to an `Article`, or a `Reject` (R002, R003, …)."""
    if not isinstance(record, dict):
        return Reject(
            origin=origin,
            code="R002",
            reason=f"record is a JSON {_type_name(record)}, not an object",
            snippet=snippet(json.dumps(record, ensure_ascii=False)[:200]),
        )
    try:
        text = _alias_text(record, settings.text_keys)
        html = _field(record, "html")
        url = _field(record, "url")
        title = _field(record, "title")
        id_ = _alias_id(record, settings.id_keys)
        outlet = _alias_text(record, settings.outlet_keys)
        published = _alias_text(record, settings.published_keys)
    except _WrongType as exc:
        return Reject(origin=origin, code="R002", reason=str(exc))
    if text is not None and text.strip():
        return make_article(
            text,
            id=id_,
            url=url,
            title=title,
            outlet=outlet,
            published=published,
            origin=origin,
            settings=settings,
        )
    if html is not None and html.strip():
        return article_from_html(
            html,
            origin=origin,
            settings=settings,
            url=url,
            id=id_,
            title=title,
            outlet=outlet,
            published=published,
        )
    reason = "no text: 'text' is empty" if text is not None else "no text: no 'text' or 'html'"
    return Reject(origin=origin, code="R003", reason=reason)


def parse_json(raw: bytes, origin: str, *, first: bool = False) -> object | Reject:
    """Bytes of one JSON value, decoded strictly; a `Reject` (R005, R001) when that fails."""
    if first and raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    try:
        line = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        return Reject(
            origin=origin,
            code="R005",
            reason=f"invalid UTF-8 at byte {exc.start}: {exc.reason}",
            snippet=snippet(raw.decode("utf-8", "replace")),
        )
    try:
        value: object = json.loads(line)
        return value
    except json.JSONDecodeError as exc:
        reason = f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        reason = "malformed JSON: nested too deeply"
    except ValueError as exc:  # e.g. integers with too many digits
        reason = f"malformed JSON: {exc}"
    return Reject(origin=origin, code="R001", reason=reason, snippet=snippet(line))


def _lines(stream: LineReader, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per line; bytes is None for a line longer than `limit`."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the over-long line without keeping it
                rest = stream.readline(1 << 16)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
        else:
            yield number, line


def read_jsonl(
    stream: LineReader, name: str, settings: IngestSettings
) -> Iterator[Article | Reject]:
    """Records of a JSON Lines byte stream, in order; origins are "name:lineno"."""
    number = 0
    try:
        for number, line in _lines(stream, settings.max_bytes):
            origin = f"{name}:{number}"
            if line is None:
                yield Reject(
                    origin=origin,
                    code="R007",
                    reason=f"line longer than ingest.max_bytes={settings.max_bytes} bytes",
                )
                continue
            if not line.strip():
                continue
            value = parse_json(line, origin, first=number == 1)
            if isinstance(value, Reject):
                yield value
            else:
                yield record_to_article(value, origin, settings)
    except (OSError, EOFError, zlib.error) as exc:
        yield Reject(
            origin=f"{name}:{number + 1}",
            code="R010",
            reason=f"unreadable after line {number}: {exc}",
        )


def read_json_document(
    raw: bytes, name: str, settings: IngestSettings
) -> Iterator[Article | Reject]:
    """A .json file: one record object, or a list of them (origins "name[i]")."""
    value = parse_json(raw, name, first=True)
    if isinstance(value, Reject):
        yield value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield record_to_article(item, f"{name}[{index}]", settings)
    else:
        yield record_to_article(value, name, settings)
