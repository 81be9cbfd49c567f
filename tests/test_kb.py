"""The actor knowledge base: countries, demonyms, metonyms, actors and `resolve()`."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from sitrep.errors import KnowledgeBaseError
from sitrep.kb.actors import SECTORS, ActorKB, default_kb
from sitrep.kb.countries import (
    capital_index,
    countries,
    lookup_code,
    lookup_country,
    normalize,
)

SEED_DAY = dt.date(2023, 2, 24)


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return default_kb()


# ----------------------------------------------------------------------------- countries


@pytest.mark.parametrize(
    ("name", "alpha3"),
    [
        ("Belarus", "BLR"),
        ("Russian Federation", "RUS"),
        ("the U.S.", "USA"),
        ("America", "USA"),
        ("Britain", "GBR"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Czech Republic", "CZE"),
        ("North Korea", "PRK"),
        ("South Korea", "KOR"),
        ("Moldova", "MDA"),
        ("West Bank", "PSE"),
        ("Kosovo", "XKX"),
        ("Ivory Coast", "CIV"),
        ("DR Congo", "COD"),
        ("Iran, Islamic Republic of", "IRN"),
    ],
)
def test_country_variants(name: str, alpha3: str) -> None:
    c = lookup_country(name)
    assert c is not None and c.alpha3 == alpha3


def test_country_records_and_capitals() -> None:
    blr = countries()["BLR"]
    assert (blr.name, blr.capital, blr.geonameid) == ("Belarus", "Minsk", 630336)
    assert countries()["RUS"].name == "Russia"
    assert "ANT" not in countries()  # defunct Netherlands Antilles
    caps = capital_index()
    assert caps["kyiv"] == caps["kiev"] == "UKR"
    assert lookup_country("Korea") is None  # ambiguous
    assert lookup_code("BLR") is not None and lookup_code("blr") is None


def test_normalize() -> None:
    assert normalize("Ukraine’s Ministry of Defense") == "ukraine ministry of defense"
    assert normalize("U.S.") == "us"
    assert normalize("Erdoğan") == "erdogan"
    assert normalize("Błaszczak") == "blaszczak"
    assert normalize("Commander-in-Chief") == "commander in chief"


# ----------------------------------------------------------------------------- seed actors


@pytest.mark.parametrize(
    ("name", "label", "actor_id", "country", "sector"),
    [
        ("Belarus", "GPE", "BLR", "BLR", "GOV"),
        ("Russia", "GPE", "RUS", "RUS", "GOV"),
        ("Ukraine", "GPE", "UKR", "UKR", "GOV"),
        ("Lukashenko", "PERSON", "BLR.GOV.lukashenko", "BLR", "GOV"),
        ("Lukashenka", "PERSON", "BLR.GOV.lukashenko", "BLR", "GOV"),
        ("Alexander Lukashenko", "PERSON", "BLR.GOV.lukashenko", "BLR", "GOV"),
        ("Belarusian President Alexander Lukashenko", None, "BLR.GOV.lukashenko", "BLR", "GOV"),
        ("Belarusian leader Alexander Lukashenko", "PERSON", "BLR.GOV.lukashenko", "BLR", "GOV"),
        ("Lukashenko’s", None, "BLR.GOV.lukashenko", "BLR", "GOV"),
        ("Putin", "PERSON", "RUS.GOV.putin", "RUS", "GOV"),
        ("President Vladimir Putin", None, "RUS.GOV.putin", "RUS", "GOV"),
        ("Zelensky", "PERSON", "UKR.GOV.zelensky", "UKR", "GOV"),
        ("Zelenskyy", "PERSON", "UKR.GOV.zelensky", "UKR", "GOV"),
        ("Zelenskyi", "PERSON", "UKR.GOV.zelensky", "UKR", "GOV"),
        ("Zelenskiy", None, "UKR.GOV.zelensky", "UKR", "GOV"),
        ("Ukrainian President Volodymyr Zelenskyy", None, "UKR.GOV.zelensky", "UKR", "GOV"),
        (
            "the Ministry of Defense of the Republic of Belarus",
            "ORG",
            "BLR.GOV.mod",
            "BLR",
            "GOV",
        ),
        (
            "Main Directorate of Intelligence of the Ministry of Defense of Ukraine",
            "ORG",
            "UKR.SPY.hur",
            "UKR",
            "SPY",
        ),
        ("the Defence Intelligence of Ukraine", "ORG", "UKR.SPY.hur", "UKR", "SPY"),
        ("Military Intelligence of Ukraine", "ORG", "UKR.SPY.hur", "UKR", "SPY"),
        ("The Kremlin", "ORG", "RUS.GOV.kremlin", "RUS", "GOV"),
        ("Kremlin", "GPE", "RUS.GOV.kremlin", "RUS", "GOV"),
        ("Minsk", "GPE", "BLR.GOV", "BLR", "GOV"),
        ("Moscow", "GPE", "RUS.GOV", "RUS", "GOV"),
        ("Kyiv", "GPE", "UKR.GOV", "UKR", "GOV"),
        ("Foreign Ministry spokesman Oleh Nikolenko", None, "UKR.GOV.nikolenko", "UKR", "GOV"),
        (
            "Russian Ground Forces Commander-in-Chief Army General Oleg Salyukov",
            None,
            "RUS.MIL.salyukov",
            "RUS",
            "MIL",
        ),
        ("the Atlantic Council", "ORG", "USA.NGO.atlantic_council", "USA", "NGO"),
        ("Belarusian troops", None, "BLR.MIL", "BLR", "MIL"),
        ("the Belarusian army", None, "BLR.MIL", "BLR", "MIL"),
        ("the Belarusian military", None, "BLR.MIL", "BLR", "MIL"),
        ("Ukrainian forces", None, "UKR.MIL", "UKR", "MIL"),
        ("Russian troops", None, "RUS.MIL", "RUS", "MIL"),
        ("Russian forces", None, "RUS.MIL", "RUS", "MIL"),
        ("the Belarusian Defense Ministry", "ORG", "BLR.GOV.mod", "BLR", "GOV"),
        ("Ukraine’s Ministry of Defense", "ORG", "UKR.GOV.mod", "UKR", "GOV"),
        ("Ukraine's foreign ministry", None, "UKR.GOV.mfa", "UKR", "GOV"),
        ("the Ukrainian Foreign Ministry", "ORG", "UKR.GOV.mfa", "UKR", "GOV"),
        ("Ministry of Foreign Affairs of Ukraine", "ORG", "UKR.GOV.mfa", "UKR", "GOV"),
        ("Russia’s foreign ministry", None, "RUS.GOV.mfa", "RUS", "GOV"),
        ("Russian ally Belarus", None, "BLR", "BLR", "GOV"),
        ("Andrii Cherniak", "PERSON", "UKR.SPY.cherniak", "UKR", "SPY"),
    ],
)
def test_seed_actors(
    kb: ActorKB, name: str, label: str | None, actor_id: str, country: str, sector: str
) -> None:
    m = kb.resolve(name, label, SEED_DAY)
    assert m is not None, name
    assert (m.actor_id, m.country, m.sector) == (actor_id, country, sector)


@pytest.mark.parametrize(
    ("name", "actor_id", "country", "state_media", "source_type"),
    [
        ("BelTA", "BLR.MED.belta", "BLR", True, "state_media"),
        ("Belta", "BLR.MED.belta", "BLR", True, "state_media"),
        ("TASS", "RUS.MED.tass", "RUS", True, "state_media"),
        ("RIA Novosti", "RUS.MED.ria", "RUS", True, "state_media"),
        ("Newsweek", "USA.MED.newsweek", "USA", False, "outlet"),
        ("Ukrainska Pravda", "UKR.MED.ukrainska_pravda", "UKR", False, "outlet"),
        ("ITV News", "GBR.MED.itv_news", "GBR", False, "broadcaster"),
        ("Reuters", "GBR.MED.reuters", "GBR", False, "agency"),
        ("the Daily Beast", "USA.MED.daily_beast", "USA", False, "outlet"),
        ("Interfax", "RUS.MED.interfax", "RUS", False, "agency"),
        ("Telegram", "INT.MED.telegram", None, False, "social"),
    ],
)
def test_outlets(
    kb: ActorKB,
    name: str,
    actor_id: str,
    country: str | None,
    state_media: bool,
    source_type: str,
) -> None:
    m = kb.resolve(name, "ORG")
    assert m is not None
    assert (m.actor_id, m.country, m.sector, m.kind) == (actor_id, country, "MED", "outlet")
    assert (m.state_media, m.source_type) == (state_media, source_type)


# ----------------------------------------------------------------------------- other rules


def test_demonyms_are_nationalities_without_sector(kb: ActorKB) -> None:
    for name in ("Belarusian", "Belarussian", "the Belarusians", "Ukrainians"):
        m = kb.resolve(name, "NORP")
        assert m is not None and m.sector is None and m.kind == "group", name
    m = kb.resolve("the Belarusian people", None)
    assert m is not None and (m.actor_id, m.sector) == ("BLR.CVL", "CVL")


def test_generic_ministries_and_forces_without_yaml_entry(kb: ActorKB) -> None:
    m = kb.resolve("Lithuanian Defence Ministry", "ORG")
    assert m is not None and (m.actor_id, m.sector, m.match) == ("LTU.GOV.mod", "GOV", "pattern")
    m = kb.resolve("the Ministry of Foreign Affairs of Latvia", "ORG")
    assert m is not None and m.actor_id == "LVA.GOV.mfa"
    m = kb.resolve("Polish troops", None)
    assert m is not None and (m.actor_id, m.sector) == ("POL.MIL", "MIL")
    m = kb.resolve("Moldovan authorities", None)
    assert m is not None and (m.actor_id, m.sector) == ("MDA.GOV", "GOV")


def test_roles_pick_office_holder_by_date(kb: ActorKB) -> None:
    m = kb.resolve("the Ukrainian president", None, SEED_DAY)
    assert m is not None and m.actor_id == "UKR.GOV.zelensky" and m.match == "role"
    m = kb.resolve("the President of Ukraine", None, dt.date(2018, 1, 1))
    assert m is not None and m.actor_id == "UKR.GOV.poroshenko"
    assert kb.resolve("the US president", None, dt.date(2023, 1, 1)).actor_id == "USA.GOV.biden"  # type: ignore[union-attr]
    assert kb.resolve("the US president", None, dt.date(2025, 3, 1)).actor_id == "USA.GOV.trump"  # type: ignore[union-attr]
    assert kb.resolve("the US president", None, dt.date(2018, 3, 1)).actor_id == "USA.GOV.trump"  # type: ignore[union-attr]
    m = kb.resolve("the Russian defence minister", None, dt.date(2024, 6, 1))
    assert m is not None and m.actor_id == "RUS.GOV.belousov"
    m = kb.resolve("NATO chief", None, dt.date(2025, 1, 1))
    assert m is not None and m.actor_id == "NLD.GOV.rutte"
    # Without a date a role phrase still gives the government.
    m = kb.resolve("the Ukrainian president", None)
    assert m is not None and (m.actor_id, m.sector, m.match) == ("UKR.GOV", "GOV", "role")


def test_a_metonym_with_a_role_is_the_office_holder_of_the_day(kb: ActorKB) -> None:
    m = kb.resolve("the Pope", None, dt.date(2022, 7, 1))
    assert m is not None and (m.actor_id, m.country) == ("VAT.GOV.francis", "VAT")
    m = kb.resolve("the Pope", None, dt.date(2025, 6, 1))
    assert m is not None and m.actor_id == "VAT.GOV.leo_xiv"
    m = kb.resolve("the Pope", None)  # no date: the Holy See itself
    assert m is not None and (m.actor_id, m.country) == ("VAT.GOV", "VAT")


def test_surname_shared_by_two_people_needs_a_date(kb: ActorKB) -> None:
    assert kb.resolve("Wang", "PERSON") is None
    assert kb.resolve("Li", "PERSON") is None


def test_label_filters(kb: ActorKB) -> None:
    assert kb.resolve("Washington", "PERSON") is None
    # An unknown person named with a place is not the place's government …
    assert kb.resolve("Moscow Mayor Ivan Vetrogonov", "PERSON") is None
    # … and a known one is the person.
    m = kb.resolve("Moscow Mayor Sergei Sobyanin", "PERSON")
    assert m is not None and m.actor_id == "RUS.GOV.sobyanin"
    assert kb.resolve("Sea of Azov", "LOC") is None
    m = kb.resolve("Ottawa", "GPE")  # any capital stands for its government
    assert m is not None and (m.actor_id, m.match) == ("CAN.GOV", "capital")


def test_common_words_do_not_match(kb: ActorKB) -> None:
    for name in ("us", "and", "AND", "it", "Hanna Liubakova", "", "several vehicles"):
        assert kb.resolve(name, None) is None, name
    apposition = "Hanna Liubakova, a nonresident fellow at the Atlantic Council in Washington"
    assert kb.resolve(apposition, None) is None
    m = kb.resolve("Oleh Nikolenko, the ministry's spokesman", None)
    assert m is not None and m.actor_id == "UKR.GOV.nikolenko"
    m = kb.resolve("US", "GPE")
    assert m is not None and m.actor_id == "USA"


def test_intelligence_services_and_igos(kb: ActorKB) -> None:
    expected = {
        "FSB": "RUS.SPY.fsb",
        "GRU": "RUS.SPY.gru",
        "SBU": "UKR.SPY.sbu",
        "HUR": "UKR.SPY.hur",
        "Belarusian KGB": "BLR.SPY.kgb",
        "CIA": "USA.SPY.cia",
        "MI6": "GBR.SPY.mi6",
        "NATO": "INT.IGO.nato",
        "the UN": "INT.IGO.un",
        "the European Union": "INT.IGO.eu",
        "OSCE": "INT.IGO.osce",
        "IAEA": "INT.IGO.iaea",
        "Collective Security Treaty Organization": "INT.IGO.csto",
        "ICC": "INT.JUD.icc",
        "Wagner Group": "RUS.MIL.wagner",
    }
    for name, actor_id in expected.items():
        m = kb.resolve(name, "ORG")
        assert m is not None and m.actor_id == actor_id, name
    assert kb.resolve("NATO", "ORG").country is None  # type: ignore[union-attr]


def test_table_is_well_formed(kb: ActorKB) -> None:
    assert len(kb) >= 300 and kb.alias_count >= 800
    for a in kb.actors():
        assert a.sector in SECTORS
        assert a.id.split(".")[0] == (a.country or "INT")
        if a.sector == "MED" and a.kind != "person":  # outlets; journalists are people
            assert a.state_media is not None and a.outlet_type is not None, a.id
    biden = kb.actor("USA.GOV.biden")
    assert biden is not None and any(t.role == "president" for t in biden.terms)
    assert kb.holders("president", "USA", dt.date(2021, 1, 19)) == ["USA.GOV.trump"]
    assert kb.holders("president", "USA", dt.date(2021, 1, 20)) == ["USA.GOV.biden"]


def test_resolve_is_fast(kb: ActorKB) -> None:
    phrases = [f"Russian Ground Forces Commander General Number {i}" for i in range(200)]
    start = time.perf_counter()
    for p in phrases:
        kb.resolve(p, None, SEED_DAY)
    per_call = (time.perf_counter() - start) / len(phrases)
    assert per_call < 0.005


# ----------------------------------------------------------------------------- user files


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "extra.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_file_extends_kb(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "actors:\n"
        "  - {id: BLR.NGO.example, name: Example Watch, aliases: [ExWatch],"
        " country: BLR, sector: NGO, kind: organisation}\n"
        "metonyms:\n"
        "  - {names: [Drazdy], country: BLR, sector: GOV}\n"
        "  - {names: [Belarusian strongman], country: BLR, sector: GOV, role: president}\n",
    )
    kb = ActorKB.load(extra_files=[path])
    m = kb.resolve("the Belarusian strongman", None, dt.date(2023, 1, 1))
    assert m is not None and m.actor_id == "BLR.GOV.lukashenko"
    m = kb.resolve("ExWatch", "ORG")
    assert m is not None and (m.actor_id, m.sector) == ("BLR.NGO.example", "NGO")
    m = kb.resolve("Drazdy", "GPE")
    assert m is not None and m.actor_id == "BLR.GOV"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{name: No Id, country: BLR, sector: GOV}", "missing id"),
        ("{id: BLR.GOV.x, country: BLR, sector: GOV}", "missing name"),
        ("{id: XXQ.GOV.x, name: X, country: XXQ, sector: GOV}", "unknown country"),
        ("{id: BLR.GOV.x, name: X, country: BLR, sector: ZZZ}", "unknown sector"),
        ("{id: BLR.GOV.x, name: X, country: BLR, sector: GOV, valid_from: soon}", "ISO date"),
        ("{id: BLR.GOV.x, name: A, B, country: BLR, sector: GOV}", "unknown keys"),
    ],
)
def test_malformed_yaml_names_the_file(tmp_path: Path, entry: str, message: str) -> None:
    path = _write(tmp_path, f"actors:\n  - {entry}\n")
    with pytest.raises(KnowledgeBaseError) as err:
        ActorKB.load(extra_files=[path])
    assert "extra.yaml" in str(err.value) and message in str(err.value)
    assert err.value.code == "E005"


def test_unparseable_yaml(tmp_path: Path) -> None:
    path = _write(tmp_path, "actors: [\n  - {id: : :\n")
    with pytest.raises(KnowledgeBaseError, match="extra.yaml"):
        ActorKB.load(extra_files=[path])


def test_a_person_spelt_the_polish_way_resolves_to_the_kb_person() -> None:
    from sitrep.kb.actors import ActorKB
    from sitrep.kb.spelling import spelling_key

    assert spelling_key("maria zacharowa") == spelling_key("maria zakharova")
    assert spelling_key("wolodymyr zelenski") == spelling_key("volodymyr zelensky")
    kb = ActorKB.load()
    found = kb.resolve("Siergiej Ławrow", "PERSON")
    assert found is not None and (found.name, found.match) == ("Sergei Lavrov", "spelling")
    assert kb.resolve("Jan Kowalski", "PERSON") is None  # no one of that name in any spelling


def test_a_full_name_one_letter_off_in_the_surname_resolves_to_the_one_person() -> None:
    from sitrep.kb.actors import ActorKB
    from sitrep.kb.spelling import one_edit

    assert one_edit("zelenski", "zelanski") and one_edit("zelenski", "zelnski")
    assert not one_edit("zelenski", "zalanski")
    kb = ActorKB.load()
    for slip in ("Wołodymyr Zelanski", "Volodymyr Zelnski"):
        found = kb.resolve(slip, "PERSON")
        assert found is not None and found.name == "Volodymyr Zelensky", slip
    # Two letters off, another first name, or a surname too short to trust: no one.
    assert kb.resolve("Volodymyr Zalanski", "PERSON") is None
    assert kb.resolve("Oleksandr Zelanski", "PERSON") is None
    assert kb.resolve("Donald Trumb", "PERSON") is None


def test_the_russian_anti_war_candidates_resolve_in_polish_spelling() -> None:
    from sitrep.kb.actors import ActorKB

    kb = ActorKB.load()
    for spelt in ("Borys Nadieżdin", "Nadieżdin"):
        found = kb.resolve(spelt, "PERSON")
        assert found is not None and found.name == "Boris Nadezhdin", spelt
    found = kb.resolve("Ekaterina Duntsova", "PERSON")
    assert found is not None and found.name == "Yekaterina Duntsova"
