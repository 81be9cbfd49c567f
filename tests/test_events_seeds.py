"""Event behaviour the issue pins on the two seed articles (skipped without ../shared)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.extract.service import Extractor
from sitrep.model import Article, Event


@pytest.fixture(scope="module")
def seed_events(shared: Path, extractor: Extractor) -> dict[str, tuple[str, list[Event]]]:
    path = shared / "corpus" / "seeds" / "seeds.jsonl"
    if not path.exists():
        pytest.skip("seed articles not present")
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    articles = [
        Article(id=r["id"], text=r["text"], published=r.get("published"), outlet=r.get("outlet"))
        for r in rows
    ]
    return {x.article.id: (x.article.text, x.events) for x in extractor.extract(articles)}


def _events(seeds: dict[str, tuple[str, list[Event]]], key: str) -> tuple[str, list[Event]]:
    return next(v for k, v in seeds.items() if key in k)


def _in_sentence(events: list[Event], words: str) -> list[Event]:
    return [e for e in events if words in e.sentence.text]


def test_missile_unit_moving_is_belarus_military_mobilize(seed_events: dict) -> None:
    _, events = _events(seed_events, "newsweek")
    moving = [e for e in _in_sentence(events, "missile units is moving") if e.type == "MOBILIZE"]
    assert moving, "the missile unit moving is MOBILIZE"
    assert any(e.source and e.source.country == "BLR" and e.source.sector == "MIL" for e in moving)


def test_armour_from_storage_is_belarus_mobilize(seed_events: dict) -> None:
    _, events = _events(seed_events, "dailybeast")
    storage = [
        e
        for e in _in_sentence(events, "long-term storage")
        if e.type == "MOBILIZE" and e.source and e.source.country == "BLR"
    ]
    assert any(e.source is not None and e.source.sector == "MIL" for e in storage)


def test_most_cruel_answer_is_conditional_threat_via_belta(seed_events: dict) -> None:
    _, events = _events(seed_events, "newsweek")
    threat = [e for e in _in_sentence(events, "most cruel") if e.type == "THREATEN"]
    assert threat, "the answer will be most cruel is a THREATEN"
    event = threat[0]
    assert event.factuality == "conditional"
    assert event.attribution is not None and event.attribution.speaker is not None
    assert "Lukashenko" in event.attribution.speaker.name
    assert any("BelTA" in v.source.name for v in event.attribution.via)


def test_salyukov_visit_is_consult(seed_events: dict) -> None:
    _, events = _events(seed_events, "dailybeast")
    visit = [e for e in _in_sentence(events, "Salyukov") if e.type == "CONSULT"]
    assert visit and visit[0].source is not None and visit[0].source.country == "RUS"


def test_non_aggression_pact_is_not_asserted(seed_events: dict) -> None:
    _, events = _events(seed_events, "dailybeast")
    pact = [e for e in events if "non-aggression" in e.sentence.text]
    assert pact and all(e.factuality != "asserted" for e in pact)


def test_nothing_from_the_feed_footer(seed_events: dict) -> None:
    text, events = _events(seed_events, "newsweek")
    footer = text.index("The post Belarus Readying")
    assert all(e.trigger.start < footer for e in events)
