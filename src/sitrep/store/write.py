"""Write extracted articles and rejects to the store, one atomic transaction per batch."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import duckdb

from sitrep.model import Extraction, Reject
from sitrep.store.db import abort
from sitrep.store.rows import Row, extraction_rows, reject_row

CHILD_TABLES = ("entities", "places", "times", "quotes", "events", "boilerplate")


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[Row]) -> None:
    """Column-wise bulk insert (one statement per table, far faster than executemany)."""
    if not rows:
        return
    columns = list(rows[0])
    selects = ", ".join(f"unnest(${i + 1}) AS {c}" for i, c in enumerate(columns))
    params = [[row[c] for row in rows] for c in columns]
    con.execute(
        f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) SELECT * FROM (SELECT {selects})",
        params,
    )


def existing_article_ids(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> set[str]:
    if not ids:
        return set()
    found = con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest($1))", [list(ids)])
    return {row[0] for row in found.fetchall()}


def write_batch(
    con: duckdb.DuckDBPyConnection,
    extractions: Sequence[Extraction],
    rejects: Sequence[Reject],
    *,
    also: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> None:
    """Replace everything known about these articles and record the rejects, atomically:
    a batch is either all in the store or not at all, so a killed run can simply resume.
    `also` writes more in the same transaction (`sitrep watch`: what each source has seen)."""
    tables: dict[str, list[Row]] = {name: [] for name in ("articles", *CHILD_TABLES)}
    for extraction in extractions:
        for name, rows in extraction_rows(extraction).items():
            tables[name].extend(rows)
    reject_rows = list({row["id"]: row for row in map(reject_row, rejects)}.values())
    ids = [e.article.id for e in extractions]
    try:
        con.execute("BEGIN TRANSACTION")
        if ids:
            for name in CHILD_TABLES:
                con.execute(f"DELETE FROM {name} WHERE article_id IN (SELECT unnest($1))", [ids])
        articles = list({row["id"]: row for row in tables.pop("articles")}.values())
        for row in articles:
            row["ingested_at"] = None
        insert_rows(con, "articles", articles)
        con.execute(
            "UPDATE articles SET ingested_at = now() WHERE ingested_at IS NULL",
        )
        for name, rows in tables.items():
            unique = list({_key(name, row): row for row in rows}.values())
            insert_rows(con, name, unique)
        for row in reject_rows:
            row["rejected_at"] = None
        insert_rows(con, "rejects", reject_rows)
        con.execute("UPDATE rejects SET rejected_at = now() WHERE rejected_at IS NULL")
        if also is not None:
            also(con)
        con.execute("COMMIT")
    except duckdb.Error as exc:
        raise abort(con, f"writing a batch of {len(ids)} articles", exc) from exc


def _key(table: str, row: Row) -> tuple[object, ...]:
    if "id" in row and table in {"quotes", "events"}:
        return (row["id"],)
    return (row["article_id"], row["idx"])
