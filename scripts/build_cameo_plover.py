"""Build src/sitrep/data/cameo_plover.tsv from CAMEO2PLOVER-2021.txt in ../shared.

The table (CAMEO code → PLOVER type, mode, context) is the Open Event Data Alliance's
CAMEO2PLOVER-2021 conversion table, CC BY-SA 4.0; the generated file credits it.
Usage: .venv/bin/python scripts/build_cameo_plover.py [PATH/TO/CAMEO2PLOVER-2021.txt]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "eval" / "events" / "CAMEO2PLOVER-2021.txt"
OUT = ROOT / "src" / "sitrep" / "data" / "cameo_plover.tsv"
HEADER = """\
# CAMEO code -> PLOVER type, mode, context. Derived by scripts/build_cameo_plover.py from
# CAMEO2PLOVER-2021.txt (PLOVER manual draft 0.8, Open Event Data Alliance, ed. P. Schrodt),
# licensed CC BY-SA 4.0: https://github.com/openeventdata/PLOVER. This file is CC BY-SA 4.0.
# Roots 01 (statements) and 02 (appeals) have no PLOVER type in that table.
"""


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT
    rows: dict[str, tuple[str, str, str]] = {}
    for line in source.read_text("utf-8").splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,([^,#]*))?(?:,([^#]*))?", line)
        if not m:
            continue
        code, plover = m.group(1), m.group(2)
        mode = (m.group(3) or "").strip()
        context = (m.group(4) or "").strip().replace(" ", "")
        if len(code) == 2:
            # "08: CONCEDE" and "08: RETREAT": a root line names its first type only.
            rows.setdefault(code, (plover, "", ""))
            continue
        rows.setdefault(code, (plover, mode, context))
    lines = [HEADER.rstrip("\n")]
    lines += ["\t".join((code, *rows[code])) for code in sorted(rows)]
    OUT.write_text("\n".join(lines) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
