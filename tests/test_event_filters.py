"""What is not an event: the examples of data/lexicons/senses.yaml and agents.yaml, and the
article-level rules of extract/event_filters.py, through the whole pipeline."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from sitrep.extract.service import Extractor
from sitrep.model import Article


def _examples(name: str, kind: str) -> list[dict[str, str]]:
    text = resources.files("sitrep").joinpath("data", "lexicons", name).read_text("utf-8")
    return list(yaml.safe_load(text)["examples"][kind])


def _triggers(extractor: Extractor, sentence: str) -> list[str]:
    (result,) = extractor.extract([Article(id="f", text=sentence, published="2024-05-14")])
    return [e.trigger.text for e in result.events]


@pytest.mark.parametrize(
    "example", _examples("senses.yaml", "no_event"), ids=lambda e: e["trigger"]
)
def test_an_everyday_sense_is_no_event(extractor: Extractor, example: dict[str, str]) -> None:
    assert example["trigger"] not in _triggers(extractor, example["sentence"])


@pytest.mark.parametrize("example", _examples("senses.yaml", "event"), ids=lambda e: e["trigger"])
def test_the_event_sense_stays(extractor: Extractor, example: dict[str, str]) -> None:
    assert example["trigger"] in _triggers(extractor, example["sentence"])


@pytest.mark.parametrize(
    "example", _examples("agents.yaml", "not_actor"), ids=lambda e: e["trigger"]
)
def test_a_subject_that_never_acts_makes_no_event(
    extractor: Extractor, example: dict[str, str]
) -> None:
    assert example["trigger"] not in _triggers(extractor, example["sentence"])


@pytest.mark.parametrize("example", _examples("agents.yaml", "actor"), ids=lambda e: e["trigger"])
def test_an_acting_subject_is_the_source(extractor: Extractor, example: dict[str, str]) -> None:
    (result,) = extractor.extract([Article(id="f", text=example["sentence"])])
    (event,) = [e for e in result.events if e.trigger.text == example["trigger"]]
    assert event.source is not None


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("Reporters covering Russia's invasion of Ukraine must choose their words.", "invasion"),
        ("I support his decision to give Congress a final chance.", "support"),
        ("Putin ordered forces to rehearse deploying tactical nuclear weapons.", "ordered"),
        ("Russia denies plans to invade Ukraine.", "denies"),
        ("No one threatened Russia before the war began.", "threatened"),
        ("It was his biggest escalation since invading Ukraine in February.", "invading"),
        ("Pyongyang has threatened Seoul on several occasions.", "threatened"),
        (
            "Inside: Kyiv hosts donors | Poland sends tanks to Ukraine | Rebels attack a convoy",
            "sends",
        ),
    ],
)
def test_references_descriptions_opinions_orders_and_denials(
    extractor: Extractor, sentence: str, trigger: str
) -> None:
    assert trigger not in _triggers(extractor, sentence)


def test_an_order_to_another_party_is_a_request(extractor: Extractor) -> None:
    text = "A court in Britain ordered the former minister to hand over $650 million."
    (result,) = extractor.extract([Article(id="f", text=text)])
    assert ("ordered", "REQUEST") in [(e.trigger.text, e.type) for e in result.events]


def test_the_ordered_act_and_the_denied_act_are_the_events(extractor: Extractor) -> None:
    text = "Putin ordered forces to rehearse deploying tactical nuclear weapons."
    (ordered,) = extractor.extract([Article(id="f", text=text)])
    assert [(e.trigger.text, e.type) for e in ordered.events] == [("deploying", "MOBILIZE")]
    (denied,) = extractor.extract([Article(id="g", text="Russia denies plans to invade Ukraine.")])
    assert [(e.type, e.factuality) for e in denied.events] == [("ASSAULT", "negated")]


def test_we_in_a_quote_is_its_speaker(extractor: Extractor) -> None:
    text = '"We are ready to impose huge sanctions," Biden said.'
    (result,) = extractor.extract([Article(id="f", text=text)])
    (event,) = result.events
    assert event.type == "SANCTION" and event.source is not None
    assert event.source.name == "Joe Biden" and event.factuality == "future"


@pytest.mark.parametrize(
    ("sentence", "asking", "asked_for"),
    [
        ("The EU urged Serbian regulators to crack down on the smugglers.", "urged", "crack"),
        ("Syria demanded that the United States seek permission first.", "demanded", "seek"),
        ("Kyiv urged its allies to enforce the arms embargo.", "urged", "embargo"),
        ("Moscow threatened to strike the convoys on Friday.", "threatened", "strike"),
        ("Minsk resisted pressure from Moscow to send troops north.", "resisted", "send"),
        # the object of the act asked for goes with it
        ("Officials asked Ankara to deliver aid to the valley.", "asked", "aid"),
    ],
)
def test_the_act_asked_for_or_threatened_is_no_event_of_its_own(
    extractor: Extractor, sentence: str, asking: str, asked_for: str
) -> None:
    triggers = _triggers(extractor, sentence)
    assert asking in triggers and asked_for not in triggers


def test_an_act_told_beside_a_request_stays(extractor: Extractor) -> None:
    text = "Obama pressed the assembly to act and announced that America will supply aid to Syria."
    assert {"pressed", "supply"} <= set(_triggers(extractor, text))


def test_arms_a_relative_clause_names_are_aid(extractor: Extractor) -> None:
    text = "The package buys shells for the weapon systems the US has sent to Ukraine."
    (result,) = extractor.extract([Article(id="f", text=text)])
    assert [(e.trigger.text, e.type) for e in result.events] == [("sent", "AID")]


@pytest.mark.parametrize(
    ("sentence", "trigger", "stays"),
    [
        ("Sanctions hit every country which supports the invasion of Ukraine.", "supports", False),
        ("The senator drafted a law that revokes the waivers.", "revokes", False),
        ("Rebels who attacked the convoy on Monday fled north.", "attacked", True),
        ("The fighters who are shelling the town crossed the river.", "shelling", True),
        ("Kyiv rejects the partition plan it opposes.", "opposes", False),
        ("The drones hit radars, which the army uses to target artillery.", "target", False),
        ("The drones hit radars that the army used to target artillery.", "target", True),
    ],
)
def test_a_present_relative_clause_characterises_its_noun(
    extractor: Extractor, sentence: str, trigger: str, stays: bool
) -> None:
    assert (trigger in _triggers(extractor, sentence)) is stays


def test_calling_a_thing_by_a_bad_name_denounces_it(extractor: Extractor) -> None:
    text = 'The bishop called the shelling of the market "deeply shameful".'
    (result,) = extractor.extract([Article(id="f", text=text)])
    assert [(e.trigger.text, e.type) for e in result.events] == [("called", "ACCUSE")]
    named = "Kyiv called the invasion a senseless war."
    assert "invasion" not in _triggers(extractor, named)


def test_a_first_person_stance_on_no_one_named_is_an_opinion(extractor: Extractor) -> None:
    assert "reject" not in _triggers(extractor, '"But I reject this fatalism," the minister said.')
    text = '"I support Ukraine\'s bid to join NATO," Biden said.'
    assert "support" in _triggers(extractor, text)


@pytest.mark.parametrize(
    ("sentence", "stays"),
    [
        ("The ministry warned that the rebels are regrouping near the border.", False),
        ("The army warned that the fighting could spread to the capital.", True),
        ("Moscow warned that it would respond to any strike on Crimea.", True),
        ("Tehran warned that Israel is going to strike its reactors.", True),
        ("The general warned Kyiv against an offensive in the south.", True),
    ],
)
def test_a_warning_threatens_only_harm_to_come(
    extractor: Extractor, sentence: str, stays: bool
) -> None:
    assert ("warned" in _triggers(extractor, sentence)) is stays


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A guard was shot and killed at the checkpoint on Monday.", ["shot"]),
        ("Twelve soldiers were killed and 40 wounded in the shelling of Izium.", ["killed"]),
        ("Russian troops shelled Kharkiv and bombed Odesa on Sunday.", ["shelled", "bombed"]),
    ],
)
def test_coordinated_verbs_of_one_act_are_one_event(
    extractor: Extractor, sentence: str, expected: list[str]
) -> None:
    verbs = [
        t
        for t in _triggers(extractor, sentence)
        if t in {"shot", "killed", "wounded", "shelled", "bombed"}
    ]
    assert verbs == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Two senators condemned the Georgian cabinet, accusing it of stalling the reforms.",
            ["condemned"],
        ),
        ("Moldova conducted its first airstrikes, launching a strike on a depot.", ["airstrikes"]),
        (
            "Macron praised the Georgian vote, while congratulating its people on the turnout.",
            ["praised", "congratulating"],
        ),
    ],
)
def test_a_bare_participle_of_the_same_type_restates_the_act(
    extractor: Extractor, sentence: str, expected: list[str]
) -> None:
    words = {"condemned", "accusing", "airstrikes", "strike", "praised", "congratulating"}
    assert [t for t in _triggers(extractor, sentence) if t in words] == expected


def test_the_act_a_ban_forbids_is_no_event(extractor: Extractor) -> None:
    text = "The decree barred the guards from making arrests in the capital."
    triggers = _triggers(extractor, text)
    assert "raids" not in triggers
    assert "raids" in _triggers(extractor, "The militia conducted raids in the capital.")


def test_what_a_weapon_can_be_used_for_is_no_event(extractor: Extractor) -> None:
    assert "target" not in _triggers(extractor, "The missiles can be used to target radars.")


def test_a_question_put_to_someone_is_no_request(extractor: Extractor) -> None:
    text = "The senator asked the minister why the troops had not left Gori."
    assert "asked" not in _triggers(extractor, text)
    assert "asked" in _triggers(extractor, "The senator asked the minister to withdraw the troops.")


@pytest.mark.parametrize(
    ("sentence", "stays"),
    [
        ("The senators attacked Merkel's gas deal on Friday.", False),
        ("Kyiv and Moscow reached their first agreement on grain exports.", True),
    ],
)
def test_an_agreement_named_by_owner_or_year_is_referred_to(
    extractor: Extractor, sentence: str, stays: bool
) -> None:
    found = {t for t in _triggers(extractor, sentence) if t in {"deal", "agreement", "reached"}}
    assert bool(found) is stays


def test_what_a_speech_act_is_about_is_no_event_of_its_own(extractor: Extractor) -> None:
    text = "The Slovak premier criticized the planned EU sanctions on Monday."
    triggers = _triggers(extractor, text)
    assert "criticized" in triggers and "sanctions" not in triggers
    # a violent act condemned is news of its own
    assert "strike" in _triggers(
        extractor, "Kyiv condemned the Russian missile strike on the mall."
    )


def test_what_would_have_happened_did_not(extractor: Extractor) -> None:
    text = "Lomidze said this would have threatened Georgian troops."
    assert "threatened" not in _triggers(extractor, text)
    assert "threatened" in _triggers(extractor, "Lomidze said Russia threatened Georgian troops.")


def test_the_act_someone_is_pressured_into_is_no_event_of_its_own(extractor: Extractor) -> None:
    text = "Two Georgian editors were pressured to collaborate with the Russian occupation forces."
    assert "collaborate" not in _triggers(extractor, text)


def test_a_stance_on_those_who_say_names_no_one(extractor: Extractor) -> None:
    """ "I agree with those who claim that the vote was rigged in Georgia": the stance is on
    "those"; a name inside their clause is not its party. Parse built by hand."""
    from spacy.tokens import Doc, Span

    from sitrep.extract.event_filters import _first_person_opinion

    words = ["I", "agree", "with", "those", "who", "claim", "that", "vote", "was", "rigged"]
    words += ["in", "Georgia", "."]
    doc = Doc(
        extractor.nlp.vocab,
        words=words,
        heads=[1, 1, 1, 2, 5, 3, 9, 9, 9, 5, 9, 10, 1],
        deps=["nsubj", "ROOT", "prep", "pobj", "nsubj", "relcl", "mark", "nsubjpass"]
        + ["auxpass", "ccomp", "prep", "pobj", "punct"],
    )
    doc.ents = [Span(doc, 11, 12, label="GPE")]
    assert _first_person_opinion(doc[1])
    doc2 = Doc(
        extractor.nlp.vocab,
        words=["I", "agree", "with", "Georgia", "."],
        heads=[1, 1, 1, 2, 1],
        deps=["nsubj", "ROOT", "prep", "pobj", "punct"],
    )
    doc2.ents = [Span(doc2, 3, 4, label="GPE")]
    assert not _first_person_opinion(doc2[1])


def test_a_question_whose_clause_the_parser_hung_elsewhere_is_no_request(
    extractor: Extractor,
) -> None:
    text = (
        "The senator asked the minister at a hearing why the dispute had not made allies rethink."
    )
    assert "asked" not in _triggers(extractor, text)


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("The embargo cut the ability of the junta to wage war on the rebels.", "war"),
        ("Its missiles are not accurate enough to conduct an attack on Tbilisi.", "attack"),
        ("Baku demanded talks before any airstrikes near its border.", "airstrikes"),
        ("The brigade has had 900 casualties, including killed and wounded in battle.", "killed"),
        ("The old fortress is very difficult to attack, the colonel said.", "attack"),
        ("Warsaw balked at the thought of teaming up with Minsk.", "teaming"),
        # everyday senses: a capitalised plural object, a preposition two verbs share
        ("The network is targeting Republicans and Democrats alike.", "targeting"),
        (
            "Beijing rates firms by whether it approves or disapproves of their views.",
            "approves",
        ),
    ],
)
def test_a_capacity_a_quantified_act_or_a_casualty_list_is_no_event(
    extractor: Extractor, sentence: str, trigger: str
) -> None:
    assert trigger not in _triggers(extractor, sentence)


def test_an_act_permitted_is_no_act_done(extractor: Extractor) -> None:
    text = "The permits allow the army to build up its reserves, the deputies said."
    assert "build" not in _triggers(extractor, text)


def test_a_counterfactual_the_parser_hung_on_have_is_still_one(extractor: Extractor) -> None:
    text = "I would have preferred the chancellor to announce a full withdrawal from the treaty."
    assert "withdrawal" not in _triggers(extractor, text)


def test_a_counterfactual_with_would_hung_off_have_is_one(extractor: Extractor) -> None:
    """After a closing quote the parser can hang "would" off "have" and "have" off
    "preferred" ("I would have preferred Novak to announce a withdrawal"): still a
    counterfactual. Parse built by hand."""
    from spacy.tokens import Doc

    from sitrep.extract.event_filters import _counterfactual

    words = ["I", "would", "have", "preferred", "Novak", "to", "announce", "a", "withdrawal"]
    doc = Doc(
        extractor.nlp.vocab,
        words=words,
        heads=[2, 2, 3, 3, 3, 6, 3, 8, 6],
        deps=["nsubj", "aux", "aux", "ROOT", "dobj", "aux", "xcomp", "det", "dobj"],
        tags=["PRP", "MD", "VB", "VBN", "NNP", "TO", "VB", "DT", "NN"],
        lemmas=["I", "would", "have", "prefer", "Novak", "to", "announce", "a", "withdrawal"],
    )
    assert _counterfactual(doc[8])
    plain = Doc(
        extractor.nlp.vocab,
        words=["Novak", "announced", "a", "withdrawal"],
        heads=[1, 1, 3, 1],
        deps=["nsubj", "ROOT", "det", "dobj"],
        tags=["NNP", "VBD", "DT", "NN"],
    )
    assert not _counterfactual(plain[3])


def test_an_attack_that_happened_stays(extractor: Extractor) -> None:
    assert "targeted" in _triggers(extractor, "Russian drones targeted Ukrainians in Kharkiv.")
    assert "invasion" in _triggers(extractor, "Russia launched an invasion of Georgia in 2008.")


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        (
            "Tbilisi urged editors to avoid calling Russia's invasion of Georgia as a dispute.",
            "invasion",
        ),
        ("Poland has sent missiles for Ukrainian gunners to target Russian depots.", "target"),
        ("Canada's new doctrine, confronting the rise of piracy, goes on.", "confronting"),
    ],
)
def test_a_name_a_purpose_or_a_trend_is_no_event(
    extractor: Extractor, sentence: str, trigger: str
) -> None:
    assert trigger not in _triggers(extractor, sentence)


@pytest.mark.parametrize(
    ("sentence", "trigger", "stays"),
    [
        ("Critics allege the Georgian cabinet is stalling its reforms.", "allege", False),
        ("Russian critics allege the Georgian cabinet is stalling.", "allege", True),
        (
            "Brazil may want negotiations with Argentina on the border.",
            "negotiations",
            False,
        ),
        ("The operator said it will allow smugglers to use its port.", "allow", False),
        ("Russia allowed the grain convoy into Mariupol on Sunday.", "allowed", True),
        ("Rome lobbied Madrid to push for tighter limits on migrant boats.", "push", False),
    ],
)
def test_commentators_wishes_and_permissions(
    extractor: Extractor, sentence: str, trigger: str, stays: bool
) -> None:
    assert (trigger in _triggers(extractor, sentence)) is stays


def test_the_thing_a_measure_noun_measures_is_the_object(extractor: Extractor) -> None:
    """ "the level of cooperation it has received": the received thing is the cooperation,
    which cancels the meeting sense of "receive". Parse built by hand."""
    from spacy.tokens import Doc

    from sitrep.extract.event_filters import _objects

    words = ["the", "level", "of", "cooperation", "it", "has", "received"]
    doc = Doc(
        extractor.nlp.vocab,
        words=words,
        heads=[1, 1, 1, 2, 6, 6, 1],
        deps=["det", "ROOT", "prep", "pobj", "nsubj", "aux", "relcl"],
        lemmas=["the", "level", "of", "cooperation", "it", "have", "receive"],
    )
    assert [t.text for t in _objects(doc[6])] == ["level", "cooperation"]
    plain = Doc(
        extractor.nlp.vocab,
        words=["the", "cooperation", "it", "has", "received"],
        heads=[1, 1, 4, 4, 1],
        deps=["det", "ROOT", "nsubj", "aux", "relcl"],
        lemmas=["the", "cooperation", "it", "have", "receive"],
    )
    assert [t.text for t in _objects(plain[4])] == ["cooperation"]


@pytest.mark.parametrize(
    ("sentence", "trigger", "stays"),
    [
        (
            "It is quite proper for Tbilisi to oppose the talks with Baku.",
            "oppose",
            False,
        ),
        ("The loophole opened a way for Minsk to keep working with Tehran.", "working", False),
        ("Kyiv lobbied for Paris to give support to the Georgian army.", "support", False),
        ("There is an obvious desire for Hungary to invade western Romania.", "invade", True),
        (
            "Kozlov's criticism cuts to the core of the Georgian policy.",
            "criticism",
            False,
        ),
        (
            "The envoy's letter includes sharp criticism of the Kremlin's Syria plans.",
            "criticism",
            False,
        ),
        ("Criticism of Moscow mounted in Tbilisi after the strike.", "Criticism", True),
        ("The minister never says who is fighting against whom.", "fighting", False),
        ("It is unclear who attacked the convoy near Kherson.", "attacked", True),
        (
            "The fraud the panel was tasked with investigating involved Kozlov.",
            "investigating",
            False,
        ),
    ],
)
def test_an_act_spoken_of_remitted_or_with_no_party_is_not_done(
    extractor: Extractor, sentence: str, trigger: str, stays: bool
) -> None:
    """'for … to' infinitives, stances talked about, remits and questions with no party."""
    assert (trigger in _triggers(extractor, sentence)) is stays
