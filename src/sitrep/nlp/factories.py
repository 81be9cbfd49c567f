"""spaCy factories for sitrep's drop-in components.

No `from __future__ import annotations` here on purpose: spaCy validates a factory's
arguments from its signature, and spaCy 3.8.7 cannot resolve string annotations."""

from spacy.language import Language

from sitrep.nlp.fast import (
    FAST_ATTRIBUTE_RULER,
    FAST_LEMMATIZER,
    FastAttributeRuler,
    FastLemmatizer,
)


@Language.factory(FAST_ATTRIBUTE_RULER)
def make_fast_attribute_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    return FastAttributeRuler(nlp.vocab, name)


@Language.factory(FAST_LEMMATIZER, default_config={"stock_name": "lemmatizer"})
def make_fast_lemmatizer(nlp: Language, name: str, stock_name: str) -> FastLemmatizer:
    from spacy.pipeline import Lemmatizer

    stock = nlp.get_pipe(stock_name)
    if not isinstance(stock, Lemmatizer):
        raise TypeError(f"{stock_name!r} is not a spaCy Lemmatizer")
    return FastLemmatizer(stock, name)
