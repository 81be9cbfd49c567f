"""What every extractor gets: the article, its parse, the anchor date and the knowledge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sitrep.model import Article

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from sitrep.extract.event_model import EventModel
    from sitrep.extract.lexicons import Lexicons
    from sitrep.kb.actors import ActorKB
    from sitrep.kb.gazetteer import Gazetteer
    from sitrep.settings import ExtractSettings


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Loaded once per process and shared by every article."""

    actors: ActorKB
    gazetteer: Gazetteer
    lexicons: Lexicons
    event_model: EventModel | None = None  # the event-type classifier, when enabled


@dataclass(frozen=True, slots=True)
class ArticleContext:
    article: Article
    doc: Doc
    anchor: date | None
    knowledge: Knowledge
    settings: ExtractSettings


def anchor_date(published: str | None) -> date | None:
    """The publication date relative expressions are read against ("on Friday")."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None
