"""Rank gazetteer candidates for all toponyms of one document together.

A candidate's score is a population prior plus document evidence, the signals most
geoparsers found to matter (Lieberman et al. 2010; Gritta et al. 2018):

* feature: countries and first-level regions are what a bare name usually means;
* the document's countries and regions: other mentions that resolve (unambiguously) to a
  country or ADM1 pull same-named places there ("Alexandria" beside "Rapides Parish");
* "Place, Region" pairs and datelines: the region after the comma decides;
* proximity: places near the other mentions' provisional choices;
* one sense per discourse: the same name is resolved the same way throughout.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sitrep.kb.gazetteer import US_STATE_ABBREVIATIONS, Gazetteer, GeoEntry
from sitrep.kb.geofold import fold

Mention = tuple[int, int, str]

MAX_CANDIDATES = 40
NEAR_KM = 150.0

_FEATURE_PRIOR = {
    "PCLI": 4.0,
    "CONT": 4.0,
    "ADM1": 1.5,
    "RGN": 2.0,
    "PPLC": 3.0,
    "ADM2": 0.3,
    "PPLA": 0.5,
    "PPL": 0.0,
}
_AREAS = {"PCLI", "CONT", "RGN"}
W_OWN_NAME = 2.0  # the name is the place's main name, not one of many aliases
W_COUNTRY = 2.0  # the document mentions the candidate's country
W_ADMIN1 = 2.5  # the document mentions the candidate's first-level region
W_PAIR = 6.0  # "Alexandria, La.": the next name contains this place
W_NEAR = 1.5  # close to another mention's provisional choice

_AFTER_COMMA = re.compile(r"\s*,\s*([A-Z][A-Za-z.]{1,6}\.?|[A-Z][a-z]+(?: [A-Z][a-z]+)?)")


@dataclass(slots=True)
class _Group:
    """All mentions of one name: they share one resolution."""

    key: str
    positions: list[int]
    candidates: list[GeoEntry]


def _km(a: GeoEntry, b: GeoEntry) -> float:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.lon - a.lon)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _prior(gazetteer: Gazetteer, e: GeoEntry, name: str) -> float:
    score = math.log10(e.population + 10) + _FEATURE_PRIOR.get(e.feature, 0.0)
    if gazetteer.is_own_name(e, name):
        score += W_OWN_NAME
    return score


def _pair_hint(text: str, end: int) -> tuple[str | None, str | None]:
    """(US state code, folded name) written right after a toponym and a comma."""
    if end < 0 or not text:
        return None, None
    m = _AFTER_COMMA.match(text, end)
    if not m:
        return None, None
    word = m.group(1)
    state = (
        US_STATE_ABBREVIATIONS.get(word.replace(".", "").lower()) if word.endswith(".") else None
    )
    if state is None and len(word) == 2 and word.isupper():
        state = word if word in US_STATE_ABBREVIATIONS.values() else None
    return state, fold(word)


def rank_document(
    gazetteer: Gazetteer, mentions: Sequence[Mention], text: str = ""
) -> list[GeoEntry | None]:
    groups: dict[str, _Group] = {}
    order: list[str] = []
    for i, (_, _, name) in enumerate(mentions):
        key = fold(name)
        order.append(key)
        if key not in groups:
            cands = _candidates(gazetteer, name)
            groups[key] = _Group(key, [], cands)
        groups[key].positions.append(i)
    # Pair hints: "Alexandria, La." or "Kharkiv, Ukraine" narrow the first name down.
    pair_admin1: dict[str, set[str]] = defaultdict(set)
    pair_country: dict[str, set[str]] = defaultdict(set)
    for start, end, name in mentions:
        del start
        state, follower = _pair_hint(text, end)
        key = fold(name)
        if state:
            pair_admin1[key].add(f"US.{state}")
            pair_country[key].add("USA")
        if follower and follower != key:
            for cand in gazetteer.candidates(follower)[:3]:
                if cand.feature == "PCLI":
                    pair_country[key].add(cand.country)
                elif cand.feature in {"ADM1", "RGN"} and cand.admin1:
                    pair_admin1[key].add(cand.admin1)
    choice = {k: _first_pass(gazetteer, g) for k, g in groups.items()}
    for _ in range(2):
        choice = {
            k: _score_group(gazetteer, g, groups, choice, pair_admin1[k], pair_country[k])
            for k, g in groups.items()
        }
    return [choice.get(key) for key in order]


def _candidates(gazetteer: Gazetteer, name: str) -> list[GeoEntry]:
    """Candidates for the name; for an unknown facility ("Cottonport Fire Station") those of
    its longest leading part that is a place, so it is at least put in its town."""
    found = gazetteer.candidates(name)
    if not found and name.endswith("s"):
        # "Ukrainians", "Palestinians": the people's noun names their country too.
        found = [e for e in gazetteer.candidates(name[:-1]) if e.feature in _AREAS]
    words = name.split()
    while not found and len(words) > 1:
        words = words[:-1]
        if not words[-1][:1].isupper():
            continue
        found = [e for e in gazetteer.candidates(" ".join(words)) if e.feature != "PCLI"]
    return found[:MAX_CANDIDATES]


def _first_pass(gazetteer: Gazetteer, group: _Group) -> GeoEntry | None:
    if not group.candidates:
        return None
    return max(group.candidates, key=lambda e: _prior(gazetteer, e, group.key))


def _score_group(
    gazetteer: Gazetteer,
    group: _Group,
    groups: dict[str, _Group],
    choice: dict[str, GeoEntry | None],
    pair_admin1: set[str],
    pair_country: set[str],
) -> GeoEntry | None:
    if not group.candidates:
        return None
    countries: dict[str, float] = defaultdict(float)
    admin1s: dict[str, float] = defaultdict(float)
    others: list[GeoEntry] = []
    for key, other in choice.items():
        if key == group.key or other is None:
            continue
        # A mention counts more when it is unambiguous (one candidate).
        weight = 1.0 if len(groups[key].candidates) == 1 else 0.6
        if other.country:
            countries[other.country] = max(countries[other.country], weight)
        if other.admin1 and other.feature != "PCLI":
            admin1s[other.admin1] = max(admin1s[other.admin1], weight)
        if other.feature not in {"PCLI", "CONT"}:
            others.append(other)

    def score(e: GeoEntry) -> float:
        s = _prior(gazetteer, e, group.key)
        s += W_COUNTRY * countries.get(e.country, 0.0)
        if e.admin1:
            s += W_ADMIN1 * admin1s.get(e.admin1, 0.0)
        if (e.admin1 and e.admin1 in pair_admin1) or e.country in pair_country:
            s += W_PAIR
        if e.feature not in {"PCLI", "CONT"} and any(_km(e, o) <= NEAR_KM for o in others):
            s += W_NEAR
        return s

    return max(group.candidates, key=score)
