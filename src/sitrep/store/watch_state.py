"""What `sitrep watch` remembers per source (migration 010): validators for conditional
GET, entries already taken, failures and the backoff they earned.

It is written inside the transaction of a poll's articles (`write_batch(..., also=...)`),
so a watcher killed mid-poll leaves neither half a batch nor a seen-mark without its article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from sitrep.store.write import insert_rows

_RESOLVE_DUE = "resolution"


@dataclass(slots=True)
class SourceState:
    source: str
    kind: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_poll_at: float | None = None
    last_polled_at: float | None = None
    last_status: str | None = None


@dataclass(frozen=True, slots=True)
class SeenEntry:
    source: str
    key: str
    article_id: str | None
    text_from: str
    note: str | None


_STATE_COLUMNS = (
    "source",
    "kind",
    "etag",
    "last_modified",
    "failures",
    "next_poll_at",
    "last_polled_at",
    "last_status",
)


def load_states(con: duckdb.DuckDBPyConnection, sources: Sequence[str]) -> dict[str, SourceState]:
    """The state of every source in `sources` (a fresh one for a source never polled)."""
    rows = con.execute(
        f"SELECT {', '.join(_STATE_COLUMNS)} FROM watch_sources "
        "WHERE source IN (SELECT unnest($1))",
        [list(sources)],
    ).fetchall()
    known = {row[0]: SourceState(*row) for row in rows}
    return {source: known.get(source) or SourceState(source) for source in sources}


def seen_keys(con: duckdb.DuckDBPyConnection, source: str, keys: Sequence[str]) -> set[str]:
    """Those of `keys` that `source` has already given."""
    if not keys:
        return set()
    rows = con.execute(
        "SELECT key FROM watch_seen WHERE source = $1 AND key IN (SELECT unnest($2))",
        [source, list(keys)],
    ).fetchall()
    return {row[0] for row in rows}


def write_watch_state(
    con: duckdb.DuckDBPyConnection,
    states: Sequence[SourceState],
    seen: Sequence[SeenEntry],
    *,
    resolution_due: bool,
) -> None:
    """Source states and seen entries (call inside the batch's transaction)."""
    state_rows = [{c: getattr(state, c) for c in _STATE_COLUMNS} for state in states]
    insert_rows(con, "watch_sources", state_rows)
    unique = {(entry.source, entry.key): entry for entry in seen}
    seen_rows = [
        {
            "source": entry.source,
            "key": entry.key,
            "article_id": entry.article_id,
            "text_from": entry.text_from,
            "note": entry.note,
        }
        for entry in unique.values()
    ]
    insert_rows(con, "watch_seen", seen_rows)
    if resolution_due:
        con.execute("INSERT OR REPLACE INTO watch_pending VALUES ($1)", [_RESOLVE_DUE])


def resolution_due(con: duckdb.DuckDBPyConnection) -> bool:
    """A poll stored articles that resolution has not yet run over (perhaps killed)."""
    row = con.execute("SELECT count(*) FROM watch_pending WHERE name = $1", [_RESOLVE_DUE])
    found = row.fetchone()
    return bool(found and found[0])


def resolution_done(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM watch_pending WHERE name = $1", [_RESOLVE_DUE])
