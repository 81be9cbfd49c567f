"""Who published an article, and whose report it carries (issue: honest corroboration).

Corroboration counts outlets, so every article needs one even when its record names none:
the record's `outlet`, else its URL's domain, else what the text says of itself — a
dateline credit ("KYIV (Reuters) -"), the outlet naming itself as the one reporting ("told
BelTA", "an Ukrinform correspondent reports"), a closing credit ("Source: PAP"). Separately,
`wire` names the agency whose report the article carries: a dateline credit of an agency,
or an agency the lead relays ("…, BelTA reported"). An event's independent witnesses are
then counted by `wire or outlet` (resolve/merge.py). The rules are data
(`data/outlets.yaml`), each with examples that tests check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml

from sitrep.model.article import Article, Reject

# Where each kind of credit is looked for (characters from the start or the end).
DATELINE_CHARS = 200
LEAD_CHARS = 400
CLOSING_CHARS = 300


@dataclass(frozen=True, slots=True)
class OutletRule:
    name: str
    agency: bool
    state: bool
    domains: tuple[str, ...]
    dateline: re.Pattern[str] | None
    self_credit: re.Pattern[str] | None
    closing: re.Pattern[str] | None
    relay: re.Pattern[str] | None


def _pattern(value: Any) -> re.Pattern[str] | None:
    return re.compile(str(value)) if value else None


@cache
def outlet_rules() -> tuple[OutletRule, ...]:
    """The rules shipped in `data/outlets.yaml` (read once; they never change)."""
    text = resources.files("sitrep").joinpath("data", "outlets.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return tuple(
        OutletRule(
            name=str(o["name"]),
            agency=bool(o.get("agency", False)),
            state=bool(o.get("state", False)),
            domains=tuple(str(d) for d in o.get("domains", [])),
            dateline=_pattern(o.get("dateline")),
            self_credit=_pattern(o.get("self")),
            closing=_pattern(o.get("closing")),
            relay=_pattern(o.get("relay")),
        )
        for o in data["outlets"]
    )


def state_media(rules: Iterable[OutletRule]) -> frozenset[str]:
    """Names of the state-owned or state-run outlets among `rules`."""
    return frozenset(r.name for r in rules if r.state)


def domain_of(url: str | None) -> str | None:
    """The URL's host without "www." ("https://www.bbc.co.uk/news/…" → "bbc.co.uk")."""
    if not url:
        return None
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:  # "http://[x" and other URLs urlsplit refuses
        return None
    return host.removeprefix("www.") or None


def _by_domain(domain: str, rules: Iterable[OutletRule]) -> str:
    for rule in rules:
        if any(domain == d or domain.endswith("." + d) for d in rule.domains):
            return rule.name
    return domain


def _first(rules: Iterable[OutletRule], field: str, text: str) -> OutletRule | None:
    for rule in rules:
        pattern: re.Pattern[str] | None = getattr(rule, field)
        if pattern is not None and pattern.search(text):
            return rule
    return None


def attribute(article: Article, rules: tuple[OutletRule, ...]) -> Article:
    """`article` with `outlet`, `outlet_from` and `wire` filled in where they can be."""
    text = article.text
    head, lead = text[:DATELINE_CHARS], text[:LEAD_CHARS]
    removed = "\n".join(line.text for line in article.boilerplate)
    tail = text[-CLOSING_CHARS:] + "\n" + removed
    dateline = _first(rules, "dateline", head)
    wire = dateline.name if dateline is not None and dateline.agency else None
    if wire is None:
        relayed = _first(rules, "relay", lead)
        wire = relayed.name if relayed is not None else None
    outlet, source = article.outlet, "record" if article.outlet else None
    domain = domain_of(article.url)
    if outlet is None and domain is not None:
        outlet, source = _by_domain(domain, rules), "url"
    for field, label, where in (
        ("dateline", "dateline", head),
        ("closing", "closing", tail),
        ("self_credit", "self", text),
    ):
        if outlet is not None:
            break
        found = _first(rules, field, where)
        if found is not None:
            outlet, source = found.name, label
    if wire == outlet:
        wire = None  # the outlet's own report
    return replace(article, outlet=outlet, outlet_from=source, wire=wire)


def attribute_outlets(items: Iterator[Article | Reject]) -> Iterator[Article | Reject]:
    """Every article of `items` attributed (rejects pass through, order kept)."""
    rules = outlet_rules()
    for item in items:
        yield attribute(item, rules) if isinstance(item, Article) else item
