"""Stories without dates: undated blocks of short texts need a higher similarity.

Fixture (written for this test): two stories of one recurring topic in an invented town,
water rationing ordered, then eased after rains, told as leads by two outlets each, among
other leads that share some of their words. Without dates nothing keeps the two stories
apart but the threshold.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from sitrep.model import ArticleRef
from sitrep.resolve.stories import block_threshold, cluster_stories
from sitrep.resolve.story_features import Analysers, StoryFeatures
from sitrep.settings import ResolveSettings

RS = ResolveSettings()

LEADS = {
    "ordered-1": (
        "Velmora begins water rationing as reservoir falls",
        "The Velmora council ordered water rationing on Tuesday after the Orlin reservoir fell "
        "to 31 percent, limiting households to four hours of supply a day.",
    ),
    "ordered-2": (
        "Water rationing starts in Velmora",
        "Households in Velmora will get water for four hours a day, the council said, as the "
        "Orlin reservoir dropped to 31 percent of its capacity.",
    ),
    "eased-1": (
        "Velmora eases rationing after storms",
        "Council officials in Velmora relaxed the limits on Friday: heavy rains lifted the Orlin "
        "reservoir to 58 percent, so taps will run ten hours daily.",
    ),
    "eased-2": (
        "Rains refill Orlin reservoir, limits relaxed",
        "After storms raised the Orlin reservoir to 58 percent, Velmora officials said taps would "
        "again run for ten hours daily.",
    ),
    "strike": (
        "Dock workers strike at Port Tessin",
        "Dock workers at Port Tessin walked out on Monday over unpaid overtime, leaving twelve "
        "container ships waiting at anchor.",
    ),
    "cup": (
        "Kestrel Rovers win the northern cup",
        "Kestrel Rovers beat Millbrook United two goals to one in the northern cup final, their "
        "first title in nine seasons.",
    ),
    "budget": (
        "Velmora council approves new budget",
        "The Velmora council approved its budget on Wednesday, with more money for roads, "
        "schools and the town library.",
    ),
    "fishing": (
        "Fishing banned on Orlin reservoir",
        "Anglers may no longer fish on the Orlin reservoir, the water authority said, after a "
        "survey found falling numbers of trout.",
    ),
    "bills": (
        "Households face higher water bills",
        "Water bills for households in the region will rise by six percent next year, the "
        "regional water authority announced.",
    ),
    "floods": (
        "Heavy rains flood roads in the north",
        "Heavy rains flooded roads across the north on Thursday, and several villages were cut "
        "off for hours.",
    ),
}


def _leads(day: str | None = None) -> list[ArticleRef]:
    return [ArticleRef(aid, text, title, None, day) for aid, (title, text) in LEADS.items()]


def _features(articles: list[ArticleRef]) -> list[StoryFeatures]:
    analysers = Analysers()
    return [analysers.features(a) for a in articles]


def _groups(articles: list[ArticleRef], settings: ResolveSettings) -> list[list[str]]:
    return sorted(sorted(s.article_ids) for s in cluster_stories(articles, settings))


def test_undated_leads_of_one_recurring_topic_stay_two_stories() -> None:
    groups = _groups(_leads(), RS)
    assert ["ordered-1", "ordered-2"] in groups
    assert ["eased-1", "eased-2"] in groups
    assert len(groups) == 8  # the other leads stay alone


def test_at_the_plain_threshold_the_topic_runs_together() -> None:
    # The rule is what keeps them apart: switched off, the two stories become one.
    off = replace(RS, story_undated_words=0)
    merged = [g for g in _groups(_leads(), off) if "ordered-1" in g][0]
    assert {"ordered-1", "ordered-2", "eased-1", "eased-2"} <= set(merged)


def test_dated_blocks_keep_the_plain_threshold() -> None:
    # Same day: the window does not separate them, and the threshold is not raised.
    dated = _leads("2026-03-02")
    assert block_threshold(_features(dated), RS) == RS.story_threshold
    merged = [g for g in _groups(dated, RS) if "ordered-1" in g][0]
    assert {"eased-1", "eased-2"} <= set(merged)


def test_the_raise_follows_the_median_length_and_is_capped() -> None:
    def block(words: int) -> list[StoryFeatures]:
        text = " ".join(f"w{i}" for i in range(words - 1))
        return _features([ArticleRef(f"a{n}", text, "Title", None, None) for n in range(3)])

    assert block_threshold(block(400), RS) == RS.story_threshold  # full texts: unchanged
    assert block_threshold(block(200), RS) == RS.story_threshold
    assert block_threshold(block(50), RS) == pytest.approx(RS.story_threshold * 2.0)
    assert block_threshold(block(100), RS) == pytest.approx(RS.story_threshold * 2**0.5)
    assert block_threshold(block(10), RS) == pytest.approx(RS.story_threshold * 2.0)  # cap
