"""Content-hash ids: the same content always gets the same id, so re-ingesting is idempotent."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """NFKC, lower case, whitespace collapsed: two copies differing only in layout match."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def digest(*parts: object, length: int = 16) -> str:
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def article_id_for(text: str) -> str:
    return "a" + digest(normalise_text(text))


def record_id(prefix: str, article_id: str, *parts: object) -> str:
    return prefix + digest(article_id, *parts)
