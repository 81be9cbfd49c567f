"""Average linkage that starts from given clusters, some of which must stay apart.

Story clustering by day (resolve/story_days.py) clusters one day's articles together with
the stories still open: an open story is a cluster from the start (its members were
decided on earlier days), it may take in new articles, but two open stories never merge
(that would change what earlier days decided, and with it every later day). scikit-learn's
`AgglomerativeClustering` starts from singletons and has no such constraint, hence this
small implementation. Without fixed clusters and with singletons it merges as
`AgglomerativeClustering(linkage="average", distance_threshold=1 - threshold)` does over
the distances 1 - similarity (tested against it).

Cost: one dense matrix of the clusters' pairwise averages, and per merge one pass over
a row plus a rescan of the rows whose best partner took part in the merge (the "generic"
algorithm with a nearest-neighbour cache, Müllner 2011, section 3.1).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def average_linkage(
    sums: NDArray[np.float64],
    sizes: NDArray[np.int64],
    fixed: NDArray[np.bool_],
    threshold: float,
) -> list[int]:
    """For each starting cluster, the index of the cluster it ends in (its smallest index).

    `sums[i, j]` is the sum of the similarities between the members of clusters i and j
    (symmetric; the diagonal is ignored; merged rows are summed into it in place, which
    saves a copy of the one matrix that can be large), `sizes[i]` the number of members
    of i (members with no similarity to anything count, as in a mean over all pairs),
    `fixed[i]` marks the clusters no two of which may merge. Two clusters merge while the
    highest mean similarity between two that may merge is above `threshold`; ties go to
    the lowest (row, column) pair, so the result depends only on the inputs and their
    order."""
    n = len(sizes)
    parent = list(range(n))
    if n < 2:
        return parent
    total = sums
    size = sizes.astype(np.float64)
    barred = fixed.astype(bool).copy()
    mean = total / size[:, None]
    mean /= size[None, :]
    np.fill_diagonal(mean, -np.inf)
    mean[np.ix_(barred, barred)] = -np.inf
    best = mean.argmax(axis=1)
    best_value = mean[np.arange(n), best]
    active = np.ones(n, dtype=bool)
    while True:
        row = int(best_value.argmax())
        if not best_value[row] > threshold:
            break
        a, b = sorted((row, int(best[row])))
        _merge(total, size, barred, mean, active, a, b)
        parent[b] = a
        best_value[b] = -np.inf
        # Rows whose best partner was a or b look again; the others compare with new a.
        stale = active & ((best == a) | (best == b))
        stale[a] = True
        column = mean[:, a]
        better = active & ~stale & (column > best_value)
        best[better] = a
        best_value[better] = column[better]
        for r in np.flatnonzero(stale).tolist():
            best[r] = int(mean[r].argmax())
            best_value[r] = mean[r, best[r]]
    # A cluster merges only into a smaller index, so one pass in order resolves chains.
    for i in range(n):
        parent[i] = parent[parent[i]]
    return parent


def _merge(
    total: NDArray[np.float64],
    size: NDArray[np.float64],
    barred: NDArray[np.bool_],
    mean: NDArray[np.float64],
    active: NDArray[np.bool_],
    a: int,
    b: int,
) -> None:
    """Merge cluster b into cluster a (a < b), updating sums, sizes and means in place."""
    total[a] += total[b]
    total[:, a] = total[a]
    size[a] += size[b]
    barred[a] |= barred[b]
    active[b] = False
    row = total[a] / (size[a] * size)
    row[~active] = -np.inf
    row[a] = -np.inf
    if barred[a]:
        row[barred] = -np.inf
    mean[a] = row
    mean[:, a] = row
    mean[b] = -np.inf
    mean[:, b] = -np.inf
