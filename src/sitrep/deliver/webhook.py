"""POST due alerts to the configured webhook: one JSON document per alert, retried with
exponential backoff, recorded as delivered only after a 2xx answer.

The host's addresses are checked like every fetch (ingest/http.py: loopback, private and
link-local addresses are refused unless `deliver.allow_private`), the connection goes to
the address checked, and redirects are never followed, so neither DNS nor a 3xx answer
can turn an alert into a request to the internal network.

A receiver that answered 2xx but whose answer the process did not live to record gets the
alert again after a restart: each POST carries its key (X-Sitrep-Delivery) for that case.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import duckdb
import httpx

from sitrep.analyze.alert_record import Alert
from sitrep.deliver.due import Due, document, due_alerts
from sitrep.errors import FetchError
from sitrep.ingest.http import Resolver, check_address
from sitrep.settings import DeliverSettings
from sitrep.store.deliveries import DELIVERED, FAILED, channel_state, record_delivery

CHANNEL = "webhook"
log = logging.getLogger(__name__)

# Answers after which the same POST may succeed later; any other 4xx will not.
_TRANSIENT = frozenset({408, 425, 429})


@dataclass(frozen=True, slots=True)
class Outcome:
    delivered: bool
    attempts: int
    detail: str
    # The receiver is unreachable or refused for every alert (down, 5xx, refused address,
    # redirect): the pass stops and leaves the rest for the next.
    stop: bool


@dataclass(slots=True)
class WebhookReport:
    delivered: list[str] = field(default_factory=list)  # delivery keys
    failed: list[str] = field(default_factory=list)
    waiting: int = 0  # due alerts left for the next pass after a failure stopped this one


def signature(secret: str, body: bytes) -> str:
    """The X-Sitrep-Signature value: sha256= and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _request_once(
    client: httpx.Client,
    url: httpx.URL,
    body: bytes,
    headers: dict[str, str],
    cfg: DeliverSettings,
    resolver: Resolver | None,
) -> tuple[int | None, str]:
    """One POST to the first checked address: (status, detail); status None when nothing
    answered. FetchError when the address is refused."""
    address = check_address(url.host, cfg.allow_private, resolver)[0]
    pinned = url.copy_with(host=address)
    sent = {**headers, "Host": url.netloc.decode("ascii")}
    try:
        response = client.post(
            pinned,
            content=body,
            headers=sent,
            extensions={"sni_hostname": url.raw_host.decode("ascii")},
            follow_redirects=False,
            timeout=cfg.timeout,
        )
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"
    return response.status_code, f"HTTP {response.status_code} {response.reason_phrase}".strip()


def post_alert(
    client: httpx.Client,
    due: Due,
    cfg: DeliverSettings,
    *,
    sleep: Callable[[float], None] = time.sleep,
    resolver: Resolver | None = None,
) -> Outcome:
    """POST one alert, trying up to `cfg.tries` times with exponential backoff."""
    url = httpx.URL(cfg.webhook_url)
    if url.scheme not in ("http", "https"):
        return Outcome(False, 0, f"refused: webhook must be http(s), not {url.scheme!r}", True)
    # ASCII JSON: hostile text may hold lone surrogates, which UTF-8 cannot encode.
    body = json.dumps(document(due), ensure_ascii=True, default=str).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "sitrep-webhook",
        "X-Sitrep-Delivery": due.key,
    }
    if cfg.webhook_secret:
        headers["X-Sitrep-Signature"] = signature(cfg.webhook_secret, body)
    wait = cfg.backoff_seconds
    detail = ""
    tries = max(1, cfg.tries)
    for attempt in range(1, tries + 1):
        try:
            status, detail = _request_once(client, url, body, headers, cfg, resolver)
        except FetchError as exc:
            detail = exc.message.replace("use --allow-private", "deliver.allow_private")
            return Outcome(False, attempt, detail, True)
        if status is not None and 200 <= status < 300:
            return Outcome(True, attempt, detail, False)
        if status is not None and 300 <= status < 400:
            return Outcome(False, attempt, f"{detail}: redirects are not followed", True)
        if status is not None and 400 <= status < 500 and status not in _TRANSIENT:
            return Outcome(False, attempt, detail, False)  # this alert, not the receiver
        if attempt < tries:
            log.info(
                "webhook try %d of %s failed (%s); again in %.3g s", attempt, due.key, detail, wait
            )
            sleep(wait)
            wait = min(wait * cfg.backoff_factor, cfg.max_backoff_seconds)
    return Outcome(False, tries, detail, True)


def deliver_webhook(
    con: duckdb.DuckDBPyConnection,
    cfg: DeliverSettings,
    alerts: Sequence[Alert],
    *,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    resolver: Resolver | None = None,
) -> WebhookReport:
    """Deliver every due alert to `cfg.webhook_url` (nothing when it is empty), recording
    each outcome in `con` (writable) as it happens."""
    report = WebhookReport()
    if not cfg.webhook_url:
        return report
    due = due_alerts(alerts, channel_state(con, CHANNEL))
    own = client is None
    http = client or httpx.Client()
    try:
        for n, item in enumerate(due):
            outcome = post_alert(http, item, cfg, sleep=sleep, resolver=resolver)
            status = DELIVERED if outcome.delivered else FAILED
            record_delivery(
                con,
                item.alert.id,
                item.version,
                CHANNEL,
                status=status,
                attempts=outcome.attempts,
                detail=outcome.detail,
            )
            if outcome.delivered:
                report.delivered.append(item.key)
                continue
            report.failed.append(item.key)
            log.warning(
                "webhook gave up on alert %s after %d tries: %s",
                item.key,
                outcome.attempts,
                outcome.detail,
            )
            if outcome.stop:
                report.waiting = len(due) - n - 1
                break
    finally:
        if own:
            http.close()
    return report
