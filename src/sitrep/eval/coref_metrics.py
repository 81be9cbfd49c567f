"""Coreference metrics as the CoNLL reference scorer (v8.01) defines them: MUC, B-cubed,
CEAF-e and their average, the CoNLL F1.

Both sides are lists of clusters (sets of hashable mention keys); singletons count. Key and
response may cover different mentions: a response mention missing from the key (or the
reverse) simply shares nothing, as in the reference scorer.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

Cluster = frozenset[Hashable]


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _clusters(groups: Iterable[Iterable[Hashable]]) -> list[Cluster]:
    out = [frozenset(g) for g in groups]
    return [c for c in out if c]


def _muc_side(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float]:
    """Numerator and denominator of MUC recall of `response` against `key` (swap the two
    for precision): each key cluster scores |K| minus the parts the response cuts it into,
    a mention the response lacks being a part of its own."""
    where: dict[Hashable, int] = {m: i for i, c in enumerate(response) for m in c}
    num = den = 0.0
    for cluster in key:
        parts = {where.get(m, ("alone", m)) for m in cluster}
        num += len(cluster) - len(parts)
        den += len(cluster) - 1
    return num, den


def muc(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> PRF:
    k, r = _clusters(key), _clusters(response)
    rn, rd = _muc_side(k, r)
    pn, pd = _muc_side(r, k)
    recall = rn / rd if rd else 0.0
    precision = pn / pd if pd else 0.0
    return PRF(precision, recall, _f1(precision, recall))


def _b3_side(key: Sequence[Cluster], response: Sequence[Cluster]) -> float:
    where: dict[Hashable, int] = {m: i for i, c in enumerate(response) for m in c}
    total = sum(len(c) for c in key)
    score = 0.0
    for cluster in key:
        counts: dict[int, int] = {}
        for m in cluster:
            if m in where:
                counts[where[m]] = counts.get(where[m], 0) + 1
        score += sum(n * n for n in counts.values()) / len(cluster)
    return score / total if total else 0.0


def bcubed(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> PRF:
    k, r = _clusters(key), _clusters(response)
    recall, precision = _b3_side(k, r), _b3_side(r, k)
    return PRF(precision, recall, _f1(precision, recall))


def ceafe(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> PRF:
    """Entity-based CEAF (phi4 similarity, 2|K∩R| / (|K|+|R|)) under the best one-to-one
    alignment of key and response clusters (Kuhn–Munkres)."""
    k, r = _clusters(key), _clusters(response)
    if not k or not r:
        return PRF(0.0, 0.0, 0.0)
    where: dict[Hashable, int] = {m: j for j, c in enumerate(r) for m in c}
    sim = np.zeros((len(k), len(r)))
    for i, cluster in enumerate(k):
        for m in cluster:
            j = where.get(m)
            if j is not None:
                sim[i, j] += 1
    sizes_k = np.array([len(c) for c in k], dtype=float)[:, None]
    sizes_r = np.array([len(c) for c in r], dtype=float)[None, :]
    sim = 2 * sim / (sizes_k + sizes_r)
    rows, cols = linear_sum_assignment(sim, maximize=True)
    best = float(sim[rows, cols].sum())
    recall, precision = best / len(k), best / len(r)
    return PRF(precision, recall, _f1(precision, recall))


def conll(
    key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]
) -> dict[str, PRF]:
    """MUC, B-cubed and CEAF-e, and `conll` whose F1 is their mean (P and R means too)."""
    k, r = _clusters(key), _clusters(response)
    scores = {"muc": muc(k, r), "bcubed": bcubed(k, r), "ceafe": ceafe(k, r)}
    parts = list(scores.values())
    scores["conll"] = PRF(
        sum(s.precision for s in parts) / 3,
        sum(s.recall for s in parts) / 3,
        sum(s.f1 for s in parts) / 3,
    )
    return scores
