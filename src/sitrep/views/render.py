"""Render rows as an aligned text table, CSV or JSON lines. Text from articles is hostile:
control characters (terminal escape sequences) are removed before anything is shown."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """`text` without control characters (ESC, BEL, C1, bidi overrides); tab and newline
    stay, so multi-line text keeps its lines where the format quotes them (CSV)."""
    return _CONTROL.sub("", text)


def safe_text(value: object) -> str:
    """A single-line, control-free rendering of a cell."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(safe_text(v) for v in value)
    return " ".join(strip_controls(str(value)).split())


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], max_width: int = 60) -> str:
    if not rows:
        return "(no rows)"
    cells = [[safe_text(row.get(c)) for c in columns] for row in rows]
    cells = [
        [c if len(c) <= max_width else c[: max_width - 1] + "…" for c in line] for line in cells
    ]
    widths = [max(len(c), *(len(line[i]) for line in cells)) for i, c in enumerate(columns)]
    head = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = [
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in cells
    ]
    return "\n".join([head.rstrip(), rule, *body])


# Cell starts that make a spreadsheet evaluate a cell (the API's CSV and `sitrep export`
# guard the same way, docs/export.md).
_FORMULA_START = ("=", "+", "-", "@")


def csv_cell(value: object) -> object:
    """A CSV cell: text without control characters and, when a spreadsheet would take it
    for a formula, behind an apostrophe; other values unchanged."""
    if not isinstance(value, str):
        return value
    text = strip_controls(value)
    return "'" + text if text.lstrip().startswith(_FORMULA_START) else text


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({c: csv_cell(row.get(c)) for c in columns})
    return buffer.getvalue().rstrip("\n")


def jsonl(records: Sequence[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False, default=str) for r in records)
