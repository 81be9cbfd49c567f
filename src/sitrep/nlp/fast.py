"""Faster drop-ins for two stock spaCy components, with identical output.

The stock `attribute_ruler` runs a Matcher of ~180 patterns over every token; almost all of
them look at one token only, so their effect depends only on that token's (tag, lower form,
dependency label, is-space) and is computed once per distinct combination. The stock rule
lemmatizer keeps its word index as lists, so every candidate lemma is a linear search; sets
make the same look-ups constant-time, and its answer depends only on (word, POS,
morphology), so it is asked once per distinct key. Both write their attributes for a
whole document with `Doc.from_array` instead of token by token. Together the two stock
components took about a third of a plain `en_core_web_sm` pass (see docs/performance.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

if TYPE_CHECKING:
    from spacy.pipeline import AttributeRuler, Lemmatizer
    from spacy.vocab import Vocab

FAST_ATTRIBUTE_RULER = "sitrep_fast_attribute_ruler"
FAST_LEMMATIZER = "sitrep_fast_lemmatizer"

# Token attributes a one-token pattern may test, and how to read them off a key.
_KEY_FIELDS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_ARRAY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]
# What almost every rule sets, written for the whole document with `Doc.from_array`.
_WRITTEN = [POS, MORPH, LEMMA]
_WRITTEN_SET = frozenset(_WRITTEN)
_LEMMA_KEY = [ORTH, POS, MORPH, LEMMA]
Key = tuple[str, str, str, bool]
Effect = dict[int, Any]
_Encoded = tuple[list[int], list[int], Effect]


def _value_matches(spec: Any, value: str | bool) -> bool:
    if not isinstance(spec, dict):
        return bool(spec == value)
    for op, arg in spec.items():
        if op == "IN":
            ok = value in arg
        elif op == "NOT_IN":
            ok = value not in arg
        elif op == "REGEX":
            ok = isinstance(value, str) and re.search(arg, value) is not None
        else:  # pragma: no cover - guarded by _supported
            raise ValueError(op)
        if not ok:
            return False
    return True


def _required_values(spec: Any) -> list[str] | None:
    """The values a spec accepts when it is a closed set of strings, else None."""
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, dict) and set(spec) == {"IN"}:
        return [v for v in spec["IN"] if isinstance(v, str)]
    return None


def _spec_matches(spec: dict[str, Any], key: Key) -> bool:
    return all(_value_matches(v, key[_KEY_FIELDS[a]]) for a, v in spec.items())


def _supported(token_spec: dict[str, Any]) -> bool:
    for attr, spec in token_spec.items():
        if attr not in _KEY_FIELDS:
            return False
        if isinstance(spec, dict) and not set(spec) <= {"IN", "NOT_IN", "REGEX"}:
            return False
        if not isinstance(spec, dict | str | bool):
            return False
    return True


# Distinct token keys a fast component remembers before it forgets them all and starts
# again: the caches are keyed by word form, and a long watch keeps meeting new names and
# numbers, so unbounded they would grow for as long as it runs (~1 KB a key in all). The
# most frequent forms come back within a few articles, so little is recomputed.
MAX_CACHED_KEYS = 50_000


class _ZoneKeys:
    """The keys a component caches inside spaCy's memory zone (`Language.memory_zone`),
    forgotten from its caches when the zone ends (`forgetting`)."""

    def __init__(self) -> None:
        self._added: set[Hashable] | None = None  # None: outside a zone

    def add(self, key: Hashable) -> None:
        if self._added is not None:
            self._added.add(key)

    @contextmanager
    def forgetting(self, caches: Callable[[], Iterable[dict[Any, Any]]]) -> Iterator[None]:
        """Record the keys added until the zone ends, then drop them from `caches()`."""
        self._added = set()
        try:
            yield
        finally:
            added, self._added = self._added, None
            for cached in caches():
                for key in added:
                    cached.pop(key, None)


class FastAttributeRuler:
    """The rules of a stock AttributeRuler, applied with per-key caching.

    Every rule is tested on the tokens as they come in and the hits are applied in pattern
    order, later patterns winning, exactly as the stock component does."""

    def __init__(self, vocab: Vocab, name: str = FAST_ATTRIBUTE_RULER) -> None:
        self.vocab = vocab
        self.name = name
        # (pattern order, token spec, attrs) for one-token patterns.
        self.single: list[tuple[int, dict[str, Any], Effect]] = []
        # (pattern order, target index, attrs, token specs) for longer fixed-length ones.
        self.multi: list[tuple[int, int, Effect, list[dict[str, Any]]]] = []
        self._by_lower: dict[str, list[int]] = {}
        self._by_tag: dict[str, list[int]] = {}
        self._general: list[int] = []
        self._effects: dict[tuple[int, ...], Effect] = {}
        self._starts: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._multi_by_lower: dict[str, list[int]] = {}
        self._multi_general: list[int] = []
        self._keys: dict[tuple[int, ...], Key] = {}
        self._encodings: dict[tuple[int, ...], _Encoded] = {}
        self.max_cached_keys = MAX_CACHED_KEYS
        self._zone_keys = _ZoneKeys()

    def memory_zone(self, mem: object = None) -> AbstractContextManager[None]:
        """spaCy's hook for `Language.memory_zone`: the keys first met inside the zone are
        forgotten when it ends. Its answers name only the rules' own strings, which stay,
        but a long-running process extracts every batch inside a zone (the new words of
        news are freed then) and would otherwise keep a key for every word form it has
        met, up to `max_cached_keys` (~1 KB a key); a batch still shares its keys."""
        return self._zone_keys.forgetting(
            lambda: (self._effects, self._starts, self._keys, self._encodings)
        )

    def adopt(self, ruler: AttributeRuler) -> bool:
        """Take over the rules of `ruler`; False when a rule uses a feature this class does
        not evaluate (then keep the stock component)."""
        single: list[tuple[int, dict[str, Any], Effect]] = []
        multi: list[tuple[int, int, Effect, list[dict[str, Any]]]] = []
        for order, (attrs, index) in enumerate(zip(ruler.attrs, ruler.indices, strict=True)):
            for pattern in ruler.matcher.get(str(order))[1]:
                if not pattern or not all(_supported(t) for t in pattern):
                    return False
                if not -len(pattern) <= index < len(pattern):
                    return False
                if len(pattern) == 1:
                    single.append((order, pattern[0], dict(attrs)))
                else:
                    multi.append((order, index % len(pattern), dict(attrs), list(pattern)))
        self.single, self.multi = single, multi
        self._index()
        return True

    def _index(self) -> None:
        """Bucket the one-token rules by a value they require (a lower form, else a tag),
        so a new key is checked against a handful of rules rather than all of them."""
        for n, (_order, spec, _attrs) in enumerate(self.single):
            for attr, bucket in (("LOWER", self._by_lower), ("TAG", self._by_tag)):
                values = _required_values(spec.get(attr))
                if values is not None:
                    for value in values:
                        bucket.setdefault(value, []).append(n)
                    break
            else:
                self._general.append(n)
        # The same for the first token of the longer rules ("ai" of "ain't", "gon" …).
        for n, (_order, _index, _attrs, specs) in enumerate(self.multi):
            values = _required_values(specs[0].get("LOWER"))
            if values is None:
                self._multi_general.append(n)
            for value in values or ():
                self._multi_by_lower.setdefault(value, []).append(n)

    def _key(self, ints: tuple[int, ...]) -> Key:
        key = self._keys.get(ints)
        if key is None:
            strings = self.vocab.strings
            key = (strings[ints[0]], strings[ints[1]], strings[ints[2]], bool(ints[3]))
            self._keys[ints] = key
            self._zone_keys.add(ints)
        return key

    def _hits(self, key: Key) -> list[tuple[int, Effect]]:
        """The one-token rules `key` satisfies, as (pattern order, attrs), in order."""
        candidates = sorted(
            {*self._by_lower.get(key[1], ()), *self._by_tag.get(key[0], ()), *self._general}
        )
        hits = []
        for n in candidates:
            order, spec, attrs = self.single[n]
            if _spec_matches(spec, key):
                hits.append((order, attrs))
        return hits

    def _effect(self, ints: tuple[int, ...]) -> Effect:
        effect = self._effects.get(ints)
        if effect is None:
            effect = {}
            for _order, attrs in self._hits(self._key(ints)):
                effect.update(attrs)
            self._effects[ints] = effect
        return effect

    def _multi_hits(self, rows: list[tuple[int, ...]]) -> dict[int, list[tuple[int, Effect]]]:
        """Token index → (pattern order, attrs) of the multi-token rules that set it."""
        found: dict[int, list[tuple[int, Effect]]] = {}
        for i, ints in enumerate(rows):
            starts = self._starts.get(ints)
            if starts is None:
                key = self._key(ints)
                candidates = sorted({*self._multi_by_lower.get(key[1], ()), *self._multi_general})
                starts = tuple(n for n in candidates if _spec_matches(self.multi[n][3][0], key))
                self._starts[ints] = starts
            for n in starts:
                order, index, attrs, specs = self.multi[n]
                if i + len(specs) > len(rows):
                    continue
                if all(
                    _spec_matches(spec, self._key(rows[i + j]))
                    for j, spec in enumerate(specs[1:], 1)
                ):
                    found.setdefault(i + index, []).append((order, attrs))
        return found

    def _encode(self, effect: Effect) -> _Encoded:
        """An effect as (mask, values) over `_WRITTEN`, morphology normalised as
        `Token.set_morph` does it, plus what only `set_token_attrs` sets (TAG, DEP)."""
        mask = [0] * len(_WRITTEN)
        values = [0] * len(_WRITTEN)
        for column, attr in enumerate(_WRITTEN):
            if attr in effect:
                value = effect[attr]
                if attr == MORPH:
                    value = self.vocab.morphology.add(self.vocab.strings[value])
                mask[column], values[column] = 1, value
        rest = {attr: value for attr, value in effect.items() if attr not in _WRITTEN_SET}
        return mask, values, rest

    def _encoded(self, ints: tuple[int, ...]) -> _Encoded:
        found = self._encodings.get(ints)
        if found is None:
            found = self._encodings[ints] = self._encode(self._effect(ints))
        return found

    def _forget_when_full(self) -> None:
        """Empty the per-key caches once they hold `max_cached_keys` keys (they refill
        with the forms that come back; the answers are the same)."""
        if len(self._keys) >= self.max_cached_keys:
            for cached in (self._effects, self._starts, self._keys, self._encodings):
                cached.clear()

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        self._forget_when_full()
        rows = [tuple(r) for r in doc.to_array(_ARRAY_ATTRS).tolist()]
        extra = self._multi_hits(rows) if self.multi else {}
        masks: list[list[int]] = []
        values: list[list[int]] = []
        rare: list[tuple[int, Effect]] = []
        for i, ints in enumerate(rows):
            more = extra.get(i)
            if more:
                # Rare: re-apply every hit on this token in pattern order.
                effect: Effect = {}
                hits = self._hits(self._key(ints)) + more
                for _order, attrs in sorted(hits, key=lambda h: h[0]):
                    effect.update(attrs)
                mask, value, rest = self._encode(effect)
            else:
                mask, value, rest = self._encoded(ints)
            masks.append(mask)
            values.append(value)
            if rest:
                rare.append((i, rest))
        # POS, MORPH and LEMMA of every token in one write; the others keep their values.
        current = doc.to_array(_WRITTEN)
        updated = np.where(np.array(masks, dtype=bool), np.array(values, dtype=np.uint64), current)
        doc.from_array(_WRITTEN, cast(Any, updated))  # thinc's Ints2d is an ndarray
        for i, rest in rare:  # TAG or DEP (two stock rules): token by token, as stock does
            set_token_attrs(doc[i], rest)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def use_fast_attribute_ruler(nlp: Language) -> None:
    """Swap the stock attribute_ruler for the cached one, in the same place of the
    pipeline; leave it alone when it holds a rule the fast one cannot evaluate."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    from spacy.pipeline import AttributeRuler

    import sitrep.nlp.factories  # noqa: F401  (registers the factory)

    stock = nlp.get_pipe("attribute_ruler")
    if not isinstance(stock, AttributeRuler):
        return
    fast = nlp.add_pipe(FAST_ATTRIBUTE_RULER, after="attribute_ruler")
    if not isinstance(fast, FastAttributeRuler) or not fast.adopt(stock):
        nlp.remove_pipe(FAST_ATTRIBUTE_RULER)
        return
    nlp.remove_pipe("attribute_ruler")


class FastLemmatizer:
    """The stock rule lemmatizer, applied once per distinct (word, POS, morphology).

    Its output depends on nothing else (the stock component caches by the same key), so
    each new key asks the stock component and every token is then one dictionary look-up,
    written for the whole document at once."""

    def __init__(self, stock: Lemmatizer, name: str = FAST_LEMMATIZER) -> None:
        self.stock = stock
        self.name = name
        self.vocab = stock.vocab
        self._lemmas: dict[tuple[int, int, int], int] = {}
        self.max_cached_keys = MAX_CACHED_KEYS
        self._zone_keys = _ZoneKeys()

    def memory_zone(self, mem: object = None) -> AbstractContextManager[None]:
        """spaCy's hook for `Language.memory_zone`: a lemma first met inside the zone is a
        transient string, freed when the zone ends, so the keys cached inside it (ours and
        the stock component's, which is keyed the same) are forgotten then; a cached hash
        would otherwise name a string that is gone. What was learnt outside zones stays."""
        return self._zone_keys.forgetting(self._caches)

    def _caches(self) -> list[dict[Any, Any]]:
        stock_cache = getattr(self.stock, "cache", None)
        return [self._lemmas, *([stock_cache] if isinstance(stock_cache, dict) else [])]

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if len(self._lemmas) >= self.max_cached_keys:
            # Refills with the forms that come back (MAX_CACHED_KEYS); the stock component's
            # own cache, filled only by our misses, with it.
            self._lemmas.clear()
            stock_cache = getattr(self.stock, "cache", None)
            if isinstance(stock_cache, dict):
                stock_cache.clear()
        rows = doc.to_array(_LEMMA_KEY)
        lemmas = self._lemmas
        out: list[int] = []
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not self.stock.overwrite:
                out.append(lemma)  # set earlier (the attribute ruler): stock keeps it
                continue
            key = (orth, pos, morph)
            found = lemmas.get(key)
            if found is None:
                found = lemmas[key] = self.vocab.strings.add(self.stock.lemmatize(doc[i])[0])
                self._zone_keys.add(key)
            out.append(found)
        doc.from_array([LEMMA], cast(Any, np.array(out, dtype=np.uint64).reshape(-1, 1)))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def use_fast_lemmatizer(nlp: Language) -> None:
    """Put `FastLemmatizer` in the place of a stock rule lemmatizer (other modes and
    subclasses that change more than the base-form test are left alone)."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.pipeline import Lemmatizer

    stock = nlp.get_pipe("lemmatizer")
    if type(stock) not in (Lemmatizer, EnglishLemmatizer) or getattr(stock, "mode", "") != "rule":
        return
    import sitrep.nlp.factories  # noqa: F401  (registers the factory)

    nlp.add_pipe(FAST_LEMMATIZER, after="lemmatizer", config={"stock_name": "lemmatizer"})
    nlp.remove_pipe("lemmatizer")


def use_fast_lemma_index(nlp: Language) -> None:
    """Turn the rule lemmatizer's word lists into sets: the same membership answers,
    without a linear scan of thousands of words per candidate lemma."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe("lemmatizer")
    lookups = getattr(lemmatizer, "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key, words in list(table.items()):
        if isinstance(words, list):
            table[key] = frozenset(words)
