"""Run every extractor over one parsed article, in dependency order."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from sitrep.extract.actor_country import fill_countries
from sitrep.extract.codebook import load_codebook
from sitrep.extract.context import ArticleContext, Knowledge, anchor_date
from sitrep.extract.denials import link_denials
from sitrep.extract.entities import extract_entities
from sitrep.extract.event_model import load_event_model
from sitrep.extract.events import extract_events
from sitrep.extract.lexicons import load_lexicons
from sitrep.extract.places import extract_places
from sitrep.extract.quotes import extract_quotes
from sitrep.extract.times import extract_times
from sitrep.model import Article, Extraction
from sitrep.settings import ExtractSettings

if TYPE_CHECKING:
    from spacy.tokens import Doc


def load_knowledge(settings: ExtractSettings) -> Knowledge:
    """Actor KB, gazetteer and lexicons: built once per process (a few seconds)."""
    from sitrep.kb.actors import ActorKB
    from sitrep.kb.gazetteer import load_gazetteer

    return Knowledge(
        actors=ActorKB.load(extra_files=[*settings.actor_files]),
        gazetteer=load_gazetteer(settings),
        lexicons=load_lexicons(settings.trigger_lexicons),
        codebook=load_codebook(settings.codebook_files),
        event_model=load_event_model(settings.event_model),
    )


def extract_article(
    article: Article,
    doc: Doc,
    knowledge: Knowledge,
    settings: ExtractSettings,
    timings: dict[str, float] | None = None,
) -> Extraction:
    """All records of one article. `timings`, when given, accumulates seconds per stage."""
    ctx = ArticleContext(article, doc, anchor_date(article.published), knowledge, settings)
    clock = _Clock(timings)
    entities = clock("entities", extract_entities, ctx)
    places = clock("places", extract_places, ctx)
    times = clock("times", extract_times, ctx)
    quotes = clock("quotes", extract_quotes, ctx)
    events = clock("events", lambda c: extract_events(c, quotes, times, places), ctx)
    link_denials(doc, quotes, events)  # needs the events: a denial may deny one
    fill_countries(ctx, events, entities, places)
    return Extraction(article, entities, places, times, quotes, events)


T = TypeVar("T")


class _Clock:
    """Times each stage into `timings` (benchmarks); a no-op when there is nothing to fill."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings

    def __call__(self, stage: str, step: Callable[[ArticleContext], T], ctx: ArticleContext) -> T:
        if self.timings is None:
            return step(ctx)
        started = time.perf_counter()
        result = step(ctx)
        self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - started
        return result
