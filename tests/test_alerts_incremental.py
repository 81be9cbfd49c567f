"""Incremental alerts give what a full evaluation gives: the same articles written in one
batch or in several, each resolved incrementally, leave the same alerts (ids, evidence,
statistics) and the same stored inputs; a pair that crosses the threshold in a later batch
raises one alert, which a still later batch extends (the same id, grown) and which is
delivered once per version, also after the store is reopened."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from sitrep.analyze import alert_inputs
from sitrep.analyze.alert_config import current, load_alert_config
from sitrep.analyze.alert_record import Alert
from sitrep.analyze.alerts import _from_store, evaluate_alerts, record_alerts
from sitrep.deliver.follow import emit_due
from sitrep.finish import resolve_store
from sitrep.settings import Settings
from sitrep.store import alert_inputs as stored
from sitrep.store.db import connect
from sitrep.store.write import insert_rows

START = date(2024, 3, 1)
_WORDS = [f"{stem}{n}" for stem in ("grain", "port", "vote", "rail", "court") for n in range(40)]
_RULES = """rules:
  - id: mobilizing
    title: Troops mobilised
    match: {type: [MOBILIZE]}
    window_days: 3
    min_events: 1
"""


def _settings(tmp_path: Path) -> Settings:
    rules = tmp_path / "rules.yaml"
    rules.write_text(_RULES, encoding="utf-8")
    return Settings().with_overrides({"analyze": {"watchlists": [str(rules)]}})


def _day(offset: int) -> str:
    return (START + timedelta(offset)).isoformat()


class Corpus:
    """Invented articles and their event mentions: quiet news, a few single-outlet hostile
    events of two background pairs (the prior's population), then spikes."""

    def __init__(self, seed: int = 7) -> None:
        self.rnd = random.Random(seed)
        self.articles: list[dict[str, Any]] = []
        self.mentions: list[dict[str, Any]] = []

    def article(self, day: int, outlet: str, *events: dict[str, Any]) -> str:
        aid = f"a{len(self.articles):04}"
        words = " ".join(self.rnd.sample(_WORDS, 25))
        self.articles.append(
            {
                "id": aid,
                "text": f"{outlet} reported {words}.",
                "title": f"Report {aid}",
                "outlet": outlet,
                "published": _day(day),
            }
        )
        for n, fields in enumerate(events):
            self.mentions.append(_mention(f"{aid}-m{n}", aid, _day(day), **fields))
        return aid

    def quiet(self, days: range) -> None:
        for d in days:
            for outlet in ("AP", "AFP", "Reuters", "BBC"):
                self.article(d, outlet)
            if d % 4 == 0:
                self.article(d, "Wire A", _hostile("AAA", "BBB"))
            if d % 9 == 2:
                self.article(d, "Wire B", _hostile("CCC", "DDD"))

    def spike(self, day: int) -> None:
        """Three outlets report strikes of RUS on POL and a mobilisation on one day."""
        for outlet in ("Outlet One", "Outlet Two", "Outlet Three"):
            self.article(day, outlet, _hostile("RUS", "POL"))
        unit = {"source_actor_id": f"RUS.UNIT{day}"}  # a new unit each day: a new event
        self.article(
            day, "Outlet Four", _hostile("RUS", "POL", type="MOBILIZE", intensity=-5.5, **unit)
        )


def _hostile(source: str, target: str, **fields: Any) -> dict[str, Any]:
    return {
        "source_actor_id": f"{source}.MIL",
        "source_country": source,
        "target_actor_id": f"{target}.MIL",
        "target_country": target,
        **fields,
    }


def _mention(mid: str, aid: str, day: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": mid,
        "article_id": aid,
        "type": "ASSAULT",
        "factuality": "asserted",
        "intensity": -9.5,
        "trigger_text": "struck",
        "sentence_text": "Forces struck positions overnight, officials said.",
        "event_date": day,
        "confidence": 0.8,
        **fields,
    }


def _write(con: duckdb.DuckDBPyConnection, corpus: Corpus, ids: set[str], stamp: int) -> None:
    rows = [
        {**a, "ingested_at": f"2025-01-01 00:{stamp // 60:02}:{stamp % 60:02}"}
        for a in corpus.articles
        if a["id"] in ids
    ]
    insert_rows(con, "articles", rows)
    insert_rows(con, "events", [m for m in corpus.mentions if m["article_id"] in ids])


def _run(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[Alert]:
    resolve_store(con, settings)
    return record_alerts(con, settings)


def _comparable(alerts: list[Alert]) -> list[dict[str, Any]]:
    """Alerts less when this store happened to store them."""
    return [replace(a, first_fired=None, updated=None).as_dict() for a in alerts]


def _inputs(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    return {
        table: sorted(con.execute(f"SELECT * FROM {table}").fetchall())
        for table in ("alert_pair_days", "alert_event_days", "alert_rule_hits")
    }


def _facts(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return con.execute("SELECT * FROM event_facts ORDER BY id").fetchall()


def _lines(con: duckdb.DuckDBPyConnection, alerts: list[Alert]) -> list[dict[str, Any]]:
    out: list[str] = []
    emit_due(con, alerts, out.append)
    return [json.loads(line) for line in out]


def test_a_pair_crosses_the_threshold_in_a_later_batch_and_its_episode_grows(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path)
    corpus = Corpus()
    corpus.quiet(range(40))
    batches = [{a["id"] for a in corpus.articles}]
    for day in (41, 42):
        before = {a["id"] for a in corpus.articles}
        corpus.quiet(range(day, day + 1))
        corpus.spike(day)
        batches.append({a["id"] for a in corpus.articles} - before)

    whole = connect(tmp_path / "whole.duckdb")
    _write(whole, corpus, set().union(*batches), 0)
    expected = _run(whole, settings)

    db = tmp_path / "parts.duckdb"
    con = connect(db)
    _write(con, corpus, batches[0], 1)
    first = _run(con, settings)
    assert not [a for a in first if a.source_country == "RUS"]
    assert _lines(con, first) == [] or all(
        line["alert"]["source_country"] != "RUS" for line in _lines(con, first)
    )

    _write(con, corpus, batches[1], 2)
    assert resolve_store(con, settings) is not None  # incremental
    assert stored.stale_events(con)  # what the resolution changed, for the alerts
    second = record_alerts(con, settings)
    assert not stored.stale_events(con)
    (fired,) = [a for a in second if a.kind == "escalation" and a.source_country == "RUS"]
    assert (fired.target_country, fired.day, fired.last_day) == ("POL", _day(41), _day(41))
    assert len(fired.outlets) == 4 and fired.probability is not None
    (mobilizing,) = [a for a in second if a.rule == "mobilizing"]
    sent = _lines(con, second)
    assert {(line["alert"]["id"], line["version"]) for line in sent} >= {
        (fired.id, fired.version),
        (mobilizing.id, mobilizing.version),
    }

    _write(con, corpus, batches[2], 3)
    third = _run(con, settings)
    (grown,) = [a for a in third if a.kind == "escalation" and a.source_country == "RUS"]
    assert grown.id == fired.id and grown.day == _day(41) and grown.last_day == _day(42)
    assert grown.version > fired.version and grown.first_fired == fired.first_fired
    (longer,) = [a for a in third if a.rule == "mobilizing"]
    assert longer.id == mobilizing.id and longer.last_day == _day(42)
    sent = _lines(con, third)
    assert sorted(line["alert"]["id"] for line in sent) == sorted([fired.id, mobilizing.id])
    assert all(line["update"] for line in sent)

    assert _comparable(third) == _comparable(expected)
    assert _inputs(con) == _inputs(whole)
    assert _facts(con) == _facts(whole)
    con.close()
    con = connect(db)  # a restart: nothing is delivered again, nothing changes
    again = _run(con, settings)
    assert _lines(con, again) == []
    assert [(a.id, a.first_fired, a.updated) for a in again] == [
        (a.id, a.first_fired, a.updated) for a in third
    ]
    con.close()


def test_the_read_path_and_a_full_resolution_give_the_same_alerts(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    corpus = Corpus(seed=3)
    corpus.quiet(range(40))
    corpus.spike(41)
    ids = [a["id"] for a in corpus.articles]
    db = tmp_path / "store.duckdb"
    con = connect(db)
    for n, part in enumerate((ids[:100], ids[100:150], ids[150:])):
        _write(con, corpus, set(part), n)
        _run(con, settings)
    config = load_alert_config(settings.analyze)
    assert alert_inputs.fresh(con, config)
    from_inputs = evaluate_alerts(con, settings)
    reference = _from_store(con, config)[0]
    assert any(a.kind == "escalation" for a in from_inputs)
    assert _comparable(sorted(from_inputs, key=lambda a: a.id)) == _comparable(
        sorted(reference, key=lambda a: a.id)
    )
    inputs = _inputs(con)
    assert resolve_store(con, settings, full=True) is None
    assert not alert_inputs.fresh(con, config)  # a full resolution forgets them
    assert _comparable(record_alerts(con, settings)) == _comparable(from_inputs)
    assert _inputs(con) == inputs
    other = settings.with_overrides({"analyze": {"min_outlets": 3}})
    assert not alert_inputs.fresh(con, load_alert_config(other.analyze))  # rebuilt
    con.close()


@pytest.mark.parametrize("seed", [1, 2])
def test_shuffled_batches_give_the_alerts_of_one_batch(tmp_path: Path, seed: int) -> None:
    settings = _settings(tmp_path)
    corpus = Corpus(seed=seed)
    corpus.quiet(range(30))
    corpus.spike(31)
    corpus.quiet(range(32, 36))
    corpus.spike(36)
    corpus.spike(44)
    whole = connect(tmp_path / "whole.duckdb")
    _write(whole, corpus, {a["id"] for a in corpus.articles}, 0)
    expected = _run(whole, settings)
    assert len([a for a in expected if a.kind == "escalation"]) >= 2
    ids = [a["id"] for a in corpus.articles]
    random.Random(seed).shuffle(ids)  # backfill: batches out of date order
    con = connect(tmp_path / "parts.duckdb")
    for n in range(6):
        _write(con, corpus, set(ids[n::6]), n + 1)
        alerts = _run(con, settings)
    assert _comparable(alerts) == _comparable(expected)
    assert _inputs(con) == _inputs(whole)
    assert _facts(con) == _facts(whole)


def test_a_changed_event_re_reads_the_other_events_of_its_pair_days(tmp_path: Path) -> None:
    """One more report on a day that already has unchanged ones: the day's count and
    judgement are computed again from all its events, as a rebuild computes them."""
    settings = _settings(tmp_path)
    corpus = Corpus()
    corpus.quiet(range(40))
    corpus.spike(41)
    con = connect(tmp_path / "store.duckdb")
    _write(con, corpus, {a["id"] for a in corpus.articles}, 0)
    _run(con, settings)
    (alert,) = [a for a in record_alerts(con, settings) if a.kind == "escalation"]
    extra = corpus.article(41, "Outlet Five", _hostile("RUS", "POL"))
    _write(con, corpus, {extra}, 1)
    mention = f"{extra}-m0"
    insert_rows(
        con,
        "canonical_events",
        [
            {
                "id": "c-extra",
                "type": "ASSAULT",
                "reports": 1,
                "independent_sources": 1,
                "outlets": ["Outlet Five"],
                "article_ids": [extra],
                "mention_ids": [mention],
                "first_article_id": extra,
                "first_mention_id": mention,
                "first_reported": _day(41),
                "disputes": [],
            }
        ],
    )
    stored.mark_stale_events(con, ["c-extra"])  # only the new event is marked changed
    grown = {a.id: a for a in record_alerts(con, settings)}[alert.id]
    assert grown.version == alert.version + 1 and "outlet:outlet five" in grown.outlets
    incremental = (_comparable(evaluate_alerts(con, settings)), _inputs(con))
    stored.forget_inputs(con)
    rebuilt = _comparable(record_alerts(con, settings))
    assert incremental == (rebuilt, _inputs(con))
    con.close()


def test_the_inputs_digest_is_the_same_in_every_process() -> None:
    """A digest that followed the process's string hashing (the repr of a frozenset) would
    make every new run rebuild the stored alert inputs."""
    code = (
        "from sitrep.settings import load_settings\n"
        "from sitrep.analyze.alert_config import load_alert_config\n"
        "print(load_alert_config(load_settings().analyze).digest)\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1


def test_a_block_clustered_again_into_the_same_stories_marks_no_event_changed(
    tmp_path: Path,
) -> None:
    """An article without events that joins no story re-clusters its block (the spike's
    day, whose stories hold every canonical event) and comes out with the same stories and
    canonical events: none is judged again, and the alerts, inputs and read model are
    still those of one full resolution."""
    settings = _settings(tmp_path)
    corpus = Corpus(seed=5)
    corpus.quiet(range(40))
    corpus.spike(41)
    con = connect(tmp_path / "parts.duckdb")
    _write(con, corpus, {a["id"] for a in corpus.articles}, 0)
    _run(con, settings)
    facts = {r[0]: r for r in _facts(con)}
    extra = corpus.article(41, "Outlet Five")
    corpus.articles[-1]["text"] = "A village fair opened with music, pies and a tractor parade."
    _write(con, corpus, {extra}, 1)
    done = resolve_store(con, settings)
    assert done is not None and done.block_articles > 10  # the spike's day clustered again
    assert stored.stale_events(con) == []  # yet no canonical event changed
    alerts = record_alerts(con, settings)
    assert {r[0]: r for r in _facts(con)} == facts  # the new article has no mention
    whole = connect(tmp_path / "whole.duckdb")
    _write(whole, corpus, {a["id"] for a in corpus.articles}, 0)
    assert _comparable(alerts) == _comparable(_run(whole, settings))
    assert _inputs(con) == _inputs(whole)
    assert _facts(con) == _facts(whole)


def test_an_earlier_original_makes_a_stored_article_a_copy_and_its_events_judged_again(
    tmp_path: Path,
) -> None:
    """A backfilled article with the same text, published a day earlier, becomes the
    original of a stored one: the stored article's reports now count for the original's
    witness, so the events of its story are judged again, and everything matches one full
    resolution."""
    settings = _settings(tmp_path)
    corpus = Corpus(seed=9)
    corpus.quiet(range(40))
    corpus.spike(41)
    late = corpus.article(42, "Outlet Two", _hostile("RUS", "POL"))
    batch = {a["id"] for a in corpus.articles}
    early = corpus.article(41, "Wire C", _hostile("RUS", "POL"))
    corpus.articles[-1]["text"] = next(a["text"] for a in corpus.articles if a["id"] == late)
    con = connect(tmp_path / "parts.duckdb")
    _write(con, corpus, batch, 0)
    _run(con, settings)
    _write(con, corpus, {early}, 1)
    assert resolve_store(con, settings) is not None
    copied = con.execute("SELECT duplicate_of FROM articles WHERE id = ?", [late]).fetchone()
    assert copied == (early,)
    stale = set(stored.stale_events(con))
    assert any(
        late in str(r[0])
        for r in con.execute(
            "SELECT article_ids FROM canonical_events WHERE id IN (SELECT unnest(?))",
            [sorted(stale)],
        ).fetchall()
    )
    alerts = record_alerts(con, settings)
    whole = connect(tmp_path / "whole.duckdb")
    _write(whole, corpus, {a["id"] for a in corpus.articles}, 0)
    assert _comparable(alerts) == _comparable(_run(whole, settings))
    assert _inputs(con) == _inputs(whole)
    assert _facts(con) == _facts(whole)


def test_the_alert_config_is_read_again_only_when_its_files_change(tmp_path: Path) -> None:
    """A watcher keeps the parsed rules and weights across polls; an edited rule file
    counts from the next evaluation on, and other settings read their own files."""
    settings = _settings(tmp_path)
    config = load_alert_config(settings.analyze)
    assert "mobilizing" in {r.id for r in config.rules}
    assert current(config, settings.analyze) is config  # nothing changed: not read again
    rules = tmp_path / "rules.yaml"
    rules.write_text(_RULES.replace("mobilizing", "mobilising") + "\n", encoding="utf-8")
    again = current(config, settings.analyze)
    assert again is not config and again.digest != config.digest
    assert "mobilising" in {r.id for r in again.rules}
    other = settings.with_overrides({"analyze": {"min_outlets": 3}})
    assert current(again, other.analyze).analyze == other.analyze
