"""Write the flat event export (store/event_export.py) as CSV, TSV or Parquet.

CSV and TSV are made to be opened in a spreadsheet as safely as they are read by code
(docs/export.md): every text cell is one line without control characters; a text cell
that starts with `=`, `+`, `-` or `@` gets a leading apostrophe (`'=1+2`), which
spreadsheets take as "this is text"; numbers are never guarded, so a negative intensity
stays `-3.5`; lists are joined with "; ". Parquet keeps typed columns, lists as lists and
text without the apostrophe. DuckDB writes the files; stdout gets the same cells through
the csv module.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

import duckdb

from sitrep.errors import UsageError
from sitrep.store.event_export import COLUMN_NAMES, events_query, write_delimited, write_parquet
from sitrep.store.filters import Filters, Timing

# The flat formats of `sitrep export` and the file each writes when given a folder.
FORMATS = {
    "events-csv": "events.csv",
    "events-tsv": "events.tsv",
    "events-parquet": "events.parquet",
}
DELIMITERS = {"events-csv": ",", "events-tsv": "\t"}
_BATCH = 10_000


def target_file(fmt: str, out: str) -> Path:
    """Where a flat export goes: the file `out`, or `out/events.<ext>` when `out` is a
    folder (one that exists, or a path ending in a slash)."""
    path = Path(out)
    return path / FORMATS[fmt] if out.endswith(("/", "\\")) or path.is_dir() else path


def _to_stream(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object], out: TextIO, delimiter: str
) -> int:
    cursor = con.execute(sql, params)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMN_NAMES)
    count = 0
    while batch := cursor.fetchmany(_BATCH):
        writer.writerows(batch)
        count += len(batch)
    return count


def export_events(
    con: duckdb.DuckDBPyConnection,
    fmt: str,
    filters: Filters,
    timing: Timing,
    out: Path | TextIO,
) -> int:
    """Write the flat export in `fmt` to a file (a Path; missing folders are made) or an
    open text stream (CSV and TSV only); returns the number of events written."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown event export format {fmt!r}; choose one of {sorted(FORMATS)}")
    if fmt == "events-parquet" and not isinstance(out, Path):
        raise UsageError("events-parquet needs --out FILE (Parquet is not written to stdout)")
    sql, params = events_query(con, filters, timing, spreadsheet=fmt != "events-parquet")
    if not isinstance(out, Path):
        return _to_stream(con, sql, params, out, DELIMITERS[fmt])
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "events-parquet":
            return write_parquet(con, sql, params, out)
        return write_delimited(con, sql, params, out, DELIMITERS[fmt])
    except (OSError, duckdb.IOException) as exc:
        raise UsageError(f"cannot write {out}: {exc}") from exc
