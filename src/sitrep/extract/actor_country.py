"""A country for participants the actor KB does not know, from the article around them.

"Riot police", "government forces", "protesters" or "Mr. Flynn" name actors without a state,
yet an analyst reads them as the police of the country where the clash happened, or the
official of the country the article is about. In that order:

1. a nationality or country named inside the participant's own phrase ("Ukrainian riot
   police", "Tehran police"); a group named by a region or creed instead ("European
   governments", "Western leaders", "Islamist militants"; `regional` in
   data/lexicons/agents.yaml) keeps no country; a person named again by surname, the
   country the title of their full mention gave ("US Ambassador Robert Quillan … Quillan");
2. for the hostile side ("the occupiers", "the enemy"; `hostile` in
   data/lexicons/agents.yaml) the country named most after the home country, never the
   home country itself;
3. for domestic bodies (police, protesters, authorities …; `domestic` in
   data/lexicons/agents.yaml) the country of the event's place;
4. the article's home country: the one its places and actors name most, when it clearly
   leads (at least `_HOME_SHARE` of the mentions).

Named actors of the KB keep their own country; nothing here overrides one.
"""

from __future__ import annotations

from collections import Counter

from sitrep.extract.context import ArticleContext
from sitrep.extract.spans import participant_for
from sitrep.model import Entity, Event, Participant, Place

# The home country must hold at least this share of country mentions to be used.
_HOME_SHARE = 0.4


def _country_counts(entities: list[Entity], places: list[Place]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for entity in entities:
        if entity.country:
            counts[entity.country] += 1
    for place in places:
        if place.country:
            counts[place.country] += 1
    return counts


def home_country(entities: list[Entity], places: list[Place]) -> str | None:
    counts = _country_counts(entities, places)
    if not counts:
        return None
    country, n = counts.most_common(1)[0]
    return country if n >= _HOME_SHARE * sum(counts.values()) else None


def _other_side(entities: list[Entity], places: list[Place], home: str | None) -> str | None:
    """The country named most after the home country: the side "the occupiers" or "the
    enemy" belong to in an article told from the home country."""
    if home is None:
        return None
    others = [(c, n) for c, n in _country_counts(entities, places).most_common() if c != home]
    return others[0][0] if others else None


def _own_country(ctx: ArticleContext, who: Participant) -> str | None:
    """A nationality or country named inside the participant's phrase."""
    if who.span is None:
        return None
    kb = ctx.knowledge.actors
    tokens = ctx.doc.char_span(who.span.start, who.span.end, alignment_mode="expand")
    if tokens is None:
        return None
    for ent in ctx.ents_within(tokens.start, tokens.end):
        if ent.label_ in {"NORP", "GPE"}:
            match = kb.resolve(ent.text, ent.label_, ctx.anchor)
            if match is not None and match.country:
                return match.country
    return None


def _person_country(ctx: ArticleContext, who: Participant) -> str | None:
    """A person named again by surname ("Quillan said") keeps the country the title of
    their full mention gave ("US Ambassador Robert Quillan")."""
    words = who.name.split()
    full = ctx.surnames.get(words[-1]) if words else None
    if full is None or who.name not in {full, words[-1]}:
        return None
    for ent in ctx.ents:
        if ent.label_ == "PERSON" and ent.text == full:
            named = participant_for(ctx, ent.root, agent=True)
            if named is not None and named.country:
                return named.country
    return None


def _regional(ctx: ArticleContext, who: Participant) -> bool:
    """A group (a plural) named by a region or a creed rather than a state ("European
    governments", "Western leaders", "Islamist militants"): several states or none, so no
    country."""
    words = who.name.lower().split()
    if not words or not words[-1].endswith("s"):
        return False  # "a Muslim woman" is one person, of one country
    return bool({w.strip(".,") for w in words} & ctx.knowledge.lexicons.regional_words)


def _head_word_in(who: Participant, words: frozenset[str]) -> bool:
    """The last word of the participant's name, singular, is one of `words`."""
    name = who.name.lower().split()
    return bool(name) and name[-1].rstrip("s") in words


def fill_countries(
    ctx: ArticleContext, events: list[Event], entities: list[Entity], places: list[Place]
) -> None:
    """Give unresolved participants a country where the article makes it plain."""
    home = home_country(entities, places)
    enemy = _other_side(entities, places, home)
    lex = ctx.knowledge.lexicons
    for event in events:
        for who in [*event.sources, *event.targets]:
            if who.country is not None or who.actor_id is not None:
                continue
            if _head_word_in(who, lex.instrument_nouns):
                continue  # "missiles", "a car bomb": whose they are is not known from where
            country = _own_country(ctx, who) or _person_country(ctx, who)
            if country is None and _regional(ctx, who):
                continue
            if country is None and _head_word_in(who, lex.hostile_nouns):
                who.country = enemy  # "the occupiers", "the invaders": never the home side
                continue
            domestic = _head_word_in(who, lex.domestic_nouns)  # police, protesters …
            if country is None and event.place is not None and domestic:
                country = event.place.country
            who.country = country or home
