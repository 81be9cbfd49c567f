"""Calendar arithmetic that anchors relative time expressions on a publication date.

Every function here is small, pure and independent of any phrase parsing, so the
anchoring rules can be read (and tested) on their own.  News is written relative to
its publication date, and these rules encode how a reporter's words map onto dates:

* A bare weekday ("on Friday") is the most recent such day *on or before* the anchor.
  "last Friday" is strictly before it, "next Friday" strictly after it.
* A month-day without a year ("October 5") is the latest occurrence that falls no more
  than :data:`FUTURE_WINDOW_DAYS` days after the anchor.  In an article of 2023-02-24
  "March 3" is therefore 2023-03-03 (7 days ahead, likely a scheduled event), while
  "October 5" is 2022-10-05.  A bare month ("October") and a bare quarter ("the fourth
  quarter") use the same rule applied to their first day.
* Seasons are SP (Mar-May), SU (Jun-Aug), FA (Sep-Nov) and WI (Dec-Feb).  A winter is
  labelled with the year in which it *begins*, so January 2023 lies in "2022-WI".
"""

from __future__ import annotations

import datetime as dt

FUTURE_WINDOW_DAYS = 60
"""How far after the anchor a year-less month, month-day or quarter may still fall."""

SEASONS = ("SP", "SU", "FA", "WI")


def shift_days(anchor: dt.date, days: int) -> dt.date:
    """The date ``days`` days after (negative: before) ``anchor``."""
    return anchor + dt.timedelta(days=days)


def shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by ``delta`` months."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def weekday_on_or_before(anchor: dt.date, weekday: int) -> dt.date:
    """Most recent date with ``weekday`` (Monday=0) on or before ``anchor``."""
    return anchor - dt.timedelta(days=(anchor.weekday() - weekday) % 7)


def weekday_before(anchor: dt.date, weekday: int) -> dt.date:
    """Most recent date with ``weekday`` strictly before ``anchor``."""
    return anchor - dt.timedelta(days=(anchor.weekday() - weekday - 1) % 7 + 1)


def weekday_after(anchor: dt.date, weekday: int) -> dt.date:
    """First date with ``weekday`` strictly after ``anchor``."""
    return anchor + dt.timedelta(days=(weekday - anchor.weekday() - 1) % 7 + 1)


def weekday_this_week(anchor: dt.date, weekday: int) -> dt.date:
    """The date with ``weekday`` in the anchor's ISO week (Monday to Sunday)."""
    return anchor + dt.timedelta(days=weekday - anchor.weekday())


def iso_week_value(day: dt.date) -> str:
    """ISO week of ``day`` as a TIMEX3 value, e.g. ``2023-W08``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _latest_not_after(candidates: list[dt.date], limit: dt.date) -> dt.date | None:
    best: dt.date | None = None
    for cand in candidates:
        if cand <= limit and (best is None or cand > best):
            best = cand
    return best


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def resolve_month_day(anchor: dt.date, month: int, day: int) -> dt.date | None:
    """Year-less month-day: latest occurrence at most FUTURE_WINDOW_DAYS after the anchor."""
    limit = shift_days(anchor, FUTURE_WINDOW_DAYS)
    cands = [_safe_date(y, month, day) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    return _latest_not_after([c for c in cands if c is not None], limit)


def resolve_month(anchor: dt.date, month: int) -> tuple[int, int]:
    """Year-less month: (year, month) of the latest one starting in the window."""
    found = resolve_month_day(anchor, month, 1)
    return (found.year, month) if found else (anchor.year - 1, month)


def last_month_named(anchor: dt.date, month: int) -> tuple[int, int]:
    """'last October': the most recent such month strictly before the anchor's month."""
    return (anchor.year if month < anchor.month else anchor.year - 1, month)


def next_month_named(anchor: dt.date, month: int) -> tuple[int, int]:
    """'next October': the first such month strictly after the anchor's month."""
    return (anchor.year if month > anchor.month else anchor.year + 1, month)


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def resolve_quarter(anchor: dt.date, quarter: int) -> int:
    """Year of a year-less quarter ('the fourth quarter'), same window as months."""
    return resolve_month(anchor, (quarter - 1) * 3 + 1)[0]


def shift_quarter(anchor: dt.date, delta: int) -> str:
    """Quarter value relative to the anchor's quarter, e.g. ``2022-Q4`` for -1 in Q1."""
    index = anchor.year * 4 + quarter_of(anchor) - 1 + delta
    return f"{index // 4}-Q{index % 4 + 1}"


def season_index(day: dt.date) -> int:
    """Running season number (year * 4 + season), winter labelled by its start year."""
    if day.month <= 2:
        return (day.year - 1) * 4 + 3
    return day.year * 4 + (day.month - 3) // 3


def season_value(index: int) -> str:
    return f"{index // 4}-{SEASONS[index % 4]}"


def last_season(anchor: dt.date, season: int) -> str:
    """Most recent completed ``season`` (0=SP .. 3=WI) before the anchor's season."""
    cur = season_index(anchor)
    index = cur - 1
    while index % 4 != season:
        index -= 1
    return season_value(index)


def next_season(anchor: dt.date, season: int) -> str:
    """First ``season`` after the anchor's season."""
    index = season_index(anchor) + 1
    while index % 4 != season:
        index += 1
    return season_value(index)


def this_season(anchor: dt.date, season: int) -> str:
    """'this summer': the current season if it matches, else the one in the anchor's year."""
    cur = season_index(anchor)
    if cur % 4 == season:
        return season_value(cur)
    year = anchor.year - 1 if season == 3 and anchor.month <= 2 else anchor.year
    return season_value(year * 4 + season)


def resolve_two_digit_year(anchor: dt.date | None, yy: int) -> int:
    """'98 -> 1998: the latest year ending in ``yy`` not more than 10 years after anchor."""
    ref = anchor.year if anchor else 2000
    year = (ref // 100) * 100 + yy
    while year > ref + 10:
        year -= 100
    return year


def resolve_decade(anchor: dt.date | None, decade: int) -> int:
    """'the '90s' (decade=90) -> 199: the latest such decade not after the anchor's."""
    ref = anchor.year if anchor else 2000
    year = (ref // 100) * 100 + decade
    if year > ref:
        year -= 100
    return year // 10
