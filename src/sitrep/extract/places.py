"""Places: GPE/LOC/FAC mentions resolved against the offline gazetteer with document context."""

from __future__ import annotations

from collections import Counter

from sitrep.extract.context import ArticleContext
from sitrep.extract.spans import resolve_mention, token_span
from sitrep.kb.gazetteer import GeoEntry
from sitrep.model import Place, Span


def _place(span: Span, name: str, entry: GeoEntry | None, country: str | None) -> Place:
    if entry is None:
        return Place(span=span, name=name, country=country)
    return Place(
        span=span,
        name=entry.name,
        geonameid=entry.geonameid,
        country=entry.country,
        admin1=entry.admin1,
        lat=entry.lat,
        lon=entry.lon,
        feature=entry.feature,
    )


def _rank(candidates: list[GeoEntry], context: Counter[str]) -> GeoEntry:
    """Countries first; otherwise prefer places in countries the article talks about,
    then the most populous (a population prior, as in most geoparsers)."""
    return max(
        candidates,
        key=lambda e: (e.feature == "PCLI", context[e.country] > 0, e.population),
    )


# Actor-KB matches that are places too: capitals acting as governments, metonyms, countries.
_PLACE_MATCHES = {"capital", "metonym", "country"}


def _named_place(ctx: ArticleContext, text: str, label: str) -> bool:
    """A capital or country that spaCy labelled PERSON or ORG ("Kyiv said …") is a place too."""
    if label not in {"PERSON", "ORG"}:
        return False
    match = resolve_mention(ctx.knowledge.actors, text, label, ctx.anchor)
    return match is not None and match.match in _PLACE_MATCHES


def extract_places(ctx: ArticleContext) -> list[Place]:
    gazetteer = ctx.knowledge.gazetteer
    labels = set(ctx.settings.place_labels)
    mentions = []
    context: Counter[str] = Counter()
    for ent in ctx.doc.ents:
        label = ent.label_
        if label not in labels and not _named_place(ctx, ent.text, label):
            continue
        while len(ent) > 1 and ent[0].lower_ == "the":
            ent = ent[1:]
        if len(ent) > 1 and ent[-1].tag_ == "POS":
            ent = ent[:-1]
        candidates = gazetteer.candidates(ent.text)
        mentions.append((ent, label, candidates))
        for cand in candidates[:1]:
            if cand.feature == "PCLI":
                context[cand.country] += 1
    places: list[Place] = []
    for ent, label, candidates in mentions:
        if candidates:
            places.append(_place(token_span(ent), ent.text, _rank(candidates, context), None))
            continue
        # Not in the gazetteer (a region, a base): keep the mention with the country the
        # actor KB gives it, so there is always at least a country where one is known.
        match = ctx.knowledge.actors.resolve(ent.text, label, ctx.anchor)
        country = match.country if match else None
        places.append(_place(token_span(ent), ent.text, None, country))
    return places
