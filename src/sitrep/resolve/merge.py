"""One record per real event: merge event mentions across (and within) articles.

Two mentions are the same event when they share a story, a PLOVER type, a kind of
factuality (real, unrealised, negated), compatible actors (equal, one side unknown, an actor
and its country, or one unresolved name contained in the other, see `same_actor`),
compatible places (same country or unknown) and dates no more than `event_window_days`
apart (when both are exact days). Mentions are visited in a canonical order (date, article,
id) and each joins the first compatible group, so the result ignores input order.
`independent_sources` counts outlets after collapsing copies (a reprint is no witness).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

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
    if a.type != b.type or _KIND.get(a.factuality) != _KIND.get(b.factuality):
        return False
    if not (same_actor(a.source_key, b.source_key) and same_actor(a.target_key, b.target_key)):
        return False
    if not _same(a.place_country, b.place_country):
        return False
    day_a, day_b = _day(a.date), _day(b.date)
    return day_a is None or day_b is None or abs((day_a - day_b).days) <= window_days


def merge_events(
    mentions: Sequence[EventMention],
    story_of: Mapping[str, str],
    duplicate_of: Mapping[str, str],
    outlet_of: Mapping[str, str | None],
    published_of: Mapping[str, str | None],
    settings: ResolveSettings,
) -> list[CanonicalEvent]:
    ordered = sorted(
        mentions, key=lambda m: (published_of.get(m.article_id) or "9999", m.article_id, m.id)
    )
    groups: list[list[EventMention]] = []
    by_story: dict[tuple[str, str], list[int]] = {}
    for mention in ordered:
        story = story_of.get(mention.article_id, mention.article_id)
        slot = by_story.setdefault((story, mention.type), [])
        for index in slot:
            if all(
                compatible(mention, other, settings.event_window_days) for other in groups[index]
            ):
                groups[index].append(mention)
                break
        else:
            slot.append(len(groups))
            groups.append([mention])
    events = [_canonical(g, story_of, duplicate_of, outlet_of, published_of) for g in groups]
    _link_disputes(groups, events, settings)
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
) -> CanonicalEvent:
    first = group[0]
    article_ids = sorted({m.article_id for m in group})
    outlets = sorted({o for a in article_ids if (o := outlet_of.get(a))})
    # Copies collapse onto their original; one outlet counts once however often it reports.
    witnesses = set()
    for article_id in article_ids:
        original = duplicate_of.get(article_id, article_id)
        witnesses.add(outlet_of.get(original) or original)
    return CanonicalEvent(
        id="c" + digest(first.id),
        type=first.type,
        mention_ids=[m.id for m in group],
        article_ids=article_ids,
        outlets=outlets,
        reports=len(article_ids),
        independent_sources=len(witnesses),
        first_article_id=first.article_id,
        first_reported=published_of.get(first.article_id),
        story_id=story_of.get(first.article_id),
    )
