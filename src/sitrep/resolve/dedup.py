"""Exact and near-duplicate articles (wire copies, reprints, lightly reworded "spun" copies).

MinHash LSH (datasketch) over word shingles finds candidate pairs; each candidate is
confirmed with the exact Jaccard similarity of the shingle sets. Copies are grouped
(connected components) and every copy points at the group's original: the earliest
published article, ties broken by id, so the answer does not depend on input order.

Memory: an article's shingles are kept only as a sorted array of 64-bit SHA-1 prefixes
(8 bytes a shingle instead of a Python string in a set), and the text is not kept at all,
so `Deduplicator` can be fed one article at a time from a stream. Articles published more
than `dedup_window_days` before the current one leave the index, so its size follows the
window, not the number of articles (undated articles, last in canonical order, are
compared with what the window still holds).
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sitrep.errors import SitrepError
from sitrep.model import ArticleRef
from sitrep.settings import ResolveSettings

if TYPE_CHECKING:
    from datasketch import MinHash, MinHashLSH

_WORD = re.compile(r"\w+")
# Syndication lines that differ between copies and say nothing about the content.
_BOILERPLATE = re.compile(
    r"^(the post .* appeared first on .*|this article (was )?originally (appeared|published) .*|"
    r"(read|see) more:.*|follow us on .*|copyright .*|©.*)$",
    re.IGNORECASE | re.MULTILINE,
)


def shingles(text: str, size: int) -> set[str]:
    words = _WORD.findall(_BOILERPLATE.sub(" ", text).lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def jaccard_sorted(a: NDArray[np.uint64], b: NDArray[np.uint64]) -> float:
    """Jaccard of two sorted unique hash arrays (the shingle sets, up to 64-bit collisions)."""
    shared = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - shared
    return shared / union if union else 0.0


def canonical_key(article: ArticleRef) -> tuple[str, str]:
    """The order every resolution step visits articles in: publication date, then id."""
    return (article.published or "9999", article.id)


class Deduplicator:
    """Feed articles in canonical order (`canonical_key`), then read `duplicate_of`."""

    def __init__(self, settings: ResolveSettings) -> None:
        from datasketch import MinHash, MinHashLSH

        self._settings = settings
        self._lsh: MinHashLSH = MinHashLSH(
            threshold=settings.dedup_threshold, num_perm=settings.minhash_permutations
        )
        # Random permutations are drawn once and shared: drawing them per article is slow.
        self._template: MinHash = MinHash(num_perm=settings.minhash_permutations, seed=1)
        self._hashes: dict[str, NDArray[np.uint64]] = {}
        # (day, id) of the dated articles in the index, oldest first, for eviction.
        self._indexed: deque[tuple[int, str]] = deque()
        self._parent: dict[str, str] = {}
        self._rank: dict[str, int] = {}
        self._last: tuple[str, str] | None = None
        # Every confirmed copy pair (earlier id, later id) and every article's MinHash
        # signature (None: no words), kept for incremental resolution (resolve/incremental.py).
        self.pairs: list[tuple[str, str]] = []
        self.signatures: dict[str, NDArray[np.uint64] | None] = {}

    def _root(self, x: str) -> str:
        parent = self._parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def add(self, article: ArticleRef) -> None:
        key = canonical_key(article)
        if self._last is not None and key <= self._last:
            raise SitrepError(f"articles reached deduplication out of order at {article.id}")
        self._last = key
        day = day_number(article.published)
        if day is not None:
            self._evict_before(day - self._settings.dedup_window_days)
        self._rank[article.id] = len(self._rank)
        self._parent[article.id] = article.id
        signature, hashes = self.signature(article.text)
        self.signatures[article.id] = None if signature is None else signature.hashvalues
        if signature is None:
            return
        for other in self._lsh.query(signature):
            if jaccard_sorted(hashes, self._hashes[other]) >= self._settings.dedup_threshold:
                self.pairs.append((other, article.id))
                a, b = self._root(article.id), self._root(other)
                if a != b:  # the earlier article stays the root
                    self._parent[max(a, b, key=self._rank.__getitem__)] = min(
                        a, b, key=self._rank.__getitem__
                    )
        self._lsh.insert(article.id, signature)
        self._hashes[article.id] = hashes
        if day is not None:
            self._indexed.append((day, article.id))

    def signature(self, text: str) -> tuple[MinHash | None, NDArray[np.uint64]]:
        """The MinHash signature (None when the text has no words) and the sorted unique
        shingle hashes of a text."""
        from datasketch import MinHash

        first4, first8 = shingle_hashes(text, self._settings.shingle_words)
        if not len(first4):
            return None, np.unique(first8)
        # The first 4 bytes are datasketch's own sha1_hash32, so signatures are unchanged;
        # they are read for all shingles at once, and `int` only hands them over.
        signature = MinHash(
            num_perm=self._settings.minhash_permutations,
            seed=1,
            permutations=self._template.permutations,
            scheme=self._template.scheme,
            hashfunc=int,
        )
        signature.update_batch(first4.tolist())
        return signature, np.unique(first8)

    def _evict_before(self, first_day: int) -> None:
        """Drop articles published before `first_day` from the index (dates only grow in
        canonical order, so they can never be a later article's original again)."""
        if self._settings.dedup_window_days <= 0:
            return
        while self._indexed and self._indexed[0][0] < first_day:
            _, old = self._indexed.popleft()
            self._lsh.remove(old)
            del self._hashes[old]

    @property
    def scheme(self) -> str:
        """datasketch's hashing scheme of the signatures (needed to rebuild stored ones)."""
        return str(self._template.scheme)

    @property
    def bands(self) -> tuple[int, int]:
        """The LSH index's bands and rows per band (datasketch's optimum for the threshold;
        costly to compute, so read from the index)."""
        return int(self._lsh.b), int(self._lsh.r)

    @property
    def indexed(self) -> int:
        """Articles in the index now (what its memory follows)."""
        return len(self._hashes)

    def duplicate_of(self) -> dict[str, str]:
        """{copy id: original id} for every article that copies another."""
        roots = {aid: self._root(aid) for aid in self._parent}
        return {aid: root for aid, root in roots.items() if root != aid}


def day_number(published: str | None) -> int | None:
    try:
        return date.fromisoformat(published[:10]).toordinal() if published else None
    except ValueError:
        return None


def shingle_hashes(text: str, size: int) -> tuple[NDArray[np.uint32], NDArray[np.uint64]]:
    """The first 4 and first 8 bytes (little-endian) of each shingle's SHA-1, read from
    one buffer instead of one `int.from_bytes` per shingle."""
    joined = b"".join(hashlib.sha1(s.encode("utf-8")).digest() for s in shingles(text, size))
    rows = np.frombuffer(joined, dtype=np.uint8).reshape(-1, 20)
    first4 = np.ascontiguousarray(rows[:, :4]).view("<u4").ravel().astype(np.uint32)
    first8 = np.ascontiguousarray(rows[:, :8]).view("<u8").ravel().astype(np.uint64)
    return first4, first8


def find_duplicates(articles: Sequence[ArticleRef], settings: ResolveSettings) -> dict[str, str]:
    """{copy id: original id} for every article that copies another."""
    dedup = Deduplicator(settings)
    for article in sorted(articles, key=canonical_key):
        dedup.add(article)
    return dedup.duplicate_of()
