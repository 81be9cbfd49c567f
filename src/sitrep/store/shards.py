"""Parquet shards: one folder per partition of a distributed run, then loaded into the store.

A shard holds one Parquet file per table with exactly the store's columns (it is written
from an in-memory store built by the same migrations and `write_batch`), so loading is a
plain `INSERT OR REPLACE … FROM read_parquet(…)` and the rows match a local run's.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sitrep.errors import StoreError
from sitrep.model import Extraction, Reject
from sitrep.store.db import abort, connect
from sitrep.store.write import CHILD_TABLES, write_batch

SHARD_TABLES = ("articles", *CHILD_TABLES, "rejects")
# Owned by resolution, which recomputes them over the whole store after loading.
_RESOLUTION_COLUMNS = "duplicate_of, story_id"
_TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True, slots=True)
class ShardCounts:
    articles: int = 0
    events: int = 0
    quotes: int = 0
    rejects: int = 0


def _literal(path: Path) -> str:
    # COPY and read_parquet take the file name as a literal, not a parameter.
    return "'" + str(path).replace("'", "''") + "'"


def write_shard(
    folder: Path, name: str, extractions: Sequence[Extraction], rejects: Sequence[Reject]
) -> Path:
    """Write one partition to `folder/name/`, atomically: the files go to a temporary folder
    that is renamed when complete, so a shard folder that exists is whole. A shard already
    written (a retried task) is kept as it is."""
    final = folder / name
    if final.is_dir():
        return final
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f".{name}.{uuid.uuid4().hex}{_TEMP_SUFFIX}"
    temp.mkdir()
    try:
        con = connect(":memory:")
        try:
            write_batch(con, extractions, rejects)
            for table in SHARD_TABLES:
                columns = f"* EXCLUDE ({_RESOLUTION_COLUMNS})" if table == "articles" else "*"
                target = _literal(temp / f"{table}.parquet")
                con.execute(f"COPY (SELECT {columns} FROM {table}) TO {target} (FORMAT parquet)")
        finally:
            con.close()
        try:
            temp.rename(final)
        except OSError:
            if not final.is_dir():
                raise
            shutil.rmtree(temp)  # an identical attempt finished first
    except (OSError, duckdb.Error) as exc:
        shutil.rmtree(temp, ignore_errors=True)
        raise StoreError(f"writing shard {final} failed: {exc}") from exc
    return final


def load_shard(con: duckdb.DuckDBPyConnection, shard: Path) -> ShardCounts:
    """Load one shard into the store in one transaction, replacing what the store knew
    about its articles (as `write_batch` does). Loading a shard twice changes nothing but
    the load times."""
    files = {table: shard / f"{table}.parquet" for table in SHARD_TABLES}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        raise StoreError(f"shard {shard} is incomplete: {', '.join(missing)} missing")
    source = {table: f"read_parquet({_literal(path)})" for table, path in files.items()}
    try:
        con.execute("BEGIN TRANSACTION")
        ids = [row[0] for row in con.execute(f"SELECT id FROM {source['articles']}").fetchall()]
        if ids:
            for name in CHILD_TABLES:
                con.execute(f"DELETE FROM {name} WHERE article_id IN (SELECT unnest($1))", [ids])
        con.execute(
            "INSERT OR REPLACE INTO articles BY NAME "
            f"SELECT * REPLACE (now()::TIMESTAMP AS ingested_at) FROM {source['articles']}"
        )
        for name in CHILD_TABLES:
            con.execute(f"INSERT OR REPLACE INTO {name} BY NAME SELECT * FROM {source[name]}")
        con.execute(
            "INSERT OR REPLACE INTO rejects BY NAME "
            f"SELECT * REPLACE (now()::TIMESTAMP AS rejected_at) FROM {source['rejects']}"
        )
        counts = ShardCounts(
            articles=len(ids),
            events=_count(con, source["events"]),
            quotes=_count(con, source["quotes"]),
            rejects=_count(con, source["rejects"]),
        )
        con.execute("COMMIT")
    except duckdb.Error as exc:
        raise abort(con, f"loading shard {shard}", exc) from exc
    return counts


def _count(con: duckdb.DuckDBPyConnection, source: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {source}").fetchone()
    return int(row[0]) if row else 0


def shard_complete(shard: Path) -> bool:
    return shard.is_dir() and all((shard / f"{t}.parquet").is_file() for t in SHARD_TABLES)


def remove_shard(shard: Path) -> None:
    """Delete a shard (once the store holds it, or when it is found incomplete)."""
    _discard(shard)


def clear_partial_shards(folder: Path) -> int:
    """Remove temporary folders a killed worker left behind; returns how many. Complete
    shards stay: a resumed run loads them instead of extracting their partitions again."""
    if not folder.is_dir():
        return 0
    partial = [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]
    for path in partial:
        _discard(path)
    return len(partial)


def _discard(path: Path) -> None:
    """Rename, then delete: a worker still writing a folder can then never have half of it
    deleted under it (its own rename or writes fail instead)."""
    trash = path.with_name(f".{path.name.lstrip('.')}.{uuid.uuid4().hex}.gone{_TEMP_SUFFIX}")
    try:
        path.rename(trash)
    except OSError:
        return  # gone already, or renamed by the worker that wrote it
    shutil.rmtree(trash, ignore_errors=True)
