"""What may count as evidence of an escalation, and who counts as an independent witness.

An escalation rests on current events (never background an article recalls) that are
asserted or reported (settings: `analyze.alert_factuality`), whose source and target are
both explicit actors of different countries: a target taken from where an event happened
(the pair target of `store.read_model.TARGET_SQL`) is a guess, and a geocoder's guess turned
"the West" into Cameroon.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

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
