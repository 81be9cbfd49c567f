"""Time the event stage against the spaCy pass it runs on.

Usage: .venv/bin/python scripts/bench_events.py [ARTICLES.jsonl] [N]
Defaults to the first 100 articles of ../shared/corpus/war-news/articles.jsonl. Prints the
seconds spent in nlp.pipe, in extract_events alone, and the ratio (the issue's budget: 20 %).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sitrep.extract.context import ArticleContext, anchor_date
from sitrep.extract.document import load_knowledge
from sitrep.extract.events import extract_events
from sitrep.extract.places import extract_places
from sitrep.extract.quotes import extract_quotes
from sitrep.extract.times import extract_times
from sitrep.ingest import read_inputs
from sitrep.model import Article
from sitrep.nlp.pipeline import load_pipeline, parse_texts
from sitrep.settings import load_settings

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "war-news" / "articles.jsonl"


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else str(DEFAULT)
    limit = int(argv[2]) if len(argv) > 2 else 100
    settings = load_settings()
    items = read_inputs([path], settings.ingest)
    articles = [a for a in items if isinstance(a, Article)][:limit]
    nlp = load_pipeline(settings.nlp)
    knowledge = load_knowledge(settings.extract)
    started = time.perf_counter()
    docs = list(parse_texts(nlp, (a.text for a in articles), settings.nlp))
    parse_s = time.perf_counter() - started
    events_s = 0.0
    count = 0
    for article, doc in zip(articles, docs, strict=True):
        ctx = ArticleContext(
            article, doc, anchor_date(article.published), knowledge, settings.extract
        )
        places, times, quotes = extract_places(ctx), extract_times(ctx), extract_quotes(ctx)
        started = time.perf_counter()
        count += len(extract_events(ctx, quotes, times, places))
        events_s += time.perf_counter() - started
    chars = sum(len(a.text) for a in articles)
    print(f"{len(articles)} articles, {chars} chars, {count} events")
    print(f"spaCy pass {parse_s:.2f}s; event stage {events_s:.2f}s; {events_s / parse_s:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
