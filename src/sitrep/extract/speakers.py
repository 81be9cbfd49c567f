"""Who is speaking: the grammatical source of a reporting cue, resolved through the actor KB.

Pronoun speakers keep the pronoun as their span (the mention tied to the quote) and take the
name, id and country of the last compatible person named before them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sitrep.extract.dashquotes import dash_quoted_spans
from sitrep.extract.spans import (
    noun_phrase,
    participant_for,
    participant_of,
    pobj_of,
    resolve_mention,
    token_span,
)
from sitrep.model import Participant

if TYPE_CHECKING:
    from datetime import date

    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from sitrep.extract.context import ArticleContext
    from sitrep.kb.actor_yaml import Actor

THIRD_PERSON = {"he", "she", "him", "her"}
# First person is the speaker quoted or the author; a plural may be a group: keep the word.
OTHER_PRONOUNS = {"i", "we", "they", "you", "me", "us", "them", "it", "who"}
# A passive subject is what is reported, not who reports ("X is expected to …").
_SUBJECTS = {"nsubj", "csubj"}
_RELATIVES = {"who", "which", "that"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_QUOTED_AS = {"quote", "cite"}
_FORMER = {"former", "ex", "ex-", "erstwhile", "onetime", "one-time"}
# How far back (characters) a pronoun or an unattributed quote looks for its person.
LOOKBACK = 1500
# How far back "the spokeswoman" looks for an earlier mention of the same role noun: the
# repeated noun is a strong tie, which holds over more paragraphs than a pronoun's.
ROLE_LOOKBACK = 4000


def cue_speaker(ctx: ArticleContext, cue: Token) -> Participant | None:
    """The subject of the cue verb, its passive agent, or the subject it shares with the
    verb it is coordinated with or subordinated to ("…, saying that")."""
    seen = 0
    verb: Token | None = cue
    passed: Token | None = None  # a subject passed over, still better than none
    while verb is not None and seen < 4:
        subject = _subject(verb)
        if subject is not None and (seen == 0 or can_speak(ctx, subject)):
            return _with_coordinates(ctx, subject, _speaker_mention(ctx, subject))
        passed = passed or subject
        doer = _doer_of_participle(verb)
        if doer is not None:
            return mention(ctx, doer)
        if verb.dep_ in {"conj", "advcl", "xcomp", "acl", "acomp"} and verb.head is not verb:
            verb = verb.head
        elif subject is not None and verb.dep_ == "ccomp":
            # The verb reached is a clause of another's speech whose subject cannot speak
            # ("Novak said …, a stance that won support …, but said"): its speaker is above.
            verb = verb.head
        elif verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
            verb = verb.head.head  # "was quoted as telling": through the preposition
        else:
            verb = None
        seen += 1
    if passed is not None:
        return mention(ctx, passed)
    shared = _main_subject_before_participle(ctx, cue)
    if shared is not None:
        return mention(ctx, shared)
    name = _name_before_verb(ctx, cue)
    return mention(ctx, name.root) if name is not None else None


def _speaker_mention(ctx: ArticleContext, subject: Token) -> Participant | None:
    """The cue's subject as a speaker: as `mention`, but "the senators said" is the people
    named together before, and with none the group's description, never one of them. (An
    event's "they" keeps `mention`'s one person: an event source needs an actor.)"""
    if subject.tag_ == "NNS" and _role_description(ctx, subject):
        return _at(_named_pair_before(ctx, subject), subject) or _described(
            ctx, subject, participant_for(ctx, subject)
        )
    return mention(ctx, subject)


def _main_subject_before_participle(ctx: ArticleContext, cue: Token) -> Token | None:
    """The subject of the main clause before ", citing that …" or ", saying that …" when
    the parser hung the participle elsewhere (the subject of a later verb): a participle
    after a comma shares the main clause's subject."""
    doc = cue.doc
    if cue.tag_ != "VBG" or cue.i == 0 or doc[cue.i - 1].text != ",":
        return None
    root = cue.sent.root
    if root.i >= cue.i:
        return None
    subject = _subject(root)
    return subject if subject is not None and can_speak(ctx, subject) else None


def _name_before_verb(ctx: ArticleContext, cue: Token) -> SpacySpan | None:
    """A name ending just before a cue verb the parser gave no subject ("a senior official,
    Kim Min-jun, told reporters", where the name was attached elsewhere): the speaker."""
    if cue.pos_ not in {"VERB", "AUX"} or cue.dep_ != "ROOT":
        return None
    i = cue.i - 1
    while i >= cue.sent.start and cue.doc[i].text == ",":
        i -= 1
    if i < cue.sent.start or cue.doc[i].ent_type_ not in {"PERSON", "ORG"}:
        return None
    return ctx.entity_at(i)


def _subject(verb: Token) -> Token | None:
    if verb.lemma_.lower() in _QUOTED_AS:
        # "Salehi was quoted as telling state media", "he is said to have told": the
        # passive subject is who spoke; "state media quoted Salehi as saying": the object
        # did (the subject relays him, a link of the chain).
        for child in verb.children:
            if child.dep_ == "nsubjpass":
                return child
        quoted = quoted_as_object(verb)
        if quoted is not None:
            return quoted
    for child in _outside_quote(verb):
        if child.dep_ in _SUBJECTS and child.lower_ in _RELATIVES and verb.dep_ == "relcl":
            return child  # "the ministry, which said …": resolved to the ministry
        if child.dep_ in _SUBJECTS and child.lower_ not in {"there", "which", "that"}:
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


_CLOSING_MARKS = {'"', "”", "''"}


def _outside_quote(verb: Token) -> list[Token]:
    """The verb's children, less a second subject the parser took from the quoted words
    before it ('"… they sang, ‘Glory to …,’" the report said': "Glory" and "report")."""
    children = list(verb.children)
    subjects = [c for c in children if c.dep_ in _SUBJECTS]
    if len(subjects) < 2:
        return children
    doc = verb.doc
    quoted = {
        s.i
        for s in subjects
        if s.i < verb.i and any(doc[i].text in _CLOSING_MARKS for i in range(s.i + 1, verb.i))
    }
    return [c for c in children if c.i not in quoted] if len(quoted) < len(subjects) else children


def _doer_of_participle(verb: Token) -> Token | None:
    """Who does a speech participle with no subject: the noun it describes ("demonstrators
    chanting: …") or the object of the verb it completes ("a video showed demonstrators
    chanting: …")."""
    if verb.tag_ != "VBG":
        return None
    if verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        return verb.head
    if verb.dep_ == "xcomp":
        return next((c for c in verb.head.children if c.dep_ == "dobj"), None)
    return None


def _with_coordinates(
    ctx: ArticleContext, subject: Token, who: Participant | None
) -> Participant | None:
    """Two named speakers of one statement ("Cruz and Graham said"): both names; a shared
    country stays, an actor id does not (the pair is no one actor of the KB)."""
    if who is None or subject.pos_ != "PROPN":
        return who
    other = next((c for c in subject.children if c.dep_ == "conj" and c.pos_ == "PROPN"), None)
    partner = mention(ctx, other) if other is not None else None
    if partner is None or partner.name == who.name:
        return who
    return Participant(
        span=who.span,
        name=f"{who.name} and {partner.name}",
        country=who.country if who.country == partner.country else None,
        sector=who.sector if who.sector == partner.sector else None,
    )


def can_speak(ctx: ArticleContext, subject: Token) -> bool:
    """Whether the subject of a verb that a cue shares its subject with can be the cue's
    speaker: a name, a pronoun, or a noun for people, bodies or documents; never "a
    position" or "momentum"."""
    if subject.pos_ != "NOUN" or subject.ent_type_:
        return True
    lemma = subject.lemma_.lower()
    lex = ctx.knowledge.lexicons
    return lemma in lex.agent_nouns or lemma in lex.described_persons or lemma in lex.document_nouns


def quoted_as_object(verb: Token) -> Token | None:
    """Who "quoted X as saying" or "cited X as saying" names: X, or None ("cited the
    audit as the reason" quotes no one)."""
    if verb.lemma_.lower() not in _QUOTED_AS or not any(
        c.dep_ == "prep" and c.lower_ == "as" and any(g.dep_ == "pcomp" for g in c.children)
        for c in verb.children
    ):
        return None
    return next((c for c in verb.children if c.dep_ == "dobj"), None)


def mention(ctx: ArticleContext, token: Token) -> Participant | None:
    """A participant for the phrase headed by `token`; pronouns resolved but keep their span."""
    token = _role_after_ex(ctx, token)
    word = token.lower_.strip(_QUOTE_MARKS)  # '"He' glued to a closing quote mark
    if word in _RELATIVES and token.head.dep_ == "relcl":
        antecedent = token.head.head
        if word == "who" and not _names_people(ctx, antecedent):
            # "Trump himself in a tweet, who said": "who" is a person, never the tweet.
            person = _person_in_sentence_before(ctx, token)
            if person is not None:
                return _at(person, token)
        return _at(mention(ctx, antecedent), token)  # "the minister, who said …"
    if word in THIRD_PERSON or word in GROUP_PRONOUNS:
        found = pronoun_referent(ctx, token)
        if found is not None:
            return found
    apposed = _apposed_person(ctx, token) or _same_role_named_after(ctx, token)
    if apposed is not None:
        return apposed
    if _definite_role(ctx, token):
        # "the Ukrainian expert": the expert named before, though the KB knows the country
        earlier = same_role_before(ctx, token)
        if earlier is not None:
            return _at(earlier, token)
    if _role_description(ctx, token):
        earlier = same_role_before(ctx, token)
        if earlier is not None:
            return _at(earlier, token)
        if token.lemma_.lower() in ctx.knowledge.lexicons.anonymous_roles:
            return _described(ctx, token, participant_for(ctx, token))
        person = last_person_named(ctx, token)
        if person is not None:
            return _at(person, token)
    if word in THIRD_PERSON or word in OTHER_PRONOUNS:
        # Nothing to point back to: the pronoun itself, so the quote still has its mention.
        return Participant(span=token_span(token.doc[token.i : token.i + 1]), name=token.text)
    if token.pos_ == "NOUN" and token.lemma_.lower() in ctx.knowledge.lexicons.document_nouns:
        return document_source(ctx, token)
    titled = _titled_person(ctx, token)
    if titled is not None:
        return titled
    return _described(ctx, token, participant_for(ctx, token))


def _apposed_person(ctx: ArticleContext, role: Token) -> Participant | None:
    """The person a role's phrase names between commas ("The leader of the region, Jan
    Novak, said", "a commander in the Third Brigade, Jan Novak, said"): the parser hangs the
    name on the role or on the last object of its preposition, but it is the role's holder,
    never the place or the unit. The role word stays the mention."""
    if role.tag_ != "NN" or role.lemma_.lower() not in ctx.knowledge.lexicons.described_persons:
        return None
    holders = [role, *(pobj_of(c) for c in role.children if c.dep_ == "prep")]
    for holder in holders:
        if holder is None:
            continue
        for child in holder.children:
            if child.dep_ != "appos" or child.pos_ != "PROPN":
                continue
            name = ctx.entity_at(child.i)
            if name is None or name.start == 0 or role.doc[name.start - 1].text != ",":
                continue
            if name.label_ == "PERSON" or _person_like(ctx, name):
                return _at(_person(ctx, name, role.idx, None), role)
    return None


# Words that make a later role mention someone else ("another official", "a second aide").
_OTHER = {"another", "other", "second", "third", "fellow"}


def _same_role_named_after(ctx: ArticleContext, role: Token) -> Participant | None:
    """Who "one Polish officer" or "a spokesman" is when the article names them in the next
    lines ("… , Polish officer in the Third Brigade, Jan Novak, said"): news often gives the
    claim first and the name after it. Within LOOKAHEAD characters and the next two
    sentences, the same noun with the role's own modifiers, named between commas; never
    "another officer"."""
    if not _indefinite(role) or role.lemma_.lower() not in ctx.knowledge.lexicons.described_persons:
        return None
    lemma = role.lemma_.lower()
    own = {c.lower_ for c in role.children if c.dep_ in {"amod", "compound"}}
    doc = role.doc
    last_sentence = role.sent.end
    for _ in range(2):
        if last_sentence < len(doc):
            last_sentence = doc[last_sentence].sent.end
    for later in doc[role.i + 1 : last_sentence]:
        if later.idx > role.idx + LOOKAHEAD:
            return None
        if later.lemma_.lower() != lemma or later.tag_ != "NN":
            continue
        words = {t.lower_ for t in (*noun_phrase(later), *later.children)}
        if own <= words and not words & _OTHER:
            return _at(_apposed_person(ctx, later), role)
    return None


def _indefinite(role: Token) -> bool:
    """ "a spokesman", "one commander": a role not yet identified."""
    return any(
        (c.dep_ == "det" and c.lower_ in {"a", "an"}) or (c.dep_ == "nummod" and c.lower_ == "one")
        for c in role.children
    )


def _titled_person(ctx: ArticleContext, token: Token) -> Participant | None:
    """The person a capitalised title introduces ("Senate Minority Leader Jane Roe",
    "Kremlin Deputy Head of Press Ivan Petrov"): the parser makes the title the
    head and the name its apposition or the object of its "of"; the person spoke, not the
    body the title names. The title still gives the country of a person the KB lacks."""
    if token.pos_ != "PROPN" or token.ent_type_ == "PERSON":
        return None
    name = _title_name(ctx, token)
    if name is None:
        return None
    person = _person(ctx, name, token.idx, None)
    if person is None:
        return None
    if person.actor_id is None:
        office = participant_for(ctx, token)
        if office is not None:
            person.country, person.sector = office.country, office.sector
    person.span = token_span(noun_phrase(token))
    return person


def _title_name(ctx: ArticleContext, title: Token) -> SpacySpan | None:
    """A PERSON name in apposition to `title`, or ending the object of its "of" after
    words of its own ("of Press Ivan Petrov"; never "the lawyer of John Smith")."""
    for child in title.children:
        if child.dep_ == "appos" and child.ent_type_ == "PERSON":
            return ctx.entity_at(child.i)
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = pobj_of(child)
            name = ctx.entity_at(pobj.i) if pobj is not None and pobj.ent_type_ else None
            if name is not None and name.label_ == "PERSON" and pobj is not None:
                words = title.doc[min(t.i for t in pobj.subtree) : name.start]
                if len(words) > 0 and all(t.pos_ == "PROPN" for t in words):
                    return name
    return None


def _names_people(ctx: ArticleContext, token: Token) -> bool:
    """The word names a person or a body (a name, a pronoun or an agent noun), not a
    document or a thing."""
    if token.pos_ != "NOUN":
        return True
    lemma = token.lemma_.lower()
    lex = ctx.knowledge.lexicons
    return lemma not in lex.document_nouns and (
        lemma in lex.agent_nouns or lemma in lex.described_persons
    )


def _person_in_sentence_before(ctx: ArticleContext, token: Token) -> Participant | None:
    """The nearest person named before `token` in its own sentence."""
    for ent in _ents_before(ctx, token.idx, None):
        if ent.start_char < token.sent.start_char:
            return None
        person = _person(ctx, ent, token.idx, None)
        if person is not None:
            return person
    return None


def _description(token: Token) -> str:
    """The words describing an unnamed person, without determiners, with what the article
    says right after the noun ("officials familiar with the investigation", "aides
    traveling with Panetta"): without it the name would be only "officials"."""
    words = [t for t in noun_phrase(token) if t.dep_ not in {"det", "poss", "case"}]
    start = words[0].i if words else token.i
    end = words[-1].i + 1 if words else token.i + 1
    tail = [c for c in token.rights if c.dep_ in {"amod", "acl"} and c.i == end]
    if tail:
        end = tail[0].right_edge.i + 1
    return token.doc[start:end].text


def _described(ctx: ArticleContext, token: Token, who: Participant | None) -> Participant | None:
    """An unnamed person keeps the article's description as the name ("a senior defense
    official", "Pentagon officials"): the KB links the phrase to the body the person speaks
    for, whose id and country stay, but the body itself did not speak. One the KB does not
    place keeps the description too, unless a name was found for it."""
    if who is None or token.pos_ != "NOUN":
        return who
    if token.lemma_.lower() not in ctx.knowledge.lexicons.described_persons:
        return who
    if who.actor_id is None:
        named = _named_person(ctx, token) if not token.ent_type_ else None
        if named is not None:  # "the spokesman, Jay Carney, said": the person speaks
            person = _person(ctx, named, token.idx, None)
            if person is not None:
                person.span = who.span
                return person
        if who.span is not None and who.name == who.span.text:
            who.name = _description(token)  # not named ("the ambassador, Motohide Yoshikawa")
        return who
    if token.ent_type_:
        return who
    named = _named_person(ctx, token)
    if named is not None:  # "Belarusian commander …, Denys Prokhorov, said"
        # The role's phrase stays the mention tied to the quote; the person is its name.
        return Participant(span=who.span, name=named.text, country=who.country, sector=who.sector)
    actor = ctx.knowledge.actors.actor(who.actor_id)
    if actor is not None and actor.kind == "person":
        if _owned_by(ctx, token, actor.id):
            return _aide_of(ctx, token, actor, who)
        return who  # "the Russian president": the office holder is named by the office
    who.name = _description(token)
    return who


def _owned_by(ctx: ArticleContext, role: Token, actor_id: str) -> bool:
    """Whether the KB person the role's phrase resolved to is only its possessor
    ("the president's press secretary", "Putin's spokesman")."""
    for child in role.children:
        if child.dep_ != "poss" or not child.ent_type_:
            continue  # any label: the small model often calls a surname an ORG
        owner = ctx.entity_at(child.i)
        name = owner.text.removesuffix("'s").removesuffix("’s") if owner is not None else ""
        match = resolve_mention(ctx.knowledge.actors, name, "PERSON", ctx.anchor)
        if match is not None and match.actor_id == actor_id:
            return True
    return False


def _aide_of(ctx: ArticleContext, role: Token, owner: Actor, who: Participant) -> Participant:
    """ "Obama's press secretary", "Putin's spokesman": not the owner, who only employs
    them, but the one person of the owner's country whose office on the article's date is
    that role, while the owner is in office too (Obama's press secretary in 2022 is no one
    of the KB's); else the role's phrase, with the owner's country and no actor."""
    title = " ".join(
        [*(c.lower_ for c in role.children if c.dep_ == "compound"), role.lemma_.lower()]
    )
    on = ctx.anchor
    aide = None
    if on is not None and any(t.active(on) for t in owner.terms):
        aide = _one_holder(ctx, owner, title, on)
    if aide is None:
        phrase = noun_phrase(role).text
        return Participant(span=who.span, name=phrase, country=owner.country, sector=owner.sector)
    return Participant(
        span=who.span, name=aide.name, actor_id=aide.id, country=aide.country, sector=aide.sector
    )


def _one_holder(ctx: ArticleContext, owner: Actor, title: str, on: date) -> Actor | None:
    """The one other person of the owner's country holding `title` (or an office ending in
    it: "kremlin spokesman" for "spokesman") on `on`; None for none or several."""
    kb = ctx.knowledge.actors
    found = {
        a.id
        for a in kb.actors()
        if a.kind == "person"
        and a.id != owner.id
        and a.country == owner.country
        and any((t.role == title or t.role.endswith(" " + title)) and t.active(on) for t in a.terms)
    }
    return kb.actor(found.pop()) if len(found) == 1 else None


def _named_person(ctx: ArticleContext, token: Token) -> SpacySpan | None:
    """A person named in apposition to a role noun, or inside its phrase ("Journalist of
    TV Rain Ekaterina Kotrikadze"). A name of two or more words in apposition to a role is a
    person's, whatever label the small NER model gave it ("The commander, Oleksandr Syrskyi")."""
    for child in token.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            ent = ctx.entity_at(child.i)
            if ent is not None and (ent.label_ == "PERSON" or _person_like(ctx, ent)):
                return ent
        if child.dep_ in {"appos", "compound", "flat"} or (
            child.dep_ == "prep" and child.lower_ == "of"
        ):
            for inner in child.subtree:
                ent = ctx.entity_at(inner.i) if inner.ent_type_ == "PERSON" else None
                if ent is not None and ent.label_ == "PERSON":
                    return ent
    return None


def _person_like(ctx: ArticleContext, ent: SpacySpan) -> bool:
    """A mislabelled name that is no body the KB knows and reads as a full name."""
    words = ent.text.split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return False
    match = resolve_mention(ctx.knowledge.actors, ent.text, "PERSON", ctx.anchor)
    return match is None or match.kind == "person"


def document_source(ctx: ArticleContext, token: Token) -> Participant | None:
    """Who is behind a statement, report or survey that "said": its possessor, its author
    ("a survey from Pew", "the report published by the WFP"), the body the paragraph is
    about, else the document itself."""
    for child in token.children:
        if child.dep_ in {"poss", "compound"} and child.pos_ in {"PROPN", "NOUN"}:
            found = mention(ctx, child)
            if found is not None and (found.actor_id is not None or child.pos_ == "PROPN"):
                return _at(found, token)
    for child in token.children:
        author = _author(child)
        if author is not None:
            return _at(mention(ctx, author), token)
    body = last_subject_group_before(ctx, token.idx) or _cited_before(ctx, token)
    # With no author in sight the document stays the source mention: a reader sees what
    # said it, and the quote keeps its mention.
    return _at(body, token) if body is not None else participant_for(ctx, token)


def _cited_before(ctx: ArticleContext, document: Token) -> Participant | None:
    """The named source of an "according to X" in the document's sentence or the two
    before it ("According to the AP, crowds filled the stadium …. '…,' the report said"):
    the report is X's. Never a name inside quoted words."""
    doc = document.doc
    first = document.sent.start
    for _ in range(2):
        if first > 0:
            first = doc[first - 1].sent.start
    for i in range(document.i - 2, first - 1, -1):
        if doc[i].lower_ != "according" or doc[i + 1].lower_ != "to":
            continue
        cited = pobj_of(doc[i + 1])
        if cited is None or cited.ent_type_ not in {"ORG", "PERSON"}:
            continue
        if not _quoted_in_sentence(ctx, cited.idx, document.idx):
            return mention(ctx, cited)
    return None


def _author(child: Token) -> Token | None:
    """The object of "from/by/of/in X" after a document noun ("reports in the Financial
    Times"), or of "published/issued by X"."""
    if child.dep_ == "prep" and child.lower_ in {"from", "by", "of", "in"}:
        return pobj_of(child)
    if child.dep_ == "acl":
        for agent in child.children:
            if agent.dep_ == "agent":
                return pobj_of(agent)
    return None


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
    if (any(c.lower_ in _FORMER for c in children) or _split_ex(token)) and not any(
        c.ent_type_ == "PERSON" for c in children
    ):
        return True  # "the former Polish leader": not the office's holder today
    if any(c.ent_type_ in {"PERSON", "GPE", "NORP"} for c in children):
        return False  # "the Russian president", "President Putin": the KB knows the office
    if any(c.pos_ == "PROPN" and c.ent_type_ not in {"ORG", ""} for c in children):
        return False
    # "the politician", "the PiS president" (a party's, which the KB does not hold).
    return any(c.dep_ == "det" and c.lower_ == "the" for c in children) or _bare_after_verb(token)


def _bare_after_verb(role: Token) -> bool:
    """ "- said party leader.": a singular role with no article, subject after its verb, as
    translated text writes "the party leader"; a role before its verb with no article is a
    title ("President Putin") or a headline."""
    if role.tag_ != "NN" or any(c.dep_ in {"det", "poss", "nummod"} for c in role.children):
        return False
    if role.dep_ == "nsubj" and role.head.i < role.i:
        return True
    # The parser may read "said party leader" as an adjective on the noun.
    return any(c.dep_ == "amod" and c.tag_ == "VBD" and c.i < role.i for c in role.children)


def _definite_role(ctx: ArticleContext, token: Token) -> bool:
    """ "the Ukrainian expert", "the spokeswoman": a role noun after "the"."""
    return (
        token.pos_ == "NOUN"
        and token.lemma_.lower() in ctx.knowledge.lexicons.role_nouns
        and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
    )


def _role_after_ex(ctx: ArticleContext, token: Token) -> Token:
    """The role noun of a split "ex - president" when the parser made "ex" or the hyphen
    the head; else `token`."""
    doc = token.doc
    after = token.i + (2 if token.lower_ == "ex" else 1 if token.text == "-" else 0)
    if after == token.i or after >= len(doc):
        return token
    role = doc[after]
    roles = ctx.knowledge.lexicons.role_nouns
    if role.pos_ == "NOUN" and role.lemma_.lower() in roles and _split_ex(role):
        return role
    return token


def _split_ex(role: Token) -> bool:
    """ "the ex-president" cut by the tokenizer into "ex", "-", "president", which the
    parser then leaves off the role's phrase."""
    doc = role.doc
    return role.i >= 2 and doc[role.i - 1].text == "-" and doc[role.i - 2].lower_ == "ex"


def same_role_before(ctx: ArticleContext, role: Token) -> Participant | None:
    """Who "the spokeswoman" or "the official" is when the article used the same noun for
    someone before (within ROLE_LOOKBACK): the person that mention named ("A spokeswoman …,
    Maria Zakharova"), else its description ("a senior official"). The earlier mention must
    carry the role's own modifiers ("the defense official" is not "a senior official in
    Washington"); a plural noun is a group, not one earlier person."""
    if role.tag_ != "NN":
        return None
    lemma = role.lemma_.lower()
    own = {c.lower_ for c in role.children if c.dep_ in {"amod", "compound"}}
    doc = role.doc
    i = role.i - 1
    while i >= 0 and doc[i].idx >= role.idx - ROLE_LOOKBACK:
        earlier = doc[i]
        i -= 1
        if earlier.lemma_.lower() != lemma or earlier.tag_ not in {"NN", "NNP"}:
            continue
        if not own <= {t.lower_ for t in noun_phrase(earlier)}:
            continue
        if _quoted_in_sentence(ctx, earlier.idx, role.idx):
            continue
        named = _named_person(ctx, earlier) or _person_owning_role(ctx, earlier)
        if named is not None:
            return _person(ctx, named, role.idx, None)
        if lemma in ctx.knowledge.lexicons.anonymous_roles and not _role_description(
            ctx, earlier
        ):  # an unnamed "senior official" (not "the official" again) speaks again
            return _described(ctx, earlier, participant_for(ctx, earlier))
    return None


def _named_pair_before(ctx: ArticleContext, role: Token) -> Participant | None:
    """The people "the senators" or "the two leaders" stand for: the nearest subject
    naming two people together ("Jane Roe and John Doe said …") within ROLE_LOOKBACK,
    outside quoted words."""
    doc = role.doc
    for i in range(role.i - 1, -1, -1):
        token = doc[i]
        if token.idx < role.idx - ROLE_LOOKBACK:
            return None
        if token.dep_ not in _SUBJECT_DEPS or token.ent_type_ != "PERSON":
            continue
        if not any(c.dep_ == "conj" and c.ent_type_ == "PERSON" for c in token.children):
            continue
        if _quoted_in_sentence(ctx, token.idx, role.idx):
            continue
        pair = _with_coordinates(ctx, token, mention(ctx, token))
        if pair is not None and " and " in pair.name:
            return pair
    return None


def _person_owning_role(ctx: ArticleContext, role: Token) -> SpacySpan | None:
    """The person a role noun describes from outside its phrase: "Maria Zakharova, a
    spokeswoman" (apposition to the name) or "spokeswoman Maria Zakharova" (a title)."""
    head = role.head
    if role.dep_ in {"appos", "compound"} and head is not role and head.ent_type_ == "PERSON":
        return ctx.entity_at(head.i)
    return None


def last_person_named(ctx: ArticleContext, role: Token) -> Participant | None:
    """The person "the politician" or "the former Polish leader" stands for: as for a
    pronoun, but never a person of another country than the role's own ("Polish")."""
    # A role describes the article's protagonist, who is the subject of a main clause; a
    # pronoun may also take the subject of a clause reported just before ("X added that
    # Orban criticised …. Then he asked …").
    return last_person_before(ctx, role.idx, country=_role_country(ctx, role), reported=False)


def _role_country(ctx: ArticleContext, role: Token) -> str | None:
    """The country a role noun's own modifier names ("the Polish leader": POL)."""
    for child in role.children:
        ent = ctx.entity_at(child.i) if child.ent_type_ in {"GPE", "NORP"} else None
        if ent is None:
            continue
        match = resolve_mention(ctx.knowledge.actors, ent.text, ent.label_, ctx.anchor)
        if match is not None:
            return match.country
    return None


def last_person_before(
    ctx: ArticleContext,
    offset: int,
    gender: str | None = None,
    country: str | None = None,
    *,
    reported: bool = True,
) -> Participant | None:
    """The person a later "he", "she" or "the politician" most likely stands for, read
    sentence by sentence back from `offset` (within LOOKBACK): in the nearest sentence whose
    subject is a person, the subject of its main clause, else its last subject; with no
    subject person at all, the last person named. A subject is the salient party of news
    prose ("Ford showed courage while Assad attacked …; he said" is Ford). `gender`
    ("f"/"m") skips people the article calls Mr. or Ms. otherwise ("she" never resolves to a
    man)."""
    fallback: Participant | None = None
    subordinate: Participant | None = None
    sentence_subjects: list[tuple[int, Participant]] = []
    sentence_start: int | None = None
    own_sentence = False  # the sentence read is the one that holds `offset`
    for ent in _ents_before(ctx, offset, LOOKBACK):
        if sentence_start is not None and ent.start_char < sentence_start:
            found = _salient(sentence_subjects, own_sentence, reported)
            if found is not None:
                return found
            subordinate = subordinate or _salient(sentence_subjects, True)
            sentence_subjects = []
        sentence_start = ent.sent.start_char
        own_sentence = ent.sent.end_char > offset
        person = _person(ctx, ent, offset, gender)
        if person is None or (country is not None and person.country not in {None, country}):
            continue
        if _is_subject(ent.root):
            sentence_subjects.append((_clause_rank(ent.root), person))
        fallback = fallback or person
    last = _salient(sentence_subjects, own_sentence, reported)
    return last or subordinate or _salient(sentence_subjects, True) or fallback


def _salient(
    subjects: list[tuple[int, Participant]], any_clause: bool, reported: bool = True
) -> Participant | None:
    """The main clause's subject of one sentence, else the subject of what its main verb
    reports ("X added that Orban criticised …"; with `reported`), else (with `any_clause`)
    its last subject (listed last first). An earlier sentence whose person is the subject
    of a subordinate clause only ("… since Putin invaded Ukraine") does not end the search:
    news prose keeps its protagonist in main clauses ("The Pope's comments mark … since
    Putin invaded …. He had raised eyebrows" is the Pope)."""
    for wanted in (_MAIN, _REPORTED) if reported else (_MAIN,):
        for rank, person in subjects:
            if rank == wanted:
                return person
    return subjects[0][1] if subjects and any_clause else None


def _person(
    ctx: ArticleContext, ent: SpacySpan, offset: int, gender: str | None
) -> Participant | None:
    """`ent` as a person a pronoun can stand for, or None."""
    if _quoted_in_sentence(ctx, ent.start_char, offset) or _in_dash_quote(ctx, ent, offset):
        return None  # '"Putin is weak," he said': a name inside the quote is not the speaker
    text = ent.text.removesuffix("'s").removesuffix("’s")  # "Grant's plan": the owner
    name = ctx.surnames.get(text, text) if ent.label_ == "ORG" else text
    label = "PERSON" if name != text else ent.label_
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


def _in_dash_quote(ctx: ArticleContext, ent: SpacySpan, offset: int) -> bool:
    """Whether `ent` lies inside a dash-set quote ("- Putin is weak - he said") that ends
    before `offset`."""
    return any(
        start <= ent.start_char and ent.end_char <= end <= offset
        for start, end in dash_quoted_spans(ctx.text)
    )


# How central a subject's clause is to its sentence (see _clause_rank).
_MAIN, _REPORTED, _SUBORDINATE = 2, 1, 0


def _clause_rank(token: Token) -> int:
    """_MAIN when the subject (or its apposition) hangs off the sentence's root or a verb
    joined to it; _REPORTED when off the clause the root reports ("added that X …");
    _SUBORDINATE otherwise ("since X invaded", "who X met")."""
    while token.dep_ in {"appos", "compound", "flat", "poss", "nsubj", "nsubjpass"}:
        token = token.head
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    if token.dep_ == "ROOT":
        return _MAIN
    if token.dep_ == "ccomp" and token.head.dep_ == "ROOT":
        return _REPORTED
    return _SUBORDINATE


def _is_subject(token: Token) -> bool:
    """The name is a clause's subject, stands in apposition to one ("Minister X, …") or
    owns it ("Marek's plan was to leave …; he said": the owner is who the sentence is
    about)."""
    for _ in range(2):
        if token.dep_ in {"nsubj", "nsubjpass"}:
            return True
        if token.dep_ not in {"appos", "compound", "flat", "poss"} or token.head is token:
            return False
        token = token.head
    return False


_FEMALE_TITLES = ("Ms", "Mrs", "Miss", "Madam")
_MALE_TITLES = ("Mr",)


def _titled_gender(ctx: ArticleContext, name: str) -> str | None:
    """ "f" or "m" when the article calls the person by a title ("Ms. Novak"), else None."""
    surname = name.split()[-1] if name.split() else ""
    if not surname:
        return None
    for titles, gender in ((_FEMALE_TITLES, "f"), (_MALE_TITLES, "m")):
        if any(f"{t}. {surname}" in ctx.text or f"{t} {surname}" in ctx.text for t in titles):
            return gender
    return None


_PRONOUN_GENDER = {"she": "f", "her": "f", "hers": "f", "he": "m", "him": "m", "his": "m"}


GROUP_PRONOUNS = {"it", "its", "they", "them", "their"}
PLURAL_PRONOUNS = {"they", "them", "their"}
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
    for ent in _ents_before(ctx, offset, LOOKBACK):
        if ent.label_ not in {"ORG", "GPE", "NORP"}:
            continue
        match = resolve_mention(kb, ent.text, ent.label_, ctx.anchor)
        if match is None or match.kind == "person":
            continue
        return participant_of(match, token_span(ent))
    return None


def _ents_before(ctx: ArticleContext, offset: int, lookback: int | None) -> Iterator[SpacySpan]:
    """The entities that end by `offset`, nearest first; with `lookback`, only those that
    end within that many characters of it."""
    for ent in reversed(ctx.ents):
        if ent.end_char > offset:
            continue
        if lookback is not None and ent.end_char < offset - lookback:
            return
        yield ent


def last_subject_group_before(ctx: ArticleContext, offset: int) -> Participant | None:
    """The state or organisation that is the subject of one of the two sentences before
    `offset`: whose document "the statement" is when it names no author ("The Center
    announced this … the statement reads")."""
    kb = ctx.knowledge.actors
    sentences = 0
    sentence_start: int | None = None
    for ent in _ents_before(ctx, offset, None):  # bounded by sentences, not characters
        if sentence_start is None or ent.start_char < sentence_start:
            sentence_start = ent.sent.start_char
            sentences += 1
            if sentences > 3:  # the quote's own sentence and the two before it
                break
        if ent.label_ != "ORG" or ent.root.dep_ not in _SUBJECT_DEPS:
            continue  # a named body that acts in the sentence, not a place or a modifier
        if _quoted_in_sentence(ctx, ent.start_char, offset):
            continue  # a name inside the quoted words did not issue the document
        match = resolve_mention(kb, ent.text, ent.label_, ctx.anchor)
        if match is not None and match.kind != "person":
            return participant_of(match, token_span(ent))
    return None


def pronoun_referent(ctx: ArticleContext, token: Token) -> Participant | None:
    """The actor a third-person pronoun stands for, keeping the pronoun as its span: a
    person for he/she, the last state or organisation for it/they; None for first and
    second person (the caller knows whether a quote's speaker is meant) and for "it" or
    "they" with nothing to point back to."""
    word = token.lower_.strip(_QUOTE_MARKS)  # '"He' glued to a closing quote mark
    if word in PERSON_PRONOUNS:
        gender = _PRONOUN_GENDER.get(word)
        person = last_person_before(ctx, token.idx, gender) or _first_person_after(
            ctx, token, gender
        )
        return _at(person, token)
    if word in PLURAL_PRONOUNS:
        people = _plural_subject_before(ctx, token)
        if people is not None:
            return _at(mention(ctx, people), token)
    if word in GROUP_PRONOUNS:
        return _at(last_group_before(ctx, token.idx), token)
    return None


# How far ahead (characters) a pronoun with no person before it looks for one.
LOOKAHEAD = 600


def _first_person_after(
    ctx: ArticleContext, token: Token, gender: str | None
) -> Participant | None:
    """The first person named after a pronoun when the article names no one before it (an
    article opening on '"…," he said' names him in the next lines), outside quoted words."""
    end = token.idx + LOOKAHEAD
    for ent in ctx.ents:
        if ent.start_char <= token.idx:
            if ent.label_ == "PERSON":
                return None  # someone was named before: not an opening pronoun
            continue
        if ent.start_char > end:
            return None
        person = _person(ctx, ent, ent.start_char, gender)
        if person is not None and ent.label_ == "PERSON":
            return person
    return None


def _plural_subject_before(ctx: ArticleContext, pronoun: Token) -> Token | None:
    """The nearest plural subject naming people ("rescuers", "the strategists", "officials")
    in the pronoun's sentence or the one before: what "they" stands for before any state
    or body named further back ("Rescuers arrive first, and they say …")."""
    doc = pronoun.doc
    sentence = pronoun.sent
    start = doc[sentence.start - 1].sent.start if sentence.start > 0 else sentence.start
    lex = ctx.knowledge.lexicons
    for i in range(pronoun.i - 1, start - 1, -1):
        token = doc[i]
        if token.dep_ not in _SUBJECT_DEPS or token.tag_ != "NNS" or token.ent_type_:
            continue
        lemma = token.lemma_.lower()
        if lemma not in lex.described_persons and lemma not in lex.agent_nouns:
            continue
        if not _quoted_in_sentence(ctx, token.idx, pronoun.idx):
            return token
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
