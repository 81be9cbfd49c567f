"""A store as an older sitrep wrote it: the migrations before a given one applied and
recorded, for tests that an old store is migrated on open."""

from __future__ import annotations

from pathlib import Path

import duckdb

from sitrep.store.db import migrations


def store_before(path: Path, version: int) -> duckdb.DuckDBPyConnection:
    """Create a store at `path` with migrations 1 … `version` − 1 applied; the caller adds
    rows and closes the connection."""
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT now())"
    )
    for number, name, sql in migrations():
        if number < version:
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name]
            )
    return con
