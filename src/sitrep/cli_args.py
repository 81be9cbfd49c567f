"""The argument parser of sitrep's command line (docs/cli.md is generated from it).

The global options (--config, --set, -j/--jobs) are accepted before or after the command.

Kept apart from cli.py, which runs the commands and is the only module that prints.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sitrep import CREDITS, __version__
from sitrep.eval import STAGES
from sitrep.model.vocab import QUOTE_KINDS
from sitrep.store.filters import ORDERS, RESOURCE_FILTERS, TIMINGS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitrep",
        description="Turn news articles about armed conflict into sourced, structured records. "
        "The options below (--config, --set, -j) may also follow the command.",
        epilog=CREDITS,
    )
    parser.add_argument("--version", action="version", version=f"sitrep {__version__}\n{CREDITS}")
    _global_options(parser, after_command=False)
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
    run.add_argument(
        "--engine",
        choices=["local", "workers", "dask"],
        help="local: one process (several with -j N); workers: forked worker processes "
        "(-j N, at least 2); dask: Dask workers write Parquet shards (default: run.engine)",
    )
    where = run.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=int, help="dask: worker processes to start (default: run.workers)"
    )
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="dask: use a running scheduler, e.g. tcp://host:8786"
    )

    watch = commands.add_parser(
        "watch",
        help="follow RSS/Atom feeds, pages and folders, storing what is new at every poll",
    )
    watch.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="feed or page URLs, and folders (their new files)",
    )
    _db(watch)
    _ingest_options(watch)
    watch.add_argument(
        "--every",
        type=float,
        metavar="SECONDS",
        help="seconds between the starts of two polls (default: watch.every)",
    )
    watch.add_argument(
        "--polls", type=int, metavar="N", help="stop after N polls (default: until stopped)"
    )

    resolve = commands.add_parser(
        "resolve",
        help="resolve copies, stories and canonical events of the store, then its alerts",
    )
    _db(resolve)
    resolve.add_argument(
        "--full",
        action="store_true",
        help="resolve the whole store again (the reference), not only what new articles touch",
    )

    stats = commands.add_parser("stats", help="row counts of the store")
    _db(stats)
    stats.add_argument("--format", choices=["json", "table"], default="table")

    for name, what in LISTINGS_HELP.items():
        listing = commands.add_parser(name, help=f"list stored {what} with filters")
        _db(listing)
        _listing_filters(listing, name)
        listing.add_argument("--format", choices=["table", "jsonl", "csv"], default="table")

    export = commands.add_parser(
        "export",
        help="write every table to a folder, or one flat row per event (docs/export.md)",
        description="parquet, csv, jsonl: every table of the store to OUT/<table>.<format>. "
        "events-csv, events-tsv, events-parquet: one flat dyadic row per real event "
        "(ICEWS/POLECAT style, columns in docs/export.md) to the file OUT (OUT/events.<ext> "
        "when OUT is a folder; - is stdout for CSV and TSV), with the listings' filters.",
    )
    _db(export)
    export.add_argument(
        "--format",
        choices=["parquet", "csv", "jsonl", "events-csv", "events-tsv", "events-parquet"],
        default="parquet",
    )
    export.add_argument(
        "--out",
        required=True,
        help="output folder (tables); file, folder or - for stdout (events-*)",
    )
    _filters(export, "PLOVER type or types, e.g. ASSAULT,COERCE (events-* only)")
    export.add_argument(
        "--timing",
        choices=["current", "background", "all"],
        default="current",
        help="events-*: current news (canonical events, the default), background events "
        "(history articles recall, one row per mention) or both",
    )

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

    train = commands.add_parser("train", help="train a classifier from labelled data")
    train.add_argument("what", choices=["events"], help="what to train (the event-type model)")
    train.add_argument(
        "--data", type=Path, required=True, help="JSONL: {text, label} per line (docs/ontology.md)"
    )
    train.add_argument(
        "--out", type=Path, default=Path("event_model.json"), help="model file to write"
    )
    train.add_argument("--folds", type=int, default=5, help="cross-validation folds (0: none)")
    train.add_argument("--c", type=float, default=0.3, help="inverse L2 regularisation strength")

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

    ibench = commands.add_parser(
        "bench-incremental",
        help="time adding articles to stores of growing size (incremental resolution vs full)",
    )
    ibench.add_argument(
        "--corpus",
        type=Path,
        default=Path("samples/articles.jsonl"),
        help="articles to sample the stores from (any input sitrep reads)",
    )
    ibench.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[500, 3000, 9928],
        help="comma-separated store sizes (a size past the corpus takes all but --add)",
    )
    ibench.add_argument("--add", type=int, default=50, help="articles added to each store")
    ibench.add_argument(
        "--extract",
        action="store_true",
        help="extract the articles (event mentions to merge; slow) instead of storing them bare",
    )
    ibench.add_argument(
        "--mentions",
        type=int,
        default=0,
        help="synthetic event mentions per article (for the alerts and the read model)",
    )
    ibench.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="time each addition this many times, from a copy of the store, and keep the least",
    )
    ibench.add_argument(
        "--whole",
        action="store_true",
        help="also time the whole addition as `sitrep run --db STORE FILE` does it "
        "(reading, extraction, store write, resolution, alerts; needs a JSON Lines corpus)",
    )
    ibench.add_argument("--format", choices=["table", "json"], default="table")

    qbench = commands.add_parser(
        "bench-queries",
        help="time the dashboard's API queries and the CLI listings on a large (synthetic) store",
    )
    qbench.add_argument(
        "--events", type=int, default=1_000_000, help="event mentions in the synthetic store"
    )
    qbench.add_argument(
        "--db",
        type=Path,
        help="benchmark this store; a path that does not exist gets the synthetic store, kept",
    )
    qbench.add_argument("--repeat", type=int, default=30, help="timed runs per query")
    qbench.add_argument("--only", help="only queries whose name contains this text")
    qbench.add_argument("--format", choices=["table", "json"], default="table")

    _kb_commands(commands)

    summary = commands.add_parser("summary", help="readable overview: events, actors, quotes")
    _db(summary)
    summary.add_argument("--format", choices=["table", "json"], default="table")
    _analyst_commands(commands)
    for command in _commands(parser):
        _global_options(command, after_command=True)
    return parser


# Global options may also follow the command (`sitrep run FILE --set x=y`); there they are
# stored under these names, so they add to (--set) or replace what came before the command
# instead of being reset by the command's parser.
AFTER = {"config": "config_after", "overrides": "overrides_after", "jobs": "jobs_after"}


def _global_options(parser: argparse.ArgumentParser, *, after_command: bool) -> None:
    """--config, --set and -j/--jobs; after the command they are hidden from its help."""

    def dest(name: str) -> str:
        return AFTER[name] if after_command else name

    def shown(text: str) -> str:
        return argparse.SUPPRESS if after_command else text

    unset: Any = argparse.SUPPRESS if after_command else None
    parser.add_argument(
        "--config",
        dest=dest("config"),
        type=Path,
        default=unset,
        help=shown("TOML settings file (same shape as defaults.toml)"),
    )
    parser.add_argument(
        "--set",
        dest=dest("overrides"),
        action="append",
        default=argparse.SUPPRESS if after_command else [],
        metavar="SECTION.KEY=VALUE",
        help=shown("override one setting, e.g. --set nlp.batch_size=64 (repeatable)"),
    )
    parser.add_argument(
        "-j",
        "--jobs",
        dest=dest("jobs"),
        type=_positive,
        default=unset,
        metavar="N",
        help=shown("extract in N local worker processes (sets nlp.n_process)"),
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def _commands(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every command's parser, sub-commands (`kb import`) included."""
    found: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                found += [command, *_commands(command)]
    return found


def global_options(args: argparse.Namespace) -> tuple[Path | None, list[str]]:
    """The settings file and the `--set` overrides, from before and after the command;
    after wins (it comes later), and -j N adds `nlp.n_process=N` last."""
    config: Path | None = getattr(args, AFTER["config"], None) or args.config
    overrides = [*args.overrides, *getattr(args, AFTER["overrides"], [])]
    jobs: int | None = getattr(args, AFTER["jobs"], None) or args.jobs
    if jobs is not None:
        overrides.append(f"nlp.n_process={jobs}")
    return config, overrides


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
    serve.add_argument(
        "--watch",
        nargs="+",
        metavar="SOURCE",
        help="also follow these feeds, pages and folders as `sitrep watch` does, the server "
        "being the store's single writer (docs/api.md, ingest while serving)",
    )
    serve.add_argument(
        "--every",
        type=float,
        metavar="SECONDS",
        help="with --watch: seconds between the starts of two polls (default: watch.every)",
    )

    alerts = commands.add_parser("alerts", help="escalation and watchlist alerts: what fired, why")
    _db(alerts)
    alerts.add_argument("--since", help="alerts from this day on, YYYY[-MM[-DD]]")
    alerts.add_argument("--kind", choices=["escalation", "watchlist"], help="one kind only")
    alerts.add_argument("--rule", help="one watchlist rule only (its id)")
    alerts.add_argument("--limit", type=int, help="at most this many alerts")
    alerts.add_argument("--offset", type=int, default=0, help="alerts to skip")
    alerts.add_argument("--format", choices=["table", "jsonl"], default="table")
    delivery = alerts.add_mutually_exclusive_group()
    delivery.add_argument(
        "--deliver",
        action="store_true",
        help="POST every alert not yet delivered (new, or its episode grew) to "
        "deliver.webhook_url, once (docs/api.md)",
    )
    delivery.add_argument(
        "--follow",
        action="store_true",
        help="print one JSON line per alert as it fires or grows, each once, also across "
        "restarts; stops on Ctrl-C or after --polls looks",
    )
    alerts.add_argument(
        "--every", type=float, help="--follow: seconds between looks (deliver.follow_every)"
    )
    alerts.add_argument("--polls", type=int, help="--follow: stop after this many looks")

    brief = commands.add_parser("brief", help="situation briefing, every line cited")
    _db(brief)
    brief.add_argument("--story", help="only this story (id from `sitrep stories`)")
    _period(brief)
    brief.add_argument("--format", choices=["md", "html"], default="md")
    brief.add_argument("--out", type=Path, help="write to this file instead of stdout")


def _kb_commands(commands: Any) -> None:
    """kb import / kb show: the actor knowledge base (docs/ontology.md)."""
    kb = commands.add_parser("kb", help="actor knowledge base: import dictionaries, look up names")
    sub = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")
    imp = sub.add_parser(
        "import",
        help="convert an actor dictionary into sitrep actor YAML",
        description="Convert a PETRARCH/Phoenix .actors dictionary into an actor YAML file "
        "that extract.actor_files can load (CAMEO codes become country + sector).",
    )
    imp.add_argument("file", type=Path, help="the dictionary to import")
    imp.add_argument("--format", choices=["petrarch"], default="petrarch", dest="kb_format")
    imp.add_argument("--out", type=Path, help="write the YAML here instead of stdout")
    show = sub.add_parser("show", help="how a name or title resolves, on a date")
    show.add_argument("name", help='a name or title, e.g. "the Belarusian leader"')
    show.add_argument("--on", help="the article date, YYYY-MM-DD (default: today)")
    show.add_argument("--label", help="spaCy entity label (PERSON, ORG, GPE, NORP)")
    show.add_argument(
        "--actors",
        type=Path,
        action="append",
        default=[],
        help="extra actor YAML file (repeatable; added after extract.actor_files)",
    )
    show.add_argument("--json", action="store_true", help="print the answer as JSON")


def _filters(parser: argparse.ArgumentParser, type_help: str) -> None:
    """The filters of the listings: type, actor, country, period and a row limit."""
    parser.add_argument("--type", help=type_help)
    parser.add_argument("--actor", help="actor name or id (substring, case-insensitive)")
    parser.add_argument("--country", help="ISO 3166 alpha-3 country code")
    _period(parser)
    parser.add_argument("--limit", type=int, help="at most this many rows")


# The listing commands (store/query.py), each with the filters of its resource.
LISTINGS_HELP = {
    "events": "events (real events, or every mention with --mentions)",
    "quotes": "quotes",
    "articles": "articles",
    "stories": "stories",
    "actors": "actors of events, with counts as source and target",
    "places": "event places with coordinates, counts and types",
}


def _yes_no(value: str) -> bool:
    if value.lower() not in ("yes", "no", "true", "false"):
        raise argparse.ArgumentTypeError("yes or no")
    return value.lower() in ("yes", "true")


# argparse options of each filter of store/filters.py (its field name is the option's dest).
_FILTER_OPTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "type": ("--type", {"help": "PLOVER type(s), comma-separated, e.g. ASSAULT,COERCE"}),
    "actor": ("--actor", {"help": "actor name or id (substring, case-insensitive)"}),
    "country": ("--country", {"help": "ISO 3166 alpha-3 country code"}),
    "since": ("--since", {"help": "first date, YYYY[-MM[-DD]]"}),
    "until": ("--until", {"help": "last date, YYYY[-MM[-DD]] (inclusive)"}),
    "factuality": ("--factuality", {"help": "factuality value(s), comma-separated"}),
    "story": ("--story", {"help": "story id (from `sitrep stories`)"}),
    "kind": ("--kind", {"choices": list(QUOTE_KINDS), "help": "quote kind"}),
    "hedged": ("--hedged", {"type": _yes_no, "metavar": "yes|no", "help": "hedged or not"}),
    "state_media": (
        "--state-media",
        {"type": _yes_no, "metavar": "yes|no", "help": "relayed by state media, or not"},
    ),
    "place": ("--place", {"help": "place name, exactly as `sitrep places` lists it"}),
    "lat": ("--lat", {"type": float, "help": "place latitude, as `sitrep places` lists it"}),
    "lon": ("--lon", {"type": float, "help": "place longitude, as `sitrep places` lists it"}),
    "timing": (
        "--timing",
        {
            "choices": list(TIMINGS),
            "default": "current",
            "help": "current news (the default), background (history an article recalls, "
            "one row per mention) or all",
        },
    ),
    "mentions": (
        "--mentions",
        {"action": "store_true", "help": "one row per mention in an article, not per real event"},
    ),
    "order": (
        "--order",
        {"choices": list(ORDERS), "default": "oldest", "help": "by day, undated last"},
    ),
    "limit": ("--limit", {"type": int, "help": "at most this many rows"}),
    "offset": ("--offset", {"type": int, "default": 0, "help": "rows to skip"}),
}


def _listing_filters(parser: argparse.ArgumentParser, resource: str) -> None:
    """The filters of one resource (store/filters.py RESOURCE_FILTERS), as options."""
    for name in RESOURCE_FILTERS[resource]:
        flag, options = _FILTER_OPTIONS[name]
        parser.add_argument(flag, dest=name, **options)
    if resource == "quotes":
        # The quote kind used to be --type: kept, hidden, so existing scripts still run.
        parser.add_argument(
            "--type", dest="kind", choices=list(QUOTE_KINDS), help=argparse.SUPPRESS
        )


def _period(parser: argparse.ArgumentParser) -> None:
    """--since and --until: the dates a command covers, both inclusive."""
    parser.add_argument("--since", help="first date, YYYY[-MM[-DD]]")
    parser.add_argument("--until", help="last date, YYYY[-MM[-DD]] (inclusive)")


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help="DuckDB store (default: store.db setting)")


def _ingest_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="allow fetching from loopback and private network addresses",
    )
