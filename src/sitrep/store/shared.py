"""One read-write DuckDB database that a process keeps open for its life (`serve --watch`):
cursors for its threads, a checkpoint after writes, and a fresh database every so many
writes.

Why the last two: a file opened for each poll (`sitrep watch`) is checkpointed and freed
when it is closed. Held open, DuckDB checkpoints only when its write-ahead log reaches
16 MB and holds the log's changes in memory until then; and even checkpointed after every
poll, the open database kept ~170 KB a poll outside DuckDB's own memory accounting
(`duckdb_memory()` stayed flat) that only closing it gave back (docs/performance.md,
"Staying power of watch").
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from sitrep.errors import StoreError
from sitrep.settings import StoreSettings
from sitrep.store.db import connect


class SharedDatabase:
    """The database, its cursors (each thread takes its own, closed after use) and the
    count of writes since the last checkpoint and since it was opened. Callers write one
    at a time (`writer`); reads may run alongside."""

    def __init__(self, db: Path, settings: StoreSettings) -> None:
        self.db = db
        self.settings = settings
        # Guards the connection and the count of cursors in use; signalled when one closes.
        self._idle = threading.Condition()
        self._cursors = 0
        self._reopening = False
        self._unchecked_writes = 0
        self._writes_since_open = 0
        self.opened = 0  # times the file was opened (a reopen shows here)
        self._con: duckdb.DuckDBPyConnection | None = self._open()

    def _open(self) -> duckdb.DuckDBPyConnection:
        con = connect(
            self.db,
            memory_limit=self.settings.memory_limit,
            lock_wait=self.settings.lock_wait_seconds,
        )
        self.opened += 1
        return con

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of the database, closed after use; waits while it is being reopened."""
        with self._idle:
            while self._reopening:
                self._idle.wait()
            if self._con is None:
                raise StoreError(f"store {self.db} is closed")
            cursor = self._con.cursor()
            self._cursors += 1
        try:
            yield cursor
        finally:
            cursor.close()
            with self._idle:
                self._cursors -= 1
                self._idle.notify_all()

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor to write through; after a write that did not raise, a checkpoint every
        `checkpoint_every_writes` writes and a reopen every `reopen_every_writes`."""
        with self.cursor() as cursor:
            yield cursor
            self._checkpoint(cursor)
        self._writes_since_open += 1
        every = self.settings.reopen_every_writes
        if every > 0 and self._writes_since_open >= every:
            self._reopen()

    def _checkpoint(self, con: duckdb.DuckDBPyConnection) -> None:
        every = self.settings.checkpoint_every_writes
        if every <= 0:
            return
        self._unchecked_writes += 1
        if self._unchecked_writes < every:
            return
        try:
            con.execute("CHECKPOINT")
        except duckdb.TransactionException:
            # A read whose transaction began before the write: DuckDB refuses until it
            # ends. The next write checkpoints instead.
            return
        self._unchecked_writes = 0

    def _reopen(self) -> None:
        """Close and open the file once the cursors in use are closed; new cursors wait
        (a request for the milliseconds this takes). Closing checkpoints."""
        with self._idle:
            self._reopening = True
            try:
                while self._cursors:
                    self._idle.wait()
                if self._con is not None:
                    self._con.close()
                    self._con = None
                    self._con = self._open()
            finally:
                self._reopening = False
                self._idle.notify_all()
        self._writes_since_open = 0
        self._unchecked_writes = 0

    def close(self) -> None:
        with self._idle:
            if self._con is not None:
                self._con.close()
                self._con = None
