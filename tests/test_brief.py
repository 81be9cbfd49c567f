"""The situation briefing: sections, citations on every line, hostile text made inert."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from api_store import HOSTILE_ID, build_store
from sitrep.settings import Settings
from sitrep.store.db import connect
from sitrep.views.brief import Brief, build_brief, md, render_html, render_markdown


@pytest.fixture(scope="module")
def brief(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Brief:
    con = connect(build_store(tmp_path_factory.mktemp("brief")), read_only=True)
    try:
        return build_brief(con, settings, today=dt.date(2024, 7, 1))
    finally:
        con.close()


def test_sections_and_citations(brief: Brief) -> None:
    text = render_markdown(brief)
    for heading in ("Key developments", "Who said what", "Disputed or unverified claims",
                    "Escalation trend", "Alerts"):  # fmt: skip
        assert f"## {heading}" in text
    assert brief.developments and brief.quotes and brief.disputed and brief.alerts
    for line in [*brief.developments, *brief.quotes, *brief.disputed, *brief.alerts]:
        assert line.article_id and line.outlet and line.date
    cited = [ln for ln in text.splitlines() if ln.startswith("- ") and "article " in ln]
    assert all(re.search(r"\d{4}-\d{2}-\d{2}, article \S+\)$", ln) for ln in cited)
    assert "via BelTA (state media)" in text
    assert any("conditional" in line.note for line in brief.disputed)
    assert any("RUS → UKR" in t for t in brief.trend)


def test_markdown_is_inert(brief: Brief) -> None:
    text = render_markdown(brief)
    assert re.search(r"(?<!\\)[<>\[\]]", text) is None  # every bracket from data escaped
    assert "\\<img src=x onerror=" in text  # the hostile outlet, shown as text
    assert md("**x** [a](b) <i>") == "\\*\\*x\\*\\* \\[a\\](b) \\<i\\>"


def test_html_is_escaped(brief: Brief) -> None:
    page = render_html(brief)
    assert "<script>" not in page and "<img" not in page and 'onerror="' not in page
    assert "&lt;img src=x onerror=" in page
    assert page.count("<li>") >= len(brief.developments)


def test_story_and_since_scopes(tmp_path: Path, settings: Settings) -> None:
    con = connect(build_store(tmp_path), read_only=True)
    try:
        scoped = build_brief(con, settings, since="2024-03-01")
        assert all((line.date or "") >= "2024-03" for line in scoped.quotes)
        assert all(not line.text.startswith("2023") for line in scoped.developments)
        from sitrep.store.api_queries import Query, articles

        story = articles(con, Query(limit=100))[1]
        sid = next(a["story_id"] for a in story if a["id"] == HOSTILE_ID)
        one = build_brief(con, settings, story=sid)
        assert one.title.startswith("Situation briefing: ")
        ids = {a["id"] for a in story if a["story_id"] == sid}
        assert one.articles == len(ids) and HOSTILE_ID in ids
        assert {line.article_id for line in one.developments} <= ids
    finally:
        con.close()
