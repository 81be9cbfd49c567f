"""`sitrep alerts --follow`: one JSON line per alert as it fires or grows, each alert
version once, also across restarts (channel "stdout" of the delivery table).

Each look opens the store only for the moment it takes and only when the file changed,
so a `sitrep run` in another process can take the write lock between looks (a look that
finds the store locked is skipped). A line is recorded right after it is written: a
process killed between the two writes that line again after a restart, never loses one.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from sitrep.analyze.alert_record import Alert
from sitrep.analyze.alerts import evaluate_alerts
from sitrep.deliver.due import document, due_alerts
from sitrep.errors import StoreError
from sitrep.settings import Settings
from sitrep.store.db import connect, file_state
from sitrep.store.deliveries import DELIVERED, channel_state, record_delivery

CHANNEL = "stdout"


def emit_due(
    con: duckdb.DuckDBPyConnection, alerts: Sequence[Alert], emit: Callable[[str], None]
) -> int:
    """Write each due alert as one JSON line (ASCII: no terminal control survives), then
    record it; returns how many were written."""
    due = due_alerts(alerts, channel_state(con, CHANNEL))
    for item in due:
        emit(json.dumps(document(item), ensure_ascii=True, default=str))
        record_delivery(con, item.alert.id, item.version, CHANNEL, status=DELIVERED, attempts=1)
    return len(due)


def follow(
    db: Path,
    settings: Settings,
    emit: Callable[[str], None],
    *,
    every: float,
    polls: int | None,
    stop: threading.Event,
    on_skip: Callable[[str], None],
) -> int:
    """Look at the store every `every` seconds until `stop` is set or after `polls` looks;
    write what is due. Returns the lines written. (The webhook is left to `sitrep run` and
    `--deliver`: its retries would hold the store's lock against a run for seconds.)"""
    if not db.exists():
        raise StoreError(f"store {db} does not exist (create it with `sitrep run`)")
    seen: tuple[int, ...] | None = None
    looks = written = 0
    while True:  # at least one look, even when stopped before it
        if file_state(db) != seen:
            try:
                con = connect(db, memory_limit=settings.store.memory_limit)
            except StoreError as exc:
                on_skip(f"store busy, looking again in {every:g} s ({exc})")
            else:
                try:
                    alerts = evaluate_alerts(con, settings)
                    written += emit_due(con, alerts, emit)
                finally:
                    con.close()
                seen = file_state(db)  # after our own writes
        looks += 1
        if stop.is_set() or (polls is not None and looks >= polls):
            break
        stop.wait(every)
    return written
