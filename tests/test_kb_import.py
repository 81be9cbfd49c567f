"""`sitrep kb import` (PETRARCH .actors → actor YAML) and `sitrep kb show`, end to end.

The dictionary below is synthetic, written for these tests in the PETRARCH format.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from sitrep.cli import EXIT_OK, EXIT_USAGE, main
from sitrep.errors import KnowledgeBaseError
from sitrep.kb.actors import ActorKB
from sitrep.kb.petrarch import cameo_code, parse_actors, to_yaml

ACTORS = """\
# synthetic dictionary for sitrep's tests
<!-- a one-line XML comment -->
<!-- a comment
     over two lines -->
FREEDONIA_  [UKR]
+FREEDONIAN_

IVAN_TESTEROV_  ; a made-up general who went into politics
+I._TESTEROV_ {TESTEROFF TESTEROW}
\t[RUSMIL 150101-221231]
\t[RUSGOV >230101]

ANNA_EXAMPLOVA_ [UKRELI]   # default code outside the dated range
    [UKRGOV <20210301]

NORTHERN_TEST_BRIGADE_ [UKRMIL]
+TEST_BRIGADE_NORTH_

UN_TEST_AGENCY_ [IGOUNO]
MYSTERY_GROUP_ [ZZZXYZ]
---STOP---
AFTER_THE_STOP_ [USAGOV]
"""


@pytest.fixture
def actors_file(tmp_path: Path) -> Path:
    path = tmp_path / "test.actors"
    path.write_text(ACTORS, encoding="utf-8")
    return path


def test_parse_reads_phrases_synonyms_and_date_restrictions() -> None:
    records = parse_actors(ACTORS, "test.actors")
    names = [r.phrase for r in records]
    assert names == [
        "Freedonia",
        "Ivan Testerov",
        "Anna Examplova",
        "Northern Test Brigade",
        "Un Test Agency",
        "Mystery Group",
    ]
    ivan = records[1]
    assert ivan.synonyms == ["I. Testerov", "Testeroff", "Testerow"]
    assert [(r.code, r.start, r.end) for r in ivan.restrictions] == [
        ("RUSMIL", dt.date(2015, 1, 1), dt.date(2022, 12, 31)),
        ("RUSGOV", dt.date(2023, 1, 1), None),
    ]
    anna = records[2]
    assert anna.default == "UKRELI"
    assert [(r.start, r.end) for r in anna.restrictions] == [(None, dt.date(2021, 3, 1))]


@pytest.mark.parametrize(
    ("code", "country", "sector"),
    [
        ("RUSGOV", "RUS", "GOV"),
        ("UKRMIL", "UKR", "MIL"),
        ("USAELI", "USA", "POL"),
        ("BLRSPY", "BLR", "SPY"),
        ("PSEREB", "PSE", "REB"),
        ("ROMGOV", "ROU", "GOV"),  # CAMEO's own code for Romania
        ("IGOUNO", None, "IGO"),
        ("UKR", "UKR", None),
        ("KURREB", None, "REB"),  # an ethnic group: no country
        ("MUSRAD", None, "POL"),  # CAMEO's MUS is "Muslim", not Mauritius
    ],
)
def test_cameo_codes_map_to_country_and_sector(
    code: str, country: str | None, sector: str | None
) -> None:
    c = cameo_code(code)
    assert c is not None and (c.country, c.sector) == (country, sector)


def test_unknown_codes_and_bad_dates() -> None:
    assert cameo_code("ZZZXYZ") is None
    assert cameo_code("MUS") is None
    with pytest.raises(KnowledgeBaseError, match="test.actors:2"):
        parse_actors("SOMEONE_\n\t[RUSGOV 2301-230101]\n", "test.actors")
    with pytest.raises(KnowledgeBaseError, match="before any actor"):
        parse_actors("+ORPHAN_SYNONYM_\n", "test.actors")


def test_conversion_builds_people_organisations_and_state_names() -> None:
    data, warnings = to_yaml(parse_actors(ACTORS, "t"), "t")
    by_id = {a["id"]: a for a in data["actors"]}
    assert set(by_id) == {
        "RUS.GOV.ivan_testerov",
        "UKR.POL.anna_examplova",
        "UKR.MIL.northern_test_brigade",
        "INT.IGO.un_test_agency",
    }
    ivan = by_id["RUS.GOV.ivan_testerov"]
    assert ivan["kind"] == "person"
    # PETRARCH ranges include their last day; sitrep's `to` is the first day after.
    assert ivan["roles"][0]["to"] == dt.date(2023, 1, 1)
    assert by_id["UKR.MIL.northern_test_brigade"]["kind"] == "organisation"
    assert data["metonyms"] == [
        {"names": ["Freedonia", "Freedonian"], "country": "UKR", "sector": "GOV"}
    ]
    assert len(warnings) == 1 and "Mystery Group" in warnings[0]


def test_import_round_trip_through_the_cli(actors_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "user_actors.yaml"
    assert main(["kb", "import", str(actors_file), "--format", "petrarch", "--out", str(out)]) == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["actors"]
    kb = ActorKB.load(extra_files=[out])
    m = kb.resolve("Testerow", "PERSON", dt.date(2024, 1, 1))
    assert m is not None and (m.actor_id, m.country, m.sector) == (
        "RUS.GOV.ivan_testerov",
        "RUS",
        "GOV",
    )
    m = kb.resolve("Test Brigade North", "ORG")
    assert m is not None and (m.actor_id, m.source_type) == (
        "UKR.MIL.northern_test_brigade",
        "military",
    )
    m = kb.resolve("Freedonia", "GPE")
    assert m is not None and m.actor_id == "UKR.GOV"
    # Dated roles pick the person among namesakes: a second Testerov, in office earlier.
    extra = tmp_path / "namesake.yaml"
    extra.write_text(
        "actors:\n  - {id: RUS.GOV.oleg_testerov, name: Oleg Testerov, country: RUS,"
        " sector: GOV, kind: person, role: governor, valid_from: 2001-01-01,"
        " valid_to: 2010-01-01}\n",
        encoding="utf-8",
    )
    kb = ActorKB.load(extra_files=[out, extra])
    assert kb.resolve("Testerov", "PERSON", dt.date(2005, 1, 1)).actor_id == "RUS.GOV.oleg_testerov"  # type: ignore[union-attr]
    assert kb.resolve("Testerov", "PERSON", dt.date(2024, 1, 1)).actor_id == "RUS.GOV.ivan_testerov"  # type: ignore[union-attr]


def test_import_to_stdout_and_show(
    actors_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "import", str(actors_file)]) == EXIT_OK
    captured = capsys.readouterr()
    assert "RUS.GOV.ivan_testerov" in captured.out and "Mystery Group" in captured.err
    out = tmp_path / "imported.yaml"
    out.write_text(captured.out, encoding="utf-8")
    args = ["kb", "show", "I. Testerov", "--on", "2020-06-01", "--actors", str(out), "--json"]
    assert main(args) == EXIT_OK
    shown = json.loads(capsys.readouterr().out)
    assert shown["actor_id"] == "RUS.GOV.ivan_testerov"
    assert [r["active"] for r in shown["roles"]] == [True, False]
    assert main(["kb", "show", "the Belarusian leader", "--on", "2023-02-24"]) == EXIT_OK
    text = capsys.readouterr().out
    assert "BLR.GOV.lukashenko" in text and "president" in text
    assert main(["kb", "show", "Nobody In Particular", "--json"]) == EXIT_OK
    assert capsys.readouterr().out.strip() == "null"
    assert main(["kb", "show", "x", "--on", "yesterday"]) == EXIT_USAGE
    assert main(["kb", "import", str(tmp_path / "missing.actors")]) == EXIT_USAGE
