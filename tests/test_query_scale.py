"""Queries at scale: the synthetic store, the read model (`event_facts`) against the live
joins it replaces, the one event filter shared by the CLI and the API, the cached read
connection, and `sitrep bench-queries` end to end on a small store (correctness, not time)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest

from sitrep.cli import main
from sitrep.store import api_queries as q
from sitrep.store import query, read_model
from sitrep.store.db import connect
from sitrep.store.filters import TIMINGS, Filters
from sitrep.store.pool import ReadConnection
from sitrep.store.synthetic import generate

N = 20_000


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("scale") / "synthetic.duckdb"
    con = connect(db)
    counts = generate(con, N)
    con.close()
    assert counts["events"] == N and counts["articles"] == N // 4
    assert 0.3 * N < counts["canonical_events"] < 0.5 * N
    return db


@pytest.fixture()
def con(store: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = connect(store, read_only=True)
    yield c
    c.close()


def test_synthetic_store_is_deterministic_and_skewed(tmp_path: Path) -> None:
    digests = []
    for name in ("a", "b"):
        c = connect(tmp_path / f"{name}.duckdb")
        generate(c, 4000)
        row = c.execute(
            "SELECT sum(hash(id, type, source_country, event_date, place_name)) FROM events"
        ).fetchone()
        digests.append(row)
        top = c.execute(
            "SELECT count(*) FILTER (source_country = 'UKR') / count(*) FROM events"
        ).fetchone()
        assert top and top[0] > 0.1  # the most covered country dominates, as in the news
        c.close()
    assert digests[0] == digests[1]


FILTERS = [
    Filters(),
    Filters(country="UKR"),
    Filters(type="ASSAULT,COERCE", since="2023-06", until="2024-02"),
    Filters(since="2024-01-15", until="2024-01-31", factuality=("asserted", "reported")),
    Filters(actor="actor 1", country="rus"),
    Filters(until="2022", story="syn-s3"),
]


def _live(con: duckdb.DuckDBPyConnection) -> Any:
    """Make the read models look stale on this connection so queries fall back to joins."""
    con.execute(
        "CREATE TEMP TABLE event_facts_state AS "
        "SELECT -1 AS events, 0 AS canonical_events, 0 AS articles, 0 AS version"
    )
    con.execute("CREATE TEMP TABLE quote_facts_state AS SELECT -1 AS quotes, 0 AS articles")
    return con


@pytest.mark.parametrize("flt", FILTERS, ids=range(len(FILTERS)))
def test_read_model_gives_exactly_the_live_results(store: Path, flt: Filters) -> None:
    fast = connect(store, read_only=True)
    slow = _live(connect(store, read_only=True))
    try:
        assert read_model.facts(fast) == "event_facts"
        assert read_model.facts(slow) != "event_facts"
        assert read_model.quote_facts(fast) == "quote_facts"
        assert read_model.quote_facts(slow) != "quote_facts"
        page = Filters(**{**_fields(flt), "limit": 40, "offset": 10})
        for mentions in (False, True):
            listed = replace(page, mentions=mentions)
            assert query.events(fast, listed) == query.events(slow, listed)
        for timing in TIMINGS:
            for order in ("oldest", "newest"):
                for mentions in (False, True):
                    timed = replace(page, timing=timing, order=order, mentions=mentions)
                    assert query.events(fast, timed) == query.events(slow, timed)
            timed = replace(page, timing=timing)
            assert query.places(fast, timed) == query.places(slow, timed)
            assert q.timeseries(fast, timed, "type") == q.timeseries(slow, timed, "type")
            assert q.period(fast, timed) == q.period(slow, timed)
        quotes = Filters(**{**_fields(page), "type": None, "factuality": ()})
        assert query.quotes(fast, quotes) == query.quotes(slow, quotes)
        for hedged in (True, False):
            hedged_page = Filters(**{**_fields(quotes), "hedged": hedged, "state_media": hedged})
            assert query.quotes(fast, hedged_page) == query.quotes(slow, hedged_page)
        listing = Filters(actor=flt.actor, country=flt.country, since=flt.since, limit=30)
        assert query.quotes(fast, listing) == query.quotes(slow, listing)
        assert query.articles(fast, listing) == query.articles(slow, listing)
        for by in ("type", "pair", "country"):
            series = q.timeseries(slow, flt, by)
            assert q.timeseries(fast, flt, by) == series
            # The API's JSON, written by DuckDB: the same values, types and order once parsed.
            count, text = q.timeseries_json(fast, flt, by)
            assert count == len(series) and json.loads(text) == series
            assert [type(r["intensity"]) for r in json.loads(text)] == [
                type(r["intensity"]) for r in series
            ]
        assert query.places(fast, page) == query.places(slow, page)
        first_place = query.places(fast, Filters(**{**_fields(flt), "limit": 1}))[1]
        if first_place:
            at = {"place": first_place[0]["name"], "lat": first_place[0]["lat"]}
            at_place = Filters(**{**_fields(page), **at, "lon": first_place[0]["lon"]})
            assert query.events(fast, at_place) == query.events(slow, at_place)
        assert query.actors(fast, page) == query.actors(slow, page)
        assert q.date_range(fast) == q.date_range(slow)
    finally:
        fast.close()
        slow.close()


def _fields(flt: Filters) -> dict[str, Any]:
    return {name: getattr(flt, name) for name in flt.__slots__}


def test_timing_splits_the_listing_of_real_events(con: duckdb.DuckDBPyConnection) -> None:
    every = 10**6
    totals = {t: query.events(con, Filters(timing=t, limit=1))[0] for t in TIMINGS}
    assert totals["background"] > 0.05 * N and totals["current"] > 0.3 * N
    assert totals["all"] == totals["current"] + totals["background"]
    _, background = query.events(con, Filters(timing="background", limit=every))
    assert all(e["id"] == e["mention_id"] and e["reports"] == 1 for e in background)
    assert {e["timing"] for e in background} == {"background"}
    _, newest = query.events(con, Filters(timing="all", order="newest", limit=every))
    days = [e["day"] for e in newest]
    dated = [d for d in days if d]
    assert dated == sorted(dated, reverse=True)
    assert days == dated + [None] * (len(days) - len(dated))  # undated last


def test_read_model_totals_match_the_page_data(con: duckdb.DuckDBPyConnection) -> None:
    total, rows = query.events(con, Filters(country="UKR", limit=5))
    series = q.timeseries(con, Filters(country="UKR"), "all")
    dated = sum(r["events"] for r in series)
    assert 0 < dated <= total and len(rows) == 5
    assert all(
        "UKR" in (r["source_country"], r["target_country"], r["place_country"]) for r in rows
    )
    days = [r["day"] for r in rows]
    assert days == sorted(days)
    past, empty = query.places(con, Filters(limit=10, offset=10**6))
    assert empty == [] and past > 0


def test_stale_read_model_falls_back_to_live_joins(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    c = connect(db)
    generate(c, 400)
    assert read_model.fresh(c)
    before = q.timeseries(c, Filters(), "all")
    c.execute(
        "INSERT INTO events (id, article_id, type, event_date) "
        "SELECT 'extra', first_article_id, 'ASSAULT', '2030-01-01' FROM canonical_events LIMIT 1"
    )
    c.execute("UPDATE canonical_events SET first_mention_id = 'extra' WHERE id = 'syn-c0'")
    assert not read_model.fresh(c)
    after = q.timeseries(c, Filters(), "all")
    assert after[-1]["day"] == "2030-01-01" and after != before
    read_model.refresh(c)
    assert read_model.fresh(c) and q.timeseries(c, Filters(), "all") == after
    c.close()


def test_event_dates_apply_to_the_event_day(con: duckdb.DuckDBPyConnection) -> None:
    """Dates filter on the event's day: an event with a month-only date counts on its
    article's day, so a listing by day never loses it."""
    for country, since, until in (("UKR", "2023-03", "2023-04"), (None, "2024-07-01", None)):
        f = Filters(type="assault", country=country, since=since, until=until)
        total, rows = query.events(con, f)
        assert total == len(rows) > 0
        assert all(since <= r["day"] for r in rows)
        assert all(r["date"] is None or r["date"][:7] >= since[:7] for r in rows)


def test_read_connection_is_reused_then_released(store: Path, tmp_path: Path) -> None:
    db = tmp_path / "pool.duckdb"
    connect(db).close()
    pool = ReadConnection(db, idle_seconds=0.2)
    with pool.read() as first:
        pass
    with pool.read() as second:
        assert second is first
    time.sleep(0.6)
    writer = connect(db)  # the idle connection was closed: a writer gets the file
    writer.close()
    per_request = ReadConnection(db, idle_seconds=0)
    with per_request.read() as one:
        pass
    with per_request.read() as two:
        assert two is not one


def test_bench_queries_end_to_end(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench-queries", "--db", str(store), "--repeat", "1", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    timings = {t["query"]: t for t in data["timings"]}
    dashboard = {
        "GET /api/stats",
        "GET /api/timeseries",
        "GET /api/places",
        "GET /api/events",
        "GET /api/quotes",
        "GET /api/stories",
        "GET /api/pairs",
        "GET /api/escalation",
        "GET /api/alerts",
    }
    assert dashboard <= set(timings)
    assert data["counts"]["events"] == N
    for name in ("GET /api/places", "GET /api/pairs", "GET /api/stories"):
        assert timings[name]["rows"] > 0
    assert all(t["p95_ms"] >= t["p50_ms"] > 0 for t in timings.values())


def test_bench_queries_builds_a_store_when_none_is_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["bench-queries", "--events", "400", "--repeat", "1", "--only", "stats"]) == 0
    out = capsys.readouterr().out
    assert "events 400" in out and "GET /api/stats" in out


def test_pair_totals_in_sql_equal_the_python_index(con: duckdb.DuckDBPyConnection) -> None:
    from sitrep.analyze.escalation import daily, load_weights, pair_totals

    weights = load_weights("")
    expected = pair_totals(daily(q.scored_events(con), weights))
    got = q.pair_totals(con, dict(weights.factuality), weights.default)
    assert got == expected and len(got) > 100


def test_quote_read_model_stale_falls_back_and_refreshes(tmp_path: Path) -> None:
    db = tmp_path / "q.duckdb"
    c = connect(db)
    generate(c, 400)
    assert read_model.quotes_fresh(c)
    before = query.quotes(c, Filters(limit=1000))
    c.execute(
        "INSERT INTO quotes (id, article_id, kind, content_start, content_text, hedged) "
        "SELECT 'extra-q', id, 'direct', 0, 'late quote', false FROM articles "
        "ORDER BY published DESC LIMIT 1"
    )
    assert not read_model.quotes_fresh(c)
    after = query.quotes(c, Filters(limit=1000))
    assert after[0] == before[0] + 1 and "extra-q" in {r["id"] for r in after[1]}
    read_model.refresh(c)
    assert read_model.quotes_fresh(c) and query.quotes(c, Filters(limit=1000)) == after
    c.close()


def test_places_carry_counts_and_latest_ids_and_lead_to_every_event(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """A place lists at most PLACE_EVENT_IDS ids (its latest), and the events filter by its
    name and coordinates gives exactly its `events` canonical events, latest first."""
    for flt in (Filters(limit=30), Filters(type="ASSAULT", country="UKR", limit=30)):
        total, found = query.places(con, flt)
        assert total > len(found) > 0
        assert any(p["events"] > query.PLACE_EVENT_IDS for p in found)
        for place in found:
            where = {"place": place["name"], "lat": place["lat"], "lon": place["lon"]}
            at = Filters(**{**_fields(flt), "limit": 10**6, **where})
            count, rows = query.events(con, at)
            assert count == len(rows) == place["events"]
            assert place["types"] == sorted({r["type"] for r in rows})
            # Latest by day; events without a day come after every dated one.
            latest = [r["id"] for r in rows if r["day"]][::-1]
            latest += [r["id"] for r in rows if not r["day"]][::-1]
            assert place["latest_event_ids"] == latest[: query.PLACE_EVENT_IDS]


def test_escalation_days_in_sql_equal_the_python_index(con: duckdb.DuckDBPyConnection) -> None:
    """pair_days groups by day in the store; escalation.daily evaluates every scored event
    in Python: same days, same ids in the same order, the same float sums, so the same
    series (baseline, z) whichever the API uses."""
    from sitrep.analyze.escalation import daily, load_weights, series

    weights = load_weights("")
    expected = daily(q.scored_events(con), weights)
    assert len(expected) > 100
    for pair, days in expected.items():
        got = q.pair_days(con, pair, dict(weights.factuality), weights.default)
        assert got == days, pair
        assert series(got, 14, 1.0, dense=True) == series(days, 14, 1.0, dense=True)
    assert q.pair_days(con, ("XXX", "YYY"), dict(weights.factuality), weights.default) == {}


def test_stories_filter_by_key_actor(con: duckdb.DuckDBPyConnection) -> None:
    total, rows = query.stories(con, Filters(actor="ACTOR 0 ukr", limit=5))
    assert total > 0 and all("Actor 0 UKR" in r["key_actors"] for r in rows)
    assert query.stories(con, Filters(actor="nobody", limit=5)) == (0, [])


def test_place_types_by_bits_equal_the_distinct_list_with_a_missing_type(
    tmp_path: Path,
) -> None:
    c = connect(tmp_path / "t.duckdb")
    generate(c, 2000)
    c.execute(
        "UPDATE events SET type = NULL WHERE id IN "
        "(SELECT first_mention_id FROM canonical_events ORDER BY id LIMIT 40)"
    )
    read_model.refresh(c)
    fast = query.places(c, Filters(limit=1000))
    assert any(None in p["types"] for p in fast[1])
    assert fast == query.places(_live(c), Filters(limit=1000))
    c.close()


def test_timeseries_json_of_nothing_is_an_empty_list(con: duckdb.DuckDBPyConnection) -> None:
    assert q.timeseries_json(con, Filters(since="2099"), "type") == (0, "[]")
