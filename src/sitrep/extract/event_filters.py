"""What is not an event, though a trigger word is there (issue: whole articles).

Sentence benchmarks hold an event in every sentence; whole articles do not, and most of what
an analyst would delete comes from words that only look like events:

- a noun that names a situation instead of telling of an act ("coverage of Russia's
  *invasion*", "a *deal* that …", "the *attack* was the worst since …" keeps its event only
  when a verb carries it or it is the subject of its own clause);
- a subject that is no actor ("bank stocks *rallied*", "unity *failed*", "the claim was
  *met* with skepticism");
- the author's own voice ("I *support* his decision") outside any quote;
- a generic party ("*any* country that *supports* the invasion", "*every* member who
  *backs* him");
- a capability or a danger, not an occurrence ("the rockets *can strike* …", "the *threat*
  of an invasion"), a participle that describes a thing ("*wounded* soldiers") and a
  present-tense relative clause that says what its noun is ("countries which *support* …");
- "*denied* that …" (the denied act is the event, negated) and "*ordered* troops to
  deploy" (the ordered act is the event) are not REJECT and REQUEST;
- the act another party is asked for or threatened with is the content of the REQUEST or
  THREATEN, not an event of its own ("urged regulators to *crack down*", "threatened to
  *strike*").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.codebook import Codebook
from sitrep.extract.context import ArticleContext
from sitrep.extract.event_rules import names_a_quality, object_relative
from sitrep.extract.lexicons import Trigger
from sitrep.extract.spans import prep_objects
from sitrep.model import Event, Participant

if TYPE_CHECKING:
    from spacy.tokens import Token

# Dependencies under which a noun refers to an event told elsewhere (or never).
_NAMING_DEPS = {"pobj", "attr", "appos", "conj", "compound", "npadvmod", "nmod", "oprd"}
_FIRST_PERSON = {"i", "we", "me", "us"}
# Verbs that say what a thing is called ("called the claims absurd").
_NAMING_VERBS = {"call", "brand", "label", "describe", "dub", "term"}


def subject_of(carrier: Token) -> Token | None:
    """The grammatical subject of the trigger's clause (the carrier verb's)."""
    node: Token | None = carrier
    for _ in range(3):
        if node is None:
            return None
        for child in node.children:
            if child.dep_ in {"nsubj", "csubj"}:
                return child
        # "Belarus has started removing vehicles": the subject sits on the governing verb.
        climbs = node.dep_ in {"xcomp", "conj", "acomp"} and node.head is not node
        node = node.head if climbs else None
    return None


def first_person_subject(carrier: Token) -> bool:
    subject = subject_of(carrier)
    return subject is not None and subject.lower_ in _FIRST_PERSON


def not_an_event(ctx: ArticleContext, token: Token, carrier: Token, trigger: Trigger) -> bool:
    """True when the trigger word tells of no event here."""
    lemma = token.lemma_.lower()
    # A noun no verb carries: under a preposition or in apposition it names an event told
    # elsewhere, and a campaign noun ("Russia's invasion of Ukraine underlines …") refers to
    # the campaign; neither tells of an act.
    naming = token.dep_ in _NAMING_DEPS or lemma in ctx.knowledge.lexicons.campaign_nouns
    if token.pos_ == "NOUN" and carrier.i == token.i and naming:
        return True
    naming_verb = token.head.lemma_.lower() in _NAMING_VERBS
    if token.dep_ == "dobj" and naming_verb and _named_as_something(token.head):
        return True  # "called the invasion a senseless war" / "… as a conflict": named, not told
    if _purpose_of_a_gift(ctx, token):
        return True  # "sent missiles for its aircraft to target radars"
    if token.dep_ == "pcomp" and token.head.lower_ == "since":
        return True  # "the biggest escalation since invading Ukraine": a time reference
    if token.pos_ == "NOUN" and _wanted(token):
        return True  # "Brazil may want talks", "wants tough sanctions": a wish
    if token.pos_ == "NOUN" and trigger.type in _SPOKEN_OF and _topic_of_speech(ctx, token):
        return True  # "criticized the planned sanctions", "discussed sanctions against Russia"
    if _cancelled_by_object(ctx, token, lemma):
        return True  # "released a statement", "met with skepticism"
    if _capability_or_description(ctx, token, carrier, lemma):
        return True
    if _generic_party(carrier) or _on_many_occasions(carrier) or _counterfactual(token):
        return True
    if token.pos_ == "NOUN" and any(
        c.dep_ == "det" and c.lower_ in _QUANTIFIERS - {"no"} for c in token.children
    ):
        return True  # "before any raids", "every attack": no act in particular
    if _named_by_participle(token):
        return True
    if _entertained_only(token):
        return True  # "balked at the thought of teaming up with them"
    if _for_someone_to(token):
        return (
            True  # "it is quite proper for Tbilisi to oppose the talks", "pushed for Paris to act"
        )
    if _speech_spoken_of(token):
        return True  # "his criticism cuts to the core of …": a criticism told elsewhere
    if _a_remit(token):
        return True  # "the fraud the panel was tasked with investigating": a job
    if _who_against_whom(token):
        return True  # "never says who is fighting against whom": no one named
    if token.sent.text.count(" | ") >= 2:
        return True  # a list of headlines run into a paragraph ("A | B | C"), not a report
    book = ctx.knowledge.codebook
    if lemma == "deny" and trigger.type == "REJECT" and _denies_a_fact(token, book):
        return True
    ordering = book.words("ordering_verbs")
    if trigger.type == "REQUEST" and lemma in ordering and _orders_an_act(ctx, token):
        return True
    if _content_of_a_demand(ctx, token):
        return True
    if trigger.type in _STANCES and _first_person_opinion(carrier):
        return True
    return _no_actor_subject(ctx, token, carrier)


_NAMED = {"PERSON", "ORG", "GPE", "NORP"}
# Where the word that gives a trigger's everyday sense hangs off it.
_OBJECT_DEPS = {"dobj", "nsubjpass", "acomp", "oprd", "advmod", "attr"}


def lacks_named_party(ctx: ArticleContext, event: Event) -> bool:
    """An event of an everyday-word type (setting `extract.named_party_types`: "support",
    "agree", "meet", "provide", "withdraw" …) with no named party, an actor of the KB or a
    named person, organisation, state or nationality, as its source or target."""
    if event.type not in ctx.settings.named_party_types:
        return False
    return not any(_named(ctx, who) for who in [*event.sources, *event.targets])


def _named(ctx: ArticleContext, who: Participant) -> bool:
    if who.actor_id is not None:
        return True
    if who.span is None:
        return False
    tokens = ctx.doc.char_span(who.span.start, who.span.end, alignment_mode="expand")
    return tokens is not None and any(t.ent_type_ in _NAMED for t in tokens)


# Verbs whose object is wished for, not done.
_WANTING = {"want", "wish", "desire", "prefer", "need", "crave"}


def _wanted(noun: Token) -> bool:
    """The noun is what someone wants: its object ("wants tough sanctions") or the subject
    of the clause it wants ("wants talks to be extended")."""
    if noun.dep_ == "dobj":
        return noun.head.lemma_.lower() in _WANTING
    clause = noun.head
    wanted = clause.dep_ in {"ccomp", "xcomp"} and clause.head.lemma_.lower() in _WANTING
    return noun.dep_ in {"nsubj", "nsubjpass"} and wanted


# Speech acts whose object is their topic, and the kinds of act they speak of, told
# elsewhere if at all: "criticized the planned sanctions", "discussed the proposal". A condemned
# strike or launch stays: the violent act is news in its own right.
_SPEAKING = {"ACCUSE", "SUPPORT", "CONSULT"}
_SPOKEN_OF = {"SANCTION", "AGREE", "ACCUSE", "REQUEST", "SUPPORT"}


def _topic_of_speech(ctx: ArticleContext, noun: Token) -> bool:
    """The noun is what a speech act is about ("criticized the sanctions", "discussed the
    proposal", "investigating allegations"): the criticism or the talks are the event."""
    if noun.dep_ != "dobj":
        return False
    lemma = noun.head.lemma_.lower()
    if lemma in ctx.knowledge.codebook.words("sealing_verbs"):
        return False  # "signed a security agreement": the signing is the act
    verb = ctx.knowledge.lexicons.verb_triggers.get(lemma)
    return verb is not None and verb.type in _SPEAKING


def _cancelled_by_object(ctx: ArticleContext, token: Token, lemma: str) -> bool:
    """The verb's object or preposition gives its everyday sense away ("released a
    statement", "talked about the war"), or the object its event sense needs is missing
    ("one man recalled" remembers; "recalled its ambassador" withdraws an envoy)."""
    lex = ctx.knowledge.lexicons
    if token.pos_ != "VERB":
        return False
    cancel = lex.cancel_objects.get(lemma, frozenset())
    preps = lex.cancel_preps.get(lemma, frozenset())
    needed = lex.require_objects.get(lemma)
    objects = _objects(token)
    words = [_sense_forms(o) for o in objects]
    if needed is not None and not any(forms & needed for forms in words):
        return True
    if any(forms & cancel for forms in words):
        return True  # "released a statement", "pleaded guilty"
    return any(c.dep_ == "prep" and c.lower_ in preps for c in _sharing_preps(token))


def _sharing_preps(verb: Token) -> list[Token]:
    """The verb's children, and those of a verb coordinated with it when it has no object
    of its own: in "approves or disapproves of their views" the "of" is both verbs'."""
    children = list(verb.children)
    if any(c.dep_ in _OBJECT_DEPS for c in children):
        return children
    return children + [g for c in children if c.dep_ == "conj" for g in c.children]


# Nouns that measure another ("the level of cooperation"): the measured noun is the thing.
_MEASURES = {"level", "degree", "amount", "kind", "sort", "type", "quality", "quantity"}


def _measured(noun: Token) -> list[Token]:
    if noun.lemma_.lower() not in _MEASURES:
        return []
    return [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]


def _sense_forms(word: Token) -> set[str]:
    """The word's lemma, and the singular of a capitalised plural the tagger left as its
    own lemma ("targeted Republicans" → republican)."""
    forms = {word.lemma_.lower()}
    if word.tag_ == "NNPS" and word.lower_.endswith("s"):
        forms.add(word.lower_[:-1])
    return forms


def _objects(token: Token) -> list[Token]:
    """The words that give a verb its sense: its object (or what stands in for one) and the
    objects of the prepositions and particles that hang off it."""
    out = []
    if object_relative(token):
        out.append(token.head)  # "the cooperation it received": its noun is its object
        out.extend(_measured(token.head))  # "the degree of cooperation it received"
    for child in token.children:
        if child.dep_ in _OBJECT_DEPS:
            out.append(child)
        elif child.dep_ in {"prep", "prt"}:
            out.extend(g for g in child.children if g.dep_ == "pobj")
    return out


def _capability_or_description(
    ctx: ArticleContext, token: Token, carrier: Token, lemma: str
) -> bool:
    """'the rockets can strike …' (an ability), 'the threat of an invasion' (a danger) and
    'wounded soldiers', 'destroyed tanks' (a participle that describes a thing)."""
    lex = ctx.knowledge.lexicons
    if any(
        c.dep_ in {"aux", "auxpass"} and c.lemma_.lower() in lex.ability_modals
        for c in _governing_verbs(carrier)
        for c in c.children
    ):
        return True  # "can strike", "can be used to strike"
    if _within_reach_only(token):
        return True  # "the capacity to wage a war", "not strong enough to mount an attack"
    if token.dep_ == "amod" and token.tag_ in {"VBN", "VBG"}:
        return not ctx.settings.descriptive_participles
    if _characterises_its_noun(token):
        return True
    acts = lex.danger_nouns.get(lemma)
    if acts is None or token.pos_ != "NOUN" or token.tag_ != "NN":
        return False
    return not (token.dep_ == "dobj" and token.head.lemma_.lower() in acts)


def _named_as_something(verb: Token) -> bool:
    """'called the claims absurd', 'branded the vote a sham', 'called the war a conflict' or
    '… as a conflict': the naming verb says what its object is called."""
    return names_a_quality(verb) or any(
        c.dep_ == "prep" and c.lower_ == "as" for c in verb.children
    )


def _purpose_of_a_gift(ctx: ArticleContext, token: Token) -> bool:
    """An infinitive of purpose under a verb of giving is what the gift is for, not an act
    done: "sent rockets for its gunners to target depots"."""
    if token.dep_ != "advcl" or not any(
        c.dep_ == "aux" and c.lower_ == "to" for c in token.children
    ):
        return False
    book = ctx.knowledge.codebook
    giver = token.head
    if giver.lemma_.lower() not in book.words("giving_verbs"):
        return False
    # only arms given: "sent experts to investigate" tells the experts' own act
    arms = book.words("arms")
    return any(
        c.dep_ == "dobj" and ({c.lemma_.lower()} | {g.lemma_.lower() for g in c.children}) & arms
        for c in giver.children
    )


def _governing_verbs(token: Token) -> list[Token]:
    """The token and the verbs whose infinitive it is ("used to strike" → used)."""
    chain = [token]
    while chain[-1].dep_ == "xcomp" and len(chain) < 4:
        chain.append(chain[-1].head)
    return chain


# Nouns and adjectives whose infinitive is a capacity, not an act ("the capacity to wage a war",
# "capable of"), and degree words that make one ("advanced enough to strike").
_CAPACITY_HEADS = {
    "ability",
    "capacity",
    "capability",
    "means",
    "wherewithal",
    "able",
    "capable",
    # how hard an act would be is no act: "the city is hard to attack"
    "difficult",
    "hard",
    "easy",
    "impossible",
}
_DEGREE_WORDS = {"enough", "too"}
# Under a noun, a "for … to" infinitive is a capacity only after these ("a way for it to …").
_MEANS_HEADS = _CAPACITY_HEADS | {"way"}


def _within_reach_only(token: Token) -> bool:
    """The trigger (or the verb whose object it is) is the infinitive of a capacity noun or
    of an adjective of degree: what can be done, not what was done."""
    verb = token.head if token.dep_ == "dobj" else token
    if verb.dep_ not in {"acl", "xcomp"}:
        return False
    head = verb.head
    if head.lemma_.lower() in _CAPACITY_HEADS:
        return True
    # "not strong enough to mount an attack": an object of the act, not the act itself
    # ("would not be reckless enough to attack" is a negated attack, modality's business)
    return token.dep_ == "dobj" and any(c.lower_ in _DEGREE_WORDS for c in head.children)


def _characterises_its_noun(token: Token) -> bool:
    """A relative clause in the plain present says what its noun is, not what happened:
    "countries which support the invasion", "a law that revokes the waivers", "Belarus,
    which threatens Ukraine", "the policy it opposes", "guns, which the army uses to
    hit depots". "Rebels who attacked" (past) and "extremists who are fighting him"
    (progressive) tell of acts and stay."""
    clause = _governing_verbs(token)[-1]
    if clause.dep_ != "relcl" or clause.tag_ not in {"VBZ", "VBP"}:
        return False
    return not any(c.dep_ in {"aux", "auxpass"} for c in clause.children)


# "No one threatened Russia", "no country will": nobody in particular, so no act.
_QUANTIFIERS = {"every", "any", "each", "no"}
_GENERIC_PRONOUNS = {
    "anyone",
    "anybody",
    "everyone",
    "everybody",
    "whoever",
    "anything",
    "nobody",
    "noone",
}


def _generic_party(carrier: Token) -> bool:
    """The clause's subject, or the noun a relative clause hangs off, is anyone at all:
    'any country that supports …', 'every member who backs …', 'whoever attacks …'."""
    subject = subject_of(carrier)
    parties = [subject] if subject is not None else []
    if carrier.dep_ == "relcl":
        parties.append(carrier.head)
    for party in parties:
        if party.lower_ in _GENERIC_PRONOUNS:
            return True
        if any(c.dep_ == "det" and c.lower_ in _QUANTIFIERS for c in party.children):
            return True
        if _commentators_at_large(party):
            return True
    return False


# Commentators named by their trade alone ("critics say", "observers warned") are the
# article's chorus, no party to an event.
_COMMENTATORS = {"critic", "observer", "analyst", "expert", "commentator", "pundit"}


def _commentators_at_large(party: Token) -> bool:
    """'Critics allege …', 'Observers warned …': a bare plural with no determiner, owner,
    nationality or name ("Western analysts", "the critics of the law" stay)."""
    if party.tag_ != "NNS" or party.lemma_.lower() not in _COMMENTATORS:
        return False
    return not any(c.dep_ in {"det", "poss", "amod", "compound", "prep"} for c in party.children)


_PAST_MODALS = {"would", "could", "might", "should", "'d"}


# Prepositions under which a bare participle names people, not an act ("casualties,
# including killed and wounded").
_LISTING_PREPS = {"including", "among", "of"}


def _named_by_participle(token: Token) -> bool:
    """'900 casualties, including killed and wounded': a bare participle under a listing
    preposition names the dead and wounded; 'after being wounded' keeps its auxiliary."""
    first = token.head if token.dep_ == "conj" else token
    if token.tag_ != "VBN" or first.dep_ != "pcomp":
        return False
    if any(c.dep_ in {"aux", "auxpass"} for c in token.children):
        return False
    return first.head.lower_ in _LISTING_PREPS


# Nouns whose "of" phrase is an act entertained, not done: "the thought of teaming up",
# "the prospect of an invasion" ("the threat of …" is a danger: senses.yaml danger_nouns).
_ENTERTAINING_NOUNS = {"thought", "idea", "prospect", "possibility", "notion"}


# Nouns of a verbal stance that, as someone's stance in subject position or as what a text
# contains, are talked about, not made: "his criticism cuts to the core of …", "the letter
# contains praise for …".
# Made stances come with their verb: "drew criticism", "voiced praise".
_STANCE_NOUNS = {"criticism", "praise", "condemnation", "rebuke", "censure"}
_CONTAINING_VERBS = {"contain", "include", "carry", "hold"}


def _speech_spoken_of(noun: Token) -> bool:
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in _STANCE_NOUNS:
        return False
    if noun.dep_ in {"nsubj", "nsubjpass"}:
        # someone's stance as a subject is one already told ("criticism mounted" is news)
        return any(c.dep_ == "poss" for c in noun.children)
    return noun.dep_ == "dobj" and noun.head.lemma_.lower() in _CONTAINING_VERBS


# Participles that give someone a job: "tasked with investigating" names the remit.
_REMIT_VERBS = {"task", "entrust", "mandate"}


def _a_remit(token: Token) -> bool:
    if token.dep_ != "pcomp" or token.head.lower_ != "with":
        return False
    return token.head.head.lemma_.lower() in _REMIT_VERBS


_WH = {"who", "whom", "what", "which"}


def _who_against_whom(token: Token) -> bool:
    """Both parties of the act are question words: "who is fighting against whom"."""
    subject = subject_of(token)
    if subject is None or subject.lower_ not in _WH:
        return False
    objects = [c for c in token.children if c.dep_ == "dobj"]
    objects += [g for c in token.children if c.dep_ == "prep" for g in c.children]
    return any(o.lower_ in _WH for o in objects)


def _for_someone_to(token: Token) -> bool:
    """The act is a "for … to" infinitive, said to be fine, pushed for or made possible, not
    done: "it is quite proper for Tbilisi to oppose the talks", "opened a way for it to keep on
    working". Under another noun it is what is wished or planned ("a desire for the army to
    invade"), which modality reads."""
    for verb in _governing_verbs(token.head if token.dep_ == "dobj" else token):
        kids = {(c.dep_, c.lower_) for c in verb.children}
        if ("mark", "for") in kids and ("aux", "to") in kids:
            head = verb.head
            if head.pos_ != "NOUN":
                return True
            return head.lemma_.lower() in _MEANS_HEADS
    return False


def _entertained_only(token: Token) -> bool:
    """The trigger is the "of" gerund or noun of a noun of thought or likelihood."""
    if token.dep_ not in {"pcomp", "pobj"} or token.head.lower_ != "of":
        return False
    return token.head.head.lemma_.lower() in _ENTERTAINING_NOUNS


def _counterfactual(token: Token) -> bool:
    """'this would have endangered the talks', 'I would have liked him to declare a
    pull-out': what would have happened did not. Climbs from an object or an infinitive
    to its verb; a that-clause under it keeps its own reading ("would have known that the
    army attacked")."""
    node = token
    for _ in range(4):
        auxes = _auxiliaries(node)
        if node.tag_ == "VBN" and "have" in auxes and auxes & _PAST_MODALS:
            return True
        if node.lemma_ == "have" and auxes & _PAST_MODALS:
            # "I would have liked him to declare …" parsed with "have" as the verb
            after = node.i + 1
            return after < len(node.doc) and node.doc[after].tag_ == "VBN"
        if node.dep_ not in {"dobj", "xcomp"} or node.head.i == node.i:
            return False
        node = node.head
    return False


def _auxiliaries(verb: Token) -> set[str]:
    """The verb's auxiliaries, with those the parser hung off another auxiliary ("would"
    under "have" in "I would have liked …" after a closing quote)."""
    auxes = [c for c in verb.children if c.dep_ == "aux"]
    nested = [g for c in auxes for g in c.children if g.dep_ == "aux"]
    return {c.lower_ for c in [*auxes, *nested]}


def _on_many_occasions(carrier: Token) -> bool:
    """'has threatened the US on various occasions': a habit, not one act (a single
    'on one occasion' or 'on that occasion' is still an act)."""
    return any(
        pobj.lemma_.lower() == "occasion" and pobj.tag_ == "NNS"
        for pobj in prep_objects(carrier, "on")
    )


def _denies_a_fact(token: Token, book: Codebook) -> bool:
    """ "denied that …", "denied sending troops", "denied the charges", "denies plans to …"."""
    for child in token.children:
        if child.dep_ in {"ccomp", "xcomp", "pcomp"}:
            return True
        if child.dep_ == "dobj" and (
            child.lemma_.lower() in book.words("denied_facts") or child.tag_ == "VBG"
        ):
            return True
    return False


def _orders_an_act(ctx: ArticleContext, token: Token) -> bool:
    """'ordered forces to rehearse deploying …': a command to one's own forces whose
    complement holds a trigger of its own. An order to another party ("the court ordered
    him to hand over $650 million") stays a REQUEST."""
    lex = ctx.knowledge.lexicons
    ordered = [c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}]
    forces = ctx.knowledge.codebook.words("ordered_forces")
    if not any(o.lemma_.lower() in forces for o in ordered) and token.dep_ != "xcomp":
        return False
    for child in token.children:
        if child.dep_ not in {"xcomp", "ccomp"}:
            continue
        for word in child.subtree:
            lemma = word.lemma_.lower()
            if (word.pos_ == "VERB" and lemma in lex.verb_triggers) or (
                word.pos_ == "NOUN" and lemma in lex.noun_triggers
            ):
                return True
    return False


def _no_actor_subject(ctx: ArticleContext, token: Token, carrier: Token) -> bool:
    """The clause's subject is a noun that never acts ("stocks rallied", "unity failed")."""
    subject = subject_of(carrier)
    if subject is None or subject.pos_ != "NOUN" or subject.i == token.i:
        return False
    return subject.lemma_.lower() in ctx.knowledge.lexicons.not_actor_nouns


# Verbal stances that, said by "I" of no one named, are an opinion: "I reject this
# fatalism", "I agree with those who claim …" ("I support Ukraine" names its party).
_STANCES = {"SUPPORT", "REJECT", "AGREE"}


def _first_person_opinion(carrier: Token) -> bool:
    subject = subject_of(carrier)
    if subject is None or subject.lower_ != "i":
        return False
    objects = [c for c in carrier.children if c.dep_ in {"dobj", "prep", "ccomp"}]
    return not any(w.ent_type_ in _NAMED for o in objects for w in _own_words(o))


_CLAUSES = {"relcl", "acl", "advcl", "ccomp"}


def _own_words(phrase: Token) -> list[Token]:
    """The phrase's words outside the clauses under it: in "those who claim that Georgia …"
    the stance is on "those", not on Ukraine."""
    words = [phrase]
    for child in phrase.children:
        if child.dep_ not in _CLAUSES or phrase.dep_ == "ccomp":
            words.extend(_own_words(child))
    return words


# How far the asked-for act may sit below the asking verb: "urged them to crack down" (the
# act heads the complement), "pressed the assembly to enforce the ban" (the object of a verb
# that is no trigger itself), "threatened to start shooting" (through such a verb).
_DEMAND_STEPS = 3


def _content_of_a_demand(ctx: ArticleContext, token: Token) -> bool:
    """The trigger is the act a demand asks for, a threat threatens or a ban forbids: the
    complement of "urge", "ask", "demand" … (infinitive or that-clause), the infinitive of
    "threaten", or the "from" gerund of "ban", "bar", "prevent" …, reached directly or
    through verbs that carry no event of their own."""
    book = ctx.knowledge.codebook
    demanding, threatening = book.words("demanding_verbs"), book.words("threatening_verbs")
    verbs = ctx.knowledge.lexicons.verb_triggers
    node = token
    for _ in range(_DEMAND_STEPS):
        head = node.head
        if head.i == node.i:
            return False
        lemma = head.lemma_.lower()
        if head.pos_ == "NOUN":
            # "resisted pressure from Moscow to send troops", "a call to withdraw"
            return node.dep_ == "acl" and lemma in book.words("demanding_nouns")
        if node.dep_ == "pcomp" and lemma == "from":
            # "barred the guards from making arrests": the act forbidden did not happen
            return head.head.lemma_.lower() in book.words("forbidding_verbs")
        if head.pos_ != "VERB":
            return False
        if node.dep_ == "ccomp" and lemma in demanding:
            return True
        if node.dep_ == "xcomp" and (lemma in demanding or lemma in threatening):
            return True
        if node.dep_ in {"xcomp", "ccomp"} and lemma in book.words("permitting_verbs"):
            return True  # "the permits allow the army to build up its reserves": a permission
        if node.dep_ not in {"xcomp", "dobj"}:
            return False
        if node.dep_ == "xcomp" and lemma in verbs:
            return False  # another verb of its own meaning: "urged them to avoid calling …"
        # an object goes with its verb, trigger or not: "asked them to deliver aid" asks
        # for one act, the delivery of aid
        node = head
    return False
