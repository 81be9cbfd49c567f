"""The Dask engine: the same input gives the same store as the local engine, shards are
written atomically and reused when a run is resumed, and a second run changes nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from distributed import Client, LocalCluster, get_task_stream

from sitrep.cli import EXIT_REJECTS, EXIT_USAGE, main
from sitrep.errors import StoreError
from sitrep.extract.service import Extractor
from sitrep.ingest import read_inputs
from sitrep.model import Article, Event, Extraction, Participant, Quote, Reject, Span
from sitrep.run.dask_engine import fingerprint, run_with_dask, shard_folder, shard_name
from sitrep.run.local import run_to_store
from sitrep.settings import Settings
from sitrep.store.db import connect
from sitrep.store.shards import load_shard, write_shard
from store_compare import assert_same_store, write_mixed_corpus

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles.jsonl"
PARTITION = 3


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mixed_corpus(tmp_path_factory.mktemp("input") / "articles.jsonl")


@pytest.fixture(scope="module")
def run_settings(settings: Settings) -> Settings:
    # Small partitions, so that ten articles make several shards.
    return settings.with_overrides({"run": {"partition_size": PARTITION}})


def _items(corpus: Path, settings: Settings) -> list[Article | Reject]:
    return list(read_inputs([str(corpus)], settings.ingest))


@pytest.fixture(scope="module")
def local_store(
    corpus: Path, run_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    report = run_to_store(_items(corpus, run_settings), run_settings, db)
    assert report.articles == 10 and len(report.rejects) == 3
    return db


@pytest.fixture(scope="module")
def thread_client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _sitrep_tasks(stream: Any) -> set[str]:
    return {str(t["key"]) for t in stream.data if str(t["key"]).startswith("sitrep-")}


def test_dask_engine_gives_the_local_store(
    corpus: Path, run_settings: Settings, local_store: Path, thread_client: Client, tmp_path: Path
) -> None:
    db = tmp_path / "dask.duckdb"
    rejected: list[Reject] = []
    with get_task_stream(client=thread_client) as stream:
        report = run_with_dask(
            _items(corpus, run_settings),
            run_settings,
            db,
            client=thread_client,
            on_reject=rejected.append,
        )
    assert report.articles == 10 and report.skipped == 1
    assert [r.code for r in rejected] == [r.code for r in report.rejects] and len(rejected) == 3
    assert len(_sitrep_tasks(stream)) == 4  # 14 records in partitions of 3, one reject-only
    assert_same_store(db, local_store)
    assert list(shard_folder(db, run_settings.run).iterdir()) == []  # loaded, then removed


class _Stop(Exception):
    pass


def _wait_until_idle(client: Client) -> None:
    deadline = time.monotonic() + 300
    while any(client.run(lambda dask_worker: len(dask_worker.state.executing)).values()):
        assert time.monotonic() < deadline, "the workers never became idle"
        time.sleep(0.2)


def test_resumed_run_reuses_finished_shards_and_rerun_changes_nothing(
    corpus: Path,
    run_settings: Settings,
    local_store: Path,
    thread_client: Client,
    extractor: Extractor,
    tmp_path: Path,
) -> None:
    db = tmp_path / "resume.duckdb"
    items = _items(corpus, run_settings)

    def stop_after_first(_: int) -> None:
        raise _Stop

    with pytest.raises(_Stop):  # the coordinator dies after loading one partition
        run_with_dask(items, run_settings, db, client=thread_client, on_progress=stop_after_first)
    _wait_until_idle(thread_client)  # tasks of the dead coordinator run on; let them end
    partitions = [items[i : i + PARTITION] for i in range(0, len(items), PARTITION)]
    folder = shard_folder(db, run_settings.run)
    # A worker finished the last partition before the stop; another died mid-write; a
    # third shard lost a file (a disk problem): it must be extracted again.
    last = len(partitions) - 1
    finished = shard_name(last, partitions[last], fingerprint(run_settings, False))
    damaged = folder / shard_name(last - 1, partitions[last - 1], fingerprint(run_settings, False))
    damaged.mkdir(exist_ok=True)
    (damaged / "events.parquet").unlink(missing_ok=True)
    earlier = {i.id for p in partitions[:last] for i in p if isinstance(i, Article)}
    todo = [i for i in partitions[last] if isinstance(i, Reject) or i.id not in earlier]
    results = list(extractor.stream(todo))
    write_shard(
        folder,
        finished,
        [r for r in results if isinstance(r, Extraction)],
        [r for r in results if isinstance(r, Reject)],
    )
    (folder / ".00000001-partial.tmp").mkdir()
    (folder / ".00000001-partial.tmp" / "articles.parquet").write_bytes(b"PAR1 cut short")
    with get_task_stream(client=thread_client) as stream:
        run_with_dask(items, run_settings, db, client=thread_client)
    done = _sitrep_tasks(stream)
    assert f"sitrep-{finished}" not in done  # the finished shard was not redone …
    assert f"sitrep-{damaged.name}" in done  # … the damaged one was
    assert list(folder.iterdir()) == []
    assert_same_store(db, local_store)

    with get_task_stream(client=thread_client) as stream:
        report = run_with_dask(items, run_settings, db, client=thread_client)
    assert _sitrep_tasks(stream) == set() and report.skipped == 11
    assert_same_store(db, local_store)


def test_cli_dask_engine_on_a_running_scheduler_with_worker_processes(
    corpus: Path, local_store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "cli.duckdb"
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        code = main(
            [
                "--set",
                f"run.partition_size={PARTITION}",
                "run",
                str(corpus),
                "--db",
                str(db),
                "--engine",
                "dask",
                "--scheduler",
                str(cluster.scheduler_address),
                "--no-progress",
            ]
        )
    assert code == EXIT_REJECTS
    assert_same_store(db, local_store)


def test_kill_9_then_rerun_gives_the_clean_store(
    corpus: Path, local_store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "killed.duckdb"
    folder = Path(f"{db}.shards")
    with LocalCluster(
        n_workers=1, processes=False, protocol="tcp://", dashboard_address=":0"
    ) as cluster:
        command = [
            sys.executable,
            "-m",
            "sitrep",
            "--set",
            "run.partition_size=1",
            "run",
            str(corpus),
            "--db",
            str(db),
            "--engine",
            "dask",
            "--scheduler",
            str(cluster.scheduler_address),
            "--no-progress",
        ]
        first = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        # SIGKILL the coordinator as soon as a worker writes a shard.
        while first.poll() is None and not (folder.is_dir() and any(folder.iterdir())):
            time.sleep(0.005)
        first.kill()
        assert first.wait() == -signal.SIGKILL
        second = subprocess.run(command, stderr=subprocess.DEVNULL, check=False)
    assert second.returncode == EXIT_REJECTS
    assert_same_store(db, local_store)


def test_cli_refuses_workers_without_the_dask_engine(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    assert main(["run", str(corpus), "--db", str(db), "--workers", "2"]) == EXIT_USAGE
    assert not db.exists()


TEXT = "Belarus moved tanks to the border on Friday, Lukashenko said."


def _extraction(article_id: str) -> Extraction:
    blr = Participant(Span(0, 7, "Belarus"), "Belarus", "BLR", "BLR", "GOV")
    event = Event(
        id=f"e-{article_id}",
        type="MOBILIZE",
        mode="weapons",
        context=["military"],
        source=blr,
        target=None,
        trigger=Span(8, 13, "moved"),
        sentence=Span(0, len(TEXT), TEXT),
        date=None,
        place=None,
        factuality="asserted",
        attribution=None,
        cameo="154",
        intensity=-6.5,
        confidence=0.8,
    )
    quote = Quote(f"q-{article_id}", "indirect", Span(0, 43, TEXT[:43]), None, None)
    article = Article(id=article_id, text=TEXT, outlet="Wire", published="2024-03-15")
    return Extraction(article, events=[event], quotes=[quote])


def test_shards_load_like_write_batch_and_twice_changes_nothing(tmp_path: Path) -> None:
    reject = Reject("input.jsonl:3", "R001", "malformed JSON line", "{not")
    shard = write_shard(tmp_path / "shards", "p0", [_extraction("a1")], [reject])
    assert sorted(p.name for p in shard.iterdir()) == [
        "articles.parquet",
        "boilerplate.parquet",
        "entities.parquet",
        "events.parquet",
        "places.parquet",
        "quotes.parquet",
        "rejects.parquet",
        "times.parquet",
    ]
    assert [p.name for p in (tmp_path / "shards").iterdir()] == ["p0"]  # no temp folder left
    con = connect(tmp_path / "store.duckdb")
    first = load_shard(con, shard)
    rows = con.execute("SELECT * EXCLUDE (ingested_at) FROM articles").fetchall()
    again = load_shard(con, shard)
    assert first == again and (first.articles, first.events, first.quotes) == (1, 1, 1)
    assert con.execute("SELECT * EXCLUDE (ingested_at) FROM articles").fetchall() == rows
    assert con.execute("SELECT count(*) FROM events").fetchone() == (1,)
    assert con.execute("SELECT code FROM rejects").fetchall() == [("R001",)]
    loaded = con.execute("SELECT count(*) FROM articles WHERE ingested_at IS NULL").fetchone()
    assert loaded == (0,)
    con.close()


def test_an_incomplete_shard_is_refused(tmp_path: Path) -> None:
    shard = write_shard(tmp_path, "p0", [_extraction("a1")], [])
    (shard / "quotes.parquet").unlink()
    con = connect(tmp_path / "store.duckdb")
    with pytest.raises(StoreError, match="incomplete"):
        load_shard(con, shard)
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    con.close()


def test_a_shard_is_not_rewritten(tmp_path: Path) -> None:
    first = write_shard(tmp_path, "p0", [_extraction("a1")], [])
    stamp = (first / "articles.parquet").stat().st_mtime_ns
    assert write_shard(tmp_path, "p0", [_extraction("a2")], []) == first
    assert (first / "articles.parquet").stat().st_mtime_ns == stamp
    rows = duckdb.sql(f"SELECT id FROM read_parquet('{first / 'articles.parquet'}')").fetchall()
    assert rows == [("a1",)]
