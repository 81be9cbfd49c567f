"""Quotes: direct (quote marks), indirect (reporting verb or noun + clause, "according to")
and mixed, with speaker, addressee, source chain (`via`) and a hedge flag.

Continuation quotes (a second quoted stretch of the same remark) repeat their cue, so a
consumer can group the stretches of one attribution by cue. Only the outermost attribution
is kept: a cue inside another quote's content is part of what was said.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from sitrep.extract.chains import chain
from sitrep.extract.clauses import (
    complement,
    main_clause_without,
    noun_complement,
    object_complement,
    split_around,
)
from sitrep.extract.cuelex import CueLexicon, cue_lexicon
from sitrep.extract.dashquotes import find_dash_quoted
from sitrep.extract.hedges import span_hedged
from sitrep.extract.quotemarks import find_quoted
from sitrep.extract.spans import char_span, pobj_of, token_span
from sitrep.extract.speakers import (
    LOOKBACK,
    cue_speaker,
    last_person_before,
    mention,
    phrase_speaker,
)
from sitrep.model import Participant, Quote, Span, ViaLink, record_id
from sitrep.model.vocab import QuoteKind

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from sitrep.extract.context import ArticleContext

# Fewer words than this inside marks, with no cue, is a term or scare quote, not speech.
MIN_QUOTE_WORDS = 4
# How many tokens after a closing mark the attribution may start (", the minister said").
AFTER_WINDOW = 8
# How far a main cue verb may stand after a quote that opens its sentence.
LONG_AFTER_WINDOW = 24
_DASHES = {"—", "–", "--", "-"}
_CUE_POS = frozenset({"VERB", "AUX", "NOUN"})
_ACCORDING = frozenset({"accord", "according"})
_DOUBLED = re.compile(r"(?<!')''(?!')")


def extract_quotes(ctx: ArticleContext) -> list[Quote]:
    lex = cue_lexicon()
    direct = _direct_quotes(ctx, lex)
    direct += _dash_quotes(ctx, lex, direct)
    covered = [(q.content.start, q.content.end) for q in direct]
    indirect: list[Quote] = []
    doc = ctx.doc
    for i in _cue_candidates(ctx, lex):
        for quote in _indirect_quotes(ctx, lex, doc[i]):
            if not any(quote.content.start < e and s < quote.content.end for s, e in covered):
                indirect.append(quote)
    quotes = _outermost(direct + indirect)
    unique: dict[str, Quote] = {}
    for quote in quotes:
        unique.setdefault(quote.id, quote)  # one record per content span; the first wins
    return sorted(unique.values(), key=lambda q: q.content.start)


def _cue_candidates(ctx: ArticleContext, lex: CueLexicon) -> list[int]:
    """Tokens that can start an indirect quote (the tests `_indirect_quotes` opens with),
    found without building a spaCy token for every word."""
    cues = lex.indirect_verbs | lex.object_verbs | lex.cue_nouns
    out = []
    for i, (pos, lemma) in enumerate(zip(ctx.pos, ctx.lemmas, strict=True)):
        # "according to": its lemma is "accord", or the word itself off a verb reading.
        if (lemma in cues and pos in _CUE_POS) or lemma.lower() in _ACCORDING:
            out.append(i)
    return out


def _outermost(quotes: list[Quote]) -> list[Quote]:
    """Drop quotes whose cue lies inside another quote's content (nested attributions)."""
    kept = []
    for quote in quotes:
        cue = quote.cue
        nested = cue is not None and any(
            other is not quote and other.content.start <= cue.start < other.content.end
            for other in quotes
        )
        if not nested:
            kept.append(quote)
    return kept


# --- direct and mixed -----------------------------------------------------------------------


def _direct_quotes(ctx: ArticleContext, lex: CueLexicon) -> list[Quote]:
    quotes: list[Quote] = []
    previous: Quote | None = None
    text = ctx.text
    for start, end in find_quoted(_straighten_doubled(text)):
        quote = _direct_quote(ctx, lex, start, end)
        if quote is None:
            continue
        if quote.cue is None and previous is not None and previous.cue is not None:
            between = text[previous.content.end : start]
            if len(between) < 300 and between.count("\n") <= 2:
                # A later stretch of the same remark: same cue, speaker and chain.
                quote.cue, quote.speaker = previous.cue, previous.speaker
                quote.via, quote.addressee = list(previous.via), previous.addressee
        if quote.cue is None and quote.speaker is None and _opens_paragraph(text, start):
            # A lone quoted paragraph: the one quoted just before goes on speaking (news
            # alternates quotes and paraphrase of one speaker), else the person named last.
            quote.speaker = _last_speaker(quotes, start) or last_person_before(ctx, start)
        if quote.speaker is None and quote.cue is None and statements_only(ctx):
            continue  # a title, a slogan or a term in marks that no one is said to say
        quotes.append(quote)
        previous = quote
    return quotes


# How many tokens after a closing dash the reporting verb may stand ("- he said", "- the
# politician added", "- said after the meeting …").
DASH_CUE_WINDOW = 4


def _dash_quotes(ctx: ArticleContext, lex: CueLexicon, marked: list[Quote]) -> list[Quote]:
    """Quotes set off by dashes ("- We will not give in - said the minister."), where no
    quote in marks already covers them and a reporting verb follows the closing dash."""
    out = []
    is_cue = _cue_test(ctx, lex)
    for start, end, attribution in find_dash_quoted(ctx.text):
        if any(q.content.start < end and start < q.content.end for q in marked):
            continue
        after = ctx.doc.char_span(attribution, attribution + 1, alignment_mode="expand")
        if after is None:
            continue
        window = ctx.doc[after.start : after.start + DASH_CUE_WINDOW]
        cue = next((t for t in window if is_cue(t)), None)
        if cue is None or cue.pos_ not in {"VERB", "AUX"}:
            continue
        content = char_span(ctx.text, start, end)
        speaker = cue_speaker(ctx, cue) or _named_after(ctx, cue)
        out.append(_quote(ctx, "direct", content, cue, speaker, chain(ctx, cue)))
    return out


def _named_after(ctx: ArticleContext, cue: Token) -> Participant | None:
    """The speaker named after an inverted dash attribution the parser left without a
    subject ("- said after the meeting the party's deputy head Anna Nowak"): the first
    person named after the verb in its sentence, else the nouns right after it ("- said
    the party's leader")."""
    rest = ctx.doc[cue.i + 1 : cue.sent.end]
    person = next((t for t in rest if t.ent_type_ == "PERSON"), None)
    if person is not None:
        ent = ctx.entity_at(person.i)
        return mention(ctx, ent.root if ent is not None else person)
    run = []
    for token in ctx.doc[cue.i + 1 : cue.sent.end]:
        if token.pos_ not in {"PROPN", "NOUN", "ADJ"}:
            break
        run.append(token)
    if not run:
        return None
    head = run[-1]
    if head.pos_ == "NOUN" and head.lemma_.lower() in ctx.knowledge.lexicons.role_nouns:
        found = mention(ctx, head)  # "- said party leader": the person named before
        if found is not None:
            return found
    words = ctx.doc[run[0].i : run[-1].i + 1]
    return Participant(span=token_span(words), name=words.text)


def _last_speaker(quotes: list[Quote], start: int) -> Participant | None:
    """The speaker of the last quote that ended within LOOKBACK characters before `start`."""
    for quote in reversed(quotes):
        if quote.content.end <= start and start - quote.content.end <= LOOKBACK:
            return quote.speaker
    return None


def _straighten_doubled(text: str) -> str:
    """Doubled single marks (''Like this,'' in some newspaper styles) read as one straight
    double mark; the result has the same length, so offsets still point into `text`."""
    if "''" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        end = match.end()
        opening = end < len(text) and not text[end].isspace() and text[end] not in ",.;:"
        return ' "' if opening else '" '

    return _DOUBLED.sub(one, text)


def _opens_paragraph(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip("\"“„«'‘ ")  # the marks end it
    return start < 3 or before == "" or before.endswith("\n")


def _direct_quote(ctx: ArticleContext, lex: CueLexicon, start: int, end: int) -> Quote | None:
    doc = ctx.doc
    # The comma before a closing mark belongs to the attribution ("…harsh," he said).
    while end > start and ctx.text[end - 1] in ",;: ":
        end -= 1
    inside = doc.char_span(start, end, alignment_mode="expand")
    if inside is None or len(inside) == 0:
        return None
    cue, speaker = _find_cue(ctx, lex, inside[0].i, inside[-1].i)
    short = sum(1 for t in inside if not t.is_punct) < MIN_QUOTE_WORDS
    if short and (cue is None or cue.lemma_ not in lex.direct_verbs):
        return None  # a term in marks next to "proposed a …" is a scare quote, not speech
    if cue is not None and speaker is None:
        speaker = cue_speaker(ctx, cue)
    link = chain(ctx, cue) if cue is not None else (None, [])
    kind: QuoteKind = "direct"
    content = char_span(ctx.text, start, end)
    if cue is not None and cue.pos_ in {"VERB", "AUX"}:
        clauses = complement(cue, xcomp=True)
        words_end = max((t.idx + len(t.text) for t in inside if not t.is_punct), default=end)
        if clauses and clauses[0].start_char < start - 2 and clauses[-1].end_char >= words_end:
            kind = "mixed"
            content = token_span(clauses[0])
    if short and kind == "direct" and cue is not None and not _said_words(ctx, cue, inside):
        return None  # a term in marks in a sentence the cue frames, not its words
    return _quote(ctx, kind, content, cue, speaker, link)


def _said_words(ctx: ArticleContext, cue: Token, inside: SpacySpan) -> bool:
    """Whether a few words in marks are what the cue says: next to it ('she wrote, "I'm
    dying"', '"Bandage it!" he shouts') or its complement ("threatened to 'start
    shooting'", "called the bill a 'first step'"), not a term in a clause the cue only
    frames ('she said the plan, a "swing" vote …', 'a "number" of missiles, she said')."""
    between = (
        ctx.text[cue.idx + len(cue.text) : inside.start_char]
        if cue.i < inside.start
        else ctx.text[inside.end_char : cue.idx]
    )
    if len(between) <= 4 and not any(c.isalnum() for c in between):
        return True
    token = inside.root
    for _ in range(2):
        if token.head.i == token.i:
            return False
        token = token.head
        if token.i == cue.i:
            return True
    return False


def _cue_test(ctx: ArticleContext, lex: CueLexicon) -> Callable[[Token], bool]:
    """Whether a token is a direct quote's cue verb; with statements only, a belief or
    perception verb is none ("the president believes …, and 'we want …'" is said)."""
    if not statements_only(ctx):
        return lambda token: _is_cue_verb(token, lex)
    return lambda token: _is_cue_verb(token, lex) and token.lemma_ not in lex.belief_verbs


def _is_cue_verb(token: Token, lex: CueLexicon) -> bool:
    return token.pos_ in {"VERB", "AUX"} and (
        token.lemma_ in lex.direct_verbs or token.lemma_ in lex.clause_verbs
    )


def _find_cue(
    ctx: ArticleContext, lex: CueLexicon, first: int, last: int
) -> tuple[Token | None, Participant | None]:
    """The attribution of a quote running over tokens first..last: a reporting verb just
    after it (", he said"), a dash tag ("— Name"), then a verb or colon before it."""
    doc = ctx.doc
    is_cue = _cue_test(ctx, lex)
    before = _before_tokens(doc, first)
    if len(before) > 1 and before[0].text == ":" and is_cue(before[1]):
        # 'Students shouted: "…"': the colon's verb, not a verb of the next sentence.
        return before[1], None
    after = _after_tokens(doc, last)
    if after and after[0].text in _DASHES:
        tagged = [t for t in after[1:] if not t.is_punct]
        if tagged and not any(is_cue(t) for t in tagged):
            return after[0], phrase_speaker(ctx, tagged)
    for token in after:
        if is_cue(token):
            return token, None
    for token in before:
        if is_cue(token):
            return token, None
    if not before:
        # A long attribution after a quote that opens its sentence (", the state-run
        # Korean Central News Agency reported", ", X, the head of …, was quoted as
        # telling"): the main verb of the sentence that follows the closing mark.
        for token in _after_tokens(doc, last, LONG_AFTER_WINDOW):
            if is_cue(token) and token.dep_ == "ROOT":
                return token, None
    if before and before[0].text == ":":
        head = [t for t in reversed(before[1:]) if not t.is_punct]
        for token in head:
            if token.pos_ == "NOUN" and token.lemma_ in lex.cue_nouns:
                return before[0], cue_speaker(ctx, token) or phrase_speaker(ctx, head)
        if 0 < len(head) <= 6:
            return before[0], phrase_speaker(ctx, head)
    return None, None


def _after_tokens(doc: Doc, last: int, window: int = AFTER_WINDOW) -> list[Token]:
    """Tokens after the closing mark, to the end of the attribution's sentence."""
    out: list[Token] = []
    i = last + 1
    while i < len(doc) and doc[i].is_punct and doc[i].text not in _DASHES and len(out) == 0:
        if "\n" in doc[i].whitespace_ or doc[i].text in "“„«":
            return []
        i += 1
    while i < len(doc) and len(out) < window:
        token = doc[i]
        if token.is_space or token.text in {"“", "„", "«", '"', "''"} or "\n" in token.text:
            break
        out.append(token)
        if token.text in {".", "!", "?"} or "\n" in token.whitespace_:
            break
        i += 1
    return out


def _before_tokens(doc: Doc, first: int) -> list[Token]:
    """Tokens before the opening mark in its sentence, nearest first."""
    i = first - 1
    while i >= 0 and doc[i].text in {"“", "„", "«", '"', "'", "‘", "''"}:
        i -= 1
    if i < 0:
        return []
    sent_start = doc[first].sent.start
    out = []
    while i >= sent_start and not doc[i].is_space and "\n" not in doc[i].whitespace_:
        if doc[i].text in {"”", "»", '"', "''"}:
            break  # another quote: its own attribution
        out.append(doc[i])
        i -= 1
    return out


# --- indirect -------------------------------------------------------------------------------


def _indirect_quotes(ctx: ArticleContext, lex: CueLexicon, token: Token) -> list[Quote]:
    doc = ctx.doc
    pieces: list[Span] = []
    speaker: Participant | None = None
    # Called for every token: read spaCy's string attributes once.
    pos, lemma = token.pos_, token.lemma_
    if pos in {"VERB", "AUX"} and lemma in lex.indirect_verbs:
        if token.dep_ == "parataxis" and lemma in lex.speech_verbs:
            pieces = [token_span(s) for s in split_around(token)]
        else:
            clauses = complement(token, xcomp=lemma in lex.intent_verbs)
            if lemma not in lex.clause_verbs:
                clauses = [c for c in clauses if c[0].lower_ == "to"]
            pieces = [token_span(c) for c in clauses]
        if not pieces and lemma in lex.object_verbs:
            pieces = _object_pieces(lex, token)
    elif pos == "VERB" and lemma in lex.object_verbs:
        pieces = _object_pieces(lex, token)
    elif pos == "NOUN" and lemma in lex.cue_nouns:
        clause = noun_complement(token)
        pieces = [token_span(clause)] if clause is not None else []
    elif token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
        source = pobj_of(doc[token.i + 1])
        if source is None or token.head.lemma_ in lex.speech_verbs:
            return []  # "…, he said, according to X": X is a link of that quote's chain
        pieces = [token_span(main_clause_without(token))]
        speaker = mention(ctx, source)
    pieces = [p for p in pieces if len(p.text.split()) >= 2]
    if statements_only(ctx):
        if lemma in lex.belief_verbs:
            return []  # "videos show that …", "officials expect …": no one said it
        pieces = [p for p in pieces if p.text.split()[0].lower() not in _NOT_STATEMENTS]
        if pos == "VERB" and lemma in lex.object_verbs and lemma not in lex.naming_verbs:
            # A clause, or a verdict on its object ("dismissed the report as fake").
            pieces = [p for p in pieces if _is_clause(doc, p) or " as " in p.text]
    if not pieces:
        return []
    if speaker is None:
        speaker = cue_speaker(ctx, token)
    link = chain(ctx, token)  # one cue: its chain serves every piece
    return [_quote(ctx, "indirect", content, token, speaker, link) for content in pieces]


# First words of complements that report no statement: an intent ("plans to send") or a
# question ("asked whether …").
_NOT_STATEMENTS = frozenset({"to", "whether", "why", "how", "what", "when", "where", "who"})


def statements_only(ctx: ArticleContext) -> bool:
    return ctx.settings.attributions == "statements"


def _is_clause(doc: Doc, piece: Span) -> bool:
    """The piece holds a verb with a subject: a statement, not a noun phrase."""
    span = doc.char_span(piece.start, piece.end, alignment_mode="expand")
    return span is not None and any(t.dep_ in {"nsubj", "nsubjpass"} for t in span)


def _object_pieces(lex: CueLexicon, verb: Token) -> list[Span]:
    span = object_complement(verb, naming=verb.lemma_ in lex.naming_verbs)
    return [token_span(span)] if span is not None else []


def _quote(
    ctx: ArticleContext,
    kind: QuoteKind,
    content: Span,
    cue: Token | None,
    speaker: Participant | None,
    link: tuple[Participant | None, list[ViaLink]],
) -> Quote:
    """The record of one quote: its id from its content, the cue's span, the chain the cue
    came through (`link`: addressee and relays) and whether it is hedged."""
    addressee, via = link
    return Quote(
        id=record_id("q", ctx.article.id, content.start, content.end),
        kind=kind,
        content=content,
        cue=cue_span(cue),
        speaker=speaker,
        addressee=addressee,
        via=via,
        hedged=span_hedged(ctx.doc, content, cue),
    )


def cue_span(cue: Token | None) -> Span | None:
    if cue is None:
        return None
    if cue.lower_ == "according" and cue.i + 1 < len(cue.doc):
        end = cue.nbor(1).idx + len(cue.nbor(1).text)
        return Span(cue.idx, end, cue.doc[cue.i : cue.i + 2].text)
    return Span(cue.idx, cue.idx + len(cue.text), cue.text)
