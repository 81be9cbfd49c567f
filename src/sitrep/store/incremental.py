"""Store side of incremental resolution (resolve/incremental.py): find the articles written
since the last resolution, resolve what they touch reading only those articles, and
replace only the touched rows (copies, stories, canonical events) in one transaction.

It gives up (returns None, and the caller resolves the whole store) whenever the stored
state cannot be trusted to be what a full resolution would have left: no resolution yet,
other resolution settings or state media, a rewritten or deleted article, or a publication
date the canonical order and the date windows read differently.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import duckdb
import numpy as np
from numpy.typing import NDArray

from sitrep.model import ArticleRef, CanonicalEvent, Story
from sitrep.model.ids import digest
from sitrep.resolve.dedup import day_number
from sitrep.resolve.incremental import (
    Pair,
    Timeline,
    changed_blocks,
    copies,
    dated_stories,
    new_copy_pairs,
    pair_compared,
    sort_key,
    window_candidates,
)
from sitrep.resolve.merge import merge_events
from sitrep.resolve.stories import block_stories
from sitrep.resolve.story_features import Analysers
from sitrep.settings import ResolveSettings
from sitrep.store import alert_inputs
from sitrep.store.db import abort
from sitrep.store.ranged import rows_by_id
from sitrep.store.read_model_update import refresh_articles
from sitrep.store.resolution import (
    event_row,
    resolution_mentions,
    story_row,
    update_copy_state,
)
from sitrep.store.story_features import StoredFeatures
from sitrep.store.write import insert_rows

# An article's key in canonical order (`sort_key`).
_KEY = "coalesce(nullif(a.published, ''), '9999')"


@dataclass(slots=True)
class IncrementalReport:
    """What one incremental resolution did, for the run report and the benchmark."""

    new_articles: int
    blocks: int  # days of dated articles and blocks of undated ones clustered again
    block_articles: int  # articles in them and in the dated stories open before them
    stories_merged: int  # stories whose canonical events were merged again
    duplicates: int
    stories: int
    canonical_events: int
    read_model_seconds: float = 0.0  # of the read model's update (for the benchmark)


def settings_digest(settings: ResolveSettings, state_media: frozenset[str]) -> str:
    """What a stored resolution depends on besides the articles: resolution settings
    (less the switch between the two ways of running it) and the state-media outlets."""
    return digest(repr(replace(settings, incremental=True)), *sorted(state_media))


@dataclass(slots=True)
class _Stored:
    """The part of the stored order a resolution of the new articles reads (`_read_state`):
    the articles from the earliest day their windows reach to the end, and every member of
    the stored stories found there, however old (a story's mean similarity counts them all)."""

    published: dict[str, str | None]  # those articles' dates, in canonical order
    timeline: Timeline  # the same, days read
    pending: set[str]  # written since the last resolution
    story_of: dict[str, str]  # each of those stored articles' story


def _read_state(
    con: duckdb.DuckDBPyConnection, state: str, settings: ResolveSettings
) -> _Stored | None:
    row = con.execute("SELECT settings_digest FROM resolution_state").fetchone()
    if row is None or row[0] != state:
        return None
    orphans = con.execute(
        "SELECT count(*) FROM article_signatures s ANTI JOIN articles a ON a.id = s.article_id"
    ).fetchone()
    if orphans is None or orphans[0]:
        return None  # an article was deleted
    unseen = con.execute(
        "SELECT a.id, a.published, s.article_id IS NOT NULL FROM articles a "
        "LEFT JOIN article_signatures s ON s.article_id = a.id "
        "WHERE s.article_id IS NULL OR s.ingested_at IS DISTINCT FROM a.ingested_at"
    ).fetchall()
    if any(seen for _, _, seen in unseen):
        return None  # rewritten since: its old pairs and story are stale
    days = _stored_days(con)
    if days is None:
        return None  # a date sorts among dated articles but has no day for the windows
    new_days = [d for _, published, _ in unseen if (d := day_number(published)) is not None]
    since = _reach(new_days, days[-1] if days else None, settings)
    rows = con.execute(_TAIL_SQL, [since]).fetchall()
    pending = {str(r[0]) for r in unseen}
    story_of = {aid: story for aid, _, story in rows if story is not None and aid not in pending}
    published: dict[str, str | None] = {r[0]: r[1] for r in rows}
    return _Stored(published, Timeline.of(list(published.items())), pending, story_of)


# The articles from a date on (undated ones sort last), and the older members of the stored
# stories among them, in canonical order.
_TAIL_SQL = f"""
WITH tail AS (SELECT a.id, a.published, a.story_id FROM articles a WHERE {_KEY} >= $1)
SELECT id, published, story_id FROM tail
UNION ALL
SELECT a.id, a.published, a.story_id FROM articles a
WHERE {_KEY} < $1 AND a.story_id IN (SELECT story_id FROM tail WHERE story_id IS NOT NULL)
ORDER BY coalesce(nullif(published, ''), '9999'), id
"""


def _stored_days(con: duckdb.DuckDBPyConnection) -> list[int] | None:
    """The days the stored dates fall on, or None when one is no day (`day_number` reads
    a date's first ten characters: each distinct one read once, not each article)."""
    prefixes = con.execute(
        "SELECT DISTINCT substr(published, 1, 10) FROM articles WHERE coalesce(published, '') <> ''"
    ).fetchall()
    days = [day_number(str(p[0])) for p in prefixes]
    return None if None in days else sorted(d for d in days if d is not None)


def _reach(new_days: list[int], last_day: int | None, settings: ResolveSettings) -> str:
    """The earliest date (ISO text, compared with the order's keys) that the new articles'
    copy and story windows reach: a new dated article is compared with the copy window
    before its day and the story window before it, a new undated one with the copy window
    before the latest day (`window_candidates`, `dated_stories`). '' reads every article
    (a copy window of 0 holds them all), '9999' the undated ones only."""
    if settings.dedup_window_days <= 0:
        return ""
    if new_days:
        widest = max(settings.dedup_window_days, settings.story_window_days, 0)
        low = min(new_days) - widest
    elif last_day is not None:
        low = last_day - settings.dedup_window_days
    else:
        return "9999"
    return date.fromordinal(max(low, 1)).isoformat()


def resolve_incrementally(
    con: duckdb.DuckDBPyConnection, settings: ResolveSettings, state_media: frozenset[str]
) -> IncrementalReport | None:
    """Resolve the articles written since the last resolution against it (module doc);
    None when a full resolution is needed instead."""
    stored = _read_state(con, settings_digest(settings, state_media), settings)
    if stored is None:
        return None
    if not stored.pending:  # nothing written since: the stored resolution stands
        return IncrementalReport(0, 0, 0, 0, *_counts(con))
    days = stored.timeline.days
    last_day = days[-1] if days else None  # dated articles come in the order of their days
    new = _articles(con, sorted(stored.pending))
    change = _copy_pairs(con, stored, new, last_day, settings)
    regrouped = _copy_groups(con, change)
    copy_changed = regrouped.changed
    stories, steps, block_articles = _restory(con, stored, new, settings)
    reclustered = {aid for story in stories for aid in story.article_ids}
    old_story_of = _story_of(con, (reclustered | copy_changed) - stored.pending)
    kept = {old_story_of[a] for a in copy_changed - reclustered if a in old_story_of}
    gone = {old_story_of[a] for a in reclustered if a in old_story_of}
    # A story clustered again into the same members (its id is their digest), none of them
    # new or with another original, keeps its row and canonical events: nothing they are
    # made of changed (members, their mentions, copies, outlets and dates).
    same = {
        s.story_id
        for s in stories
        if s.story_id in gone
        and copy_changed.isdisjoint(s.article_ids)
        and stored.pending.isdisjoint(s.article_ids)
    }
    gone -= same
    redone = [s for s in stories if s.story_id not in same]
    merged_of = {aid: s.story_id for s in redone for aid in s.article_ids}
    merged_of.update(_members(con, kept))
    story_of = {aid: s.story_id for s in stories for aid in s.article_ids} | merged_of
    events = _merge(con, merged_of, regrouped, settings, state_media)
    # Whose rows of the read model change for their story: new articles and those whose
    # story is another now (or none). Those whose canonical events changed are added when
    # the events are written (`_write`); an article clustered again into the same story,
    # whose events come out the same, keeps its rows.
    old_story_of.update(_members(con, gone))
    moved = {a for a in set(story_of) | set(old_story_of) if story_of.get(a) != old_story_of.get(a)}
    # A copy's mentions count for its original's witness: the events of its stories, before
    # and after, are judged again even when their rows come out the same.
    copy_stories = {s for a in copy_changed for s in (old_story_of.get(a), story_of.get(a)) if s}
    touched = moved | stored.pending | copy_changed
    seconds = _write(
        con,
        change,
        regrouped,
        redone,
        (gone, kept, copy_stories),
        events,
        touched,
    )
    return IncrementalReport(
        len(new), steps, block_articles, len(redone) + len(kept), *_counts(con), seconds
    )


def _restory(
    con: duckdb.DuckDBPyConnection,
    stored: _Stored,
    new: list[ArticleRef],
    settings: ResolveSettings,
) -> tuple[list[Story], int, int]:
    """The stories the new articles change (dated ones by day, undated ones by block), the
    days and blocks clustered again and the articles in them."""
    source = StoredFeatures(con, Analysers(), {a.id: a for a in new})
    undated = stored.timeline.undated
    blocks = changed_blocks([a for a in undated if a not in stored.pending], undated, settings)
    stories = [
        story for block in blocks for story in block_stories(source.features(list(block)), settings)
    ]
    dated = dated_stories(stored.timeline, stored.pending, stored.story_of, source, settings)
    articles = sum(len(block) for block in blocks) + dated.articles
    return stories + dated.stories, len(blocks) + dated.days, articles


def _counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """Copies, stories and canonical events in the store."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL), "
        "(SELECT count(*) FROM stories), (SELECT count(*) FROM canonical_events)"
    ).fetchone()
    return (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)


@dataclass(slots=True)
class _Regrouped:
    """The copy groups a found or dropped pair touches: their members, each one's original
    now (absent: no copy) and those whose original changed. Every other article keeps its
    stored original (`duplicate_of`)."""

    members: set[str]
    original: dict[str, str]
    changed: set[str]

    def originals(self, con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, str]:
        """{copy: original} of the copies among `ids`, as they are now."""
        stored = con.execute(
            "SELECT id, duplicate_of FROM articles "
            "WHERE duplicate_of IS NOT NULL AND id IN (SELECT unnest($1))",
            [ids],
        ).fetchall()
        wanted = set(ids)
        out = {str(a): str(o) for a, o in stored if a not in self.members}
        out.update((a, o) for a, o in self.original.items() if a in wanted)
        return out


def _copy_groups(con: duckdb.DuckDBPyConnection, change: _CopyChange) -> _Regrouped:
    """Only the copy groups a found or dropped pair touches can change (pairs never cross
    groups): their stored members and pairs are read, and their components found again
    from those pairs less the dropped ones plus the found ones."""
    touched = sorted({x for pair in (*change.found, *change.dropped) for x in pair})
    if not touched:
        return _Regrouped(set(), {}, set())
    originals = sorted(
        {
            str(r[0])
            for r in con.execute(
                "SELECT coalesce(duplicate_of, id) FROM articles WHERE id IN (SELECT unnest($1))",
                [touched],
            ).fetchall()
        }
    )
    rows = con.execute(
        "SELECT id, published, duplicate_of FROM articles WHERE id IN (SELECT unnest($1)) "
        "OR id IN (SELECT unnest($2)) OR duplicate_of IN (SELECT unnest($2))",
        [touched, originals],
    ).fetchall()
    old = {str(a): str(o) for a, _, o in rows if o is not None}
    key_of = {str(a): sort_key(a, published) for a, published, _ in rows}
    group_pairs = con.execute(
        "SELECT earlier, later FROM copy_pairs WHERE earlier IN (SELECT unnest($1))",
        [sorted(key_of)],
    ).fetchall()
    pairs = (set(group_pairs) - set(change.dropped)) | set(change.found)
    regrouped = copies(sorted(pairs), key_of)
    changed = {a for a in key_of if regrouped.get(a) != old.get(a)}
    return _Regrouped(set(key_of), regrouped, changed)


def _articles(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[ArticleRef]:
    """The articles with these ids, in canonical order (their texts read from the stretch
    of the table they lie in: new articles are at its end)."""
    rows = rows_by_id(
        con, "t.id, t.text, t.title, t.outlet, t.published, t.wire", "articles", "id", ids
    )
    return sorted((ArticleRef(*row) for row in rows), key=lambda a: sort_key(a.id, a.published))


@dataclass(slots=True)
class _CopyChange:
    """What the new articles change in the copy pairs: pairs found (each with a new
    article) and stored pairs no longer compared (`pair_compared`), with the new
    articles' MinHash signatures."""

    found: list[Pair]
    dropped: list[Pair]
    signatures: dict[str, NDArray[np.uint64] | None]


def _copy_pairs(
    con: duckdb.DuckDBPyConnection,
    stored: _Stored,
    new: list[ArticleRef],
    last_day: int | None,
    settings: ResolveSettings,
) -> _CopyChange:
    """The pairs the full resolution would find and the new articles add, and the stored
    ones it no longer compares: only a pair whose later article is undated can drop out
    (an undated article is compared with the window before the latest date, which moves)."""
    window = settings.dedup_window_days
    candidates = window_candidates(stored.timeline, stored.pending, last_day, window)
    # The window's signatures, read from their stretch of the table (a full resolution
    # writes them in canonical order; new ones go to its end).
    published = stored.published
    rows = rows_by_id(
        con, "t.article_id, t.minhash", "article_signatures", "article_id", candidates
    )
    signed = {
        aid: (published[aid], np.frombuffer(blob, dtype=np.uint64))
        for aid, blob in rows
        if blob is not None
    }

    def text_of(ids: list[str]) -> dict[str, str]:
        return {a.id: a.text for a in _articles(con, ids)}

    found, signatures = new_copy_pairs(new, signed, text_of, last_day, settings)
    undated_later = con.execute(
        "SELECT p.earlier, p.later, e.published, a.published FROM copy_pairs p "
        "JOIN articles a ON a.id = p.later JOIN articles e ON e.id = p.earlier "
        "WHERE coalesce(a.published, '') = ''"
    ).fetchall()
    dropped = sorted(
        (a, b)
        for a, b, first, second in undated_later
        if not pair_compared(first, second, last_day, window)
    )
    return _CopyChange(sorted(found), dropped, signatures)


def _story_of(con: duckdb.DuckDBPyConnection, ids: set[str]) -> dict[str, str]:
    rows = con.execute(
        "SELECT id, story_id FROM articles "
        "WHERE story_id IS NOT NULL AND id IN (SELECT unnest($1))",
        [sorted(ids)],
    ).fetchall()
    return dict(rows)


def _members(con: duckdb.DuckDBPyConnection, story_ids: set[str]) -> dict[str, str]:
    rows = con.execute(
        "SELECT id, story_id FROM articles WHERE story_id IN (SELECT unnest($1))",
        [sorted(story_ids)],
    ).fetchall()
    return dict(rows)


def _merge(
    con: duckdb.DuckDBPyConnection,
    story_of: Mapping[str, str],
    regrouped: _Regrouped,
    settings: ResolveSettings,
    state_media: frozenset[str],
) -> list[CanonicalEvent]:
    """Canonical events of the stories in `story_of` (which holds all their articles)."""
    ids = sorted(story_of)
    duplicate_of = regrouped.originals(con, ids)
    originals = sorted({duplicate_of.get(a, a) for a in ids})
    rows = con.execute(
        "SELECT id, coalesce(wire, outlet), published FROM articles "
        "WHERE id IN (SELECT unnest($1))",
        [sorted(set(ids) | set(originals))],
    ).fetchall()
    outlet_of = {str(r[0]): r[1] for r in rows}
    published = {str(r[0]): r[2] for r in rows}
    mentions = resolution_mentions(con, ids)
    return merge_events(
        mentions, story_of, duplicate_of, outlet_of, published, settings, state_media
    )


def _write(
    con: duckdb.DuckDBPyConnection,
    change: _CopyChange,
    regrouped: _Regrouped,
    stories: Sequence[Story],
    replaced: tuple[set[str], set[str], set[str]],
    events: Sequence[CanonicalEvent],
    touched: set[str],
) -> float:
    """Replace the touched rows, and record what this resolution saw, in one transaction.
    `replaced`: the stories clustered again, the stories kept whose events were merged
    again, and the stories whose articles' copies changed; `touched`: the articles whose
    rows of the read model change for their story or copy (those of the changed canonical
    events' first reports are added). Returns the seconds the read model's update took."""
    changed = sorted(regrouped.changed)
    story_of = sorted((aid, s.story_id) for s in stories for aid in s.article_ids)
    try:
        con.execute("BEGIN TRANSACTION")
        if changed:
            con.execute(
                "UPDATE articles SET duplicate_of = d.original FROM (SELECT unnest($1) AS copy, "
                "unnest($2) AS original) d WHERE articles.id = d.copy",
                [changed, [regrouped.original.get(aid) for aid in changed]],
            )
        if story_of:
            con.execute(
                "UPDATE articles SET story_id = s.story FROM (SELECT unnest($1) AS aid, "
                "unnest($2) AS story) s WHERE articles.id = s.aid",
                [[p[0] for p in story_of], [p[1] for p in story_of]],
            )
        gone, kept, copy_stories = replaced
        con.execute("DELETE FROM stories WHERE story_id IN (SELECT unnest($1))", [sorted(gone)])
        insert_rows(con, "stories", [story_row(s) for s in stories])
        old = _event_rows(con, "story_id", sorted(gone | kept))
        con.execute(
            "DELETE FROM canonical_events WHERE story_id IN (SELECT unnest($1))",
            [sorted(gone | kept)],
        )
        insert_rows(con, "canonical_events", [event_row(e) for e in events])
        new = _event_rows(con, "id", [e.id for e in events])
        stale = _changed_events(old, new, copy_stories)
        alert_inputs.mark_stale_events(con, stale)  # the alerts judge these again
        update_copy_state(con, change.found, change.dropped, change.signatures)
        started = time.perf_counter()
        firsts = [
            row[_FIRST_MENTION] for rows in (old, new) for i, row in rows.items() if i in stale
        ]
        refresh_articles(con, touched | _articles_of_mentions(con, firsts))
        seconds = time.perf_counter() - started
        con.execute("COMMIT")
    except duckdb.Error as exc:
        raise abort(con, "writing an incremental resolution", exc) from exc
    return seconds


# Column positions in `_event_rows`' rows (SELECT * of canonical_events).
_ID, _STORY, _FIRST_MENTION = 0, 1, 2
_EVENT_ROW_SQL = (
    "SELECT id, story_id, first_mention_id, * EXCLUDE (id, story_id, first_mention_id) "
    "FROM canonical_events WHERE {column} IN (SELECT unnest($1))"
)


def _event_rows(
    con: duckdb.DuckDBPyConnection, column: str, values: list[str]
) -> dict[str, tuple[object, ...]]:
    """Canonical events by id, whole rows as the store gives them (so rows written by two
    resolutions compare equal when every column is the same)."""
    rows = con.execute(_EVENT_ROW_SQL.format(column=column), [values]).fetchall()
    return {str(row[_ID]): tuple(row) for row in rows}


def _changed_events(
    old: Mapping[str, tuple[object, ...]],
    new: Mapping[str, tuple[object, ...]],
    copy_stories: set[str],
) -> set[str]:
    """The canonical events gone, new or different in any column, and every event of the
    stories whose copies changed (a copy's mentions count for another witness then, which
    the event's row need not show). An event that came out the same (the same id, story,
    mentions and facts) contributes the same to the alerts and the read model."""
    changed = {i for i in old.keys() | new.keys() if old.get(i) != new.get(i)}
    changed.update(
        i for rows in (old, new) for i, row in rows.items() if row[_STORY] in copy_stories
    )
    return changed


def _articles_of_mentions(con: duckdb.DuckDBPyConnection, mention_ids: list[object]) -> set[str]:
    rows = con.execute(
        "SELECT DISTINCT article_id FROM events WHERE id IN (SELECT unnest($1::VARCHAR[]))",
        [sorted({str(m) for m in mention_ids})],
    ).fetchall()
    return {str(r[0]) for r in rows}
