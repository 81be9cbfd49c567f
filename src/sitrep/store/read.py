"""Read queries over the store: stats, the summary, exports. The filtered listings are
store/query.py's. All SQL lives in store/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from sitrep.errors import OutputError, UsageError

TABLES = (
    "articles",
    "entities",
    "places",
    "times",
    "quotes",
    "events",
    "rejects",
    "stories",
    "canonical_events",
)
EXPORT_FORMATS = {
    "parquet": "(FORMAT PARQUET)",
    "csv": "(FORMAT CSV, HEADER)",
    "jsonl": "(FORMAT JSON)",
}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def stats(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = {}
    for table in TABLES:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def summary(con: duckdb.DuckDBPyConnection, top: int = 10) -> dict[str, Any]:
    """What the demo prints: counts, events by type and factuality, top actors, quotes."""
    by_type = con.execute(
        "SELECT type, count(*) FROM events GROUP BY type ORDER BY count(*) DESC, type"
    ).fetchall()
    by_fact = con.execute(
        "SELECT factuality, count(*) FROM events GROUP BY factuality ORDER BY count(*) DESC"
    ).fetchall()
    actors = con.execute(
        "SELECT name, country, sector, count(*) AS n FROM ("
        " SELECT source_name AS name, source_country AS country, source_sector AS sector"
        " FROM events WHERE source_actor_id IS NOT NULL"
        " UNION ALL SELECT target_name, target_country, target_sector FROM events"
        " WHERE target_actor_id IS NOT NULL) GROUP BY ALL ORDER BY n DESC, name LIMIT ?",
        [top],
    ).fetchall()
    quotes = _rows(
        con,
        "SELECT q.speaker_name AS speaker, q.via_sources AS via, q.kind, q.hedged, "
        "q.content_text AS content FROM quotes q JOIN articles a ON a.id = q.article_id "
        "WHERE q.speaker_actor_id IS NOT NULL ORDER BY a.published, q.article_id, "
        "q.content_start LIMIT ?",
        [top],
    )
    return {
        "counts": stats(con),
        "events_by_type": [{"type": t, "events": n} for t, n in by_type],
        "events_by_factuality": [{"factuality": t, "events": n} for t, n in by_fact],
        "top_actors": [
            {"actor": a, "country": c, "sector": s, "events": n} for a, c, s, n in actors
        ],
        "quotes": quotes,
    }


def export(con: duckdb.DuckDBPyConnection, fmt: str, out_dir: Path) -> list[Path]:
    """Every table to OUT_DIR/<table>.<fmt>; DuckDB writes the files itself."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of {sorted(EXPORT_FORMATS)}")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder {out_dir}: {exc.strerror or exc}") from exc
    written = []
    for table in TABLES:
        target = out_dir / f"{table}.{fmt}"
        escaped = str(target).replace("'", "''")
        try:
            con.execute(
                f"COPY (SELECT * FROM {table} ORDER BY ALL) TO '{escaped}' {EXPORT_FORMATS[fmt]}"
            )
        except duckdb.Error as exc:  # an unwritable folder or file, a full disk
            raise OutputError(f"cannot write {target}: {exc}") from exc
        written.append(target)
    return written


def decode_record(row: dict[str, Any]) -> dict[str, Any]:
    """The contract record stored with an event or quote row."""
    record: dict[str, Any] = json.loads(row["record"])
    return record
