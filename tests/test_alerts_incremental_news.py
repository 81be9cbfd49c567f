"""Incremental alerts and read model on real extractions: war-news articles (records
0-199, ../shared; skipped without it) stored in one batch, or shuffled into five batches
each resolved incrementally, leave the same alerts, alert inputs and read model."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest

from sitrep.analyze.alert_record import Alert
from sitrep.analyze.alerts import record_alerts
from sitrep.extract.service import Extractor
from sitrep.finish import resolve_store
from sitrep.ingest import read_inputs
from sitrep.model import Article, Extraction
from sitrep.settings import Settings
from sitrep.store.db import connect
from sitrep.store.write import write_batch

RECORDS = 200  # records 400 and later are reserved


@pytest.fixture(scope="module")
def extractions(
    shared: Path, extractor: Extractor, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> list[Extraction]:
    lines = (shared / "corpus" / "war-news" / "articles.jsonl").read_text("utf-8").splitlines()
    part = tmp_path_factory.mktemp("war-news") / "articles.jsonl"
    part.write_text("\n".join(lines[:RECORDS]) + "\n", "utf-8")
    articles = [a for a in read_inputs([str(part)], settings.ingest) if isinstance(a, Article)]
    return [r for r in extractor.stream(articles) if isinstance(r, Extraction)]


def _comparable(alerts: list[Alert]) -> list[dict[str, Any]]:
    return [replace(a, first_fired=None, updated=None).as_dict() for a in alerts]


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    tables = ("alert_pair_days", "alert_event_days", "alert_rule_hits", "event_facts")
    out = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    out["quote_facts"] = con.execute("SELECT * FROM quote_facts ORDER BY id").fetchall()
    return out


def test_war_news_in_shuffled_batches_gives_the_alerts_of_one_batch(
    tmp_path: Path, extractions: list[Extraction], settings: Settings
) -> None:
    whole = connect(tmp_path / "whole.duckdb")
    write_batch(whole, extractions, [])
    resolve_store(whole, settings)
    expected = record_alerts(whole, settings)
    assert expected and whole.execute("SELECT count(*) FROM quote_facts").fetchone() != (0,)

    shuffled = extractions[:]
    random.Random(5).shuffle(shuffled)  # a backfill: batches out of date order
    con = connect(tmp_path / "parts.duckdb")
    resolved = []
    for n in range(5):
        write_batch(con, shuffled[n::5], [])
        resolved.append(resolve_store(con, settings))
        alerts = record_alerts(con, settings)
    assert all(r is not None for r in resolved[1:])  # incremental after the first
    assert _comparable(alerts) == _comparable(expected)
    assert _tables(con) == _tables(whole)
