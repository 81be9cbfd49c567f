"""Gazetteer index, place ranking in context, and the places scorer (texts written here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.eval.places import auc, great_circle_km
from sitrep.eval.places import score as score_places
from sitrep.extract.anchoring import dateline_place
from sitrep.extract.places import resolve_names
from sitrep.extract.service import Extractor
from sitrep.extract.toponyms import names_a_location
from sitrep.kb.gazetteer import Gazetteer, load_gazetteer
from sitrep.model import Article, Place, Span
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


def _places(extractor: Extractor, text: str) -> dict[str, Place]:
    result = extractor.extract([Article(id="t", text=text, published="2023-02-24")])[0]
    return {p.span.text: p for p in result.places if p.span is not None}


def test_matcher_finds_what_the_ner_misses(extractor: Extractor) -> None:
    text = (
        "TORRINGTON — The Torrington Police Department said on Monday that Russian "
        "investors bought the mill. Palestinians and African diplomats visited the town. "
        "Its mayor met officials from Harwinton and Litchfield, Conn., at noon."
    )
    places = _places(extractor, text)
    dateline = places.get("TORRINGTON")
    assert dateline is not None and dateline.admin1 == "US.CT"
    assert places["Russian"].country == "RUS" and places["Russian"].feature == "PCLI"
    assert places["Palestinians"].country == "PSE"
    assert places["African"].name == "Africa"
    assert places["Conn."].admin1 == "US.CT"
    inside = [p for p in places.values() if p.span and p.span.start == text.index("Torrington ")]
    assert inside and inside[0].admin1 == "US.CT"  # the town inside the department's name


def test_matcher_leaves_common_words_and_people_alone(extractor: Extractor) -> None:
    text = (
        "In March the council met. Most members agreed with Nadia Lombard. "
        "Later Lombard said the bank would reopen. Police said nothing."
    )
    places = _places(extractor, text)
    assert not {"March", "Most", "Lombard", "Police"} & set(places)


def test_matcher_can_be_switched_off(settings: Settings) -> None:
    off = settings.with_overrides({"extract": {"toponym_matcher": False}})
    text = "Russian investors met African diplomats."
    result = Extractor(off).extract([Article(id="o", text=text)])[0]
    assert not [p for p in result.places if p.span and p.span.text in {"Russian", "African"}]


def test_nationality_and_organisation_places_are_not_event_places(
    extractor: Extractor,
) -> None:
    text = "Russian troops shelled Kharkiv on Friday. The EU condemned the strike."
    result = extractor.extract([Article(id="e", text=text, published="2023-02-24")])[0]
    names = {p.span.text for p in result.places if p.span}
    assert {"Russian", "Kharkiv"} <= names
    placed = [e.place for e in result.events if e.place is not None]
    assert placed and all(p.name not in {"Russia", "Europe"} for p in placed)


def test_state_abbreviations(gazetteer: Gazetteer) -> None:
    for name, code in (("W.Va.", "US.WV"), ("Ill.", "US.IL"), ("Fla.", "US.FL")):
        state = resolve_names(gazetteer, [name])[0]
        assert state is not None and state.admin1 == code and state.feature == "ADM1"


def test_names_a_location(extractor: Extractor) -> None:
    text = "Russian troops shelled Kharkiv. The Athens Police Department and the EU protested."
    doc = extractor.nlp(text)
    result = extractor.extract([Article(id="l", text=text)])[0]
    verdict = {p.span.text: names_a_location(doc, p) for p in result.places if p.span}
    assert verdict["Kharkiv"] is True
    assert verdict["Russian"] is False
    assert verdict.get("Athens") is False and verdict.get("EU") is False
