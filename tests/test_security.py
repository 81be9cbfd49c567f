"""The security review's findings, one test each: every file, request and record sitrep reads
is hostile, and no failure shows a traceback, a wrong message or an unescaped terminal code."""

from __future__ import annotations

import gzip
import ipaddress
import json
import logging
import os
import pickle
import stat
import subprocess
import sys
import textwrap
from array import array
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sitrep.cli import EXIT_FATAL, EXIT_OK, main
from sitrep.errors import FetchError
from sitrep.ingest.http import check_address
from sitrep.ingest.jsonl import read_jsonl
from sitrep.kb.gazetteer import load_index
from sitrep.kb.gazetteer_build import GazetteerIndex
from sitrep.model.article import Article, Reject
from sitrep.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
ESCAPES = ROOT / "tests" / "fixtures" / "escapes.jsonl"
_ESC = "\x1b"


class _RunsCode:
    """A pickle payload: loading it creates the folder `marker` (i.e. runs code)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


# --- the gazetteer cache ------------------------------------------------------------------


def test_a_crafted_pickle_cache_runs_no_code_and_is_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    marker = tmp_path / "code-ran"
    cache = tmp_path / "cache" / "gazetteer.npz"
    cache.parent.mkdir()
    cache.write_bytes(pickle.dumps(_RunsCode(marker)))
    with caplog.at_level(logging.WARNING):
        index = load_index(cache)
    assert not marker.exists(), "loading the cache file ran code"
    assert len(index.name) > 100_000 and "kyiv" in index.names
    assert "E010" in caplog.text
    from sitrep.kb.gazetteer_file import read_index

    rebuilt = read_index(cache, index.fingerprint)  # the rebuilt file is the safe format
    assert rebuilt.names == index.names
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600


def _small_index() -> GazetteerIndex:
    return GazetteerIndex(
        "test-fingerprint",
        geonameid=array("q", [703448, 706483]),
        lat=array("f", [50.45, float("nan")]),
        lon=array("f", [30.52, 36.25]),
        population=array("q", [2_797_553, 1_430_885]),
        feature=array("B", [0, 5]),
        country=array("H", [0, 0]),
        admin1=["UA.12", ""],
        name=["Kyiv", "Kharkiv"],
        countries=[("UA", "UKR")],
        names={"kyiv": 0, "kiev": 0, "kharkiv": 1, "both": (0, 1)},
        preferred={"kharkov": 706483},
    )


def test_the_index_file_round_trips_in_a_private_folder(tmp_path: Path) -> None:
    from sitrep.kb.gazetteer_file import read_index, write_index

    path = tmp_path / "new" / "folder" / "g.npz"
    write_index(_small_index(), path)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    back = read_index(path, "test-fingerprint")
    assert back.names == {"kyiv": 0, "kiev": 0, "kharkiv": 1, "both": (0, 1)}
    assert back.name == ["Kyiv", "Kharkiv"] and back.countries == [("UA", "UKR")]
    assert back.preferred == {"kharkov": 706483} and back.population[1] == 1_430_885


def _npz(path: Path, **arrays: Any) -> None:
    with path.open("wb") as handle:
        np.savez(handle, **arrays)


def test_invalid_index_files_are_refused_with_a_code(tmp_path: Path) -> None:
    from sitrep.errors import GazetteerCacheError
    from sitrep.kb.gazetteer_file import read_index, write_index

    marker = tmp_path / "code-ran"
    good = tmp_path / "good.npz"
    write_index(_small_index(), good)
    with np.load(good) as archive:
        arrays = {name: archive[name] for name in archive.files}
    bad: dict[str, Any] = {
        "pickle": pickle.dumps(_RunsCode(marker)),
        "garbage": b"PK\x03\x04 not really a zip",
        "empty": b"",
    }
    for name, content in bad.items():
        (tmp_path / name).write_bytes(content)
    # An object array inside a real archive is a pickle too.
    payload = np.empty(1, dtype=object)
    payload[0] = _RunsCode(marker)
    _npz(tmp_path / "object", **{**arrays, "name": payload})
    old_header = b'{"format": "sitrep-gazetteer", "version": 1, "fingerprint": "test-fingerprint"}'
    _npz(tmp_path / "version", **{**arrays, "header": np.frombuffer(old_header, np.uint8)})
    _npz(tmp_path / "rows", **{**arrays, "name_rows": np.array([0, 0, 1, 0, 9], dtype="<u4")})
    _npz(tmp_path / "short", **{**arrays, "lat": np.array([1.0], dtype="<f4")})
    _npz(tmp_path / "missing", **{k: v for k, v in arrays.items() if k != "preferred_ids"})
    for name in [*bad, "object", "version", "rows", "short", "missing"]:
        with pytest.raises(GazetteerCacheError, match=r"\[E010\]"):
            read_index(tmp_path / name, "test-fingerprint")
    with pytest.raises(GazetteerCacheError, match="stale"):
        read_index(good, "another-fingerprint")
    good.chmod(0o666)
    with pytest.raises(GazetteerCacheError, match="writable by other users"):
        read_index(good, "test-fingerprint")
    assert not marker.exists()


# --- the HTTP API -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def escapes_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("security") / "s.duckdb"
    assert main(["run", str(ESCAPES), "--db", str(db), "--no-progress"]) == EXIT_OK
    return db


def _app(db: Path, settings: Settings, **kw: Any) -> FastAPI:
    from sitrep.views.api import create_app

    return create_app(db, settings, **kw)


def test_out_of_range_offsets_are_422_on_every_endpoint(
    escapes_store: Path, settings: Settings
) -> None:
    app = _app(escapes_store, settings)
    client = TestClient(app, raise_server_exceptions=False)
    paths = [
        path
        for path, ops in app.openapi()["paths"].items()
        if any(p["name"] == "offset" for p in ops.get("get", {}).get("parameters", []))
    ]
    assert len(paths) >= 6
    for path in paths:
        for offset in ("9223372036854775808", "9223372036854775807", "1" + "0" * 40):
            answer = client.get(path, params={"offset": offset})
            assert answer.status_code == 422, (path, offset, answer.text)
            assert answer.json()["error"]["status"] == 422
        assert client.get(path, params={"limit": "9223372036854775808"}).status_code in (400, 422)


def test_hostile_json_bodies_are_client_errors(escapes_store: Path, settings: Settings) -> None:
    client = TestClient(
        _app(escapes_store, settings, token="a-long-enough-test-token-0123456789"),
        raise_server_exceptions=False,
    )
    auth = {"Authorization": "Bearer a-long-enough-test-token-0123456789"}
    bodies = {
        "nested list": "[" * 100_000 + "]" * 100_000,
        "nested object": '{"a":' * 50_000 + "1" + "}" * 50_000,
        "huge integer": '{"text": "x", "id": ' + "9" * 100_000 + "}",
    }
    for what, body in bodies.items():
        answer = client.post("/api/articles", content=body, headers=auth)
        assert answer.status_code in (400, 413, 422), (what, answer.status_code)
        assert set(answer.json()["error"]) >= {"status", "message"}, what
    # A float too large for a double parses as infinity: a record refused, not a crash.
    huge_float = '{"text": "x", "id": 1' + "0" * 400 + ".5e99999}"
    answer = client.post("/api/articles", content=huge_float, headers=auth)
    assert answer.status_code == 201 and answer.json()["rejected"][0]["code"] == "R002"


def test_host_check_accepts_what_the_binding_implies(
    escapes_store: Path, settings: Settings
) -> None:
    from sitrep.views.hosts import allowed_hosts

    named = settings.with_overrides({"api": {"allowed_hosts": ["sitrep.example.org"]}})
    hosts = allowed_hosts("10.1.2.3", named.api.allowed_hosts)
    app = _app(escapes_store, named, allowed_hosts=hosts)
    client = TestClient(app)
    for good in ("10.1.2.3", "10.1.2.3:8000", "localhost:8000", "127.0.0.1", "[::1]:8000",
                 "[::1]", "sitrep.example.org", "SITREP.example.org.:443"):  # fmt: skip
        assert client.get("/api/stats", headers={"Host": good}).status_code == 200, good
    for evil in ("evil.example", "10.1.2.3.evil.example", "localhost.evil", "", "[::2]"):
        answer = client.get("/api/stats", headers={"Host": evil})
        assert answer.status_code == 400, evil
        assert answer.json()["error"]["status"] == 400
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
    # 127.0.0.2 is loopback too: a server bound there refuses rebinding names.
    assert allowed_hosts("127.0.0.2", ()) == frozenset({"127.0.0.2", "localhost", "127.0.0.1",
                                                        "::1"})  # fmt: skip
    assert allowed_hosts("0.0.0.0", ()) is None  # every name reaches a wildcard bind
    assert allowed_hosts("0.0.0.0", ("a.example",)) == frozenset(
        {"a.example", "localhost", "127.0.0.1", "::1"}
    )


def test_serve_warns_of_a_short_token_on_a_public_address(
    escapes_store: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: None)
    monkeypatch.setenv("SITREP_TOKEN", "abc")
    assert main(["serve", "--db", str(escapes_store), "--host", "0.0.0.0"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "warning" in err and "SITREP_TOKEN" in err and "32" in err
    assert main(["serve", "--db", str(escapes_store), "--host", "127.0.0.1"]) == EXIT_OK
    assert "warning" not in capsys.readouterr().err  # loopback: only this machine can reach it
    monkeypatch.setenv("SITREP_TOKEN", "x" * 40)
    assert main(["serve", "--db", str(escapes_store), "--host", "0.0.0.0"]) == EXIT_OK
    assert "SITREP_TOKEN" not in capsys.readouterr().err


def test_errors_500_carry_the_security_headers(escapes_store: Path, settings: Settings) -> None:
    app = _app(escapes_store, settings)

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/broken", broken)
    client = TestClient(app, raise_server_exceptions=False)
    answer = client.get("/api/broken")
    assert answer.status_code == 500
    assert answer.json() == {"error": {"status": 500, "message": "internal error"}}
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'self'" in answer.headers["Content-Security-Policy"]


# --- the store and the command line -------------------------------------------------------


def test_a_full_disk_during_resolution_is_a_clear_store_error(
    escapes_store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "full.duckdb"
    db.write_bytes(escapes_store.read_bytes())
    script = textwrap.dedent(
        f"""
        import dataclasses, pathlib, resource, signal
        from sitrep.errors import StoreError
        from sitrep.resolve import resolve_ordered
        from sitrep.settings import load_settings
        from sitrep.store.db import connect
        from sitrep.store.resolution import (
            resolution_articles, resolution_mentions, write_resolution)
        con = connect(pathlib.Path({str(db)!r}))
        settings = load_settings()
        mentions = resolution_mentions(con)
        result = resolve_ordered(resolution_articles(con), mentions, settings.resolve)
        # Many copies of the events: far more than the space left on this "disk".
        events = [dataclasses.replace(e, id=f"{{e.id}}-{{i}}")
                  for i in range(20000) for e in result.events]
        result = dataclasses.replace(result, events=events)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        size = max(p.stat().st_size for p in pathlib.Path({str(tmp_path)!r}).iterdir())
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 65536, resource.RLIM_INFINITY))
        try:
            write_resolution(con, result, "test")
            con.execute("CHECKPOINT")
        except StoreError as exc:
            print("STORE-ERROR", exc)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=300,
    )
    assert "no transaction is active" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "STORE-ERROR [E004]" in done.stdout, done.stdout + done.stderr[-2000:]


def test_export_to_an_unwritable_folder_is_a_coded_error(
    escapes_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    blocked = tmp_path / "blocked"
    (blocked / "articles.csv").mkdir(parents=True)  # DuckDB cannot write the table file
    for out in (afile / "export", blocked):
        code = main(["export", "--db", str(escapes_store), "--format", "csv", "--out", str(out)])
        err = capsys.readouterr().err
        assert code == EXIT_FATAL, out
        assert "Traceback" not in err and "[E011]" in err, err
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitrep",
            "export",
            "--db",
            str(escapes_store),
            "--out",
            str(afile / "export"),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=120,
    )
    assert done.returncode == EXIT_FATAL and "Traceback" not in done.stderr
    code = main(["brief", "--db", str(escapes_store), "--out", str(afile / "brief.md")])
    assert code == EXIT_FATAL and "[E011]" in capsys.readouterr().err


def test_terminal_escapes_never_reach_the_terminal(
    escapes_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for args in (
        ["brief"],
        ["brief", "--format", "html"],
        ["articles", "--format", "csv"],
        ["events", "--format", "csv"],
        ["quotes", "--format", "csv"],
        ["stories", "--format", "csv"],
        ["articles"],
        ["alerts"],
    ):
        assert main([*args, "--db", str(escapes_store)]) == EXIT_OK
        out = capsys.readouterr().out
        outputs.append(out)
        assert _ESC not in out and "\x07" not in out, args
    assert "Troops" in outputs[0] and "the border" in outputs[2]
    from sitrep.views.api import create_app

    settings = Settings()
    client = TestClient(create_app(escapes_store, settings))
    for path in ("/api/articles", "/api/events", "/api/quotes", "/api/stories"):
        text = client.get(path, params={"format": "csv"}).text
        assert _ESC not in text and "\x07" not in text, path


# --- ingest -------------------------------------------------------------------------------


def _gzip_lines(path: Path, records: list[dict[str, Any]], padding: int) -> None:
    with gzip.open(path, "wb") as handle:
        for record in records:
            handle.write(json.dumps(record).encode() + b"\n")
        handle.write(b" " * padding + b"\n")  # compresses to almost nothing


def test_decompressed_size_of_gzip_input_is_capped(tmp_path: Path, settings: Settings) -> None:
    from sitrep.ingest import read_inputs
    from sitrep.ingest.files import read_file

    text = "Officials said troops moved towards the border on Saturday morning."
    bomb = tmp_path / "bomb.jsonl.gz"
    _gzip_lines(bomb, [{"id": "b1", "text": text}, {"id": "b2", "text": text}], 50_000_000)
    assert bomb.stat().st_size < 200_000
    after = tmp_path / "later.jsonl"
    after.write_text(json.dumps({"id": "after", "text": text}) + "\n")
    capped = settings.with_overrides(
        {"ingest": {"max_decompressed_bytes": 20_000_000, "max_bytes": 100_000_000}}
    )
    items = list(read_file(bomb, capped.ingest))
    assert [i.id for i in items if isinstance(i, Article)] == ["b1", "b2"]
    rejects = [i for i in items if isinstance(i, Reject)]
    assert len(rejects) == 1 and rejects[0].code == "R012"
    assert "ingest.max_decompressed_bytes" in rejects[0].reason
    both = list(read_inputs([str(bomb), str(after)], capped.ingest))
    assert "after" in [i.id for i in both if isinstance(i, Article)]
    assert Settings().ingest.max_decompressed_bytes >= Settings().ingest.max_bytes
    assert read_jsonl  # the plain reader keeps its own cap: ingest.max_bytes per line


@pytest.mark.parametrize(
    "address",
    [
        "2002:c0a8:0101::1",  # 6to4 of 192.168.1.1
        "2002:7f00:0001::1",  # 6to4 of 127.0.0.1
        "2002:0a00:0001:1::5",  # 6to4 of 10.0.0.1
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "2001:0000:0a00:0001:8000:63bf:f5ff:fffe",  # Teredo, server 10.0.0.1
        "::ffff:192.168.0.1",  # IPv4-mapped
        "::192.168.0.1",  # IPv4-compatible
        "::127.0.0.1",
        "64:ff9b::c0a8:0101",  # NAT64 of 192.168.1.1
    ],
)
def test_ipv6_forms_of_private_ipv4_are_refused(address: str) -> None:
    with pytest.raises(FetchError, match="refused"):
        check_address(address, allow_private=False)
    with pytest.raises(FetchError, match="refused"):
        check_address("evil.example", allow_private=False, resolver=lambda _: [address])
    assert check_address(address, allow_private=True) == [str(ipaddress.ip_address(address))]


def test_ipv6_forms_of_public_ipv4_pass() -> None:
    assert check_address("2002:0808:0808::1", allow_private=False) == ["2002:808:808::1"]
    assert check_address("2001:4860:4860::8888", allow_private=False)
