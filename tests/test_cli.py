"""End-to-end tests of every command: real ingest, real spaCy, real DuckDB."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from api_store import build_escalation_store
from sitrep.cli import EXIT_OK, EXIT_REJECTS, EXIT_USAGE, build_parser, main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles.jsonl"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("store") / "s.duckdb"
    assert main(["run", str(SAMPLES), "--db", str(db), "--no-progress"]) == EXIT_OK
    return db


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_every_command_is_tested_here() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    source = Path(__file__).read_text()
    for name in sub.choices:  # type: ignore[attr-defined]
        assert f'"{name}"' in source, f"command {name} has no end-to-end test"


def test_extract_prints_one_object_per_article_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SAMPLES)]) == EXIT_OK
    records = _json_lines(capsys.readouterr().out)
    ids = [json.loads(line)["id"] for line in SAMPLES.read_text().splitlines()]
    assert [r["article"]["id"] for r in records] == ids  # type: ignore[index]


def test_extract_rejects_bad_lines_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "mixed.jsonl"
    bad.write_text(
        '{"id": "ok", "text": "Russian troops shelled the town of Vovchansk on Monday."}\n'
        "{not json\n"
        '{"id": "empty", "text": "   "}\n'
        '["not", "an", "object"]\n'
    )
    assert main(["extract", str(bad)]) == EXIT_REJECTS
    captured = capsys.readouterr()
    assert [r["article"]["id"] for r in _json_lines(captured.out)] == ["ok"]  # type: ignore[index]
    assert "R001" in captured.err and "R003" in captured.err and "R002" in captured.err
    assert f"{bad}:2" in captured.err


def test_run_is_idempotent_and_stats_count(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(store), "--format", "json"]) == EXIT_OK
    first = json.loads(capsys.readouterr().out)
    assert first["articles"] == 10 and first["events"] > 0 and first["quotes"] > 0
    assert first["rejects"] == 0
    assert main(["run", str(SAMPLES), "--db", str(store), "--no-progress"]) == EXIT_OK
    assert "10 already stored" in capsys.readouterr().err
    assert main(["run", str(SAMPLES), "--db", str(store), "--reprocess", "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["stats", "--db", str(store), "--format", "json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == first
    assert main(["stats", "--db", str(store)]) == EXIT_OK
    assert "articles" in capsys.readouterr().out


def test_run_stores_rejects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"text": "\xff\xfe broken bytes in a line"}\n{"id": 3}\n')
    db = tmp_path / "r.duckdb"
    assert main(["run", str(bad), "--db", str(db), "--no-progress"]) == EXIT_REJECTS
    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--format", "json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["rejects"] == 2


def test_events_filters_and_formats(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--db", str(store), "--format", "jsonl"]) == EXIT_OK
    events = _json_lines(capsys.readouterr().out)
    assert events and all("factuality" in e and "article_id" in e for e in events)
    assert main(["events", "--db", str(store), "--type", "ASSAULT", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {r["type"] for r in rows} == {"ASSAULT"}
    assert (
        main(
            [
                "events",
                "--db",
                str(store),
                "--mentions",
                "--country",
                "RUS",
                "--since",
                "2024-01",
                "--until",
                "2024-03",
            ]
        )
        == EXIT_OK
    )
    table = capsys.readouterr().out
    assert "RUS" in table and "2023-12" not in table
    assert main(["events", "--db", str(store), "--actor", "no such actor"]) == EXIT_OK
    assert "(no rows)" in capsys.readouterr().out


def test_stories_and_canonical_events(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stories", "--db", str(store), "--format", "jsonl"]) == EXIT_OK
    stories = _json_lines(capsys.readouterr().out)
    wire = [s for s in stories if "sample-10-wirecopy" in s["article_ids"]]  # type: ignore[operator]
    assert wire and "sample-05-sanctions" in wire[0]["article_ids"]  # type: ignore[operator]
    assert {"story_id", "title", "first_seen", "last_seen", "outlets"} <= set(wire[0])
    assert main(["events", "--db", str(store), "--type", "SANCTION", "--format", "csv"]) == 0
    (row,) = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["reports"] == "2" and row["independent_sources"] == "1"  # a reprint is no witness
    assert (
        main(["events", "--db", str(store), "--mentions", "--type", "SANCTION", "--format", "csv"])
        == EXIT_OK
    )
    assert len(list(csv.DictReader(io.StringIO(capsys.readouterr().out)))) == 2
    assert main(["stories", "--db", str(store)]) == EXIT_OK
    assert "AFP, Kyiv Post" in capsys.readouterr().out
    # Filter on a key actor, in any case: the wire story names its actors.
    actor = str(wire[0]["key_actors"][0]).upper()  # type: ignore[index]
    assert main(["stories", "--db", str(store), "--actor", actor, "--format", "jsonl"]) == 0
    found = _json_lines(capsys.readouterr().out)
    assert wire[0]["story_id"] in {s["story_id"] for s in found}
    # ... and on a part of its name, as `--actor` does for events and quotes.
    assert main(["stories", "--db", str(store), "--actor", actor[1:-1], "--format", "jsonl"]) == 0
    found = _json_lines(capsys.readouterr().out)
    assert wire[0]["story_id"] in {s["story_id"] for s in found}
    assert main(["stories", "--db", str(store), "--actor", "no such actor"]) == EXIT_OK


def test_quotes_and_articles(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quotes", "--db", str(store), "--actor", "Lukashenko", "--format", "jsonl"]) == 0
    quotes = _json_lines(capsys.readouterr().out)
    assert quotes and all(q["speaker"] or q["via"] for q in quotes)
    assert main(["articles", "--db", str(store), "--format", "csv", "--limit", "3"]) == EXIT_OK
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 3 and all(r["id"].startswith("sample-") for r in rows)


def test_actors_and_places(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["actors", "--db", str(store), "--country", "rus", "--format", "jsonl"]) == 0
    actors = _json_lines(capsys.readouterr().out)
    assert actors and {a["country"] for a in actors} == {"RUS"}
    assert all(a["events"] == a["as_source"] + a["as_target"] for a in actors)
    assert main(["places", "--db", str(store), "--format", "csv", "--limit", "2"]) == EXIT_OK
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 2 and all(r["lat"] and r["lon"] for r in rows)
    assert int(rows[0]["events"]) >= int(rows[1]["events"])
    assert main(["places", "--db", str(store), "--since", "last week"]) == EXIT_USAGE
    assert "YYYY" in capsys.readouterr().err


def test_export_all_formats(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt in ("parquet", "csv", "jsonl"):
        out = tmp_path / fmt
        assert main(["export", "--db", str(store), "--format", fmt, "--out", str(out)]) == 0
        assert (out / f"events.{fmt}").stat().st_size > 0
    assert "events.jsonl" in capsys.readouterr().out


def test_summary(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--db", str(store)]) == EXIT_OK
    text = capsys.readouterr().out
    assert "Events by type" in text and "Top actors" in text and "Quotes" in text
    assert main(["summary", "--db", str(store), "--format", "json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["counts"]["articles"] == 10


def test_eval_scores_a_gold_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "roundups.jsonl"
    stories = [
        (
            1,
            "2024-01-16",
            [
                "Russian missiles strike Kharkiv hotel, killing four civilians",
                "Four civilians killed as Russian missiles strike Kharkiv hotel",
            ],
        ),
        (
            2,
            "2024-01-17",
            [
                "EU adopts new Belarus sanctions package over war support",
                "New EU sanctions package targets Belarus over war support",
            ],
        ),
    ]
    lines = []
    for sid, day, titles in stories:
        news = {
            side: {"newsSource": f"Outlet {side}", "newsTitle": t, "newBody": [t + "."]}
            for side, t in zip(("left", "right"), titles, strict=True)
        }
        lines.append(json.dumps({"id": sid, "date": day, "news": news}))
    gold.write_text("\n".join(lines) + "\n")
    assert main(["eval", "stories", "--gold", str(gold), "--format", "allsides", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["metrics"]["bcubed_f1"] == 1.0 and report["metrics"]["gold_stories"] == 2
    assert main(["eval", "stories", "--gold", str(gold), "--format", "nope"]) == EXIT_USAGE
    assert main(["eval", "stories", "--gold", str(tmp_path / "missing")]) == EXIT_USAGE


def test_bench_reports_the_ratio_to_plain_spacy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--corpus", str(SAMPLES), "--n", "4", "--format", "json"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert report["articles"] == 4 and report["ratio_to_plain_spacy"] > 0
    assert {"spacy", "events", "quotes", "store", "resolve"} <= set(report["stage_share"])
    assert report["peak_rss_mb"] > 0
    assert report["spacy_version"] == spacy.__version__  # numbers differ between builds


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["events", "--format", "xml"])
    assert exited.value.code == EXIT_USAGE
    assert main(["--set", "nlp.nope=1", "stats", "--db", str(tmp_path / "x.duckdb")]) == EXIT_USAGE
    assert main(["stats", "--db", str(tmp_path / "missing.duckdb")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_hostile_text_is_shown_without_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = tmp_path / "hostile.jsonl"
    text = "Russian troops \x1b[31mshelled\x1b[0m Kharkiv on Friday, officials said."
    hostile.write_text(json.dumps({"id": "h\x1b[2J", "title": "\x1b]0;pwned\x07", "text": text}))
    db = tmp_path / "h.duckdb"
    main(["run", str(hostile), "--db", str(db), "--no-progress"])
    capsys.readouterr()
    assert main(["articles", "--db", str(db)]) == EXIT_OK
    assert "\x1b" not in capsys.readouterr().out


def test_python_dash_m_and_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sitrep", "--version"], capture_output=True, text=True, check=True
    )
    assert "sitrep 0.1.0" in done.stdout and "GeoNames" in done.stdout


def test_serve_binds_loopback_and_is_read_only_without_a_token(
    store: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn
    from fastapi.testclient import TestClient

    started: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, **kw))
    monkeypatch.delenv("SITREP_TOKEN", raising=False)
    assert main(["serve", "--db", str(store)]) == EXIT_OK
    assert started["host"] == "127.0.0.1" and started["port"] == 8000
    assert "read-only" in capsys.readouterr().err
    client = TestClient(started["app"], base_url="http://127.0.0.1:8000")  # type: ignore[arg-type]
    assert client.get("/api/events").json()["total"] > 0
    assert client.post("/api/articles", json={"text": "x"}).status_code == 403
    # Loopback servers refuse other Host names (DNS rebinding).
    assert TestClient(started["app"]).get("/api/events").status_code == 400  # type: ignore[arg-type]
    monkeypatch.setenv("SITREP_TOKEN", "t0ken")
    assert main(["serve", "--db", str(store), "--host", "0.0.0.0", "--port", "9001"]) == EXIT_OK
    assert started["host"] == "0.0.0.0" and started["port"] == 9001
    assert "ingest enabled" in capsys.readouterr().err
    assert main(["serve", "--db", str(store.parent / "missing.duckdb")]) == 1


def test_alerts_show_what_fired_and_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = build_escalation_store(tmp_path)
    capsys.readouterr()
    assert main(["alerts", "--db", str(store), "--format", "jsonl"]) == EXIT_OK
    alerts = _json_lines(capsys.readouterr().out)
    assert {a["rule"] for a in alerts} >= {"escalation-nb", "leader-threaten-neighbour"}
    escalation = next(a for a in alerts if a["rule"] == "escalation-nb")
    assert escalation["source_country"] == "AZE" and len(escalation["outlets"]) >= 2  # type: ignore[arg-type]
    assert all(a["why"] and a["evidence"] and a["article_ids"] for a in alerts)
    assert main(["alerts", "--db", str(store), "--since", "2024-05-01"]) == EXIT_OK
    table = capsys.readouterr().out
    assert "leader-threaten-neighbour" in table and "Baltic Monitor" in table
    assert "2023-" not in table.split("\n", 2)[2][:12]


def test_brief_markdown_and_html(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["brief", "--db", str(store)]) == EXIT_OK
    text = capsys.readouterr().out
    assert text.startswith("# Situation briefing") and "## Who said what" in text
    assert "via BelTA (state media)" in text
    out = tmp_path / "brief.html"
    assert main(["brief", "--db", str(store), "--format", "html", "--out", str(out)]) == 0
    assert out.read_text().startswith("<!doctype html>")
    assert main(["brief", "--db", str(store), "--since", "2024-06-01"]) == EXIT_OK
    assert "Germany" in capsys.readouterr().out
    assert main(["brief", "--db", str(store), "--since", "2024-01", "--until", "2024-01"]) == 0
    january = capsys.readouterr().out
    assert "scope: 2024-01-01 to 2024-01-31" in january and "0 outlet" not in january
    dates = re.findall(r"^- (\d{4}-\d{2}-\d{2}) · ", january, re.M)
    assert dates and all(d.startswith("2024-01") for d in dates)


def test_kb_show_resolves_a_title_on_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    # "kb import" is tested end to end in tests/test_kb_import.py.
    assert main(["kb", "show", "Russia's defence minister", "--on", "2025-01-10"]) == EXIT_OK
    assert "RUS.GOV.belousov" in capsys.readouterr().out


def test_train_events_writes_a_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "labelled.jsonl"
    rows = [
        {"text": "Artillery shelled the village of Orlivka overnight.", "label": "ASSAULT"},
        {"text": "Rebels attacked a police post near the river.", "label": "ASSAULT"},
        {"text": "Students protested outside the parliament in Riga.", "label": "PROTEST"},
        {"text": "Farmers protested in Vilnius over grain prices.", "label": "PROTEST"},
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "model.json"
    args = ["train", "events", "--data", str(data), "--out", str(out), "--folds", "0"]
    assert main(args) == EXIT_OK
    assert "wrote" in capsys.readouterr().out
    assert json.loads(out.read_text())["classes"] == ["ASSAULT", "PROTEST"]


def test_bench_queries_on_a_small_synthetic_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """More in tests/test_query_scale.py."""
    db = tmp_path / "q.duckdb"
    args = ["bench-queries", "--events", "600", "--db", str(db), "--repeat", "1"]
    assert main([*args, "--only", "api/events"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "GET /api/events" in out and "events 600" in out and db.exists()
    assert main(["bench-queries", "--events", "2", "--repeat", "1"]) == EXIT_USAGE


def test_watch_takes_a_folder_once_and_refuses_what_it_cannot_follow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text(
        "Flooding closed the ferry crossing at Dalmoor on Friday, the harbour office said.\n"
    )
    db = str(tmp_path / "w.duckdb")
    settle = ["--set", "watch.settle_seconds=0"]
    assert main([*settle, "watch", str(inbox), "--db", db, "--polls", "2", "--every", "0"]) == 0
    err = capsys.readouterr().err
    assert "poll 1: 1 sources polled" in err and "1 new articles" in err
    assert "poll 2: 1 sources polled" in err and "0 new articles" in err
    assert main(["stats", "--db", db, "--format", "json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["articles"] == 1
    assert main(["watch", str(tmp_path / "nowhere"), "--db", db, "--polls", "1"]) == EXIT_USAGE
    assert "neither an http(s) URL nor a folder" in capsys.readouterr().err


def test_run_in_two_parts_resolves_incrementally_as_resolve_full_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = SAMPLES.read_text().splitlines()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines[::2]) + "\n")
    second.write_text("\n".join(lines[1::2]) + "\n")
    db = str(tmp_path / "s.duckdb")
    for part in (first, second):
        assert main(["run", str(part), "--db", db, "--no-progress"]) == EXIT_OK
    listings = [
        ["events", "--db", db, "--format", "jsonl"],
        ["stories", "--db", db, "--format", "jsonl"],
    ]
    capsys.readouterr()
    before = []
    for listing in listings:
        assert main(listing) == EXIT_OK
        before.append(capsys.readouterr().out)
    assert main(["resolve", "--db", db]) == EXIT_OK
    assert "resolved (incremental): " in capsys.readouterr().err  # nothing new: nothing to do
    assert main(["resolve", "--db", db, "--full"]) == EXIT_OK
    assert "resolved (full): " in capsys.readouterr().err
    for listing, expected in zip(listings, before, strict=True):
        assert main(listing) == EXIT_OK
        assert capsys.readouterr().out == expected


def test_bench_incremental_extracts_and_times_additions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["bench-incremental", "--corpus", str(SAMPLES), "--sizes", "4,8", "--add", "2"]
    assert main([*args, "--extract", "--format", "json"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert [r["stored"] for r in report["timings"]] == [4, 4, 4, 8, 8, 8]  # three scenarios
    assert all(r["same_as_full"] for r in report["timings"])
    assert main([*args]) == EXIT_OK
    assert "per-article cost, largest store / smallest" in capsys.readouterr().out
