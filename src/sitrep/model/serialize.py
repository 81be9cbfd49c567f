"""Records ⇄ contract JSON. Pure functions; the field order follows DESIGN.md."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from sitrep.model.article import Article, Extraction

ARTICLE_FIELDS = ("id", "url", "title", "outlet", "outlet_from", "wire", "published", "text")


_SCALARS = frozenset({str, int, float, bool, type(None)})


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names (None for other types), looked up once per type."""
    if cls not in _FIELD_NAMES:
        _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
    return _FIELD_NAMES[cls]


def to_plain(value: Any) -> Any:
    """`dataclasses.asdict` for the record types, without its deep copies (several times
    faster; the records hold only other records, lists, tuples, dicts and scalars)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list:
        return [to_plain(v) for v in value]
    names = _field_names(kind)
    if names is not None:
        return {name: to_plain(getattr(value, name)) for name in names}
    if isinstance(value, tuple):
        return tuple(to_plain(v) for v in value)
    if isinstance(value, dict):
        return {to_plain(k): to_plain(v) for k, v in value.items()}
    return value


def article_to_dict(article: Article) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    out["boilerplate"] = [{"rule": r.rule, "text": r.text} for r in article.boilerplate]
    return out


def extraction_to_dict(extraction: Extraction) -> dict[str, Any]:
    """One line of `sitrep extract` output, exactly the output contract."""
    return {
        "article": article_to_dict(extraction.article),
        "entities": [to_plain(e) for e in extraction.entities],
        "places": [to_plain(p) for p in extraction.places],
        "times": [to_plain(t) for t in extraction.times],
        "quotes": [to_plain(q) for q in extraction.quotes],
        "events": [to_plain(e) for e in extraction.events],
    }
