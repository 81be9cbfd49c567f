"""A user actor file naming one invented state-media outlet, for the tests of the kept
state-media names (tests/test_state_media.py, tests/test_watch.py)."""

from __future__ import annotations

from pathlib import Path


def state_outlet_file(path: Path, name: str) -> str:
    """Write an actor file whose one outlet, `name`, is state media; return its path."""
    path.write_text(
        "actors:\n"
        f"  - {{id: INT.MED.example, name: {name}, country: null, sector: MED,"
        " kind: outlet, state_media: true, outlet_type: outlet}\n",
        encoding="utf-8",
    )
    return str(path)
