"""`Rows`: what a listing of the Python API returns. It iterates as dicts and converts to a
pandas DataFrame or a pyarrow Table when those are installed (the `frames` extra)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sitrep.errors import MissingExtraError

_EXTRA = "frames"


@dataclass(frozen=True, slots=True)
class Rows:
    """One listing: `rows` (dicts, column name → value, in the listing's order), the
    `columns` in order, and `total`, how many rows match the filters before `limit` and
    `offset` (so a page tells how many pages there are)."""

    rows: tuple[dict[str, Any], ...]
    columns: tuple[str, ...]
    total: int

    @classmethod
    def of(cls, rows: Sequence[dict[str, Any]], total: int | None = None) -> Rows:
        """Rows of query results; columns are the first row's keys (none when empty)."""
        columns = tuple(rows[0]) if rows else ()
        return cls(tuple(rows), columns, len(rows) if total is None else total)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.rows[index]

    def __repr__(self) -> str:
        count = f"{len(self.rows)} of {self.total}" if self.total != len(self.rows) else ""
        names = ", ".join(self.columns[:8]) + (", …" if len(self.columns) > 8 else "")
        return f"Rows({count or len(self.rows)} rows; columns: {names})"

    def df(self) -> Any:
        """A pandas DataFrame, one row per row, columns in order (lists stay lists)."""
        pandas = _optional("pandas")
        return pandas.DataFrame.from_records(list(self.rows), columns=list(self.columns))

    def arrow(self) -> Any:
        """A pyarrow Table with a type inferred per column (lists become list columns)."""
        pyarrow = _optional("pyarrow")
        data = {name: [row.get(name) for row in self.rows] for name in self.columns}
        return pyarrow.table(data)


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(
            f"{module} is not installed: pip install 'sitrep[{_EXTRA}]' (pandas and pyarrow)"
        ) from exc
