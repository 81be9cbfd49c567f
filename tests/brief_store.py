"""Small invented stores for the briefing's ranking tests: articles, event mentions,
canonical events and stories written straight into the tables, so each test decides the
intensity, outlets, day and timing of every event. Not a test module."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sitrep.store import read_model
from sitrep.store.db import connect
from sitrep.store.write import insert_rows


@dataclass(frozen=True, slots=True)
class Ev:
    """One real event: its first report is in `articles[0]`, further reports in the rest."""

    id: str
    day: str
    type: str
    sentence: str
    articles: tuple[str, ...]
    source: str | None = "Northland"
    source_country: str | None = "NTH"
    target: str | None = "Southland"
    target_country: str | None = "STH"
    intensity: float = -9.0
    factuality: str = "asserted"
    confidence: float = 0.8
    timing: str = "current"
    story: str = "s1"
    independent: int | None = None
    # A canonical event even if background: a store written by hand or by an older sitrep.
    force_canonical: bool = False


def write_store(
    path: Path,
    articles: dict[str, tuple[str, str | None, str | None]],
    events: list[Ev],
    boilerplate: Sequence[tuple[str, str]] = (),
) -> Path:
    """A store at `path`; `articles` maps an id to (published day, outlet, url)."""
    con = connect(path)
    insert_rows(
        con,
        "articles",
        [
            {
                "id": a,
                "published": f"{day}T08:00:00Z",
                "outlet": outlet,
                "url": url,
                "text": "invented",
                "title": f"Headline of {a}",
            }  # fmt: skip
            for a, (day, outlet, url) in articles.items()
        ],
    )
    mentions, canon = [], []
    for e in events:
        ids = [f"{e.id}-m{i}" for i in range(len(e.articles))]
        for mid, aid in zip(ids, e.articles, strict=True):
            mentions.append(
                {
                    "id": mid,
                    "article_id": aid,
                    "type": e.type,
                    "factuality": e.factuality,
                    "source_name": e.source,
                    "source_country": e.source_country,
                    "target_name": e.target,
                    "target_country": e.target_country,
                    "sentence_text": e.sentence,
                    "sentence_start": 0,
                    "sentence_end": len(e.sentence),
                    "trigger_text": "x",
                    "event_date": e.day,
                    "intensity": e.intensity,
                    "confidence": e.confidence,
                    "timing": e.timing,
                }  # fmt: skip
            )
        if e.timing == "background" and not e.force_canonical:
            continue  # as resolution does: background never becomes a canonical event
        outlets = sorted({articles[a][1] or "" for a in e.articles} - {""})
        canon.append(
            {
                "id": e.id,
                "type": e.type,
                "story_id": e.story,
                "reports": len(e.articles),
                "independent_sources": e.independent or len(e.articles),
                "outlets": outlets,
                "article_ids": list(e.articles),
                "mention_ids": ids,
                "first_article_id": e.articles[0],
                "first_mention_id": ids[0],
                "first_reported": articles[e.articles[0]][0],
                "disputes": [],
            }  # fmt: skip
        )
    insert_rows(con, "events", mentions)
    insert_rows(con, "canonical_events", canon)
    stories = sorted({e.story for e in events})
    insert_rows(
        con,
        "stories",
        [{"story_id": s, "title": f"The story called {s} in invented words"} for s in stories],
    )
    insert_rows(
        con,
        "boilerplate",
        [
            {"article_id": a, "idx": i, "rule": "repeated", "line": line}
            for i, (a, line) in enumerate(boilerplate)
        ],  # fmt: skip
    )
    read_model.refresh(con)
    con.close()
    return path
