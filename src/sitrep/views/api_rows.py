"""Shape store rows for the API: flat JSON records with spans, and CSV that spreadsheets
cannot mistake for formulas."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sitrep.views.render import strip_controls

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _record(row: Mapping[str, Any]) -> dict[str, Any]:
    raw = row.get("record")
    if not raw:
        return {}
    data: dict[str, Any] = json.loads(raw)
    return data


def _via(links: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for link in links:
        source = link.get("source") or {}
        cue = link.get("cue") or {}
        out.append(
            {
                "name": source.get("name"),
                "actor_id": source.get("actor_id"),
                "country": source.get("country"),
                "source_type": link.get("source_type"),
                "state_media": link.get("source_type") == "state_media",
                "cue": cue.get("text"),
            }
        )
    return out


def event_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored (canonical) event as a flat record plus its trigger span and attribution."""
    record = _record(row)
    out = {k: v for k, v in row.items() if k != "record"}
    trigger = record.get("trigger") or {}
    out["trigger_start"], out["trigger_end"] = trigger.get("start"), trigger.get("end")
    attribution = record.get("attribution") or {}
    speaker = attribution.get("speaker") or {}
    out["speaker"] = speaker.get("name")
    out["via"] = _via(attribution.get("via") or [])
    out["context"] = record.get("context") or []
    return out


def quote_row(row: Mapping[str, Any]) -> dict[str, Any]:
    record = _record(row)
    out = {k: v for k, v in row.items() if k not in {"record", "via"}}
    cue = record.get("cue") or {}
    out["cue_start"], out["cue_end"] = cue.get("start"), cue.get("end")
    out["via"] = _via(record.get("via") or [])
    out["state_media"] = any(v["state_media"] for v in out["via"])
    return out


def _span(kind: str, span: Mapping[str, Any] | None, ref: str, label: str) -> dict[str, Any] | None:
    if not span or span.get("start") is None:
        return None
    return {"kind": kind, "start": span["start"], "end": span["end"], "ref": ref, "label": label}


def article_spans(article: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every record's spans in one list, sorted by position: what the viewer highlights."""
    spans: list[dict[str, Any] | None] = []
    for row in article["events"]:
        e = _record(row)
        ref, label = str(row["id"]), str(e.get("type"))
        spans.append(_span("event_sentence", e.get("sentence"), ref, label))
        spans.append(_span("event_trigger", e.get("trigger"), ref, label))
        for side in ("source", "target"):
            spans.append(_span(f"event_{side}", (e.get(side) or {}).get("span"), ref, label))
        spans.append(_span("event_date", (e.get("date") or {}).get("span"), ref, label))
        spans.append(_span("event_place", (e.get("place") or {}).get("span"), ref, label))
    for row in article["quotes"]:
        q = _record(row)
        ref, label = str(q.get("id")), str(q.get("kind"))
        spans.append(_span("quote_content", q.get("content"), ref, label))
        spans.append(_span("quote_cue", q.get("cue"), ref, label))
        spans.append(_span("quote_speaker", (q.get("speaker") or {}).get("span"), ref, label))
        for link in q.get("via") or []:
            spans.append(_span("quote_via", (link.get("source") or {}).get("span"), ref, label))
    for table, kind in (("entities", "entity"), ("places", "place"), ("times", "time")):
        for r in article[table]:
            label = str(r.get("label") or r.get("value") or r.get("name") or "")
            span = {"start": r.get("span_start"), "end": r.get("span_end")}
            spans.append(_span(kind, span, f"{kind}:{r['idx']}", label))
    found = [s for s in spans if s is not None]
    return sorted(found, key=lambda s: (s["start"], -s["end"], s["kind"]))


def article_detail(article: Mapping[str, Any]) -> dict[str, Any]:
    events = []
    for row in article["events"]:
        record = _record(row)
        record["canonical_id"] = row.get("canonical_id")
        events.append(record)
    return {
        **{k: article[k] for k in ("id", "url", "title", "outlet", "published", "text")},
        "story_id": article.get("story_id"),
        "duplicate_of": article.get("duplicate_of"),
        "spans": article_spans(article),
        "events": events,
        "quotes": [_record(r) for r in article["quotes"]],
        "entities": list(article["entities"]),
        "places": list(article["places"]),
        "times": list(article["times"]),
    }


def _cell(value: Any) -> Any:
    """Lists and objects as readable text; text that a spreadsheet would run is quoted."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(
            (
                f"{v.get('name')}{' [state media]' if v.get('state_media') else ''}"
                if isinstance(v, Mapping) and "name" in v
                else json.dumps(v, default=str)
                if isinstance(v, Mapping)
                else str(v)
            )
            for v in value
        )
    elif isinstance(value, Mapping):
        value = json.dumps(value, default=str, ensure_ascii=False)
    if isinstance(value, str):
        value = strip_controls(value)  # a terminal escape in a title must not reach `cat`
        if value.startswith(_FORMULA):
            return "'" + value
    return value


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    names = list(columns or (rows[0].keys() if rows else []))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(n)) for n in names])
    return buffer.getvalue()
