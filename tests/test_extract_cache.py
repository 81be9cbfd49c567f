"""The article context's cached text and entities (spaCy rebuilds `Doc.text` and `Doc.ents`
on every access) must be exactly what spaCy gives, and extraction must read through them."""

from __future__ import annotations

from sitrep.extract.context import ArticleContext, anchor_date
from sitrep.extract.service import Extractor
from sitrep.model import Article
from sitrep.nlp.pipeline import parse_texts

TEXT = (
    "MINSK (Reuters) - Belarusian troops crossed into Poland on Friday, according to the "
    "Polish Defence Ministry.\n\n"
    "“The border is closed,” said Mariusz Blaszczak, the Polish defence minister. "
    "He said the talks with Belarus were postponed until Tuesday.\n\n"
    "“We will respond,” he told Reuters.\n\n"
    "Alexander Lukashenko said the drills would continue, according to BelTA."
)


def _context(extractor: Extractor, text: str) -> ArticleContext:
    article = Article(id="c", text=text, published="2023-02-24", outlet="Wire")
    (doc,) = parse_texts(extractor.nlp, [text], extractor.settings.nlp)
    return ArticleContext(
        article,
        doc,
        anchor_date(article.published),
        extractor.knowledge,
        extractor.settings.extract,
    )


def test_cached_text_and_entities_equal_spacy(extractor: Extractor) -> None:
    ctx = _context(extractor, TEXT)
    assert ctx.text == ctx.doc.text == ctx.article.text
    assert ctx.ents == ctx.doc.ents
    assert {e.text for e in ctx.ents} >= {"Poland", "Reuters", "BelTA"}


def test_entity_lookups_match_spacy(extractor: Extractor) -> None:
    ctx = _context(extractor, TEXT)
    doc = ctx.doc
    for token in doc:
        expected = next((e for e in doc.ents if e.start <= token.i < e.end), None)
        assert ctx.entity_at(token.i) == expected
    # Every window up to eight tokens long, and each sentence: as `Span.ents` picks them.
    windows = [(i, j) for i in range(len(doc)) for j in range(i, min(len(doc), i + 8) + 1)]
    windows += [(s.start, s.end) for s in doc.sents]
    for start, end in windows:
        assert ctx.ents_within(start, end) == list(doc[start:end].ents)


def test_context_without_entities(extractor: Extractor) -> None:
    ctx = _context(extractor, "it rained and nobody went out.")
    assert ctx.ents == () and ctx.text == ctx.doc.text
    assert all(ctx.entity_at(t.i) is None for t in ctx.doc)
    assert ctx.ents_within(0, len(ctx.doc)) == []


def test_extraction_reads_through_the_cache(extractor: Extractor) -> None:
    """End to end: each path that now reads the cached text or entities (dateline place,
    "according to" links and cues, "postponed until", speakers, resolved participants)."""
    article = Article(id="c", text=TEXT, published="2023-02-24", outlet="Wire")
    (result,) = extractor.extract([article])
    quotes = {q.content.text: q for q in result.quotes}
    direct = quotes["The border is closed"]
    assert direct.kind == "direct" and direct.speaker is not None
    assert direct.speaker.name == "Mariusz Błaszczak"
    told = quotes["We will respond"]
    assert told.speaker is not None and told.speaker.name == "Mariusz Błaszczak"
    assert [v.source.name for v in told.via] == ["Reuters"]
    drills = quotes["the drills would continue"]
    assert drills.speaker is not None and drills.speaker.name == "Alexander Lukashenko"
    assert [(v.source.name, v.cue.text if v.cue else None) for v in drills.via] == [
        ("BelTA", "according to")
    ]
    crossed = quotes["Belarusian troops crossed into Poland on Friday"]
    assert crossed.cue is not None and crossed.cue.text == "according to"
    assert {t.span.text: t.value for t in result.times if t.span} == {
        "Friday": "2023-02-24",
        "Tuesday": "2023-02-28",  # "postponed until Tuesday" points forward
    }
    talks = [e for e in result.events if e.trigger.text == "talks"]
    assert talks and talks[0].place is not None and talks[0].place.span is not None
    assert talks[0].place.span.text == "MINSK"  # from the dateline
    for span in [q.content for q in result.quotes] + [p.span for p in result.places]:
        assert span is not None and TEXT[span.start : span.end] == span.text
