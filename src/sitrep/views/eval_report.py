"""Render an evaluation report as text."""

from __future__ import annotations

from sitrep.eval.report import EvalReport
from sitrep.views.render import table


def report_text(report: EvalReport) -> str:
    lines = [f"sitrep eval {report.stage} — {report.dataset} ({report.seconds:.1f}s)", ""]
    width = max((len(k) for k in report.metrics), default=0)
    lines += [f"  {name.ljust(width)}  {value:.4f}" for name, value in report.metrics.items()]
    for name, rows in report.tables.items():
        if rows:
            lines += ["", name, table(rows, list(rows[0]))]
    if report.errors:
        lines += ["", "errors (sample)"] + [f"  - {e}" for e in report.errors]
    return "\n".join(lines)
