"""The argument parser of sitrep's command line (docs/cli.md is generated from it).

Kept apart from cli.py, which runs the commands and is the only module that prints.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sitrep import CREDITS, __version__
from sitrep.eval import STAGES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitrep",
        description="Turn news articles about armed conflict into sourced, structured records.",
        epilog=CREDITS,
    )
    parser.add_argument("--version", action="version", version=f"sitrep {__version__}\n{CREDITS}")
    parser.add_argument(
        "--config", type=Path, help="TOML settings file (same shape as defaults.toml)"
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="override one setting, e.g. --set nlp.batch_size=64 (repeatable)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = commands.add_parser("extract", help="print one contract JSON object per article")
    extract.add_argument(
        "inputs",
        nargs="*",
        default=["-"],
        metavar="PATH",
        help="files, directories, URLs or - for stdin (default: -)",
    )
    _ingest_options(extract)

    run = commands.add_parser("run", help="ingest, extract and store articles in DuckDB")
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="files, directories, URLs or -")
    _db(run)
    _ingest_options(run)
    run.add_argument(
        "--reprocess",
        action="store_true",
        help="extract articles again even when the store has them",
    )
    run.add_argument("--no-progress", action="store_true", help="no progress bar")

    stats = commands.add_parser("stats", help="row counts of the store")
    _db(stats)
    stats.add_argument("--format", choices=["json", "table"], default="table")

    for name, what in (
        ("events", "events"),
        ("quotes", "quotes"),
        ("articles", "articles"),
        ("stories", "stories"),
    ):
        listing = commands.add_parser(name, help=f"list stored {what} with filters")
        _db(listing)
        listing.add_argument(
            "--type",
            help="PLOVER type (events), quote kind (quotes), "
            "or articles having events of that type",
        )
        listing.add_argument("--actor", help="actor name or id (substring, case-insensitive)")
        listing.add_argument("--country", help="ISO 3166 alpha-3 country code")
        listing.add_argument("--since", help="first date, YYYY[-MM[-DD]]")
        listing.add_argument("--until", help="last date, YYYY[-MM[-DD]] (inclusive)")
        listing.add_argument("--limit", type=int, help="at most this many rows")
        listing.add_argument("--format", choices=["table", "jsonl", "csv"], default="table")
        if name == "events":
            listing.add_argument(
                "--mentions",
                action="store_true",
                help="one row per mention in an article, not per real event",
            )

    export = commands.add_parser("export", help="write every table to a folder")
    _db(export)
    export.add_argument("--format", choices=["parquet", "csv", "jsonl"], default="parquet")
    export.add_argument("--out", type=Path, required=True, help="output folder")

    evaluate = commands.add_parser("eval", help="score a stage against gold data")
    evaluate.add_argument("stage", choices=sorted(STAGES), help="the stage to score")
    evaluate.add_argument("--gold", type=Path, required=True, help="gold file or folder")
    evaluate.add_argument(
        "--format",
        dest="gold_format",
        help="gold format (default: the stage's first; see docs/evaluation.md)",
    )
    evaluate.add_argument("--limit", type=int, help="score only the first N gold items")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")

    bench = commands.add_parser(
        "bench", help="time sitrep end to end against a plain spaCy pass over the same articles"
    )
    bench.add_argument(
        "--corpus",
        type=Path,
        default=Path("samples/articles.jsonl"),
        help="articles to time (any input sitrep reads)",
    )
    bench.add_argument("--n", type=int, default=300, help="at most this many articles")
    bench.add_argument("--format", choices=["table", "json"], default="table")

    summary = commands.add_parser("summary", help="readable overview: events, actors, quotes")
    _db(summary)
    summary.add_argument("--format", choices=["table", "json"], default="table")
    _analyst_commands(commands)
    return parser


def _analyst_commands(commands: Any) -> None:
    """serve, alerts, brief: the analyst interfaces (docs/api.md)."""
    serve = commands.add_parser(
        "serve",
        help="HTTP API and dashboard (read-only unless SITREP_TOKEN is set)",
        description="Serve the JSON/CSV API (/api/..., OpenAPI at /docs) and the dashboard "
        "(/). With SITREP_TOKEN in the environment, POST /api/articles ingests articles "
        "sent with 'Authorization: Bearer $SITREP_TOKEN'.",
    )
    _db(serve)
    serve.add_argument("--host", help="address to bind (default: api.host, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="TCP port (default: api.port, 8000)")

    alerts = commands.add_parser("alerts", help="escalation and watchlist alerts: what fired, why")
    _db(alerts)
    alerts.add_argument("--since", help="alerts from this day on, YYYY[-MM[-DD]]")
    alerts.add_argument("--format", choices=["table", "jsonl"], default="table")

    brief = commands.add_parser("brief", help="situation briefing, every line cited")
    _db(brief)
    brief.add_argument("--story", help="only this story (id from `sitrep stories`)")
    brief.add_argument("--since", help="only events and quotes from this day on")
    brief.add_argument("--format", choices=["md", "html"], default="md")
    brief.add_argument("--out", type=Path, help="write to this file instead of stdout")


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help="DuckDB store (default: store.db setting)")


def _ingest_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="allow fetching from loopback and private network addresses",
    )
