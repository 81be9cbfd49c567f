"""Across articles: duplicates, stories and canonical events (no NLP needed here)."""

from __future__ import annotations

import random
from dataclasses import replace
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from sitrep.errors import SitrepError
from sitrep.eval.stories import bcubed
from sitrep.finish import resolve_store
from sitrep.model import ArticleRef, EventMention
from sitrep.resolve import resolve, resolve_ordered
from sitrep.resolve.dedup import (
    canonical_key,
    find_duplicates,
    jaccard,
    jaccard_sorted,
    shingle_hashes,
    shingles,
)
from sitrep.resolve.merge import _content_words, merge_events
from sitrep.resolve.stories import cluster_stories
from sitrep.settings import ResolveSettings, Settings
from sitrep.store import api_queries, query
from sitrep.store.db import connect
from sitrep.store.filters import Filters
from sitrep.store.resolution import resolution_articles
from sitrep.store.write import insert_rows

RS = ResolveSettings()

STRIKE = (
    "Russian forces struck the centre of Kharkiv with ballistic missiles late on Tuesday, "
    "killing four people and injuring at least 30, the regional governor said. The missiles "
    "hit a residential building and a hotel near the main square, officials said, and "
    "rescue workers searched the rubble through the night for people trapped inside."
)
STRIKE_SPUN = (
    "Russian forces hit the centre of Kharkiv with ballistic missiles late on Tuesday, "
    "killing four people and wounding at least 30, the regional governor said. The missiles "
    "struck a residential building and a hotel near the main square, officials said, and "
    "rescue crews searched the rubble through the night for people trapped inside."
)
STRIKE_OWN = (
    "Four people were killed in Kharkiv when Russian ballistic missiles struck the city centre "
    "on Tuesday night, Kharkiv governor Oleh Syniehubov said on Wednesday. About 30 people were "
    "wounded; a hotel near the main square and a residential building were hit, and our "
    "correspondent saw rescue workers pulling residents from the rubble of the hotel."
)
SANCTIONS = (
    "The European Union adopted a new package of sanctions against Belarus on Friday, adding "
    "dozens of officials and companies to its blacklist over support for Russia's war. "
    "Minsk's foreign ministry condemned the decision and promised countermeasures."
)


def _ref(aid: str, text: str, outlet: str, day: str = "2024-01-17", title: str = "") -> ArticleRef:
    return ArticleRef(aid, text, title or None, outlet, day)


ARTICLES = [
    _ref("ap", STRIKE, "AP", "2024-01-16", "Missiles hit Kharkiv"),
    _ref(
        "copy",
        STRIKE + "\n\nThe post Missiles hit Kharkiv appeared first on Daily Wire.",
        "Daily Wire",
        "2024-01-17",
        "Missiles hit Kharkiv",
    ),
    _ref("spun", STRIKE_SPUN, "Spin News", "2024-01-17", "Kharkiv hit by missiles"),
    _ref("mayor", STRIKE_OWN, "Kyiv Independent", "2024-01-17", "Kharkiv counts the damage"),
    _ref("eu", SANCTIONS, "AFP", "2024-01-19", "EU sanctions Belarus"),
]


def test_exact_and_reworded_copies_point_at_the_earliest_original() -> None:
    dup = find_duplicates(ARTICLES, RS)
    assert dup == {"copy": "ap", "spun": "ap"}


def test_stories_group_the_strike_and_keep_the_sanctions_apart() -> None:
    stories = cluster_stories(ARTICLES, RS)
    groups = sorted(sorted(s.article_ids) for s in stories)
    assert groups == [["ap", "copy", "mayor", "spun"], ["eu"]]
    strike = next(s for s in stories if "ap" in s.article_ids)
    assert strike.first_seen == "2024-01-16" and strike.last_seen == "2024-01-17"
    assert strike.title == "Missiles hit Kharkiv"
    assert strike.outlets == ["AP", "Daily Wire", "Kyiv Independent", "Spin News"]


def test_articles_far_apart_in_time_are_different_stories() -> None:
    later = _ref("later", STRIKE_SPUN, "AP", "2024-06-01")
    stories = cluster_stories([ARTICLES[0], later], RS)
    assert len(stories) == 2


def _mention(
    mid: str,
    aid: str,
    etype: str = "ASSAULT",
    fact: str = "asserted",
    source: str | None = "RUS",
    day: str | None = "2024-01-16",
    sentence: str = "Russian missiles struck an energy plant in Kyiv overnight.",
) -> EventMention:
    trigger = "struck" if etype == "ASSAULT" else "imposed"
    return EventMention(mid, aid, etype, source, "UKR", day, "UKR", fact, 0.8, trigger, sentence)


def test_copies_never_raise_independent_sources_but_own_reports_do() -> None:
    mentions = [
        _mention("e1", "ap"),
        _mention("e2", "copy"),
        _mention("e3", "spun"),
        _mention(
            "e4",
            "mayor",
            source=None,
            day="2024-01-17",
            sentence="The mayor said a missile struck the plant and cut power to the district.",
        ),
        _mention("e5", "eu", etype="SANCTION", source="EU", day="2024-01-19"),
    ]
    result = resolve(ARTICLES, mentions, RS)
    strike = next(e for e in result.events if e.type == "ASSAULT")
    assert strike.reports == 4
    assert strike.article_ids == ["ap", "copy", "mayor", "spun"]
    assert strike.independent_sources == 2  # AP (with its copies) and the Kyiv Independent
    assert strike.first_article_id == "ap"


def test_different_factuality_dates_or_actors_are_different_events() -> None:
    story = {a: "s1" for a in ("ap", "mayor")}
    outlets = {"ap": "AP", "mayor": "KI"}
    published = {"ap": "2024-01-16", "mayor": "2024-01-17"}
    mentions = [
        _mention("a", "ap"),
        _mention("b", "mayor", fact="negated"),
        _mention("c", "mayor", day="2024-01-20"),
        _mention("d", "mayor", source="BLR", sentence="Belarusian troops struck a border post."),
        _mention("e", "mayor", fact="reported", day="2024-01-17"),
    ]
    events = merge_events(mentions, story, {}, outlets, published, RS)
    assert sorted(e.mention_ids for e in events) == [["a", "e"], ["b"], ["c"], ["d"]]


def test_one_story_holds_many_events_with_unknown_parties() -> None:
    """Unknown actors link nothing: two attacks told in different words are two events;
    the same words (a verb and its details) in two reports make one."""
    story = {a: "s1" for a in ("ap", "mayor")}
    outlets = {"ap": "AP", "mayor": "KI"}
    published = {"ap": "2024-01-16", "mayor": "2024-01-16"}
    plant = "Russian missiles struck an energy plant in Kyiv overnight, officials said."
    poison = "The mayor was poisoned by his chef at a dinner in the capital."
    mentions = [
        _mention("a", "ap", source=None, day=None, sentence=plant),
        replace(_mention("b", "mayor", source=None, day=None, sentence=poison), trigger="poisoned"),
        _mention("c", "mayor", source=None, day=None, sentence=plant.replace("Kyiv", "the city")),
    ]
    events = merge_events(mentions, story, {}, outlets, published, RS)
    assert sorted(e.mention_ids for e in events) == [["a", "c"], ["b"]]
    # The sentences' words are cached within a merge only (a watch merges every poll).
    assert _content_words.cache_info().currsize == 0
    assert merge_events(mentions, story, {}, outlets, published, RS) == events


def test_one_speakers_statements_on_different_matters_stay_apart() -> None:
    story = {"ap": "s1", "mayor": "s1"}
    published = {"ap": "2024-01-16", "mayor": "2024-01-16"}
    outlets = {"ap": "AP", "mayor": "KI"}
    grain = "Kyiv accused Moscow of stealing grain from the occupied ports of the south coast."
    power = "Kyiv accused Moscow on Monday of shelling the nuclear power plant at Enerhodar again."
    mentions = [
        EventMention(
            "g", "ap", "ACCUSE", "UKR", "RUS", None, None, "asserted", 0.8, "accused", grain
        ),
        EventMention(
            "p", "mayor", "ACCUSE", "UKR", "RUS", None, None, "asserted", 0.8, "accused", power
        ),
        EventMention(
            "h", "mayor", "ACCUSE", "UKR", "RUS", None, None, "reported", 0.8, "accuses", grain
        ),
    ]
    events = merge_events(mentions, story, {}, outlets, published, RS)
    assert sorted(e.mention_ids for e in events) == [["g", "h"], ["p"]]


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_input_order_changes_nothing(rnd: random.Random) -> None:
    shuffled = list(ARTICLES)
    rnd.shuffle(shuffled)
    mentions = [_mention(f"e{i}", a.id) for i, a in enumerate(ARTICLES)]
    shuffled_mentions = list(mentions)
    rnd.shuffle(shuffled_mentions)
    one = resolve(ARTICLES, mentions, RS)
    two = resolve(shuffled, shuffled_mentions, RS)
    assert one.duplicate_of == two.duplicate_of
    assert one.stories == two.stories
    assert one.events == two.events


def test_bcubed() -> None:
    assert bcubed([1, 1, 2], ["a", "a", "b"]) == (1.0, 1.0, 1.0)
    p, r, f = bcubed([1, 1, 1], ["a", "a", "b"])
    assert round(p, 3) == 0.556 and r == 1.0 and 0.7 < f < 0.72


def test_a_denial_in_another_article_disputes_the_claim() -> None:
    story = {"claim": "s1", "deny": "s1"}
    outlets = {"claim": "BelTA", "deny": "Ukrinform"}
    published = {"claim": "2023-01-24", "deny": "2023-01-25"}
    claim = EventMention("c1", "claim", "AGREE", "UKR", "BLR", "2023-01-24", None, "reported", 0.7)
    denial = EventMention("d1", "deny", "AGREE", "UKR", None, "2023-01-25", None, "negated", 0.7)
    other = EventMention("o1", "deny", "ASSAULT", "RUS", "UKR", "2023-01-25", None, "negated", 0.7)
    events = merge_events([claim, denial, other], story, {}, outlets, published, RS)
    by_first = {e.mention_ids[0]: e for e in events}
    assert by_first["c1"].disputes == [by_first["d1"].id]
    assert by_first["d1"].disputes == [by_first["c1"].id]
    assert by_first["o1"].disputes == []


# Undated and empty-dated articles sort last in canonical order; a small story block cap
# makes the streaming clusterer close blocks mid-date-run.
STREAMED = [
    *ARTICLES,
    _ref("undated", SANCTIONS, "Reuters", ""),
    ArticleRef("none", STRIKE_OWN, None, "BBC", None),
    _ref("later", STRIKE, "AP", "2024-03-01", "Missiles hit Kharkiv again"),
]


def test_the_store_streams_articles_in_canonical_order_and_resolves_the_same(
    tmp_path: Path,
) -> None:
    con = connect(tmp_path / "store.duckdb")
    rows = [
        {"id": a.id, "text": a.text, "title": a.title, "outlet": a.outlet, "published": a.published}
        for a in STREAMED
    ]
    insert_rows(con, "articles", rows)
    streamed = list(resolution_articles(con, chunk=3))
    assert streamed == sorted(STREAMED, key=canonical_key)
    small_blocks = replace(RS, story_max_block=2)
    assert resolve_ordered(resolution_articles(con, chunk=2), [], small_blocks) == resolve(
        list(reversed(STREAMED)), [], small_blocks
    )
    # No copy window: "later" (45 days on) and the undated copies find their originals.
    unbounded = Settings().with_overrides({"resolve": {"dedup_window_days": 0}})
    expected = resolve(STREAMED, [], unbounded.resolve)
    resolve_store(con, unbounded)
    stored = query.stories(con, Filters())[1]
    assert sorted(s["story_id"] for s in stored) == sorted(s.story_id for s in expected.stories)
    found = [api_queries.article(con, a.id) for a in STREAMED]
    copies = {a["id"]: a["duplicate_of"] for a in found if a and a["duplicate_of"]}
    assert copies == expected.duplicate_of
    assert copies == {"copy": "ap", "spun": "ap", "later": "ap", "undated": "eu", "none": "mayor"}


def test_a_stream_out_of_canonical_order_is_refused() -> None:
    with pytest.raises(SitrepError, match="out of order"):
        resolve_ordered(sorted(ARTICLES, key=canonical_key, reverse=True), [], RS)


_WORDS = ["the", "a", "missile", "hit", "city", "struck", "kharkiv", "on"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40))
def test_hashed_shingle_jaccard_equals_the_exact_one(words: list[str]) -> None:
    a = shingles(" ".join(words), RS.shingle_words)
    b = shingles(" ".join(reversed(words)) + " kharkiv missile", RS.shingle_words)
    assert jaccard(a, b) == pytest.approx(jaccard_sorted(_hashes(a), _hashes(b)))


def _hashes(shingle_set: set[str]) -> NDArray[np.uint64]:
    import hashlib

    values = [int.from_bytes(hashlib.sha1(s.encode()).digest()[:8], "little") for s in shingle_set]
    return np.unique(np.array(values, np.uint64))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_WORDS + ["Ünïcode", "ذخيرة"]), max_size=40))
def test_shingle_hashes_and_signatures_equal_the_per_shingle_definition(words: list[str]) -> None:
    """The buffer read gives each shingle's SHA-1 prefixes, and the MinHash signature built
    from them equals datasketch's own SHA-1 signature of the shingles."""
    import hashlib

    from datasketch import MinHash

    text = " ".join(words)
    found = shingles(text, RS.shingle_words)
    first4, first8 = shingle_hashes(text, RS.shingle_words)
    digests = [hashlib.sha1(s.encode("utf-8")).digest() for s in found]
    assert sorted(first4.tolist()) == sorted(int.from_bytes(d[:4], "little") for d in digests)
    assert np.array_equal(np.unique(first8), _hashes(found))
    if not found:
        return
    ours = MinHash(num_perm=RS.minhash_permutations, seed=1, hashfunc=int)
    ours.update_batch(first4.tolist())
    reference = MinHash(num_perm=RS.minhash_permutations, seed=1)  # sha1_hash32 of bytes
    reference.update_batch([s.encode("utf-8") for s in found])
    assert np.array_equal(ours.hashvalues, reference.hashvalues)


def test_copies_are_looked_for_within_the_window_and_the_index_follows_it() -> None:
    from datetime import date, timedelta

    from sitrep.resolve.dedup import Deduplicator

    start = date(2024, 1, 1)
    # One new story a day for 120 days; every story is reprinted 10 and 45 days later.
    articles = []
    for n in range(120):
        text = f"Story {n}: " + " ".join(f"word{n}x{i}" for i in range(40))
        articles.append(_ref(f"o{n:03}", text, "A", (start + timedelta(n)).isoformat()))
        for lag in (10, 45):
            day = (start + timedelta(n + lag)).isoformat()
            articles.append(_ref(f"r{n:03}-{lag}", text, "B", day))
    windowed = Deduplicator(replace(RS, dedup_window_days=30))
    unbounded = Deduplicator(replace(RS, dedup_window_days=0))
    largest = 0
    for article in sorted(articles, key=canonical_key):
        windowed.add(article)
        unbounded.add(article)
        largest = max(largest, windowed.indexed)
    # Three articles a day at most, 31 days in the window: the index never grows past that.
    assert largest <= 3 * 31 < len(articles)
    assert unbounded.indexed == len(articles)
    near = {f"r{n:03}-10": f"o{n:03}" for n in range(120)}
    assert windowed.duplicate_of() == near  # the 45-day reprints are outside the window
    assert unbounded.duplicate_of() == {**near, **{f"r{n:03}-45": f"o{n:03}" for n in range(120)}}


def _disputes_by_scanning_every_pair(
    groups: list[list[EventMention]], events: list[object], settings: ResolveSettings
) -> None:
    """The dispute links as first written: every negated group against every other group."""
    from sitrep.resolve.merge import _KIND, compatible

    for i, denial in enumerate(groups):
        if _KIND.get(denial[0].factuality) != "negated":
            continue
        for j, claim in enumerate(groups):
            a, b = events[i], events[j]
            if i == j or a.story_id != b.story_id:  # type: ignore[attr-defined]
                continue
            if _KIND.get(claim[0].factuality) != "real" or claim[0].type != denial[0].type:
                continue
            if set(a.article_ids) == set(b.article_ids):  # type: ignore[attr-defined]
                continue
            as_claim = [replace(m, factuality=claim[0].factuality) for m in denial]
            if all(compatible(m, c, settings.event_window_days) for m in as_claim for c in claim):
                a.disputes.append(b.id)  # type: ignore[attr-defined]
                b.disputes.append(a.id)  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dispute_links_by_bucket_equal_a_scan_of_every_pair(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitrep.resolve import merge

    rnd = random.Random(seed)
    facts = ["asserted", "reported", "negated", "negated", "future"]
    mentions = [
        EventMention(
            f"e{n:03}",
            f"a{rnd.randrange(12):02}",
            rnd.choice(["ASSAULT", "AGREE", "ACCUSE"]),
            rnd.choice(["RUS", "UKR", None]),
            rnd.choice(["UKR", None]),
            rnd.choice(["2024-01-02", "2024-01-20", None]),
            None,
            rnd.choice(facts),
            0.5,
        )
        for n in range(160)
    ]
    story_of = {f"a{k:02}": f"s{k % 3}" for k in range(12)}
    args = (mentions, story_of, {}, {}, {}, RS)
    bucketed = merge.merge_events(*args)
    monkeypatch.setattr(merge, "_link_disputes", _disputes_by_scanning_every_pair)
    assert merge.merge_events(*args) == bucketed
    assert sum(bool(e.disputes) for e in bucketed) >= 5  # the case is exercised


def test_witnesses_are_originating_outlets_and_copied_sentences_count_once() -> None:
    """Wire copy counts for its agency, a sentence carried word for word by another outlet
    counts for the outlet that told it first, and an event only state media tell is
    flagged."""
    said = "Russian missiles struck an energy plant in Kyiv overnight, the mayor said."
    own = "Two rockets hit a power station in the capital before dawn, witnesses told us."
    story = dict.fromkeys(("belta", "tass", "wire", "daily", "paper"), "s1")
    published = dict.fromkeys(story, "2024-01-16")
    outlets: dict[str, str | None] = {
        "belta": "BelTA",
        "tass": "TASS",
        "wire": "Reuters",  # a paper printing Reuters copy: its wire is its origin
        "daily": "Daily Example",
        "paper": None,
    }
    state = frozenset({"BelTA", "TASS"})
    m = [
        _mention("b", "belta", sentence=said),
        _mention("t", "tass", sentence=said),
        _mention("w", "wire", sentence=said.replace("mayor said", "mayor has said")),
        _mention("d", "daily", sentence=own),
        _mention("p", "paper", sentence=own.replace(", witnesses", "; witnesses")),
    ]
    (only_state,) = merge_events(m[:2], story, {}, outlets, published, RS, state)
    assert only_state.independent_sources == 1  # TASS repeats BelTA's sentence
    assert only_state.state_media_only
    assert only_state.origin_outlet == "BelTA"
    (everyone,) = merge_events(m, story, {}, outlets, published, RS, state)
    # BelTA (TASS and the wire copy repeat its sentence), the daily, and the unknown paper
    # (its sentence is the daily's, so it counts for the daily).
    assert everyone.independent_sources == 2
    assert not everyone.state_media_only


def test_words_of_one_act_count_as_one_trigger() -> None:
    """data/lexicons/same_acts.yaml: "opened fire" and "the shooting" are one act, so two
    reports with few words in common merge, as "struck" / "strikes" would; two words of no
    group need the sentences to agree."""
    from sitrep.resolve.merge import _stem, one_event

    groups = yaml.safe_load(
        resources.files("sitrep").joinpath("data", "lexicons", "same_acts.yaml").read_text()
    )
    for a, b in groups["examples"]:
        assert _stem(a) == _stem(b)
    base = _mention("a", "ap", sentence="Gunmen opened fire at a checkpoint near Kherson.")
    other = _mention("b", "ap2", sentence="Two guards died in the shooting on Sunday.")
    fired = replace(base, trigger="opened fire")
    assert one_event(fired, replace(other, trigger="shooting"), RS)
    assert not one_event(fired, replace(other, trigger="blast"), RS)
