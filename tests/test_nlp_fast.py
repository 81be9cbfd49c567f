"""The cached attribute ruler and set-based lemma index give exactly the stock output, and
the extractor streams articles and rejects through one nlp.pipe in input order."""

from __future__ import annotations

from dataclasses import replace

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler

from sitrep.extract.service import Extractor
from sitrep.extract.timex import normalise_exact
from sitrep.kb.geofold import fold
from sitrep.model import Article, Extraction, Reject
from sitrep.nlp.fast import (
    FAST_ATTRIBUTE_RULER,
    FAST_LEMMATIZER,
    use_fast_attribute_ruler,
    use_fast_lemma_index,
    use_fast_lemmatizer,
)
from sitrep.nlp.pipeline import load_pipeline
from sitrep.settings import Settings

# Synthetic text that exercises the one-token rules (pronouns, auxiliaries, modals,
# determiners) and every multi-token rule of the stock English ruler (ain't, gonna, gotta,
# let's, c'mon, y'all, expletive "there is"), plus line breaks and odd spacing.
TEXTS = [
    "KYIV, March 3 (Reuters) - Russian forces shelled the city overnight, officials said.\n\n"
    "There is no sign that the attacks will stop, and there were more strikes on Tuesday.",
    "\"We ain't gonna leave,\" she told reporters. \"Y'all gotta see this. Let's go, c'mon!\"",
    "I'd said it myself: they had been warned, but nobody listened to them or to us.",
    "Did the army have enough shells? It has had none since May ,  and it's    running out.",
    "Those who fled said something terrible was being done to anyone who stayed behind.",
]

ATTRS = ("tag_", "pos_", "lemma_", "dep_", "ent_type_", "ent_iob_", "is_sent_start")


def _annotations(nlp: Language, texts: list[str]) -> list[list[tuple[object, ...]]]:
    return [
        [(*(getattr(t, a) for a in ATTRS), t.head.i, str(t.morph)) for t in doc]
        for doc in nlp.pipe(texts)
    ]


@pytest.fixture(scope="module")
def stock(settings: Settings) -> Language:
    return spacy.load(settings.nlp.model)


def test_fast_rules_give_the_stock_annotations(stock: Language, settings: Settings) -> None:
    fast = spacy.load(settings.nlp.model)
    use_fast_attribute_ruler(fast)
    use_fast_lemma_index(fast)
    use_fast_lemmatizer(fast)
    assert FAST_ATTRIBUTE_RULER in fast.pipe_names and "attribute_ruler" not in fast.pipe_names
    assert FAST_LEMMATIZER in fast.pipe_names and "lemmatizer" not in fast.pipe_names
    # The swaps keep the components' places in the pipeline.
    stock_name = {FAST_ATTRIBUTE_RULER: "attribute_ruler", FAST_LEMMATIZER: "lemmatizer"}
    names = [stock_name.get(n, n) for n in fast.pipe_names]
    assert names == stock.pipe_names
    expected = _annotations(stock, TEXTS)
    # Twice: the second pass runs from the warm per-key cache.
    assert _annotations(fast, TEXTS) == expected
    assert _annotations(fast, TEXTS) == expected
    lemmas = {t.lower_: t.lemma_ for doc in fast.pipe(TEXTS) for t in doc}
    assert lemmas["ai"] == "be" and lemmas["gon"] == "go" and lemmas["shelled"] == "shell"


def test_fast_rules_setting_switches_the_drop_ins(settings: Settings) -> None:
    on = load_pipeline(settings.nlp)
    off = load_pipeline(replace(settings.nlp, fast_rules=False))
    assert FAST_ATTRIBUTE_RULER in on.pipe_names
    assert "attribute_ruler" in off.pipe_names and FAST_ATTRIBUTE_RULER not in off.pipe_names
    assert _annotations(on, TEXTS) == _annotations(off, TEXTS)


def test_unsupported_rule_keeps_the_stock_ruler(settings: Settings) -> None:
    nlp = spacy.load(settings.nlp.model)
    # An operator ("OP") the fast ruler does not evaluate: the stock component stays.
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"LEMMA": "much"})
    use_fast_attribute_ruler(nlp)
    assert "attribute_ruler" in nlp.pipe_names and FAST_ATTRIBUTE_RULER not in nlp.pipe_names


def test_stream_keeps_input_order_with_rejects(extractor: Extractor) -> None:
    texts = [
        "Russian troops shelled Kharkiv on Friday, officials said.",
        "Protesters marched in Minsk on Sunday.",
        "Israeli jets struck targets in Gaza, the army said.",
    ]
    articles = [Article(id=f"a{i}", text=t) for i, t in enumerate(texts)]
    reject = Reject(origin="r1", code="R011", reason="too short")
    items: list[Article | Reject] = [reject, articles[0], articles[1], reject, articles[2]]
    out = list(extractor.stream(items + [reject]))
    kinds = [o.origin if isinstance(o, Reject) else o.article.id for o in out]
    assert kinds == ["r1", "a0", "a1", "r1", "a2", "r1"]
    batch = extractor.extract(articles)
    streamed = [o for o in out if isinstance(o, Extraction)]
    assert [len(e.events) for e in streamed] == [len(e.events) for e in batch]
    assert any(e.events for e in streamed)


def test_paragraph_breaks_start_sentences_at_line_breaks_and_after_datelines() -> None:
    from sitrep.nlp.components import paragraph_breaks

    nlp = spacy.blank("en")
    text = "Shelling hits port\nODESA, Ukraine (AP) — Missiles struck the port.\n\nTwo died"
    doc = paragraph_breaks(nlp.make_doc(text))
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts == ["Shelling", "ODESA", "Missiles", "Two"]
    assert len(paragraph_breaks(nlp.make_doc(""))) == 0
    assert not any(t.is_sent_start for t in paragraph_breaks(nlp.make_doc("one line two"))[1:])


def test_fast_caches_forget_when_full_and_answer_the_same(
    stock: Language, settings: Settings
) -> None:
    """A long watch meets new word forms for as long as it runs: the fast components'
    per-key caches empty themselves at `max_cached_keys` keys, so they stay bounded, and
    the annotations stay the stock ones."""
    fast = spacy.load(settings.nlp.model)
    use_fast_attribute_ruler(fast)
    use_fast_lemma_index(fast)
    use_fast_lemmatizer(fast)
    ruler, lemmatizer = fast.get_pipe(FAST_ATTRIBUTE_RULER), fast.get_pipe(FAST_LEMMATIZER)
    ruler.max_cached_keys = lemmatizer.max_cached_keys = 12
    numbered = [f"{text} Report {n} of {n + 7} ends." for n, text in enumerate(TEXTS * 3)]
    longest = max(len(doc) for doc in stock.pipe(numbered))
    for text in numbered:
        assert _annotations(fast, [text]) == _annotations(stock, [text])
        # Emptied before a document once full: at most one document's keys over the bound.
        assert len(ruler._keys) < 12 + longest and len(lemmatizer._lemmas) < 12 + longest
        assert len(lemmatizer.stock.cache) < 12 + longest  # the stock one's with it
    assert len(ruler._keys) > 0  # still caching between the clears


# Invented words (a lemma of each is a new string: "zorvated" → "zorvate"), as news keeps
# bringing names and forms a long-running process has not met.
NEW_WORDS = [
    "The Brenthavians were zorvating the Quindlemarks near Ostravelo, officials said.",
    "Kelmirov said the Quindlemarks had zorvated two Dushelkas before the Brenthavians left.",
]


def _fast(settings: Settings) -> Language:
    fast = spacy.load(settings.nlp.model)
    use_fast_attribute_ruler(fast)
    use_fast_lemma_index(fast)
    use_fast_lemmatizer(fast)
    return fast


def test_a_memory_zone_frees_the_new_words_and_the_lemmas_stay_right(
    stock: Language, settings: Settings
) -> None:
    """Inside `nlp.memory_zone()` the strings of new words are transient: gone when it
    ends. The fast lemmatizer forgets the keys it cached inside a zone, so the next zone's
    lemmas are still the stock ones (a kept hash would name a string that is gone)."""
    fast = _fast(settings)
    lemmatizer, ruler = fast.get_pipe(FAST_LEMMATIZER), fast.get_pipe(FAST_ATTRIBUTE_RULER)
    expected = _annotations(stock, NEW_WORDS)
    before = len(fast.vocab.strings)
    for _ in range(3):
        with fast.memory_zone():
            assert _annotations(fast, NEW_WORDS) == expected
        assert len(fast.vocab.strings) == before
        assert "zorvate" not in fast.vocab.strings
    # Both fast components keep nothing of the zones (the ruler's keys are safe to keep,
    # but a watch extracts every batch in a zone and would keep a key per word form).
    assert not lemmatizer._lemmas and not lemmatizer.stock.cache and not ruler._keys
    assert not ruler._effects and not ruler._encodings
    # Outside a zone the strings stay, and so do the cached keys.
    assert _annotations(fast, NEW_WORDS) == expected
    assert len(fast.vocab.strings) > before and lemmatizer._lemmas and ruler._keys


def test_extract_transient_extracts_the_same_and_keeps_nothing_of_the_batch(
    extractor: Extractor,
) -> None:
    articles = [
        Article(id=f"z{n}", text=text * 3, published="2024-05-01")
        for n, text in enumerate(NEW_WORDS)
    ]
    before = len(extractor.nlp.vocab.strings)
    transient = [x.to_dict() for x in extractor.extract_transient(articles)]
    assert len(extractor.nlp.vocab.strings) == before
    # Nor do the caches keyed by what articles contain keep anything of the batch.
    assert extractor.knowledge.actors._cached.cache_info().currsize == 0
    assert fold.cache_info().currsize == normalise_exact.cache_info().currsize == 0
    assert "Ostravelo" not in extractor.nlp.vocab.strings
    assert transient == [x.to_dict() for x in extractor.extract(articles)]
    assert any(e["name"] == "Kelmirov" for x in transient for e in x["entities"])
