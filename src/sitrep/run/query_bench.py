"""Query benchmark: the dashboard's API calls and the CLI listings on a large store.

`sitrep bench-queries [--events N] [--db PATH]` builds a synthetic store of N event mentions
(store/synthetic.py) in a temporary folder, or uses the store at PATH, then sends each
dashboard request through the real FastAPI app (in process, no network) many times with
varied filters, and runs the CLI listing queries the same way. Each request opens the store
read-only as the server does, so the times include what a user waits for minus the network.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import UsageError
from sitrep.settings import Settings
from sitrep.store import query, read
from sitrep.store.db import connect
from sitrep.store.filters import Filters
from sitrep.store.synthetic import generate


@dataclass(frozen=True, slots=True)
class Timing:
    query: str
    runs: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    cpu_p95_ms: float  # CPU time of this process (all threads): steadier on a busy machine
    rows: int  # rows of the last run, to see the queries return something


@dataclass(slots=True)
class QueryBench:
    db: str
    counts: dict[str, int]
    build_seconds: float
    timings: list[Timing]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "timings": [asdict(t) for t in self.timings]}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


@dataclass(frozen=True, slots=True)
class _Vocab:
    countries: list[str]
    types: list[str]
    actors: list[str]
    months: list[str]
    articles: list[str]
    pairs: list[tuple[str, str]]


def _vocab(db: Path) -> _Vocab:
    """Filter values present in the store, most frequent first (users ask for those)."""
    con = connect(db, read_only=True)
    try:

        def column(sql: str) -> list[str]:
            return [str(r[0]) for r in con.execute(sql).fetchall() if r[0] is not None]

        countries = column(
            "SELECT source_country FROM events GROUP BY 1 ORDER BY count(*) DESC LIMIT 30"
        )
        types = column("SELECT type FROM events GROUP BY 1 ORDER BY count(*) DESC")
        actors = column("SELECT source_name FROM events GROUP BY 1 ORDER BY count(*) DESC LIMIT 40")
        months = column(
            "SELECT DISTINCT substr(published, 1, 7) FROM articles WHERE published IS NOT NULL"
        )
        articles = column("SELECT id FROM articles USING SAMPLE 200 ROWS")
        pairs = [
            (str(s), str(t))
            for s, t in con.execute(
                "SELECT source_country, target_country FROM events WHERE target_country "
                "IS NOT NULL AND source_country <> target_country "
                "GROUP BY ALL ORDER BY count(*) DESC LIMIT 20"
            ).fetchall()
        ]
    finally:
        con.close()
    if not (countries and types and months and articles):
        raise UsageError(f"store {db} has no events to benchmark queries on")
    return _Vocab(countries, types, actors, sorted(months), articles, pairs or [("RUS", "UKR")])


def _filters(rng: random.Random, v: _Vocab, *, facts: bool = True) -> dict[str, str]:
    """A mix like a dashboard session: often none, often a country, a type or a period."""
    out: dict[str, str] = {}
    if rng.random() < 0.35:
        out["country"] = v.countries[min(int(rng.expovariate(0.25)), len(v.countries) - 1)]
    if rng.random() < 0.25:
        out["type"] = rng.choice(v.types[:8]) if rng.random() < 0.8 else rng.choice(v.types)
    if rng.random() < 0.35:
        first = rng.randrange(len(v.months))
        last = min(len(v.months) - 1, first + rng.choice([0, 0, 1, 2, 11]))
        out["since"], out["until"] = v.months[first], v.months[last]
    if v.actors and rng.random() < 0.1:
        out["actor"] = rng.choice(v.actors)
    if facts and rng.random() < 0.1:
        out["factuality"] = "asserted,reported"
    return out


Request = Callable[[random.Random], tuple[str, dict[str, Any]]]


def _requests(v: _Vocab) -> dict[str, Request]:
    """Dashboard calls (views/static/app.js) with the parameters it sends."""

    def f(**extra: Any) -> Callable[[random.Random], dict[str, Any]]:
        return lambda rng: {**_filters(rng, v), **extra}

    def story_filters(rng: random.Random) -> dict[str, Any]:
        dates = _filters(rng, v)
        return {k: dates[k] for k in ("since", "until") if k in dates} | {"limit": 200}

    def quote_filters(rng: random.Random) -> dict[str, Any]:
        found = _filters(rng, v, facts=False)
        found.pop("type", None)
        return found | {"limit": 1000}

    timeseries, places = f(by="type"), f(limit=1000)
    return {
        "GET /api/stats": lambda rng: ("/api/stats", {}),
        "GET /api/timeseries": lambda rng: ("/api/timeseries", timeseries(rng)),
        "GET /api/places": lambda rng: ("/api/places", places(rng)),
        "GET /api/events": lambda rng: (
            "/api/events",
            {
                **_filters(rng, v),
                "limit": 50,
                "offset": rng.choice([0, 0, 0, 50, 500]),
                "order": "newest",
            },
        ),
        "GET /api/events?mentions": lambda rng: (
            "/api/events",
            {**_filters(rng, v), "limit": 50, "mentions": "true", "order": "newest"},
        ),
        # "Show background events": canonical events and background mentions together.
        "GET /api/events?timing=all": lambda rng: (
            "/api/events",
            {**_filters(rng, v), "limit": 50, "timing": "all", "order": "newest"},
        ),
        "GET /api/quotes": lambda rng: ("/api/quotes", quote_filters(rng)),
        "GET /api/stories": lambda rng: ("/api/stories", story_filters(rng)),
        "GET /api/articles/{id}": lambda rng: (f"/api/articles/{rng.choice(v.articles)}", {}),
        "GET /api/pairs": lambda rng: ("/api/pairs", {"limit": 40}),
        "GET /api/escalation": lambda rng: (
            "/api/escalation",
            dict(zip(("source", "target"), rng.choice(v.pairs), strict=True)),
        ),
        "GET /api/alerts": lambda rng: ("/api/alerts", {"limit": 100}),
    }


def _cli_queries(v: _Vocab) -> dict[str, Callable[[Any, random.Random], int]]:
    """The listing queries of `sitrep events|quotes|articles` with a row limit."""

    def flt(rng: random.Random, mentions: bool = False) -> Filters:
        found = _filters(rng, v, facts=False)
        return Filters(
            type=found.get("type"),
            actor=found.get("actor"),
            country=found.get("country"),
            since=found.get("since"),
            until=found.get("until"),
            mentions=mentions,
            limit=100,
        )

    return {
        "sitrep events --limit 100": lambda con, rng: len(query.events(con, flt(rng))[1]),
        "sitrep events --mentions --limit 100": lambda con, rng: len(
            query.events(con, flt(rng, mentions=True))[1]
        ),
        "sitrep quotes --limit 100": lambda con, rng: len(query.quotes(con, flt(rng))[1]),
    }


def _time(run: Callable[[], int], repeat: int, name: str) -> Timing:
    run()  # warm the OS cache and DuckDB's: the first request of a session is not typical
    took: list[float] = []
    cpu: list[float] = []
    rows = 0
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        rows = run()
        took.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return Timing(
        name,
        repeat,
        round(statistics.median(took), 1),
        round(_percentile(took, 0.95), 1),
        round(max(took), 1),
        round(_percentile(cpu, 0.95), 1),
        rows,
    )


def bench_store(
    db: Path, settings: Settings, repeat: int, seed: int = 0, only: str | None = None
) -> list[Timing]:
    """Time every dashboard request and CLI listing on the store at `db`."""
    from fastapi.testclient import TestClient

    from sitrep.views.api import create_app

    vocab = _vocab(db)
    rng = random.Random(seed)
    client = TestClient(create_app(db, settings))
    timings: list[Timing] = []
    for name, make in _requests(vocab).items():
        if only and only not in name:
            continue

        def call(make: Request = make, name: str = name) -> int:
            path, params = make(rng)
            response = client.get(path, params=params)
            if response.status_code != 200:
                raise UsageError(f"{name} {params}: HTTP {response.status_code} {response.text}")
            body = response.json()
            items = body.get("items", body.get("series", body.get("counts")))
            return len(items) if isinstance(items, (list, dict)) else 1

        timings.append(_time(call, repeat, name))
    for name, cli_query in _cli_queries(vocab).items():
        if only and only not in name:
            continue

        def listing(run: Callable[[Any, random.Random], int] = cli_query) -> int:
            con = connect(db, read_only=True)
            try:
                return run(con, rng)
            finally:
                con.close()

        timings.append(_time(listing, repeat, name))
    return timings


def build_store(db: Path, events: int) -> dict[str, int]:
    """A new synthetic store at `db` (which must not exist yet)."""
    if db.exists():
        raise UsageError(f"{db} exists; pass it with --db to benchmark it, or choose a new path")
    con = connect(db)
    try:
        return generate(con, events)
    finally:
        con.close()


def run_query_bench(
    settings: Settings,
    *,
    events: int,
    db: Path | None = None,
    repeat: int = 30,
    seed: int = 0,
    only: str | None = None,
) -> QueryBench:
    """Benchmark the store at `db`, or a new synthetic one of `events` mentions when `db` is
    None or does not exist yet (then it is kept at `db`)."""
    with tempfile.TemporaryDirectory(prefix="sitrep-qbench-") as tmp:
        target = db if db is not None else Path(tmp) / "synthetic.duckdb"
        began = time.perf_counter()
        if target.exists():
            con = connect(target, read_only=True)
            counts = read.stats(con)
            con.close()
        else:
            counts = build_store(target, events)
        built = time.perf_counter() - began
        timings = bench_store(target, settings, repeat, seed, only)
    return QueryBench(str(db or "(temporary)"), counts, round(built, 1), timings)
