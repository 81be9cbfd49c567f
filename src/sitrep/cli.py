"""sitrep's command line: the only module that prints.

Exit codes: 0 all input accepted, 3 some records rejected, 2 usage error, 1 fatal error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from sitrep.cli_args import build_parser, global_options
from sitrep.errors import REJECT_CODES, ConfigError, OutputError, SitrepError, UsageError
from sitrep.model import Reject
from sitrep.settings import Settings, load_settings

EXIT_OK, EXIT_FATAL, EXIT_USAGE, EXIT_REJECTS = 0, 1, 2, 3

EVENT_COLUMNS = [
    "date",
    "type",
    "factuality",
    "source",
    "source_country",
    "target",
    "target_country",
    "place",
    "trigger",
    "intensity",
    "outlet",
    "article_id",
]
QUOTE_COLUMNS = [
    "published",
    "speaker",
    "speaker_country",
    "via",
    "addressee",
    "kind",
    "hedged",
    "content",
    "outlet",
    "article_id",
]
STORY_COLUMNS = ["story_id", "first_seen", "last_seen", "articles", "outlets", "title"]
CANONICAL_COLUMNS = [
    "date",
    "type",
    "factuality",
    "source",
    "target",
    "place",
    "reports",
    "independent_sources",
    "outlets",
    "trigger",
    "article_id",
]
ARTICLE_COLUMNS = ["id", "published", "outlet", "title", "chars", "events", "quotes", "url"]
ACTOR_COLUMNS = ["name", "actor_id", "country", "sector", "events", "as_source", "as_target"]
PLACE_COLUMNS = ["name", "country", "lat", "lon", "events", "types"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(*global_options(args))
        if getattr(args, "allow_private", False):
            settings = settings.with_overrides({"ingest": {"allow_private": True}})
        settings = _webhook_secret(settings)
        handler = _HANDLERS[args.command]
        return handler(args, settings)
    except (ConfigError, UsageError) as exc:
        print(f"sitrep: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SitrepError as exc:
        print(f"sitrep: error: {exc}", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:
        print("sitrep: interrupted", file=sys.stderr)
        return EXIT_FATAL
    except BrokenPipeError:
        return EXIT_OK


def _webhook_secret(settings: Settings) -> Settings:
    """SITREP_WEBHOOK_SECRET, when set, signs webhook POSTs (kept out of config files)."""
    import os

    secret = os.environ.get("SITREP_WEBHOOK_SECRET")
    if not secret:
        return settings
    return settings.with_overrides({"deliver": {"webhook_secret": secret}})


def _db_path(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.db) if args.db else Path(settings.store.db)


def _print_reject(reject: Reject) -> None:
    print(f"sitrep: rejected {reject.origin}: {reject.code} {reject.reason}", file=sys.stderr)


def _items(args: argparse.Namespace, settings: Settings) -> Any:
    from sitrep.ingest import read_inputs

    return read_inputs(args.inputs, settings.ingest, stdin=sys.stdin.buffer)


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from sitrep.extract.service import Extractor
    from sitrep.model.serialize import extraction_to_dict

    extractor = Extractor(settings)
    rejected = 0
    out: TextIO = sys.stdout
    for result in extractor.stream(_items(args, settings)):
        if isinstance(result, Reject):
            rejected += 1
            _print_reject(result)
            continue
        out.write(json.dumps(extraction_to_dict(result), ensure_ascii=False) + "\n")
        out.flush()
    return EXIT_REJECTS if rejected else EXIT_OK


def _run_settings(args: argparse.Namespace, settings: Settings) -> Settings:
    """--engine, --workers and --scheduler override the [run] settings."""
    chosen = {"engine": args.engine, "workers": args.workers, "scheduler": args.scheduler}
    given = {k: v for k, v in chosen.items() if v is not None}
    if not given:
        return settings
    updated = settings.with_overrides({"run": given})
    if updated.run.engine != "dask" and (args.workers is not None or args.scheduler):
        raise UsageError("--workers and --scheduler need --engine dask")
    return updated


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from sitrep.run.engines import engine_for

    settings = _run_settings(args, settings)
    runner = engine_for(settings)
    show = settings.run.progress and not args.no_progress and sys.stderr.isatty()
    bar: Any = None
    if show:
        from tqdm import tqdm

        bar = tqdm(unit=" records", file=sys.stderr)
    try:
        report = runner(
            _items(args, settings),
            settings,
            _db_path(args, settings),
            reprocess=args.reprocess,
            on_reject=_print_reject,
            on_progress=bar.update if bar is not None else None,
        )
    finally:
        if bar is not None:
            bar.close()
    print(
        f"sitrep: {report.articles} articles stored, {report.skipped} already stored, "
        f"{len(report.rejects)} rejected, {report.events} events, {report.quotes} quotes; "
        f"store: {report.stories} stories, {report.canonical_events} canonical events, "
        f"{report.duplicates} copies; {report.seconds:.1f}s → {_db_path(args, settings)}",
        file=sys.stderr,
    )
    if settings.deliver.webhook_url:
        _print_webhook(len(report.delivered), len(report.delivery_failed), report.delivery_waiting)
    return EXIT_REJECTS if report.rejects else EXIT_OK


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    import signal
    import threading

    from sitrep.run.heap import fix_mmap_threshold
    from sitrep.run.watch import Watcher, watch

    every = settings.watch.every if args.every is None else args.every
    if every < 0 or (args.polls is not None and args.polls < 1):
        raise UsageError("--every must be >= 0 and --polls >= 1")
    _check_sources(args.sources)
    stop = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        print(f"sitrep watch: {signal.Signals(signum).name}: stopping", file=sys.stderr)
        stop.set()

    # A signal only sets the flag: the poll under way finishes and commits, then we stop.
    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    # Polls for days: large blocks go back to the system when freed (run/heap.py).
    fix_mmap_threshold(settings.watch.malloc_mmap_threshold)
    watcher = Watcher(args.sources, settings, _db_path(args, settings))
    try:
        done = watch(watcher, every=every, polls=args.polls, stop=stop, on_poll=_print_poll)
    finally:
        watcher.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print(f"sitrep watch: stopped after {done} polls", file=sys.stderr)
    return EXIT_OK


def _check_sources(sources: list[str]) -> None:
    for source in sources:
        if not source.lower().startswith(("http://", "https://")) and not Path(source).is_dir():
            raise UsageError(f"{source} is neither an http(s) URL nor a folder")


def _one_line(text: str) -> str:
    """Text from the web (links, server messages) made safe for one terminal line:
    control characters (newlines, escape sequences) are shown as escapes, not obeyed."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _print_poll(report: Any) -> None:
    """One line per poll; stand-in texts and failures in detail after it."""
    errors = _one_line(
        "; ".join(f"{source}: {why} (rests {rest:g}s)" for source, why, rest in report.errors)
    )
    print(
        f"sitrep watch: poll {report.number}: {report.polled} sources polled "
        f"({report.not_modified} not modified, {report.resting} resting), "
        f"{report.articles} new articles, {report.already_stored} already stored, "
        f"{len(report.rejects)} rejected, {len(report.errors)} errors"
        + (f" [{errors}]" if errors else "")
        + f"; {report.seconds:.1f}s",
        file=sys.stderr,
    )
    for origin, why in report.stand_ins:
        print(f"sitrep watch: {_one_line(origin)}: {_one_line(why)}", file=sys.stderr)
    for reject in report.rejects:
        _print_reject(reject)


def _print_webhook(delivered: int, failed: int, waiting: int) -> None:
    print(
        f"sitrep: webhook: {delivered} alert(s) delivered, {failed} given up (stored; "
        f"tried again next time), {waiting} waiting",
        file=sys.stderr,
    )


def _open_read(args: argparse.Namespace, settings: Settings) -> Any:
    from sitrep.store.db import connect

    return connect(_db_path(args, settings), read_only=True)


def cmd_resolve(args: argparse.Namespace, settings: Settings) -> int:
    """Resolve the store (incrementally unless `--full` or `resolve.incremental = false`)
    and record its alerts; delivery stays with `sitrep alerts --deliver`."""
    from sitrep.finish import RunReport, finish
    from sitrep.store.db import connect

    store = settings.store
    db = _db_path(args, settings)
    con = connect(db, memory_limit=store.memory_limit, lock_wait=store.lock_wait_seconds)
    try:
        report = finish(con, settings, RunReport(), deliver=False, full=args.full)
    finally:
        con.close()
    how = "full" if report.resolved_incrementally is None else "incremental"
    print(
        f"resolved ({how}): {report.duplicates} copies, {report.stories} stories, "
        f"{report.canonical_events} canonical events, {report.alerts} alerts",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from sitrep.store.read import stats
    from sitrep.views.render import table

    con = _open_read(args, settings)
    counts = stats(con)
    con.close()
    if args.format == "json":
        print(json.dumps(counts))
    else:
        print(table([{"table": k, "rows": v} for k, v in counts.items()], ["table", "rows"]))
    return EXIT_OK


def _listing(args: argparse.Namespace, settings: Settings, columns: list[str]) -> int:
    from sitrep.store.query import LISTINGS
    from sitrep.views.render import csv_text, jsonl, table

    filters = _filters(args, args.command)
    con = _open_read(args, settings)
    try:
        _, rows = LISTINGS[args.command](con, filters)
    finally:
        con.close()
    if args.format == "jsonl":
        records = [_json_record(r) for r in rows]
        if records:
            print(jsonl(records))
    elif args.format == "csv":
        print(csv_text(rows, columns))
    else:
        print(table(rows, columns))
    return EXIT_OK


# Fields a canonical event adds to the contract's Event record in JSON output.
CANONICAL_FIELDS = (
    "reports",
    "independent_sources",
    "outlets",
    "origin_outlet",
    "state_media_only",
    "article_ids",
    "mention_ids",
    "story_id",
    "disputes",
)


def _json_record(row: dict[str, Any]) -> dict[str, Any]:
    """A listing row as JSON: the contract record where one is stored, plus context."""
    from sitrep.store.read import decode_record

    if "record" not in row:
        return row
    record = {"article_id": row["article_id"], "outlet": row["outlet"], **decode_record(row)}
    if "reports" in row:
        record["canonical_id"] = row["id"]
        record.update({name: row[name] for name in CANONICAL_FIELDS})
    return record


def cmd_events(args: argparse.Namespace, settings: Settings) -> int:
    return _listing(args, settings, EVENT_COLUMNS if args.mentions else CANONICAL_COLUMNS)


def cmd_quotes(args: argparse.Namespace, settings: Settings) -> int:
    return _listing(args, settings, QUOTE_COLUMNS)


def cmd_articles(args: argparse.Namespace, settings: Settings) -> int:
    return _listing(args, settings, ARTICLE_COLUMNS)


def cmd_stories(args: argparse.Namespace, settings: Settings) -> int:
    return _listing(args, settings, STORY_COLUMNS)


def cmd_actors(args: argparse.Namespace, settings: Settings) -> int:
    return _listing(args, settings, ACTOR_COLUMNS)


def cmd_places(args: argparse.Namespace, settings: Settings) -> int:
    return _listing(args, settings, PLACE_COLUMNS)


def _filters(args: argparse.Namespace, resource: str) -> Any:
    """The store/filters.py Filters of a listing command, checked."""
    from sitrep.store.filters import RESOURCE_FILTERS, Filters, validate

    given = {name: getattr(args, name) for name in RESOURCE_FILTERS[resource]}
    if "factuality" in given:
        given["factuality"] = tuple((given["factuality"] or "").split(","))
    return validate(Filters(**given))


def _export_filters(args: argparse.Namespace) -> Any:
    from sitrep.store.filters import Filters, validate

    return validate(
        Filters(args.type, args.actor, args.country, args.since, args.until, limit=args.limit)
    )


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from sitrep.store.read import export

    if args.format.startswith("events-"):
        return _export_events(args, settings)
    given = [f"--{name}" for name in _FILTER_NAMES if getattr(args, name) is not None]
    if given or args.timing != "current":
        raise UsageError(
            f"{', '.join(given) or '--timing'} applies to the events-* formats only; "
            f"--format {args.format} writes every table whole"
        )
    con = _open_read(args, settings)
    written = export(con, args.format, Path(args.out))
    con.close()
    for path in written:
        print(path)
    return EXIT_OK


_FILTER_NAMES = ("type", "actor", "country", "since", "until", "limit")


def _export_events(args: argparse.Namespace, settings: Settings) -> int:
    """The flat event export (docs/export.md) to a file, or to stdout for `--out -`."""
    from sitrep.views.event_export import export_events, target_file

    target = None if args.out == "-" else target_file(args.format, args.out)
    con = _open_read(args, settings)
    try:
        count = export_events(
            con,
            args.format,
            _export_filters(args),
            args.timing,
            sys.stdout if target is None else target,
        )
    finally:
        con.close()
    where = "stdout" if target is None else str(target)
    print(f"sitrep: {count} events → {where}", file=sys.stderr)
    if target is not None:
        print(target)
    return EXIT_OK


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from sitrep.eval import run_eval
    from sitrep.views.eval_report import report_text

    report = run_eval(args.stage, args.gold, args.gold_format, settings, args.limit)
    print(json.dumps(report.as_dict()) if args.json else report_text(report))
    return EXIT_OK


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    from sitrep.extract.event_model import save_event_model
    from sitrep.run.train_events import read_labelled, train_events
    from sitrep.views.render import table

    items = read_labelled(args.data)
    result = train_events(items, settings, folds=args.folds, c=args.c)
    save_event_model(result.model, args.out)
    if result.per_class:
        print(f"{args.folds}-fold cross-validation (sentence label = the model's top type):")
        print(table(result.per_class, ["class", "n", "p", "r", "f1"]))
        print(f"macro-F1 {result.macro_f1:.3f}  accuracy {result.accuracy:.3f}")
    print(
        f"wrote {args.out}: {result.sentences} sentences, {result.rows} candidate rows, "
        f"{result.uncovered} sentences without a rule candidate"
    )
    print(f"use it with: sitrep --set extract.event_model={args.out} …")
    return EXIT_OK


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from sitrep.run.bench import run_bench
    from sitrep.views.render import table

    data = run_bench(args.corpus, args.n, settings).as_dict()
    if args.format == "json":
        print(json.dumps(data))
        return EXIT_OK
    shares = data.pop("stage_share")
    print(table([{"measure": k, "value": v} for k, v in data.items()], ["measure", "value"]))
    print()
    print(table([{"stage": k, "share": v} for k, v in shares.items()], ["stage", "share"]))
    return EXIT_OK


def cmd_bench_incremental(args: argparse.Namespace, settings: Settings) -> int:
    from sitrep.run.incremental_bench import IncrementalTiming, ratios, run_incremental_bench
    from sitrep.views.render import table

    def progress(row: IncrementalTiming) -> None:
        print(json.dumps(row.as_dict()), file=sys.stderr)

    timings = run_incremental_bench(
        args.corpus,
        args.sizes,
        args.add,
        settings,
        extract=args.extract,
        mentions=args.mentions,
        repeat=args.repeat,
        whole=args.whole,
        on_row=progress,
    )
    rows = [t.as_dict() for t in timings]
    ratio = ratios(timings)
    if args.format == "json":
        print(json.dumps({"timings": rows, "per_article_ratio_largest_to_smallest": ratio}))
        return EXIT_OK
    print(table(rows, list(rows[0]) if rows else []))
    for key, value in ratio.items():
        if key.startswith("whole:"):
            scenario = key.removeprefix("whole:")
            print(f"{scenario}: whole addition's per-article cost, largest / smallest = {value}")
        else:
            print(f"{key}: per-article cost, largest store / smallest = {value}")
    return EXIT_OK


def cmd_bench_queries(args: argparse.Namespace, settings: Settings) -> int:
    from sitrep.run.query_bench import run_query_bench
    from sitrep.views.render import table

    if args.events < 8 or args.repeat < 1:
        raise UsageError("--events must be at least 8 and --repeat at least 1")
    result = run_query_bench(
        settings, events=args.events, db=args.db, repeat=args.repeat, only=args.only
    )
    data = result.as_dict()
    if args.format == "json":
        print(json.dumps(data))
        return EXIT_OK
    counts = ", ".join(f"{k} {v:,}" for k, v in result.counts.items() if v)
    print(f"store {result.db}: {counts} (ready in {result.build_seconds} s)")
    columns = ["query", "runs", "p50_ms", "p95_ms", "max_ms", "cpu_p95_ms", "rows"]
    print(table(data["timings"], columns))
    return EXIT_OK


def cmd_summary(args: argparse.Namespace, settings: Settings) -> int:
    from sitrep.store.read import summary
    from sitrep.views.summary import summary_text

    con = _open_read(args, settings)
    data = summary(con)
    con.close()
    print(json.dumps(data, default=str) if args.format == "json" else summary_text(data))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import os

    import uvicorn

    from sitrep.views.api import create_app
    from sitrep.views.hosts import allowed_hosts, token_warning

    db = _db_path(args, settings)
    every = settings.watch.every if args.every is None else args.every
    if args.watch:
        _check_sources(args.watch)
        if every < 0:
            raise UsageError("--every must be >= 0")
    elif args.every is not None:
        raise UsageError("--every goes with --watch")
    _open_read(args, settings).close()  # fail now, with a clear message, if the store is bad
    host = args.host or settings.api.host
    port = args.port or settings.api.port
    token = os.environ.get("SITREP_TOKEN") or None
    hosts = allowed_hosts(host, settings.api.allowed_hosts)
    app = create_app(db, settings, token=token, allowed_hosts=hosts, shared=bool(args.watch))
    mode = "ingest enabled (token set)" if token else "read-only"
    if args.watch:
        mode += f", watching {len(args.watch)} sources every {every:g} s"
    print(f"sitrep: serving {db} on http://{host}:{port}/ ({mode})", file=sys.stderr)
    warning = token_warning(host, token)
    if warning:
        print(f"sitrep: {warning}", file=sys.stderr)
    if hosts is None:
        print(
            "sitrep: note: any Host header is answered; set api.allowed_hosts to the names "
            "clients use to guard against DNS rebinding",
            file=sys.stderr,
        )
    if not args.watch:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return EXIT_OK
    _serve_watching(
        app,
        args.watch,
        every,
        settings,
        db,
        lambda: uvicorn.run(app, host=host, port=port, log_level="warning"),
    )
    return EXIT_OK


def _serve_watching(
    app: Any, sources: list[str], every: float, settings: Settings, db: Path, serve: Any
) -> None:
    """Serve while a background thread polls `sources` and writes through the server's
    own database (the single writer). Stopping the server stops the watcher after its
    current poll, which commits."""
    import threading

    from sitrep.run.heap import fix_mmap_threshold
    from sitrep.run.watch import Watcher, watch

    store = app.state.store
    stop = threading.Event()
    fix_mmap_threshold(settings.watch.malloc_mmap_threshold)  # as `sitrep watch` does
    watcher = Watcher(sources, settings, db, open_store=store.writer)

    def follow() -> None:
        try:
            watch(watcher, every=every, polls=None, stop=stop, on_poll=_print_poll)
        except Exception as exc:  # the server goes on answering what is stored
            print(f"sitrep serve: watcher stopped: {_one_line(str(exc))}", file=sys.stderr)

    thread = threading.Thread(target=follow, name="sitrep-watch", daemon=True)
    thread.start()
    try:
        serve()
    finally:
        stop.set()
        thread.join()
        watcher.close()
        store.close()


ALERT_COLUMNS = [
    "day",
    "last_day",
    "kind",
    "rule",
    "source_country",
    "target_country",
    "events",
    "probability",
]


def cmd_alerts(args: argparse.Namespace, settings: Settings) -> int:
    from sitrep.analyze.alerts import evaluate_alerts, select_alerts
    from sitrep.views.render import jsonl, safe_text, table

    selective = args.since or args.kind or args.rule or args.limit is not None or args.offset
    if (args.follow or args.deliver) and (selective or args.format != "table"):
        raise UsageError(
            "--follow and --deliver take every alert, as JSON: no --since, --kind, --rule, "
            "--limit, --offset or --format"
        )
    if args.follow:
        return _follow_alerts(args, settings)
    if args.deliver:
        return _deliver_alerts(args, settings)
    if args.limit is not None and args.limit < 0 or args.offset < 0:
        raise UsageError("--limit and --offset must be 0 or more")
    con = _open_read(args, settings)
    found = select_alerts(
        evaluate_alerts(con, settings), since=args.since, kind=args.kind, rule=args.rule
    )
    con.close()
    end = None if args.limit is None else args.offset + args.limit
    alerts = found[args.offset : end]
    if args.format == "jsonl":
        if alerts:
            print(jsonl([a.as_dict() for a in alerts]))
        return EXIT_OK
    if not alerts:
        print("(no alerts)")
    for a in alerts:
        print(table([a.as_dict()], ALERT_COLUMNS))
        print(f"  {safe_text(a.title)}: {safe_text(a.why)}")
        for e in a.evidence:
            print(
                f"  - {safe_text(e['day'])} {safe_text(e['type'])} ({safe_text(e['factuality'])}) "
                f"{safe_text(e['sentence'])[:160]} [{safe_text(e['outlet'])}, "
                f"{safe_text(e['published'])}, {safe_text(e['article_id'])}]"
            )
        print()
    return EXIT_OK


def _deliver_alerts(args: argparse.Namespace, settings: Settings) -> int:
    """One webhook pass: every alert not yet delivered in its current version."""
    from sitrep.analyze.alerts import evaluate_alerts
    from sitrep.deliver.webhook import deliver_webhook
    from sitrep.store.db import connect

    if not settings.deliver.webhook_url:
        raise UsageError("--deliver needs a webhook: set deliver.webhook_url")
    db = _db_path(args, settings)
    if not db.exists():
        raise UsageError(f"store {db} does not exist (create it with `sitrep run`)")
    con = connect(
        db, memory_limit=settings.store.memory_limit, lock_wait=settings.store.lock_wait_seconds
    )
    try:
        sent = deliver_webhook(con, settings.deliver, evaluate_alerts(con, settings))
    finally:
        con.close()
    _print_webhook(len(sent.delivered), len(sent.failed), sent.waiting)
    return EXIT_FATAL if sent.failed else EXIT_OK


def _follow_alerts(args: argparse.Namespace, settings: Settings) -> int:
    """Print each alert as it fires or grows, once, until SIGINT or --polls looks."""
    import signal
    import threading

    from sitrep.deliver.follow import follow

    every = settings.deliver.follow_every if args.every is None else args.every
    if every <= 0 or (args.polls is not None and args.polls < 1):
        raise UsageError("--every must be above 0 and --polls at least 1")
    stop = threading.Event()

    def emit(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()  # a line is recorded as printed only once it left the process

    def skip(message: str) -> None:
        print(f"sitrep: {message}", file=sys.stderr)

    # SIGINT sets the flag and the loop ends after the line in hand is printed and recorded.
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"sitrep: following alerts of {_db_path(args, settings)} (Ctrl-C stops)", file=sys.stderr)
    try:
        written = follow(
            _db_path(args, settings),
            settings,
            emit,
            every=every,
            polls=args.polls,
            stop=stop,
            on_skip=skip,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    print(f"sitrep: {written} alert(s) printed", file=sys.stderr)
    return EXIT_OK


def cmd_brief(args: argparse.Namespace, settings: Settings) -> int:
    from sitrep.views.brief import build_brief, render_html, render_markdown

    con = _open_read(args, settings)
    brief = build_brief(con, settings, story=args.story, since=args.since, until=args.until)
    con.close()
    text = render_html(brief) if args.format == "html" else render_markdown(brief)
    if args.out:
        try:
            args.out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
        print(f"sitrep: briefing written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_kb(args: argparse.Namespace, settings: Settings) -> int:
    if args.kb_command == "import":
        return _kb_import(args)
    return _kb_show(args, settings)


def _kb_import(args: argparse.Namespace) -> int:
    from sitrep.kb.petrarch import dump_yaml, parse_actors, to_yaml

    try:
        text = args.file.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc}") from exc
    data, warnings = to_yaml(parse_actors(text, str(args.file)), str(args.file))
    for w in warnings:
        print(f"sitrep: skipped {w}", file=sys.stderr)
    out = dump_yaml(data, args.file.name)
    if args.out is None:
        sys.stdout.write(out)
    else:
        args.out.write_text(out, encoding="utf-8")
        n_met = len(data.get("metonyms", []))
        print(f"{len(data['actors'])} actors, {n_met} state names -> {args.out}", file=sys.stderr)
    return EXIT_OK


def _kb_show(args: argparse.Namespace, settings: Settings) -> int:
    import datetime as dt

    from sitrep.kb.actors import ActorKB

    try:
        on = dt.date.fromisoformat(args.on) if args.on else dt.date.today()
    except ValueError as exc:
        raise UsageError(f"--on: not a YYYY-MM-DD date: {args.on!r}") from exc
    kb = ActorKB.load(extra_files=[*settings.extract.actor_files, *args.actors])
    found = kb.explain(args.name, args.label, on)
    if args.json:
        print(json.dumps(found, ensure_ascii=False))
        return EXIT_OK
    if found is None:
        print(f"{args.name!r} on {on}: no actor")
        return EXIT_OK
    role = f" as {found['role']}" if found["role"] else ""
    print(f"{args.name!r} on {on} -> {found['actor_id']} ({found['actor']}){role}")
    print(
        f"  country {found['country']}, sector {found['sector']}, kind {found['kind']}, "
        f"match {found['match']}, source type {found['source_type']}"
    )
    for r in found.get("roles", []):
        mark = "*" if r["active"] else " "
        print(f"  {mark} {r['role']} of {r['org']}: {r['from'] or '…'} to {r['to'] or '…'}")
    if found.get("file"):
        print(f"  from {found['file']}")
    return EXIT_OK


_HANDLERS = {
    "extract": cmd_extract,
    "run": cmd_run,
    "watch": cmd_watch,
    "resolve": cmd_resolve,
    "stats": cmd_stats,
    "events": cmd_events,
    "quotes": cmd_quotes,
    "articles": cmd_articles,
    "stories": cmd_stories,
    "actors": cmd_actors,
    "places": cmd_places,
    "export": cmd_export,
    "summary": cmd_summary,
    "eval": cmd_eval,
    "bench": cmd_bench,
    "train": cmd_train,
    "bench-incremental": cmd_bench_incremental,
    "bench-queries": cmd_bench_queries,
    "serve": cmd_serve,
    "alerts": cmd_alerts,
    "brief": cmd_brief,
    "kb": cmd_kb,
}

__all__ = ["REJECT_CODES", "build_parser", "main"]
