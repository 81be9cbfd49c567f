"""End-to-end time extraction and the times scorer (sentences written for these tests)."""

from __future__ import annotations

import json
from pathlib import Path

from sitrep.eval.times import canonical_value
from sitrep.eval.times import score as score_times
from sitrep.extract.service import Extractor
from sitrep.model import Article
from sitrep.settings import Settings

FRIDAY = "2023-02-24"


def _times(extractor: Extractor, text: str, published: str = FRIDAY) -> dict[str, str]:
    result = extractor.extract([Article(id="t", text=text, published=published)])[0]
    return {t.span.text: t.value for t in result.times if t.span}


def test_future_clause_reads_weekdays_and_months_forward(extractor: Extractor) -> None:
    found = _times(extractor, "The ministers will meet on Monday and again in January.")
    assert found.get("Monday") == "2023-02-27"
    assert found.get("January") == "2024-01"


def test_past_clause_keeps_the_latest_date(extractor: Extractor) -> None:
    found = _times(extractor, "The ministers met on Monday, as they did in January.")
    assert found.get("Monday") == "2023-02-20"
    assert found.get("January") == "2023-01"


def test_longest_expression_wins(extractor: Extractor) -> None:
    found = _times(extractor, "The convoy left at noon Thursday, officials said.")
    assert found.get("noon Thursday") == "2023-02-23T12:00"


def test_vague_adverbs_are_not_times(extractor: Extractor) -> None:
    found = _times(extractor, "Talks were previously planned and will resume soon.")
    assert "previously" not in found and "soon" not in found


def test_scorer_on_a_small_gold_file(tmp_path: Path, settings: Settings) -> None:
    text = "Belarus moved troops on Friday. Last fall it held drills for three days."
    timexes = []
    for phrase, typ, value in (
        ("Friday", "DATE", FRIDAY),
        ("Last fall", "DATE", "2022-FA"),
        ("three days", "DURATION", "P3D"),
    ):
        at = text.index(phrase)
        timexes.append(
            {"start": at, "end": at + len(phrase), "text": phrase, "type": typ, "value": value}
        )
    gold = tmp_path / "gold.jsonl"
    record = {"doc_id": "d1", "dct": FRIDAY, "text": text, "timexes": timexes}
    gold.write_text(json.dumps(record) + "\n")
    report = score_times(gold, "tbaq", settings, None)
    assert report.metrics["gold_value_acc"] == 1.0
    assert report.metrics["value_f1"] >= 0.66
    assert report.metrics["span_f1"] >= 0.66


def test_year_ago_compares_with_the_quarter_in_focus(extractor: Extractor) -> None:
    text = (
        "The company earned $5 million in the third quarter of 2022, up from $3 million "
        "a year earlier."
    )
    found = _times(extractor, text)
    assert found.get("a year earlier") == "2021-Q3"


def test_period_and_closing_date_are_split(extractor: Extractor) -> None:
    found = _times(extractor, "Profit rose in the quarter ended Dec. 31, the ministry said.")
    assert found.get("the quarter") == "2022-Q4"
    assert found.get("Dec. 31") == "2022-12-31"


def test_weekday_of_the_next_day_is_read_forward(extractor: Extractor) -> None:
    found = _times(extractor, "Talks resume Saturday in Minsk.")
    assert found.get("Saturday") == "2023-02-25"


def test_following_year_is_read_from_the_date_in_focus(extractor: Extractor) -> None:
    found = _times(extractor, "The plant opened in 1995 and closed the following year.")
    assert found.get("the following year") == "1996"


def test_sentence_initial_now_is_a_discourse_marker(extractor: Extractor) -> None:
    found = _times(extractor, "Now, the talks are stalled. They are stalled now.")
    assert list(found) == ["now"]


def test_phrases_anchored_on_the_day_in_focus(extractor: Extractor) -> None:
    text = (
        "The convoy was ambushed on Feb. 14 near Bakhmut. Later that day a second column "
        "arrived, and at 10 p.m. the shelling resumed. Kyiv said that year had been hard."
    )
    found = _times(extractor, text)
    assert found.get("Feb. 14") == "2023-02-14"
    assert found.get("Later that day") == "2023-02-14"
    assert found.get("10 p.m.") == "2023-02-14T22:00"
    assert found.get("that year") == "2023"


def test_that_day_without_a_focus_is_dropped(extractor: Extractor) -> None:
    found = _times(extractor, "Nobody who saw that day will forget it.")
    assert "that day" not in found


def test_deferrals_plans_and_present_perfect_point_forward(extractor: Extractor) -> None:
    # Published on a Friday: each weekday below is the coming one (a present perfect is not
    # a past clause, so the day after publication reads forwards as in a present one).
    text = (
        "The court postponed the hearing until Tuesday. Protesters were planning to march "
        "on Monday. Officials have given the families until 9 a.m. Saturday to leave."
    )
    found = _times(extractor, text)
    assert found.get("Tuesday") == "2023-02-28"
    assert found.get("Monday") == "2023-02-27"
    assert found.get("9 a.m. Saturday") == "2023-02-25T09:00"


def test_holidays_are_found_in_text(extractor: Extractor) -> None:
    found = _times(extractor, "Families gathered last Thanksgiving and voted on Election Day.")
    assert found.get("last Thanksgiving") == "2022-11-24"
    assert found.get("Election Day") == "2022-11-08"  # the Tuesday after the first Monday


def test_scorer_reads_gold_spellings_as_one() -> None:
    assert canonical_value("2000-W8") == "2000-W08"
    assert canonical_value("2000-W8-WE") == "2000-W08-WE"
    assert canonical_value("196X") == "196"
    assert canonical_value("1968") == "1968"
