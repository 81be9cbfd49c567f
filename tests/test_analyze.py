"""Escalation index, watchlists and alerts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from api_store import build_escalation_store
from sitrep.analyze.alerts import evaluate_alerts, record_alerts, rule_alerts
from sitrep.analyze.escalation import daily, event_score, load_weights, series, trend
from sitrep.analyze.watchlists import load_rules, matches, neighbours, parse_rules
from sitrep.errors import ConfigError
from sitrep.settings import Settings
from sitrep.store.db import connect


def _event(n: int, day: str, **fields: Any) -> dict[str, Any]:
    base = {
        "id": f"c{n}",
        "day": day,
        "type": "MOBILIZE",
        "factuality": "asserted",
        "intensity": -5.5,
        "source_country": "BLR",
        "pair_target": "UKR",
        "target_country": None,
        "place_country": "UKR",
        "sentence": "Belarus moved troops to the border.",
        "lat": None,
        "lon": None,
        "independent_sources": 1,
        "article_id": f"a{n}",
        "outlet": "Reuters",
    }
    return {**base, **fields}


def test_factuality_weights_are_documented_data() -> None:
    weights = load_weights()
    assert weights.of("asserted") == weights.of("reported") == 1.0
    assert weights.of("uncertain") == weights.of("future") == 0.5
    assert weights.of("conditional") == weights.of("hypothetical") == 0.3
    assert weights.of("negated") == 0.0
    assert event_score(_event(1, "2024-01-01", factuality="negated"), weights) == 0.0
    assert event_score(_event(1, "2024-01-01", factuality="conditional"), weights) == pytest.approx(
        1.65
    )
    assert event_score(_event(1, "2024-01-01", intensity=9.5), weights) < 0  # cooperation


def test_weights_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "w.yaml"
    bad.write_text("factuality: [1, 2]\n")
    with pytest.raises(ConfigError):
        load_weights(str(bad))
    with pytest.raises(ConfigError, match="cannot read"):
        load_weights(str(tmp_path / "missing.yaml"))


def test_baseline_and_z_score() -> None:
    weights = load_weights()
    quiet = [_event(n, f"2024-01-{n:02d}", intensity=-2.0) for n in range(1, 15)]
    spike = [_event(100 + n, "2024-01-15") for n in range(4)]
    days = daily([*quiet, *spike], weights)[("BLR", "UKR")]
    points = series(days, baseline_days=14, min_spread=1.0)
    last = points[-1]
    assert last.day == "2024-01-15" and last.score == 22.0 and last.baseline == 2.0
    assert last.spread == 0.0 and last.z == 20.0  # floored spread of 1.0
    # Day 2: 2.0 against 14 days holding one 2.0 (mean 0.143, spread 0.515 floored to 1).
    assert points[1].baseline == 0.143 and points[1].z == 1.86
    dense = series(days, 14, 1.0, dense=True)
    assert len(dense) == 15
    assert trend(points, 7)["direction"] == "up"


def _series_by_dates(
    days: dict[str, tuple[float, list[str]]], baseline_days: int, min_spread: float, dense: bool
) -> list[Any]:
    """The definition `series` had before it indexed a list: every window read by date."""
    import datetime as dt
    import math

    from sitrep.analyze.escalation import DayScore

    if not days:
        return []
    by_date = {dt.date.fromisoformat(d[:10]): v for d, v in days.items()}
    first, last = min(by_date), max(by_date)
    wanted = (
        [first + dt.timedelta(n) for n in range((last - first).days + 1)]
        if dense
        else sorted(by_date)
    )
    out = []
    for when in wanted:
        score, ids = by_date.get(when, (0.0, []))
        window = [
            by_date.get(when - dt.timedelta(n), (0.0, []))[0] for n in range(1, baseline_days + 1)
        ]
        mean = sum(window) / len(window) if window else 0.0
        spread = math.sqrt(sum((x - mean) ** 2 for x in window) / len(window)) if window else 0.0
        z = (score - mean) / max(spread, min_spread, 1e-9)
        rounded = (round(score, 3), len(ids), round(mean, 3), round(spread, 3), round(z, 2))
        out.append(DayScore(when.isoformat(), *rounded, tuple(ids)))
    return out


@hsettings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.integers(0, 120),
        st.tuples(
            st.floats(-50, 50, allow_nan=False), st.lists(st.text("abc", min_size=1), max_size=3)
        ),
        max_size=30,
    ),
    st.integers(0, 20),
    st.booleans(),
)
def test_series_by_index_equals_the_series_by_dates(
    offsets: dict[int, tuple[float, list[str]]], baseline_days: int, dense: bool
) -> None:
    import datetime as dt

    start = dt.date(2023, 12, 20)
    days = {(start + dt.timedelta(k)).isoformat(): v for k, v in offsets.items()}
    expected = _series_by_dates(days, baseline_days, 1.0, dense)
    assert series(days, baseline_days, 1.0, dense=dense) == expected


def test_pairs_need_both_countries() -> None:
    weights = load_weights()
    scores = daily([_event(1, "2024-01-01", pair_target=None), _event(2, "")], weights)
    assert scores == {}


def test_packaged_rules_and_matching() -> None:
    rules = {r.id: r for r in load_rules([])}
    belarus = rules["blr-mobilize-ukr-border"]
    assert matches(belarus, _event(1, "2024-01-01"))
    assert not matches(belarus, _event(1, "2024-01-01", factuality="negated"))
    assert not matches(
        belarus,
        _event(1, "2024-01-01", pair_target="POL", place_country="POL", sentence="to Poland."),
    )
    near = _event(1, "2024-01-01", pair_target=None, place_country="BLR", lat=52.1, lon=23.7,
                  sentence="Troops moved to Brest.")  # fmt: skip
    assert matches(belarus, near)
    leader = rules["leader-threaten-neighbour"]
    threat = _event(
        2, "2024-01-02", type="THREATEN", source_actor_id="BLR.GOV.lukashenko",
        factuality="reported", timing="current", trigger="threatened",
        sentence="Lukashenko threatened Poland with retaliation.",
        target_actor_id="POL", target_country="POL", pair_target="POL",
    )  # fmt: skip
    assert matches(leader, threat)
    assert not matches(leader, {**threat, "target_country": "USA", "pair_target": "USA",
                                "target_actor_id": "USA"})  # fmt: skip
    assert "UKR" in neighbours()["BLR"] and "POL" in neighbours()["BLR"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: {}", "rules"),
        ("rules: [{id: a}]", "id and a title"),
        ("rules: [{id: a, title: A, match: {colour: [red]}}]", "unknown keys"),
        ("rules: [{id: a, title: A, match: {target: enemy}}]", "target"),
        ("rules: [{id: a, title: A, window_days: 0}]", "at least 1"),
        ("rules: [{id: a, title: A}, {id: a, title: B}]", "unique"),
        ("rules: [{id: a, title: A, any: {type: X}}]", "list"),
        ("rules: [", "invalid YAML"),
    ],
)
def test_bad_watchlists_fail_loudly(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_rules(text, "user.yaml")


def test_user_watchlist_replaces_and_adds(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        "rules:\n"
        "  - {id: blr-mobilize-ukr-border, title: Replaced, match: {type: [ASSAULT]}}\n"
        "  - {id: mine, title: Mine, match: {type: [PROTEST]}, window_days: 3, min_events: 2}\n"
    )
    rules = {r.id: r for r in load_rules([str(user)])}
    assert rules["blr-mobilize-ukr-border"].title == "Replaced" and "mine" in rules
    assert [r.id for r in load_rules([str(user)], include_defaults=False)] == [
        "blr-mobilize-ukr-border",
        "mine",
    ]


def test_rule_episodes() -> None:
    rule = parse_rules(
        "rules: [{id: r, title: R, match: {type: [MOBILIZE]}, window_days: 3, min_events: 2}]",
        "t",
    )[0]
    rows = [
        _event(1, "2024-01-01"),
        _event(2, "2024-01-02"),  # 2 in 3 days: fires
        _event(3, "2024-01-03"),  # same episode
        _event(4, "2024-01-20"),  # alone: no
        _event(5, "2024-02-01"),
        _event(6, "2024-02-03"),  # second episode
        _event(7, "2024-02-03", type="ASSAULT"),  # does not match
    ]
    alerts = rule_alerts(rule, rows)
    assert [(a.day, a.last_day, a.events) for a in alerts] == [
        ("2024-01-02", "2024-01-03", 3),
        ("2024-02-03", "2024-02-03", 2),
    ]
    assert alerts[0].event_ids == ("c1", "c2", "c3")
    assert "at least 2 in 3 days" in alerts[0].why


def _episodes_by_definition(rows: list[dict[str, Any]], window: int, least: int) -> list[Any]:
    """The rule as written: on each hit's day, the hits of the trailing window so far."""
    import datetime as dt

    hits = sorted((r for r in rows if r["type"] == "MOBILIZE"), key=lambda r: r["day"])
    span = dt.timedelta(days=window)
    out: list[Any] = []
    episode: list[dict[str, Any]] = []
    start = None
    for n, hit in enumerate(hits):
        day = dt.date.fromisoformat(hit["day"])
        seen = [h for h in hits[: n + 1] if day - dt.date.fromisoformat(h["day"]) < span]
        if len(seen) < least:
            continue
        last = dt.date.fromisoformat(episode[-1]["day"]) if episode else None
        if start is None or (last is not None and day - last >= span):
            if start is not None:
                out.append((start, [e["id"] for e in episode]))
            start, episode = hit["day"], []
        episode += [h for h in seen if h not in episode]
    if start is not None:
        out.append((start, [e["id"] for e in episode]))
    return out


@hsettings(max_examples=60, deadline=None)
@given(
    days=st.lists(st.integers(0, 40), min_size=0, max_size=40),
    kinds=st.lists(st.booleans(), min_size=40, max_size=40),
    window=st.integers(1, 6),
    least=st.integers(1, 4),
)
def test_rule_episodes_equal_the_definition(
    days: list[int], kinds: list[bool], window: int, least: int
) -> None:
    import datetime as dt

    base = dt.date(2024, 1, 1)
    rows = [
        _event(n, (base + dt.timedelta(days=d)).isoformat(), type="MOBILIZE" if k else "ASSAULT")
        for n, (d, k) in enumerate(zip(days, kinds, strict=False))
    ]
    rule = parse_rules(
        "rules: [{id: r, title: R, match: {type: [MOBILIZE]}, "
        f"window_days: {window}, min_events: {least}}}]",
        "t",
    )[0]
    got = [(a.day, list(a.event_ids)) for a in rule_alerts(rule, rows)]
    assert got == _episodes_by_definition(rows, window, least)


def test_alerts_over_a_store_and_first_fired_is_kept(tmp_path: Path, settings: Settings) -> None:
    db = build_escalation_store(tmp_path)
    con = connect(db)
    stored = record_alerts(con, settings)
    assert stored and all(a.first_fired for a in stored)
    again = record_alerts(con, settings)
    assert {a.id: a.first_fired for a in again} == {a.id: a.first_fired for a in stored}
    con.close()
    con = connect(db, read_only=True)
    alerts = evaluate_alerts(con, settings)
    con.close()
    kinds = {a.kind for a in alerts}
    assert kinds == {"escalation", "watchlist"}
    (escalation,) = [a for a in alerts if a.kind == "escalation"]
    assert (escalation.source_country, escalation.target_country) == ("AZE", "ARM")
    assert escalation.day == "2024-09-10" and len(escalation.outlets) >= 2
    assert len(escalation.article_ids) >= 2 and escalation.first_fired
    threat = next(a for a in alerts if a.rule == "leader-threaten-neighbour")
    assert threat.evidence and all(e["article_id"] for e in threat.evidence)
    no_defaults = settings.with_overrides({"analyze": {"default_watchlists": False}})
    con = connect(db, read_only=True)
    assert {a.kind for a in evaluate_alerts(con, no_defaults)} == {"escalation"}
    con.close()
