"""Situation briefing: key developments, who said what through whom, disputed or unverified
claims, escalation trend and alerts, every line citing outlet, date and article id.

`build_brief` gathers the data (read-only); `render_markdown` / `render_html` write it.
Article text is hostile: Markdown specials are backslash-escaped, HTML is entity-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from sitrep.analyze.alerts import Alert, evaluate_alerts
from sitrep.analyze.escalation import daily, load_weights, pair_totals, series, trend
from sitrep.settings import Settings
from sitrep.store import api_queries as q
from sitrep.views.api_rows import event_row, quote_row

UNVERIFIED = ("uncertain", "hypothetical", "conditional", "future")
REAL = ("asserted", "reported")


@dataclass(frozen=True, slots=True)
class Line:
    """One briefing line: what to say (parts are plain text) and the source it cites."""

    text: str
    outlet: str | None
    date: str | None
    article_id: str
    note: str = ""


@dataclass(slots=True)
class Brief:
    title: str
    generated: str
    scope: str
    articles: int
    outlets: list[str]
    developments: list[Line] = field(default_factory=list)
    quotes: list[Line] = field(default_factory=list)
    disputed: list[Line] = field(default_factory=list)
    trend: list[str] = field(default_factory=list)
    alerts: list[Line] = field(default_factory=list)


def _who(name: Any) -> str:
    return str(name) if name else "unidentified actor"


def _event_text(e: Mapping[str, Any]) -> str:
    what = f"{_who(e['source'])} {e['type']}"
    if e.get("mode"):
        what += f" ({e['mode']})"
    if e.get("target"):
        what += f" → {e['target']}"
    where = f" in {e['place']}" if e.get("place") else ""
    when = e.get("day") or e.get("date") or "undated"
    return f"{when}{where}: {what}, “{e['trigger']}” — {e['sentence']}"


def _corroboration(e: Mapping[str, Any]) -> str:
    reports, independent = e.get("reports") or 1, e.get("independent_sources") or 1
    return f"{e['factuality']}; {reports} report(s), {independent} independent source(s)"


def _quote_text(r: Mapping[str, Any]) -> tuple[str, str]:
    chain = [
        f"{v['name']}{' (state media)' if v['state_media'] else ''}" for v in r["via"] if v["name"]
    ]
    via = f" via {' → '.join(chain)}" if chain else ""
    notes = ["hedged"] if r.get("hedged") else []
    if any(v["state_media"] for v in r["via"]):
        notes.append("relayed by state media")
    return f"{_who(r['speaker'])}{via}: “{r['content']}”", "; ".join(notes)


def build_brief(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    *,
    story: str | None = None,
    since: str | None = None,
    today: dt.date | None = None,
) -> Brief:
    n = settings.brief.max_items
    big = q.Query(story=story, since=since, limit=100_000)
    _, events = q.events(con, big)
    rows = [event_row(e) for e in events]
    _, quotes = q.quotes(con, big)
    _, arts = q.articles(con, q.Query(story=story, since=since, limit=100_000))
    title = "Situation briefing"
    if story:
        _, found = q.stories(con, q.Query(story=story, limit=1))
        title += f": {found[0]['title']}" if found else f": story {story}"
    brief = Brief(
        title=title,
        generated=(today or dt.date.today()).isoformat(),
        scope=", ".join(
            p for p in (f"story {story}" if story else "", f"since {since}" if since else "") if p
        )
        or "everything stored",
        articles=len(arts),
        outlets=sorted({str(a["outlet"]) for a in arts if a["outlet"]}),
    )
    real = [e for e in rows if e["factuality"] in REAL and not e.get("disputes")]
    # Dated, best-corroborated, most conflictual first; background (no day) last.
    real.sort(
        key=lambda e: (e["day"] is None, -(e["independent_sources"] or 1), e["intensity"] or 0)
    )
    for e in sorted(real[:n], key=lambda e: (e["day"] or e["date"] or "", e["id"])):
        brief.developments.append(
            Line(_event_text(e), e["outlet"], e["published"], e["article_id"], _corroboration(e))
        )
    said = [quote_row(r) for r in quotes if r["speaker"]]
    said.sort(key=lambda r: (r["speaker_actor_id"] is None, not r["via"], r["published"] or ""))
    for r in sorted(said[:n], key=lambda r: (r["published"] or "", r["article_id"])):
        text, note = _quote_text(r)
        brief.quotes.append(Line(text, r["outlet"], r["published"], r["article_id"], note))
    shaky = [e for e in rows if e["factuality"] in UNVERIFIED or e.get("disputes")]
    for e in shaky[:n]:
        note = _corroboration(e)
        if e.get("disputes"):
            note += f"; disputed by {len(e['disputes'])} other report(s)"
        if e.get("speaker"):
            note += f"; claimed by {e['speaker']}"
        line = Line(_event_text(e), e["outlet"], e["published"], e["article_id"], note)
        brief.disputed.append(line)
    brief.trend = _trend_lines(con, settings, story, since)
    for a in _scoped_alerts(evaluate_alerts(con, settings), {r["id"] for r in arts}, since)[:n]:
        first = a.evidence[0] if a.evidence else {}
        brief.alerts.append(
            Line(
                f"{a.day}: {a.title} — {a.why}",
                first.get("outlet"),
                first.get("published"),
                str(first.get("article_id") or (a.article_ids[0] if a.article_ids else "")),
                f"{a.kind}, {a.events} event(s)"
                + (f", P = {a.probability:.2g}" if a.probability is not None else ""),
            )
        )
    return brief


def _scoped_alerts(alerts: Sequence[Alert], articles: set[str], since: str | None) -> list[Alert]:
    return [
        a
        for a in alerts
        if set(a.article_ids) & articles and (since is None or a.last_day >= since)
    ]


def _trend_lines(
    con: duckdb.DuckDBPyConnection, settings: Settings, story: str | None, since: str | None
) -> list[str]:
    rows = [r for r in q.scored_events(con, since) if story is None or r["story_id"] == story]
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
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _cite(line: Line) -> str:
    when = (line.date or "undated")[:10]
    return f"{line.outlet or 'unknown outlet'}, {when}, article {line.article_id}"


SECTIONS = (
    ("developments", "Key developments"),
    ("quotes", "Who said what"),
    ("disputed", "Disputed or unverified claims"),
    ("alerts", "Alerts"),
)


def render_markdown(brief: Brief) -> str:
    out = [
        f"# {md(brief.title)}",
        "",
        f"Generated {brief.generated} by sitrep · scope: {md(brief.scope)} · "
        f"{brief.articles} article(s) from {len(brief.outlets)} outlet(s): "
        f"{md(', '.join(brief.outlets)) or 'none'}",
        "",
    ]
    for name, heading in SECTIONS[:3]:
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
    return f"- {md(line.text)}{note} ({md(_cite(line))})"


_CSS = (
    "body{font:15px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;"
    "color:#1d2733}h1{font-size:1.5em}h2{font-size:1.15em;border-bottom:1px solid #ccd;"
    "margin-top:1.6em}li{margin:.4em 0}.note{color:#7a4a00;font-size:.9em}"
    ".cite{color:#556;font-size:.85em}.meta{color:#556}"
)


def render_html(brief: Brief) -> str:
    e = html.escape
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(brief.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(brief.title)}</h1>",
        f'<p class="meta">Generated {e(brief.generated)} by sitrep · scope: {e(brief.scope)} · '
        f"{brief.articles} article(s) from {len(brief.outlets)} outlet(s): "
        f"{e(', '.join(brief.outlets)) or 'none'}</p>",
    ]
    for name, heading in SECTIONS:
        if name == "alerts":
            out.append("<h2>Escalation trend</h2><ul>")
            out += [f"<li>{e(t)}</li>" for t in brief.trend] or ["<li>none</li>"]
            out.append("</ul>")
        out.append(f"<h2>{e(heading)}</h2><ul>")
        out += [_html_line(line) for line in getattr(brief, name)] or ["<li>none</li>"]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _html_line(line: Line) -> str:
    e = html.escape
    note = f' <span class="note">[{e(line.note)}]</span>' if line.note else ""
    return f'<li>{e(line.text)}{note} <span class="cite">({e(_cite(line))})</span></li>'
