"""The people table (kb/data/actors_people.yaml): loads with the other tables without a
name standing for two actors, and resolves well-known people to the right country."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from sitrep.kb.actor_yaml import Actor, read_tables
from sitrep.kb.actors import ActorKB, default_kb
from sitrep.kb.countries import normalize
from sitrep.kb.titles import CANONICAL_ROLES

PEOPLE_FILE = "kb/data/actors_people.yaml"


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return default_kb()


def _alias_key(name: str) -> str:
    key = normalize(name)
    return key[4:] if key.startswith("the ") else key


def test_people_file_is_loaded_with_the_packaged_tables(kb: ActorKB) -> None:
    people = [a for a in kb.actors() if a.source_file == PEOPLE_FILE and a.kind == "person"]
    assert len(people) >= 250
    # Every person has a country, except officials of international bodies ("INT.").
    assert [a.id for a in people if a.country is None and not a.id.startswith("INT.")] == []
    assert kb.actor("USA.LEG.cruz") is not None


def test_no_name_stands_for_two_actors() -> None:
    """The resolver keeps the first actor of a name silently (`setdefault`): a name shared
    by two entries would make one of them unreachable, so the tables must not have any."""
    actors, _, _ = read_tables()
    owners: dict[str, set[str]] = defaultdict(set)
    for a in actors:
        for name in (a.name, *a.aliases):
            owners[_alias_key(name)].add(a.id)
    shared = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert shared == {}


def test_shared_surnames_are_told_apart_by_date() -> None:
    """A person of this file may share a surname with another entry only when their dated
    offices never overlap, so that the article date picks one of them."""
    actors, _, _ = read_tables()
    by_surname: dict[str, list[Actor]] = defaultdict(list)
    for a in actors:
        if a.surname:
            by_surname[normalize(a.surname)].append(a)
    days = [dt.date(y, m, 1) for y in range(2012, 2026) for m in (1, 4, 7, 10)]
    for surname, sharing in by_surname.items():
        if len(sharing) < 2 or all(a.source_file != PEOPLE_FILE for a in sharing):
            continue
        for day in days:
            active = [a.id for a in sharing if any(t.active(day) for t in a.terms)]
            assert len(active) <= 1, (surname, day, active)


def test_no_office_has_two_holders_from_this_file(kb: ActorKB) -> None:
    """An office the resolver fills by date ("the US secretary of state") never has two
    holders on one day because of an entry of this file."""
    from_this_file = {a.id for a in kb.actors() if a.source_file == PEOPLE_FILE}
    offices = {(t.org, t.role) for a in kb.actors() if a.id in from_this_file for t in a.terms}
    for day in (dt.date(y, m, 15) for y in range(2012, 2026) for m in range(1, 13, 2)):
        for org, role in offices:
            holders = kb.holders(role, org, day)
            if role in CANONICAL_ROLES and set(holders) & from_this_file and len(org) == 3:
                assert len(holders) == 1, (org, role, day, holders)


@pytest.mark.parametrize(
    ("name", "label", "country", "actor_id"),
    [
        ("Ted Cruz", "PERSON", "USA", "USA.LEG.cruz"),
        ("Sen. Ted Cruz", "PERSON", "USA", "USA.LEG.cruz"),
        ("Pope Francis", "PERSON", "VAT", "VAT.GOV.francis"),
        ("Benedict XVI", "PERSON", "VAT", "VAT.GOV.benedict_xvi"),
        ("Jarosław Kaczyński", "PERSON", "POL", "POL.POL.kaczynski"),
        ("Jaroslaw Kaczynski", None, "POL", "POL.POL.kaczynski"),
        ("Nancy Pelosi", "PERSON", "USA", "USA.LEG.pelosi"),
        ("Qasem Soleimani", "PERSON", "IRN", "IRN.MIL.soleimani"),
        ("Aleksandar Vucic", "PERSON", "SRB", "SRB.GOV.vucic"),
        ("Kofi Annan", "PERSON", None, "INT.IGO.annan"),
    ],
)
def test_people_resolve_to_their_country(
    kb: ActorKB, name: str, label: str | None, country: str | None, actor_id: str
) -> None:
    m = kb.resolve(name, label, dt.date(2019, 6, 1))
    assert m is not None and (m.actor_id, m.country, m.kind) == (actor_id, country, "person")


@pytest.mark.parametrize(
    ("surname", "day", "actor_id"),
    [
        ("Kaczynski", dt.date(2021, 3, 1), "POL.POL.kaczynski"),  # surname without diacritics
        ("Kaczyński", dt.date(2021, 3, 1), "POL.POL.kaczynski"),
        ("Cruz", dt.date(2016, 3, 1), "USA.LEG.cruz"),
        ("Francis", dt.date(2015, 9, 1), "VAT.GOV.francis"),
        ("Johnson", dt.date(2020, 3, 1), "GBR.GOV.johnson"),  # the UK prime minister then
        ("Johnson", dt.date(2024, 3, 1), "USA.LEG.mike_johnson"),  # the Speaker then
        ("Cheney", dt.date(2006, 3, 1), "USA.GOV.cheney"),
        ("Cheney", dt.date(2021, 3, 1), "USA.LEG.liz_cheney"),
    ],
)
def test_surname_alone_resolves_when_the_kb_allows_it(
    kb: ActorKB, surname: str, day: dt.date, actor_id: str
) -> None:
    m = kb.resolve(surname, "PERSON", day)
    assert m is not None and (m.actor_id, m.match) == (actor_id, "surname")


@pytest.mark.parametrize(
    "phrase",
    # surname: null entries, whose short form is a common word, a first name or a family
    # name shared by many: they resolve only by full name.
    ["power", "the store", "Rice", "Kim", "Park", "Patel", "Sessions", "Holder", "Younger"],
)
def test_surnames_that_are_common_words_do_not_resolve(kb: ActorKB, phrase: str) -> None:
    m = kb.resolve(phrase, None, dt.date(2016, 1, 1))
    assert m is None or m.kind != "person"


def test_dated_offices_pick_the_holder_of_the_day(kb: ActorKB) -> None:
    cases = [
        ("the US secretary of state", dt.date(2012, 3, 1), "USA.GOV.clinton"),
        ("the US defense secretary", dt.date(2014, 3, 1), "USA.GOV.hagel"),
        ("the national security adviser", dt.date(2018, 6, 1), None),  # no country: no pick
        ("the Italian prime minister", dt.date(2019, 1, 1), "ITA.GOV.conte"),
        ("the Polish president", dt.date(2013, 1, 1), "POL.GOV.komorowski"),
        ("the Iranian president", dt.date(2012, 1, 1), "IRN.GOV.ahmadinejad"),
    ]
    for phrase, day, actor_id in cases:
        m = kb.resolve(phrase, None, day)
        got = m.actor_id if m is not None and m.kind == "person" else None
        assert got == actor_id, phrase
