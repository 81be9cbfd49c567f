"""The dashboard in headless Chromium (Debian's chromium, driven by Playwright), against
uvicorn on 127.0.0.1. Screenshots go to tests/artifacts/. Skips, saying why, when Chromium
or Playwright is missing."""

from __future__ import annotations

import json
import re
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from api_store import BACKGROUND, BACKGROUND_DAY, HOSTILE_ID, PLANNED_DAY, SAMPLES, build_store
from sitrep.settings import Settings
from sitrep.store.watch_state import SourceState, write_watch_state
from sitrep.views.api import create_app
from sitrep.views.api_store import Store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')"
)
if not Path(CHROMIUM).exists():
    pytest.skip(
        f"chromium not found at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Iterator[str]:
    import uvicorn

    db = build_store(tmp_path_factory.mktemp("browser"), BACKGROUND)
    port = _free_port()
    app = create_app(db, settings, allowed_hosts=["127.0.0.1"])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        try:
            launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # a broken Chromium install is a skip, not a failure
            pytest.skip(f"chromium at {CHROMIUM} does not start: {exc}")
        yield launched
        launched.close()


@pytest.fixture(params=[False, True], ids=["csp", "no-csp"])
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    # Also without the Content-Security-Policy: escaping alone must keep hostile text inert.
    context = browser.new_context(
        viewport={"width": 1400, "height": 1600}, bypass_csp=request.param
    )
    opened = context.new_page()
    opened.errors = []
    opened.on("pageerror", lambda exc: opened.errors.append(str(exc)))
    opened.on("dialog", lambda d: (opened.errors.append("dialog: " + d.message), d.dismiss()))
    # Offline: any request that leaves 127.0.0.1 is a failure.
    opened.outside = []
    opened.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(("http://127.0.0.1", "data:"))
            else opened.outside.append(r.url)
        ),  # noqa: E501
    )
    yield opened
    context.close()


def _until(check: Any, timeout: float = 15.0) -> None:
    """Poll from Python (wait_for_function evaluates strings, which the page's CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the dashboard")
        time.sleep(0.1)


def _ready(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)


def test_dashboard_renders_timeline_map_events(page: Any, base_url: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    _ready(page, base_url + "/")
    assert page.locator("#timeline rect.bar").count() > 0
    assert page.locator("#map path.country").count() > 100
    assert page.locator("#map circle.place").count() > 0
    assert page.locator("#events tbody tr").count() > 0
    assert page.locator("#quotes tbody tr").count() > 0
    assert page.locator("#stories tbody tr").count() > 0
    assert page.locator("#alerts li").count() > 0
    assert page.locator("#escalation polyline.score-line").count() == 1
    assert page.locator("#quotes .badge.state").count() > 0  # BelTA, state media
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert page.errors == [] and page.outside == []


def test_filters_and_click_through_to_the_sentence(page: Any, base_url: str) -> None:
    _ready(page, base_url + "/")
    page.select_option("#filters select[name=type]", "ASSAULT")
    page.click("#filters button[type=submit]")
    types = page.locator("#events tbody tr td:nth-child(2)")
    _until(
        lambda: (
            types.count() > 0 and all(t.startswith("ASSAULT") for t in types.all_text_contents())
        )
    )
    row = page.locator("#events tbody tr").first
    sentence = row.get_attribute("title")
    row.click()
    page.wait_for_selector("#article-text mark")
    assert page.locator("#article").is_visible()
    assert page.locator("#article-text mark").text_content() == sentence
    page.screenshot(path=str(ARTIFACTS / "article.png"))
    page.click("#close-article")
    assert not page.locator("#article").is_visible()
    quote_row = page.locator("#quotes tbody tr").first
    content = quote_row.locator("td:nth-child(4)").text_content()
    quote_row.click()
    _until(lambda: f"“{page.locator('#article-text mark').text_content()}”" == content)
    assert page.errors == []


def test_clicking_a_place_lists_all_its_events_from_the_server(page: Any, base_url: str) -> None:
    """A place row carries only its latest ids: the table asks /api/events for the place."""
    _ready(page, base_url + "/")
    circle = page.locator("#map circle.place").first
    tip = circle.locator("title").text_content()
    name, events = tip.split(" (")[0], int(tip.split("): ")[1].split(" events")[0])
    # A click redraws the table and the map, each after its own answer from the server:
    # wait for both answers, then for the DOM they fill (the map's redraw could land after
    # the table's, which a check of the map right after the table's count raced).
    with (
        page.expect_response(lambda r: "/api/events" in r.url and "place=" in r.url) as listed,
        page.expect_response(lambda r: "/api/places" in r.url) as redrawn,
    ):
        circle.dispatch_event("click")
    assert "lat=" in listed.value.url and "lon=" in listed.value.url and redrawn.value.ok
    count = page.locator("#events-count")
    _until(lambda: count.text_content().endswith(f" at {name}"))
    assert count.text_content() == f"{events} events at {name}"
    places = page.locator("#events tbody tr td:nth-child(6)").all_text_contents()
    assert places and set(places) == {name} and len(places) == min(events, 50)
    _until(lambda: page.locator("#map circle.place.selected").count() == 1)
    assert page.errors == []


def test_hostile_article_renders_as_text_and_runs_nothing(page: Any, base_url: str) -> None:
    _ready(page, f"{base_url}/#article={quote(HOSTILE_ID, safe='')}&start=0&end=10")
    page.wait_for_selector("#article-text mark")
    text = page.locator("#article-text").text_content()
    assert "<script>window.__pwned='text'</script>" in text
    assert "onerror=" in page.locator("#article-meta").text_content()
    assert page.locator("#article-title").text_content().startswith("<script>")
    assert page.locator("#article-url").get_attribute("href") is None  # javascript: URL
    assert page.locator("#article img, #article script").count() == 0
    assert page.evaluate("window.__pwned === undefined")
    page.screenshot(path=str(ARTIFACTS / "hostile.png"))
    assert page.errors == []


def _api(base_url: str, path: str, **params: Any) -> Any:
    """What the server answers, asked from Python (the expected values of a view)."""
    with urllib.request.urlopen(f"{base_url}{path}?{urlencode(params)}", timeout=10) as r:
        return json.loads(r.read())


def _day_labels(page: Any, chart: str) -> list[str]:
    texts = page.locator(f"{chart} text.axis").all_text_contents()
    return [t for t in texts if DAY.fullmatch(t)]


def _event_days(page: Any) -> list[str]:
    """The day of each row of the events table ("" for an event without a day, whose cell
    shows its raw date such as 2024-SU)."""
    cells = page.locator("#events tbody tr td:nth-child(1)").all_text_contents()
    return [d[:10] if DAY.fullmatch(d[:10]) else "" for d in cells]


def test_timeline_and_table_follow_the_news_not_outliers(page: Any, base_url: str) -> None:
    """The store holds a battle of 1944 (background) and drills planned after the last
    article: neither stretches the timeline, and the table starts with the newest event."""
    _ready(page, base_url + "/")
    period = _api(base_url, "/api/timeseries")["period"]
    labels = _day_labels(page, "#timeline")
    assert (labels[0], labels[-1]) == (period["first"], period["last"])
    assert period["last"] < PLANNED_DAY
    bars = page.locator("#timeline rect.bar")
    drawn = {bars.nth(i).get_attribute("data-day") for i in range(bars.count())}
    assert drawn and all(period["first"] <= d <= period["last"] for d in drawn)
    note = page.locator("#timeline-note").text_content()
    assert f"1 event dated after {period['last']} (latest {PLANNED_DAY})" in note
    days = _event_days(page)
    everything = _api(base_url, "/api/events", limit=1000)["items"]
    assert days[0] == max(e["day"] for e in everything if e["day"]) == PLANNED_DAY
    dated = [d for d in days if d]
    assert dated == sorted(dated, reverse=True)
    assert BACKGROUND_DAY not in days and page.locator("#events .badge.background").count() == 0
    header = page.locator("#range").text_content()
    assert f"published {period['first']} to {period['last']}" in header
    page.screenshot(path=str(ARTIFACTS / "defaults.png"), full_page=True)
    assert page.errors == []


def test_show_background_events_lists_them_without_stretching_the_axis(
    page: Any, base_url: str
) -> None:
    _ready(page, base_url + "/")
    control = page.locator("#show-background")
    assert control.is_visible() and not control.is_checked()
    assert page.locator("label", has=control).text_content().strip() == "Show background events"
    labels = _day_labels(page, "#timeline")
    count = page.locator("#events-count")
    with page.expect_response(lambda r: "/api/events" in r.url and "timing=all" in r.url):
        control.check()
    _until(lambda: "with background" in count.text_content())
    _until(lambda: BACKGROUND_DAY in _event_days(page))
    row = page.locator("#events tbody tr", has=page.locator(".badge.background")).filter(
        has_text=BACKGROUND_DAY
    )
    assert row.count() == 1 and "ASSAULT" in row.text_content()
    days = _event_days(page)
    assert days[0] == PLANNED_DAY  # the newest still heads the table
    _until(lambda: "earliest " + BACKGROUND_DAY in page.locator("#timeline-note").text_content())
    assert _day_labels(page, "#timeline") == labels
    with page.expect_response(lambda r: "/api/events" in r.url and "timing" not in r.url):
        control.uncheck()
    _until(lambda: "with background" not in count.text_content())
    _until(lambda: BACKGROUND_DAY not in _event_days(page))
    assert page.errors == []


def test_escalation_chart_shows_the_selected_period(page: Any, base_url: str) -> None:
    """BLR → UKR has a day after the last article (the planned drills): the chart stops at
    the timeline's period, and follows it when the period is narrowed."""
    _ready(page, base_url + "/")
    period = _api(base_url, "/api/timeseries")["period"]
    pair = {"source": "BLR", "target": "UKR"}
    assert _api(base_url, "/api/escalation", **pair)["series"][-1]["day"] == PLANNED_DAY
    shown = _api(base_url, "/api/escalation", since=period["first"], until=period["last"], **pair)
    wanted = {p["day"] for p in shown["series"] if p["events"]}
    with page.expect_response(lambda r: "/api/escalation" in r.url and "source=BLR" in r.url):
        page.select_option("#pair", "BLR>UKR")

    def dots() -> set[str]:
        tips = page.locator("#escalation circle title").all_text_contents()
        return {t.split(":")[0] for t in tips}

    _until(lambda: dots() == wanted)
    assert _day_labels(page, "#escalation") == [period["first"], period["last"]]
    assert PLANNED_DAY not in dots()
    # A narrower period (the filters' since and until) narrows the chart too.
    page.fill("#filters input[name=since]", "2024-03-01")
    page.fill("#filters input[name=until]", "2024-03-31")
    page.click("#filters button[type=submit]")
    _until(lambda: _day_labels(page, "#escalation") == ["2024-03-01", "2024-03-31"])
    assert all("2024-03-01" <= d <= "2024-03-31" for d in dots())
    assert _day_labels(page, "#timeline")[0] == "2024-03-01"
    assert page.errors == []


# --- live refresh and "new since your last visit" -------------------------------------------

TOKEN = "live-test-token"
# Invented reporting, newer than every sample, with markup in the fields the table shows.
POSTED = {
    "id": "live-posted-1",
    "url": "https://courier.invalid/live-1",
    "title": "Shelling reported near Kharkiv <b>overnight</b>",
    "outlet": "<i>Invented Courier</i>",
    "published": "2024-06-20",
    "text": (
        "Russian forces shelled the city of Kharkiv overnight, regional officials said on "
        "Thursday. Emergency crews worked until dawn to clear debris from two apartment "
        "blocks, the officials said."
    ),
}


@pytest.fixture(scope="module")
def live_app(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings
) -> Iterator[tuple[str, Store]]:
    """A server that takes POST /api/articles (the token) and tells the dashboard to look
    for new data every 0.3 s."""
    import uvicorn

    from sitrep.cli import EXIT_OK, main

    db = tmp_path_factory.mktemp("live") / "live.duckdb"
    assert main(["run", str(SAMPLES), "--db", str(db), "--no-progress"]) == EXIT_OK
    fast = settings.with_overrides({"api": {"dashboard_poll_seconds": 0.3}})
    app = create_app(db, fast, token=TOKEN, allowed_hosts=["127.0.0.1"])
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app.state.store
    server.should_exit = True
    thread.join(timeout=10)


# The tab hidden or shown, as the browser reports it when the user switches tabs.
_HIDDEN = (
    "Object.defineProperty(document, 'hidden', {configurable: true, get: () => VALUE});"
    "document.dispatchEvent(new Event('visibilitychange'))"
)


def _post(base: str, record: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(
        base + "/api/articles",
        data=json.dumps(record).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        assert response.status == 201
        return dict(json.loads(response.read()))


def test_new_articles_appear_without_a_reload_marked_new_until_seen(
    browser: Any, live_app: tuple[str, Store]
) -> None:
    live_url, store = live_app
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    loads: list[str] = []
    page.on("load", lambda p: loads.append(p.url))
    try:
        _ready(page, live_url + "/")
        # A first visit marks nothing new: it starts from what the store holds.
        assert page.locator(".badge.new").count() == 0
        assert page.locator("#new-since").is_hidden()
        # A hidden tab asks nothing; shown again, it asks again.
        checks: list[str] = []
        page.on("request", lambda r: checks.append(r.url) if "/api/stats" in r.url else None)
        # (Playwright hands events over while the test waits through it: wait_for_timeout.)
        page.wait_for_timeout(1500)
        assert len(checks) >= 2  # it checks every 0.3 s while shown
        page.evaluate(_HIDDEN.replace("VALUE", "true"))
        page.wait_for_timeout(500)  # a check under way ends
        asked = len(checks)
        page.wait_for_timeout(1500)
        assert len(checks) == asked
        page.evaluate(_HIDDEN.replace("VALUE", "false"))
        page.wait_for_timeout(400)  # shown again: it asks again
        assert len(checks) > asked
        page.select_option("#filters select[name=type]", "ASSAULT")
        page.click("#filters button[type=submit]")
        types = page.locator("#events tbody tr td:nth-child(2)")
        _until(
            lambda: (
                types.count() > 0
                and all(t.startswith("ASSAULT") for t in types.all_text_contents())
            )
        )
        before = types.count()
        version = page.locator("body").get_attribute("data-version")

        # A write that changes nothing shown (as a watcher's poll without news) moves the
        # version but redraws nothing.
        listed: list[str] = []
        page.on("request", lambda r: listed.append(r.url) if "/api/events" in r.url else None)
        with store.writer() as con:  # what a poll answered 304 writes: the source's state
            state = SourceState("https://feed.invalid/rss", "feed", last_status="not modified")
            write_watch_state(con, [state], [], resolution_due=False)
        body = page.locator("body")
        for _ in range(100):
            page.wait_for_timeout(100)
            if body.get_attribute("data-version") != version:
                break
        assert body.get_attribute("data-version") != version and listed == []
        version = body.get_attribute("data-version")

        report = _post(live_url, POSTED)  # through the server's own writer
        assert report["stored"] == [POSTED["id"]] and report["events"] >= 1

        # The page notices the new version and redraws in place: no load event, the filter
        # still applied, the new row marked.
        _until(lambda: body.get_attribute("data-version") != version, timeout=60)
        new_rows = page.locator("#events tbody tr.new")
        assert new_rows.count() > 0
        assert len(loads) == 1
        assert page.locator("#filters select[name=type]").input_value() == "ASSAULT"
        assert all(t.startswith("ASSAULT") for t in types.all_text_contents())
        assert types.count() == before + new_rows.count()
        row = new_rows.first
        assert row.locator(".badge.new").text_content() == "new"
        assert row.locator("td:nth-child(9)").text_content() == POSTED["outlet"]  # as text
        assert page.locator("#events i, #events b").count() == 0
        count = page.locator("#new-count").text_content()
        assert re.fullmatch(r"\d+ new events? \(1 article\) since your last visit", count)
        assert page.locator("#new-since").is_visible()
        page.screenshot(path=str(ARTIFACTS / "dashboard-new.png"))

        # Not yet marked seen: a reload still shows what is new since the last visit.
        _ready(page, live_url + "/")
        _until(lambda: page.locator("#events tbody tr.new").count() > 0)
        assert page.locator("#new-since").is_visible()
        # Marked seen in a second tab: both drop their badges.
        other = context.new_page()
        _ready(other, live_url + "/")
        assert other.locator("#events tbody tr.new").count() > 0
        other.click("#mark-seen")
        _until(lambda: other.locator(".badge.new").count() == 0)
        _until(lambda: page.locator(".badge.new").count() == 0)
        assert page.locator("#new-since").is_hidden() and other.locator("#new-since").is_hidden()
        other.close()
        # Marked seen: the next visit starts from there.
        _ready(page, live_url + "/")
        assert page.locator("#events tbody tr").count() > 0
        assert page.locator(".badge.new").count() == 0
        assert page.locator("#new-since").is_hidden()
    finally:
        context.close()
    assert errors == []
