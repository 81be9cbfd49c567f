"""Compound actors: one event with several source/target participants, end to end
(extraction → contract JSON → store), on sentences written for sitrep."""

from __future__ import annotations

import json
from pathlib import Path

from old_store import store_before
from sitrep.extract.service import Extractor
from sitrep.model import Article, Event, Participant, Span
from sitrep.model.serialize import extraction_to_dict
from sitrep.store.db import connect
from sitrep.store.write import write_batch


def _events(extractor: Extractor, text: str) -> list[Event]:
    (extraction,) = extractor.extract([Article(id="c", text=text)])
    return extraction.events


def _names(parties: list[Participant]) -> list[str]:
    return [p.name for p in parties]


def test_coordinated_subjects_are_one_event_with_several_sources(extractor: Extractor) -> None:
    events = _events(extractor, "Russia and Belarus held joint exercises near the border.")
    assert len(events) == 1
    (event,) = events
    assert event.type == "COOPERATE"
    assert [p.country for p in event.sources] == ["RUS", "BLR"]
    assert event.source is not None and event.source.country == "RUS"  # the first, as before


def test_three_coordinated_sources(extractor: Extractor) -> None:
    (event,) = _events(extractor, "Poland, Lithuania and Latvia condemned the new border fence.")
    assert [p.country for p in event.sources] == ["POL", "LTU", "LVA"]


def test_coordinated_targets_and_nationality_adjectives(extractor: Extractor) -> None:
    (event,) = _events(extractor, "Canada and Japan imposed sanctions on Iran and Syria.")
    assert event.type == "SANCTION"
    assert [p.country for p in event.sources] == ["CAN", "JPN"]
    assert [p.country for p in event.targets] == ["IRN", "SYR"]
    assert event.target is not None and event.target.country == "IRN"
    (drill,) = _events(extractor, "Russian and Belarusian troops held joint drills on Monday.")
    assert [p.country for p in drill.sources] == ["RUS", "BLR"]


def test_single_actor_lists_mirror_source_and_target(extractor: Extractor) -> None:
    events = _events(extractor, "Georgia expelled two Russian diplomats on Friday.")
    assert events
    for event in events:
        assert event.sources == ([event.source] if event.source else [])
        assert event.targets == ([event.target] if event.target else [])


def test_contract_json_and_store_carry_every_participant(
    extractor: Extractor, tmp_path: Path
) -> None:
    (extraction,) = extractor.extract(
        [Article(id="c2", text="Russia and Belarus held joint exercises near the border.")]
    )
    data = extraction_to_dict(extraction)
    (event,) = data["events"]
    assert [p["country"] for p in event["sources"]] == ["RUS", "BLR"]
    assert event["targets"] == []
    con = connect(tmp_path / "s.duckdb")
    write_batch(con, [extraction], [])
    row = con.execute("SELECT sources, source_actor_ids, target_actor_ids FROM events").fetchone()
    con.close()
    assert row is not None
    assert [p["country"] for p in json.loads(row[0])] == ["RUS", "BLR"]
    assert len(row[1]) == 2 and row[2] == []


def test_migration_005_backfills_an_older_store(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _old_store(path)
    con = connect(path, read_only=True)  # an old store opened for reading is migrated once
    row = con.execute("SELECT source_actor_ids, target_actor_ids, sources FROM events").fetchone()
    version = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
    con.close()
    assert row == (["RUS"], [], None)
    assert version is not None and version[0] >= 5


def test_event_built_the_old_way_fills_its_lists() -> None:
    who = Participant(Span(0, 6, "Russia"), "Russia", "RUS", "RUS", "GOV")
    event = Event(
        id="e",
        type="ASSAULT",
        mode=None,
        context=[],
        source=who,
        target=None,
        trigger=Span(7, 15, "attacked"),
        sentence=Span(0, 15, "Russia attacked"),
        date=None,
        place=None,
        factuality="asserted",
        attribution=None,
        cameo="190",
        intensity=-9.0,
        confidence=0.9,
    )
    assert event.sources == [who] and event.targets == []


def _old_store(path: Path) -> None:
    """A store as sitrep wrote it before migration 005, holding one event."""
    con = store_before(path, 5)
    con.execute(
        "INSERT INTO events (id, article_id, type, source_actor_id, target_actor_id)"
        " VALUES ('e1', 'a1', 'ASSAULT', 'RUS', NULL)"
    )
    con.close()
