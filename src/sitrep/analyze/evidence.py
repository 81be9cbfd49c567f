"""What may count as evidence of an escalation, and who counts as an independent witness.

Evidence is about one matter: reports of the same day and pair count together only when
they share a story, a place or both actors (`same_matter_events`); two unrelated reports
of one day are two matters with one witness each, not one corroborated escalation. A
defensive act ("repelled the offensive", data/defensive.yaml) is no escalation by the
defender.

An escalation rests on current events (never background an article recalls) that are
asserted or reported (settings: `analyze.alert_factuality`), whose source and target are
both explicit actors of different countries: a target taken from where an event happened
(the pair target of `store.read_model.TARGET_SQL`) is a guess, and a geocoder's guess turned
"the West" into Cameroon.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sitrep.ingest.outlets import domain_of


def witness_key(outlet: str | None, url: str | None, article_id: str) -> str:
    """Who reported an article, for counting independent sources: its outlet, else its
    URL's domain, else the article itself (two articles with nothing to tell their sources
    apart still count as two). The one place that decides it; `outlet` is the originating
    outlet the store gives (an agency of wire copy, else the outlet, which ingest infers from
    the URL or a credit in the text when the record names none)."""
    if outlet and outlet.strip():
        return "outlet:" + " ".join(outlet.split()).casefold()
    domain = domain_of(url)
    if domain:
        return "domain:" + domain
    return "article:" + article_id


def explicit_pair(row: Mapping[str, Any]) -> tuple[str, str] | None:
    """(source country, target country) of an event whose source and target are explicit
    participants, both resolved to actors of the knowledge base, of different countries;
    None otherwise: no self-pairs, no place-derived targets, and no participant the KB does
    not know (often a place itself: a region named as the target)."""
    source, target = row.get("source_country"), row.get("target_country")
    if not source or not target or source == target:
        return None
    if not row.get("source_actor_id") or not row.get("target_actor_id"):
        return None
    return str(source), str(target)


def is_current_fact(row: Mapping[str, Any], factualities: Collection[str]) -> bool:
    """Current news with an accepted factuality (asserted or reported by default)."""
    return (row.get("timing") or "current") != "background" and row.get(
        "factuality"
    ) in factualities


@cache
def _defensive_pattern() -> re.Pattern[str]:
    text = resources.files("sitrep.analyze").joinpath("data", "defensive.yaml").read_text()
    starts = [str(t).casefold().split() for t in yaml.safe_load(text)["triggers"]]
    words = [r"\s+".join(re.escape(w) for w in start) for start in starts]
    return re.compile(r"\b(?:" + "|".join(words) + ")")


def is_defensive(trigger: object, sentence: object = None) -> bool:
    """Whether an event is a defensive act (data/defensive.yaml): its trigger is one, or its
    sentence names one before the trigger ("repelled the offensive and captured 5,000
    troops": the capture is part of the defence; "attacked, but was repelled" is not)."""
    if not isinstance(trigger, str):
        return False
    pattern = _defensive_pattern()
    if pattern.search(trigger.casefold()):
        return True
    if not isinstance(sentence, str):
        return False
    text = sentence.casefold()
    at = text.find(trigger.casefold())
    return at > 0 and bool(pattern.search(text[:at]))


def _matter_keys(event: Mapping[str, Any]) -> list[str]:
    """What ties an evidence event to others of its day and pair: its story, its place,
    and its two actors together (the countries alone are the pair, shared by all)."""
    keys = []
    if event.get("story_id"):
        keys.append(f"story:{event['story_id']}")
    if event.get("place"):
        keys.append("place:" + str(event["place"]).casefold())
    if event.get("source_actor_id") and event.get("target_actor_id"):
        keys.append(f"actors:{event['source_actor_id']}>{event['target_actor_id']}")
    return keys


def same_matter_events(events: Mapping[str, Mapping[str, Any]], min_witnesses: int) -> list[str]:
    """Ids of the events (id → evidence row with its `witnesses`) that belong to a matter
    (events linked by a shared story, place or pair of actors) reported by at least
    `min_witnesses` independent witnesses; [] when no matter is corroborated."""
    parent = {cid: cid for cid in events}

    def root(cid: str) -> str:
        while parent[cid] != cid:
            parent[cid] = parent[parent[cid]]
            cid = parent[cid]
        return cid

    first_with: dict[str, str] = {}
    for cid, event in events.items():
        for key in _matter_keys(event):
            other = first_with.setdefault(key, cid)
            parent[root(cid)] = root(other)
    matters: dict[str, list[str]] = {}
    for cid in events:
        matters.setdefault(root(cid), []).append(cid)
    return sorted(
        cid
        for members in matters.values()
        if len({w for cid in members for w in events[cid]["witnesses"]}) >= min_witnesses
        for cid in members
    )
