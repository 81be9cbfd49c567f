"""Build the spaCy pipeline from settings and run it over articles in batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from sitrep.errors import ModelLoadError
from sitrep.settings import NlpSettings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# The extractors read entities (ner), lemmas, POS tags and dependency arcs (parser).
REQUIRED_COMPONENTS = ("parser", "ner")


def load_pipeline(settings: NlpSettings) -> Language:
    """Load the configured spaCy pipeline, excluding what sitrep never uses."""
    import spacy

    try:
        nlp = spacy.load(settings.model, exclude=list(settings.exclude))
    except OSError as exc:
        raise ModelLoadError(
            f"spaCy pipeline {settings.model!r} is not installed "
            f"(pip install it, or set nlp.model to an installed pipeline): {exc}"
        ) from exc
    missing = [c for c in REQUIRED_COMPONENTS if c not in nlp.pipe_names]
    if missing:
        raise ModelLoadError(
            f"spaCy pipeline {settings.model!r} lacks components {missing}; sitrep needs "
            f"{list(REQUIRED_COMPONENTS)}"
        )
    from sitrep.nlp.components import PARAGRAPH_BREAKS

    nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    if settings.fast_rules:
        from sitrep.nlp.fast import (
            use_fast_attribute_ruler,
            use_fast_lemma_index,
            use_fast_lemmatizer,
        )

        use_fast_attribute_ruler(nlp)
        use_fast_lemma_index(nlp)
        use_fast_lemmatizer(nlp)
    nlp.max_length = settings.max_length
    return nlp


def parse_texts(nlp: Language, texts: Iterable[str], settings: NlpSettings) -> Iterator[Doc]:
    """Parse texts in batches with `nlp.pipe`, in order."""
    yield from nlp.pipe(texts, batch_size=settings.batch_size, n_process=settings.n_process)
