"""Titles resolve to the office holder on the article's date; user YAML wins over the KB."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sitrep.cli import EXIT_OK, main
from sitrep.kb.actors import ActorKB, default_kb
from sitrep.kb.titles import canonical_role, split_title


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return default_kb()


D = dt.date


@pytest.mark.parametrize(
    ("title", "on", "actor_id"),
    [
        ("the Belarusian leader", D(2023, 6, 1), "BLR.GOV.lukashenko"),
        ("Belarusian leader", D(2025, 6, 1), "BLR.GOV.lukashenko"),
        ("Russia's defence minister", D(2023, 6, 1), "RUS.GOV.shoigu"),
        ("Russia's defence minister", D(2025, 6, 1), "RUS.GOV.belousov"),
        ("the Russian defense minister", D(2024, 5, 20), "RUS.GOV.belousov"),
        ("Ukraine's foreign ministry spokesman", D(2023, 6, 1), "UKR.GOV.nikolenko"),
        ("the Ukrainian foreign ministry spokesman", D(2024, 6, 1), "UKR.GOV.tykhyi"),
        ("Ukraine's defence minister", D(2023, 3, 1), "UKR.GOV.reznikov"),
        ("Ukraine's defence minister", D(2024, 3, 1), "UKR.GOV.umerov"),
        ("the US secretary of state", D(2023, 6, 1), "USA.GOV.blinken"),
        ("the US secretary of state", D(2025, 6, 1), "USA.GOV.rubio"),
        ("the Kremlin spokesman", D(2023, 6, 1), "RUS.GOV.peskov"),
        ("Kremlin spokesperson", D(2025, 6, 1), "RUS.GOV.peskov"),
        ("Russian foreign ministry spokeswoman", D(2023, 6, 1), "RUS.GOV.zakharova"),
        ("the Russian defence ministry spokesman", D(2023, 6, 1), "RUS.MIL.konashenkov"),
        ("the British prime minister", D(2023, 6, 1), "GBR.GOV.sunak"),
        ("Britain's prime minister", D(2025, 6, 1), "GBR.GOV.starmer"),
        ("the State Department spokesman", D(2023, 6, 1), "USA.GOV.miller"),
        ("White House press secretary", D(2025, 6, 1), "USA.GOV.leavitt"),
        ("the head of the SBU", D(2023, 6, 1), "UKR.SPY.maliuk"),
        ("the Hezbollah leader", D(2023, 1, 1), "LBN.REB.nasrallah"),
        ("Hezbollah chief", D(2025, 1, 1), "LBN.REB.qassem"),
        ("the Houthi leader", D(2024, 1, 1), "YEM.REB.abdul_malik_al_houthi"),
        ("Saudi crown prince", D(2023, 6, 1), "SAU.GOV.mbs"),
        ("Pakistan's army chief", D(2023, 6, 1), "PAK.MIL.munir"),
        ("India's external affairs minister", D(2023, 6, 1), "IND.GOV.jaishankar"),
        ("Ukraine's chief of general staff", D(2025, 5, 1), "UKR.MIL.hnatov"),
        ("Israel's army chief", D(2024, 1, 1), "ISR.MIL.halevi"),
        ("Japan's prime minister", D(2024, 1, 1), "JPN.GOV.kishida"),
        ("the Taiwanese president", D(2023, 6, 1), "TWN.GOV.tsai"),
        ("the Taiwanese president", D(2024, 6, 1), "TWN.GOV.lai"),
        ("the NATO secretary general", D(2025, 6, 1), "NLD.GOV.rutte"),
    ],
)
def test_title_resolves_to_holder_on_date(kb: ActorKB, title: str, on: D, actor_id: str) -> None:
    m = kb.resolve(title, None, on)
    assert m is not None and m.actor_id == actor_id, (title, on, m)
    assert m.match == "role" and m.kind == "person"


def test_title_without_single_holder_falls_back_to_the_body(kb: ActorKB) -> None:
    # China's foreign ministry has several spokespeople at once: the ministry speaks.
    m = kb.resolve("the Chinese foreign ministry spokesperson", None, D(2023, 6, 1))
    assert m is not None and (m.actor_id, m.role) == ("CHN.GOV.mfa", "spokesperson")
    # Before anyone in the table held the office: the office's body, not a wrong person.
    m = kb.resolve("Ukraine's foreign ministry spokesman", None, D(2019, 1, 1))
    assert m is not None and m.actor_id == "UKR.GOV.mfa"
    # Without a date no holder is picked.
    m = kb.resolve("Russia's defence minister", None, None)
    assert m is not None and m.actor_id == "RUS.GOV" and m.role == "defence minister"


def test_former_holders_and_metonyms_in_titles(kb: ActorKB) -> None:
    on = D(2023, 6, 1)
    # "former" never picks today's holder; a full name still resolves.
    m = kb.resolve("the former Russian defence minister", None, on)
    assert m is not None and m.actor_id == "RUS.GOV"
    m = kb.resolve("former defence minister Sergei Shoigu", None, on)
    assert m is not None and m.actor_id == "RUS.GOV.shoigu"
    # A capital or seat of government standing for the state carries titles …
    m = kb.resolve("Kyiv's defence minister", None, on)
    assert m is not None and m.actor_id == "UKR.GOV.reznikov"
    # … but not bodies: "Moscow authorities" may be the city's.
    assert kb.resolve("Moscow authorities", None, on) is None


def test_role_changes_move_the_title(kb: ActorKB) -> None:
    day_before, day_after = D(2024, 5, 11), D(2024, 5, 15)
    assert kb.holders("defence minister", "RUS", day_before) == ["RUS.GOV.shoigu"]
    assert kb.holders("defence minister", "RUS", day_after) == ["RUS.GOV.belousov"]
    # The same person holds different offices over time.
    assert kb.holders("defense secretary", "UKR", D(2025, 8, 1)) == ["UKR.GOV.shmyhal"]
    assert kb.holders("prime minister", "UKR", D(2025, 1, 1)) == ["UKR.GOV.shmyhal"]


def test_state_media_and_services_carry_sector_and_source_type(kb: ActorKB) -> None:
    expected = {
        "TASS": ("RUS.MED.tass", "state_media"),
        "BelTA": ("BLR.MED.belta", "state_media"),
        "Xinhua": ("CHN.MED.xinhua", "state_media"),
        "SANA": ("SYR.MED.sana", "state_media"),
        "Reuters": ("GBR.MED.reuters", "agency"),
        "Yonhap": ("KOR.MED.yonhap", "agency"),
        "SBU": ("UKR.SPY.sbu", "intelligence"),
        "Mossad": ("ISR.SPY.mossad", "intelligence"),
        "Ukraine's armed forces": ("UKR.MIL", "military"),
        "Korean People's Army": ("PRK.MIL", "military"),
    }
    for name, (actor_id, source_type) in expected.items():
        m = kb.resolve(name, None, D(2024, 1, 1))
        assert m is not None and (m.actor_id, m.source_type) == (actor_id, source_type), name


def test_acronyms_that_are_words_need_capitals(kb: ActorKB) -> None:
    assert kb.resolve("SPA", "ORG") is not None
    assert kb.resolve("spa", None) is None


def test_split_title_and_canonical_role() -> None:
    assert split_title("foreign ministry spokesman") == ("foreign ministry", ("spokesperson",))
    holder, roles = split_title("head of the SBU") or ("", ())
    assert holder == "sbu" and roles[0] == "head"
    assert split_title("prime minister") is None
    assert canonical_role("Defense Secretary") == "defence minister"
    assert canonical_role("spokeswoman") == "spokesperson"


# ----------------------------------------------------------------------------- user YAML

_USER_YAML = """\
actors:
  # Replaces the built-in entry: Peskov's term ends in this user's world.
  - {id: RUS.GOV.peskov, name: Dmitry Peskov, country: RUS, sector: GOV, kind: person,
     role: kremlin spokesman, valid_from: 2012-05-22, valid_to: 2030-01-01}
  - {id: RUS.GOV.fictiv, name: Ivan Fictiv, country: RUS, sector: GOV, kind: person,
     role: kremlin spokesman, valid_from: 2030-01-01}
  - {id: BLR.NGO.watch, name: Polesie Watch, aliases: [TASS], country: BLR, sector: NGO,
     kind: organisation}
"""


def test_user_yaml_overrides_the_built_in_kb(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(_USER_YAML, encoding="utf-8")
    kb = ActorKB.load(extra_files=[path])
    m = kb.resolve("the Kremlin spokesman", None, D(2031, 1, 1))
    assert m is not None and m.actor_id == "RUS.GOV.fictiv"
    m = kb.resolve("the Kremlin spokesman", None, D(2025, 1, 1))
    assert m is not None and m.actor_id == "RUS.GOV.peskov"
    m = kb.resolve("TASS", "ORG")  # a user alias wins over the built-in one
    assert m is not None and m.actor_id == "BLR.NGO.watch"
    assert default_kb().resolve("TASS", "ORG").actor_id == "RUS.MED.tass"  # type: ignore[union-attr]


def test_user_yaml_setting_reaches_extraction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """End to end: extract.actor_files changes who a title in an article resolves to."""
    path = tmp_path / "mine.yaml"
    path.write_text(_USER_YAML, encoding="utf-8")
    article = {
        "id": "kb-title-1",
        "title": "Talks over",
        "outlet": "Example Wire",
        "published": "2031-03-01",
        "text": "MOSCOW - The Kremlin spokesman said on Tuesday that the talks were over.",
    }
    inputs = tmp_path / "a.jsonl"
    inputs.write_text(json.dumps(article) + "\n", encoding="utf-8")
    setting = f"extract.actor_files={path}"
    assert main(["--set", setting, "extract", str(inputs)]) == EXIT_OK
    quotes = json.loads(capsys.readouterr().out)["quotes"]
    assert quotes and quotes[0]["speaker"]["actor_id"] == "RUS.GOV.fictiv"
    assert main(["extract", str(inputs)]) == EXIT_OK
    quotes = json.loads(capsys.readouterr().out)["quotes"]
    assert quotes and quotes[0]["speaker"]["actor_id"] == "RUS.GOV.peskov"


def test_the_documented_user_yaml_example_works(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "ontology.md").read_text()
    example = doc.split("# my_actors.yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "my_actors.yaml"
    path.write_text(example, encoding="utf-8")
    kb = ActorKB.load(extra_files=[path])
    m = kb.resolve("the Khortytsia group spokesman", None, D(2024, 6, 1))
    assert m is not None and m.actor_id == "UKR.MIL.voloshyn"
    m = kb.resolve("Drazdy", "GPE")
    assert m is not None and m.actor_id == "BLR.GOV"
