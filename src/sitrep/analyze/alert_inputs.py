"""Incremental alerts: what each canonical event contributes to the alerts, kept in the
store (store/alert_inputs.py) so that after an incremental resolution only the pair-days and
watchlist hits of the canonical events it changed are read and judged again.

The escalation model has a local part and a global one. Local: a pair-day's count of
reporting articles and whether its corroborated matter passes the evidence rules depend only
on the mentions of that pair on that day and their canonical events; they are stored per
pair-day and recomputed for the pair-days the changed events fed before or feed now. Global:
the empirical-Bayes prior (fitted over every pair's total) and the news volume (articles per
day) change with every article, so every pair is judged again, but from the stored counts
(arithmetic over a few numbers per pair-day), and the evidence is read only for the days
that fire. Watchlist rules keep the canonical events each matches; a changed event is
matched again, and each rule is judged over its hits. The result is the one a full
evaluation gives (tests/test_alerts_incremental.py); a full resolution, other settings or
rules, or a store without these inputs rebuild them from the whole store.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import duckdb

from sitrep.analyze.alert_config import AlertConfig
from sitrep.analyze.escalation_alerts import (
    CountTable,
    DayCount,
    EvidenceReader,
    PairDay,
    PairKey,
    judged_events,
    pair_days,
)
from sitrep.analyze.watchlists import Rule, matches
from sitrep.settings import AnalyzeSettings
from sitrep.store import alert_inputs as stored
from sitrep.store import api_queries

Counts = dict[tuple[str, str], dict[str, DayCount]]


def with_report_facts(
    rows: Sequence[Mapping[str, Any]], mentions: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Canonical events with what rules ask of the report they show: its timing (current or
    background) and whether its article is a reprint (a copy of another stored article:
    a copy re-dated days later is old news, never a new event or witness)."""
    by_id = {str(m["mention_id"]): m for m in mentions}
    out = []
    for row in rows:
        report = by_id.get(str(row.get("mention_id")), {})
        reprint = report.get("mention_article_id", report.get("article_id")) != report.get(
            "article_id"
        )
        out.append({**row, "timing": report.get("timing", "current"), "reprint": reprint})
    return out


def evidence_rows(
    con: duckdb.DuckDBPyConnection, ids: Sequence[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The canonical events `ids` with their report facts, and all their mentions."""
    mentions = api_queries.event_witnesses(con, ids)
    return with_report_facts(api_queries.scored_events(con, ids=ids), mentions), mentions


def is_hit(rule: Rule, row: Mapping[str, Any]) -> bool:
    """Whether a canonical event counts for a rule (as `rule_alerts` filters them)."""
    return bool(row.get("day")) and not row.get("reprint") and matches(rule, row)


def _on_keys(
    by_pair: Mapping[tuple[str, str], Mapping[str, PairDay]], keys: Collection[PairKey]
) -> dict[tuple[str, str], dict[str, PairDay]]:
    wanted = set(keys)
    out: dict[tuple[str, str], dict[str, PairDay]] = {}
    for pair, days in by_pair.items():
        for day, point in days.items():
            if (pair, day) in wanted:
                out.setdefault(pair, {})[day] = point
    return out


def _as_store_keys(keys: Iterable[PairKey]) -> set[stored.Key]:
    return {(pair[0], pair[1], day) for pair, day in keys}


def evidence_reader(con: duckdb.DuckDBPyConnection, config: AlertConfig) -> EvidenceReader:
    """Reads the evidence of some pair-days from the store (inputs up to date): the
    canonical events that feed them, all those events' mentions, judged as a full
    evaluation judges them."""

    def read(keys: Collection[PairKey]) -> dict[tuple[str, str], dict[str, PairDay]]:
        ids = stored.events_on(con, _as_store_keys(keys))
        rows, mentions = evidence_rows(con, ids)
        return _on_keys(pair_days(rows, mentions, config.analyze, config.weights), keys)

    return read


def stored_counts(con: duckdb.DuckDBPyConnection) -> CountTable:
    """The count table from the stored pair-days: the totals and days aggregated in the
    store, the days of only the pairs that may fire read one by one."""
    firing: Counts = {}
    for source, target, day, reports, judged in stored.firing_pair_days(con):
        firing.setdefault((source, target), {})[day] = DayCount(reports, judged)
    return CountTable(stored.pair_totals(con), stored.pair_day_days(con), firing)


def hit_rows(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict[str, Any]]]:
    """Watchlist rule → the canonical events it matches, as `evidence_rows` gave them when
    they were judged, in the order of `scored_events` (day, then id)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for rule, row in stored.rule_hit_rows(con):
        out.setdefault(rule, []).append(json.loads(row))
    return out


def _hits(rules: Sequence[Rule], rows: Sequence[Mapping[str, Any]]) -> list[stored.Hit]:
    """(rule, event, day, row as JSON) of each rule that counts each row: the row is what
    the rule is judged over later, kept as it is now (an event whose row changes is judged
    again: analyze/alert_inputs.py)."""
    return [
        (rule.id, str(row["id"]), str(row["day"]), json.dumps(row))
        for row in rows
        for rule in rules
        if is_hit(rule, row)
    ]


def _local(
    by_pair: Mapping[tuple[str, str], Mapping[str, PairDay]], cfg: AnalyzeSettings
) -> tuple[dict[stored.Key, tuple[int, bool]], set[tuple[str, stored.Key]]]:
    """Per pair-day its count and judgement, and which canonical events feed it."""
    counts: dict[stored.Key, tuple[int, bool]] = {}
    feeds: set[tuple[str, stored.Key]] = set()
    for (source, target), days in by_pair.items():
        for day, point in days.items():
            key = (source, target, day)
            counts[key] = (point.count, bool(judged_events(point, cfg)))
            feeds.update((event, key) for event in point.events)
    return counts, feeds


def rebuild(
    con: duckdb.DuckDBPyConnection,
    config: AlertConfig,
    by_pair: Mapping[tuple[str, str], Mapping[str, PairDay]],
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """Store the inputs of a full evaluation (its pair-days and every canonical event)."""
    counts, feeds = _local(by_pair, config.analyze)
    stored.write_inputs(con, counts, feeds, _hits(config.rules, rows), None, config.digest)


def bring_up_to_date(con: duckdb.DuckDBPyConnection, config: AlertConfig) -> bool:
    """Judge again what the canonical events changed since the last update touch: the
    pair-days they fed and feed now, and their watchlist hits. False when the stored inputs
    cannot be built on (the caller rebuilds them from a full evaluation)."""
    if stored.inputs_state(con) != config.digest:
        return False
    stale = stored.stale_events(con)
    if not stale:
        return True
    cfg, weights = config.analyze, config.weights
    rows, mentions = evidence_rows(con, stored.existing_events(con, stale))
    now = _local(pair_days(rows, mentions, cfg, weights), cfg)[1]
    touched = stored.keys_of_events(con, stale) | {key for _, key in now}
    keys = [((s, t), d) for s, t, d in touched]
    # The pair-days' other events are unchanged, so what they fed is what they feed.
    others = sorted(set(stored.events_on(con, touched)) - set(stale))
    more_rows, more_mentions = evidence_rows(con, others)
    # In the order the store gives them (as a full evaluation reads them).
    every = sorted([*mentions, *more_mentions], key=lambda m: (m["canonical_id"], m["mention_id"]))
    by_pair = pair_days([*rows, *more_rows], every, cfg, weights)
    counts, feeds = _local(_on_keys(by_pair, keys), cfg)
    hits = _hits(config.rules, rows)
    stored.write_inputs(con, counts, feeds, hits, (touched, stale), config.digest)
    return True


def fresh(con: duckdb.DuckDBPyConnection, config: AlertConfig) -> bool:
    """Whether the stored inputs are those of the store's canonical events now."""
    return stored.inputs_state(con) == config.digest and not stored.stale_events(con)
