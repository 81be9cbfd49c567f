"""Rows by id from the stretch of row ids they lie in: the same rows as a plain id filter,
wherever they lie (together, far apart, after deletes and rewrites, none)."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb

from sitrep.store.ranged import rows_by_id


def _plain(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[tuple[object, ...]]:
    return sorted(
        con.execute("SELECT id, body FROM t WHERE id IN (SELECT unnest($1))", [ids]).fetchall()
    )


def test_rows_by_id_are_the_rows_of_a_plain_id_filter(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    con.execute("CREATE TABLE t (id VARCHAR PRIMARY KEY, body VARCHAR)")
    ids = [f"r{n:05}" for n in range(6000)]
    con.execute("INSERT INTO t SELECT unnest($1), unnest($1) || ' body'", [ids])
    rnd = random.Random(3)
    con.execute("DELETE FROM t WHERE id IN (SELECT unnest($1))", [rnd.sample(ids, 500)])
    con.execute("INSERT OR REPLACE INTO t VALUES ('r00010', 'rewritten'), ('new', 'appended')")
    con.execute("CHECKPOINT")
    for wanted in (
        ids[100:150],  # together
        [ids[3], ids[5990], "new", "r00010"],  # far apart, appended, rewritten
        rnd.sample(ids, 300) + ["missing"],  # anywhere, some deleted, one never there
    ):
        got = rows_by_id(con, "t.id, t.body", "t", "id", wanted)
        assert sorted(got) == _plain(con, wanted)
    assert rows_by_id(con, "t.id, t.body", "t", "id", ["missing"]) == []
    assert rows_by_id(con, "t.id, t.body", "t", "id", []) == []
    con.close()
