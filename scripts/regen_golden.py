"""Regenerate tests/golden/<article id>.json from samples/articles.jsonl.

Golden files are the reviewed, expected output of `sitrep extract` for each sample article
(sorted keys, indented), fundus-style: one file per case. Only this script writes them;
run it after a deliberate change and review the diff before committing.

Run: .venv/bin/python scripts/regen_golden.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitrep.extract.service import Extractor  # noqa: E402
from sitrep.ingest import read_inputs  # noqa: E402
from sitrep.model import Article  # noqa: E402
from sitrep.model.serialize import extraction_to_dict  # noqa: E402
from sitrep.settings import load_settings  # noqa: E402

SAMPLES = ROOT / "samples" / "articles.jsonl"
GOLDEN = ROOT / "tests" / "golden"


def golden_text(record: dict[str, object]) -> str:
    return json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    settings = load_settings()
    articles = [a for a in read_inputs([str(SAMPLES)], settings.ingest) if isinstance(a, Article)]
    extractor = Extractor(settings)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for old in GOLDEN.glob("*.json"):
        old.unlink()
    for extraction in extractor.extract(articles):
        target = GOLDEN / f"{extraction.article.id}.json"
        target.write_text(golden_text(extraction_to_dict(extraction)), encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
