"""Records ⇄ contract JSON. Pure functions; the field order follows DESIGN.md."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sitrep.model.article import Article, Extraction

ARTICLE_FIELDS = ("id", "url", "title", "outlet", "published", "text")


def article_to_dict(article: Article) -> dict[str, Any]:
    return {name: getattr(article, name) for name in ARTICLE_FIELDS}


def extraction_to_dict(extraction: Extraction) -> dict[str, Any]:
    """One line of `sitrep extract` output, exactly the output contract."""
    return {
        "article": article_to_dict(extraction.article),
        "entities": [asdict(e) for e in extraction.entities],
        "places": [asdict(p) for p in extraction.places],
        "times": [asdict(t) for t in extraction.times],
        "quotes": [asdict(q) for q in extraction.quotes],
        "events": [asdict(e) for e in extraction.events],
    }
