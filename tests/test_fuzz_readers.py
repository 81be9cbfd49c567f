"""A short, bounded version of scripts/fuzz_readers.py: hostile mutations of seed inputs fed
to the JSON Lines, .json, HTML and text readers, checked by the fuzzer's own oracle (no
exception but the reject path, valid articles, no accepted record lost, origins in order)."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.ingest.jsonl import read_jsonl
from sitrep.model import Article, Reject

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "fuzz_readers.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_readers", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_readers"] = module
    spec.loader.exec_module(module)
    return module


fuzz = _load()

# (position, token) insertions plus byte flips over a seed: the fuzzer's mutations, drawn
# by hypothesis so failures shrink to a small input.
_edits = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), st.integers(0, 4000), st.sampled_from(fuzz.TOKENS)),
        st.tuples(st.just("flip"), st.integers(0, 4000), st.integers(0, 7)),
        st.tuples(st.just("byte"), st.integers(0, 4000), st.integers(0, 255)),
    ),
    max_size=6,
)


def _apply(seed: str, edits: list[tuple[str, int, object]]) -> bytes:
    buf = bytearray(seed.encode("utf-8"))
    for kind, pos, arg in edits:
        at = min(pos, len(buf))
        if kind == "insert":
            assert isinstance(arg, bytes)
            buf[at:at] = arg
        elif kind == "flip" and buf:
            assert isinstance(arg, int)
            buf[min(at, len(buf) - 1)] ^= 1 << arg
        elif kind == "byte":
            assert isinstance(arg, int)
            buf[at:at] = bytes([arg])
    return bytes(buf)


_FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(st.sampled_from(fuzz.SEEDS_JSONL), _edits)
def test_jsonl_reader_survives_mutations(seed: str, edits: list[tuple[str, int, object]]) -> None:
    fuzz.run_jsonl(_apply(seed, edits))


@_FAST
@given(st.sampled_from(fuzz.SEEDS_JSONL), _edits)
def test_json_document_reader_survives_mutations(
    seed: str, edits: list[tuple[str, int, object]]
) -> None:
    fuzz.run_json(_apply(seed, edits))


@_FAST
@given(st.sampled_from(fuzz.SEEDS_TEXT), _edits)
def test_text_clean_up_survives_mutations(seed: str, edits: list[tuple[str, int, object]]) -> None:
    fuzz.run_text(_apply(seed, edits))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(fuzz.SEEDS_HTML), _edits)
def test_html_reader_survives_mutations(seed: str, edits: list[tuple[str, int, object]]) -> None:
    fuzz.run_html(_apply(seed, edits))


def test_lone_surrogate_is_rejected_not_crashed() -> None:
    """Fuzzing finding: a JSON escape "\\ud800" made a str no UTF-8 table or file can hold;
    without an id the article id hash raised UnicodeEncodeError and ended the run."""
    body = "Troops crossed the river at dawn, officials said. "
    lines = [
        json.dumps({"text": body + "\ud800"}),
        json.dumps({"id": "x", "text": body + "\udfff tail"}),
        json.dumps({"text": body, "title": "Bad \ud83d title"}),
    ]
    data = ("\n".join(lines) + "\n").encode()
    first, second, third = read_jsonl(io.BytesIO(data), "f", fuzz.SETTINGS)
    assert isinstance(first, Reject) and first.code == "R005"
    assert isinstance(second, Reject) and second.code == "R005"
    assert "surrogate" in first.reason and first.snippet.encode("utf-8")
    assert isinstance(third, Article) and third.title == "Bad \ufffd title"
    fuzz.run_jsonl(data)  # the oracle agrees


def test_oracle_catches_a_lost_record() -> None:
    """The oracle is not vacuous: a reader that drops a good line is reported."""
    good = json.dumps({"text": "Artillery hit the depot overnight, the ministry said."})
    results = fuzz.run_jsonl((good + "\n").encode())
    assert results == ["article"]
    with pytest.raises(fuzz.OracleError):
        fuzz._expect(False, "lost")
    with pytest.raises(fuzz.OracleError):
        fuzz.check_result(Article(id="", text="Artillery hit the depot overnight today."))


def test_fuzzer_runs_clean_for_a_few_seconds(tmp_path: Path) -> None:
    stats = fuzz.fuzz(["jsonl", "json", "text"], seconds=3, seed=7)
    assert stats.executions > 20
    assert [f.problem for f in stats.findings] == []
