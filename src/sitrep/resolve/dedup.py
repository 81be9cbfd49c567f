"""Exact and near-duplicate articles (wire copies, reprints, lightly reworded "spun" copies).

MinHash LSH (datasketch) over word shingles finds candidate pairs; each candidate is
confirmed with the exact Jaccard similarity of the shingle sets. Copies are grouped
(connected components) and every copy points at the group's original: the earliest
published article, ties broken by id, so the answer does not depend on input order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sitrep.model import ArticleRef
from sitrep.settings import ResolveSettings

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


def find_duplicates(articles: Sequence[ArticleRef], settings: ResolveSettings) -> dict[str, str]:
    """{copy id: original id} for every article that copies another."""
    from datasketch import MinHash, MinHashLSH

    ordered = sorted(articles, key=lambda a: (a.published or "9999", a.id))
    sets = {a.id: shingles(a.text, settings.shingle_words) for a in ordered}
    lsh = MinHashLSH(threshold=settings.dedup_threshold, num_perm=settings.minhash_permutations)
    parent = {a.id: a.id for a in ordered}
    rank = {a.id: i for i, a in enumerate(ordered)}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # Random permutations are drawn once and shared: drawing them per article is slow.
    template = MinHash(num_perm=settings.minhash_permutations, seed=1)
    for article in ordered:
        if not sets[article.id]:
            continue
        signature = MinHash(
            num_perm=settings.minhash_permutations,
            seed=1,
            permutations=template.permutations,
            scheme=template.scheme,
        )
        signature.update_batch([s.encode("utf-8") for s in sets[article.id]])
        for other in lsh.query(signature):
            if jaccard(sets[article.id], sets[other]) >= settings.dedup_threshold:
                a, b = root(article.id), root(other)
                if a != b:  # the earlier article stays the root
                    parent[max(a, b, key=rank.__getitem__)] = min(a, b, key=rank.__getitem__)
        lsh.insert(article.id, signature)
    return {aid: root(aid) for aid in parent if root(aid) != aid}
