"""The finishing step every way of storing articles ends with: once new extractions are
written, resolve the store (copies, stories, canonical events; incrementally, only what the
new articles touch, unless a full resolution is asked for or needed), record the alerts
and deliver them to the webhook.

The local and Dask engines (`run/`), `sitrep watch` and the API's ingest (`views/`) all call
`finish`, so they leave the store alike. It sits above `deliver/` and below `views/` in the
flow, because it composes resolve, store, analyze and deliver.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from sitrep.analyze.alert_config import AlertConfig
from sitrep.analyze.alerts import record_alerts
from sitrep.deliver.webhook import deliver_webhook
from sitrep.kb.state_media import load_state_media
from sitrep.model import Reject
from sitrep.resolve import resolve_ordered
from sitrep.settings import Settings
from sitrep.store.incremental import IncrementalReport, resolve_incrementally, settings_digest
from sitrep.store.resolution import (
    resolution_articles,
    resolution_mentions,
    write_resolution,
)
from sitrep.store.story_features import FeaturesWriter


@dataclass(slots=True)
class RunReport:
    articles: int = 0
    skipped: int = 0
    rejects: list[Reject] = field(default_factory=list)
    events: int = 0
    quotes: int = 0
    duplicates: int = 0
    stories: int = 0
    canonical_events: int = 0
    alerts: int = 0
    # Webhook deliveries of this run (deliver.webhook_url): delivery keys sent, given up on,
    # and due alerts left for the next pass after the receiver failed.
    delivered: list[str] = field(default_factory=list)
    delivery_failed: list[str] = field(default_factory=list)
    delivery_waiting: int = 0
    seconds: float = 0.0
    # What incremental resolution did (None: the whole store was resolved).
    resolved_incrementally: IncrementalReport | None = None


def finish(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    report: RunReport | None = None,
    *,
    resolve: bool = True,
    deliver: bool = True,
    full: bool = False,
    alert_config: AlertConfig | None = None,
    state_media: frozenset[str] | None = None,
) -> RunReport:
    """Resolve the store (unless `resolve` is false: nothing new was written), record the
    alerts and, with `deliver`, POST the new and grown ones to the webhook. Counts go into
    `report` (a new one when none is given), which is returned. `full` resolves the whole
    store again even with `resolve.incremental`. `alert_config` and `state_media`: the
    rules and weights, and the state-media outlets' names, as a caller that finishes many
    batches keeps them (analyze/alert_config.py, kb/state_media.py)."""
    report = report if report is not None else RunReport()
    if resolve:
        report.resolved_incrementally = resolve_store(
            con, settings, report, full=full, state_media=state_media
        )
    if deliver:
        record_and_deliver(con, settings, report, alert_config)
    else:
        report.alerts = len(record_alerts(con, settings, alert_config))
    return report


def record_and_deliver(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    report: RunReport,
    alert_config: AlertConfig | None = None,
) -> None:
    """Evaluate and store the alerts (watchlists and escalation, on every run), then POST
    the new and grown ones to the webhook, if one is set (deliver/webhook.py)."""
    alerts = record_alerts(con, settings, alert_config)
    sent = deliver_webhook(con, settings.deliver, alerts)
    report.alerts = len(alerts)
    report.delivered, report.delivery_failed = sent.delivered, sent.failed
    report.delivery_waiting = sent.waiting


def resolve_store(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    report: RunReport | None = None,
    *,
    full: bool = False,
    state_media: frozenset[str] | None = None,
) -> IncrementalReport | None:
    """Resolve copies, stories and canonical events. With `resolve.incremental` (and not
    `full`), only what the articles written since the last resolution touch is resolved
    again (store/incremental.py), with the result of a full run; it returns what it did.
    Otherwise, or when the stored state cannot be built on, the whole store is resolved,
    in a canonical order, so the result never depends on arrival order (returns None).
    `state_media`: the state-media outlets' names of `settings.extract.actor_files`, when
    the caller keeps them (else they are read from the actor KB, which takes ~0.4 s)."""
    if state_media is None:
        state_media = load_state_media(settings.extract.actor_files).names
    if settings.resolve.incremental and not full:
        done = resolve_incrementally(con, settings.resolve, state_media)
        if done is not None:
            if report is not None:
                report.duplicates = done.duplicates
                report.stories = done.stories
                report.canonical_events = done.canonical_events
            return done
    mentions = resolution_mentions(con)  # read first: the article stream holds `con`
    features = FeaturesWriter(con)  # kept for incremental resolution
    result = resolve_ordered(
        resolution_articles(con), mentions, settings.resolve, state_media, features
    )
    features.close()
    write_resolution(con, result, settings_digest(settings.resolve, state_media))
    if report is not None:
        report.duplicates = len(result.duplicate_of)
        report.stories = len(result.stories)
        report.canonical_events = len(result.events)
    return None
