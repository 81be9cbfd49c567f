"""Build src/sitrep/data/event_model.json, the shipped event-type classifier.

Training material (licences: /work/shared/eval/events/SOURCES.md):
* the CAMEO codebook example sentences (andybega/icews, MIT; text from the CAMEO manual),
  typed with the packaged CAMEO2PLOVER-2021 table; statements (root 01) are left out and
  appeals (root 02) count as REQUEST;
* the PLOVER gold-standard records (openeventdata/PLOVER, CC BY-SA 4.0), with the 0.5b1
  names mapped to today's (DEMAND→REQUEST, DISAPPROVE/INVESTIGATE→ACCUSE, FIGHT→ASSAULT);
* sitrep's own modality gold (src/sitrep/data/eval/modality_gold.jsonl, written for sitrep).
PLV train is never trained on: it is the dev set that decides whether the model ships
(`sitrep eval events --format plv` with and without `--set extract.event_model=packaged`).
The file holds feature weights only (lemmas and dependency labels), never a sentence.

Run: .venv/bin/python scripts/build_event_model.py [--shared ../shared] [--c 0.3]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitrep.eval.events import cameo_to_plover, plover_for_cameo  # noqa: E402
from sitrep.extract.event_model import save_event_model  # noqa: E402
from sitrep.model import PLOVER_TYPES  # noqa: E402
from sitrep.run.train_events import Labelled, train_events  # noqa: E402
from sitrep.settings import load_settings  # noqa: E402

TARGET = ROOT / "src" / "sitrep" / "data" / "event_model.json"
_OLD = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
SOURCES = [
    "CAMEO codebook examples (andybega/icews data-raw/cameo-codes.csv, MIT)",
    "PLOVER gold-standard records (openeventdata/PLOVER, CC BY-SA 4.0)",
    "sitrep modality gold (src/sitrep/data/eval/modality_gold.jsonl)",
]


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


def cameo_examples(path: Path) -> list[Labelled]:
    table = cameo_to_plover()
    out = []
    for row in _jsonl(path):
        code, text = str(row["cameo_code"]), row.get("text")
        if not isinstance(text, str) or not text or code.startswith("01"):
            continue
        mapped = "REQUEST" if code.startswith("02") else plover_for_cameo(code, table)
        if mapped in PLOVER_TYPES:
            out.append(Labelled(text, mapped))
    return out


def plover_records(path: Path) -> list[Labelled]:
    out = []
    for row in _jsonl(path):
        event, text = str(row.get("event") or "").upper(), row.get("text")
        label = _OLD.get(event, event)
        if isinstance(text, str) and text and label in PLOVER_TYPES:
            out.append(Labelled(text, label))
    return out


def modality_gold(path: Path) -> list[Labelled]:
    return [
        Labelled(str(r["text"]), str(r["type"]))
        for r in _jsonl(path)
        if str(r.get("type") or "") in PLOVER_TYPES
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--c", type=float, default=0.3, help="inverse L2 strength")
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args()
    events = args.shared / "eval" / "events"
    items = [
        *cameo_examples(events / "cameo_codebook_examples.jsonl"),
        *plover_records(events / "plover_gsr_cameo_manual.jsonl"),
        *modality_gold(ROOT / "src" / "sitrep" / "data" / "eval" / "modality_gold.jsonl"),
    ]
    result = train_events(items, load_settings(None, []), folds=5, c=args.c)
    result.model.meta.update(
        {"trained_by": "scripts/build_event_model.py", "sources": SOURCES, "c": args.c}
    )
    save_event_model(result.model, args.out)
    print(
        f"wrote {args.out}: {result.sentences} sentences, {result.rows} candidate rows, "
        f"{result.uncovered} without a rule candidate, {len(result.model.weights)} features; "
        f"5-fold sentence macro-F1 {result.macro_f1:.3f}, accuracy {result.accuracy:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
