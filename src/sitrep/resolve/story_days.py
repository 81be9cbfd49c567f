"""Dated stories, day by day: each day's articles join the stories still open or start new
ones, and nothing decided on an earlier day is decided again.

A story is *open* on day d while one of its members lies within `story_window_days`
before d (articles further apart never meet, so a story with no member that near can take
nothing in). Day d's articles are clustered by average linkage (resolve/linkage.py)
together with the open stories, each a cluster from the start: an article, or a group of
the day's articles, joins the open story whose mean similarity to it is highest, above
`story_threshold`, or makes a new story; two open stories never merge. The mean runs over
every member of a story, and those beyond the window count with similarity 0, as they did
when a whole run was clustered at once. TF-IDF is fitted on the day's articles and those
of the window.

Why day by day: a story's members on the days up to d depend only on the articles up to
d. The stories of a store are then a function of its articles, as before, and news added
in date order re-clusters only its own day, whatever the store holds; an article added back
in time re-clusters from its day on, until the open stories come out as they were stored
(resolve/incremental.py). A day with more than `story_max_block` articles is clustered in
slices of that many, in canonical order, each seeing the slices before it as open stories.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from sitrep.resolve.dedup import day_number
from sitrep.resolve.linkage import average_linkage
from sitrep.resolve.story_features import StoryFeatures, similarity
from sitrep.settings import ResolveSettings

_NO_TERMS = np.zeros(0, dtype=np.uint64)
_NO_COUNTS = np.zeros(0, dtype=np.uint32)


def summary(features: StoryFeatures) -> StoryFeatures:
    """What a story keeps of a member once the member has left the window: everything but
    its bags of terms (label, date, outlet and names make the story's fields)."""
    return replace(features, ends=(), terms=_NO_TERMS, counts=_NO_COUNTS)


@dataclass(slots=True)
class _Entry:
    """An article of the window: its day, features and story."""

    day: int
    features: StoryFeatures
    story: int


class StoryDays:
    """Dated articles, fed one day at a time in canonical order, clustered into stories.

    `seeds` are stories decided before `first_day`, the first day to be fed (incremental
    resolution): each a list of its members in canonical order, with their bags of terms
    for those within the window of that day (the others may be `summary`s). Seeds come in
    canonical order of their first members, the order in which the days created them."""

    def __init__(
        self,
        settings: ResolveSettings,
        seeds: Sequence[Sequence[StoryFeatures]] = (),
        first_day: int = 0,
    ) -> None:
        self._settings = settings
        self._members: list[list[StoryFeatures]] = []
        self._last_day: list[int] = []
        reach = first_day - settings.story_window_days
        entries: list[tuple[tuple[str, str], _Entry]] = []
        for index, members in enumerate(seeds):
            self._members.append([summary(f) for f in members])
            days = [_day(f) for f in members]
            self._last_day.append(max(days))
            entries.extend(
                ((f.published or "", f.id), _Entry(day, f, index))
                for f, day in zip(members, days, strict=True)
                if day >= reach
            )
        self._window = [entry for _, entry in sorted(entries, key=lambda e: e[0])]

    def add_day(self, day: int, articles: Sequence[StoryFeatures]) -> None:
        """Cluster one day's articles (canonical order; `day` their day number, later than
        every day fed before)."""
        if self._window and day < self._window[-1].day:
            raise ValueError(f"story days must be fed in date order: day {day} came late")
        size = max(self._settings.story_max_block, 1)
        for start in range(0, len(articles), size):
            self._step(day, list(articles[start : start + size]))

    def stories(self) -> list[list[StoryFeatures]]:
        """Every story so far: its members (`summary`s) in canonical order."""
        return [list(members) for members in self._members]

    def open_stories(self, day: int) -> list[list[StoryFeatures]]:
        """The stories a day after `day` could still join: a member within the window."""
        reach = day + 1 - self._settings.story_window_days
        return [m for m, last in zip(self._members, self._last_day, strict=True) if last >= reach]

    def _step(self, day: int, chunk: list[StoryFeatures]) -> None:
        reach = day - self._settings.story_window_days
        self._window = [e for e in self._window if e.day >= reach]
        window = self._window
        sim = similarity(
            [e.features for e in window] + chunk, self._settings.story_weights, len(window)
        )
        olds, to_old = _candidates(sim, window, self._members, self._settings.story_threshold)
        sizes = [len(self._members[s]) for s in olds]
        owner = _link(sim, len(window), to_old, sizes, self._settings)
        created: dict[int, int] = {}
        for j, features in enumerate(chunk):
            root = owner[len(olds) + j]
            if root < len(olds):
                story = olds[root]
            elif root in created:
                story = created[root]
            else:
                story = created[root] = len(self._members)
                self._members.append([])
                self._last_day.append(day)
            self._members[story].append(summary(features))
            self._last_day[story] = day
            self._window.append(_Entry(day, features, story))


def _day(features: StoryFeatures) -> int:
    number = day_number(features.published)
    if number is None:
        raise ValueError(f"story days need dated articles: {features.id}")
    return number


def _candidates(
    sim: NDArray[np.float64],
    window: list[_Entry],
    members: list[list[StoryFeatures]],
    threshold: float,
) -> tuple[list[int], NDArray[np.float64]]:
    """The open stories the chunk's articles could join, in order of their indices, and
    the summed similarity of each chunk article (rows) to each such story's window
    members (columns). A story joins a group of new articles only if its mean similarity
    to them is above the threshold, and that mean is at most its best mean with one of
    them: stories whose best is not above it are left out."""
    if not window:
        return [], np.zeros((len(sim), 0))
    stories = np.array([e.story for e in window], dtype=np.int64)
    olds, column = np.unique(stories, return_inverse=True)
    summed = np.zeros((len(sim), len(olds)))
    np.add.at(summed.T, column, sim[:, : len(window)].T)
    sizes = np.array([len(members[s]) for s in olds], dtype=np.float64)
    keep = (summed / sizes).max(axis=0, initial=0.0) > threshold
    return [int(s) for s in olds[keep]], summed[:, keep]


def _link(
    sim: NDArray[np.float64],
    window: int,
    to_old: NDArray[np.float64],
    old_sizes: list[int],
    settings: ResolveSettings,
) -> list[int]:
    """Average linkage over the candidate open stories (fixed clusters, first) and the
    chunk's articles (singletons, after them)."""
    m, k = len(old_sizes), len(sim)
    sums = np.zeros((m + k, m + k))
    sums[:m, m:] = to_old.T
    sums[m:, :m] = to_old
    sums[m:, m:] = sim[:, window:]
    sizes = np.array([*old_sizes, *([1] * k)], dtype=np.int64)
    fixed = np.array([True] * m + [False] * k, dtype=bool)
    return average_linkage(sums, sizes, fixed, settings.story_threshold)
