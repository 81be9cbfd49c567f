"""What the store received after a moment: the dashboard's "new since your last visit".

The moment is an ingest time as the store writes it (`articles.ingested_at`, UTC as
DuckDB's now()), which the dashboard takes from /api/stats `last_ingested` and keeps in the
browser; comparing against the store's own clock avoids any skew with the browser's.
"""

from __future__ import annotations

from datetime import datetime

import duckdb


def stored_since(con: duckdb.DuckDBPyConnection, since: datetime) -> dict[str, int]:
    """Articles stored after `since`, and canonical events whose earliest report was (an
    older event that a new article also reports is not new)."""
    articles = con.execute(
        "SELECT count(*) FROM articles WHERE ingested_at > ?", [since]
    ).fetchone()
    events = con.execute(
        "SELECT count(*) FROM ("
        " SELECT c.id FROM canonical_events c, unnest(c.article_ids) AS r(article_id)"
        " JOIN articles a ON a.id = r.article_id"
        " GROUP BY c.id HAVING min(a.ingested_at) > ?)",
        [since],
    ).fetchone()
    return {
        "articles": int(articles[0]) if articles else 0,
        "events": int(events[0]) if events else 0,
    }
