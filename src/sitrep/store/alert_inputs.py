"""Store side of incremental alerts (analyze/alert_inputs.py): the per pair-day counts, the
pair-days each canonical event feeds, the watchlist hits, the digest they were built with,
and the canonical events changed since (written by store/incremental.py)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

import duckdb

from sitrep.store.db import abort

Key = tuple[str, str, str]  # source country, target country, day
Hit = tuple[str, str, str, str]  # rule, canonical event, day, the row judged (JSON)


def inputs_state(con: duckdb.DuckDBPyConnection) -> str | None:
    """The digest the inputs were built with; None when they must be rebuilt (none yet,
    a full resolution since, or a store from before these tables)."""
    try:
        row = con.execute("SELECT digest FROM alert_inputs_state").fetchone()
    except duckdb.CatalogException:
        return None
    return str(row[0]) if row else None


def stale_events(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Canonical events written or replaced since the inputs were brought up to date."""
    try:
        rows = con.execute("SELECT DISTINCT event_id FROM alert_stale_events ORDER BY 1").fetchall()
    except duckdb.CatalogException:
        return []
    return [str(r[0]) for r in rows]


def mark_stale_events(con: duckdb.DuckDBPyConnection, event_ids: Collection[str]) -> None:
    """Record these canonical events as changed (inside the caller's transaction)."""
    if event_ids:
        con.execute("INSERT INTO alert_stale_events SELECT unnest($1)", [sorted(event_ids)])


def forget_inputs(con: duckdb.DuckDBPyConnection) -> None:
    """After a full resolution: the inputs no longer match, rebuild them from the store."""
    con.execute("DELETE FROM alert_inputs_state")
    con.execute("DELETE FROM alert_stale_events")


def firing_pair_days(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, int, bool]]:
    """Every stored pair-day of the pairs that have a judged day (only those may fire):
    source, target, day, reports, judged."""
    rows = con.execute(
        "SELECT source_country, target_country, day, reports, judged FROM alert_pair_days "
        "WHERE (source_country, target_country) IN (SELECT (source_country, target_country) "
        "FROM alert_pair_days WHERE judged)"
    ).fetchall()
    return [(str(s), str(t), str(d), int(n), bool(j)) for s, t, d, n, j in rows]


def pair_totals(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    """Every stored pair's reports over all its days."""
    rows = con.execute(
        "SELECT source_country, target_country, sum(reports) FROM alert_pair_days GROUP BY ALL"
    ).fetchall()
    return {(str(s), str(t)): int(n) for s, t, n in rows}


def pair_day_days(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every day any stored pair-day falls on, sorted."""
    rows = con.execute("SELECT DISTINCT day FROM alert_pair_days ORDER BY day").fetchall()
    return [str(r[0]) for r in rows]


def rule_hit_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(watchlist rule, the row it matched as JSON), by day and then canonical event id."""
    rows = con.execute(
        "SELECT rule, row_json FROM alert_rule_hits ORDER BY day NULLS LAST, event_id, rule"
    ).fetchall()
    return [(str(rule), str(row)) for rule, row in rows]


def keys_of_events(con: duckdb.DuckDBPyConnection, event_ids: Collection[str]) -> set[Key]:
    """The pair-days these canonical events fed when the inputs were last brought up to date."""
    rows = con.execute(
        "SELECT source_country, target_country, day FROM alert_event_days "
        "WHERE event_id IN (SELECT unnest($1))",
        [sorted(event_ids)],
    ).fetchall()
    return {(str(s), str(t), str(d)) for s, t, d in rows}


def existing_events(con: duckdb.DuckDBPyConnection, event_ids: Collection[str]) -> list[str]:
    rows = con.execute(
        "SELECT id FROM canonical_events WHERE id IN (SELECT unnest($1)) ORDER BY id",
        [sorted(event_ids)],
    ).fetchall()
    return [str(r[0]) for r in rows]


def events_on(con: duckdb.DuckDBPyConnection, keys: Collection[Key]) -> list[str]:
    """Canonical events that fed these pair-days when the inputs were last brought up to
    date (a lookup in `alert_event_days`, never a scan of the mentions)."""
    if not keys:
        return []
    ordered = sorted(keys)
    rows = con.execute(
        "SELECT DISTINCT f.event_id FROM alert_event_days f JOIN (SELECT unnest($1) AS s, "
        "unnest($2) AS t, unnest($3) AS d) k ON f.source_country = k.s "
        "AND f.target_country = k.t AND f.day = k.d ORDER BY 1",
        [[k[0] for k in ordered], [k[1] for k in ordered], [k[2] for k in ordered]],
    ).fetchall()
    return [str(r[0]) for r in rows]


def write_inputs(
    con: duckdb.DuckDBPyConnection,
    counts: Mapping[Key, tuple[int, bool]],
    event_days: Iterable[tuple[str, Key]],
    hits: Iterable[Hit],
    replaced: tuple[Collection[Key], Collection[str]] | None,
    digest: str,
) -> None:
    """Write the pair-days `counts`, the pair-days each event feeds and the rule hits,
    replacing the rows of the `replaced` keys and events (None: all rows),
    then record `digest` and forget the stale events: in one transaction."""
    keys = sorted(counts)
    feeds = sorted(set(event_days))
    found = sorted(set(hits))
    try:
        con.execute("BEGIN TRANSACTION")
        if replaced is None:
            for table in ("alert_pair_days", "alert_event_days", "alert_rule_hits"):
                con.execute(f"DELETE FROM {table}")
        else:
            _delete(con, *replaced)
        _insert(
            con,
            "alert_pair_days",
            [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]],
            [[counts[k][0] for k in keys], [counts[k][1] for k in keys]],
        )
        _insert(
            con,
            "alert_event_days",
            [[f[0] for f in feeds], [f[1][0] for f in feeds], [f[1][1] for f in feeds]],
            [[f[1][2] for f in feeds]],
        )
        _insert(con, "alert_rule_hits", [[h[i] for h in found] for i in range(4)], [])
        con.execute("DELETE FROM alert_inputs_state")
        con.execute("INSERT INTO alert_inputs_state VALUES (?)", [digest])
        con.execute("DELETE FROM alert_stale_events")
        con.execute("COMMIT")
    except duckdb.Error as exc:
        raise abort(con, "writing the alert inputs", exc) from exc


def _delete(con: duckdb.DuckDBPyConnection, keys: Collection[Key], events: Collection[str]) -> None:
    ordered = sorted(keys)
    columns = [[k[0] for k in ordered], [k[1] for k in ordered], [k[2] for k in ordered]]
    for table in ("alert_pair_days", "alert_event_days"):
        con.execute(
            f"DELETE FROM {table} USING (SELECT unnest($1) AS s, unnest($2) AS t, "
            f"unnest($3) AS d) k WHERE {table}.source_country = k.s "
            f"AND {table}.target_country = k.t AND {table}.day = k.d",
            columns,
        )
    con.execute(
        "DELETE FROM alert_rule_hits WHERE event_id IN (SELECT unnest($1))", [sorted(events)]
    )


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, texts: list[list[str]], others: list[list[object]]
) -> None:
    columns = [*texts, *others]
    if not columns or not columns[0]:
        return
    selects = ", ".join(f"unnest(${i + 1})" for i in range(len(columns)))
    con.execute(f"INSERT INTO {table} SELECT {selects}", columns)
