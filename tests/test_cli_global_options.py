"""Global options (--config, --set, -j/--jobs) work before or after the command, and the
engine is picked by name from the registry (`run/engines.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.cli import EXIT_REJECTS, EXIT_USAGE, main
from sitrep.cli_args import build_parser, global_options
from sitrep.run.engines import ENGINES, engine_name
from sitrep.settings import load_settings
from store_compare import assert_same_store, write_mixed_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mixed_corpus(tmp_path_factory.mktemp("input") / "articles.jsonl")


def _parsed(argv: str) -> tuple[Path | None, list[str]]:
    return global_options(build_parser().parse_args(argv.split()))


def test_global_options_before_after_and_both() -> None:
    assert _parsed("--set a.b=1 run in.jsonl") == (None, ["a.b=1"])
    assert _parsed("run in.jsonl --set a.b=1") == (None, ["a.b=1"])
    # Both places add up, in command-line order; -j comes last, so it wins over --set.
    assert _parsed("--set a.b=1 -j 4 run in.jsonl --set nlp.n_process=1") == (
        None,
        ["a.b=1", "nlp.n_process=1", "nlp.n_process=4"],
    )
    assert _parsed("run in.jsonl -j 2 --config x.toml") == (Path("x.toml"), ["nlp.n_process=2"])
    assert _parsed("--config x.toml kb import --set a.b=2 f.yaml") == (Path("x.toml"), ["a.b=2"])
    assert _parsed("--config x.toml stats --config y.toml") == (Path("y.toml"), [])
    assert _parsed("stats") == (None, [])


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "in.jsonl", "-j", jobs])
    assert "-j/--jobs" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--set", "run.engine=nosuch", "run", "{corpus}", "--db", "{db}"],
        ["run", "{corpus}", "--db", "{db}", "--set", "run.engine=nosuch"],
    ],
)
def test_set_before_or_after_run_reaches_the_run(
    argv: list[str], corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An engine nobody registered is refused before anything is read or written.
    db = tmp_path / "store.duckdb"
    filled = [a.format(corpus=corpus, db=db) for a in argv]
    assert main([*filled, "--no-progress"]) == EXIT_USAGE
    assert "unknown engine 'nosuch' (one of: local, workers, dask)" in capsys.readouterr().err
    assert not db.exists()


def test_config_and_a_bad_setting_after_the_command_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "store.duckdb")
    assert main(["stats", "--db", db, "--config", str(tmp_path / "missing.toml")]) == EXIT_USAGE
    assert "missing.toml" in capsys.readouterr().err
    assert main(["stats", "--db", db, "--set", "nosuch.key=1"]) == EXIT_USAGE
    assert "nosuch" in capsys.readouterr().err


def test_jobs_pick_the_workers_engine() -> None:
    settings = load_settings(*_parsed("run in.jsonl -j 2"))
    assert settings.nlp.n_process == 2 and engine_name(settings) == "workers"
    assert engine_name(load_settings(*_parsed("run in.jsonl -j 1"))) == "local"
    dask = load_settings(*_parsed("run in.jsonl -j 2 --set run.engine=dask"))
    assert engine_name(dask) == "dask"
    assert set(ENGINES) == {"local", "workers", "dask"}


def test_run_with_jobs_gives_the_one_process_store(corpus: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    common = ["--no-progress", "--set", "nlp.batch_size=2"]
    # The mixed corpus has rejects, hence EXIT_REJECTS for a run that went well.
    assert main(["run", str(corpus), "--db", str(one), *common]) == EXIT_REJECTS
    assert main(["run", str(corpus), "--db", str(two), "-j", "2", *common]) == EXIT_REJECTS
    assert_same_store(two, one)
    # The workers engine by name, on a store that has everything: nothing changes.
    again = ["run", str(corpus), "--db", str(two), "--engine", "workers", *common]
    assert main(again) == EXIT_REJECTS
    assert_same_store(two, one)
