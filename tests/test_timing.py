"""Current news or background: the examples of data/lexicons/timing.yaml, read through the
whole pipeline, and the period arithmetic on hand-written values."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.extract.service import Extractor
from sitrep.extract.timing import load_timing_rules, period_end
from sitrep.model import Article

RULES = load_timing_rules()


def _cases() -> list[object]:
    return [
        pytest.param(want, ex, id=f"{want}:{ex['trigger']}")
        for want in ("background", "current")
        for ex in RULES.examples[want]
    ]


@pytest.mark.parametrize(("want", "example"), _cases())
def test_timing_examples(extractor: Extractor, want: str, example: dict[str, str]) -> None:
    article = Article(id="t", text=example["sentence"], published=example["published"])
    (extraction,) = extractor.extract([article])
    events = [e for e in extraction.events if e.trigger.text == example["trigger"]]
    assert events, f"no event on {example['trigger']!r}"
    assert events[0].timing == want


@pytest.mark.parametrize(
    ("value", "end"),
    [
        ("2014", date(2014, 12, 31)),
        ("2022-02", date(2022, 2, 28)),
        ("2022-03-04", date(2022, 3, 4)),
        ("2022-W10", date(2022, 3, 13)),
        ("2021-FA", date(2021, 12, 21)),
        ("2023-Q1", date(2023, 3, 31)),
        ("PRESENT_REF", None),
    ],
)
def test_period_end(value: str, end: date | None) -> None:
    assert period_end(value) == end
