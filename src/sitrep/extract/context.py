"""What every extractor gets: the article, its parse, the anchor date and the knowledge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sitrep.model import Article

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

    from sitrep.extract.codebook import Codebook
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
    codebook: Codebook  # the coding rules (data/codebook.yaml + extract.codebook_files)
    event_model: EventModel | None = None  # the event-type classifier, when enabled


@dataclass(frozen=True, slots=True)
class ArticleContext:
    article: Article
    doc: Doc
    anchor: date | None
    knowledge: Knowledge
    settings: ExtractSettings
    # spaCy rebuilds `Doc.text` and `Doc.ents` token by token on every access; the
    # extractors read them dozens of times per article, so they are taken once here.
    text: str = field(init=False)
    ents: tuple[SpacySpan, ...] = field(init=False)
    # Every token's coarse POS and lemma, read in one pass: loops that look at every token
    # test these first and build spaCy `Token` objects only for the few that can match.
    pos: tuple[str, ...] = field(init=False)
    lemmas: tuple[str, ...] = field(init=False)
    # The full name of each person named with two or more words, by surname: a later
    # "Wood" the small model calls an organisation is still Christopher Wood.
    surnames: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        from spacy.attrs import LEMMA, POS

        object.__setattr__(self, "text", _doc_text(self.article.text, self.doc))
        object.__setattr__(self, "ents", tuple(self.doc.ents))
        object.__setattr__(self, "surnames", _surnames(self.ents))
        strings = self.doc.vocab.strings
        rows = self.doc.to_array([POS, LEMMA]).tolist() if len(self.doc) else []
        object.__setattr__(self, "pos", tuple(strings[p] for p, _ in rows))
        object.__setattr__(self, "lemmas", tuple(strings[lemma] for _, lemma in rows))

    def ents_within(self, start: int, end: int) -> list[SpacySpan]:
        """The entities inside tokens [start, end), as spaCy's `Span.ents` picks them."""
        found: list[SpacySpan] = []
        for ent in self.ents:
            if ent.start >= start:
                if ent.end <= end:
                    found.append(ent)
                else:
                    break
        return found

    def entity_at(self, token_i: int) -> SpacySpan | None:
        """The entity covering token `token_i`, if any (the first one, as a scan of doc.ents)."""
        for ent in self.ents:
            if ent.start <= token_i < ent.end:
                return ent
        return None


def _surnames(ents: tuple[SpacySpan, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ent in ents:
        words = ent.text.split()
        if ent.label_ == "PERSON" and len(words) > 1 and words[-1][:1].isupper():
            out.setdefault(words[-1], ent.text)
    return out


def _doc_text(text: str, doc: Doc) -> str:
    """`doc.text` without rebuilding it: spaCy keeps every character, so a parse of the
    article's text spells it exactly (checked by its length, which is cheap)."""
    if not len(doc):
        return doc.text
    last = doc[-1]
    return text if last.idx + len(last.text_with_ws) == len(text) else doc.text


def anchor_date(published: str | None) -> date | None:
    """The publication date relative expressions are read against ("on Friday")."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None
