"""Situation briefing: key developments ranked by significance and grouped by story, who said
what through whom, disputed or unverified claims, escalation trend and alerts; every line
names its outlets (when known), date and article id.

`build_brief` gathers the data (read-only); `render_markdown` / `render_html` write it.
What makes a development key is views/brief_rank.py; its words are views/brief_text.py.
Article text is hostile: Markdown specials are backslash-escaped, HTML is entity-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from sitrep.analyze.alerts import Alert, evaluate_alerts
from sitrep.analyze.escalation import daily, load_weights, pair_totals, series, trend
from sitrep.settings import Settings
from sitrep.store import api_queries as q
from sitrep.store import brief_queries as bq
from sitrep.store import query as listings
from sitrep.store.filters import Filters
from sitrep.views.api_rows import event_row, quote_row
from sitrep.views.brief_rank import (
    Period,
    Scored,
    by_story,
    period_end,
    period_start,
    rank,
    top_per_article,
)
from sitrep.views.brief_text import (
    boilerplate_like,
    clip,
    event_text,
    outlet_name,
    outlet_names,
    story_label,
)
from sitrep.views.render import strip_controls

UNVERIFIED = ("uncertain", "hypothetical", "conditional", "future")
REAL = ("asserted", "reported")
# A story's label in a heading: its title, cut at a word.
STORY_LABEL_CHARS = 110


@dataclass(frozen=True, slots=True)
class Line:
    """One briefing line: what to say (plain text) and the sources it cites."""

    text: str
    outlets: tuple[str, ...]
    date: str | None
    article_id: str
    note: str = ""
    article_ids: tuple[str, ...] = ()
    score: float | None = None
    # The text begins with its own day (alerts): no date in front of it.
    dated_text: bool = False

    def lead(self) -> str:
        """The date, then the text."""
        if self.dated_text or not self.date:
            return self.text
        return f"{self.date[:10]} · {self.text}"


@dataclass(frozen=True, slots=True)
class StoryLines:
    """Key developments of one story (label None: an event outside any story)."""

    label: str | None
    story_id: str | None
    lines: list[Line]


@dataclass(slots=True)
class Brief:
    title: str
    generated: str
    scope: str
    articles: int
    outlets: list[str]
    developments: list[StoryLines] = field(default_factory=list)
    quotes: list[Line] = field(default_factory=list)
    disputed: list[Line] = field(default_factory=list)
    trend: list[str] = field(default_factory=list)
    alerts: list[Line] = field(default_factory=list)

    @property
    def development_lines(self) -> list[Line]:
        return [line for group in self.developments for line in group.lines]


def _who(name: Any) -> str:
    return str(name) if name else "unidentified actor"


def _notes(e: Mapping[str, Any]) -> list[str]:
    """Factuality when not plainly asserted, and how many independent outlets report it."""
    notes = [] if e["factuality"] == "asserted" else [str(e["factuality"])]
    independent = int(e.get("independent_sources") or 1)
    if independent > 1:
        notes.append(f"{independent} independent reports")
    return notes


def _event_line(s: Scored, sources: Mapping[str, Mapping[str, Any]], notes: list[str]) -> Line:
    e = s.event
    ids = tuple(str(a) for a in (e.get("article_ids") or [e["article_id"]]))
    return Line(
        event_text(e),
        tuple(outlet_names(ids, sources)),
        str(e["day"]),
        str(e["article_id"]),
        "; ".join(notes),
        ids,
        s.score,
    )


def _quote_text(r: Mapping[str, Any]) -> tuple[str, str]:
    chain = [
        f"{v['name']}{' (state media)' if v['state_media'] else ''}" for v in r["via"] if v["name"]
    ]
    via = f" via {' → '.join(chain)}" if chain else ""
    notes = ["hedged"] if r.get("hedged") else []
    if any(v["state_media"] for v in r["via"]):
        notes.append("relayed by state media")
    return f"{_who(r['speaker'])}{via}: “{clip(str(r['content']))}”", "; ".join(notes)


@dataclass(frozen=True, slots=True)
class _Scope:
    """What a brief covers: the period's bounds as given and as days, and the story."""

    since: str | None
    until: str | None
    story: str | None
    period: Period | None

    def text(self) -> str:
        parts = [f"story {self.story}" if self.story else ""]
        if self.period is not None and (self.since or self.until):
            parts.append(f"{self.period.first} to {self.period.last}")
        return ", ".join(p for p in parts if p) or "everything stored"


def _scope(
    con: duckdb.DuckDBPyConnection, story: str | None, since: str | None, until: str | None
) -> _Scope:
    """The briefed days: the bounds given, else the first or last day the store has."""
    first, last = bq.period_bounds(con)
    start = period_start(since) if since else (period_start(first) if first else None)
    end = period_end(until) if until else (period_start(last) if last else None)
    if start is None or end is None or end < start:
        return _Scope(since, until, story, None)
    return _Scope(since, until, story, Period(start, end))


def _not_boilerplate(
    con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], column: str
) -> list[dict[str, Any]]:
    """Rows whose text neither matches a boilerplate rule nor equals a line recorded as
    boilerplate anywhere in the store."""
    texts = [str(r[column] or "") for r in rows]
    recorded = bq.boilerplate_sentences(con, sorted(set(texts)))
    return [
        r for r, t in zip(rows, texts, strict=True) if t not in recorded and not boilerplate_like(t)
    ]


def build_brief(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    *,
    story: str | None = None,
    since: str | None = None,
    until: str | None = None,
    today: dt.date | None = None,
) -> Brief:
    scope = _scope(con, story, since, until)
    _, arts = listings.articles(con, Filters(story=story, since=since, until=until, limit=100_000))
    title = "Situation briefing"
    if story:
        _, found = listings.stories(con, Filters(story=story, limit=1))
        title += f": {found[0]['title']}" if found else f": story {story}"
    brief = Brief(
        title=title,
        generated=(today or dt.date.today()).isoformat(),
        scope=scope.text(),
        articles=len(arts),
        outlets=sorted({n for a in arts if (n := outlet_name(a))}),
    )
    if scope.period is not None:
        _add_events(con, settings, scope, brief)
    _add_quotes(con, settings, scope, brief)
    brief.trend = _trend_lines(con, settings, scope)
    _add_alerts(con, settings, scope, {str(r["id"]) for r in arts}, brief)
    return brief


def _add_events(
    con: duckdb.DuckDBPyConnection, settings: Settings, scope: _Scope, brief: Brief
) -> None:
    """Key developments (ranked, grouped by story) and disputed or unverified claims."""
    assert scope.period is not None
    period, cfg = scope.period, settings.brief
    rows = bq.brief_events(con, period.first.isoformat(), period.last.isoformat(), scope.story)
    rows = [event_row(r) for r in _not_boilerplate(con, rows, "sentence")]
    previous = period.previous()
    seen = bq.pair_type_keys(con, previous.first.isoformat(), previous.last.isoformat())
    real = [e for e in rows if e["factuality"] in REAL and not e.get("disputes")]
    shaky = [e for e in rows if e["factuality"] in UNVERIFIED or e.get("disputes")]
    per_article: Callable[[Scored], str] = lambda s: str(s.event["article_id"])  # noqa: E731
    key = top_per_article(
        rank(real, period, seen, cfg), cfg.max_items, cfg.max_per_article, per_article
    )
    doubt = top_per_article(
        rank(shaky, period, seen, cfg), cfg.max_items, cfg.max_per_article, per_article
    )
    ids = sorted(
        {
            str(a)
            for s in [*key, *doubt]
            for a in (s.event.get("article_ids") or [s.event["article_id"]])
        }
    )
    sources = bq.article_sources(con, ids)
    for story_id, group in by_story(key):
        best = group[0].event
        label = story_label(
            best.get("story_title"), str(best.get("sentence") or ""), STORY_LABEL_CHARS
        )
        lines = [_event_line(s, sources, _notes(s.event)) for s in group]
        brief.developments.append(StoryLines(label if story_id else None, story_id, lines))
    for s in doubt:
        notes = _notes(s.event)
        if s.event.get("disputes"):
            notes.append(f"disputed by {len(s.event['disputes'])} other report(s)")
        if s.event.get("speaker"):
            notes.append(f"claimed by {s.event['speaker']}")
        brief.disputed.append(_event_line(s, sources, notes))


def _add_quotes(
    con: duckdb.DuckDBPyConnection, settings: Settings, scope: _Scope, brief: Brief
) -> None:
    cfg = settings.brief
    query = Filters(story=scope.story, since=scope.since, until=scope.until, limit=100_000)
    _, quotes = listings.quotes(con, query)
    said = [quote_row(r) for r in _not_boilerplate(con, quotes, "content") if r["speaker"]]
    said.sort(key=lambda r: (r["speaker_actor_id"] is None, not r["via"], r["published"] or ""))
    # A copy of an article repeats its quotes: one line per speaker and words.
    said = _first_of_each(said, lambda r: (r["speaker"], " ".join(str(r["content"]).split())))
    chosen = top_per_article(
        said, cfg.max_items, cfg.max_per_article, lambda r: str(r["article_id"])
    )
    sources = bq.article_sources(con, sorted({str(r["article_id"]) for r in chosen}))
    for r in sorted(chosen, key=lambda r: (r["published"] or "", r["article_id"])):
        text, note = _quote_text(r)
        aid = str(r["article_id"])
        brief.quotes.append(
            Line(text, tuple(outlet_names([aid], sources)), r["published"], aid, note)
        )


def _first_of_each(
    rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any]
) -> list[dict[str, Any]]:
    seen: set[Any] = set()
    out = []
    for row in rows:
        if (k := key(row)) not in seen:
            seen.add(k)
            out.append(row)
    return out


def _add_alerts(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    scope: _Scope,
    articles: set[str],
    brief: Brief,
) -> None:
    alerts = _scoped_alerts(evaluate_alerts(con, settings), articles, scope)[
        : settings.brief.max_items
    ]
    ids = sorted(
        {str(e.get("article_id")) for a in alerts for e in a.evidence[:1]}
        | {a.article_ids[0] for a in alerts if a.article_ids}
    )
    sources = bq.article_sources(con, ids)
    for a in alerts:
        first = a.evidence[0] if a.evidence else {}
        aid = str(first.get("article_id") or (a.article_ids[0] if a.article_ids else ""))
        brief.alerts.append(
            Line(
                f"{a.day}: {a.title} — {a.why}",
                tuple(outlet_names([aid], sources)),
                first.get("published"),
                aid,
                f"{a.kind}, {a.events} event(s)"
                + (f", P = {a.probability:.2g}" if a.probability is not None else ""),
                dated_text=True,
            )
        )


def _scoped_alerts(alerts: Sequence[Alert], articles: set[str], scope: _Scope) -> list[Alert]:
    return [
        a
        for a in alerts
        if set(a.article_ids) & articles
        and (scope.since is None or a.last_day >= scope.since)
        and (scope.until is None or a.day[: len(scope.until)] <= scope.until)
    ]


def _trend_lines(con: duckdb.DuckDBPyConnection, settings: Settings, scope: _Scope) -> list[str]:
    rows = [
        r
        for r in q.scored_events(con, scope.since)
        if (scope.story is None or r["story_id"] == scope.story)
        and (scope.until is None or str(r["day"] or "")[: len(scope.until)] <= scope.until)
    ]
    scores = daily(rows, load_weights(settings.analyze.weights))
    out = []
    for pair in pair_totals(scores)[:5]:
        key = (pair["source_country"], pair["target_country"])
        points = series(scores[key], settings.analyze.baseline_days, settings.analyze.min_spread)
        t = trend(points, settings.brief.trend_days)
        out.append(
            f"{key[0]} → {key[1]}: total {pair['score']:g} over {pair['events']} event(s) "
            f"({pair['first_day']} to {pair['last_day']}); last {settings.brief.trend_days} "
            f"days {t['recent']:g} vs {t['previous']:g} before ({t['direction']}), "
            f"latest z = {t['last_z']:g}"
        )
    return out


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def md(text: Any) -> str:
    """Plain text made inert in Markdown: no links, images, HTML or emphasis from data."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(strip_controls(str(text)).split()))


def _html(text: str) -> str:
    """Entity-escaped, without control characters (a brief is often printed to a terminal)."""
    return html.escape(strip_controls(text))


def _cite(line: Line) -> str:
    when = (line.date or "undated")[:10]
    outlets = ", ".join(line.outlets) or "outlet unknown"
    more = len(line.article_ids) - 1
    also = f" (+{more} more)" if more > 0 else ""
    return f"{outlets}, {when}, article {line.article_id}{also}"


def _coverage(brief: Brief) -> str:
    """ "12 article(s) from 3 outlet(s): a, b, c", or "outlets unknown" (never "0 outlets")."""
    if not brief.outlets:
        return f"{brief.articles} article(s), outlets unknown"
    return f"{brief.articles} article(s) from {len(brief.outlets)} outlet(s): " + ", ".join(
        brief.outlets
    )


def _story_heading(group: StoryLines) -> str:
    return f"Story: {group.label}" if group.label else "Outside any story"


SECTIONS = (
    ("quotes", "Who said what"),
    ("disputed", "Disputed or unverified claims"),
)


def render_markdown(brief: Brief) -> str:
    out = [
        f"# {md(brief.title)}",
        "",
        f"Generated {brief.generated} by sitrep · scope: {md(brief.scope)} · "
        f"{md(_coverage(brief))}",
        "",
        "## Key developments",
        "",
    ]
    for group in brief.developments:
        out += [f"### {md(_story_heading(group))}", ""]
        out += [_md_line(line) for line in group.lines]
        out.append("")
    if not brief.developments:
        out += ["- none", ""]
    for name, heading in SECTIONS:
        out += [f"## {heading}", ""]
        out += [_md_line(line) for line in getattr(brief, name)] or ["- none"]
        out.append("")
    out += ["## Escalation trend", ""]
    out += [f"- {md(t)}" for t in brief.trend] or ["- no actor pair with dated events"]
    out += ["", "## Alerts", ""]
    out += [_md_line(line) for line in brief.alerts] or ["- none fired"]
    return "\n".join(out) + "\n"


def _md_line(line: Line) -> str:
    note = f" · *{md(line.note)}*" if line.note else ""
    return f"- {md(line.lead())}{note} ({md(_cite(line))})"


_CSS = (
    "body{font:15px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;"
    "color:#1d2733}h1{font-size:1.5em}h2{font-size:1.15em;border-bottom:1px solid #ccd;"
    "margin-top:1.6em}h3{font-size:1em;margin:1em 0 .2em}li{margin:.4em 0}"
    ".note{color:#7a4a00;font-size:.9em}.cite{color:#556;font-size:.85em}.meta{color:#556}"
)


def render_html(brief: Brief) -> str:
    e = _html
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(brief.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(brief.title)}</h1>",
        f'<p class="meta">Generated {e(brief.generated)} by sitrep · scope: {e(brief.scope)} · '
        f"{e(_coverage(brief))}</p>",
        "<h2>Key developments</h2>",
    ]
    for group in brief.developments:
        out.append(f"<h3>{e(_story_heading(group))}</h3><ul>")
        out += [_html_line(line) for line in group.lines]
        out.append("</ul>")
    if not brief.developments:
        out.append("<ul><li>none</li></ul>")
    for name, heading in SECTIONS:
        out.append(f"<h2>{e(heading)}</h2><ul>")
        out += [_html_line(line) for line in getattr(brief, name)] or ["<li>none</li>"]
        out.append("</ul>")
    out.append("<h2>Escalation trend</h2><ul>")
    out += [f"<li>{e(t)}</li>" for t in brief.trend] or ["<li>none</li>"]
    out.append("</ul><h2>Alerts</h2><ul>")
    out += [_html_line(line) for line in brief.alerts] or ["<li>none fired</li>"]
    out.append("</ul></body></html>")
    return "\n".join(out) + "\n"


def _html_line(line: Line) -> str:
    e = _html
    note = f' <span class="note">[{e(line.note)}]</span>' if line.note else ""
    return f'<li>{e(line.lead())}{note} <span class="cite">({e(_cite(line))})</span></li>'
