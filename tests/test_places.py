"""Gazetteer index, place ranking in context, and the places scorer (texts written here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.eval.places import auc, great_circle_km
from sitrep.eval.places import score as score_places
from sitrep.extract.anchoring import dateline_place
from sitrep.extract.places import resolve_names
from sitrep.kb.gazetteer import Gazetteer, load_gazetteer
from sitrep.model import Article, Place, Span
from sitrep.run.local import Extractor
from sitrep.settings import Settings


@pytest.fixture(scope="module")
def gazetteer(settings: Settings) -> Gazetteer:
    return load_gazetteer(settings.extract)


@pytest.mark.parametrize(
    ("name", "country", "near"),
    [
        ("Kiev", "UKR", (50.45, 30.52)),
        ("Kharkov", "UKR", (49.99, 36.23)),
        ("Machulishchy", "BLR", (53.78, 27.59)),
        ("Donbas", "UKR", (48.2, 38.3)),
        ("Crimea", "UKR", (45.3, 34.4)),
        ("Zaporizhzhia oblast", "UKR", (47.5, 35.5)),
        ("Belarusian", "BLR", (53.0, 28.0)),
        ("U.S.", "USA", (39.8, -98.6)),
    ],
)
def test_variants_regions_and_demonyms(
    gazetteer: Gazetteer, name: str, country: str, near: tuple[float, float]
) -> None:
    best = resolve_names(gazetteer, [name])[0]
    assert best is not None and best.country == country
    assert best.lat is not None and best.lon is not None
    assert great_circle_km(best.lat, best.lon, *near) < 161


def test_context_picks_the_namesake_in_the_same_region(gazetteer: Gazetteer) -> None:
    text = "A fire in Alexandria was investigated by the Rapides Parish sheriff."
    alone, _ = resolve_names(gazetteer, ["Alexandria", "Cairo"], "Alexandria and Cairo")
    in_louisiana, _ = resolve_names(gazetteer, ["Alexandria", "Rapides Parish"], text)
    assert alone is not None and alone.country == "EGY"
    assert in_louisiana is not None and in_louisiana.admin1 == "US.LA"


def test_region_after_a_comma_decides(gazetteer: Gazetteer) -> None:
    athens = resolve_names(gazetteer, ["Athens"], "ATHENS, Ga. - The city council met.")[0]
    assert athens is not None and athens.country == "USA"
    assert resolve_names(gazetteer, ["Athens"], "Talks in Athens ended.")[0] is not None


def test_capitals_beat_namesakes(gazetteer: Gazetteer) -> None:
    washington = resolve_names(gazetteer, ["Washington"])[0]
    assert washington is not None and washington.feature == "PPLC"


def test_dateline_place() -> None:
    minsk = Place(span=Span(0, 5, "MINSK"), name="Minsk", country="BLR")
    assert dateline_place("MINSK (Reuters) - Belarus said", [minsk]) == minsk
    assert dateline_place("Belarus said on Friday", [minsk]) is None


def test_repeated_names_are_places_throughout(extractor: Extractor) -> None:
    text = (
        "Shelling hit Kharkiv on Monday. Officials said the city lost power. "
        "Kharkiv residents sheltered in the metro while Kharkiv burned."
    )
    result = extractor.extract([Article(id="r", text=text, published="2023-02-24")])[0]
    hits = [p for p in result.places if p.span and p.span.text == "Kharkiv"]
    assert len(hits) == 3
    assert all(p.country == "UKR" for p in hits)


def test_auc_bounds() -> None:
    assert auc([0.0, 0.0]) == 0.0
    assert auc([20039.0, 20039.0]) == pytest.approx(1.0)


def test_scorer_on_a_small_gold_file(tmp_path: Path, settings: Settings) -> None:
    text = "Troops left Minsk for the border. Kyiv said Minsk was bluffing."
    tops = []
    for name, lat, lon in (("Minsk", 53.9, 27.57), ("Kyiv", 50.45, 30.52)):
        at = text.index(name)
        tops.append({"start": at, "end": at + len(name), "text": name, "lat": lat, "lon": lon})
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc_id": "d1", "text": text, "toponyms": tops}) + "\n")
    report = score_places(gold, "jsonl", settings, None)
    assert report.metrics["gold_acc161"] == 1.0
    assert report.metrics["e2e_acc161"] >= 0.5
    assert 0.0 <= report.metrics["gold_auc"] < 0.2
