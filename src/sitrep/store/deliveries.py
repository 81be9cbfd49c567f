"""Store side of alert delivery (migration 011): what went out on which channel.

A version is the number of reports behind the alert when it went out; an episode that
grows has a new version. Each row is written in its own statement (DuckDB commits it at
once), right after the delivery it records, so a killed process repeats at most the one
delivery in flight (its key lets the receiver drop the copy) and loses none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from sitrep.errors import StoreError

DELIVERED, FAILED = "delivered", "failed"


@dataclass(frozen=True, slots=True)
class ChannelState:
    """What a channel already has: alert id → the largest version delivered, and the
    (alert id, version) pairs whose last pass gave up."""

    delivered: dict[str, int]
    failed: frozenset[tuple[str, int]]


def channel_state(con: duckdb.DuckDBPyConnection, channel: str) -> ChannelState:
    rows = con.execute(
        "SELECT alert_id, version, status FROM alert_deliveries WHERE channel = ?", [channel]
    ).fetchall()
    delivered: dict[str, int] = {}
    failed: set[tuple[str, int]] = set()
    for alert_id, version, status in rows:
        if status == DELIVERED:
            delivered[alert_id] = max(version, delivered.get(alert_id, version))
        else:
            failed.add((alert_id, version))
    return ChannelState(delivered, frozenset(failed))


def record_delivery(
    con: duckdb.DuckDBPyConnection,
    alert_id: str,
    version: int,
    channel: str,
    *,
    status: str,
    attempts: int,
    detail: str = "",
) -> None:
    """Store the outcome of one delivery; a failure's attempts add up over passes."""
    try:
        con.execute(
            "INSERT INTO alert_deliveries "
            "(alert_id, version, channel, status, attempts, detail, delivered_at) "
            "VALUES (?, ?, ?, ?, ?, ?, now() AT TIME ZONE 'UTC') "
            "ON CONFLICT (alert_id, version, channel) DO UPDATE SET status = excluded.status, "
            "attempts = alert_deliveries.attempts + excluded.attempts, "
            "detail = excluded.detail, delivered_at = excluded.delivered_at",
            [alert_id, version, channel, status, attempts, detail],
        )
    except duckdb.Error as exc:
        raise StoreError(f"recording the delivery of alert {alert_id} failed: {exc}") from exc


def deliveries(con: duckdb.DuckDBPyConnection, channel: str | None = None) -> list[tuple[Any, ...]]:
    """(alert_id, version, channel, status, attempts, detail) rows, oldest first."""
    where, params = ("WHERE channel = ?", [channel]) if channel else ("", [])
    return con.execute(
        "SELECT alert_id, version, channel, status, attempts, detail FROM alert_deliveries "
        f"{where} ORDER BY delivered_at, alert_id, version",
        params,
    ).fetchall()
