"""Compare two stores table by table (engines and resumed runs must give the same store)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sitrep.store.db import connect

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles.jsonl"


def write_mixed_corpus(path: Path) -> Path:
    """The ten sample articles plus records that exercise rejects and a repeated article."""
    lines = SAMPLES.read_text("utf-8").splitlines()
    extra = [
        "{not json",
        json.dumps({"id": "tiny", "text": "Too short."}),
        lines[0],  # the same article again: stored once
        json.dumps({"id": 7, "text": ["wrong", "type"]}),
    ]
    path.write_text("\n".join(lines[:4] + extra[:2] + lines[4:] + extra[2:]) + "\n", "utf-8")
    return path


def store_tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in a canonical order, without the wall-clock timestamp columns."""
    con = connect(db, read_only=True)
    try:
        out: dict[str, list[tuple[Any, ...]]] = {}
        names = [r[0] for r in con.execute("SHOW TABLES").fetchall()]
        for name in sorted(names):
            columns = [
                row[0]
                for row in con.execute(f"DESCRIBE {name}").fetchall()
                if not str(row[1]).startswith("TIMESTAMP")
            ]
            rows = con.execute(f"SELECT {', '.join(columns)} FROM {name} ORDER BY ALL").fetchall()
            out[name] = rows
        return out
    finally:
        con.close()


def assert_same_store(db: Path, expected: Path) -> None:
    got, want = store_tables(db), store_tables(expected)
    assert sorted(got) == sorted(want)
    for name in want:
        extra = [r[-3:] for r in got[name] if r not in want[name]]
        lacking = [r[-3:] for r in want[name] if r not in got[name]]
        assert got[name] == want[name], (
            f"table {name}: extra {extra!r:.600}, lacking {lacking!r:.600}"
        )
    assert len(want["articles"]) == 10 and want["events"] and want["rejects"]
