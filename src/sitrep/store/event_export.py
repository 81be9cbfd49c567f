"""The flat event export: one dyadic row per real event, in the manner of ICEWS and POLECAT.

One row per canonical event (current news; `timing` "background" or "all" adds background
mentions, each its own single report), described by its first report: date, source and
target actor, PLOVER type and mode, CAMEO code, intensity, factuality, place, and the
corroboration of the event (reports, independent sources, originating outlet, state media
only). Every column is documented in docs/export.md; a test keeps the two in step.

Text is cleaned here, in SQL, for every format: control and bidirectional-override
characters are removed and whitespace runs (tabs and line breaks too) become one space, so
a cell is one line of plain text. For CSV and TSV, `events_query(spreadsheet=True)` turns
every cell into text a spreadsheet shows as it is (`spreadsheet_cell_sql`, the formula
guard of docs/export.md); it is SQL so that DuckDB writes the file itself (the same cells
written from Python made the command 3× slower). Parquet keeps typed columns and the text
as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from sitrep.store.filters import Filters, Timing
from sitrep.store.query import LISTED, event_where
from sitrep.store.read_model import facts

# Characters article text must not carry into an export: C0/C1 controls (terminal escape
# sequences) and zero-width and bidirectional-override marks (views/render.py removes the
# same from what the CLI shows).
_CONTROL_RE = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\x{200b}-\x{200f}\x{202a}-\x{202e}\x{2066}-\x{2069}]"
# Whitespace a line-based reader would split on: tabs, line breaks, no-break space, the
# Unicode line and paragraph separators.
_SPACE_RE = r"[\s\x{a0}\x{2028}\x{2029}]+"


def clean_sql(expression: str) -> str:
    """`expression` (VARCHAR) as one line without control characters, trimmed."""
    stripped = f"regexp_replace({expression}, '{_CONTROL_RE}', '', 'g')"
    return f"nullif(trim(regexp_replace({stripped}, '{_SPACE_RE}', ' ', 'g')), '')"


def clean_list_sql(expression: str) -> str:
    """A list of VARCHAR with every element cleaned, empty elements dropped."""
    cleaned = f"list_transform({expression}, lambda s: {clean_sql('s')})"
    return f"list_filter({cleaned}, lambda s: s IS NOT NULL)"


@dataclass(frozen=True, slots=True)
class ExportColumn:
    """A column of the flat export: its name, the SQL that computes it over `event_facts`
    (alias e) joined to the first report's article (alias a), and its kind: `text`, `list`
    (of text) or `value` (a number or boolean, never guarded as a formula)."""

    name: str
    sql: str
    kind: str = "text"


def _text(name: str, expression: str) -> ExportColumn:
    return ExportColumn(name, clean_sql(expression))


def _list(name: str, expression: str) -> ExportColumn:
    return ExportColumn(name, clean_list_sql(expression), "list")


def _value(name: str, expression: str) -> ExportColumn:
    return ExportColumn(name, expression, "value")


def _record(path: str) -> str:
    """A string field of the stored contract record of the event's first report."""
    return f"json_extract_string(e.record, '{path}')"


# The originating outlet of a report: the agency whose copy it carries, else its outlet
# (the rule canonical events use, store/resolution.py).
_ORIGIN = "coalesce(e.origin_outlet, a.wire, a.outlet)"

EXPORT_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("event_id", "coalesce(e.canonical_id, e.id)"),
    ExportColumn("event_date", "e.day"),
    _text("date_value", "e.event_date"),
    _text("source_name", "e.source_name"),
    _text("source_actor_id", "e.source_actor_id"),
    _text("source_country", "e.source_country"),
    _text("source_sector", "e.source_sector"),
    _list("sources", _record("$.sources[*].name")),
    _text("event_type", "e.type"),
    _text("event_mode", "e.mode"),
    _list("contexts", _record("$.context[*]")),
    _text("cameo_code", _record("$.cameo")),
    _value("intensity", "e.intensity"),
    _text("factuality", "e.factuality"),
    ExportColumn("timing", "e.timing"),
    _text("target_name", "e.target_name"),
    _text("target_actor_id", "e.target_actor_id"),
    _text("target_country", "e.target_country"),
    _text("target_sector", "e.target_sector"),
    _list("targets", _record("$.targets[*].name")),
    _text("place_name", "e.place_name"),
    _text("place_country", "e.place_country"),
    _text("place_admin1", _record("$.place.admin1")),
    _text("place_feature", _record("$.place.feature")),
    _value("geonames_id", "TRY_CAST(json_extract(e.record, '$.place.geonameid') AS BIGINT)"),
    _value("latitude", "e.lat"),
    _value("longitude", "e.lon"),
    _value("reports", "coalesce(e.reports, 1)"),
    _value("independent_sources", "coalesce(e.independent_sources, 1)"),
    _list(
        "outlets",
        f"coalesce(e.outlets, CASE WHEN {_ORIGIN} IS NULL THEN []::VARCHAR[] ELSE [{_ORIGIN}] END)",
    ),
    _text("origin_outlet", _ORIGIN),
    _value("state_media_only", "coalesce(e.state_media_only, false)"),
    ExportColumn(
        "story_id", "CASE WHEN e.canonical_id IS NULL THEN e.article_story_id ELSE e.story_id END"
    ),
    _text("first_article_id", "a.id"),
    _text("first_published", "a.published"),
    _text("first_outlet", "a.outlet"),
    ExportColumn("first_outlet_from", "a.outlet_from"),
    _text("first_wire", "a.wire"),
    _text("first_url", "a.url"),
    _text("trigger", "e.trigger_text"),
    _text("sentence", "e.sentence_text"),
    _value("confidence", "e.confidence"),
)
COLUMN_NAMES = tuple(c.name for c in EXPORT_COLUMNS)


# Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection"); tab
# and carriage return are on that list too but never survive `clean_sql`.
FORMULA_START = ("=", "+", "-", "@")
LIST_SEPARATOR = "; "
# DuckDB's COPY options of the delimited formats (a tab is written as the escape '\t').
DELIMITED = {",": "FORMAT CSV, HEADER", "\t": "FORMAT CSV, HEADER, DELIMITER '\\t'"}


def spreadsheet_cell_sql(expression: str, kind: str) -> str:
    """A cleaned column as the text of a CSV cell: numbers and booleans as DuckDB writes
    them (`-3.5`, `true`), lists joined with "; ", and text that a spreadsheet would take
    for a formula behind an apostrophe (`'=HYPERLINK(…)`), which makes it plain text."""
    if kind == "value":
        return f"CAST({expression} AS VARCHAR)"
    if kind == "list":
        expression = f"nullif(array_to_string({expression}, '{LIST_SEPARATOR}'), '')"
    starts = ", ".join(f"'{c}'" for c in FORMULA_START)
    return (
        f"CASE WHEN left({expression}, 1) IN ({starts}) THEN chr(39) || {expression} "
        f"ELSE {expression} END"
    )


def events_query(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    timing: Timing = "current",
    *,
    spreadsheet: bool = False,
) -> tuple[str, list[Any]]:
    """The export's SELECT and its parameters: the rows of `timing` that pass the filters
    of the event listings (query.event_where), in the listing order (day, first report, id);
    `spreadsheet`: every cell as CSV text (`spreadsheet_cell_sql`)."""
    where, params = event_where(f, day="e.day")
    columns = ", ".join(f"{c.sql} AS {c.name}" for c in EXPORT_COLUMNS)
    rows = (
        f"SELECT {columns}, e.listing_rank AS listing_rank FROM {facts(con)} e "
        "JOIN articles a ON a.id = coalesce(e.first_article_id, e.article_id) "
        f"WHERE {LISTED[timing]} AND {' AND '.join(where)}"
    )
    cells = ", ".join(
        f"{spreadsheet_cell_sql(c.name, c.kind) if spreadsheet else c.name} AS {c.name}"
        for c in EXPORT_COLUMNS
    )
    sql = f"SELECT {cells} FROM ({rows}) ORDER BY listing_rank"
    if f.limit is not None:
        sql += " LIMIT ?"
        params.append(f.limit)
    return sql, params


def _copy(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], path: Path, options: str
) -> int:
    escaped = str(path).replace("'", "''")
    row = con.execute(f"COPY ({sql}) TO '{escaped}' ({options})", params).fetchone()
    return int(row[0]) if row else 0


def write_parquet(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], path: Path) -> int:
    """Write the export to a Parquet file with DuckDB (typed columns, lists as lists);
    returns the number of rows."""
    return _copy(con, sql, params, path, "FORMAT PARQUET")


def write_delimited(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], path: Path, delimiter: str
) -> int:
    """Write a `spreadsheet` export to a CSV (`,`) or TSV (tab) file with a header row;
    DuckDB quotes only cells that hold the delimiter or a quote. Returns the row count."""
    return _copy(con, sql, params, path, DELIMITED[delimiter])
