"""Run every extractor over one parsed article, in dependency order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.context import ArticleContext, Knowledge, anchor_date
from sitrep.extract.entities import extract_entities
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
    from sitrep.kb.gazetteer import Gazetteer

    return Knowledge(
        actors=ActorKB.load(extra_files=[*settings.actor_files]),
        gazetteer=Gazetteer.build(settings.min_city_population),
        lexicons=load_lexicons(settings.trigger_lexicons),
    )


def extract_article(
    article: Article, doc: Doc, knowledge: Knowledge, settings: ExtractSettings
) -> Extraction:
    ctx = ArticleContext(article, doc, anchor_date(article.published), knowledge, settings)
    entities = extract_entities(ctx)
    places = extract_places(ctx)
    times = extract_times(ctx)
    quotes = extract_quotes(ctx)
    events = extract_events(ctx, quotes, times, places)
    return Extraction(article, entities, places, times, quotes, events)
