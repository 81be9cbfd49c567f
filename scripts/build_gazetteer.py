"""Build the gazetteer index file once (otherwise the first run builds it).

Usage: .venv/bin/python scripts/build_gazetteer.py [PATH]
PATH defaults to the `extract.gazetteer_cache` setting. Place data: GeoNames, CC BY 4.0.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sitrep.kb.gazetteer import CREDIT, default_cache_path
from sitrep.kb.gazetteer_build import build_index
from sitrep.kb.gazetteer_file import write_index
from sitrep.settings import load_settings


def main(argv: list[str]) -> int:
    target = (
        Path(argv[0])
        if argv
        else default_cache_path(load_settings().extract.gazetteer_cache or "gazetteer.npz")
    )
    started = time.perf_counter()
    index = build_index()
    size = write_index(index, target)
    seconds = time.perf_counter() - started
    print(f"{target}: {len(index.name):,} places, {len(index.names):,} names, ", end="")
    print(f"{size / 1e6:.1f} MB, built in {seconds:.1f} s. {CREDIT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
