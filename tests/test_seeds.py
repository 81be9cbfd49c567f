"""The two seed articles in ../shared (skipped when ../shared is absent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sitrep.extract.service import Extractor
from sitrep.ingest import read_inputs
from sitrep.model import Article
from sitrep.model.serialize import extraction_to_dict
from sitrep.settings import Settings

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "data" / "output.schema.json"


@pytest.fixture(scope="module")
def seeds(shared: Path, extractor: Extractor, settings: Settings) -> dict[str, dict[str, Any]]:
    path = shared / "corpus" / "seeds" / "seeds.jsonl"
    if not path.exists():
        pytest.skip("seed articles not present")
    articles = [a for a in read_inputs([str(path)], settings.ingest) if isinstance(a, Article)]
    return {e.article.id: extraction_to_dict(e) for e in extractor.extract(articles)}


def _by_text(records: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    return [r for r in records if r["span"] and r["span"]["text"] == text]


def test_seeds_are_contract_valid(seeds: dict[str, dict[str, Any]]) -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    assert len(seeds) == 2
    for record in seeds.values():
        jsonschema.validate(record, schema)


def test_newsweek_friday_and_minsk(seeds: dict[str, dict[str, Any]]) -> None:
    newsweek = next(r for k, r in seeds.items() if "newsweek" in k)
    fridays = _by_text(newsweek["times"], "Friday")
    assert fridays and all(t["value"] == "2023-02-24" for t in fridays)
    february = _by_text(newsweek["times"], "February 18")
    assert february and february[0]["value"] == "2023-02-18"
    beast = next(r for k, r in seeds.items() if "dailybeast" in k)
    minsk = _by_text(beast["places"], "Minsk")
    assert minsk and minsk[0]["country"] == "BLR"
    last_fall = [t for t in beast["times"] if t["span"]["text"].lower() == "last fall"]
    assert last_fall and last_fall[0]["value"] == "2022-FA"


@pytest.mark.parametrize(
    ("mention", "country", "sector"),
    [
        ("Lukashenko", "BLR", "GOV"),
        ("Vladimir Putin", "RUS", "GOV"),
        ("Belarus", "BLR", "GOV"),
        ("Russia", "RUS", "GOV"),
        ("Ukraine", "UKR", "GOV"),
        ("TASS", "RUS", "MED"),
        ("BelTA", "BLR", "MED"),
        ("Oleh Nikolenko", "UKR", "GOV"),
        ("Belarusian Defense Ministry", "BLR", "GOV"),
        ("Russian Ground Forces", "RUS", "MIL"),
    ],
)
def test_main_actors_carry_country_and_sector(
    seeds: dict[str, dict[str, Any]], mention: str, country: str, sector: str
) -> None:
    found = [e for r in seeds.values() for e in _by_text(r["entities"], mention)]
    assert found, f"{mention} not found"
    assert {(e["country"], e["sector"]) for e in found} == {(country, sector)}


def test_zelensky_and_lukashenko_quote_chain(seeds: dict[str, dict[str, Any]]) -> None:
    quotes = [q for r in seeds.values() for q in r["quotes"]]
    belta = [q for q in quotes if any(v["source"]["name"] == "BelTA" for v in q["via"])]
    assert belta and all(q["speaker"]["actor_id"] == "BLR.GOV.lukashenko" for q in belta[:1])
    assert belta[0]["via"][0]["source_type"] == "state_media"
    speakers = {q["speaker"]["name"] for q in quotes if q["speaker"]}
    assert {"Volodymyr Zelensky", "Oleh Nikolenko", "Andrii Cherniak"} <= speakers
