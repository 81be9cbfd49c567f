"""Denials within one article, linked to the claim they deny.

A quote is a denial when its cue denies ("denied that …", "rejected claims that …",
"dismissed the report as fake") or its content says a claim is untrue ("no such proposal was
made", "these are fakes"). It is linked to the quote of another speaker whose content shares
the most content words with it; failing that, to an event of the same type reported outside
it ("shelled" denied, "shelled" claimed); an anaphoric denial ("the report", "such claims")
takes what the denial just before it denied, else the nearest earlier claim of another
speaker; a follow-up denial by the same speaker
("These are fakes," he said) denies what that speaker's previous denial denied. Cross-article
disputes between canonical events are resolved later (resolve/merge.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from sitrep.model import Event, Participant, Quote, Span

# Cue verbs and nouns that deny what they introduce.
DENIAL_CUES = frozenset(
    {"deny", "refute", "rebut", "disavow", "debunk", "denial", "rebuttal", "refutation"}
)
# Cues that deny a claim ("rejected claims that …") but also refuse an offer ("rejected the
# proposal"): a denial only when what they introduce is a claim.
REJECTION_CUES = frozenset({"reject", "dismiss", "dispute", "contest", "repudiate"})
# Words that call a claim untrue when they are its predicate ("these are fakes", "dismissed
# the report as fake", "called the claim a provocation"); "propaganda" or "disinformation"
# accuse rather than deny.
UNTRUE_WORDS = frozenset(
    {
        "fake", "fakes", "false", "untrue", "baseless", "groundless", "lie", "lies",
        "fabrication", "fabricated", "fiction", "hoax", "nonsense", "unfounded",
        "provocation",
    }
)  # fmt: skip
# Nouns by which a denial points back at a claim it does not repeat ("the report").
CLAIM_NOUNS = frozenset(
    {
        "report", "reports", "claim", "claims", "allegation", "allegations", "accusation",
        "accusations", "statement", "statements", "story", "stories", "rumour", "rumours",
        "rumor", "rumors", "assertion", "assertions", "suggestion", "suggestions",
    }
)  # fmt: skip
# Dependencies of a word that is what is said of a subject ("is false", "as fake").
_PREDICATE = {"attr", "acomp", "oprd", "pobj", "ROOT", "conj"}
# Shared content words a quote needs to count as the denied claim (stems of 6 letters).
MIN_OVERLAP = 2
# … and at least this share of the shorter side's content words (long quotes share a few).
MIN_SHARE = 0.25
_STEM = 6
_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
# Words of the denial itself, shared by claim and denial without naming what was claimed.
_FRAME = (
    DENIAL_CUES
    | REJECTION_CUES
    | UNTRUE_WORDS
    | CLAIM_NOUNS
    | {"say", "make", "such", "be", "have"}
)


def link_denials(doc: Doc, quotes: list[Quote], events: list[Event]) -> None:
    """Mark denials among `quotes` and fill `denies` in place."""
    by_id: dict[str, Quote] = {}
    for quote in quotes:
        quote.denial = _is_denial(doc, quote)
    if not any(q.denial for q in quotes):
        return
    stems_of = {q.id: _stems(_tokens(doc, q.content)) for q in quotes}
    for quote in sorted(quotes, key=lambda q: q.content.start):
        if quote.denial:
            quote.denies = _denied(doc, quote, quotes, events, by_id, stems_of)
            by_id[quote.id] = quote


def _is_denial(doc: Doc, quote: Quote) -> bool:
    cue = _cue_token(doc, quote.cue)
    lemma = cue.lemma_.lower() if cue is not None else ""
    words = _tokens(doc, quote.content)
    if cue is not None and lemma in DENIAL_CUES:
        return _claim_like(words)  # not "denied Kyiv the weapons it needs"
    if cue is not None and cue.dep_ == "advcl" and cue.head.lemma_.lower() in DENIAL_CUES:
        return True  # "denied involvement, saying Kyiv does not strike civilian sites"
    if any(t.lower_ in UNTRUE_WORDS and t.dep_ in _PREDICATE for t in words):
        return True
    if lemma in REJECTION_CUES and words:
        # "rejected claims that …", "disputed that …"; not "rejected the proposal"
        return words[0].dep_ == "mark" or any(t.lower_ in CLAIM_NOUNS for t in words)
    return any(
        t.lower_ == "no" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "such" for t in words
    )


def _claim_like(words: list[Token]) -> bool:
    """What was denied is a claim: a clause ("that …", "it intends to attack", "escalating
    tensions") or a claim noun ("the reports"), not a thing withheld ("access to the ports")."""
    if not words:
        return False
    if words[0].dep_ == "mark" or words[0].tag_ == "VBG" or _clause_root(words):
        return True
    return any(t.lower_ in CLAIM_NOUNS for t in words)


def _clause_root(words: list[Token]) -> bool:
    inside = {t.i for t in words}
    return any(t.head.i not in inside and t.pos_ in {"VERB", "AUX"} for t in words)


def _denied(
    doc: Doc,
    denial: Quote,
    quotes: list[Quote],
    events: list[Event],
    earlier: dict[str, Quote],
    stems_of: dict[str, set[str]],
) -> str | None:
    # Words in most of the article's quotes ("Russia", "war") do not tell claims apart.
    common = {
        stem
        for stem in stems_of[denial.id]
        if 2 * sum(stem in other for other in stems_of.values()) > len(quotes) >= 4
    }
    stems = stems_of[denial.id] - common
    best: tuple[int, int, str] | None = None
    for claim in quotes:
        if claim.denial or _overlaps(claim.content, denial.content):
            continue
        if _same_speaker(claim.speaker, denial.speaker):
            continue  # one does not deny one's own claim
        claimed = stems_of[claim.id] - common
        shared = len(stems & claimed)
        if shared >= MIN_OVERLAP and shared >= MIN_SHARE * min(len(stems), len(claimed)):
            key = (shared, -abs(claim.content.start - denial.content.start), claim.id)
            best = key if best is None or key > best else best
    if best is not None:
        return best[2]
    event = _denied_event(denial, events)
    if event is not None:
        for claim in quotes:  # a claimed event: the claim is the quote that reports it
            if not claim.denial and _within(event.trigger, claim.content):
                return claim.id
        return event.id
    if _anaphoric(doc, denial):
        before = [q for q in quotes if q.content.end <= denial.content.start]
        last = max(before, key=lambda q: q.content.start) if before else None
        if last is not None and last.denial and last.denies is not None:
            return last.denies  # "These allegations are false": the ones just denied
        return _previous_claim(denial, quotes)
    return _previous_denial_target(denial, earlier)


def _denied_event(denial: Quote, events: list[Event]) -> Event | None:
    """An event reported outside the denial, of a type the denial itself mentions."""
    inside = {e.type for e in events if _within(e.trigger, denial.content)}
    candidates = [
        e
        for e in events
        if e.type in inside
        and not _within(e.trigger, denial.content)
        and e.factuality != "negated"
        and not (denial.cue is not None and _within(denial.cue, e.trigger))
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda e: abs(e.trigger.start - denial.content.start))


def _anaphoric(doc: Doc, denial: Quote) -> bool:
    """A denial that points back ("dismissed the report", "no such proposal")."""
    for token in _tokens(doc, denial.content):
        if token.lower_ == "such":
            return True
        if token.lower_ in CLAIM_NOUNS and any(
            c.lower_ in {"the", "this", "these", "those", "that", "such"} for c in token.children
        ):
            return True
    return False


def _previous_claim(denial: Quote, quotes: list[Quote]) -> str | None:
    before = [
        q
        for q in quotes
        if q.content.end <= denial.content.start
        and not q.denial
        and not _same_speaker(q.speaker, denial.speaker)
    ]
    return max(before, key=lambda q: q.content.start).id if before else None


def _previous_denial_target(denial: Quote, earlier: dict[str, Quote]) -> str | None:
    """A second denial by the same speaker ("These are fakes," he said) denies the same claim."""
    for quote in reversed(list(earlier.values())):
        if quote is denial or quote.content.start >= denial.content.start:
            continue
        if quote.denies is not None and _same_speaker(quote.speaker, denial.speaker):
            return quote.denies
    return None


def _same_speaker(a: Participant | None, b: Participant | None) -> bool:
    if a is None or b is None:
        return False
    if a.actor_id is not None and a.actor_id == b.actor_id:
        return True
    return a.name.lower() == b.name.lower()


def _stems(tokens: list[Token]) -> set[str]:
    return {
        t.lemma_.lower()[:_STEM]
        for t in tokens
        if t.pos_ in _CONTENT_POS
        and not t.is_stop
        and len(t.text) > 2
        and t.lemma_.lower() not in _FRAME
        and t.lower_ not in _FRAME
    }


def _tokens(doc: Doc, span: Span) -> list[Token]:
    found = doc.char_span(span.start, span.end, alignment_mode="expand")
    return list(found) if found is not None else []


def _cue_token(doc: Doc, cue: Span | None) -> Token | None:
    if cue is None:
        return None
    found = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    return found[0] if found is not None and len(found) else None


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _within(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end
