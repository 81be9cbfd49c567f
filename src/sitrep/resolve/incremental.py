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
- **stories**: story blocks (`stories.story_blocks`) depend on ids and dates only, and
  each boundary only on the articles of its calendar run (dated) or hash prefix
  (undated); a block's stories depend on its articles only. A block with the same
  articles keeps its stories; only the changed ones (`changed_blocks`) are clustered
  again, so an arrival re-clusters the blocks of its own run, wherever it lands in time,
  from the articles' stored bags of terms (resolve/story_features.py), not their texts.
- **canonical events** merge within one story and type: a story's events depend on its
  mentions and its articles' copies, outlets and dates, so only new stories and stories
  whose articles' copies changed are merged again (store/incremental.py).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

import numpy as np
from numpy.typing import NDArray

from sitrep.model import ArticleRef
from sitrep.resolve.dedup import Deduplicator, day_number, jaccard_sorted
from sitrep.resolve.stories import calendar_block, day_of, story_blocks
from sitrep.settings import ResolveSettings

# An article's place in canonical order: (id, published).
Placed = tuple[str, str | None]
# A confirmed copy pair: (earlier id, later id) in canonical order.
Pair = tuple[str, str]


def sort_key(aid: str, published: str | None) -> tuple[str, str]:
    """`dedup.canonical_key` from an id and a publication date."""
    return (published or "9999", aid)


def changed_blocks(
    before: Sequence[Placed], after: Sequence[Placed], settings: ResolveSettings
) -> list[tuple[str, ...]]:
    """The blocks of `after` (which holds `before`) that are not blocks of `before`: the
    only ones whose stories can differ (a block's stories are a function of its articles,
    which do not change). Only the stretches holding an added article are planned again
    (`_stretches`): elsewhere both orders have the same articles and so the same blocks."""
    added = {aid for aid, _ in after} - {aid for aid, _ in before}
    out: list[tuple[str, ...]] = []
    for stretch in _stretches(after, settings):
        if added.isdisjoint(aid for aid, _ in stretch):
            continue
        old = set(story_blocks([p for p in stretch if p[0] not in added], settings))
        out.extend(block for block in story_blocks(stretch, settings) if block not in old)
    return out


def _stretches(order: Sequence[Placed], settings: ResolveSettings) -> list[list[Placed]]:
    """`order` (canonical) cut where no block can span: between two dated articles of
    different calendar runs or more than `story_window_days` apart (`starts_block` starts
    a block there whatever the count), and before the undated ones (planned together).
    Taking articles out only widens those gaps, so the cuts of `order` are cuts of any
    order it holds, and each stretch is planned alone as it is within the whole."""
    stretches: list[list[Placed]] = []
    undated: list[Placed] = []
    previous: date | None = None
    for placed in order:
        day = day_of(placed[1])
        if day is None:
            undated.append(placed)
            continue
        if previous is None or (
            calendar_block(day, settings) != calendar_block(previous, settings)
            or (day - previous).days > settings.story_window_days
        ):
            stretches.append([])
        stretches[-1].append(placed)
        previous = day
    return stretches + ([undated] if undated else [])


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
    order: Sequence[Placed], new_ids: set[str], last_day: int | None, window: int
) -> list[str]:
    """Stored articles a new one may be compared with (a superset: `pair_compared` decides):
    within `window` days of a new article's date, in the last window, or undated."""
    if window <= 0:
        return [aid for aid, _ in order if aid not in new_ids]
    days = sorted(d for aid, p in order if aid in new_ids and (d := day_number(p)) is not None)
    out: list[str] = []
    for aid, published in order:
        if aid in new_ids:
            continue
        day = day_number(published)
        if day is None or (last_day is not None and day >= last_day - window):
            out.append(aid)
            continue
        at = bisect_left(days, day - window)
        if at < len(days) and days[at] <= day + window:
            out.append(aid)
    return out


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
