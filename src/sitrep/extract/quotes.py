"""Quotes: direct (quote marks), indirect (reporting verb + clause, "according to") and mixed,
with speaker, addressee, source chain (`via`) and a hedge flag."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.context import ArticleContext
from sitrep.extract.quotemarks import find_quoted
from sitrep.extract.spans import char_span, participant_for, resolve_mention, token_span
from sitrep.model import Participant, Quote, Span, ViaLink, record_id

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

# Fewer words than this inside marks, with no cue, is a term or scare quote, not speech.
MIN_QUOTE_WORDS = 4
_PERSONAL_PRONOUNS = {"he", "she", "they", "i", "we"}


def extract_quotes(ctx: ArticleContext) -> list[Quote]:
    quotes: list[Quote] = []
    covered: list[tuple[int, int]] = []
    previous: Quote | None = None
    for start, end in find_quoted(ctx.doc.text):
        quote = _direct_quote(ctx, start, end)
        if quote is None:
            continue
        if quote.speaker is None and previous is not None and previous.speaker is not None:
            between = ctx.doc.text[previous.content.end : start]
            if "\n" not in between and len(between) < 300:
                # A second quote in the same paragraph continues the same speaker's words.
                quote.speaker, quote.via = previous.speaker, list(previous.via)
                quote.addressee = previous.addressee
        quotes.append(quote)
        covered.append((start, end))
        if quote.kind == "direct":
            previous = quote
    for sent in ctx.doc.sents:
        for token in sent:
            quote = _indirect_quote(ctx, token, covered)
            if quote is not None:
                quotes.append(quote)
                covered.append((quote.content.start, quote.content.end))
    unique: dict[str, Quote] = {}
    for quote in quotes:
        unique.setdefault(quote.id, quote)  # one record per content span; the first wins
    return sorted(unique.values(), key=lambda q: q.content.start)


def _direct_quote(ctx: ArticleContext, start: int, end: int) -> Quote | None:
    doc = ctx.doc
    # The comma before a closing mark belongs to the attribution ("…harsh," he said).
    while end > start and doc.text[end - 1] in ",;: ":
        end -= 1
    inside = doc.char_span(start, end, alignment_mode="expand")
    if inside is None or len(inside) == 0:
        return None
    cue = _find_cue(ctx, start, end)
    words = sum(1 for t in inside if not t.is_punct)
    if cue is None and words < MIN_QUOTE_WORDS:
        return None
    speaker = _speaker(ctx, cue, start) if cue is not None else None
    addressee, via = _chain(ctx, cue) if cue is not None else (None, [])
    kind = "direct"
    content = char_span(doc, start, end)
    if cue is not None:
        clause = _complement(cue)
        if clause is not None and clause.start_char < start - 2 and clause.end_char >= end - 1:
            kind = "mixed"
            content = token_span(clause)
    hedged = _hedged(ctx, cue, content)
    return Quote(
        id=record_id("q", ctx.article.id, content.start, content.end),
        kind=kind,
        content=content,
        cue=_cue_span(cue),
        speaker=speaker,
        addressee=addressee,
        via=via,
        hedged=hedged,
    )


def _indirect_quote(
    ctx: ArticleContext, token: Token, covered: list[tuple[int, int]]
) -> Quote | None:
    lex = ctx.knowledge.lexicons
    clause: SpacySpan | None = None
    cue: Token | None = None
    speaker: Participant | None = None
    if token.pos_ in {"VERB", "AUX"} and token.lemma_ in lex.reporting_verbs:
        clause = _complement(token)
        cue = token
    elif token.lower_ == "according" and token.nbor(1).lower_ == "to":
        source = _pobj(token.nbor(1))
        if source is None or token.head == token or token.head.lemma_ in lex.reporting_verbs:
            return None
        clause = _main_clause_without(token)
        cue = token
        speaker = participant_for(source, ctx.knowledge.actors, ctx.anchor)
    if clause is None or cue is None or len(clause) < 3:
        return None
    if any(clause.start_char < e and s < clause.end_char for s, e in covered):
        return None
    if speaker is None:
        speaker = _speaker(ctx, cue, clause.start_char)
    addressee, via = _chain(ctx, cue)
    content = token_span(clause)
    return Quote(
        id=record_id("q", ctx.article.id, content.start, content.end),
        kind="indirect",
        content=content,
        cue=_cue_span(cue),
        speaker=speaker,
        addressee=addressee,
        via=via,
        hedged=_hedged(ctx, cue, content),
    )


def _find_cue(ctx: ArticleContext, start: int, end: int) -> Token | None:
    """The reporting verb nearest the quote, outside it, in the quote's sentences."""
    doc = ctx.doc
    verbs = ctx.knowledge.lexicons.reporting_verbs
    first = doc.char_span(start, end, alignment_mode="expand")
    if first is None:
        return None
    sents = {first[0].sent, first[-1].sent}
    best: tuple[int, Token] | None = None
    for sent in sents:
        for token in sent:
            if token.lemma_ not in verbs or token.pos_ not in {"VERB", "AUX"}:
                continue
            if start - 1 <= token.idx < end + 1:
                continue
            distance = min(abs(token.idx - start), abs(token.idx - end))
            if best is None or distance < best[0]:
                best = (distance, token)
    return best[1] if best else None


def _complement(verb: Token) -> SpacySpan | None:
    for child in verb.children:
        if child.dep_ in {"ccomp", "xcomp"} and child.pos_ in {"VERB", "AUX"}:
            left = child.left_edge.i
            doc = verb.doc
            if doc[left].lower_ == "that" or doc[left].is_punct:
                left += 1
            right = child.right_edge.i
            while right > left and doc[right].is_punct:
                right -= 1
            return doc[left : right + 1]
    return None


def _main_clause_without(according: Token) -> SpacySpan:
    """The sentence minus its "according to X" phrase."""
    sent = according.sent
    phrase_start = according.i
    phrase_end = according.nbor(1).right_edge.i + 1
    doc = according.doc
    if phrase_start - sent.start > sent.end - phrase_end:
        left, right = sent.start, phrase_start
    else:
        left, right = phrase_end, sent.end
    while left < right and doc[left].is_punct:
        left += 1
    while right > left and doc[right - 1].is_punct:
        right -= 1
    return doc[left:right]


def _pobj(prep: Token) -> Token | None:
    for child in prep.children:
        if child.dep_ == "pobj":
            return child
    return None


def _speaker(ctx: ArticleContext, cue: Token, near: int) -> Participant | None:
    kb = ctx.knowledge.actors
    for child in cue.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            if child.lower_ in _PERSONAL_PRONOUNS:
                return _last_person_before(ctx, child.idx) or participant_for(child, kb, ctx.anchor)
            return participant_for(child, kb, ctx.anchor)
    if cue.dep_ in {"conj", "advcl", "xcomp"} and cue.head != cue:
        return _speaker(ctx, cue.head, near)
    return None


def _last_person_before(ctx: ArticleContext, offset: int) -> Participant | None:
    kb = ctx.knowledge.actors
    for ent in reversed(ctx.doc.ents):
        if ent.end_char <= offset and ent.label_ == "PERSON":
            match = resolve_mention(kb, ent.text, ent.label_, ctx.anchor)
            if match is not None and match.kind != "person":
                continue  # a mislabelled agency ("BelTA") is not a "he" or "she"
            return Participant(
                span=token_span(ent),
                name=match.name if match else ent.text,
                actor_id=match.actor_id if match else None,
                country=match.country if match else None,
                sector=match.sector if match else None,
            )
    return None


def _chain(ctx: ArticleContext, cue: Token) -> tuple[Participant | None, list[ViaLink]]:
    """Addressee of "told X" and the outer links: according to X, citing X, told outlet X."""
    kb = ctx.knowledge.actors
    addressee: Participant | None = None
    via: list[ViaLink] = []
    own_outlet = (ctx.article.outlet or "").lower()
    if cue.lemma_ == "tell":
        for child in cue.children:
            if child.dep_ in {"dobj", "dative", "iobj"}:
                addressee = participant_for(child, kb, ctx.anchor)
                break
    # Told to another outlet: that outlet is a link of the chain (not when it is our own).
    if (
        addressee is not None
        and addressee.sector == "MED"
        and addressee.name.lower() != own_outlet
        and addressee.span is not None
    ):
        via.append(_via_link(ctx, addressee.span, addressee))
    for token in cue.sent:
        if (
            token.lower_ == "according"
            and token.i + 1 < len(ctx.doc)
            and token.nbor(1).lower_ == "to"
        ):
            source = _pobj(token.nbor(1))
            if source is not None and token.i != cue.i:
                participant = participant_for(source, kb, ctx.anchor)
                if participant is not None:
                    cue_span = Span(
                        token.idx,
                        token.nbor(1).idx + 2,
                        ctx.doc.text[token.idx : token.nbor(1).idx + 2],
                    )
                    via.append(_via_link(ctx, cue_span, participant))
        elif token.lemma_ == "cite" and token.i != cue.i:
            for child in token.children:
                if child.dep_ == "dobj":
                    participant = participant_for(child, kb, ctx.anchor)
                    if participant is not None:
                        via.append(
                            _via_link(
                                ctx, token_span(token.doc[token.i : token.i + 1]), participant
                            )
                        )
    return addressee, via


def _via_link(ctx: ArticleContext, cue: Span, source: Participant) -> ViaLink:
    match = ctx.knowledge.actors.resolve(source.name, None, ctx.anchor)
    source_type = match.source_type if match is not None else None
    return ViaLink(cue=cue, source=source, source_type=source_type)


def _hedged(ctx: ArticleContext, cue: Token | None, content: Span) -> bool:
    lex = ctx.knowledge.lexicons
    if cue is not None and cue.lemma_ in lex.hedging_verbs:
        return True
    span = ctx.doc.char_span(content.start, content.end, alignment_mode="expand")
    if span is not None and any(t.lower_ in lex.hedges or t.lemma_ in lex.hedges for t in span):
        return True
    if cue is not None:
        sentence = cue.sent.text.lower()
        return any(phrase in sentence for phrase in lex.uncertainty_phrases)
    return False


def _cue_span(cue: Token | None) -> Span | None:
    if cue is None:
        return None
    if cue.lower_ == "according":
        end = cue.nbor(1).idx + len(cue.nbor(1).text)
        return Span(cue.idx, end, cue.doc.text[cue.idx : end])
    return Span(cue.idx, cue.idx + len(cue.text), cue.text)
