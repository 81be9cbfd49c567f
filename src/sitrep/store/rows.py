"""Flatten extracted records into the store's table rows (column name → value)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sitrep.model import Article, Extraction, Participant, Reject, Span
from sitrep.model.ids import digest
from sitrep.model.serialize import to_plain

Row = dict[str, Any]


def _span(prefix: str, span: Span | None) -> Row:
    return {
        f"{prefix}_start": span.start if span else None,
        f"{prefix}_end": span.end if span else None,
        f"{prefix}_text": span.text if span else None,
    }


def _who(prefix: str, who: Participant | None) -> Row:
    return {
        f"{prefix}_name": who.name if who else None,
        f"{prefix}_actor_id": who.actor_id if who else None,
        f"{prefix}_country": who.country if who else None,
        f"{prefix}_sector": who.sector if who else None,
    }


def _parties(sources: list[Participant], targets: list[Participant]) -> Row:
    """Migration 005: every participant of each side, as JSON and as actor-id lists."""
    return {
        "sources": json.dumps([to_plain(p) for p in sources], ensure_ascii=False),
        "targets": json.dumps([to_plain(p) for p in targets], ensure_ascii=False),
        "source_actor_ids": [p.actor_id for p in sources if p.actor_id],
        "target_actor_ids": [p.actor_id for p in targets if p.actor_id],
    }


def _published_date(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def article_row(article: Article) -> Row:
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "outlet": article.outlet,
        "outlet_from": article.outlet_from,
        "wire": article.wire,
        "published": article.published,
        "published_date": _published_date(article.published),
        "text": article.text,
        "origin": article.origin,
    }


def extraction_rows(ex: Extraction) -> dict[str, list[Row]]:
    aid = ex.article.id
    rows: dict[str, list[Row]] = {"articles": [article_row(ex.article)]}
    rows["entities"] = [
        {
            "article_id": aid,
            "idx": i,
            "label": e.label,
            "name": e.name,
            "actor_id": e.actor_id,
            "country": e.country,
            "sector": e.sector,
            **_span("span", e.span),
        }
        for i, e in enumerate(ex.entities)
    ]
    rows["places"] = [
        {
            "article_id": aid,
            "idx": i,
            "name": p.name,
            "geonameid": p.geonameid,
            "country": p.country,
            "admin1": p.admin1,
            "lat": p.lat,
            "lon": p.lon,
            "feature": p.feature,
            **_span("span", p.span),
        }
        for i, p in enumerate(ex.places)
    ]
    rows["times"] = [
        {"article_id": aid, "idx": i, "type": t.type, "value": t.value, **_span("span", t.span)}
        for i, t in enumerate(ex.times)
    ]
    rows["quotes"] = [
        {
            "id": q.id,
            "article_id": aid,
            "kind": q.kind,
            **_span("content", q.content),
            "cue_text": q.cue.text if q.cue else None,
            **_who("speaker", q.speaker),
            "addressee_name": q.addressee.name if q.addressee else None,
            "via_sources": " > ".join(v.source.name for v in q.via) or None,
            "hedged": q.hedged,
            "denial": q.denial,
            "denies": q.denies,
            "record": json.dumps(to_plain(q), ensure_ascii=False),
        }
        for q in ex.quotes
    ]
    for row in rows["quotes"]:
        for key in ("speaker_name", "speaker_actor_id", "speaker_country", "speaker_sector"):
            row.setdefault(key, None)
    rows["events"] = [
        {
            "id": e.id,
            "article_id": aid,
            "type": e.type,
            "mode": e.mode,
            "factuality": e.factuality,
            **_who("source", e.source),
            **_who("target", e.target),
            "trigger_text": e.trigger.text,
            **_span("sentence", e.sentence),
            "event_date": e.date.value if e.date else None,
            "place_name": e.place.name if e.place else None,
            "place_country": e.place.country if e.place else None,
            "lat": e.place.lat if e.place else None,
            "lon": e.place.lon if e.place else None,
            "cameo": e.cameo,
            "intensity": e.intensity,
            "confidence": e.confidence,
            "record": json.dumps(to_plain(e), ensure_ascii=False),
            **_parties(e.sources, e.targets),
            "timing": e.timing,
        }
        for e in ex.events
    ]
    rows["boilerplate"] = [
        {"article_id": aid, "idx": i, "rule": r.rule, "line": r.text}
        for i, r in enumerate(ex.article.boilerplate)
    ]
    return rows


def reject_row(reject: Reject) -> Row:
    return {
        "id": "r" + digest(reject.origin, reject.code, reject.snippet),
        "origin": reject.origin,
        "code": reject.code,
        "reason": reject.reason,
        "snippet": reject.snippet,
    }
