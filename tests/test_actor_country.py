"""Countries for participants the actor KB does not know (extract/actor_country.py), on
hand-written sentences (real spaCy parse)."""

from __future__ import annotations

import pytest

from sitrep.extract.service import Extractor
from sitrep.model import Article


def _source_country(extractor: Extractor, text: str, etype: str) -> str | None:
    article = Article(id="t", text=text, published="2023-02-24", outlet="Wire")
    (result,) = extractor.extract([article])
    events = [e for e in result.events if e.type == etype]
    assert events and events[0].sources, f"no {etype} event with a source in {text!r}"
    return events[0].sources[0].country


# Home country of the articles below: Ukraine, named first and most.
_HOME = "Ukraine has asked Kyiv's allies for more air defence. Ukraine says Kharkiv was hit. "


@pytest.mark.parametrize(
    ("sentence", "etype", "country"),
    [
        # a region, bloc or creed names several states or none: no home country
        ("European governments rejected the proposal.", "REJECT", None),
        ("Western countries imposed sanctions on the regime.", "SANCTION", None),
        # a state's own officials keep it
        ("Ukrainian officials rejected the proposal.", "REJECT", "UKR"),
    ],
)
def test_regional_groups_keep_no_country(
    extractor: Extractor, sentence: str, etype: str, country: str | None
) -> None:
    assert _source_country(extractor, _HOME + sentence, etype) == country


def test_a_person_named_again_keeps_the_country_of_the_title(extractor: Extractor) -> None:
    # The article is about Syria (its home country), but the ambassador is American.
    text = (
        "US Ambassador Robert Quillan left Damascus in May. Syria is split, Syrian towns are "
        "ruined and Syria's army holds the coast near Latakia and Tartus. "
        '"We warned that the militias would attack the city," Quillan said.'
    )
    assert _source_country(extractor, text, "THREATEN") == "USA"


def test_the_occupiers_are_the_other_side(extractor: Extractor) -> None:
    text = (
        "Ukraine says Kharkiv and Odesa lost power. Kyiv needs more air defence, and "
        "Ukraine's army is short of shells. Russia denies it. The occupiers shelled the port again."
    )
    assert _source_country(extractor, text, "ASSAULT") == "RUS"


def test_the_occupiers_in_a_quote_are_not_the_speakers_forces(extractor: Extractor) -> None:
    text = (
        "Ukraine says Kharkiv and Odesa lost power. Kyiv needs more air defence, and "
        "Ukraine's army is short of shells. Russia denies it. "
        '"The occupiers shelled the port again," the Ukrainian Defence Ministry said.'
    )
    assert _source_country(extractor, text, "ASSAULT") == "RUS"
