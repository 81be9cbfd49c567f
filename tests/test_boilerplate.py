"""Boilerplate lines: every rule removes its own examples and keeps its `keep` lines; lines
repeated across an outlet's articles go, copies of one story keep theirs; removals are
recorded and reach the store."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from sitrep.ingest import read_inputs
from sitrep.ingest.boilerplate import (
    REPEATED,
    RepeatedLines,
    packaged_rules,
    rule_for,
    strip_boilerplate,
)
from sitrep.ingest.clean import make_article
from sitrep.model import Article
from sitrep.settings import IngestSettings, Settings

RULES = packaged_rules()
S = IngestSettings()


def _examples() -> list[object]:
    return [pytest.param(r.name, e, id=f"{r.name}:{e[:30]}") for r in RULES for e in r.examples]


def _keeps() -> list[object]:
    return [pytest.param(k, id=f"{r.name}:{k[:30]}") for r in RULES for k in r.keep]


@pytest.mark.parametrize(("name", "line"), _examples())
def test_each_rule_removes_its_examples(name: str, line: str) -> None:
    assert rule_for(line, RULES) == name


@pytest.mark.parametrize("line", _keeps())
def test_no_rule_removes_a_keep_line(line: str) -> None:
    assert rule_for(line, RULES) is None


def test_every_rule_has_examples_and_keeps() -> None:
    assert all(r.examples and r.keep for r in RULES)


def test_rule_lines_are_removed_when_the_article_is_made() -> None:
    text = (
        "Troops crossed the river near Kessel on Monday, the army said.\n\n"
        "By submitting your email, you agree to our Terms of Use and Privacy Policy.\n\n"
        "The crossing followed weeks of shelling."
    )
    made = make_article(text, origin="t", settings=S)
    assert isinstance(made, Article)
    assert "Terms of Use" not in made.text
    assert made.text.endswith("weeks of shelling.")
    assert [r.rule for r in made.boilerplate] == ["terms-and-privacy"]


def test_rules_can_be_turned_off() -> None:
    text = "Read more: five things to know\n\nTroops crossed the river near Kessel on Monday."
    made = make_article(text, origin="t", settings=IngestSettings(boilerplate=False))
    assert isinstance(made, Article)
    assert made.text == text and made.boilerplate == []


PROMO = "Hear the Frontline Weekly every Thursday with our correspondents in the field."


def _article(n: int, outlet: str = "Example Daily", body: str | None = None) -> Article:
    own = body or (
        f"Story {n}: officials in town number {n} reported a quiet night on day {n}, and the "
        f"mayor said that {n + 3} families had returned to the district since the weekend."
    )
    return Article(id=f"a{n}", text=f"{own}\n\n{PROMO}", outlet=outlet)


def test_lines_repeated_across_an_outlet_are_removed() -> None:
    items = [_article(n) for n in range(5)]
    out = list(strip_boilerplate(items, IngestSettings(boilerplate_min_articles=4)))
    assert all(isinstance(a, Article) and PROMO not in a.text for a in out)
    first = out[0]
    assert isinstance(first, Article)
    assert [(r.rule, r.text) for r in first.boilerplate] == [(REPEATED, PROMO)]


def test_a_line_repeated_too_rarely_or_across_outlets_stays() -> None:
    items = [_article(n, outlet=f"Outlet {n}") for n in range(5)]
    out = list(strip_boilerplate(items, IngestSettings(boilerplate_min_articles=4)))
    assert all(isinstance(a, Article) and PROMO in a.text for a in out)


def test_copies_of_one_story_keep_their_lines() -> None:
    story = "Officials said the ceasefire held overnight across the whole region of Kessel."
    copies = [Article(id=f"c{n}", text=f"{story}\n\n{PROMO}", outlet="Wire") for n in range(5)]
    index = RepeatedLines(min_articles=4)
    for copy in copies:
        index.add(copy)
    assert index.strip(copies[0]).text == copies[0].text


def test_read_inputs_removes_repeated_lines_and_the_store_records_them(
    tmp_path: Path, settings: Settings
) -> None:
    from sitrep.run.local import run_to_store

    lines = []
    for n in range(6):
        text = (
            f"Officials in district {n} said {n + 2} drones were shot down overnight over the "
            f"river port, and that repair crews had restored power to {n + 9} streets.\\n\\n{PROMO}"
        )
        lines.append(f'{{"id": "d{n}", "outlet": "Example Daily", "text": "{text}"}}')
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    read = [a for a in read_inputs([str(source)], settings.ingest) if isinstance(a, Article)]
    assert len(read) == 6 and all(PROMO not in a.text for a in read)
    db = tmp_path / "s.duckdb"
    run_to_store(read_inputs([str(source)], settings.ingest), settings, db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT article_id, rule, line FROM boilerplate ORDER BY 1").fetchall()
        texts = [r[0] for r in con.execute("SELECT text FROM articles").fetchall()]
    finally:
        con.close()
    assert rows == [(f"d{n}", REPEATED, PROMO) for n in range(6)]
    assert all(PROMO not in t for t in texts)
