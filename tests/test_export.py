"""End to end: the flat event export (`sitrep export --format events-*`, docs/export.md) of
a store built from invented articles, read back with the csv module and with DuckDB."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from sitrep.cli import EXIT_OK, EXIT_USAGE, main
from sitrep.store.event_export import (
    COLUMN_NAMES,
    clean_list_sql,
    clean_sql,
    spreadsheet_cell_sql,
)

ROOT = Path(__file__).resolve().parents[1]
# Four invented articles: one shelling of Kharkiv reported by two outlets, a Ukrainian
# accusation, Belarusian exercises reported by state media only (with a recalled battle of
# 1944, a background event), and an Azerbaijani attack from an "outlet" whose name is a
# spreadsheet formula with terminal escape and bidirectional-override characters.
FIXTURE = ROOT / "tests" / "fixtures" / "export.jsonl"
HOSTILE_OUTLET = json.loads(FIXTURE.read_text("utf-8").splitlines()[3])["outlet"]
# Control characters (C0, C1) and invisible direction marks, none of which may be exported.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("export") / "export.duckdb"
    assert main(["run", str(FIXTURE), "--db", str(db), "--no-progress"]) == EXIT_OK
    return db


def _export(store: Path, out: Path | str, fmt: str, *options: str) -> Path:
    assert main(["export", "--db", str(store), "--format", fmt, "--out", str(out), *options]) == 0
    return Path(out)


def _csv_rows_of(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    assert tuple(reader.fieldnames or ()) == COLUMN_NAMES
    return list(reader)


def _csv_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    return _csv_rows_of(path.read_text("utf-8"), delimiter)


def _parquet_rows(path: Path) -> list[dict[str, Any]]:
    con = duckdb.connect()
    cursor = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    con.close()
    return rows


def _canonical(store: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """The canonical events as `sitrep events --format jsonl` lists them."""
    capsys.readouterr()
    assert main(["events", "--db", str(store), "--format", "jsonl"]) == EXIT_OK
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]


def _count(store: Path, sql: str) -> int:
    con = duckdb.connect(str(store), read_only=True)
    row = con.execute(sql).fetchone()
    con.close()
    assert row is not None
    return int(row[0])


def test_csv_has_one_dyadic_row_per_canonical_event(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _csv_rows(_export(store, tmp_path / "events.csv", "events-csv"))
    events = _canonical(store, capsys)
    assert len(rows) == _count(store, "SELECT count(*) FROM canonical_events") == len(events)
    assert [r["event_id"] for r in rows] == [e["canonical_id"] for e in events]
    for row, event in zip(rows, events, strict=True):
        source, target = event["source"] or {}, event["target"] or {}
        place = event["place"] or {}
        assert row["source_name"] == (source.get("name") or "")
        assert row["source_country"] == (source.get("country") or "")
        assert row["source_sector"] == (source.get("sector") or "")
        assert row["target_name"] == (target.get("name") or "")
        assert row["target_country"] == (target.get("country") or "")
        assert (row["event_type"], row["factuality"]) == (event["type"], event["factuality"])
        assert row["cameo_code"] == event["cameo"] and float(row["intensity"]) == event["intensity"]
        assert row["geonames_id"] == str(place.get("geonameid") or "")
        assert int(row["reports"]) == event["reports"]
        assert int(row["independent_sources"]) == event["independent_sources"]
        assert row["story_id"] == event["story_id"]
        assert row["first_article_id"] == event["article_id"]
        assert row["timing"] == "current" and row["event_date"]
    shelling = next(r for r in rows if r["reports"] == "2")
    assert shelling["event_type"] == "ASSAULT" and shelling["source_country"] == "RUS"
    assert shelling["independent_sources"] == "2"
    assert shelling["outlets"] == "Baltic Daily; Kyiv Courier"
    assert (shelling["place_name"], shelling["place_country"]) == ("Kharkiv", "UKR")
    assert shelling["geonames_id"] and -90 <= float(shelling["latitude"]) <= 90
    assert shelling["first_url"].startswith("https://") and shelling["event_date"] == "2024-06-02"
    exercises = next(r for r in rows if r["event_type"] == "MOBILIZE")
    assert exercises["state_media_only"] == "true" and exercises["origin_outlet"] == "BelTA"
    assert shelling["state_media_only"] == "false"


def test_tsv_and_parquet_hold_the_same_rows_typed(store: Path, tmp_path: Path) -> None:
    csv_rows = _csv_rows(_export(store, tmp_path / "e.csv", "events-csv"))
    tsv_rows = _csv_rows(_export(store, tmp_path / "e.tsv", "events-tsv"), delimiter="\t")
    assert tsv_rows == csv_rows
    parquet = _parquet_rows(_export(store, tmp_path / "e.parquet", "events-parquet"))
    assert tuple(parquet[0]) == COLUMN_NAMES
    assert [r["event_id"] for r in parquet] == [r["event_id"] for r in csv_rows]
    for typed, text in zip(parquet, csv_rows, strict=True):
        assert isinstance(typed["intensity"], float) and typed["intensity"] < 0
        assert str(typed["intensity"]) == text["intensity"]  # numbers are never guarded
        assert isinstance(typed["reports"], int) and isinstance(typed["state_media_only"], bool)
        assert isinstance(typed["outlets"], list) and "; ".join(typed["outlets"]) == (
            text["outlets"].removeprefix("'")
        )
        assert typed["geonames_id"] is None or isinstance(typed["geonames_id"], int)
    described = duckdb.connect().execute(
        "DESCRIBE SELECT * FROM read_parquet(?)", [str(tmp_path / "e.parquet")]
    )
    types = {name: kind for name, kind, *_ in described.fetchall()}
    assert types["geonames_id"] == "BIGINT" and types["latitude"] == "DOUBLE"
    assert types["sources"] == "VARCHAR[]" and types["state_media_only"] == "BOOLEAN"


def test_hostile_text_is_guarded_in_csv_and_clean_everywhere(store: Path, tmp_path: Path) -> None:
    assert FORBIDDEN.search(HOSTILE_OUTLET), "the fixture must carry control characters"
    events = _count(store, "SELECT count(*) FROM canonical_events")
    for fmt, name in (("events-csv", "e.csv"), ("events-tsv", "e.tsv")):
        text = _export(store, tmp_path / name, fmt).read_text("utf-8")
        assert not FORBIDDEN.search(text)
        lines = text.splitlines()
        assert len(lines) == events + 1  # one line per row: no line breaks inside cells
        if fmt == "events-tsv":  # no tabs inside cells either
            assert all(line.count("\t") == len(COLUMN_NAMES) - 1 for line in lines)
    rows = _csv_rows(tmp_path / "e.csv")
    hostile = next(r for r in rows if r["first_article_id"] == "exp-hostile-1")
    assert hostile["first_outlet"].startswith("'=HYPERLINK(")
    assert hostile["origin_outlet"].startswith("'=") and hostile["outlets"].startswith("'=")
    assert hostile["first_outlet"].endswith("[2J Times")  # escape and override removed
    assert not any(
        v.startswith(("=", "+", "-", "@"))
        for r in rows
        for v in r.values()
        if not re.fullmatch(r"-?\d+(\.\d+)?", v)
    )
    parquet = _parquet_rows(_export(store, tmp_path / "e.parquet", "events-parquet"))
    raw = next(r for r in parquet if r["first_article_id"] == "exp-hostile-1")
    assert raw["first_outlet"] == hostile["first_outlet"][1:]  # Parquet: text, not guarded
    assert not any(FORBIDDEN.search(str(v)) for r in parquet for v in r.values())


def test_filters_timing_and_limit(store: Path, tmp_path: Path) -> None:
    def ids(*options: str) -> list[dict[str, str]]:
        return _csv_rows(_export(store, tmp_path / "f.csv", "events-csv", *options))

    everything = ids()
    assert [r["event_type"] for r in ids("--type", "ACCUSE")] == ["ACCUSE"]
    assert {r["event_type"] for r in ids("--type", "ACCUSE,MOBILIZE")} == {"ACCUSE", "MOBILIZE"}
    assert [r["source_country"] for r in ids("--country", "BLR")] == ["BLR"]
    assert [r["source_country"] for r in ids("--actor", "azerbaijan")] == ["AZE"]
    later = ids("--since", "2024-06-04")
    assert later and all(r["event_date"] >= "2024-06-04" for r in later)
    assert ids("--until", "2024-06-03") == [r for r in everything if r not in later]
    assert ids("--limit", "2") == everything[:2]
    background = ids("--timing", "background")
    assert [(r["timing"], r["date_value"], r["event_date"]) for r in background] == [
        ("background", "1944", "")
    ]
    assert background[0]["reports"] == "1" and background[0]["independent_sources"] == "1"
    assert background[0]["origin_outlet"] == "BelTA"
    assert ids("--timing", "all") == everything + background
    assert _count(store, "SELECT count(*) FROM events WHERE timing = 'background'") == 1


def test_output_to_a_folder_to_stdout_and_usage_errors(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    capsys.readouterr()
    _export(store, folder, "events-parquet")
    assert capsys.readouterr().out.strip() == str(folder / "events.parquet")
    nested = _export(store, tmp_path / "new" / "folder" / "e.csv", "events-csv")
    assert len(_csv_rows(nested)) == _count(store, "SELECT count(*) FROM canonical_events")
    capsys.readouterr()
    _export(store, "-", "events-tsv", "--type", "MOBILIZE")
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out), delimiter="\t"))
    assert [r["event_type"] for r in rows] == ["MOBILIZE"] and "1 events" in captured.err
    in_file = _csv_rows(
        _export(store, tmp_path / "m.tsv", "events-tsv", "--type", "MOBILIZE"), delimiter="\t"
    )
    assert rows == in_file  # stdout (csv module) and file (DuckDB) hold the same cells
    whole = _csv_rows(_export(store, tmp_path / "e.csv", "events-csv"))
    capsys.readouterr()
    _export(store, "-", "events-csv")
    assert _csv_rows_of(capsys.readouterr().out) == whole
    _export(store, f"{tmp_path / 'slash'}/", "events-csv")
    assert (tmp_path / "slash" / "events.csv").is_file()
    for bad in (
        ["--format", "events-parquet", "--out", "-"],
        ["--format", "parquet", "--out", str(tmp_path / "t"), "--type", "ASSAULT"],
        ["--format", "csv", "--out", str(tmp_path / "t"), "--timing", "all"],
    ):
        assert main(["export", "--db", str(store), *bad]) == EXIT_USAGE
    assert "events-* formats only" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("value", "kind", "cell"),
    [
        ("=1+2", "text", "'=1+2"),
        ("+7 Kyiv", "text", "'+7 Kyiv"),
        ("-Minsk", "text", "'-Minsk"),
        ("@SUM(A1)", "text", "'@SUM(A1)"),
        ("a=b", "text", "a=b"),
        ("\x1b[31m=cmd\u202e", "text", "[31m=cmd"),
        ("\u200b=1", "text", "'=1"),
        (" =1", "text", "'=1"),
        ("two\n\tlines\u2028here", "text", "two lines here"),
        ("\x00\x07", "text", None),
        (-3.5, "value", "-3.5"),
        (7, "value", "7"),
        (True, "value", "true"),
        (None, "value", None),
        (["=Evil", "BelTA"], "list", "'=Evil; BelTA"),
        (["\x1b", "TASS"], "list", "TASS"),
        ([], "list", None),
    ],
)
def test_spreadsheet_cell(value: object, kind: str, cell: str | None) -> None:
    """The cleaning and the formula guard, as the export computes them."""
    cleaned = {"text": clean_sql("$1"), "list": clean_list_sql("$1"), "value": "$1"}[kind]
    con = duckdb.connect()
    row = con.execute(f"SELECT {spreadsheet_cell_sql(cleaned, kind)}", [value]).fetchone()
    assert row is not None and row[0] == cell


def test_every_column_is_documented() -> None:
    doc = (ROOT / "docs" / "export.md").read_text("utf-8")
    documented = re.findall(r"^\| `([a-z0-9_]+)` \|", doc, re.M)
    assert documented == list(COLUMN_NAMES), "docs/export.md must list every column, in order"


def test_listing_csv_guards_formulas_too(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`sitrep events --format csv` writes cells by the same rule as the export."""
    capsys.readouterr()
    args = ["events", "--db", str(store), "--mentions", "--country", "AZE", "--format", "csv"]
    assert main(args) == EXIT_OK
    text = capsys.readouterr().out
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["outlet"].startswith("'=HYPERLINK(") and not FORBIDDEN.search(text)
    assert row["intensity"].startswith("-")  # numbers stay numbers
