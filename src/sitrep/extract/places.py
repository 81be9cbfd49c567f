"""Places: GPE/LOC/FAC mentions resolved against the offline gazetteer with document context."""

from __future__ import annotations

from collections.abc import Sequence

from sitrep.extract.context import ArticleContext
from sitrep.extract.geo_rank import rank_document
from sitrep.extract.spans import resolve_mention
from sitrep.extract.toponyms import context_regions, find_toponyms
from sitrep.kb.gazetteer import Gazetteer, GeoEntry
from sitrep.model import Place, Span


def _place(span: Span, name: str, entry: GeoEntry | None, country: str | None) -> Place:
    if entry is None:
        return Place(span=span, name=name, country=country)
    return Place(
        span=span,
        name=entry.name,
        geonameid=entry.geonameid,
        country=entry.country or None,  # seas and continents have none
        admin1=entry.admin1,
        lat=entry.lat,
        lon=entry.lon,
        feature=entry.feature,
    )


Mention = tuple[int, int, str]  # start, end, text (offsets into the article)


def resolve_names(
    gazetteer: Gazetteer, names: Sequence[str], text: str = ""
) -> list[GeoEntry | None]:
    """Resolve toponyms given only their texts (in document order)."""
    mentions: list[Mention] = []
    lowered = text.lower()
    for name in names:
        at = lowered.find(name.lower(), max(0, mentions[-1][1]) if mentions else 0)
        mentions.append((at, at + len(name), name) if at >= 0 else (-1, -1, name))
    return resolve_mentions(gazetteer, mentions, text)


def resolve_mentions(
    gazetteer: Gazetteer, mentions: Sequence[Mention], text: str = ""
) -> list[GeoEntry | None]:
    """Resolve every toponym of one document together; see `sitrep.extract.geo_rank`."""
    return rank_document(gazetteer, mentions, text)


# Actor-KB matches that are places too: capitals acting as governments, metonyms, countries.
_PLACE_MATCHES = {"capital", "metonym", "country"}


# A name spaCy labels PERSON or ORG is still taken as a place when the gazetteer knows it as
# a country, region or city at least this large ("Kharkiv" is often tagged PERSON).
_MISLABELLED_MIN_POPULATION = 100_000
_BIG_FEATURES = {"PCLI", "ADM1", "RGN", "CONT", "PPLC"}


def _named_place(ctx: ArticleContext, text: str, label: str) -> bool:
    """A capital, country or big city that spaCy labelled PERSON or ORG is a place too."""
    if label not in {"PERSON", "ORG"}:
        return False
    match = resolve_mention(ctx.knowledge.actors, text, label, ctx.anchor)
    if match is not None:
        return match.match in _PLACE_MATCHES
    if not text[:1].isupper() or " " in text.strip() and label == "PERSON":
        return False  # "Paris Hilton": a person's full name is no place
    return any(
        e.feature in _BIG_FEATURES or e.population >= _MISLABELLED_MIN_POPULATION
        for e in ctx.knowledge.gazetteer.candidates(text)[:5]
        if ctx.knowledge.gazetteer.is_own_name(e, text)
    )


def _joins(ch: str) -> bool:
    """A character that continues a word: the regex class [\\w-] (isalnum is what `re`
    uses for \\w in str patterns)."""
    return ch.isalnum() or ch == "_" or ch == "-"


def whole_word_hits(text: str, name: str) -> list[tuple[int, int]]:
    """Spans of `name` in `text` not inside a longer word or hyphenated compound, left to
    right and non-overlapping: what finditer of (?<![\\w-])NAME(?![\\w-]) returns, but with
    str.find, which is far faster than a pattern starting with a lookbehind."""
    hits: list[tuple[int, int]] = []
    size, limit = len(name), len(text)
    pos = text.find(name)
    while pos >= 0:
        end = pos + size
        if (pos == 0 or not _joins(text[pos - 1])) and (end == limit or not _joins(text[end])):
            hits.append((pos, end))
            pos = text.find(name, end)
        else:
            pos = text.find(name, pos + 1)
    return hits


def _repeats(text: str, mentions: list[Mention], blocked: list[tuple[int, int]]) -> list[Mention]:
    """Other occurrences of names already recognised as places (one sense per discourse):
    spaCy often tags a town once and misses it three sentences later."""
    taken = [(m[0], m[1]) for m in mentions] + blocked
    extra: list[Mention] = []
    # Longest names first, so "Kharkiv Oblast" claims its words before "Kharkiv" does.
    names = sorted({m[2] for m in mentions if m[2][:1].isupper()}, key=lambda n: (-len(n), n))
    for name in names:
        for start, end in whole_word_hits(text, name):
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            extra.append((start, end, name))
    return extra


def extract_places(ctx: ArticleContext) -> list[Place]:
    labels = set(ctx.settings.place_labels)
    mentions: list[Mention] = []
    labels_at: dict[int, str] = {}
    blocked: list[tuple[int, int]] = []
    for ent in ctx.ents:
        label = ent.label_
        if label not in labels and not _named_place(ctx, ent.text, label):
            if label in {"PERSON", "ORG", "WORK_OF_ART", "EVENT", "PRODUCT"}:
                blocked.append((ent.start_char, ent.end_char))
            continue
        while len(ent) > 1 and ent[0].lower_ == "the":
            ent = ent[1:]
        if len(ent) > 1 and ent[-1].tag_ == "POS":
            ent = ent[:-1]
        mentions.append((ent.start_char, ent.end_char, ent.text))
        labels_at[ent.start_char] = label
    if ctx.settings.toponym_matcher:
        gazetteer = ctx.knowledge.gazetteer
        regions = context_regions(gazetteer, {m[2] for m in mentions})
        taken = [(m[0], m[1]) for m in mentions]
        extra = find_toponyms(ctx.doc, gazetteer, taken, regions)
        mentions += extra
        # A place found inside an organisation's name frees that stretch for repeats.
        blocked = [b for b in blocked if not any(b[0] <= s < b[1] for s, _, _ in extra)]
    mentions += _repeats(ctx.text, mentions, blocked)
    mentions.sort()
    resolved = resolve_mentions(ctx.knowledge.gazetteer, mentions, ctx.text)
    places: list[Place] = []
    for (start, end, name), entry in zip(mentions, resolved, strict=True):
        span = Span(start, end, name)
        if entry is not None:
            places.append(_place(span, name, entry, None))
            continue
        # Not in the gazetteer (a base, a district): keep the mention with the country the
        # actor KB gives it, so there is always at least a country where one is known.
        match = ctx.knowledge.actors.resolve(name, labels_at.get(start), ctx.anchor)
        country = match.country if match else None
        places.append(_place(span, name, None, country))
    return places
