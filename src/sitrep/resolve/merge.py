"""One record per real event: merge event mentions across (and within) articles.

Mentions can only merge within one story and PLOVER type. Inside that, two kinds of test:

- **what keeps events apart** (any one forbids a merge with every mention of a group): a
  different kind of factuality (real, unrealised, negated), or exact dates more than
  `event_window_days` apart;
- **what tells of one event** (one mention of the group is enough), when no actors conflict
  (two resolved actors, or two names, that `same_actor` tells apart) and no place
  countries differ: the two sentences share at least `event_sentence_similarity` of their
  content words (Jaccard) — unless they are one sentence (or its copy) and the triggers
  differ: "the camp in occupied Poland was liberated" tells of two acts — or the triggers
  are one word ("struck" / "strikes"); for statements (ACCUSE, REQUEST, THREATEN …) the
  sentences must then share `statement_similarity` of their words, so one speaker's
  statements on different matters stay apart.

Unknown actors never link mentions on their own: two "attacks" with no known party in one
story are two events unless their sentences or triggers say otherwise. Mentions are
visited in a canonical order (date, article, id) and each joins the first group that
accepts it, so the result ignores input order. `independent_sources` counts outlets after
collapsing copies (a reprint is no witness).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from importlib import resources

import yaml

from sitrep.model import CanonicalEvent, EventMention
from sitrep.model.ids import digest
from sitrep.settings import ResolveSettings

_KIND = {
    "asserted": "real",
    "reported": "real",
    "uncertain": "real",
    "future": "unrealised",
    "hypothetical": "unrealised",
    "conditional": "unrealised",
    "negated": "negated",
}


def _day(value: str | None) -> date | None:
    if value is None or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _same(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


_FILLER = frozenset({"the", "a", "an", "'s", "’s", "of"})


def _words(key: str) -> frozenset[str]:
    return frozenset(w for w in key.replace("'s", " 's").split() if w not in _FILLER)


def same_actor(a: str | None, b: str | None) -> bool:
    """Actor keys that may name one actor: equal, one unknown, an actor id and its country
    ("IND.MIL.navy" / "IND"), or one unresolved name inside the other ("earthquake" /
    "powerful earthquake", "microsoft 's" / "microsoft"). "russian forces" and "ukrainian
    forces" stay apart: neither name is contained in the other."""
    if a is None or b is None or a == b:
        return True
    if a.startswith(b + ".") or b.startswith(a + "."):
        return True
    words_a, words_b = _words(a), _words(b)
    return bool(words_a and words_b) and (words_a <= words_b or words_b <= words_a)


def compatible(a: EventMention, b: EventMention, window_days: int) -> bool:
    """No attribute tells the two mentions apart (type, kind of factuality, actors, place,
    date); unknowns are compatible with anything. Disputes use it to pair a denial with
    the claim it denies."""
    if a.type != b.type or _KIND.get(a.factuality) != _KIND.get(b.factuality):
        return False
    if not (same_actor(a.source_key, b.source_key) and same_actor(a.target_key, b.target_key)):
        return False
    if not _same(a.place_country, b.place_country):
        return False
    return not _dates_apart(a, b, window_days)


def _dates_apart(a: EventMention, b: EventMention, window_days: int) -> bool:
    day_a, day_b = _day(a.date), _day(b.date)
    return day_a is not None and day_b is not None and abs((day_a - day_b).days) > window_days


def kept_apart(a: EventMention, b: EventMention, settings: ResolveSettings) -> bool:
    """What forbids a merge: another kind of factuality, or dates too far apart."""
    if _KIND.get(a.factuality) != _KIND.get(b.factuality):
        return True
    return _dates_apart(a, b, settings.event_window_days)


def one_event(a: EventMention, b: EventMention, settings: ResolveSettings) -> bool:
    """What tells that two mentions (of one story and type) are one event (module doc)."""
    if _parties_conflict(a, b):
        return False
    if not _same(a.place_country, b.place_country):
        return False
    overlap = sentence_similarity(a.sentence, b.sentence)
    same_word = bool(a.trigger) and _stem(a.trigger) == _stem(b.trigger)
    if not same_word:
        # Two acts of one sentence ("liberated" / "occupied"), or of its copy, are two.
        return settings.event_sentence_similarity <= overlap < _ONE_SENTENCE
    if overlap >= settings.event_sentence_similarity:
        return True
    return a.type not in settings.statement_types or overlap >= settings.statement_similarity


# Sentences this alike are one sentence (or a copy of it): its other triggers are other acts.
_ONE_SENTENCE = 0.9


def _resolved(key: str | None) -> bool:
    """An actor id or a state code ("RUS", "RUS.GOV.putin"), not an unresolved name."""
    return key is not None and key[:3].isupper()


def _parties_conflict(a: EventMention, b: EventMention) -> bool:
    return _actor_conflict(a.source_key, b.source_key) or _actor_conflict(
        a.target_key, b.target_key
    )


def _actor_conflict(a: str | None, b: str | None) -> bool:
    """Two known actors that `same_actor` tells apart, both resolved ("RUS" / "UKR") or
    both names ("russian forces" / "ukrainian forces"). A name against a resolved actor is
    no conflict: the resolved one may be a country filled in from the article."""
    if a is None or b is None or _resolved(a) != _resolved(b):
        return False
    return not same_actor(a, b)


# Function words only: the stop lists of scikit-learn and spaCy also hold words that tell
# events apart ("fire", "call", "move", "show"; ECB+ canonical-event CoNLL F1 0.797 with
# them, 0.803 with this list).
_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "with",
        "by",
        "from",
        "as",
        "that",
        "this",
        "these",
        "those",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "their",
        "his",
        "her",
        "they",
        "he",
        "she",
        "said",
        "says",
        "will",
        "would",
        "after",
        "before",
        "over",
        "into",
        "about",
        "than",
        "more",
        "most",
        "also",
        "not",
        "no",
        "who",
        "which",
        "when",
        "where",
        "while",
    ]
)
_WORD = re.compile(r"[^\W\d_]{3,}")
_SUFFIX = re.compile(r"(?:ing|ed|es|s)$")


@lru_cache(maxsize=65536)
def _content_words(sentence: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(sentence.lower()) if w not in _FUNCTION_WORDS)


def sentence_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the content words of two sentences."""
    words_a, words_b = _content_words(a), _content_words(b)
    if not words_a or not words_b:
        return 0.0
    return len(words_a & words_b) / len(words_a | words_b)


def _stem(trigger: str) -> str:
    """ "strikes", "struck" and "striking" are not one stem, but "strikes" / "strike" and
    "attacked" / "attacks" are: enough for news, where one event keeps its verb."""
    word = trigger.lower().split()[-1] if trigger.split() else ""
    stem = _SUFFIX.sub("", word)
    return same_acts().get(stem, stem)


@lru_cache(maxsize=1)
def same_acts() -> dict[str, str]:
    """Each word of data/lexicons/same_acts.yaml mapped to its group's name (packaged data,
    read once)."""
    text = (
        resources.files("sitrep").joinpath("data", "lexicons", "same_acts.yaml").read_text("utf-8")
    )
    groups: dict[str, list[str]] = yaml.safe_load(text)["groups"]
    return {word: name for name, words in groups.items() for word in words}


def merge_events(
    mentions: Sequence[EventMention],
    story_of: Mapping[str, str],
    duplicate_of: Mapping[str, str],
    outlet_of: Mapping[str, str | None],
    published_of: Mapping[str, str | None],
    settings: ResolveSettings,
    state_media: frozenset[str] = frozenset(),
) -> list[CanonicalEvent]:
    """Canonical events of `mentions`. `outlet_of` gives each article's originating outlet
    (its wire agency, else its outlet; None when unknown)."""
    ordered = sorted(
        mentions, key=lambda m: (published_of.get(m.article_id) or "9999", m.article_id, m.id)
    )
    groups: list[list[EventMention]] = []
    by_story: dict[tuple[str, str], list[int]] = {}
    for mention in ordered:
        story = story_of.get(mention.article_id, mention.article_id)
        slot = by_story.setdefault((story, mention.type), [])
        for index in slot:
            group = groups[index]
            if any(kept_apart(mention, other, settings) for other in group):
                continue
            if _parties_conflict(mention, group[0]):
                continue  # no chain from "russian forces" through "forces" to "ukrainian forces"
            if any(one_event(mention, other, settings) for other in group):
                group.append(mention)
                break
        else:
            slot.append(len(groups))
            groups.append([mention])
    events = [
        _canonical(g, story_of, duplicate_of, outlet_of, published_of, state_media) for g in groups
    ]
    _link_disputes(groups, events, settings)
    # The sentences' content words are compared many times within one merge, never across
    # merges once their stories are settled: a watch merging every poll would otherwise
    # keep the sentences of every poll up to the cache's bound (tens of MB).
    _content_words.cache_clear()
    return events


def _link_disputes(
    groups: list[list[EventMention]], events: list[CanonicalEvent], settings: ResolveSettings
) -> None:
    """A negated report ("no such proposal was made") disputes a claim of the same event
    (same story, type and compatible actors) made in another article."""
    # Only groups of one story and type can dispute each other: bucket them once (indices
    # ascending, so the links come out in the order a scan of every pair gives them).
    buckets: dict[tuple[str | None, str], list[int]] = {}
    for j, claim in enumerate(groups):
        buckets.setdefault((events[j].story_id, claim[0].type), []).append(j)
    for i, denial in enumerate(groups):
        if _KIND.get(denial[0].factuality) != "negated":
            continue
        for j in buckets[(events[i].story_id, denial[0].type)]:
            claim = groups[j]
            if i == j or _KIND.get(claim[0].factuality) != "real":
                continue
            if set(events[i].article_ids) == set(events[j].article_ids):
                continue  # a claim and its denial in one article is the article's own framing
            as_claim = [replace(m, factuality=claim[0].factuality) for m in denial]
            if all(compatible(m, c, settings.event_window_days) for m in as_claim for c in claim):
                events[i].disputes.append(events[j].id)
                events[j].disputes.append(events[i].id)


def _canonical(
    group: list[EventMention],
    story_of: Mapping[str, str],
    duplicate_of: Mapping[str, str],
    outlet_of: Mapping[str, str | None],
    published_of: Mapping[str, str | None],
    state_media: frozenset[str],
) -> CanonicalEvent:
    first = group[0]
    article_ids = sorted({m.article_id for m in group})
    outlets = sorted({o for a in article_ids if (o := outlet_of.get(a))})
    witnesses = _witnesses(group, duplicate_of, outlet_of)
    sources = set(witnesses.values())
    # Only state media report it: every witness is a known outlet, and a state's.
    state_only = bool(sources) and all(w in state_media for w in sources)
    return CanonicalEvent(
        id="c" + digest(first.id),
        type=first.type,
        mention_ids=[m.id for m in group],
        article_ids=article_ids,
        outlets=outlets,
        reports=len(article_ids),
        independent_sources=len(sources),
        first_article_id=first.article_id,
        first_reported=published_of.get(first.article_id),
        story_id=story_of.get(first.article_id),
        origin_outlet=outlet_of.get(duplicate_of.get(first.article_id, first.article_id)),
        state_media_only=state_only,
    )


# The witness of an article whose outlet is unknown: the article itself.
_UNKNOWN = "article:"


def _witnesses(
    group: list[EventMention],
    duplicate_of: Mapping[str, str],
    outlet_of: Mapping[str, str | None],
) -> dict[str, str]:
    """Article id → the originating outlet it is a witness for. A copy of a whole article
    counts as its original; a mention whose sentence repeats (nearly word for word, with the
    same trigger) an earlier report's sentence counts as that report's witness — a
    syndicated paragraph, a transcript, a translation lightly edited; an article of unknown
    outlet is its own witness. One outlet counts once however often it reports."""
    witness: dict[str, str] = {}
    told: list[tuple[EventMention, str]] = []  # (mention, its witness) in report order
    for mention in group:
        original = duplicate_of.get(mention.article_id, mention.article_id)
        own = outlet_of.get(original) or _UNKNOWN + original
        for earlier, earlier_witness in told:
            copied = earlier.article_id != mention.article_id and _stem(earlier.trigger) == _stem(
                mention.trigger
            )
            if copied and sentence_similarity(earlier.sentence, mention.sentence) >= _ONE_SENTENCE:
                own = earlier_witness
                break
        witness.setdefault(mention.article_id, own)
        told.append((mention, witness[mention.article_id]))
    return witness
