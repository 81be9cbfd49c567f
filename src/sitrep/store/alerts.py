"""Store side of alerts: replace the evaluated set, keep when each alert first fired and
when it last grew (the number of reports behind it changed)."""

from __future__ import annotations

from typing import Any

import duckdb

from sitrep.store.db import abort
from sitrep.store.read import _rows

ALERT_COLUMNS = (
    "id",
    "kind",
    "rule",
    "title",
    "day",
    "last_day",
    "source_country",
    "target_country",
    "events",
    "score",
    "zscore",
    "baseline",
    "probability",
    "event_ids",
    "article_ids",
    "why",
    "outlets",
)


# Each column's type, for the one INSERT that writes every alert (an empty or all-NULL
# list parameter has no type of its own).
_COLUMN_TYPES = {
    "events": "INTEGER",
    "score": "DOUBLE",
    "zscore": "DOUBLE",
    "baseline": "DOUBLE",
    "probability": "DOUBLE",
    "event_ids": "VARCHAR[]",
    "article_ids": "VARCHAR[]",
    "outlets": "VARCHAR[]",
}


def write_alerts(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """Replace the alerts with `rows` (dicts with ALERT_COLUMNS) in one transaction, in
    one INSERT (one per alert cost a few milliseconds each)."""
    try:
        con.execute("BEGIN TRANSACTION")
        before = {
            r[0]: r[1:]
            for r in con.execute(
                "SELECT id, first_fired, coalesce(updated_at, first_fired), len(article_ids) "
                "FROM alerts"
            ).fetchall()
        }
        con.execute("DELETE FROM alerts")
        firsts, updates = [], []
        for row in rows:
            first, updated, reports = before.get(row["id"], (None, None, None))
            if reports != len(row["article_ids"]):
                updated = None  # new, or its reports changed (the episode grew): now
            firsts.append(first)
            updates.append(updated)
        if rows:
            values = ", ".join(
                f"unnest(${n}::{_COLUMN_TYPES.get(c, 'VARCHAR')}[])"
                for n, c in enumerate(ALERT_COLUMNS, 1)
            )
            last = len(ALERT_COLUMNS)
            con.execute(
                f"INSERT INTO alerts ({', '.join(ALERT_COLUMNS)}, first_fired, updated_at, "
                f"evaluated_at) SELECT {values}, coalesce(unnest(${last + 1}::TIMESTAMP[]), utc), "
                f"coalesce(unnest(${last + 2}::TIMESTAMP[]), utc), utc "
                "FROM (SELECT now() AT TIME ZONE 'UTC' AS utc)",
                [*([row[c] for row in rows] for c in ALERT_COLUMNS), firsts, updates],
            )
        con.execute("COMMIT")
    except duckdb.Error as exc:
        raise abort(con, "writing alerts", exc) from exc


def fired_times(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """alert id → (when it first fired, when it last grew), ISO, for alerts a run stored."""
    rows = _rows(
        con,
        "SELECT id, strftime(first_fired, '%Y-%m-%dT%H:%M:%S') AS t, "
        "strftime(coalesce(updated_at, first_fired), '%Y-%m-%dT%H:%M:%S') AS u FROM alerts",
        [],
    )
    return {r["id"]: (r["t"], r["u"]) for r in rows}
