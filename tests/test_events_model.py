"""The event-type classifier: `sitrep train events` end to end, the model file, the
packaged model. Training sentences are written for these tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitrep.cli import main
from sitrep.errors import KnowledgeBaseError, UsageError
from sitrep.eval.events import chosen_event
from sitrep.extract.event_model import EventModel, from_json, load_event_model, to_json
from sitrep.extract.service import Extractor
from sitrep.model import Article
from sitrep.run.train_events import read_labelled
from sitrep.settings import load_settings

# A user who codes "X accused Y of <violence>" as the violence itself (a house rule that
# differs from the default, which takes the accusation as the main event).
_ASSAULT = [
    "Armenia accused Azerbaijan of shelling border villages overnight.",
    "Kyiv accused Moscow of bombing a maternity hospital in the south.",
    "The army accused the rebels of attacking a convoy near the capital.",
    "Mali accused the militants of killing twelve soldiers on Sunday.",
    "Police accused the gang of firing on officers at a checkpoint.",
    "Syria accused Israel of striking an air base near Homs.",
    "The villagers accused the militia of burning their homes.",
    "Somalia accused al-Shabaab of bombing a market in Mogadishu.",
    "Chad accused the insurgents of ambushing a patrol in the east.",
    "Iraq accused Turkey of shelling Kurdish towns in the north.",
    "The ministry accused separatists of shelling a school in Donetsk.",
    "Georgia accused the troops of shooting at farmers near the boundary line.",
]
_PROTEST = [
    "Students protested outside parliament in Tbilisi on Monday.",
    "Thousands of workers demonstrated in Paris against the pension reform.",
    "Farmers protested in Warsaw over the price of grain.",
    "Nurses demonstrated outside the health ministry in Athens.",
    "Hundreds of residents protested in Belgrade against the mine.",
    "Teachers rallied in Bucharest to demand higher pay.",
    "Protesters marched through the centre of Yerevan on Saturday.",
    "Miners demonstrated in Santiago over job cuts.",
]
_HELD_OUT = "Moldova accused Russia of shelling its villages near the Dniester."


def _write(path: Path) -> None:
    rows = [{"text": t, "label": "ASSAULT"} for t in _ASSAULT]
    rows += [{"text": t, "label": "PROTEST", "mode": "demonstrate"} for t in _PROTEST]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")


def _main_type(extractor: Extractor, text: str) -> str | None:
    (extraction,) = extractor.extract([Article(id="h", text=text)])
    event = chosen_event(extraction.events)
    return event.type if event else None


def test_train_events_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extractor: Extractor
) -> None:
    data = tmp_path / "train.jsonl"
    out = tmp_path / "model.json"
    _write(data)
    assert main(["train", "events", "--data", str(data), "--out", str(out), "--folds", "4"]) == 0
    printed = capsys.readouterr().out
    assert "macro-F1" in printed and "ASSAULT" in printed and "PROTEST" in printed
    model = load_event_model(str(out))
    assert model is not None and set(model.classes) == {"ASSAULT", "PROTEST"}
    # Without the model the accusation is the main event; with it, the user's rule wins.
    rules_only = Extractor(load_settings(None, ["extract.event_model="]))
    assert _main_type(rules_only, _HELD_OUT) == "ACCUSE"
    trained = Extractor(
        load_settings(None, [f"extract.event_model={out}", "extract.event_model_weight=0.9"])
    )
    assert _main_type(trained, _HELD_OUT) == "ASSAULT"
    # A sentence with a single candidate keeps its type: the model re-ranks, not re-types.
    assert _main_type(trained, "Students protested outside the embassy in Riga.") == "PROTEST"


def test_training_file_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Troops attacked the town.", "label": "ASSAULT"}\n{"text": "x"}\n')
    with pytest.raises(UsageError, match=r"bad.jsonl:2"):
        read_labelled(bad)
    bad.write_text('{"text": "Troops attacked the town.", "label": "FIGHTING"}\n')
    with pytest.raises(UsageError, match="PLOVER type"):
        read_labelled(bad)


def test_model_file_round_trip_and_explanation(tmp_path: Path) -> None:
    model = EventModel(
        ("ASSAULT", "PROTEST"),
        (0.0, 0.0),
        {"lemma=shell": {"ASSAULT": 2.0}, "w=street": {"PROTEST": 1.5}},
    )
    again = from_json(json.loads(json.dumps(to_json(model))), "mem")
    assert again == model
    probs = again.probabilities({"lemma=shell": 1.0})
    assert probs["ASSAULT"] > 0.85 and abs(sum(probs.values()) - 1) < 1e-9
    assert again.explain({"lemma=shell": 1.0, "w=street": 1.0}, "ASSAULT") == [("lemma=shell", 2.0)]
    broken = tmp_path / "m.json"
    broken.write_text('{"format": "something else"}')
    with pytest.raises(KnowledgeBaseError):
        load_event_model(str(broken))


def test_packaged_model_is_small_readable_and_holds_no_sentences() -> None:
    model = load_event_model("packaged")
    assert model is not None
    assert len(model.classes) >= 15
    assert "sources" in model.meta  # its training material is credited in the file
    feature = re.compile(r"^[a-z_]+=[^ ]{0,60}$")
    assert all(feature.match(name) for name in model.weights)
