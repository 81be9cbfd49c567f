"""Incremental resolution: what lets new articles be resolved against a stored resolution
with the result of resolving everything again (`resolve_ordered`), not an approximation.

Each step of resolution is local, and each local unit is recomputed only when it changes:

- **copies**: the deduplicator compares two articles when the later one (in canonical
  order) reaches the earlier one through its window (`pair_compared`); copies are the
  connected components of the confirmed pairs, each copy pointing at the component's
  earliest article. The stored confirmed pairs plus the pairs of the new articles (found
  from stored MinHash signatures of the articles within the window, by their LSH bands:
  `band_matches`) give the same components. An undated article is compared with what
  the window holds at the end, so a later latest date can drop stored pairs: every pair
  is checked again (`copies`).
- **stories**: dated stories are clustered day by day (resolve/story_days.py), so a
  story's members up to a day depend only on the articles up to that day: an arrival
  re-clusters its own day and, as long as the stories open after it differ from the
  stored ones, the days after it (`dated_stories`). Undated blocks depend on ids only
  (hash prefixes) and a block's stories on its articles only: only the changed blocks
  (`changed_blocks`) are clustered again. Both from the articles' stored bags of terms
  (resolve/story_features.py), not their texts.
- **canonical events** merge within one story and type: a story's events depend on its
  mentions and its articles' copies, outlets and dates, so only new stories and stories
  whose articles' copies changed are merged again (store/incremental.py).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from sitrep.model import ArticleRef, Story
from sitrep.resolve.dedup import Deduplicator, day_number, jaccard_sorted
from sitrep.resolve.stories import story_of, undated_blocks
from sitrep.resolve.story_days import StoryDays
from sitrep.resolve.story_features import StoryFeatures
from sitrep.settings import ResolveSettings

# An article's place in canonical order: (id, published).
Placed = tuple[str, str | None]
# A confirmed copy pair: (earlier id, later id) in canonical order.
Pair = tuple[str, str]


def sort_key(aid: str, published: str | None) -> tuple[str, str]:
    """`dedup.canonical_key` from an id and a publication date."""
    return (published or "9999", aid)


@dataclass(frozen=True, slots=True)
class Timeline:
    """The articles in canonical order with their days read once: the dated ones as
    (id, day number), in order (so their days never decrease), then the undated ids."""

    dated: list[tuple[str, int]]
    days: list[int]  # the dated articles' days, for bisection
    undated: list[str]

    @classmethod
    def of(cls, order: Sequence[Placed]) -> Timeline:
        dated: list[tuple[str, int]] = []
        undated: list[str] = []
        for aid, published in order:
            day = day_number(published)
            if day is None:
                undated.append(aid)
            else:
                dated.append((aid, day))
        return cls(dated, [day for _, day in dated], undated)


def changed_blocks(
    before: Sequence[str], after: Sequence[str], settings: ResolveSettings
) -> list[tuple[str, ...]]:
    """The blocks of the undated articles `after` (which holds the undated `before`) that
    are not blocks of `before`: the only ones whose stories can differ (a block's stories
    are a function of its articles, which do not change)."""
    if len(after) == len(before):
        return []  # no undated article added: the same blocks
    old = {tuple(block) for block in undated_blocks(list(before), settings)}
    new = undated_blocks(list(after), settings)
    return [tuple(block) for block in new if tuple(block) not in old]


class FeatureSource(Protocol):
    """Where `dated_stories` reads articles' story features (store/story_features.py)."""

    def features(self, ids: list[str]) -> list[StoryFeatures]:
        """Features with their bags of terms, for clustering."""
        ...

    def summaries(self, ids: list[str]) -> list[StoryFeatures]:
        """Features without bags of terms (`story_days.summary`), for a story's fields."""
        ...


# Articles read at once, in canonical order, when a day to cluster again is not read yet:
# one read of a stretch of the store costs little more than a read of one day, but most
# re-clustering settles within days. The first read takes the first number past the
# window and the day, each further read twice the last, up to the second; a later run of
# days (a backfill's next new article) goes on from the last size.
_READ_AHEAD = (32, 512)


@dataclass(frozen=True, slots=True)
class Reclustered:
    """Dated stories clustered again (`dated_stories`) and what it took."""

    stories: list[Story]
    days: int  # days clustered again
    articles: int  # articles of those days and of the stories open before them


def dated_stories(
    timeline: Timeline,
    new_ids: set[str],
    stored_story: Mapping[str, str],
    source: FeatureSource,
    settings: ResolveSettings,
) -> Reclustered:
    """The dated stories that adding `new_ids` to the store changes, as a full resolution
    clusters them (`StoryDays`): every dated article's story lies among them or stays as
    stored. `timeline` holds every article, `stored_story` the stored story of each
    earlier one, `source` gives stored or new articles' features.

    Days are clustered again from the first new article's day, starting from the stories
    open then (stored ones, cut at that day), until every new article up to that day has
    been fed and the open stories are again the stored ones cut at that day: from there
    the stored days follow as they were. Then the same from the next new article's day."""
    dated, days = timeline.dated, timeline.days
    position = {aid: i for i, (aid, _) in enumerate(dated)}
    root = _roots(dated, stored_story)
    stored = _Stored(dated, position, dict(root), new_ids)
    read = _Read(source)
    new_days = sorted({days[position[aid]] for aid in new_ids if aid in position})
    seen: set[str] = set()
    at = fed = 0
    # Kept from one run of days to the next: a backfill's runs are many, each read once.
    ahead = _READ_AHEAD[0]
    while at < len(new_days):
        start = bisect_left(days, new_days[at])
        first = bisect_left(days, new_days[at] - settings.story_window_days)
        # The window and the days after it, in one read of their stretch of the store.
        end = bisect_right(days, new_days[at])
        read.features([aid for aid, _ in dated[first : end + ahead]])
        seeds = _members_of(dated, position, root, {root[a] for a, _ in dated[first:start]}, start)
        stepper = StoryDays(settings, _seeds(seeds, read), new_days[at])
        seen.update(aid for group in seeds.values() for aid in group)
        pos = start
        while pos < len(dated):
            day, end = days[pos], bisect_right(days, days[pos])
            ids = [aid for aid, _ in dated[pos:end]]
            if read.ahead(ids, [aid for aid, _ in dated[pos : end + ahead]]):
                ahead = min(2 * ahead, _READ_AHEAD[1])
            stepper.add_day(day, read.features(ids))
            seen.update(ids)
            fed += 1
            pos = end
            while at < len(new_days) and new_days[at] <= day:
                at += 1
            # What the next day with articles can join: the stories open before it.
            until = days[pos] - 1 if pos < len(days) else day
            if stored.continues(stepper.open_stories(until), end):
                break
        for story in stepper.stories():
            for member in story:
                root[member.id] = story[0].id
    groups = _members_of(dated, position, root, {root[aid] for aid in seen}, len(dated))
    summaries = read.summaries([aid for group in groups.values() for aid in group])
    stories = [story_of([summaries[aid] for aid in group]) for group in groups.values()]
    return Reclustered(stories, fed, len(seen))


def _seeds(members: Mapping[str, list[str]], read: _Read) -> list[list[StoryFeatures]]:
    """The seeds of a `StoryDays`: each story's members, those of the window (read before)
    with their bags of terms, the others as summaries."""
    found = read.summaries([aid for group in members.values() for aid in group])
    return [[found[aid] for aid in group] for group in members.values()]


def _members_of(
    dated: Sequence[tuple[str, int]],
    position: Mapping[str, int],
    root: Mapping[str, str],
    roots: set[str],
    stop: int,
    leave_out: frozenset[str] | set[str] = frozenset(),
) -> dict[str, list[str]]:
    """The members before position `stop` of the stories named by `roots` (their first
    members), less `leave_out`, in canonical order, the stories in the order of their
    first members. A story's members come after its first member: the scan starts at the
    earliest of them, so a store's older articles are not read."""
    out: dict[str, list[str]] = {r: [] for r in sorted(roots, key=position.__getitem__)}
    if not roots:
        return out
    for aid, _ in dated[min(position[r] for r in roots) : stop]:
        group = out.get(root[aid])
        if group is not None and aid not in leave_out:
            group.append(aid)
    return out


@dataclass(frozen=True, slots=True)
class _Stored:
    """The stored stories (by their first members, `root`), for `continues`."""

    dated: Sequence[tuple[str, int]]
    position: Mapping[str, int]
    root: Mapping[str, str]
    new_ids: set[str]

    def continues(self, open_stories: Sequence[Sequence[StoryFeatures]], stop: int) -> bool:
        """Whether `open_stories` (those the next day with articles can join) are the
        stored ones cut before position `stop` (the end of the last day fed), so the days
        after it come out as stored. A story holding a new article is no stored one: new
        articles are left out of the stored ones (and name no stored story)."""
        ids = [[f.id for f in story] for story in open_stories]
        roots = {self.root[story[0]] for story in ids}
        cut = _members_of(self.dated, self.position, self.root, roots, stop, self.new_ids)
        return all(cut[self.root[story[0]]] == story for story in ids)


class _Read:
    """A `FeatureSource` read once per article, in as few reads as it can."""

    def __init__(self, source: FeatureSource) -> None:
        self._source = source
        self._full: dict[str, StoryFeatures] = {}
        self._summaries: dict[str, StoryFeatures] = {}

    def ahead(self, needed: list[str], stretch: list[str]) -> bool:
        """Read the features of `stretch` (which holds `needed`) unless every needed one
        is read already; say whether it read."""
        if all(aid in self._full for aid in needed):
            return False
        self.features(stretch)
        return True

    def features(self, ids: list[str]) -> list[StoryFeatures]:
        missing = [aid for aid in ids if aid not in self._full]
        if missing:
            self._full.update((f.id, f) for f in self._source.features(missing))
        return [self._full[aid] for aid in ids]

    def summaries(self, ids: list[str]) -> dict[str, StoryFeatures]:
        missing = [aid for aid in ids if aid not in self._full and aid not in self._summaries]
        if missing:
            self._summaries.update((f.id, f) for f in self._source.summaries(missing))
        return {aid: self._full.get(aid) or self._summaries[aid] for aid in ids}


def _roots(dated: Sequence[tuple[str, int]], stored_story: Mapping[str, str]) -> dict[str, str]:
    """Each dated article's story named by its first member (canonical order): a story
    never changes its first member as days are added, unlike its id (a digest of all its
    members). A new article names itself until it is clustered."""
    first: dict[str, str] = {}
    root: dict[str, str] = {}
    for aid, _ in dated:
        story = stored_story.get(aid)
        root[aid] = aid if story is None else first.setdefault(story, aid)
    return root


def pair_compared(
    earlier: str | None, later: str | None, last_day: int | None, window: int
) -> bool:
    """Whether the deduplicator compares two articles, `earlier` and `later` their
    publication dates in canonical order, in a store whose latest date is `last_day`: an
    article is compared with what the index holds when it arrives, the articles of the
    `window` days before it (an undated one: before the latest date; 0: all)."""
    if window <= 0:
        return True
    first, second = day_number(earlier), day_number(later)
    if first is None:
        return True  # both undated: undated articles come last and never leave the index
    reference = second if second is not None else last_day
    return reference is None or first >= reference - window


def copies(pairs: Iterable[Pair], key_of: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """{copy: original} from confirmed pairs: components, each led by its earliest member."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            first, second = sorted((ra, rb), key=key_of.__getitem__)
            parent[second] = first
    return {x: r for x in list(parent) if (r := root(x)) != x}


def window_candidates(
    timeline: Timeline, new_ids: set[str], last_day: int | None, window: int
) -> list[str]:
    """Stored articles a new one may be compared with (a superset: `pair_compared` decides):
    within `window` days of a new article's date, in the last window, or undated. Found by
    the days' order, without a pass over the store."""
    dated, days = timeline.dated, timeline.days
    if window <= 0:
        every = [aid for aid, _ in dated] + timeline.undated
        return [aid for aid in every if aid not in new_ids]
    new_days = sorted({day for aid, day in dated if aid in new_ids})
    spans = [(day - window, day + window) for day in new_days]
    if last_day is not None:
        spans.append((last_day - window, last_day))
    wanted: set[int] = set()
    for low, high in spans:
        wanted.update(range(bisect_left(days, low), bisect_right(days, high)))
    found = [dated[i][0] for i in sorted(wanted)] + timeline.undated
    return [aid for aid in found if aid not in new_ids]


def band_matches(
    stored: NDArray[np.uint64], new: NDArray[np.uint64], bands: int, rows: int
) -> set[tuple[int, int]]:
    """Pairs (i, j), j a row of `new` and i a row of `stored` or `new` (numbered after the
    stored ones, i < j for two new rows), whose signatures agree on all `rows` values of at
    least one of `bands` bands: the candidates a `MinHashLSH` of these bands and rows,
    holding both, returns for the new signatures (its band keys are the bands' bytes).
    One sort a band over the window's signatures, instead of inserting each into an index."""
    every = np.vstack([stored, new]) if len(stored) else new
    first_new = len(stored)
    found: set[tuple[int, int]] = set()
    for band in range(bands):
        keys = np.ascontiguousarray(every[:, band * rows : (band + 1) * rows])
        _, group = np.unique(keys.view(np.dtype((np.void, rows * 8))).ravel(), return_inverse=True)
        group = group.ravel()
        wanted = np.isin(group, group[first_new:])
        members: dict[int, list[int]] = {}
        for index in np.flatnonzero(wanted).tolist():
            members.setdefault(int(group[index]), []).append(index)
        for same in members.values():
            found.update((i, j) for j in same if j >= first_new for i in same if i < j)
    return found


def new_copy_pairs(
    new: Sequence[ArticleRef],
    stored: Mapping[str, tuple[str | None, NDArray[np.uint64]]],
    text_of: Callable[[list[str]], Mapping[str, str]],
    last_day: int | None,
    settings: ResolveSettings,
) -> tuple[list[Pair], dict[str, NDArray[np.uint64] | None]]:
    """Confirmed copy pairs with at least one new article, and the new articles' MinHash
    signatures. `stored` holds (published, signature) of the stored candidates;
    `text_of` reads stored texts, needed only for the few LSH candidates to confirm."""
    dedup = Deduplicator(settings)
    published: dict[str, str | None] = {aid: date for aid, (date, _) in stored.items()}
    hashes: dict[str, NDArray[np.uint64]] = {}
    signatures: dict[str, NDArray[np.uint64] | None] = {}
    queried: list[str] = []
    for article in new:
        signature, shingles = dedup.signature(article.text)
        published[article.id] = article.published
        signatures[article.id] = None if signature is None else signature.hashvalues
        if signature is not None:
            hashes[article.id] = shingles
            queried.append(article.id)
    ids = [*stored, *queried]
    width = settings.minhash_permutations
    matrix = np.array([values for _, values in stored.values()], dtype=np.uint64)
    matches = band_matches(
        matrix.reshape(len(stored), width),
        np.array([signatures[aid] for aid in queried], dtype=np.uint64).reshape(-1, width),
        *dedup.bands,
    )
    candidates: set[Pair] = set()
    for i, j in matches:
        a, b = sorted((ids[i], ids[j]), key=lambda x: sort_key(x, published[x]))
        if pair_compared(published[a], published[b], last_day, settings.dedup_window_days):
            candidates.add((a, b))
    missing = sorted({x for pair in candidates for x in pair if x not in hashes})
    for aid, text in text_of(missing).items():
        hashes[aid] = dedup.signature(text)[1]
    pairs = sorted(
        p
        for p in candidates
        if jaccard_sorted(hashes[p[0]], hashes[p[1]]) >= settings.dedup_threshold
    )
    return pairs, signatures
