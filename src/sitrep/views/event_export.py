"""Write the flat event export (store/event_export.py) as CSV, TSV or Parquet.

CSV and TSV are made to be opened in a spreadsheet as safely as they are read by code:

* text cells are one line without control characters (cleaned in SQL, and again here);
* a text cell that starts with `=`, `+`, `-` or `@` gets a leading apostrophe (`'=1+2`),
  which spreadsheets take as "this is text", so article text never runs as a formula;
  numbers (intensity, coordinates, counts) are written as numbers and never guarded, so a
  negative intensity stays `-3.5`;
* list columns (`sources`, `targets`, `contexts`, `outlets`) are joined with "; ".

Parquet keeps typed columns and lists as lists, and text without the apostrophe.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, TextIO

import duckdb

from sitrep.errors import UsageError
from sitrep.store.api_queries import Timing
from sitrep.store.event_export import COLUMN_NAMES, events_query, write_parquet
from sitrep.store.read import Filters
from sitrep.views.render import safe_text

# The flat formats of `sitrep export` and the file each writes when given a folder.
FORMATS = {
    "events-csv": "events.csv",
    "events-tsv": "events.tsv",
    "events-parquet": "events.parquet",
}
# Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection"); tab
# and carriage return are on that list too but never survive the cleaning.
FORMULA_START = ("=", "+", "-", "@")
LIST_SEPARATOR = "; "
_BATCH = 10_000


def spreadsheet_cell(value: object) -> str:
    """One cell as text a spreadsheet shows as it is: empty for null, `true`/`false`, numbers
    as written, text cleaned and guarded against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        text = LIST_SEPARATOR.join(t for t in (safe_text(v) for v in value) if t)
    else:
        text = safe_text(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_delimited(cursor: duckdb.DuckDBPyConnection, out: TextIO, delimiter: str) -> int:
    """The rows of an executed export query as CSV (`,`) or TSV (tab) with a header;
    cells quoted only where they hold the delimiter or a quote. Returns the row count."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMN_NAMES)
    count = 0
    while batch := cursor.fetchmany(_BATCH):
        writer.writerows([spreadsheet_cell(v) for v in row] for row in batch)
        count += len(batch)
    return count


def target_file(fmt: str, out: Path) -> Path:
    """Where a flat export goes: `out`, or `out/events.<ext>` when `out` is a folder."""
    return out / FORMATS[fmt] if out.is_dir() else out


def export_events(
    con: duckdb.DuckDBPyConnection,
    fmt: str,
    filters: Filters,
    timing: Timing,
    out: Path | TextIO,
) -> int:
    """Write the flat export in `fmt` to a file (a Path) or an open text stream (CSV and
    TSV only); returns the number of events written."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown event export format {fmt!r}; choose one of {sorted(FORMATS)}")
    sql, params = events_query(con, filters, timing)
    if fmt == "events-parquet":
        if not isinstance(out, Path):
            raise UsageError("events-parquet needs --out FILE (Parquet is not written to stdout)")
        return write_parquet(con, sql, params, out)
    delimiter = "\t" if fmt == "events-tsv" else ","
    cursor: Any = con.execute(sql, params)
    if isinstance(out, Path):
        with out.open("w", encoding="utf-8", newline="") as handle:
            return write_delimited(cursor, handle, delimiter)
    return write_delimited(cursor, out, delimiter)
