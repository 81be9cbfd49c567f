"""The dashboard in headless Chromium (Debian's chromium, driven by Playwright), against
uvicorn on 127.0.0.1. Screenshots go to tests/artifacts/. Skips, saying why, when Chromium
or Playwright is missing."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from api_store import HOSTILE_ID, build_store
from sitrep.settings import Settings
from sitrep.views.api import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
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

    db = build_store(tmp_path_factory.mktemp("browser"))
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
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/events" in r.url else None)
    circle = page.locator("#map circle.place").first
    tip = circle.locator("title").text_content()
    name, events = tip.split(" (")[0], int(tip.split("): ")[1].split(" events")[0])
    circle.dispatch_event("click")
    count = page.locator("#events-count")
    _until(lambda: count.text_content().endswith(f" at {name}"))
    assert count.text_content() == f"{events} events at {name}"
    places = page.locator("#events tbody tr td:nth-child(6)").all_text_contents()
    assert places and set(places) == {name} and len(places) == min(events, 50)
    assert any("place=" in url and "lat=" in url and "lon=" in url for url in asked)
    assert page.locator("#map circle.place.selected").count() == 1
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
