"""Open a DuckDB store and bring its schema up to date with the numbered migrations."""

from __future__ import annotations

import contextlib
import re
import time
from importlib import resources
from pathlib import Path

import duckdb

from sitrep.errors import StoreError

_MIGRATION = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def file_state(db: Path) -> tuple[int, ...]:
    """Modification time and size of the store file and its write-ahead log (0, 0 when
    absent): changes whenever a commit may have changed what the store holds."""
    state: list[int] = []
    for path in (db, db.with_name(db.name + ".wal")):
        try:
            info = path.stat()
        except OSError:
            state += [0, 0]
        else:
            state += [info.st_mtime_ns, info.st_size]
    return tuple(state)


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) for every packaged migration, in order."""
    folder = resources.files("sitrep").joinpath("store", "migrations")
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text("utf-8")))
    return sorted(found)


def connect(
    path: str | Path, *, read_only: bool = False, memory_limit: str = "", lock_wait: float = 0.0
) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) and migrate the store. Read-only opens never migrate.
    `memory_limit` ("1GB"; empty: DuckDB's default, 80 % of RAM) caps DuckDB's own memory;
    past it, large sorts and joins spill to disk. `lock_wait`: seconds to keep retrying
    while another process holds the file lock (a server between requests releases it
    within milliseconds); then StoreError with `busy` set."""
    target = str(path)
    if read_only and target != ":memory:" and not Path(target).exists():
        raise StoreError(f"store {target} does not exist (create it with `sitrep run`)")
    deadline = time.monotonic() + lock_wait
    try:
        con = _open_waiting(target, read_only, deadline)
        if read_only and _version(con) < migrations()[-1][0]:
            # A store written by an older sitrep: bring it up to date once, then read.
            con.close()
            migrate_con = _open_waiting(target, False, deadline)
            migrate(migrate_con)
            migrate_con.close()
            con = _open_waiting(target, True, deadline)
    except duckdb.Error as exc:
        if _is_lock_conflict(exc):
            raise StoreError(
                f"store {target} is busy (another process holds it)", busy=True
            ) from exc
        raise StoreError(f"cannot open store {target}: {exc}") from exc
    if memory_limit:
        try:
            con.execute(f"SET memory_limit = '{_checked_size(memory_limit)}'")
        except duckdb.Error as exc:
            con.close()
            raise StoreError(f"cannot set store.memory_limit={memory_limit!r}: {exc}") from exc
    if not read_only:
        migrate(con)
    return con


def _checked_size(value: str) -> str:
    """A DuckDB size such as "512MB" or "2GB" (the value is put into SQL)."""
    if not re.fullmatch(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", value.strip()):
        raise StoreError(f"store.memory_limit must be a size like '1GB', not {value!r}")
    return value.strip()


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    return isinstance(exc, duckdb.IOException) and "Could not set lock" in str(exc)


def _open_waiting(target: str, read_only: bool, deadline: float) -> duckdb.DuckDBPyConnection:
    """`_open`, retried while another process holds the lock and time is left. DuckDB
    does not wait for a lock itself: it fails at once."""
    pause = 0.01
    while True:
        try:
            return _open(target, read_only)
        except duckdb.Error as exc:
            left = deadline - time.monotonic()
            if not _is_lock_conflict(exc) or left <= 0:
                raise
            time.sleep(min(pause, left))
            pause = min(pause * 2, 0.2)


def _open(target: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    # DuckDB draws a progress bar on stderr for long queries: the library never prints.
    con = duckdb.connect(target, read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    return con


def _version(con: duckdb.DuckDBPyConnection) -> int:
    try:
        row = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
    except duckdb.CatalogException:
        return 0
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the migrations the store lacks; returns the resulting schema version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT now())"
    )
    applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    version = max(applied, default=0)
    for number, name, sql in migrations():
        if number in applied:
            continue
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name]
            )
            con.execute("COMMIT")
        except duckdb.Error as exc:
            raise abort(con, f"migration {name}", exc) from exc
        version = number
    return version


def abort(con: duckdb.DuckDBPyConnection, what: str, exc: duckdb.Error) -> StoreError:
    """Roll back after `exc` and say what failed and why. DuckDB has often ended the
    transaction itself (a failed COMMIT, a full disk invalidates the database), so a failing
    ROLLBACK must not replace the real cause with "no transaction is active"."""
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")
    hint = ""
    text = str(exc)
    if isinstance(exc, (duckdb.IOException, duckdb.FatalException)) or "write" in text.lower():
        hint = " (is the disk full or the store read-only?)"
    return StoreError(f"{what} failed{hint}: {text.splitlines()[0] if text else exc!r}")
