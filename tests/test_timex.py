"""Tests for the rule-based TIMEX3 normaliser (sentences written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.extract import timex_anchor as ta
from sitrep.extract.timex import TimexMatch, find_timexes, normalise_timex

FRI = dt.date(2023, 2, 24)  # a Friday
TUE = dt.date(2023, 1, 24)  # a Tuesday


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        # weekdays: most recent on or before the anchor
        ("on Friday", ("DATE", "2023-02-24")),
        ("Friday", ("DATE", "2023-02-24")),
        ("on Tuesday", ("DATE", "2023-02-21")),
        ("Thursday", ("DATE", "2023-02-23")),
        ("Saturday", ("DATE", "2023-02-18")),
        ("last Tuesday", ("DATE", "2023-02-21")),
        ("last Friday", ("DATE", "2023-02-17")),
        ("next Friday", ("DATE", "2023-03-03")),
        ("this coming Monday", ("DATE", "2023-02-27")),
        ("Wed.", ("DATE", "2023-02-22")),
        # days relative to the anchor
        ("today", ("DATE", "2023-02-24")),
        ("this day", ("DATE", "2023-02-24")),
        ("yesterday", ("DATE", "2023-02-23")),
        ("tomorrow", ("DATE", "2023-02-25")),
        ("the day before yesterday", ("DATE", "2023-02-22")),
        ("three days ago", ("DATE", "2023-02-21")),
        ("two weeks ago", ("DATE", "2023-W06")),
        ("a year ago", ("DATE", "2022")),
        ("two years ago", ("DATE", "2021")),
        ("five months ago", ("DATE", "2022-09")),
        ("a few days ago", ("DATE", "PAST_REF")),
        # years, months, weeks
        ("last year", ("DATE", "2022")),
        ("this year", ("DATE", "2023")),
        ("next year", ("DATE", "2024")),
        ("on this day last year", ("DATE", "2022")),
        ("late last year", ("DATE", "2022")),
        ("the end of the year", ("DATE", "2023")),
        ("last month", ("DATE", "2023-01")),
        ("this month", ("DATE", "2023-02")),
        ("later this month", ("DATE", "2023-02")),
        ("next month", ("DATE", "2023-03")),
        ("this week", ("DATE", "2023-W08")),
        ("last week", ("DATE", "2023-W07")),
        ("next week", ("DATE", "2023-W09")),
        ("this weekend", ("DATE", "2023-W08-WE")),
        # month names and month-days
        ("on February 18", ("DATE", "2023-02-18")),
        ("Feb. 18", ("DATE", "2023-02-18")),
        ("18 February", ("DATE", "2023-02-18")),
        ("on March 3", ("DATE", "2023-03-03")),  # 7 days ahead: stays in 2023
        ("October 5", ("DATE", "2022-10-05")),
        ("in October", ("DATE", "2022-10")),
        ("mid-December", ("DATE", "2022-12")),
        ("February", ("DATE", "2023-02")),
        ("last March", ("DATE", "2022-03")),
        ("next October", ("DATE", "2023-10")),
        ("January this year", ("DATE", "2023-01")),
        # absolute dates
        ("February 24, 2022", ("DATE", "2022-02-24")),
        ("24 February 2022", ("DATE", "2022-02-24")),
        ("Thursday, Feb. 24, 2022", ("DATE", "2022-02-24")),
        ("Feb 2022", ("DATE", "2022-02")),
        ("2023-02-24", ("DATE", "2023-02-24")),
        ("24/02/2023", ("DATE", "2023-02-24")),
        ("2/24/2023", ("DATE", "2023-02-24")),
        ("in 2014", ("DATE", "2014")),
        ("the 1990s", ("DATE", "199")),
        ("the '80s", ("DATE", "198")),
        ("the 20th century", ("DATE", "19")),
        ("nineteen ninety-one", ("DATE", "1991")),
        # seasons and quarters
        ("this summer", ("DATE", "2023-SU")),
        ("next spring", ("DATE", "2023-SP")),
        ("last autumn", ("DATE", "2022-FA")),
        ("summer 2014", ("DATE", "2014-SU")),
        ("the fourth quarter", ("DATE", "2022-Q4")),
        ("the first quarter of 2021", ("DATE", "2021-Q1")),
        # times and parts of day
        ("3 p.m. on Friday", ("TIME", "2023-02-24T15:00")),
        ("Thursday at 9:30 a.m.", ("TIME", "2023-02-23T09:30")),
        ("0400 GMT", ("TIME", "2023-02-24T04:00")),
        ("noon", ("TIME", "2023-02-24T12:00")),
        ("Friday morning", ("TIME", "2023-02-24TMO")),
        ("Tuesday night", ("TIME", "2023-02-21TNI")),
        ("this morning", ("TIME", "2023-02-24TMO")),
        ("tonight", ("TIME", "2023-02-24TNI")),
        ("last night", ("TIME", "2023-02-23TNI")),
        ("yesterday afternoon", ("TIME", "2023-02-23TAF")),
        # references
        ("now", ("DATE", "PRESENT_REF")),
        ("currently", ("DATE", "PRESENT_REF")),
        ("recently", ("DATE", "PAST_REF")),
        ("in the past", ("DATE", "PAST_REF")),
        ("in recent weeks", ("DATE", "PAST_REF")),
        ("in the coming days", ("DATE", "FUTURE_REF")),
        ("soon", ("DATE", "FUTURE_REF")),
        # durations
        ("three days", ("DURATION", "P3D")),
        ("for two weeks", ("DURATION", "P2W")),
        ("72 hours", ("DURATION", "PT72H")),
        ("five hours", ("DURATION", "PT5H")),
        ("a year", ("DURATION", "P1Y")),
        ("several months", ("DURATION", "PXM")),
        ("a few days", ("DURATION", "PXD")),
        ("the past three months", ("DURATION", "P3M")),
        ("the past week", ("DURATION", "P1W")),
        ("more than twenty years", ("DURATION", "P20Y")),
        ("twenty-four hours", ("DURATION", "PT24H")),
        ("a decade", ("DURATION", "P10Y")),
        ("half an hour", ("DURATION", "PT30M")),
        ("two and a half years", ("DURATION", "P2Y6M")),
        ("decades", ("DURATION", "PXY")),
        ("16-hour", ("DURATION", "PT16H")),
        # sets
        ("every day", ("SET", "P1D")),
        ("daily", ("SET", "P1D")),
        ("weekly", ("SET", "P1W")),
        ("every two weeks", ("SET", "P2W")),
        ("every Friday", ("SET", "XXXX-WXX-5")),
        ("on Sundays", ("SET", "XXXX-WXX-7")),
    ],
)
def test_normalise_anchor_friday(phrase: str, expected: tuple[str, str]) -> None:
    assert normalise_timex(phrase, FRI) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on Tuesday", ("DATE", "2023-01-24")),
        ("Monday", ("DATE", "2023-01-23")),
        ("Wednesday", ("DATE", "2023-01-18")),
        ("Last fall", ("DATE", "2022-FA")),
        ("last summer", ("DATE", "2022-SU")),
        ("this winter", ("DATE", "2022-WI")),
        ("Earlier this month", ("DATE", "2023-01")),
        ("since October", ("DATE", "2022-10")),
        ("October 5", ("DATE", "2022-10-05")),
        ("December 31", ("DATE", "2022-12-31")),
        ("in February", ("DATE", "2023-02")),  # starts 8 days after the anchor
        ("in recent days", ("DATE", "PAST_REF")),
        ("last year", ("DATE", "2022")),
        ("last month", ("DATE", "2022-12")),
        ("last week", ("DATE", "2023-W03")),
        ("the third quarter", ("DATE", "2022-Q3")),
        ("Christmas", ("DATE", "2022-12-25")),
    ],
)
def test_normalise_anchor_tuesday(phrase: str, expected: tuple[str, str]) -> None:
    assert normalise_timex(phrase, TUE) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("February 24, 2022", ("DATE", "2022-02-24")),
        ("2014", ("DATE", "2014")),
        ("in the 1990s", ("DATE", "199")),
        ("three days", ("DURATION", "P3D")),
        ("now", ("DATE", "PRESENT_REF")),
        ("daily", ("SET", "P1D")),
        ("on Friday", None),
        ("yesterday", None),
        ("last year", None),
        ("October 5", None),
        ("3 p.m.", None),
    ],
)
def test_normalise_without_anchor(phrase: str, expected: tuple[str, str] | None) -> None:
    assert normalise_timex(phrase, None) == expected


@pytest.mark.parametrize(
    "phrase",
    [
        "the one-year anniversary",
        "the war",
        "the first anniversary of the invasion",
        "a three-year-old girl",
        "05/06/2023",  # ambiguous day/month order
        "dozens of days",
        "",
    ],
)
def test_not_a_time(phrase: str) -> None:
    assert normalise_timex(phrase, FRI) is None


def _values(text: str, anchor: dt.date | None = FRI) -> list[tuple[str, str]]:
    return [(m.text, m.value) for m in find_timexes(text, anchor)]


def test_find_offsets_and_types() -> None:
    text = "Shelling resumed on Friday after a lull of three days, officials said."
    found = find_timexes(text, FRI)
    assert found == [
        TimexMatch(20, 26, "Friday", "DATE", "2023-02-24"),
        TimexMatch(43, 53, "three days", "DURATION", "P3D"),
    ]
    for m in found:
        assert text[m.start : m.end] == m.text


def test_find_this_day_last_year() -> None:
    assert _values("On this day last year, columns crossed the border.") == [
        ("this day last year", "2022")
    ]


def test_find_modal_may_and_verb_march_are_ignored() -> None:
    text = "Protesters may march on the capital; the vote may come in May or on March 3."
    assert _values(text) == [("May", "2022-05"), ("March 3", "2023-03-03")]


def test_find_anniversary_and_counts_are_ignored() -> None:
    text = "On the one-year anniversary of the siege, some 2000 troops and a 10-year-old boy left."
    assert _values(text) == []


def test_find_year_ranges_time_zones_and_holidays() -> None:
    text = "Raids ran from 1991 to 1997; up to 2000 troops left at 4 a.m. EST Saturday."
    assert _values(text) == [
        ("1991", "1991"),
        ("1997", "1997"),
        ("4 a.m. EST Saturday", "2023-02-18T04:00"),
    ]
    assert _values("They met on Thanksgiving Day and again last Christmas.") == [
        ("Thanksgiving Day", "2022-11-24"),
        ("last Christmas", "2022-12-25"),
    ]


def test_find_fall_of_city_is_not_a_season() -> None:
    assert _values("After the fall of the city last autumn, fighting moved west.") == [
        ("last autumn", "2022-FA")
    ]


def test_find_mixed_sentence() -> None:
    text = (
        "The ceasefire signed on 24 February 2022 collapsed in recent days; since October "
        "the militia has attacked daily, and talks are due next week."
    )
    assert _values(text) == [
        ("24 February 2022", "2022-02-24"),
        ("in recent days", "PAST_REF"),
        ("October", "2022-10"),
        ("daily", "P1D"),
        ("next week", "2023-W09"),
    ]


def test_find_times_and_parts_of_day() -> None:
    text = "The blast came at 3 p.m. on Friday; a second strike hit early Thursday morning."
    assert _values(text) == [
        ("3 p.m. on Friday", "2023-02-24T15:00"),
        ("early Thursday morning", "2023-02-23TMO"),
    ]


def test_find_years_and_decades() -> None:
    text = "Fighting there began in 2014 and echoes the wars of the 1990s."
    assert _values(text, None) == [("2014", "2014"), ("the 1990s", "199")]


def test_find_sorted_and_non_overlapping() -> None:
    text = (
        "Yesterday, two days after the raid on February 20, the army said it would stay for months."
    )
    found = find_timexes(text, FRI)
    starts = [m.start for m in found]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
    assert ("Yesterday", "2023-02-23") in _values(text)
    assert ("February 20", "2023-02-20") in _values(text)


def test_find_empty_text() -> None:
    assert find_timexes("", FRI) == []


# ------------------------------------------------------------------ anchor arithmetic


def test_weekday_helpers() -> None:
    assert ta.weekday_on_or_before(FRI, 4) == FRI
    assert ta.weekday_before(FRI, 4) == dt.date(2023, 2, 17)
    assert ta.weekday_after(FRI, 4) == dt.date(2023, 3, 3)
    assert ta.weekday_this_week(FRI, 0) == dt.date(2023, 2, 20)


def test_month_day_window() -> None:
    limit = ta.shift_days(FRI, ta.FUTURE_WINDOW_DAYS)
    assert ta.resolve_month_day(FRI, limit.month, limit.day) == limit
    after = ta.shift_days(limit, 1)
    assert ta.resolve_month_day(FRI, after.month, after.day) == after.replace(year=2022)
    assert ta.resolve_month_day(FRI, 2, 29) is None  # no Feb 29 in 2022/2023, 2024 too far


def test_seasons_and_quarters() -> None:
    assert ta.season_value(ta.season_index(dt.date(2023, 1, 10))) == "2022-WI"
    assert ta.last_season(dt.date(2022, 10, 1), 2) == "2021-FA"
    assert ta.next_season(TUE, 0) == "2023-SP"
    assert ta.shift_quarter(TUE, -1) == "2022-Q4"
    assert ta.resolve_quarter(TUE, 1) == 2023


def test_iso_week_year_boundary() -> None:
    assert ta.iso_week_value(dt.date(2021, 1, 1)) == "2020-W53"
    assert ta.resolve_two_digit_year(FRI, 98) == 1998
    assert ta.resolve_decade(FRI, 20) == 202


def test_next_years_quarter() -> None:
    assert normalise_timex("next year's first quarter", FRI) == ("DATE", "2024-Q1")
    assert normalise_timex("last year's second half", FRI) == ("DATE", "2022-H2")
