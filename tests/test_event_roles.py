"""Who acts: source participants of events on hand-written sentences (real spaCy parse)."""

from __future__ import annotations

import pytest

from sitrep.extract.service import Extractor
from sitrep.model import Article, Event


def _events(extractor: Extractor, text: str, etype: str) -> list[Event]:
    article = Article(id="t", text=text, published="2023-02-24", outlet="Wire")
    (result,) = extractor.extract([article])
    return [e for e in result.events if e.type == etype]


def _source_countries(extractor: Extractor, text: str, etype: str) -> list[str | None]:
    events = _events(extractor, text, etype)
    assert events, f"no {etype} event in {text!r}"
    return [who.country for who in events[0].sources]


@pytest.mark.parametrize(
    ("sentence", "etype", "country"),
    [
        # the issuer of a document is who condemns: the subject of the verb that issued it
        ("Japan issued a statement on Friday condemning the launch.", "ACCUSE", "JPN"),
        ("The Polish senate passed a resolution condemning the raids.", "ACCUSE", "POL"),
        # or its possessor
        ("Hungary's statement condemning the strikes came late.", "ACCUSE", "HUN"),
    ],
)
def test_a_document_acts_for_its_author(
    extractor: Extractor, sentence: str, etype: str, country: str
) -> None:
    assert _source_countries(extractor, sentence, etype)[:1] == [country]


def test_a_relative_clause_on_a_coordination_is_the_first_members_act(
    extractor: Extractor,
) -> None:
    text = "The court rejected the arguments of Rome and Madrid, which requested a delay."
    assert _source_countries(extractor, text, "REQUEST") == ["ITA", "ESP"]


def test_coordinated_passives_share_the_agent(extractor: Extractor) -> None:
    events = _events(extractor, "The villages were shelled and burned by Syrian troops.", "ASSAULT")
    assert [e.trigger.text for e in events] == ["shelled", "burned"]
    assert all(e.sources and e.sources[0].country == "SYR" for e in events)


def test_the_possessor_of_a_decision_does_what_it_decides(extractor: Extractor) -> None:
    text = "Lawmakers criticised the Japanese government's decision to grant Iran new waivers."
    assert _source_countries(extractor, text, "CONCEDE")[:1] == ["JPN"]


def test_a_from_phrase_gives_the_country(extractor: Extractor) -> None:
    text = "Volunteers from Georgia attacked the convoy near Bakhmut."
    assert _source_countries(extractor, text, "ASSAULT")[:1] == ["GEO"]


def test_hyphenated_nationalities_are_one_party_in_order(extractor: Extractor) -> None:
    text = "Reporters watched the Belarusian-Russian drills near Brest."
    assert _source_countries(extractor, text, "MOBILIZE") == ["BLR", "RUS"]


def test_the_vatican_is_the_holy_see(extractor: Extractor) -> None:
    text = "On Sunday the Vatican condemned the shelling of the city."
    assert _source_countries(extractor, text, "ACCUSE") == ["VAT"]


def test_the_pope_is_the_office_holder_of_the_day(extractor: Extractor) -> None:
    events = _events(extractor, "On Sunday the Pope condemned the shelling of the city.", "ACCUSE")
    assert [(w.name, w.country) for w in events[0].sources] == [("Pope Francis", "VAT")]


def test_names_coordinated_before_a_noun_are_the_party(extractor: Extractor) -> None:
    text = "The U.S. and EU allies have sent military aid to Ukraine."
    assert _source_countries(extractor, text, "AID") == ["USA", None]


def test_a_reaction_drawn_is_made_by_who_reacts_against_who_drew_it(
    extractor: Extractor,
) -> None:
    text = "Xi drew sharp condemnation from Washington after the naval drills."
    (event,) = _events(extractor, text, "ACCUSE")
    assert event.source is not None and event.source.country == "USA"
    assert event.target is not None and event.target.name == "Xi Jinping"


def test_a_from_phrase_sends_a_request_but_is_a_place_for_a_withdrawal(
    extractor: Extractor,
) -> None:
    (appeal,) = _events(extractor, "Pyongyang ignored an appeal from China to stop.", "REQUEST")
    assert appeal.source is not None and appeal.source.country == "CHN"
    text = "Russia announced the withdrawal of its troops from Syria."
    (withdrawal,) = _events(extractor, text, "RETREAT")
    assert withdrawal.source is not None and withdrawal.source.country == "RUS"
