"""Build the store the API, dashboard and briefing tests share: the samples plus one
hostile article (markup and script in every field), and on request more fixtures. Not a
test module."""

from __future__ import annotations

import json
from pathlib import Path

from sitrep.cli import EXIT_OK, main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles.jsonl"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile.jsonl"
HOSTILE_ID = json.loads(HOSTILE.read_text().splitlines()[0])["id"]
# An article of the samples' period that recalls a battle of 1944 (a background event) and
# announces drills for a day months after the last sample (a current event dated outside
# the publication dates): the outliers the dashboard's defaults must not follow.
BACKGROUND = ROOT / "tests" / "fixtures" / "background.jsonl"
BACKGROUND_DAY = "1944-06-24"
PLANNED_DAY = "2024-09-10"


def build_store(folder: Path, *extra: Path) -> Path:
    db = folder / "api.duckdb"
    for source in (SAMPLES, HOSTILE, *extra):
        assert main(["run", str(source), "--db", str(db), "--no-progress"]) == EXIT_OK
    return db


ESCALATION = ROOT / "tests" / "fixtures" / "escalation.jsonl"


def build_escalation_store(folder: Path) -> Path:
    """The samples plus the invented escalation fixture: three weeks of quiet regional news
    from three outlets, then Azerbaijani strikes on Armenia reported by two of them on one
    day (an escalation alert) and by two more on the next."""
    db = folder / "escalation.duckdb"
    for source in (SAMPLES, ESCALATION):
        assert main(["run", str(source), "--db", str(db), "--no-progress"]) == EXIT_OK
    return db
