"""Incremental resolution gives what a full resolution gives: the same articles written in
one batch or in ten (in any order) leave the same copies, stories and canonical events."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from sitrep.eval.stories import bcubed
from sitrep.finish import resolve_store
from sitrep.resolve.incremental import changed_blocks
from sitrep.resolve.stories import undated_blocks
from sitrep.settings import Settings
from sitrep.store.db import connect
from sitrep.store.write import insert_rows

# Small blocks and windows, so a handful of articles crosses every boundary: gaps that
# new articles bridge, copies inside and outside the copy window, undated articles at the
# end split by their ids' hashes into blocks of six.
SETTINGS = Settings().with_overrides(
    {
        "resolve": {
            "story_max_block": 6,
            "dedup_window_days": 20,
            "story_window_days": 3,
        }
    }
)
_TOPICS = [
    [f"{name}{i}" for i in range(30)]
    for name in ("harbour", "convoy", "ceasefire", "drone", "border", "refinery", "talks")
]
_NAMES = ["Kharkiv", "Odesa", "Minsk", "Geneva", "Tartus", "Aleppo", "Gdansk"]


def _text(rnd: random.Random, topic: int) -> str:
    words = rnd.sample(_TOPICS[topic], 18) + rnd.sample(_TOPICS[(topic + 1) % 7], 3)
    return f"{_NAMES[topic]} said " + " ".join(words) + f" near {_NAMES[topic]}."


def _corpus(seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """About 120 articles over 90 days (a quiet stretch in the middle), a sixth of them
    reprints of an earlier one (some edited, some outside the copy window), eight
    undated, and their event mentions."""
    rnd = random.Random(seed)
    start = date(2024, 3, 1)
    articles: list[dict[str, Any]] = []
    for day in [d for d in range(90) if not 40 <= d < 47]:
        for _ in range(rnd.choice([0, 1, 1, 2, 3])):
            published = (start + timedelta(day)).isoformat()
            if articles and rnd.random() < 0.17:
                original = rnd.choice(articles[-25:])
                text = original["text"].replace("said", rnd.choice(["said", "told reporters"]))
            else:
                text = _text(rnd, (day // 9 + rnd.choice([0, 0, 1])) % 7)
            articles.append(_article(len(articles), text, published, rnd))
    for n in range(8):
        text = rnd.choice(articles)["text"] if n % 2 else _text(rnd, n % 7)
        articles.append(_article(len(articles), text, None if n % 3 else "", rnd))
    mentions = [
        _mention(f"m{a['id']}-{k}", a, rnd) for a in articles for k in range(rnd.choice([0, 1, 2]))
    ]
    return articles, mentions


def _article(n: int, text: str, published: str | None, rnd: random.Random) -> dict[str, Any]:
    outlet = rnd.choice(["AP", "AFP", "Reuters", "BBC", "TASS"])
    title = text.split(" said ")[0] + f" report {n}"
    return {
        "id": f"a{n:03}",
        "text": text,
        "title": title,
        "outlet": outlet,
        "published": published,
    }


# Places the read model keys on: shared ones (a new row takes the key the others hold) and
# now and then one of a single mention (a place appears or goes: every key is ranked again).
_PLACES = [
    ("Kharkiv", "UKR", 49.99, 36.23),
    ("Odesa", "UKR", 46.48, 30.72),
    ("Minsk", "BLR", 53.9, 27.56),
]


def _place_and_type(mid: str, statement: bool, country: str | None) -> dict[str, Any]:
    """Drawn from the mention's own id, so the corpus's other draws stay as they were; a
    rare type makes the types' bits move too."""
    own = random.Random(mid)
    draw = own.random()
    if draw < 0.4:
        name, country, lat, lon = own.choice(_PLACES)
    elif draw < 0.43:
        name, country, lat, lon = f"Village {mid}", "UKR", 48.0 + own.random(), 35.0
    else:
        name, lat, lon = None, None, None
    rare = own.random()
    kind = (
        "PROTEST" if rare < 0.1 else None if rare < 0.15 else "ACCUSE" if statement else "ASSAULT"
    )
    return {"type": kind, "place_name": name, "place_country": country, "lat": lat, "lon": lon}


def _mention(mid: str, article: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    statement = rnd.random() < 0.3
    words = article["text"].split()
    return {
        "id": mid,
        "article_id": article["id"],
        "type": "ACCUSE" if statement else "ASSAULT",
        "factuality": rnd.choice(["asserted", "asserted", "negated", "future"]),
        "source_actor_id": rnd.choice(["RUS", "UKR", None]),
        "target_actor_id": rnd.choice(["UKR", None]),
        "trigger_text": "accused" if statement else rnd.choice(["struck", "strikes", "hit"]),
        "sentence_text": " ".join(rnd.sample(words, min(len(words), 10))),
        "event_date": article["published"],
        "confidence": 0.8,
        **_place_and_type(mid, statement, rnd.choice(["UKR", None])),
    }


def _write(
    con: duckdb.DuckDBPyConnection,
    articles: list[dict[str, Any]],
    mentions: list[dict[str, Any]],
    stamp: int,
) -> None:
    ids = {a["id"] for a in articles}
    rows = [{**a, "ingested_at": f"2025-01-01 00:00:{stamp:02}"} for a in articles]
    insert_rows(con, "articles", rows)
    insert_rows(con, "events", [m for m in mentions if m["article_id"] in ids])


def _snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    return {
        "copies": con.execute(
            "SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL ORDER BY id"
        ).fetchall(),
        "story_of": con.execute("SELECT id, story_id FROM articles ORDER BY id").fetchall(),
        "stories": con.execute("SELECT * FROM stories ORDER BY story_id").fetchall(),
        "events": con.execute("SELECT * FROM canonical_events ORDER BY id").fetchall(),
        # The read model, updated for the touched articles only, equals a rebuild.
        "facts": con.execute("SELECT * FROM event_facts ORDER BY id").fetchall(),
        "quote_facts": con.execute("SELECT * FROM quote_facts ORDER BY id").fetchall(),
    }


def _event_of_mention(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute("SELECT id, unnest(mention_ids) FROM canonical_events").fetchall()
    return {mention: event for event, mention in rows}


# Slices of two: a day of three articles is clustered in two steps, the second seeing the
# first as open stories.
_SLICED = SETTINGS.with_overrides({"resolve": {"story_max_block": 2}})


@pytest.mark.parametrize(("seed", "settings"), [(1, SETTINGS), (2, SETTINGS), (3, _SLICED)])
def test_ten_batches_in_any_order_resolve_as_one_batch(
    tmp_path: Path, seed: int, settings: Settings
) -> None:
    articles, mentions = _corpus(seed)
    whole = connect(tmp_path / "whole.duckdb")
    _write(whole, articles, mentions, 0)
    assert resolve_store(whole, settings) is None  # a first resolution is a full one
    expected = _snapshot(whole)
    assert expected["copies"] and len(expected["stories"]) > 10  # the corpus tests something

    shuffled = articles[:]
    random.Random(seed).shuffle(shuffled)  # backfill: batches out of date order
    parts = tmp_path / "parts.duckdb"
    con = connect(parts)
    incremental = []
    for n in range(10):
        _write(con, shuffled[n::10], mentions, n + 1)
        incremental.append(resolve_store(con, settings))
    assert incremental[0] is None and all(r is not None for r in incremental[1:])
    assert _snapshot(con) == expected
    ours, reference = _event_of_mention(con), _event_of_mention(whole)
    keys = sorted(reference)
    assert bcubed([ours[k] for k in keys], [reference[k] for k in keys])[2] == 1.0


def test_articles_in_date_order_touch_only_the_last_days(tmp_path: Path) -> None:
    articles, mentions = _corpus(4)
    dated = sorted((a for a in articles if a["published"]), key=lambda a: a["published"])
    con = connect(tmp_path / "s.duckdb")
    _write(con, dated[:-5], mentions, 0)
    resolve_store(con, SETTINGS)
    _write(con, dated[-5:], mentions, 1)
    done = resolve_store(con, SETTINGS)
    assert done is not None and done.new_articles == 5
    # Only the new articles' own days are clustered again (with the stories open then).
    assert done.blocks == len({a["published"] for a in dated[-5:]})
    assert done.block_articles <= 2 * SETTINGS.resolve.story_max_block < len(dated)
    whole = connect(tmp_path / "w.duckdb")
    _write(whole, dated, mentions, 0)
    resolve_store(whole, SETTINGS)
    assert _snapshot(con) == _snapshot(whole)


def test_what_cannot_be_built_on_falls_back_to_a_full_resolution(tmp_path: Path) -> None:
    articles, mentions = _corpus(5)
    con = connect(tmp_path / "s.duckdb")
    _write(con, articles[:60], mentions, 0)
    resolve_store(con, SETTINGS)
    _write(con, articles[60:70], mentions, 1)
    assert resolve_store(con, SETTINGS) is not None
    # A rewritten article: its stored pairs and story may be stale.
    _write(con, articles[5:6], mentions, 2)
    assert resolve_store(con, SETTINGS) is None
    # Other resolution settings.
    other = SETTINGS.with_overrides({"resolve": {"story_threshold": 0.2}})
    _write(con, articles[70:80], mentions, 3)
    assert resolve_store(con, other) is None
    assert resolve_store(con, other) is not None  # nothing new: nothing to do
    # Switched off, or asked for: full.
    _write(con, articles[80:90], mentions, 4)
    off = other.with_overrides({"resolve": {"incremental": False}})
    assert resolve_store(con, off) is None
    assert resolve_store(con, other, full=True) is None
    # A deleted article.
    con.execute("DELETE FROM articles WHERE id = ?", [articles[0]["id"]])
    assert resolve_store(con, other) is None


def test_sitrep_resolve_is_incremental_and_full_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sitrep.cli import main

    articles, mentions = _corpus(6)
    db = tmp_path / "s.duckdb"
    con = connect(db)
    _write(con, articles[:50], mentions, 0)
    con.close()
    small = ["--set", "resolve.story_max_block=12", "--set", "resolve.dedup_window_days=20"]
    assert main(["resolve", "--db", str(db), *small]) == 0
    assert "resolved (full)" in capsys.readouterr().err
    con = connect(db)
    _write(con, articles[50:], mentions, 1)
    con.close()
    assert main(["resolve", "--db", str(db), *small]) == 0
    assert "resolved (incremental)" in capsys.readouterr().err
    con = connect(db)
    incremental = _snapshot(con)
    con.close()
    assert main(["resolve", "--db", str(db), "--full", *small]) == 0
    assert "resolved (full)" in capsys.readouterr().err
    con = connect(db)
    assert _snapshot(con) == incremental


def test_the_incremental_benchmark_times_additions_and_checks_them_against_a_full_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from sitrep.cli import main

    articles, _ = _corpus(7)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "\n".join(
            json.dumps({k: a[k] for k in ("text", "title", "outlet", "published")})
            for a in articles
        ),
        encoding="utf-8",
    )
    args = ["bench-incremental", "--corpus", str(corpus), "--sizes", "30,100", "--add", "8"]
    args += ["--mentions", "3"]  # synthetic mentions: the read model and alerts have work
    assert main([*args, "--format", "json", "--set", "resolve.story_max_block=12"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = report["timings"]
    assert [(r["scenario"], r["stored"], r["added"]) for r in rows] == [
        ("latest", 30, 8),
        ("feed", 30, 8),
        ("random", 30, 8),
        ("latest", 100, 8),
        ("feed", 100, 8),
        ("random", 100, 8),
    ]
    assert all(r["same_as_full"] and r["incremental_s"] > 0 for r in rows)
    assert all(r["read_model_s"] > 0 and r["alerts_s"] > 0 for r in rows)
    assert all(r["articles_reclustered"] >= 8 for r in rows if r["scenario"] == "random")
    assert set(report["per_article_ratio_largest_to_smallest"]) == {"latest", "feed", "random"}


def test_an_earlier_original_arriving_later_updates_the_copy_s_story_events(
    tmp_path: Path,
) -> None:
    """The reprint's block is untouched, but its events change: their origin is now the
    original's outlet (merged again though not clustered again)."""
    rnd = random.Random(8)
    text = _text(rnd, 2)
    original = {**_article(0, text, "2024-05-01", rnd), "outlet": "AP"}
    reprint = {**_article(1, text, "2024-05-11", rnd), "outlet": "Daily Wire"}
    other = _article(2, _text(rnd, 4), "2024-05-20", rnd)
    mention = _mention("m-reprint", reprint, rnd)
    con = connect(tmp_path / "s.duckdb")
    _write(con, [reprint, other], [mention], 0)
    resolve_store(con, SETTINGS)
    assert con.execute("SELECT origin_outlet FROM canonical_events").fetchall() == [("Daily Wire",)]
    _write(con, [original], [mention], 1)
    done = resolve_store(con, SETTINGS)
    assert done is not None and done.block_articles == 1  # only the original's block
    assert con.execute("SELECT origin_outlet FROM canonical_events").fetchall() == [("AP",)]
    incremental = _snapshot(con)
    resolve_store(con, SETTINGS, full=True)
    assert _snapshot(con) == incremental


def _order(articles: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    placed = [(a["id"], a["published"] or None) for a in articles]
    return sorted(placed, key=lambda p: (p[1] or "9999", p[0]))


def _replaced(
    before: list[tuple[str, str | None]], after: list[tuple[str, str | None]]
) -> tuple[set[str], set[str], int]:
    """The articles of the undated blocks `after` no longer has, of the blocks it adds, and
    the number of blocks it no longer has."""
    settings = SETTINGS.resolve

    def blocks(order: list[tuple[str, str | None]]) -> set[tuple[str, ...]]:
        return {tuple(b) for b in undated_blocks([a for a, p in order if p is None], settings)}

    old, new = blocks(before), blocks(after)
    gone = {aid for block in old - new for aid in block}
    undated = [[aid for aid, p in order if p is None] for order in (before, after)]
    added = {aid for block in changed_blocks(*undated, settings) for aid in block}
    return gone, added, len(old - new)


def test_an_undated_article_changes_one_block_of_the_undated_ones() -> None:
    settings = SETTINGS.resolve
    undated: list[tuple[str, str | None]] = [(f"u{n:03d}", None) for n in range(60)]
    blocks = undated_blocks([aid for aid, _ in undated], settings)
    assert sorted(a for b in blocks for a in b) == [a for a, _ in undated]
    assert max(len(b) for b in blocks) <= settings.story_max_block < len(blocks)
    # Split by hash, not by id order: an id that encodes a story keeps nothing together.
    position = {aid: n for n, (aid, _) in enumerate(undated)}
    assert any(position[b[-1]] - position[b[0]] + 1 != len(b) for b in blocks)
    for n in range(60, 80):
        after = [*undated, (f"u{n:03d}", None)]
        gone, added, removed = _replaced(undated, after)
        assert added == gone | {f"u{n:03d}"} and removed == 1
        undated = after


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_window_candidates_by_bisection_are_those_of_a_scan(seed: int) -> None:
    """Every stored article within the copy window of a new one, in the last window, or
    undated: found by the days' order, as a pass over every article finds them."""
    from sitrep.resolve.dedup import day_number
    from sitrep.resolve.incremental import Timeline, window_candidates

    articles, _ = _corpus(seed)
    order = _order(articles)
    rnd = random.Random(seed)
    for new in (set(rnd.sample([a for a, _ in order], 5)), {a for a, _ in order[-3:]}, set()):
        days = [d for a, p in order if (d := day_number(p)) is not None]
        last = days[-1]
        new_days = [d for a, p in order if a in new and (d := day_number(p)) is not None]
        for window in (0, 3, 20):
            scan = [
                a
                for a, p in sorted(
                    order, key=lambda x: (day_number(x[1]) is None, x[1] or "", x[0])
                )
                if a not in new
                and (
                    window <= 0
                    or (d := day_number(p)) is None
                    or d >= last - window
                    or any(abs(d - n) <= window for n in new_days)
                )
            ]
            assert window_candidates(Timeline.of(order), new, last, window) == scan


def test_a_feed_store_holds_the_recent_past_of_the_added_articles_at_every_size() -> None:
    from sitrep.model import Article
    from sitrep.run.incremental_bench import _added, _recent_first

    def article(n: int, day: int | None) -> Article:
        published = None if day is None else (date(2024, 1, 1) + timedelta(day)).isoformat()
        return Article(id=f"x{n:03}", text=f"text {n}", published=published)

    pool = [article(n, None if n % 17 == 5 else n) for n in range(120)]  # some undated
    random.Random(3).shuffle(pool)
    newest = _added(pool, 5, 0)["feed"]
    assert sorted(a.id for a in newest) == [f"x{n:03}" for n in range(115, 120)]
    others = [a for a in pool if a not in newest]
    ordered = _recent_first(others, newest, SETTINGS)
    window = SETTINGS.resolve.dedup_window_days  # 20 in these settings
    recent = {f"x{n:03}" for n in range(115 - window, 115) if n % 17 != 5}
    assert {a.id for a in ordered[: len(recent)]} == recent
    assert sorted(a.id for a in ordered) == sorted(a.id for a in others)


def test_a_later_latest_date_drops_an_undated_copy_s_pair_as_a_full_resolution_does(
    tmp_path: Path,
) -> None:
    """An undated article is compared with the copy window before the latest date: news
    dated past the window drops its stored pair, and it is no copy any more; a new copy of
    another article joins that one's group. Only those groups are read and written."""
    rnd = random.Random(9)
    text = _text(rnd, 3)
    original = _article(0, text, "2024-01-01", rnd)
    undated = _article(1, text.replace("said", "told reporters"), None, rnd)
    other = _article(2, _text(rnd, 5), "2024-01-02", rnd)
    later = _article(3, _text(rnd, 1), "2024-03-01", rnd)  # the window moves past January
    reprint = _article(4, other["text"], "2024-03-01", rnd)  # a new copy, outside the window
    fresh = _article(5, later["text"], "2024-03-02", rnd)  # a copy of the new one
    con = connect(tmp_path / "s.duckdb")
    _write(con, [original, undated, other], [], 0)
    resolve_store(con, SETTINGS)
    copies_of = "SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL"
    assert con.execute(copies_of).fetchall() == [("a001", "a000")]
    _write(con, [later, reprint, fresh], [], 1)
    assert resolve_store(con, SETTINGS) is not None
    assert con.execute(copies_of + " ORDER BY id").fetchall() == [("a005", "a003")]
    assert con.execute("SELECT * FROM copy_pairs").fetchall() == [("a003", "a005")]
    incremental = _snapshot(con)
    resolve_store(con, SETTINGS, full=True)
    assert _snapshot(con) == incremental


def test_a_stored_date_that_is_no_day_falls_back_to_a_full_resolution(tmp_path: Path) -> None:
    """A date the canonical order sorts among the dated articles but the windows cannot
    read as a day: the stored state cannot be built on."""
    articles, mentions = _corpus(10)
    con = connect(tmp_path / "s.duckdb")
    _write(con, articles[:40], mentions, 0)
    resolve_store(con, SETTINGS)
    _write(con, articles[40:45], mentions, 1)
    assert resolve_store(con, SETTINGS) is not None
    odd = {**articles[45], "published": "2024-05-late"}
    _write(con, [odd], mentions, 2)
    assert resolve_store(con, SETTINGS) is None


def test_a_long_story_and_a_copy_at_the_window_s_edge_are_read_though_older_than_the_tail(
    tmp_path: Path,
) -> None:
    """Incremental resolution reads the stored order only from the earliest day the new
    articles' windows reach: a story running since before that keeps its old members (its
    mean similarity and its id count them all), and a stored original exactly one copy
    window before its new copy is still compared with it. (A story's mean counts members
    beyond the story window as 0, so stories here run about a week, longer than the copy
    window of 5 days.)"""
    settings = SETTINGS.with_overrides({"resolve": {"dedup_window_days": 5}})
    rnd = random.Random(12)
    start = date(2024, 6, 1)

    def on(day: int) -> str:
        return (start + timedelta(day)).isoformat()

    running = [_article(n, _text(rnd, 0), on(n), rnd) for n in range(30)]
    original = _article(40, _text(rnd, 4), on(10), rnd)
    con = connect(tmp_path / "s.duckdb")
    _write(con, [*running, original], [], 0)
    assert resolve_store(con, settings) is None
    latest = _article(41, _text(rnd, 0), on(30), rnd)
    _write(con, [latest], [], 1)
    assert resolve_store(con, settings) is not None
    incremental = _snapshot(con)
    story = dict(incremental["story_of"])
    members = [a for a in running if story[a["id"]] == story["a041"]]
    assert len(members) > 5 and min(a["published"] for a in members) < on(30 - 5)
    resolve_store(con, settings, full=True)
    assert _snapshot(con) == incremental
    copy = _article(42, original["text"].replace("said", "told reporters"), on(15), rnd)
    _write(con, [copy], [], 2)
    assert resolve_store(con, settings) is not None
    incremental = _snapshot(con)
    assert ("a042", "a040") in incremental["copies"]
    resolve_store(con, settings, full=True)
    assert _snapshot(con) == incremental
