"""Who is speaking: the grammatical source of a reporting cue, resolved through the actor KB.

Pronoun speakers keep the pronoun as their span (the mention tied to the quote) and take the
name, id and country of the last compatible person named before them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.spans import participant_for, participant_of, resolve_mention, token_span
from sitrep.model import Participant

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from sitrep.extract.context import ArticleContext

THIRD_PERSON = {"he", "she", "him", "her"}
# First person is the speaker quoted or the author; a plural may be a group: keep the word.
OTHER_PRONOUNS = {"i", "we", "they", "you", "me", "us", "them", "it", "who"}
# A passive subject is what is reported, not who reports ("X is expected to …").
_SUBJECTS = {"nsubj", "csubj"}
_RELATIVES = {"who", "which", "that"}
# How far back (characters) a pronoun or an unattributed quote looks for its person.
LOOKBACK = 1500


def cue_speaker(ctx: ArticleContext, cue: Token) -> Participant | None:
    """The subject of the cue verb, its passive agent, or the subject it shares with the
    verb it is coordinated with or subordinated to ("…, saying that")."""
    seen = 0
    verb: Token | None = cue
    while verb is not None and seen < 4:
        subject = _subject(verb)
        if subject is not None:
            return mention(ctx, subject)
        if verb.dep_ in {"conj", "advcl", "xcomp", "acl"} and verb.head is not verb:
            verb = verb.head
        else:
            verb = None
        seen += 1
    return None


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in _SUBJECTS and child.lower_ in _RELATIVES and verb.dep_ == "relcl":
            return child  # "the ministry, which said …": resolved to the ministry
        if child.dep_ in _SUBJECTS and child.lower_ not in {"it", "there", "which", "that"}:
            return child
        if child.dep_ == "agent":  # "it was said by officials"
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    # A noun cue's possessor is its source ("Russia's claim that …").
    for child in verb.children:
        if child.dep_ == "poss":
            return child
    return None


def mention(ctx: ArticleContext, token: Token) -> Participant | None:
    """A participant for the phrase headed by `token`; pronouns resolved but keep their span."""
    word = token.lower_
    if word in _RELATIVES and token.head.dep_ == "relcl":
        return _at(mention(ctx, token.head.head), token)  # "the minister, who said …"
    if word in THIRD_PERSON or word in GROUP_PRONOUNS:
        found = pronoun_referent(ctx, token)
        if found is not None:
            return found
    if _role_description(ctx, token):
        person = last_person_before(ctx, token.idx)
        if person is not None:
            return _at(person, token)
    if word in THIRD_PERSON or word in OTHER_PRONOUNS:
        # Nothing to point back to: the pronoun itself, so the quote still has its mention.
        return Participant(span=token_span(token.doc[token.i : token.i + 1]), name=token.text)
    return participant_for(ctx, token)


def _at(who: Participant | None, token: Token) -> Participant | None:
    """`who` as mentioned by the single word `token` (a pronoun or a role noun)."""
    if who is not None:
        who.span = token_span(token.doc[token.i : token.i + 1])
    return who


def _role_description(ctx: ArticleContext, token: Token) -> bool:
    """ "the politician", "the spokeswoman": a role noun after "the", with no name of its own."""
    if token.pos_ != "NOUN" or token.lemma_.lower() not in ctx.knowledge.lexicons.role_nouns:
        return False
    children = list(token.children)
    if any(c.ent_type_ in {"PERSON", "GPE", "NORP"} for c in children):
        return False  # "the Russian president", "President Putin": the KB knows the office
    if any(c.pos_ == "PROPN" and c.ent_type_ not in {"ORG", ""} for c in children):
        return False
    # "the politician", "the PiS president" (a party's, which the KB does not hold).
    return any(c.dep_ == "det" and c.lower_ == "the" for c in children)


def last_person_before(
    ctx: ArticleContext, offset: int, gender: str | None = None
) -> Participant | None:
    """The person a later "he", "she" or "the politician" most likely stands for, read
    sentence by sentence back from `offset` (within LOOKBACK): in the nearest sentence whose
    subject is a person, the subject of its main clause, else its last subject; with no
    subject person at all, the last person named. A subject is the salient party of news
    prose ("Ford showed courage while Assad attacked …; he said" is Ford). `gender`
    ("f"/"m") skips people the article calls Mr. or Ms. otherwise ("she" never resolves to a
    man)."""
    fallback: Participant | None = None
    sentence_subjects: list[tuple[bool, Participant]] = []
    sentence_start: int | None = None
    for ent in reversed(ctx.ents):
        if ent.end_char > offset:
            continue
        if ent.end_char < offset - LOOKBACK:
            break
        if sentence_start is not None and ent.start_char < sentence_start:
            found = _salient(sentence_subjects)
            if found is not None:
                return found
            sentence_subjects = []
        sentence_start = ent.sent.start_char
        person = _person(ctx, ent, offset, gender)
        if person is None:
            continue
        if _is_subject(ent.root):
            sentence_subjects.append((_in_main_clause(ent.root), person))
        fallback = fallback or person
    return _salient(sentence_subjects) or fallback


def _salient(subjects: list[tuple[bool, Participant]]) -> Participant | None:
    """The main clause's subject of one sentence, else its last subject (listed last first)."""
    for main, person in subjects:
        if main:
            return person
    return subjects[0][1] if subjects else None


def _person(
    ctx: ArticleContext, ent: SpacySpan, offset: int, gender: str | None
) -> Participant | None:
    """`ent` as a person a pronoun can stand for, or None."""
    if _quoted_in_sentence(ctx, ent.start_char, offset):
        return None  # '"Putin is weak," he said': a name inside the quote is not the speaker
    name = ctx.surnames.get(ent.text, ent.text) if ent.label_ == "ORG" else ent.text
    label = "PERSON" if name != ent.text else ent.label_
    if label not in {"PERSON", "ORG", "GPE", "NORP"}:
        return None
    match = resolve_mention(ctx.knowledge.actors, name, label, ctx.anchor)
    if label != "PERSON" and (match is None or match.kind != "person"):
        return None  # a known person the small model mislabelled is still a "he"
    if match is not None and match.kind != "person":
        return None  # a mislabelled agency ("BelTA") is not a "he" or "she"
    if gender is not None and _titled_gender(ctx, name) not in {None, gender}:
        return None
    return Participant(
        span=token_span(ent),
        name=match.name if match else name,
        actor_id=match.actor_id if match else None,
        country=match.country if match else None,
        sector=match.sector if match else None,
    )


def _in_main_clause(token: Token) -> bool:
    """The subject (or its apposition) hangs off the sentence's root or a verb joined to it."""
    while token.dep_ in {"appos", "compound", "flat", "nsubj", "nsubjpass"}:
        token = token.head
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token.dep_ == "ROOT"


def _is_subject(token: Token) -> bool:
    """The name is a clause's subject, or stands in apposition to one ("Minister X, …")."""
    for _ in range(2):
        if token.dep_ in {"nsubj", "nsubjpass"}:
            return True
        if token.dep_ not in {"appos", "compound", "flat"} or token.head is token:
            return False
        token = token.head
    return False


_FEMALE_TITLES = ("Ms", "Mrs", "Miss", "Madam")
_MALE_TITLES = ("Mr",)


def _titled_gender(ctx: ArticleContext, name: str) -> str | None:
    """ "f" or "m" when the article calls the person by a title ("Ms. Kelley"), else None."""
    surname = name.split()[-1] if name.split() else ""
    if not surname:
        return None
    for titles, gender in ((_FEMALE_TITLES, "f"), (_MALE_TITLES, "m")):
        if any(f"{t}. {surname}" in ctx.text or f"{t} {surname}" in ctx.text for t in titles):
            return gender
    return None


_PRONOUN_GENDER = {"she": "f", "her": "f", "hers": "f", "he": "m", "him": "m", "his": "m"}


GROUP_PRONOUNS = {"it", "its", "they", "them", "their"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}


_QUOTE_MARKS = '"“”'


def _quoted_in_sentence(ctx: ArticleContext, start: int, offset: int) -> bool:
    """Whether `start` lies inside quotation marks opened earlier in the paragraph that
    holds `offset` (an odd number of marks between the paragraph start and `start`)."""
    line_start = ctx.text.rfind("\n", 0, offset) + 1
    if start < line_start:
        return False
    marks = sum(ctx.text.count(m, line_start, start) for m in _QUOTE_MARKS)
    return marks % 2 == 1


def last_group_before(ctx: ArticleContext, offset: int) -> Participant | None:
    """The last state, organisation or nationality the KB knows, named before `offset`
    (within LOOKBACK): what "it" or "they" most often refers to in news ("Russia said it …")."""
    kb = ctx.knowledge.actors
    for ent in reversed(ctx.ents):
        if ent.end_char > offset:
            continue
        if ent.end_char < offset - LOOKBACK:
            break
        if ent.label_ not in {"ORG", "GPE", "NORP"}:
            continue
        match = resolve_mention(kb, ent.text, ent.label_, ctx.anchor)
        if match is None or match.kind == "person":
            continue
        return participant_of(match, token_span(ent))
    return None


def pronoun_referent(ctx: ArticleContext, token: Token) -> Participant | None:
    """The actor a third-person pronoun stands for, keeping the pronoun as its span: a
    person for he/she, the last state or organisation for it/they; None for first and
    second person (the caller knows whether a quote's speaker is meant) and for "it" or
    "they" with nothing to point back to."""
    word = token.lower_
    if word in PERSON_PRONOUNS:
        return _at(last_person_before(ctx, token.idx, _PRONOUN_GENDER.get(word)), token)
    if word in GROUP_PRONOUNS:
        return _at(last_group_before(ctx, token.idx), token)
    return None


def phrase_speaker(ctx: ArticleContext, tokens: list[Token]) -> Participant | None:
    """The speaker of a colon or dash attribution ("Kerry: …", "— Albert Einstein"): the
    last word of the first run of nominals (the head of "Albert Einstein")."""
    nominal = {"PROPN", "NOUN", "PRON"}
    for index, token in enumerate(tokens):
        if token.pos_ in nominal:
            while index + 1 < len(tokens) and tokens[index + 1].pos_ in {"PROPN", "NOUN"}:
                index += 1
            return mention(ctx, tokens[index])
    return None
