"""Modality of events: unit cases and the gate on sitrep's own modality gold set."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from sitrep.eval import run_eval
from sitrep.extract.service import Extractor
from sitrep.model import Article
from sitrep.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "tests" / "eval_floors" / "events.toml"


def _events(extractor: Extractor, text: str) -> list[tuple[str, str, str]]:
    (extraction,) = extractor.extract([Article(id="t", text=text)])
    return [(e.trigger.text, e.type, e.factuality) for e in extraction.events]


@pytest.mark.parametrize(
    ("text", "trigger", "factuality"),
    [
        ("Russian forces shelled Kharkiv overnight.", "shelled", "asserted"),
        ("Belarus will not send troops to Ukraine, Lukashenko said.", "send", "negated"),
        ("Russia could attack Ukraine from the north, analysts warned.", "attack", "hypothetical"),
        ("NATO will deploy four new battlegroups next year.", "deploy", "future"),
        ("He said Moscow would not be reckless enough to attack Riga.", "attack", "negated"),
        (
            "It was not immediately clear whether drones had struck the refinery.",
            "struck",
            "uncertain",
        ),
    ],
)
def test_factuality(extractor: Extractor, text: str, trigger: str, factuality: str) -> None:
    found = [f for t, _, f in _events(extractor, text) if t == trigger]
    assert found == [factuality]


def test_future_cooperation_is_also_an_intent(cameo_extractor: Extractor) -> None:
    events = _events(cameo_extractor, "Putin will meet Erdogan in Ankara on Friday.")
    assert ("meet", "CONSULT", "future") in events
    assert ("will", "AGREE", "asserted") in events


def test_conditional_force_is_also_a_threat(cameo_extractor: Extractor) -> None:
    text = "Russia will strike Western arms depots if they are moved into Ukraine."
    types = {t for _, t, _ in _events(cameo_extractor, text)}
    assert {"ASSAULT", "THREATEN"} <= types


def test_articles_keep_one_event_per_announced_act(extractor: Extractor) -> None:
    """Whole-article convention (docs/annotation.md): "will meet" is one future CONSULT,
    "will strike … if" one conditional ASSAULT, with no implied speech act beside them."""
    assert _events(extractor, "Putin will meet Erdogan in Ankara on Friday.") == [
        ("meet", "CONSULT", "future")
    ]
    text = "Russia will strike Western arms depots if they are moved into Ukraine."
    assert {t for _, t, _ in _events(extractor, text)} == {"ASSAULT", "MOBILIZE"}


def test_signing_an_agreement_is_support(extractor: Extractor) -> None:
    events = _events(extractor, "Ukraine and Britain signed a security agreement in Kyiv.")
    assert ("agreement", "SUPPORT", "asserted") in events


def _project_gates() -> list[dict]:  # type: ignore[type-arg]
    return list(tomllib.loads(FLOORS.read_text("utf-8")).get("project_gate", []))


@pytest.mark.parametrize("gate", _project_gates(), ids=lambda g: f"{g['stage']}-{g['name']}")
def test_project_gold_gate(gate: dict, settings: Settings) -> None:  # type: ignore[type-arg]
    report = run_eval(gate["stage"], ROOT / gate["gold"], gate.get("format"), settings)
    for metric, floor in gate["floors"].items():
        assert report.metrics[metric] >= floor, f"{metric} {report.metrics[metric]:.4f} < {floor}"


def test_an_implied_intent_on_a_trigger_of_its_own_is_one_event(extractor: Extractor) -> None:
    """The word "vowed" is a THREATEN trigger and the intent behind "to retaliate": one
    record, one id (two records with one id would leave the store holding only one)."""
    text = "Iran vowed to retaliate against Israel, officials said."
    (result,) = extractor.extract([Article(id="v", text=text, origin="t:1")])
    ids = [e.id for e in result.events]
    assert len(ids) == len(set(ids))
    assert sorted((e.type, e.trigger.text) for e in result.events) == [
        ("ASSAULT", "retaliate"),
        ("THREATEN", "vowed"),
    ]
