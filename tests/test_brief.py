"""The situation briefing: sections, citations on every line, hostile text made inert."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from api_store import HOSTILE_ID, build_store
from brief_store import Ev, write_store
from sitrep.cli import EXIT_OK, main
from sitrep.model.records import PLOVER_TYPES
from sitrep.settings import Settings
from sitrep.store.db import connect
from sitrep.views.brief import Brief, build_brief, md, render_html, render_markdown
from sitrep.views.brief_text import outlet_name, summary


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
    assert all(group.lines for group in brief.developments)
    for line in [*brief.development_lines, *brief.quotes, *brief.disputed, *brief.alerts]:
        assert line.article_id and line.outlets and line.date
    cited = [ln for ln in text.splitlines() if ln.startswith("- ") and "article " in ln]
    cite = re.compile(r"\d{4}-\d{2}-\d{2}, article \S+( \(\+\d+ more\))?\)$")
    assert all(cite.search(ln) for ln in cited)
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
        assert all((line.date or "") >= "2024-03" for line in scoped.development_lines)
        from sitrep.store.filters import Filters
        from sitrep.store.query import articles

        story = articles(con, Filters(limit=100))[1]
        sid = next(a["story_id"] for a in story if a["id"] == HOSTILE_ID)
        one = build_brief(con, settings, story=sid)
        assert one.title.startswith("Situation briefing: ")
        ids = {a["id"] for a in story if a["story_id"] == sid}
        assert one.articles == len(ids) and HOSTILE_ID in ids
        assert {line.article_id for line in one.development_lines} <= ids
    finally:
        con.close()


# Key developments on small invented stores (tests/brief_store.py).

A, B, C = "art-a", "art-b", "art-c"
MAY = {a: ("2024-05-02", None, None) for a in (A, B, C)}


def _brief(path: Path, settings: Settings, **scope: str) -> Brief:
    con = connect(path, read_only=True)
    try:
        return build_brief(con, settings, today=dt.date(2024, 6, 1), **scope)
    finally:
        con.close()


def _texts(brief: Brief) -> list[str]:
    return [line.text for line in brief.development_lines]


def test_background_never_appears(tmp_path: Path, settings: Settings) -> None:
    events = [
        Ev("e1", "2024-05-02", "ASSAULT", "Northland shelled the port of Southland.", (A,)),
        Ev("e2", "2024-05-02", "ASSAULT", "Northland had shelled the port ten years ago.", (B,),
           timing="background"),
        Ev("e3", "2024-05-03", "ASSAULT", "Northland invaded Southland in an old war.", (C,),
           timing="background", force_canonical=True),
    ]  # fmt: skip
    brief = _brief(write_store(tmp_path / "s.duckdb", MAY, events), settings)
    text = render_markdown(brief)
    assert any("shelled the port of Southland" in t for t in _texts(brief))
    assert "ten years ago" not in text and "old war" not in text


def test_boilerplate_never_appears(tmp_path: Path, settings: Settings) -> None:
    promo = "Sign up for our daily newsletter and never miss a story."
    repeated = "Northland supports the readers who make this site possible."
    events = [
        Ev("e1", "2024-05-02", "AID", promo, (A,), intensity=10.0),
        Ev("e2", "2024-05-02", "SUPPORT", repeated, (B,), intensity=5.0),
        Ev("e3", "2024-05-02", "ASSAULT", "Northland shelled the port of Southland.", (C,)),
    ]
    # The repeated line was removed from another article as boilerplate but survived in B.
    path = write_store(tmp_path / "s.duckdb", MAY, events, boilerplate=[(C, repeated)])
    brief = _brief(path, settings)
    text = render_markdown(brief) + render_html(brief)
    assert _texts(brief) and "newsletter" not in text and "readers who make" not in text


def test_at_most_two_lines_per_article(tmp_path: Path, settings: Settings) -> None:
    events = [
        Ev(f"e{i}", "2024-05-02", "ASSAULT", f"Northland struck target number {i}.", (A,),
           target=f"Target {i}", target_country=None)
        for i in range(5)
    ] + [Ev("low", "2024-05-02", "CONSULT", "Northland met.", (B,), intensity=1.0)]  # fmt: skip
    brief = _brief(write_store(tmp_path / "s.duckdb", MAY, events), settings)
    by_article = [line.article_id for line in brief.development_lines]
    assert by_article.count(A) == 2 and by_article.count(B) == 1


def test_until_bounds_the_period(tmp_path: Path, settings: Settings) -> None:
    arts = {A: ("2024-05-01", None, None), B: ("2024-05-10", None, None),
            C: ("2024-05-20", None, None)}  # fmt: skip
    events = [
        Ev("e1", "2024-05-01", "ASSAULT", "Northland shelled the first town.", (A,)),
        Ev("e2", "2024-05-10", "ASSAULT", "Northland shelled the second town.", (B,)),
        Ev("e3", "2024-05-20", "ASSAULT", "Northland shelled the third town.", (C,)),
    ]
    path = write_store(tmp_path / "s.duckdb", arts, events)
    brief = _brief(path, settings, since="2024-05-01", until="2024-05-14")
    assert brief.scope == "2024-05-01 to 2024-05-14" and brief.articles == 2
    assert {line.date for line in brief.development_lines} == {"2024-05-01", "2024-05-10"}
    assert main(["brief", "--db", str(path), "--since", "2024-05-05", "--until", "2024-05-14",
                 "--out", str(tmp_path / "b.md")]) == EXIT_OK  # fmt: skip
    written = (tmp_path / "b.md").read_text()
    assert "second town" in written and "first town" not in written and "third" not in written


def test_multi_outlet_conflict_ranks_above_single_outlet_talks(
    tmp_path: Path, settings: Settings
) -> None:
    arts = {A: ("2024-05-02", "Daily Example", None), B: ("2024-05-02", "Example Wire", None),
            C: ("2024-05-02", "Third Paper", None)}  # fmt: skip
    events = [
        # The talks come later in the period and first in id order: recency and ties favour
        # them, intensity and outlets must not.
        Ev("a-talks", "2024-05-09", "CONSULT", "Eastland held talks with Westland.", (C,),
           source="Eastland", source_country="EST", target="Westland", target_country="WST",
           intensity=1.0, story="s2"),
        Ev("z-strike", "2024-05-02", "ASSAULT", "Northland bombed a Southland depot.", (A, B)),
    ]  # fmt: skip
    brief = _brief(write_store(tmp_path / "s.duckdb", arts, events), settings)
    lines = brief.development_lines
    assert [line.text.split(":")[0] for line in lines] == [
        "Northland attacked Southland",
        "Eastland held talks with Westland",
    ]
    assert lines[0].score is not None and lines[1].score is not None
    assert lines[0].score > lines[1].score
    assert brief.developments[0].label == "The story called s1 in invented words"


def test_novelty_demotes_a_repeat_of_the_previous_period(
    tmp_path: Path, settings: Settings
) -> None:
    arts = {A: ("2024-04-25", None, None), B: ("2024-05-03", None, None),
            C: ("2024-05-03", None, None)}  # fmt: skip
    events = [
        # 25 April lies in the period before 1–7 May: Northland attacking Southland is old news.
        Ev("old", "2024-04-25", "ASSAULT", "Northland shelled a Southland village.", (A,)),
        Ev("again", "2024-05-03", "ASSAULT", "Northland shelled another village.", (B,)),
        Ev("first", "2024-05-03", "ASSAULT", "Eastland shelled a Westland village.", (C,),
           source="Eastland", source_country="EST", target="Westland", target_country="WST",
           story="s2"),
    ]  # fmt: skip
    brief = _brief(write_store(tmp_path / "s.duckdb", arts, events), settings,
                   since="2024-05-01", until="2024-05-07")  # fmt: skip
    assert [line.article_id for line in brief.development_lines] == [C, B]
    scores = [line.score for line in brief.development_lines]
    assert scores[0] is not None and scores[1] is not None
    assert scores[0] - scores[1] == pytest.approx(settings.brief.weight_novelty * 0.8)


def test_outlets_are_shown(tmp_path: Path, settings: Settings) -> None:
    arts = {A: ("2024-05-02", "Daily Example", "https://daily.example/a"),
            B: ("2024-05-02", None, "https://www.wire.example/news/b"),
            C: ("2024-05-02", None, None)}  # fmt: skip
    events = [
        Ev("e1", "2024-05-02", "ASSAULT", "Northland bombed a Southland depot.", (A, B)),
        Ev("e2", "2024-05-02", "ASSAULT", "Northland bombed a bridge.", (C,), story="s2"),
    ]
    brief = _brief(write_store(tmp_path / "s.duckdb", arts, events), settings)
    first, second = brief.development_lines
    assert first.outlets == ("Daily Example", "wire.example") and second.outlets == ()
    text = render_markdown(brief)
    assert "(Daily Example, wire.example, 2024-05-02, article art-a (+1 more))" in text
    assert "outlet unknown, 2024-05-02, article art-c" in text
    assert "0 outlet" not in text and "0 outlet" not in render_html(brief)
    assert "3 article(s) from 2 outlet(s): Daily Example, wire.example" in text
    assert outlet_name({"outlet": "", "url": "not a url"}) is None


def test_phrases_examples() -> None:
    data = yaml.safe_load(
        (Path(__file__).parents[1] / "src/sitrep/data/brief_phrases.yaml").read_text()
    )
    assert set(data["types"]) == set(PLOVER_TYPES)
    for ex in data["examples"]:
        assert summary(ex["type"], ex["source"], ex["target"] or None) == ex["summary"]
    assert summary("ASSAULT", None, "Southland") is None
