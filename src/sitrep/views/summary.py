"""The readable run summary `make demo` prints."""

from __future__ import annotations

from typing import Any

from sitrep.views.render import safe_text, table


def summary_text(data: dict[str, Any]) -> str:
    counts = data["counts"]
    lines = [
        f"{counts['articles']} articles, {counts['events']} events, {counts['quotes']} quotes, "
        f"{counts['places']} places, {counts['times']} times, {counts['rejects']} rejects",
        "",
        "Events by type",
        table(data["events_by_type"], ["type", "events"]),
        "",
        "Events by factuality",
        table(data["events_by_factuality"], ["factuality", "events"]),
        "",
        "Top actors (as event source or target)",
        table(data["top_actors"], ["actor", "country", "sector", "events"]),
        "",
        "Quotes",
    ]
    for quote in data["quotes"]:
        via = f" (via {safe_text(quote['via'])})" if quote["via"] else ""
        hedge = " [hedged]" if quote["hedged"] else ""
        content = safe_text(quote["content"])
        if len(content) > 110:
            content = content[:109] + "…"
        lines.append(f"- {safe_text(quote['speaker'])}{via}, {quote['kind']}{hedge}: “{content}”")
    if not data["quotes"]:
        lines.append("(none with a known speaker)")
    return "\n".join(lines)
