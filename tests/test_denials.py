"""Denials within an article, linked to the quote or event they deny (end to end)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.extract.service import Extractor
from sitrep.model import Article, Extraction, Quote
from sitrep.store.db import connect
from sitrep.store.write import write_batch

# Synthetic articles written for these tests.
SHELLING = (
    "KYIV, Ukraine — Ukrainian officials said Russian forces shelled a hospital in Kherson on "
    "Monday, killing two nurses.\n\n"
    "The Russian Defence Ministry denied that its forces had shelled the hospital in Kherson, "
    "calling the report a provocation."
)
PROPOSAL = (
    "Russian state media reported that Ukraine had proposed a ceasefire in the Donbas region.\n\n"
    "Ukrainian Foreign Ministry spokesman Oleh Nikolenko said no such proposal was made. "
    '"These are fakes spread by Moscow," he said.'
)
WEAPONS = (
    "The Pentagon said Russia had moved nuclear weapons to Belarus last week.\n\n"
    "Moscow rejected claims that it had deployed nuclear weapons in Belarus. "
    "Minsk dismissed the report as fake."
)
DEPOT = (
    "The Kremlin said Ukrainian drones attacked an oil depot in Bryansk overnight.\n\n"
    "A Ukrainian official denied involvement, saying Kyiv does not strike civilian sites."
)
MISSILE = (
    "Polish officials said a Russian missile had crossed into Polish airspace on Friday.\n\n"
    "A spokesman for the Russian embassy in Warsaw called the claim a provocation."
)
ASSERTED = (
    "Russian forces shelled a hospital in Kherson on Monday, killing two nurses.\n\n"
    "The Russian Defence Ministry denied that its forces had shelled the hospital."
)
NO_DENIAL = (
    "Kyiv rejected the Russian proposal for talks on Tuesday, and President Volodymyr Zelensky "
    "said the offer was a trap.\n\n"
    "Officials said the army had retaken the village of Klishchiivka.\n\n"
    "In March, Germany denied Russian cargo ships access to the port of Hamburg."
)
TROOPS = (
    "Lithuanian officials said Belarusian troops had crossed the border near Medininkai.\n\n"
    "The Belarusian defence ministry disputed that any of its troops had crossed the border."
)


def _extract(extractor: Extractor, text: str, article_id: str = "d1") -> Extraction:
    article = Article(id=article_id, text=text, published="2023-02-24")
    return extractor.extract([article])[0]


def _quote(extraction: Extraction, words: str) -> Quote:
    found = [q for q in extraction.quotes if words in q.content.text]
    assert found, f"no quote containing {words!r}: {[q.content.text for q in extraction.quotes]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "denial", "claim"),
    [
        (SHELLING, "its forces had shelled", "Russian forces shelled a hospital"),
        (PROPOSAL, "no such proposal", "Ukraine had proposed a ceasefire"),
        (PROPOSAL, "These are fakes", "Ukraine had proposed a ceasefire"),
        (WEAPONS, "it had deployed nuclear weapons", "Russia had moved nuclear weapons"),
        (WEAPONS, "the report as fake", "Russia had moved nuclear weapons"),
        (DEPOT, "does not strike civilian sites", "drones attacked an oil depot"),
        (TROOPS, "any of its troops had crossed", "Belarusian troops had crossed the border"),
        (MISSILE, "the claim a provocation", "a Russian missile had crossed"),
    ],
)
def test_denial_links_to_the_claim_it_denies(
    extractor: Extractor, text: str, denial: str, claim: str
) -> None:
    extraction = _extract(extractor, text)
    denying, claimed = _quote(extraction, denial), _quote(extraction, claim)
    assert denying.denial
    assert denying.denies == claimed.id
    assert not claimed.denial and claimed.denies is None


def test_denial_of_an_unquoted_claim_links_to_the_event(extractor: Extractor) -> None:
    extraction = _extract(extractor, ASSERTED)
    denying = _quote(extraction, "its forces had shelled")
    assert denying.denial
    shelled = [e for e in extraction.events if e.id == denying.denies]
    assert shelled and shelled[0].type == "ASSAULT"
    assert shelled[0].trigger.start < denying.content.start  # the claim, not the denied copy


def test_refusals_and_plain_reports_are_not_denials(extractor: Extractor) -> None:
    extraction = _extract(extractor, NO_DENIAL)
    assert extraction.quotes
    assert not any(q.denial or q.denies for q in extraction.quotes)


def test_denial_fields_reach_the_store(extractor: Extractor, tmp_path: Path) -> None:
    extraction = _extract(extractor, WEAPONS, "d2")
    con = connect(tmp_path / "s.duckdb")
    write_batch(con, [extraction], [])
    rows = con.execute(
        "SELECT content_text, denial, denies FROM quotes WHERE article_id = 'd2' "
        "ORDER BY content_start"
    ).fetchall()
    con.close()
    claim_id = _quote(extraction, "Russia had moved").id
    assert [(text.startswith("claims that"), denial) for text, denial, _ in rows][1] == (True, True)
    assert {denies for _, denial, denies in rows if denial} == {claim_id}
    assert rows[0][1] is False and rows[0][2] is None
