"""Store side of alerts: replace the evaluated set, keep when each alert first fired."""

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


def write_alerts(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """Replace the alerts with `rows` (dicts with ALERT_COLUMNS) in one transaction."""
    try:
        con.execute("BEGIN TRANSACTION")
        first = dict(con.execute("SELECT id, first_fired FROM alerts").fetchall())
        con.execute("DELETE FROM alerts")
        for row in rows:
            con.execute(
                f"INSERT INTO alerts ({', '.join(ALERT_COLUMNS)}, first_fired, evaluated_at) "
                f"VALUES ({', '.join('?' * len(ALERT_COLUMNS))}, coalesce(?, now()), now())",
                [*(row[c] for c in ALERT_COLUMNS), first.get(row["id"])],
            )
        con.execute("COMMIT")
    except duckdb.Error as exc:
        raise abort(con, "writing alerts", exc) from exc


def first_fired(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """alert id → when it first fired (ISO), for alerts a run has stored."""
    rows = _rows(con, "SELECT id, strftime(first_fired, '%Y-%m-%dT%H:%M:%S') AS t FROM alerts", [])
    return {r["id"]: r["t"] for r in rows}
