"""Import PETRARCH / Phoenix `.actors` dictionaries into sitrep's actor YAML.

The format (PETRARCH dictionary documentation, TABARI manual ch. 5), one record per actor:

    VLADIMIR_PUTIN_  [RUSGOV]        # primary phrase, optional default code
    +PUTIN_                          # synonyms, one per line
    +V._PUTIN_ {PUTINE PUTYN}        # {...}: more spellings of the same name
        [RUSELI <000506]             # indented date restrictions: before (inclusive),
        [RUSGOV >000507]             #   after (inclusive),
        [RUSGOV 000507-080507]       #   or between two dates; YYMMDD or YYYYMMDD

Comments start with `#` or `;` (legacy), or are `<!-- ... -->`; `---STOP---` ends the
file. Codes are CAMEO actor codes: a country (ISO-like alpha-3, "RUS") or an
international prefix ("IGO", "NGO", "IMG", "MNC") followed by role codes ("GOV", "MIL",
"ELI" …). A record whose codes are a bare country ("AFGHANISTAN_ [AFG]") names the state:
it becomes a metonym for that country's government. Records with dated codes become
people with dated `roles`; records without dates become organisations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from sitrep.errors import KnowledgeBaseError
from sitrep.kb.countries import countries

__all__ = [
    "CameoCode",
    "PetrarchActor",
    "Restriction",
    "cameo_code",
    "dump_yaml",
    "parse_actors",
    "to_yaml",
]

# CAMEO role codes → sitrep sectors (see SECTORS in actor_yaml.py).
_SECTOR_OF_ROLE: dict[str, str] = {
    "GOV": "GOV",
    "ELI": "POL",  # elites: former officials, public figures
    "PTY": "POL",
    "OPP": "POL",
    "MOD": "POL",
    "RAD": "POL",
    "MIL": "MIL",
    "SPY": "SPY",
    "COP": "COP",
    "LEG": "LEG",
    "JUD": "JUD",
    "MED": "MED",
    "REB": "REB",
    "INS": "REB",
    "SEP": "REB",
    "UAF": "REB",
    "BUS": "BUS",
    "MNC": "BUS",
    "CVL": "CVL",
    "REF": "CVL",
    "LAB": "CVL",
    "EDU": "CVL",
    "HLH": "CVL",
    "AGR": "CVL",
    "CRM": "CVL",
    "IGO": "IGO",
    "NGO": "NGO",
    "NGM": "NGO",
    "HRI": "NGO",
}
# International prefixes that stand where a country code would.
_INTERNATIONAL: dict[str, str] = {"IGO": "IGO", "NGO": "NGO", "IMG": "REB", "MNC": "BUS"}
# CAMEO country codes that differ from ISO 3166-1 alpha-3.
_CAMEO_COUNTRY: dict[str, str] = {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "KSV": "XKX"}

# CAMEO religion codes that are also ISO codes (Mauritius, Saint Helena): in CAMEO
# dictionaries MUS is "Muslim" and SHN "Shinto".
_NOT_COUNTRIES = frozenset({"MUS", "SHN"})

_COMMENT_XML = re.compile(r"<!--.*?(-->|$)")
_RESTRICTION = re.compile(r"\[\s*([A-Za-z0-9~]+)\s*([^\]]*)\]")


@dataclass(frozen=True, slots=True)
class CameoCode:
    """A CAMEO actor code read as country (alpha-3 or None) and sitrep sector."""

    code: str
    country: str | None
    sector: str | None  # None: a bare country code (the state itself)


@dataclass(frozen=True, slots=True)
class Restriction:
    code: str
    start: dt.date | None = None  # inclusive
    end: dt.date | None = None  # inclusive


@dataclass(slots=True)
class PetrarchActor:
    """One record of a `.actors` file."""

    phrase: str
    synonyms: list[str] = field(default_factory=list)
    default: str | None = None
    restrictions: list[Restriction] = field(default_factory=list)
    line: int = 0


def cameo_code(code: str) -> CameoCode | None:
    """Read a CAMEO actor code: "RUSGOV" → (RUS, GOV), "IGOUNO" → (None, IGO), "UKR" →
    (UKR, None), "KURREB" (an ethnic group) → (None, REB). None for codes that name
    neither a country nor a group with a known role."""
    code = code.strip().upper().strip("~")
    head, rest = code[:3], code[3:]
    if head in _INTERNATIONAL:
        return CameoCode(code, None, _INTERNATIONAL[head])
    roles = [rest[i : i + 3] for i in range(0, len(rest), 3)]
    # The first role code sitrep knows decides ("USAGOVMIL" → GOV).
    sector = next((_SECTOR_OF_ROLE[r] for r in roles if r in _SECTOR_OF_ROLE), None)
    alpha3 = _CAMEO_COUNTRY.get(head, head)
    if alpha3 not in countries() or head in _NOT_COUNTRIES:
        # Religious and ethnic groups ("MUSRAD", "KURREB"): no country, sector by role.
        return CameoCode(code, None, sector) if sector else None
    if sector is None and rest:
        sector = "GOV"
    return CameoCode(code, alpha3, sector)


def _date(text: str, source: str, line: int) -> dt.date:
    digits = text.strip()
    try:
        if len(digits) == 6:
            year = int(digits[:2])
            # PETRARCH's rule for two-digit years: 00-29 are 20xx, 30-99 are 19xx.
            year += 2000 if year < 30 else 1900
            return dt.date(year, int(digits[2:4]), int(digits[4:6]))
        if len(digits) == 8:
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        pass
    raise KnowledgeBaseError(f"{source}:{line}: not a YYMMDD or YYYYMMDD date: {text!r}")


def _restriction(code: str, rest: str, source: str, line: int) -> Restriction:
    rest = rest.strip()
    if not rest:
        return Restriction(code)
    if rest[0] in "<>":
        day = _date(rest[1:], source, line)
        return Restriction(code, end=day) if rest[0] == "<" else Restriction(code, start=day)
    first, dash, second = rest.partition("-")
    if not dash:
        raise KnowledgeBaseError(f"{source}:{line}: bad date restriction {rest!r}")
    start, end = _date(first, source, line), _date(second, source, line)
    if end < start:
        raise KnowledgeBaseError(f"{source}:{line}: date range ends before it starts")
    return Restriction(code, start=start, end=end)


def _phrases(text: str) -> list[str]:
    """A phrase and the spellings in its `{...}` block, readable ("V._PUTIN_" → "V. Putin")."""
    inner: list[str] = []
    braces = re.search(r"\{([^}]*)\}", text)
    if braces:
        inner = braces.group(1).split()
        text = text[: braces.start()] + text[braces.end() :]
    out = []
    for raw in [text, *inner]:
        words = raw.replace("_", " ").split()
        if words:
            out.append(" ".join(_title(w) for w in words))
    return out


def _title(word: str) -> str:
    if word.isupper() or word.islower():
        return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))
    return word


def parse_actors(text: str, source: str = "<actors>") -> list[PetrarchActor]:
    """Parse the text of a `.actors` file. Raises KnowledgeBaseError on malformed lines."""
    records: list[PetrarchActor] = []
    current: PetrarchActor | None = None
    in_comment = False
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw
        if in_comment:
            if "-->" not in line:
                continue
            line = line[line.index("-->") + 3 :]
            in_comment = False
        if "<!--" in line and "-->" not in line[line.index("<!--") :]:
            in_comment = True
        line = _COMMENT_XML.sub("", line)
        line = line.split("#", 1)[0].split(";", 1)[0]
        if "---STOP---" in line:
            break
        if not line.strip():
            continue
        indented = line[:1] in (" ", "\t")
        body = line.strip()
        if indented and body.startswith("["):
            if current is None:
                raise KnowledgeBaseError(f"{source}:{n}: date restriction before any actor")
            for code, rest in _RESTRICTION.findall(body):
                restriction = _restriction(code, rest, source, n)
                if restriction.start is None and restriction.end is None:
                    current.default = code
                else:
                    current.restrictions.append(restriction)
            continue
        if body.startswith("+"):
            if current is None:
                raise KnowledgeBaseError(f"{source}:{n}: synonym before any actor")
            current.synonyms.extend(_phrases(body[1:].split("[", 1)[0]))
            continue
        phrase, _, code_part = body.partition("[")
        names = _phrases(phrase)
        if not names:
            raise KnowledgeBaseError(f"{source}:{n}: no actor phrase in {raw.strip()!r}")
        current = PetrarchActor(phrase=names[0], synonyms=names[1:], line=n)
        if code_part:
            current.default = code_part.split("]", 1)[0].strip() or None
        records.append(current)
    return records


# ----------------------------------------------------------------------------- to YAML


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")
    return slug[:40] or "actor"


def _unique(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for n in names:
        if n.casefold() not in seen:
            seen.add(n.casefold())
            out.append(n)
    return out


def to_yaml(
    records: list[PetrarchActor], source: str = "<actors>"
) -> tuple[dict[str, Any], list[str]]:
    """Convert parsed records into the actor YAML structure (`actors`, `metonyms`).

    Returns (data, warnings); a warning names each record skipped (no usable code).
    """
    actors: list[dict[str, Any]] = []
    metonyms: list[dict[str, Any]] = []
    warnings: list[str] = []
    used: set[str] = set()
    for rec in records:
        names = _unique([rec.phrase, *rec.synonyms])
        dated = [(r, cameo_code(r.code)) for r in rec.restrictions]
        default = cameo_code(rec.default) if rec.default else None
        known = [(r, c) for r, c in dated if c is not None]
        if not known and default is None:
            warnings.append(f"{source}:{rec.line}: {rec.phrase}: no CAMEO code sitrep can read")
            continue
        if not known and default is not None and default.sector is None:
            # "AFGHANISTAN_ [AFG]", "KABUL_ [AFG]": a name for the state.
            metonyms.append({"names": names, "country": default.country, "sector": "GOV"})
            continue
        # The actor's sector and country are those of today: an open-ended dated code,
        # else the default code (it applies outside the dated ranges), else the latest.
        current = [c for r, c in known if r.end is None]
        main = current[-1] if current else default
        if main is None:
            main = max(known, key=lambda rc: rc[0].end or dt.date.max)[1]
        sector = main.sector or "GOV"
        country = main.country
        base = f"{country or 'INT'}.{sector}.{_slug(rec.phrase)}"
        actor_id, k = base, 2
        while actor_id in used:
            actor_id, k = f"{base}_{k}", k + 1
        used.add(actor_id)
        entry: dict[str, Any] = {
            "id": actor_id,
            "name": rec.phrase,
            "country": country,
            "sector": sector,
            "kind": "person" if known else "organisation",
        }
        if len(names) > 1:
            entry["aliases"] = names[1:]
        roles = []
        for r, c in known:
            role: dict[str, Any] = {"role": f"cameo {r.code.lower()}"}
            if c.country is not None and c.country != country:
                role["org"] = c.country
            if r.start is not None:
                role["from"] = r.start
            if r.end is not None:
                role["to"] = r.end + dt.timedelta(days=1)  # sitrep's `to` is exclusive
            roles.append(role)
        if roles:
            entry["roles"] = roles
        codes = [r.code for r, _ in known] + ([default.code] if default else [])
        entry["note"] = "imported from PETRARCH; CAMEO " + ", ".join(_unique(codes))
        actors.append(entry)
    data: dict[str, Any] = {"actors": actors}
    if metonyms:
        data["metonyms"] = metonyms
    return data, warnings


def dump_yaml(data: dict[str, Any], origin: str) -> str:
    """The YAML text of `to_yaml()` output, with a header naming where it came from."""
    header = (
        f"# Imported by `sitrep kb import` from {origin} (PETRARCH .actors format).\n"
        "# CAMEO codes are mapped to country + sector; dated codes become `roles`.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
