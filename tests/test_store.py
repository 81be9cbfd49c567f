"""The DuckDB store: migrations, idempotent upserts, atomic batches, filters, exports."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest

from old_store import store_before
from sitrep.errors import StoreError
from sitrep.model import (
    Article,
    Event,
    EventDate,
    Extraction,
    Participant,
    Quote,
    Reject,
    Span,
    ViaLink,
)
from sitrep.store import query, read
from sitrep.store.db import connect, migrations
from sitrep.store.filters import Filters
from sitrep.store.write import existing_article_ids, write_batch

TEXT = "Belarus moved tanks to the border on Friday, Lukashenko said, according to BelTA."


def _extraction(article_id: str = "a1", published: str = "2023-02-24") -> Extraction:
    article = Article(id=article_id, text=TEXT, outlet="Wire", published=published)
    blr = Participant(Span(0, 7, "Belarus"), "Belarus", "BLR", "BLR", "GOV")
    event = Event(
        id=f"e-{article_id}",
        type="MOBILIZE",
        mode="weapons",
        context=["military"],
        source=blr,
        target=None,
        trigger=Span(8, 13, "moved"),
        sentence=Span(0, len(TEXT), TEXT),
        date=EventDate("2023-02-24", Span(37, 43, "Friday")),
        place=None,
        factuality="reported",
        attribution=None,
        cameo="154",
        intensity=-6.5,
        confidence=0.8,
    )
    speaker = Participant(
        Span(45, 55, "Lukashenko"), "Alexander Lukashenko", "BLR.GOV.lukashenko", "BLR", "GOV"
    )
    belta = Participant(Span(75, 80, "BelTA"), "BelTA", "BLR.MED.belta", "BLR", "MED")
    quote = Quote(
        id=f"q-{article_id}",
        kind="indirect",
        content=Span(0, 43, TEXT[:43]),
        cue=Span(56, 60, "said"),
        speaker=speaker,
        via=[ViaLink(Span(62, 74, "according to"), belta, "state_media")],
    )
    return Extraction(article, events=[event], quotes=[quote])


def test_migrations_are_numbered_and_applied_once(tmp_path: Path) -> None:
    assert [m[0] for m in migrations()] == list(range(1, len(migrations()) + 1))
    db = tmp_path / "s.duckdb"
    connect(db).close()
    con = connect(db)
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone() == (len(migrations()),)
    con.close()


def test_writing_twice_changes_nothing(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    reject = Reject("in.jsonl:3", "R001", "malformed JSON line", "{oops")
    write_batch(con, [_extraction()], [reject])
    first = read.stats(con)
    write_batch(con, [_extraction()], [reject])
    assert (
        read.stats(con)
        == first
        == {
            "articles": 1,
            "entities": 0,
            "places": 0,
            "times": 0,
            "quotes": 1,
            "events": 1,
            "rejects": 1,
            "stories": 0,
            "canonical_events": 0,
        }
    )
    assert existing_article_ids(con, ["a1", "zz"]) == {"a1"}


def test_failed_batch_leaves_no_trace(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    con.execute("DROP TABLE times")  # make the batch fail half-way
    with pytest.raises(StoreError):
        write_batch(con, [_extraction()], [])
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)


def test_filters_and_records(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    write_batch(con, [_extraction("a1", "2023-02-24"), _extraction("a2", "2022-01-01")], [])
    everything = Filters(mentions=True)

    def mentions(**given: Any) -> list[dict[str, Any]]:
        return query.events(con, replace(everything, **given))[1]

    assert len(mentions()) == 2
    assert len(mentions(type="mobilize", country="blr")) == 2
    assert mentions(type="ASSAULT") == []
    assert len(mentions(actor="belarus", limit=1)) == 1
    assert query.events(con, replace(everything, actor="belarus", limit=1))[0] == 2
    assert len(query.quotes(con, Filters(actor="BelTA"))[1]) == 2
    assert [r["id"] for r in query.articles(con, Filters(since="2023"))[1]] == ["a1"]
    assert [r["id"] for r in query.articles(con, Filters(until="2022-12"))[1]] == ["a2"]
    assert [r["id"] for r in query.articles(con, Filters(type="MOBILIZE"))[1]] == ["a2", "a1"]
    row = mentions()[0]
    record = read.decode_record(row)
    assert record["source"]["country"] == "BLR" and record["date"]["value"] == "2023-02-24"
    summary = read.summary(con)
    assert summary["events_by_type"] == [{"type": "MOBILIZE", "events": 2}]
    assert summary["quotes"][0]["via"] == "BelTA"


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export_every_table(tmp_path: Path, fmt: str) -> None:
    con = connect(tmp_path / "s.duckdb")
    write_batch(con, [_extraction()], [])
    written = read.export(con, fmt, tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(f"{t}.{fmt}" for t in read.TABLES)
    reader = {"parquet": "read_parquet", "csv": "read_csv_auto", "jsonl": "read_json_auto"}[fmt]
    events = duckdb.sql(
        f"SELECT * FROM {reader}('{tmp_path / 'out' / f'events.{fmt}'}')"
    ).fetchall()
    assert len(events) == 1
    if fmt == "jsonl":
        line = (tmp_path / "out" / "events.jsonl").read_text().splitlines()[0]
        assert json.loads(line)["type"] == "MOBILIZE"


def test_read_only_open_of_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        connect(tmp_path / "nope.duckdb", read_only=True)


def test_reading_an_older_store_migrates_it_first(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    store_before(db, 2).close()  # only migration 1
    reader = connect(db, read_only=True)
    assert read.stats(reader)["canonical_events"] == 0


def test_connections_never_draw_progress_bars(tmp_path: Path) -> None:
    db = tmp_path / "quiet.duckdb"
    for read_only in (False, True):
        con = connect(db, read_only=read_only)
        row = con.execute("SELECT current_setting('enable_progress_bar')").fetchone()
        con.close()
        assert row is not None and row[0] is False


def test_memory_limit_caps_duckdb_and_is_checked(tmp_path: Path) -> None:
    con = connect(tmp_path / "m.duckdb", memory_limit="512MB")
    (limit,) = con.execute("SELECT current_setting('memory_limit')").fetchone() or ("",)
    con.close()
    assert str(limit).replace(" ", "").upper().startswith(("488", "512")), limit  # MiB vs MB
    with pytest.raises(StoreError, match="memory_limit"):
        connect(tmp_path / "m.duckdb", memory_limit="1GB'; DROP TABLE articles; --")
