"""A realistic synthetic store for query benchmarks: N event mentions and what surrounds them.

Everything is generated inside DuckDB from `range()` and `hash()`, so a million events take
seconds and the same N always gives the same store. Skew follows what news coverage looks
like: a few countries, actors, outlets and PLOVER types dominate (power-law draws), coverage
grows over three years with bursts, most event dates are exact days, some are months, some
are missing or refer to the past, and some mentions are background. Text columns are
short: sizes of the filter columns, not of article bodies, decide query time.

Shape per N mentions: N/4 articles (four events each), about 0.4 N canonical events (the
rest are further reports of them), N/3 quotes, one story per ~6 articles.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from sitrep.model.records import FACTUALITIES, PLOVER_TYPES
from sitrep.store import read_model

# Countries (alpha-3) with a rough centre, most-covered first; the draw below is skewed.
_COUNTRIES = (
    ("UKR", 49.0, 32.0),
    ("RUS", 55.7, 37.6),
    ("ISR", 31.5, 34.8),
    ("PSE", 31.9, 35.2),
    ("USA", 38.9, -77.0),
    ("SYR", 35.0, 38.5),
    ("IRN", 35.7, 51.4),
    ("LBN", 33.9, 35.5),
    ("SDN", 15.5, 32.5),
    ("YEM", 15.4, 44.2),
    ("BLR", 53.9, 27.6),
    ("CHN", 39.9, 116.4),
    ("TWN", 25.0, 121.5),
    ("MMR", 19.8, 96.1),
    ("ETH", 9.0, 38.7),
    ("SOM", 2.0, 45.3),
    ("MLI", 12.6, -8.0),
    ("NER", 13.5, 2.1),
    ("BFA", 12.4, -1.5),
    ("COD", -4.3, 15.3),
    ("IRQ", 33.3, 44.4),
    ("AFG", 34.5, 69.2),
    ("PAK", 33.7, 73.1),
    ("IND", 28.6, 77.2),
    ("TUR", 39.9, 32.9),
    ("ARM", 40.2, 44.5),
    ("AZE", 40.4, 49.9),
    ("GEO", 41.7, 44.8),
    ("MDA", 47.0, 28.9),
    ("POL", 52.2, 21.0),
    ("DEU", 52.5, 13.4),
    ("FRA", 48.9, 2.4),
    ("GBR", 51.5, -0.1),
    ("EGY", 30.0, 31.2),
    ("LBY", 32.9, 13.2),
    ("SAU", 24.7, 46.7),
    ("PRK", 39.0, 125.8),
    ("KOR", 37.6, 127.0),
    ("VEN", 10.5, -66.9),
    ("COL", 4.7, -74.1),
    ("MEX", 19.4, -99.1),
    ("HTI", 18.6, -72.3),
    ("NGA", 9.1, 7.5),
    ("CMR", 3.9, 11.5),
    ("MOZ", -25.9, 32.6),
    ("TCD", 12.1, 15.0),
    ("CAF", 4.4, 18.6),
    ("SSD", 4.9, 31.6),
)
# PLOVER types from most to least reported in conflict news (the draw favours the first).
_TYPE_ORDER = (
    "ASSAULT",
    "ACCUSE",
    "CONSULT",
    "COERCE",
    "THREATEN",
    "MOBILIZE",
    "SUPPORT",
    "REJECT",
    "AID",
    "REQUEST",
    "SANCTION",
    "PROTEST",
    "COOPERATE",
    "AGREE",
    "RETREAT",
    "CONCEDE",
)
_SECTORS = ("government", "military", "rebel", "police", "civilian", "media", "igo")
_KINDS = ("direct", "indirect", "mixed")
_MODES = ("", "", "", "air", "ground", "naval", "verbal")
_OUTLETS = 60
_ACTORS = 800
_PLACES = 3000
_DAYS = 3 * 365
_START = "2022-01-01"


def _values(rows: Sequence[tuple[object, ...]]) -> str:
    return ", ".join("(" + ", ".join(repr(v) for v in row) + ")" for row in rows)


def _pick(index: str, options: tuple[str, ...]) -> str:
    """SQL choosing options[index] (index a 0-based SQL integer expression)."""
    return f"({list(options)!r})[{index} + 1]".replace('"', "'")


def generate(con: duckdb.DuckDBPyConnection, events: int) -> dict[str, int]:
    """Fill an empty, migrated store with `events` mentions and the rest; returns row counts."""
    n = max(int(events), 8)
    n_articles = max(n // 4, 2)
    n_quotes = max(n // 3, 1)
    n_stories = max(n_articles // 6, 1)
    con.execute("SET enable_progress_bar = false")  # the library never prints
    _dimensions(con)
    # Articles: coverage grows over time (sqrt draw) with bursts; a story lives in one
    # five-day window, and some stories of a window are much bigger than others.
    per_window = max(1, n_stories * 5 // _DAYS)
    con.execute(
        "INSERT INTO articles (id, url, title, outlet, published, published_date, text, origin, "
        "ingested_at, duplicate_of, story_id) "
        "SELECT 'syn-a' || i, 'https://outlet' || o || '.example/news/' || i, "
        "'Synthetic report ' || i, 'Outlet ' || o, strftime(d, '%Y-%m-%d') || 'T08:00:00Z', "
        "d, 'Synthetic article ' || i || '. Forces clashed near the border, officials said.', "
        "'synthetic', TIMESTAMP '2025-01-01', NULL, "
        f"'syn-s' || ((d - DATE '{_START}') // 5 * {per_window} + skew(i, 'st', {per_window})) "
        f"FROM (SELECT i, skew(i, 'ou', {_OUTLETS}) AS o, "
        f"DATE '{_START}' + CAST(floor(sqrt(u(i, 'dd')) * {_DAYS}) AS INTEGER) "
        f"+ CAST(floor(pow(u(i, 'bu'), 6) * 20) AS INTEGER) AS d FROM range({n_articles}) r(i))"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE syn_mention AS SELECT i, 'syn-e' || i AS id, "
        f"'syn-a' || (i // 4) AS article_id, skew(i, 'ty', {len(PLOVER_TYPES)}) AS t, "
        f"skew(i, 'sa', {_ACTORS}) AS sa, "
        f"CASE WHEN u(i, 'ht') < 0.7 THEN skew(i, 'ta', {_ACTORS}) END AS ta, "
        f"CASE WHEN u(i, 'hp') < 0.8 THEN skew(i, 'pl', {_PLACES}) END AS pl, "
        f"skew(i, 'fa', {len(FACTUALITIES)}) AS fa FROM range({n}) r(i)"
    )
    _insert_events(con)
    # 40 % of mentions are first reports; the later mentions of the same article group
    # (next articles of that story in id order) are counted as further reports.
    con.execute(
        "INSERT INTO canonical_events (id, type, story_id, reports, independent_sources, "
        "outlets, article_ids, mention_ids, first_article_id, first_mention_id, "
        "first_reported, disputes) SELECT 'syn-c' || m.i, e.type, a.story_id, "
        "1 + skew(m.i, 'rp', 8), 1 + skew(m.i, 'is', 4), [a.outlet], [a.id], [m.id], "
        "a.id, m.id, a.published, [] "
        "FROM syn_mention m JOIN events e ON e.id = m.id JOIN articles a ON a.id = m.article_id "
        "WHERE u(m.i, 'ca') < 0.4"
    )
    con.execute(
        "UPDATE canonical_events SET independent_sources = least(independent_sources, reports)"
    )
    # About 9 % of mentions are background (history an article recalls), as in the news;
    # resolution never makes them canonical, so only further reports are drawn.
    con.execute(
        "UPDATE events SET timing = 'background' FROM syn_mention m WHERE events.id = m.id "
        "AND u(m.i, 'ca') >= 0.4 AND u(m.i, 'bg') < 0.15"
    )
    state = "CASE WHEN u(i, 'sm') < 0.1 THEN 'state_media' ELSE 'news_agency' END"
    con.execute(
        "INSERT INTO quotes (id, article_id, kind, content_start, content_end, content_text, "
        "cue_text, speaker_name, speaker_actor_id, speaker_country, speaker_sector, "
        "addressee_name, via_sources, hedged, record) SELECT 'syn-q' || i, "
        f"'syn-a' || CAST(floor(i * {n_articles} / {n_quotes}) AS BIGINT), "
        f"{_pick('(i % 3)', _KINDS)}, 200, 300, 'We will respond to every provocation ' || i, "
        "'said', s.name, s.actor_id, s.country, s.sector, NULL, "
        "CASE WHEN u(i, 'vi') < 0.3 THEN 'Agency ' || skew(i, 'ag', 20) END, u(i, 'hd') < 0.2, "
        "json_object('id', 'syn-q' || i, 'kind', "
        + _pick("(i % 3)", _KINDS)
        + ", 'cue', json_object('start', 190, 'end', 194), "
        f"'via', json_array(json_object('source', json_object('name', 'Agency'), "
        f"'source_type', {state})))::VARCHAR "
        f"FROM range({n_quotes}) r(i) JOIN syn_actor s ON s.idx = skew(i, 'qs', {_ACTORS})"
    )
    con.execute(
        "INSERT INTO stories (story_id, title, first_seen, last_seen, articles, outlets, "
        "key_actors, article_ids) SELECT story_id, min(title), min(published), max(published), "
        "count(*), list(DISTINCT outlet ORDER BY outlet)[1:8], ['Actor 0 UKR'], "
        "list(id ORDER BY id)[1:50] FROM articles WHERE origin = 'synthetic' GROUP BY story_id"
    )
    _drop(con)
    read_model.refresh(con)
    counts = {}
    for table in ("articles", "events", "canonical_events", "quotes", "stories"):
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def _dimensions(con: duckdb.DuckDBPyConnection) -> None:
    """The draws (temporary macros) and the countries, actors and places events name."""
    # u(i, salt): a uniform draw in [0, 1) that depends only on (i, salt).
    con.execute("CREATE OR REPLACE TEMP MACRO u(i, s) AS (hash(i, s) % 1000003) / 1000003.0")
    # skew(i, s, k): an index in [0, k) where low indexes are much more likely (power law).
    con.execute(
        "CREATE OR REPLACE TEMP MACRO skew(i, s, k) AS "
        "least(CAST(floor(pow(u(i, s), 2.6) * k) AS INTEGER), k - 1)"
    )
    rows = [(i, code, lat, lon) for i, (code, lat, lon) in enumerate(_COUNTRIES)]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE syn_country AS SELECT * FROM (VALUES "
        f"{_values(rows)}) t(idx, code, lat, lon)"
    )
    k = len(_COUNTRIES)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE syn_actor AS SELECT i AS idx, "
        "'Actor ' || i || ' ' || c.code AS name, 'syn:' || lower(c.code) || ':' || i AS actor_id, "
        f"c.code AS country, {_pick('(i % 7)', _SECTORS)} AS sector "
        f"FROM range({_ACTORS}) r(i) JOIN syn_country c ON c.idx = skew(i, 'ac', {k})"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE syn_place AS SELECT i AS idx, "
        "'Place ' || i AS name, c.code AS country, "
        "round(c.lat + (u(i, 'la') - 0.5) * 6, 4) AS lat, "
        "round(c.lon + (u(i, 'lo') - 0.5) * 6, 4) AS lon "
        f"FROM range({_PLACES}) r(i) JOIN syn_country c ON c.idx = skew(i, 'pc', {k})"
    )


def _insert_events(con: duckdb.DuckDBPyConnection) -> None:
    """Events for the drawn mentions of `syn_mention` (id, article, i and its draws)."""
    types = len(PLOVER_TYPES)
    # PLOVER order runs from cooperation to violence: a signed intensity from +6 to -10.
    rank = [PLOVER_TYPES.index(t) for t in _TYPE_ORDER]
    intensity = f"round(6 - 16.0 * ({rank})[t + 1] / {types - 1}, 1)"
    event_date = (
        "CASE WHEN u(i, 'ed') < 0.70 THEN strftime(a.published_date, '%Y-%m-%d') "
        "WHEN u(i, 'ed') < 0.82 THEN strftime(a.published_date, '%Y-%m') "
        "WHEN u(i, 'ed') < 0.92 THEN NULL "
        "ELSE strftime(a.published_date - 200, '%Y-%m') END"
    )
    con.execute(
        "INSERT INTO events (id, article_id, type, mode, factuality, source_name, "
        "source_actor_id, source_country, source_sector, target_name, target_actor_id, "
        "target_country, target_sector, trigger_text, sentence_start, sentence_end, "
        "sentence_text, event_date, place_name, place_country, lat, lon, cameo, intensity, "
        "confidence, record, source_actor_ids, target_actor_ids) SELECT m.id, m.article_id, "
        f"{_pick('m.t', _TYPE_ORDER)}, nullif({_pick('(m.i % 7)', _MODES)}, ''), "
        f"{_pick('m.fa', FACTUALITIES)}, "
        "s.name, s.actor_id, s.country, s.sector, tg.name, tg.actor_id, tg.country, tg.sector, "
        "'struck', 40, 160, 'Forces of ' || s.name || ' struck positions of ' || "
        "coalesce(tg.name, 'the enemy') || ' overnight, officials said.', "
        f"{event_date.replace('u(i', 'u(m.i')}, p.name, p.country, p.lat, p.lon, NULL, "
        f"{intensity.replace('[t + 1]', '[m.t + 1]')}, round(0.3 + 0.7 * u(m.i, 'co'), 2), "
        "json_object('id', m.id, 'type', " + _pick("m.t", _TYPE_ORDER) + ", "
        "'trigger', json_object('start', 60, 'end', 66, 'text', 'struck'), "
        "'sentence', json_object('start', 40, 'end', 160), "
        "'attribution', json_object('speaker', json_object('name', 'officials'), 'via', "
        "json_array()), 'context', json_array())::VARCHAR, [s.actor_id], "
        "CASE WHEN tg.actor_id IS NULL THEN [] ELSE [tg.actor_id] END "
        "FROM syn_mention m JOIN articles a ON a.id = m.article_id "
        "JOIN syn_actor s ON s.idx = m.sa LEFT JOIN syn_actor tg ON tg.idx = m.ta "
        "LEFT JOIN syn_place p ON p.idx = m.pl"
    )


def _drop(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("syn_mention", "syn_actor", "syn_place", "syn_country"):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def add_mentions(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], each: int) -> int:
    """Give each of these stored articles `each` synthetic event mentions (drawn as
    `generate` draws them, from a hash of the article id, so an article gets the same
    mentions in every store), for benchmarks that resolve real articles without the hour an
    extraction takes; returns the mentions written."""
    if not article_ids or each < 1:
        return 0
    con.execute("SET enable_progress_bar = false")
    _dimensions(con)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE syn_mention AS SELECT i, article_id || '-syn' || k AS id, "
        f"article_id, skew(i, 'ty', {len(PLOVER_TYPES)}) AS t, skew(i, 'sa', {_ACTORS}) AS sa, "
        f"CASE WHEN u(i, 'ht') < 0.7 THEN skew(i, 'ta', {_ACTORS}) END AS ta, "
        f"CASE WHEN u(i, 'hp') < 0.8 THEN skew(i, 'pl', {_PLACES}) END AS pl, "
        f"skew(i, 'fa', {len(FACTUALITIES)}) AS fa FROM (SELECT article_id, k, "
        "CAST(hash(article_id, k) % 1000000007 AS BIGINT) AS i "
        f"FROM (SELECT unnest($1) AS article_id) CROSS JOIN range({int(each)}) r(k))",
        [list(article_ids)],
    )
    _insert_events(con)
    row = con.execute("SELECT count(*) FROM syn_mention").fetchone()
    _drop(con)
    return int(row[0]) if row else 0
