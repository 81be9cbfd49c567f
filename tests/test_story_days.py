"""Dated stories day by day (resolve/story_days.py) and the average linkage they use
(resolve/linkage.py): a day's articles join the open stories or start new ones, earlier
days are never decided again, and a store can pick up where it stopped."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from sitrep.model import ArticleRef
from sitrep.resolve.dedup import day_number
from sitrep.resolve.incremental import Timeline, dated_stories
from sitrep.resolve.linkage import average_linkage
from sitrep.resolve.stories import cluster_stories
from sitrep.resolve.story_days import StoryDays, summary
from sitrep.resolve.story_features import Analysers, StoryFeatures
from sitrep.settings import ResolveSettings

SETTINGS = ResolveSettings()

# Words of our own, one vocabulary per topic.
_TOPICS = {
    "port": "harbour cranes dockers strike shipping containers berth pilots tugboats",
    "dam": "reservoir spillway floodgates engineers turbines river levee sluice",
    "vote": "ballots parliament coalition recount turnout candidates senate mandate",
    "grain": "wheat silos export corridor freighters barley tonnes harvest",
}


def _article(aid: str, topic: str, day: date, rnd: random.Random) -> ArticleRef:
    words = _TOPICS[topic].split()
    text = " ".join(rnd.choice(words) for _ in range(40))
    return ArticleRef(aid, text, f"{topic} {aid}", "Desk", day.isoformat(), None)


def _groups(stories: list[list[StoryFeatures]]) -> set[frozenset[str]]:
    return {frozenset(f.id for f in story) for story in stories}


# --- average linkage -------------------------------------------------------------------


def _random_similarities(rnd: np.random.Generator, n: int) -> np.ndarray:
    points = rnd.random((n, 3))
    distance = np.linalg.norm(points[:, None] - points[None], axis=2)
    return np.clip(1.0 - distance, 0.0, 1.0)


@pytest.mark.parametrize("seed", range(6))
def test_without_fixed_clusters_it_is_scikit_learns_average_linkage(seed: int) -> None:
    from sklearn.cluster import AgglomerativeClustering

    rnd = np.random.default_rng(seed)
    for _ in range(20):
        n = int(rnd.integers(2, 30))
        sim = _random_similarities(rnd, n)
        threshold = float(rnd.uniform(0.2, 0.8))
        owner = average_linkage(
            sim.copy(), np.ones(n, dtype=np.int64), np.zeros(n, dtype=bool), threshold
        )
        distance = 1.0 - sim
        np.fill_diagonal(distance, 0.0)
        labels = (
            AgglomerativeClustering(
                n_clusters=None,
                metric="precomputed",
                linkage="average",
                distance_threshold=1.0 - threshold,
            )
            .fit(distance)
            .labels_
        )
        ours = {frozenset(np.flatnonzero(np.array(owner) == o).tolist()) for o in set(owner)}
        theirs = {frozenset(np.flatnonzero(labels == lab).tolist()) for lab in set(labels)}
        assert ours == theirs


def test_fixed_clusters_never_merge_and_their_sizes_weigh_the_mean() -> None:
    # Two fixed clusters (0: 1 member, 1: 4 members) and one new article (2) similar to
    # both; the new article bridges nothing: it joins one of them, the closer on average.
    sums = np.array([[0.0, 0.9, 0.5], [0.9, 0.0, 2.4], [0.5, 2.4, 0.0]])
    sizes = np.array([1, 4, 1], dtype=np.int64)
    fixed = np.array([True, True, False])
    # Means: 0-2 0.5, 1-2 0.6; 0-1 would be 0.225 but is barred anyway.
    assert average_linkage(sums.copy(), sizes, fixed, 0.1) == [0, 1, 1]
    # Counted with its five members the big one is no longer closer: 2.4 / 5 < 0.5.
    assert average_linkage(sums.copy(), np.array([1, 5, 1]), fixed, 0.1) == [0, 1, 0]
    # Nothing above the threshold: nothing merges.
    assert average_linkage(sums.copy(), sizes, fixed, 0.7) == [0, 1, 2]


def test_a_group_that_joined_a_fixed_cluster_stays_barred_from_the_others() -> None:
    # 2 and 3 are close (0.9); 2 is close to fixed 0, 3 to fixed 1. Once 2+3 joins one of
    # them, the merged cluster is fixed too and never takes in the other.
    sums = np.array(
        [
            [0.0, 0.0, 0.8, 0.1],
            [0.0, 0.0, 0.1, 0.8],
            [0.8, 0.1, 0.0, 0.9],
            [0.1, 0.8, 0.9, 0.0],
        ]
    )
    # After 2+3 joins 0, the mean of (0, 2, 3) with 1 would be (0.1 + 0.8) / 3 = 0.3: above
    # the threshold, barred all the same.
    owner = average_linkage(sums, np.ones(4, dtype=np.int64), np.array([1, 1, 0, 0], bool), 0.2)
    assert owner[0] != owner[1]
    assert owner[2] == owner[3] and owner[2] in (owner[0], owner[1])


# --- days ------------------------------------------------------------------------------


def _features(articles: list[ArticleRef]) -> list[StoryFeatures]:
    analysers = Analysers()
    return [analysers.features(a) for a in articles]


def _feed(days: StoryDays, features: list[StoryFeatures]) -> None:
    by_day: dict[int, list[StoryFeatures]] = {}
    for f in sorted(features, key=lambda f: (f.published or "", f.id)):
        number = day_number(f.published)
        assert number is not None
        by_day.setdefault(number, []).append(f)
    for number in sorted(by_day):
        days.add_day(number, by_day[number])


def test_an_open_story_takes_in_the_next_days_articles_and_a_closed_one_does_not() -> None:
    rnd = random.Random(1)
    start = date(2025, 4, 1)
    articles = [
        _article("a1", "port", start, rnd),
        _article("a2", "dam", start, rnd),
        _article("a3", "port", start + timedelta(2), rnd),  # within the 3-day window
        _article("a4", "dam", start + timedelta(9), rnd),  # the dam story closed by then
    ]
    days = StoryDays(SETTINGS)
    _feed(days, _features(articles))
    assert _groups(days.stories()) == {
        frozenset({"a1", "a3"}),
        frozenset({"a2"}),
        frozenset({"a4"}),
    }


def test_a_bridging_article_does_not_merge_two_open_stories() -> None:
    # Day one: a port story and a grain story. Day two: an article on both (grain shipped
    # through the port) joins one of them; the two stories stay two.
    rnd = random.Random(2)
    start = date(2025, 4, 1)
    port, grain = _article("p", "port", start, rnd), _article("g", "grain", start, rnd)
    both = ArticleRef(
        "b",
        port.text[: len(port.text) // 2] + " " + grain.text[: len(grain.text) // 2],
        "both",
        "Desk",
        (start + timedelta(1)).isoformat(),
        None,
    )
    days = StoryDays(SETTINGS)
    _feed(days, _features([port, grain, both]))
    groups = _groups(days.stories())
    assert len(groups) == 2
    assert frozenset({"p", "g"}) not in {frozenset(g - {"b"}) for g in groups if len(g) > 2}


def test_a_large_day_is_clustered_in_slices_that_see_the_earlier_ones() -> None:
    rnd = random.Random(3)
    day = date(2025, 5, 1)
    articles = [_article(f"x{n:02d}", ("port", "vote")[n % 2], day, rnd) for n in range(12)]
    sliced = StoryDays(replace(SETTINGS, story_max_block=3))
    _feed(sliced, _features(articles))
    # Four slices of three; the topics still make two stories across them.
    assert _groups(sliced.stories()) == {
        frozenset(a.id for a in articles[0::2]),
        frozenset(a.id for a in articles[1::2]),
    }


def test_days_out_of_order_are_refused() -> None:
    rnd = random.Random(5)
    days = StoryDays(SETTINGS)
    _feed(days, _features([_article("a", "dam", date(2025, 1, 9), rnd)]))
    late = _features([_article("b", "dam", date(2025, 1, 2), rnd)])
    with pytest.raises(ValueError, match="date order"):
        days.add_day(date(2025, 1, 2).toordinal(), late)


def test_the_members_kept_have_no_bags_of_terms() -> None:
    rnd = random.Random(4)
    days = StoryDays(SETTINGS)
    _feed(days, _features([_article("a", "dam", date(2025, 1, 1), rnd)]))
    (story,) = days.stories()
    assert story[0] == summary(story[0]) and not len(story[0].terms)


def _corpus(seed: int) -> list[ArticleRef]:
    rnd = random.Random(seed)
    start = date(2025, 2, 1)
    out: list[ArticleRef] = []
    for day in range(40):
        if 18 <= day < 23:
            continue  # a quiet stretch: every story closes
        for _ in range(rnd.choice([0, 1, 2, 3])):
            topic = list(_TOPICS)[(day // 6 + rnd.choice([0, 0, 1])) % len(_TOPICS)]
            out.append(_article(f"a{len(out):03d}", topic, start + timedelta(day), rnd))
    return out


class _Source:
    """Features as the store gives them."""

    def __init__(self, features: dict[str, StoryFeatures]) -> None:
        self._features = features

    def features(self, ids: list[str]) -> list[StoryFeatures]:
        return [self._features[i] for i in ids]

    def summaries(self, ids: list[str]) -> list[StoryFeatures]:
        return [summary(self._features[i]) for i in ids]


def _stored(articles: list[ArticleRef]) -> dict[str, str]:
    return {aid: s.story_id for s in cluster_stories(articles, SETTINGS) for aid in s.article_ids}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_re_clustering_from_a_new_articles_day_gives_the_full_stories(seed: int) -> None:
    """`dated_stories` on a store lacking some articles gives, for every story it returns,
    the full clustering's story, and every other stored story is one of the full ones."""
    articles = _corpus(seed)
    features = {f.id: f for f in _features(articles)}
    order = sorted(((a.id, a.published) for a in articles), key=lambda p: (p[1] or "", p[0]))
    full = {s.story_id: s for s in cluster_stories(articles, SETTINGS)}
    rnd = random.Random(seed)
    for new in (
        set(rnd.sample([a.id for a in articles], 1)),  # one back in time
        set(rnd.sample([a.id for a in articles], 6)),  # several, anywhere
        {aid for aid, _ in order[-4:]},  # the latest news
    ):
        stored = _stored([a for a in articles if a.id not in new])
        done = dated_stories(Timeline.of(order), new, stored, _Source(features), SETTINGS)
        redone = {aid for s in done.stories for aid in s.article_ids}
        assert new <= redone
        assert all(full[s.story_id] == s for s in done.stories)
        kept = {sid for aid, sid in stored.items() if aid not in redone}
        assert kept <= set(full)  # the stories left as stored are stories of the full run
        if len(new) == 1:  # one article back in time: its own days, not the whole store
            assert done.days < len({p for _, p in order}) / 2
            assert done.articles < len(articles)
