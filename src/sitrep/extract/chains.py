"""Source chains: the addressee of "told X" and the outer links of a quote (`via`).

Links: "according to X", "citing X", "told <outlet>" (when the outlet is not the article's
own), "X reported", "(reported) by X", "in a statement to X", "in an interview with X".
Each link's source is typed through the actor KB (state_media, agency, outlet, ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.spans import participant_for, pobj_of, token_span
from sitrep.extract.speakers import quoted_as_object
from sitrep.model import Participant, Span, ViaLink

if TYPE_CHECKING:
    from spacy.tokens import Token

    from sitrep.extract.context import ArticleContext

# Lemmas of the words that open a link: "according to" (a verb reading or the word
# itself), "cite", "report".
_LINK_LEMMAS = frozenset({"accord", "according", "cite", "report"})
# Nouns after "in a/an … to/with X" that make X the addressee ("in an interview with CNN").
_CHANNEL_NOUNS = {"interview", "statement", "comment", "comments", "remarks", "post", "briefing"}


def chain(ctx: ArticleContext, cue: Token) -> tuple[Participant | None, list[ViaLink]]:
    """Addressee and outer links for a quote whose reporting cue is `cue`."""
    addressee = _addressee(ctx, cue)
    via: list[ViaLink] = []
    own_outlet = (ctx.article.outlet or "").lower()
    # Told to another outlet: that outlet is a link of the chain. With no known outlet we
    # cannot tell it from the outlet reporting its own interview, so it stays the addressee.
    if (
        addressee is not None
        and addressee.sector == "MED"
        and own_outlet
        and addressee.name.lower() != own_outlet
        and addressee.span is not None
    ):
        via.append(_link(ctx, addressee.span, addressee))
    doc = ctx.doc
    relay = _relay_quoting(ctx, cue)
    if relay is not None:
        via.append(relay)
    sentence = cue.sent
    for i in range(sentence.start, sentence.end):
        # Only "according", "cite" and "report" matter: look at the lemma before the token.
        if i == cue.i or ctx.lemmas[i].lower() not in _LINK_LEMMAS:
            continue
        token = doc[i]
        if (
            token.lower_ == "according"
            and token.i + 1 < len(doc)
            and doc[token.i + 1].lower_ == "to"
        ):
            source = pobj_of(doc[token.i + 1])
            if source is not None:
                participant = participant_for(ctx, source)
                if participant is not None:
                    end = doc[token.i + 1].idx + 2
                    via.append(
                        _link(ctx, Span(token.idx, end, ctx.text[token.idx : end]), participant)
                    )
        elif token.lemma_ == "cite" and token.pos_ == "VERB":
            for child in token.children:
                if child.dep_ == "dobj":
                    participant = participant_for(ctx, child)
                    if participant is not None:
                        via.append(_link(ctx, token_span(doc[token.i : token.i + 1]), participant))
        elif token.lemma_ == "report" and token.pos_ == "VERB" and token.i > cue.i:
            # "…, Lukashenko said, BelTA reported" / "…, as reported by TASS".
            for child in token.children:
                if child.dep_ in {"nsubj", "agent"}:
                    head = pobj_of(child) if child.dep_ == "agent" else child
                    participant = participant_for(ctx, head) if head is not None else None
                    if participant is not None:
                        via.append(_link(ctx, token_span(doc[token.i : token.i + 1]), participant))
    return addressee, [link for link in via if _is_outer(link, cue)]


def _relay_quoting(ctx: ArticleContext, cue: Token) -> ViaLink | None:
    """ "Iranian media quoted Rahimi as saying": the subject of the cue relays the speaker."""
    if cue.lemma_.lower() not in {"quote", "cite"} or cue.pos_ != "VERB":
        return None
    subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    if quoted_as_object(cue) is None or subject is None:
        return None
    source = participant_for(ctx, subject)
    if source is None:
        return None
    return _link(ctx, token_span(ctx.doc[cue.i : cue.i + 1]), source)


def _is_outer(link: ViaLink, cue: Token) -> bool:
    """A link whose source is the quote's own speaker is not an outer link."""
    span = link.source.span
    return span is None or not (span.start <= cue.idx < span.end)


def _addressee(ctx: ArticleContext, cue: Token) -> Participant | None:
    if cue.lemma_ == "tell":
        for child in cue.children:
            if child.dep_ in {"dobj", "dative", "iobj"}:
                return participant_for(ctx, child)
    # "said in an interview with CNN" / "in a statement to Reuters".
    for prep in cue.children:
        if prep.dep_ != "prep" or prep.lower_ != "in":
            continue
        noun = pobj_of(prep)
        if noun is None or noun.lower_ not in _CHANNEL_NOUNS:
            continue
        for inner in noun.children:
            if inner.dep_ == "prep" and inner.lower_ in {"to", "with"}:
                target = pobj_of(inner)
                if target is not None:
                    return participant_for(ctx, target)
    return None


def _link(ctx: ArticleContext, cue: Span, source: Participant) -> ViaLink:
    match = ctx.knowledge.actors.resolve(source.name, None, ctx.anchor)
    source_type = match.source_type if match is not None else None
    return ViaLink(cue=cue, source=source, source_type=source_type)
