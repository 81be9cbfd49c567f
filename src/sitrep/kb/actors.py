"""The actor knowledge base: who a name in the news stands for.

`ActorKB.load()` reads sitrep's own tables (`kb/data/actors.yaml`, `demonyms.yaml`,
`metonyms.yaml`, packaged with sitrep) plus the country list of `sitrep.kb.countries`,
and optionally extra YAML files of the same shape written by users. Everything is
precomputed into dicts keyed by `normalize()`d text; `resolve()` does dict lookups over
at most the O(n²) word n-grams of one short phrase and caches its answers.

Actor ids: "<CTRY>.<SECTOR>.<slug>" for table entries ("BLR.GOV.lukashenko",
"INT.IGO.nato"); the resolver also builds generic ids: "BLR" (the state), "BLR.GOV"
(its government), "BLR.MIL" (its armed forces), "BLR.GOV.mfa" (a ministry) … See the
comment at the top of actors.yaml for the sector codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from sitrep.kb.actor_match import (
    CODE_WORDS,
    FORMER,
    GENERIC_LABELS,
    SOURCE_TYPES,
    THE_NAMES,
    TITLE_ONLY,
    UPPER_ONLY,
    ActorMatch,
    with_match,
)
from sitrep.kb.actor_yaml import (
    KINDS,
    OUTLET_TYPES,
    SECTORS,
    Actor,
    Metonym,
    Term,
    read_tables,
)
from sitrep.kb.countries import (
    capital_index,
    countries,
    lookup_code,
    name_index,
    normalize,
    tokens,
)
from sitrep.kb.spelling import NEAR_SURNAME_MIN, one_edit, spelling_key
from sitrep.kb.titles import (
    BODIES,
    BODY_NAMES,
    CANONICAL_ROLES,
    LEADER_ROLE,
    MIL_ROLES,
    ROLES,
    body_id,
    canonical_role,
    split_title,
)

__all__ = [
    "KINDS",
    "OUTLET_TYPES",
    "SECTORS",
    "Actor",
    "ActorKB",
    "ActorMatch",
    "Term",
    "default_kb",
]


# ----------------------------------------------------------------------------- the KB


class ActorKB:
    """Actors, countries, demonyms and metonyms, with a fast `resolve()`."""

    def __init__(
        self,
        actors: Iterable[Actor],
        demonyms: Mapping[str, str],
        metonyms: Mapping[str, Metonym],
        *,
        cache_size: int = 65536,
    ) -> None:
        self._actors: dict[str, Actor] = {}
        for a in actors:
            self._actors[a.id] = a
        self._demonyms = dict(demonyms)
        self._metonyms = dict(metonyms)
        self._countries = name_index()
        self._capitals = capital_index()
        self._aliases: dict[str, str] = {}
        self._surnames: dict[str, list[str]] = {}
        # People by the spelling key of their names (kb/spelling.py): the last resort for a
        # PERSON spelt another way ("Zacharowa" for "Zakharova").
        self._spellings: dict[str, list[str]] = {}
        # People by the spelling key of their first name, with their surname's key: a full
        # name one letter off in the surname ("Wolodymyr Zelanski") is still the person.
        self._first_names: dict[str, list[tuple[str, str]]] = {}
        self._upper_only: set[str] = set()
        self._holders: dict[tuple[str, str], list[tuple[Term, str]]] = {}
        for a in self._actors.values():
            for alias in (a.name, *a.aliases):
                key = self._strip_the(normalize(alias))
                if not key:
                    continue
                if key in UPPER_ONLY and alias.replace(".", "").isupper():
                    self._upper_only.add(key)
                self._aliases.setdefault(key, a.id)
            if a.surname:
                key = normalize(a.surname)
                ids = self._surnames.setdefault(key, [])
                if a.id not in ids:
                    ids.append(a.id)
            if a.kind == "person":
                for spelt in {
                    spelling_key(normalize(n)) for n in (a.name, *a.aliases, a.surname or "")
                }:
                    if spelt and len(spelt) > 3 and a.id not in self._spellings.get(spelt, []):
                        self._spellings.setdefault(spelt, []).append(a.id)
                self._index_first_names(a)
        for a in self._actors.values():
            for t in a.terms:
                self._holders.setdefault(self._term_key(t), []).append((t, a.id))
        self._max_words = max((len(k.split()) for k in self._aliases), default=1) + 4
        self._cached = lru_cache(maxsize=cache_size)(self._resolve)

    # -- construction

    @classmethod
    def load(cls, extra_files: Iterable[str | Path] = ()) -> ActorKB:
        """Build the KB from the packaged YAML plus optional user YAML files.

        User files may hold any of the top-level keys `actors`, `demonyms`, `metonyms`.
        A user actor with the id of a packaged one replaces it; user aliases win.
        Raises KnowledgeBaseError (naming the file) on malformed entries.
        """
        return cls(*read_tables(extra_files))

    # -- inspection

    def __len__(self) -> int:
        return len(self._actors)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._actors

    def actor(self, actor_id: str) -> Actor | None:
        """The table entry with this id, or None."""
        return self._actors.get(actor_id)

    def actors(self) -> list[Actor]:
        """All table entries, in id order."""
        return [self._actors[k] for k in sorted(self._actors)]

    @property
    def alias_count(self) -> int:
        """Number of distinct normalised names that resolve to a table entry."""
        return len(self._aliases)

    def holders(self, role: str, org: str, on: dt.date) -> list[str]:
        """Ids of the actors holding `role` ("president") of `org` ("UKR") on `on`."""
        key = (org, canonical_role(role))
        return [aid for t, aid in self._holders.get(key, ()) if t.active(on)]

    def _term_key(self, term: Term) -> tuple[str, str]:
        """(org, canonical role) of an office as written in the YAML: "foreign ministry
        spokeswoman" of RUS is the spokesperson of RUS.GOV.mfa, "director of the fsb" the
        head of RUS.SPY.fsb, "defense secretary" the defence minister of the country."""
        role = canonical_role(term.role)
        if role in CANONICAL_ROLES:
            return term.org, role
        split = split_title(term.role)
        if split is not None:
            holder, roles = split
            org = self._holder_org(term.org, holder)
            if org is not None:
                return org, roles[0]
        return term.org, role

    def _holder_org(self, org: str, phrase: str) -> str | None:
        """The id a role belongs to: a body of the country `org` or a named organisation."""
        if len(org) == 3:
            found = body_id(org, phrase)
            if found is not None:
                return found
        state = self._state(phrase.split())
        if state is not None:
            return state[1]
        return None

    def explain(
        self, name: str, label: str | None = None, on: dt.date | None = None
    ) -> dict[str, Any] | None:
        """What `resolve()` makes of a name, with the table entry behind it (for
        `sitrep kb show`): match fields, and the entry's aliases, roles and source file."""
        m = self.resolve(name, label, on)
        if m is None:
            return None
        out: dict[str, Any] = {
            "name": name,
            "on": on.isoformat() if on else None,
            "actor_id": m.actor_id,
            "actor": m.name,
            "country": m.country,
            "sector": m.sector,
            "kind": m.kind,
            "match": m.match,
            "role": m.role,
            "source_type": m.source_type,
        }
        a = self._actors.get(m.actor_id)
        if a is not None:
            out["aliases"] = list(a.aliases)
            out["roles"] = [
                {
                    "role": t.role,
                    "org": self._term_key(t)[0],
                    "from": t.valid_from.isoformat() if t.valid_from else None,
                    "to": t.valid_to.isoformat() if t.valid_to else None,
                    "active": t.active(on) if on else None,
                }
                for t in a.terms
            ]
            out["file"] = a.source_file
        return out

    # -- resolution

    def forget_resolved(self) -> None:
        """Empty the cache of resolved names (a long-running process does after each
        batch: the cache is bounded, but a watch meets new names for as long as it runs)."""
        self._cached.cache_clear()

    def resolve(
        self, name: str, label: str | None = None, on: dt.date | None = None
    ) -> ActorMatch | None:
        """Resolve a mention (a named-entity span or a noun phrase) to an actor.

        `label` is the spaCy entity label if known (PERSON, ORG, GPE, NORP, …): a PERSON
        resolves only to people, a NORP demonym to a nationality without sector, a GPE
        country to the state as actor (sector GOV), a capital to its government.
        `on` (the article date) picks the office holder for role phrases ("the Ukrainian
        president") and among people sharing a surname. Unknown names give None.
        """
        if not name or len(name) > 300:
            return None
        return self._cached(name, label.upper() if label else None, on)

    @staticmethod
    def _strip_the(key: str) -> str:
        return key[4:] if key.startswith("the ") else key

    def _resolve(self, name: str, label: str | None, on: dt.date | None) -> ActorMatch | None:
        raw = name.strip().strip("\"'“”‘’«»()[]")
        code = lookup_code(raw) if raw not in CODE_WORDS else None
        if code is not None and label in (None, "GPE", "ORG", "NORP"):
            return self._country_match(code.alpha3, label, "code")
        toks = tokens(raw)
        while toks and toks[0].casefold() in ("the", "a", "an"):
            toks = toks[1:]
        if not toks:
            return None
        low = [t.casefold() for t in toks]
        n = len(low)
        if low[0] in FORMER and n > 1:
            on = None  # "the former defence minister" is not today's holder
        person_only = label == "PERSON"
        full = self._lookup(toks, low, 0, n, label, on, stage="full")
        if full is not None and (not person_only or full.kind == "person"):
            return full
        if label is not None and label not in GENERIC_LABELS and full is None:
            return None
        head, comma, _ = raw.partition(",")
        if comma and head.strip():
            # An apposition describes the head ("Hanna Liubakova, a fellow at …"):
            # the phrase is the head, whatever the description names.
            return self._cached(head, label, on)
        # Head noun last: the longest known name ending the phrase
        # ("Belarusian leader Alexander Lukashenko", "Russian ally Belarus").
        for start in range(1, n):
            m = self._lookup(toks, low, start, n, label, on, stage="suffix")
            if m is not None and (not person_only or m.kind == "person"):
                return m if m.match != "alias" else with_match(m, "partial")
        if person_only:
            return None
        # Anywhere, longest first: actor names and body patterns only.
        for size in range(min(n - 1, self._max_words), 0, -1):
            for start in range(n - size - 1, -1, -1):
                m = self._lookup(toks, low, start, start + size, label, on, stage="inner")
                if m is not None:
                    return with_match(m, "partial")
        return None

    def _lookup(
        self,
        toks: list[str],
        low: list[str],
        i: int,
        j: int,
        label: str | None,
        on: dt.date | None,
        *,
        stage: str,
    ) -> ActorMatch | None:
        key = " ".join(low[i:j])
        aid = self._aliases.get(key)
        if aid is not None and self._case_ok(key, toks[i:j]):
            return self._actor_match(aid, "alias")
        if stage != "inner":
            met = self._metonyms.get(key)
            if met is not None and label != "PERSON" and self._case_ok(key, toks[i:j]):
                return self._metonym_match(met, on)
            alpha3 = self._countries.get(key)
            if alpha3 is not None and self._case_ok(key, toks[i:j]):
                return self._country_match(alpha3, label, "country")
            alpha3 = self._demonyms.get(key)
            if alpha3 is not None and self._case_ok(key, toks[i:j]):
                return self._demonym_match(alpha3)
            alpha3 = self._capitals.get(key)
            if alpha3 is not None and label in (None, "GPE"):
                return self._generic(alpha3, "GOV", "", "capital")
        m = self._pattern(low[i:j], on)
        if m is not None:
            return m
        if stage != "inner" and label in (None, "PERSON"):
            ids = self._surnames.get(key)
            if ids:
                pick = self._pick_by_date(ids, on)
                if pick is not None:
                    return self._actor_match(pick, "surname")
        if stage == "full" and label == "PERSON":
            ids = self._spellings.get(spelling_key(key))
            pick = self._pick_by_date(ids, on) if ids else None
            if pick is not None:
                return self._actor_match(pick, "spelling")
            pick = self._near_spelling(low[i:j], on)
            if pick is not None:
                return self._actor_match(pick, "spelling")
        return None

    def _index_first_names(self, person: Actor) -> None:
        for full in (person.name, *person.aliases):
            words = spelling_key(normalize(full)).split()
            if len(words) == 2 and len(words[1]) >= NEAR_SURNAME_MIN:
                entry = (words[1], person.id)
                known = self._first_names.setdefault(words[0], [])
                if entry not in known:
                    known.append(entry)

    def _near_spelling(self, words: list[str], on: dt.date | None) -> str | None:
        """The one person whose first name is spelt the same and whose surname is one
        letter off ("Wolodymyr Zelanski", "Zelnski"): machine translation and typing slips
        the exact keys miss. Two candidates are no answer."""
        if len(words) != 2:
            return None
        first, surname = spelling_key(words[0]), spelling_key(words[1])
        if len(surname) < NEAR_SURNAME_MIN:
            return None
        ids = sorted(
            {aid for known, aid in self._first_names.get(first, []) if one_edit(known, surname)}
        )
        return self._pick_by_date(ids, on) if len(ids) == 1 else None

    def _case_ok(self, key: str, original: list[str]) -> bool:
        if key in self._upper_only or key in UPPER_ONLY:
            return all(t.isupper() for t in original)
        if key in TITLE_ONLY:
            return all(t[:1].isupper() for t in original)
        return True

    def _pick_by_date(self, ids: list[str], on: dt.date | None) -> str | None:
        if len(ids) == 1:
            return ids[0]
        if on is None:
            return None
        active = [a for a in ids if any(t.active(on) for t in self._actors[a].terms)]
        return active[0] if len(active) == 1 else None

    # -- patterns: "<country|demonym> <body|role>" and "<body|role> of <country>"

    def _state(self, words: list[str]) -> tuple[str, str] | None:
        """(kind, code) for a country/demonym ("country", "BLR") or an IGO ("org", id)."""
        if not words:
            return None
        key = " ".join(words)
        key = self._strip_the(key)
        code = self._countries.get(key) or self._demonyms.get(key)
        if code is not None:
            return ("country", code)
        aid = self._aliases.get(key)
        if aid is not None and self._actors[aid].kind == "organisation":
            return ("org", aid)
        met = self._metonyms.get(key)
        if met is not None:
            # "Kyiv's defence minister", "the Pentagon press secretary": titles only.
            if met.actor_id is not None:
                return ("metonym", met.actor_id)
            assert met.country is not None
            return (
                "metonym",
                met.country if met.sector == "GOV" else f"{met.country}.{met.sector}",
            )
        return None

    def _pattern(self, words: list[str], on: dt.date | None) -> ActorMatch | None:
        n = len(words)
        if n < 2:
            return None
        for want in ("country", "org", "metonym"):  # a country reading wins
            for k in range(min(n - 1, 6), 0, -1):
                state = self._state(words[:k])
                if state is not None and state[0] == want:
                    m = self._apply(state, " ".join(words[k:]), on)
                    if m is not None:
                        return m
            for k in range(1, n - 1):
                if words[k] != "of":
                    continue
                state = self._state(words[k + 1 :])
                if state is not None and state[0] == want:
                    m = self._apply(state, self._strip_the(" ".join(words[:k])), on)
                    if m is not None:
                        return m
        return None

    def _apply(self, state: tuple[str, str], tail: str, on: dt.date | None) -> ActorMatch | None:
        kind, code = state
        if kind == "metonym":
            if tail not in ROLES and split_title(tail) is None:
                return None  # "Kyiv authorities" may be the city's: bodies need a country
            if len(code) == 3:
                return self._apply(("country", code), tail, on)
            return self._apply(("org", code), tail, on) if code in self._actors else None
        roles = ROLES.get(tail)
        if kind == "org":
            if roles is None:
                return self._actor_match(code, "pattern") if tail in BODIES else None
            if roles == ("leader",):
                roles = ("leader", "head", "secretary general", "president")
            found = self._holder_match(code, roles, on)
            return found or self._actor_match(code, "pattern")
        if roles is not None:
            if roles == ("leader",):
                roles = (LEADER_ROLE.get(code, "president"), "president", "prime minister")
            found = self._holder_match(code, roles, on)
            if found is not None:
                return found
            sector = "MIL" if set(roles) <= MIL_ROLES else "GOV"
            return self._generic(code, sector, "", "role", role=roles[0])
        body = BODIES.get(tail)
        if body is not None:
            return self._generic(code, body[0], body[1], "pattern")
        split = split_title(tail)
        if split is None:
            return None
        # "foreign ministry spokesman", "SBU chief": a role of one of the country's bodies.
        holder, roles = split
        org = self._holder_org(code, holder)
        if org is None or org == code:
            return None
        found = self._holder_match(org, roles, on)
        if found is not None:
            return found
        body = BODIES.get(holder)
        if body is not None:
            return self._generic(code, body[0], body[1], "role", role=roles[0])
        return self._actor_match(org, "pattern", role=roles[0]) if org in self._actors else None

    def _holder_match(
        self, org: str, roles: tuple[str, ...], on: dt.date | None
    ) -> ActorMatch | None:
        """The one actor holding the first of `roles` that has a single holder on `on`."""
        if on is None:
            return None
        for r in roles:
            ids = self.holders(r, org, on)
            if len(ids) == 1:
                return self._actor_match(ids[0], "role", role=r)
        return None

    # -- building matches

    def _actor_match(self, actor_id: str, how: str, role: str | None = None) -> ActorMatch:
        a = self._actors[actor_id]
        source_type: str | None
        if a.sector == "MED":
            source_type = "state_media" if a.state_media else (a.outlet_type or "outlet")
        else:
            source_type = SOURCE_TYPES.get(a.sector)
        return ActorMatch(
            actor_id=a.id,
            name=a.name,
            country=a.country,
            sector=a.sector,
            kind=a.kind,
            state_media=a.state_media if a.sector == "MED" else None,
            source_type=source_type,
            match=how,
            role=role,
        )

    def _country_match(self, alpha3: str, label: str | None, how: str) -> ActorMatch:
        c = countries()[alpha3]
        sector = None if label in ("NORP", "LOC") else "GOV"
        return ActorMatch(
            actor_id=alpha3,
            name=c.name,
            country=alpha3,
            sector=sector,
            kind="country",
            source_type="government" if sector else None,
            match=how,
        )

    def _demonym_match(self, alpha3: str) -> ActorMatch:
        return ActorMatch(
            actor_id=alpha3,
            name=countries()[alpha3].name,
            country=alpha3,
            sector=None,
            kind="group",
            match="demonym",
        )

    def _metonym_match(self, met: Metonym, on: dt.date | None) -> ActorMatch:
        if met.actor_id is not None:
            return self._actor_match(met.actor_id, "metonym")
        assert met.country is not None and met.sector is not None
        if met.role is not None:
            # "the Pope": the holder on the article's day, else the office's body.
            holder = self._holder_match(met.country, (met.role,), on)
            if holder is not None:
                return holder
        return self._generic(met.country, met.sector, "", "metonym")

    def _generic(
        self, alpha3: str, sector: str, suffix: str, how: str, role: str | None = None
    ) -> ActorMatch:
        sub = f"{sector}.{suffix}" if suffix else sector
        actor_id = f"{alpha3}.{sub}"
        if actor_id in self._actors:
            m = self._actor_match(actor_id, how, role)
            return m
        template = BODY_NAMES.get(sub, "{c} " + sub)
        cname = countries()[alpha3].name
        if cname in THE_NAMES and template.startswith(("Gov", "Min", "Arm", "Peo", "Nav")):
            cname = "the " + cname
        return ActorMatch(
            actor_id=actor_id,
            name=template.format(c=cname),
            country=alpha3,
            sector=sector,
            kind="organisation" if sector != "CVL" else "group",
            source_type=SOURCE_TYPES.get(sector),
            match=how,
            role=role,
        )


def state_media_names(kb: ActorKB) -> frozenset[str]:
    """Every name and alias of the outlets the KB marks as state media (owned and
    editorially controlled by a state): what corroboration flags as state-media-only."""
    names: set[str] = set()
    for actor in kb.actors():
        if actor.kind == "outlet" and actor.state_media:
            names.update([actor.name, *actor.aliases])
    return frozenset(names)


@cache
def default_kb() -> ActorKB:
    """The packaged KB, loaded once per process."""
    return ActorKB.load()
