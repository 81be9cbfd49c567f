"""Golden files: the expected `sitrep extract` output for each sample article.

Regenerate with scripts/regen_golden.py after a deliberate change, and review the diff.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import jsonschema
import pytest

from sitrep.extract.service import Extractor
from sitrep.ingest import read_inputs
from sitrep.model import Article
from sitrep.model.serialize import extraction_to_dict
from sitrep.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SCHEMA = json.loads((ROOT / "src" / "sitrep" / "data" / "output.schema.json").read_text())


def _golden_text() -> object:
    spec = importlib.util.spec_from_file_location("regen", ROOT / "scripts" / "regen_golden.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.golden_text


@pytest.fixture(scope="module")
def sample_outputs(extractor: Extractor, settings: Settings) -> dict[str, dict[str, object]]:
    samples = str(ROOT / "samples" / "articles.jsonl")
    articles = [a for a in read_inputs([samples], settings.ingest) if isinstance(a, Article)]
    return {e.article.id: extraction_to_dict(e) for e in extractor.extract(articles)}


def test_there_are_eight_to_twelve_samples_each_with_a_golden_file(
    sample_outputs: dict[str, dict[str, object]],
) -> None:
    assert 8 <= len(sample_outputs) <= 12
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(sample_outputs)


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.json")), ids=lambda p: p.stem)
def test_output_matches_golden_file(
    path: Path, sample_outputs: dict[str, dict[str, object]]
) -> None:
    render = _golden_text()
    assert callable(render)
    assert render(sample_outputs[path.stem]) == path.read_text("utf-8"), (
        f"{path.name} differs: review, then run scripts/regen_golden.py"
    )


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.json")), ids=lambda p: p.stem)
def test_golden_files_are_contract_valid(path: Path) -> None:
    record = json.loads(path.read_text("utf-8"))
    jsonschema.validate(record, SCHEMA)
    text = record["article"]["text"]
    for quote in record["quotes"]:
        content = quote["content"]
        assert text[content["start"] : content["end"]] == content["text"]
