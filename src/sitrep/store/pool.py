"""A read-only connection kept open between requests, closed once the API is idle.

Opening a DuckDB file costs ~20 ms of CPU (more on a busy machine) before any query runs,
more than most dashboard queries on a million events. But an open connection holds the
file lock, and `sitrep run` in another process needs the write lock. So the connection
stays open only while requests keep coming: `idle_seconds` after the last one it is
closed and writers can get in. With `idle_seconds = 0` (the API's default) every request
opens and closes the file, so writers get in between requests.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from sitrep.store.db import connect


class ReadConnection:
    """One cached read-only connection; callers serialise use with their own lock."""

    def __init__(self, db: Path, idle_seconds: float, lock_wait: float = 0.0) -> None:
        self.db = db
        self.idle_seconds = idle_seconds
        self.lock_wait = lock_wait
        self._con: duckdb.DuckDBPyConnection | None = None
        self._guard = threading.Lock()
        self._timer: threading.Timer | None = None
        self._generation = 0

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._guard:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._con is None:
                self._con = connect(self.db, read_only=True, lock_wait=self.lock_wait)
            con = self._con
            self._generation += 1
        try:
            yield con
        except duckdb.Error:
            self.close()  # a broken connection is not reused
            raise
        finally:
            self._schedule_close()

    def _schedule_close(self) -> None:
        with self._guard:
            if self._con is None:
                return
            if self.idle_seconds <= 0:
                self._close_locked()
                return
            generation = self._generation
            self._timer = threading.Timer(self.idle_seconds, self._close_if_idle, [generation])
            # Not a daemon: at exit Python waits for it (≤ idle_seconds) so the connection is
            # closed before the interpreter tears DuckDB down.
            self._timer.daemon = False
            self._timer.start()

    def _close_if_idle(self, generation: int) -> None:
        with self._guard:
            if generation == self._generation:
                self._close_locked()

    def _close_locked(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._con is not None:
            self._con.close()
            self._con = None

    def close(self) -> None:
        """Release the file now (before this process writes to it, or on shutdown)."""
        with self._guard:
            self._close_locked()
