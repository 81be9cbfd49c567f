"""Coding conventions and main-event choice (event_rules.py, events.py), on sentences
written for sitrep."""

from __future__ import annotations

import pytest

from sitrep.eval.events import chosen_event, plover_label
from sitrep.extract.service import Extractor
from sitrep.model import Article


def _main(extractor: Extractor, text: str) -> str:
    (extraction,) = extractor.extract([Article(id="t", text=text)])
    event = chosen_event(extraction.events)
    return plover_label(event.type) if event else "NONE"


def _triggers(extractor: Extractor, text: str) -> list[tuple[str, str, str]]:
    (extraction,) = extractor.extract([Article(id="t", text=text)])
    return [(e.trigger.text, e.type, e.factuality) for e in extraction.events]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # The governing speech act outranks the act it is about.
        ("Tehran threatened to shell border towns in Iraq on Monday.", "THREATEN"),
        ("The rebels demanded that the army release their commander.", "REQUEST"),
        ("Moldova accused Moscow of shelling its villages.", "ACCUSE"),
        ("Hungary refused to allow Ukrainian grain to cross its territory.", "REJECT"),
        # A purpose clause is not the main event.
        ("Thousands of farmers staged rallies in Warsaw to demand lower fuel prices.", "PROTEST"),
        ("Nurses began a hunger strike outside the ministry to demand back pay.", "PROTEST"),
        ("Dockers blocked the main road into the port for six hours.", "PROTEST"),
        # The object decides between aid, force posture and concessions.
        ("Germany sent artillery shells to Ukraine last month.", "AID"),
        ("The Red Cross delivered medicine to the besieged town.", "AID"),
        ("Israel has strengthened its forces along the northern border.", "MOBILIZE"),
        ("The junta lifted the nightly curfew in the capital.", "YIELD"),
        ("The cabinet accepted the unions' demands on Tuesday.", "YIELD"),
        ("The donors cut aid to the refugee camps in June.", "SANCTION"),
        # Announced force is a threat; an announced refusal is a rejection.
        ("Minsk said it would blockade the border crossings from Monday.", "THREATEN"),
        ("The governor announced he will impose martial law in the province.", "THREATEN"),
        ("Poland will not accept any more migrants from Belarus, the minister said.", "REJECT"),
        ("Serbia and Kosovo have established diplomatic ties.", "SUPPORT"),
        ("The Turkish president arrived in Kyiv on a two-day visit.", "CONSULT"),
        ("NATO will deploy four new battlegroups to its eastern flank.", "MOBILIZE"),
        ("The mediators halted their mediation effort between the two militias.", "SANCTION"),
        # Nested subordinate events rank below the event that governs them.
        ("Kyiv will strike Russian depots if new troops are moved into Belarus.", "THREATEN"),
    ],
)
def test_main_event(cameo_extractor: Extractor, text: str, label: str) -> None:
    """The sentence's main event under the CAMEO sentence convention (implied acts on)."""
    assert _main(cameo_extractor, text) == label


@pytest.mark.parametrize(
    "text",
    [
        "A senior official, who asked not to be named, described the talks as tense.",
        "Many civilians were travelling home for the holidays.",
        "The Kremlin sent a clear signal to the West.",
        "The two countries share a long border.",
        "The opposition mobilized support among students in the capital.",
        "The ministry insisted that the convoy had been carrying only grain.",
        "Reporters asked whether the talks would resume.",
    ],
)
def test_no_spurious_event(extractor: Extractor, text: str) -> None:
    assert _main(extractor, text) == "NONE"


def test_without_is_negation(extractor: Extractor, cameo_extractor: Extractor) -> None:
    events = _triggers(extractor, "The garrison surrendered without firing a shot.")
    assert ("firing", "ASSAULT", "negated") in events
    assert _main(cameo_extractor, "The garrison surrendered without firing a shot.") == "YIELD"


def test_everyday_types_need_a_named_party_in_articles(
    extractor: Extractor, cameo_extractor: Extractor
) -> None:
    """`extract.named_party_types`: "the garrison surrendered" names no one; the sentence
    benchmarks' operating point keeps it."""
    text = "The garrison surrendered without firing a shot."
    assert "surrendered" not in [t for t, _, _ in _triggers(extractor, text)]
    assert "surrendered" in [t for t, _, _ in _triggers(cameo_extractor, text)]
    named = _triggers(extractor, "The Ukrainian garrison at Bakhmut surrendered to Wagner.")
    assert "surrendered" in [t for t, _, _ in named]


def test_no_longer_is_negation_not_intent(cameo_extractor: Extractor) -> None:
    text = "Firms will no longer be allowed to export drones to Iran."
    events = _triggers(cameo_extractor, text)
    assert ("allowed", "RETREAT", "negated") in events
    assert all(t != "will" for t, _, _ in events)
