"""CI gates: every stage's scorer on its dev data must stay at or above pinned floors.

Floors live in tests/eval_floors/<stage>.toml and only ever go up (trafilatura's eval_gate
habit). Gold data is read from ../shared; the gates skip cleanly when it is absent.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from sitrep.eval import run_eval
from sitrep.settings import Settings

FLOORS = Path(__file__).resolve().parent / "eval_floors"
ROOT = FLOORS.parents[1]


def _gates() -> list[Any]:
    gates = []
    for path in sorted(FLOORS.glob("*.toml")):
        for gate in tomllib.loads(path.read_text("utf-8")).get("gate", []):
            gates.append(pytest.param(gate, id=f"{gate['stage']}-{gate['name']}"))
    return gates


@pytest.mark.parametrize("gate", _gates())
def test_eval_gate(gate: dict[str, Any], shared: Path, settings: Settings) -> None:
    # Article-level gold lives in the project (ids, offsets, labels); its texts in ../shared.
    gold = (ROOT / gate["gold"]) if gate.get("project_gold") else shared / gate["gold"]
    if not gold.exists():
        pytest.skip(f"{gate['gold']} not in ../shared")
    settings = settings.with_overrides({"eval": {"corpora": str(shared)}})
    report = run_eval(gate["stage"], gold, gate.get("format"), settings, gate.get("limit"))
    for metric, floor in gate["floors"].items():
        assert report.metrics[metric] >= floor, (
            f"{gate['stage']} {gate['name']}: {metric} {report.metrics[metric]:.4f} < floor {floor}"
        )
    # lower is better for these (the share of events from sentences with no event)
    for metric, ceiling in gate.get("ceilings", {}).items():
        assert report.metrics[metric] <= ceiling, (
            f"{gate['stage']} {gate['name']}: {metric} {report.metrics[metric]:.4f} > "
            f"ceiling {ceiling}"
        )
