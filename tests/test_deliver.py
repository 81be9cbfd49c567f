"""Alerts delivered: the webhook (retries, backoff, once per version, across restarts,
address checks), --follow's JSON lines and the Atom feed, on invented alerts in a real
store and a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import feedparser
import pytest

from api_store import ESCALATION, HOSTILE, ROOT, SAMPLES
from sitrep.analyze.alert_record import Alert
from sitrep.deliver.follow import emit_due
from sitrep.deliver.webhook import deliver_webhook
from sitrep.settings import DeliverSettings
from sitrep.store.db import connect
from sitrep.store.deliveries import deliveries
from sitrep.views.atom import atom_feed
from webhook_receiver import receiver

# Two more outlets report strikes on the day after the fixture's spike: the episode grows.
NEXT_DAY = ROOT / "tests" / "fixtures" / "escalation_next_day.jsonl"
HOSTILE_TEXT = "<script>alert('x')</script> & ]]> \x00\x1b[31m \ud800 <img src=x onerror=y>"


def _alert(n: int, events: int = 2, **change: Any) -> Alert:
    alert = Alert(
        id=f"al{n:014d}",
        kind="escalation",
        rule="escalation-nb",
        title=f"Escalation {n}",
        day="2024-09-10",
        last_day="2024-09-10",
        source_country="AZE",
        target_country="ARM",
        events=events,
        score=7.0,
        zscore=None,
        baseline=None,
        event_ids=tuple(f"ev{n}-{k}" for k in range(events)),
        article_ids=tuple(f"esc-{n}-{k}" for k in range(events)),
        why="2 reports by Caspian Wire, Yerevan Courier",
        evidence=(
            {"day": "2024-09-10", "type": "ASSAULT", "sentence": "Shelling.", "outlet": "X"},
        ),
        first_fired="2024-09-10T12:00:00",
        outlets=("Caspian Wire", "Yerevan Courier"),
    )
    return replace(alert, **change)


def _cfg(url: str, **change: Any) -> DeliverSettings:
    base = DeliverSettings(
        webhook_url=url,
        webhook_secret="s3cret",
        allow_private=True,  # the receiver is on 127.0.0.1, allowed explicitly
        timeout=5.0,
        tries=4,
        backoff_seconds=0.05,
        backoff_factor=2.0,
    )
    return replace(base, **change)


def test_retries_with_backoff_deliver_once_and_a_restart_sends_nothing(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    alerts = [_alert(1), _alert(2)]
    with receiver(fail_first=2) as hook:
        con = connect(db)
        report = deliver_webhook(con, _cfg(hook.url), alerts)
        con.close()
        assert report.delivered == [f"{alerts[0].id}/2", f"{alerts[1].id}/2"]
        assert hook.keys() == report.delivered  # each once, after two failed tries
        assert [r.status for r in hook.requests] == [503, 503, 200, 200]
        first = [r for r in hook.requests if r.document["delivery"] == f"{alerts[0].id}/2"]
        assert len(first) == 3
        gaps = [b.at - a.at for a, b in zip(first, first[1:], strict=False)]
        assert gaps[0] >= 0.05 and gaps[1] >= 0.1  # 0.05 s, then twice as long
        body = hook.accepted[0]
        expected = hmac.new(b"s3cret", body.body, hashlib.sha256).hexdigest()
        assert body.headers["X-Sitrep-Signature"] == f"sha256={expected}"
        assert body.headers["X-Sitrep-Delivery"] == f"{alerts[0].id}/2"
        doc = body.document
        assert doc["update"] is False and doc["alert"]["outlets"] == list(alerts[0].outlets)
        assert doc["alert"]["evidence"][0]["sentence"] == "Shelling."
        con = connect(db)  # a restart: a new connection, the same store
        again = deliver_webhook(con, _cfg(hook.url), alerts)
        rows = deliveries(con, "webhook")
        con.close()
        assert again.delivered == [] and len(hook.requests) == 4
        assert [(r[0], r[3], r[4]) for r in rows] == [
            (alerts[0].id, "delivered", 3),
            (alerts[1].id, "delivered", 1),
        ]


def test_a_grown_alert_is_delivered_again_once(tmp_path: Path) -> None:
    con = connect(tmp_path / "d.duckdb")
    with receiver() as hook:
        deliver_webhook(con, _cfg(hook.url), [_alert(1, events=2)])
        grown = [_alert(1, events=4)]
        assert deliver_webhook(con, _cfg(hook.url), grown).delivered == [f"{grown[0].id}/4"]
        assert deliver_webhook(con, _cfg(hook.url), grown).delivered == []
        # An evaluation that shrinks (events merged) is no news: nothing goes out.
        assert deliver_webhook(con, _cfg(hook.url), [_alert(1, events=3)]).delivered == []
    assert [r.document["update"] for r in hook.requests] == [False, True]
    assert [r.document["version"] for r in hook.requests] == [2, 4]
    con.close()


def test_a_loopback_webhook_is_refused_unless_allowed(tmp_path: Path) -> None:
    con = connect(tmp_path / "d.duckdb")
    with receiver() as hook:
        report = deliver_webhook(con, _cfg(hook.url, allow_private=False), [_alert(1), _alert(2)])
        assert hook.requests == []
        assert report.failed == [f"{_alert(1).id}/2"] and report.waiting == 1
        (row,) = deliveries(con, "webhook")
        assert row[3] == "failed" and "loopback" in row[5]
        # Allowed explicitly, the stored failure is tried again, after the fresh alert.
        report = deliver_webhook(con, _cfg(hook.url), [_alert(1), _alert(2)])
        assert report.delivered == [f"{_alert(2).id}/2", f"{_alert(1).id}/2"]
    con.close()


def test_a_dead_receiver_is_given_up_on_and_retried_by_the_next_pass(tmp_path: Path) -> None:
    con = connect(tmp_path / "d.duckdb")
    with receiver(fail_first=1000, fail_status=500) as hook:
        cfg = _cfg(hook.url, tries=3)
        report = deliver_webhook(con, cfg, [_alert(1), _alert(2), _alert(3)])
        # Three tries of the first alert, then the pass stops: the others wait.
        assert len(hook.requests) == 3 and report.waiting == 2
        assert report.failed == [f"{_alert(1).id}/2"]
        hook.fail_first = 0
        report = deliver_webhook(con, cfg, [_alert(1), _alert(2), _alert(3)])
        assert sorted(hook.keys()) == sorted(f"{_alert(n).id}/2" for n in (1, 2, 3))
    rows = {r[0]: r for r in deliveries(con, "webhook")}
    assert rows[_alert(1).id][3:5] == ("delivered", 4)  # attempts add up over passes
    con.close()


def test_redirects_are_not_followed_and_client_errors_not_retried(tmp_path: Path) -> None:
    con = connect(tmp_path / "d.duckdb")
    with receiver(fail_first=1, fail_status=302) as hook:
        hook.fail_headers = {"Location": "http://169.254.169.254/latest/meta-data/"}
        report = deliver_webhook(con, _cfg(hook.url), [_alert(1)])
        assert len(hook.requests) == 1 and report.failed and report.delivered == []
        assert "redirects are not followed" in deliveries(con, "webhook")[0][5]
    with receiver(fail_first=1, fail_status=400) as hook:
        report = deliver_webhook(con, _cfg(hook.url), [_alert(2), _alert(3)])
        # A 400 is about that alert: no retry, and the next alert still goes out.
        assert [r.status for r in hook.requests] == [400, 200]
        assert report.delivered == [f"{_alert(3).id}/2"]
    con.close()


def test_follow_lines_are_ascii_json_once_per_version(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    lines: list[str] = []
    hostile = _alert(1, title=HOSTILE_TEXT, why=HOSTILE_TEXT)
    con = connect(db)
    assert emit_due(con, [hostile, _alert(2)], lines.append) == 2
    con.close()
    con = connect(db)
    assert emit_due(con, [hostile, _alert(2)], lines.append) == 0
    assert emit_due(con, [hostile, _alert(2, events=3)], lines.append) == 1
    con.close()
    assert all(line.isascii() and "\n" not in line for line in lines)
    docs = [json.loads(line) for line in lines]
    assert docs[0]["alert"]["title"] == HOSTILE_TEXT
    assert [d["delivery"] for d in docs] == [
        f"{hostile.id}/2",
        f"{_alert(2).id}/2",
        f"{_alert(2).id}/3",
    ]


def test_atom_feed_is_valid_xml_with_hostile_text_escaped() -> None:
    evidence = (
        {"day": "2024-09-10", "sentence": HOSTILE_TEXT, "outlet": HOSTILE_TEXT, "type": "ASSAULT"},
    )
    alerts = [
        _alert(1, title=HOSTILE_TEXT, why=HOSTILE_TEXT, evidence=evidence, rule=HOSTILE_TEXT),
        _alert(2, events=5, updated="2024-09-11T08:00:00"),
    ]
    body = atom_feed(alerts, "http://127.0.0.1:8000/")
    assert b"<script" not in body and b"<img" not in body and b"\x00" not in body
    root = ET.fromstring(body)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 2
    # Newest change first: the grown alert, updated after the other first fired.
    assert entries[0].findtext("a:id", namespaces=ns) == f"urn:sitrep:alert:{_alert(2).id}"
    title = entries[1].findtext("a:title", namespaces=ns) or ""
    assert title.startswith("<script>alert('x')</script> & ]]>")
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "sitrep alerts" and len(parsed.entries) == 2
    assert parsed.entries[0].updated == "2024-09-11T08:00:00Z"
    assert parsed.entries[1].published == "2024-09-10T12:00:00Z"
    assert "onerror=y" in parsed.entries[1].summary_detail.value
    assert parsed.entries[1].summary_detail.type == "text/plain"
    empty = feedparser.parse(atom_feed([], "http://127.0.0.1:8000/"))
    assert not empty.bozo and empty.entries == []


def _json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_run_follow_deliver_and_feed_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sitrep run` POSTs each alert once (after the receiver's failures), the escalation
    episode that grows on the next day's run goes out once more, `--deliver` and a second
    `--follow` send nothing twice, and /alerts.atom shows the hostile article escaped."""
    from fastapi.testclient import TestClient

    from sitrep.cli import EXIT_OK, main
    from sitrep.settings import load_settings
    from sitrep.views.api import create_app

    lines = ESCALATION.read_text("utf-8").splitlines()
    next_day = [line for line in lines if '"2024-09-11"' in line]
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(line for line in lines if line not in next_day) + "\n")
    second.write_text("\n".join(next_day) + "\n" + NEXT_DAY.read_text("utf-8"))
    db = str(tmp_path / "e2e.duckdb")
    with receiver(fail_first=2) as hook:
        hooked = ["--set", f"deliver.webhook_url={hook.url}", "--set", "deliver.allow_private=true"]
        hooked += ["--set", "deliver.backoff_seconds=0.01"]
        run = [*hooked, "run", "--db", db, "--no-progress"]
        assert main([*run, str(SAMPLES), str(HOSTILE), str(first)]) == EXIT_OK
        assert [r.status for r in hook.requests[:3]] == [503, 503, 200]
        keys = hook.keys()
        assert len(keys) == len(set(keys)) >= 3  # every alert once
        rules = {r.document["alert"]["rule"] for r in hook.accepted}
        assert {"escalation-nb", "leader-threaten-neighbour"} <= rules
        shutil.copy(db, tmp_path / "copy.duckdb")  # for the kill -9 test below
        escalation = next(
            r.document for r in hook.accepted if r.document["alert"]["rule"] == "escalation-nb"
        )
        capsys.readouterr()

        follow = ["alerts", "--db", db, "--follow", "--every", "0.01", "--polls", "2"]
        assert main(follow) == EXIT_OK
        printed = _json_lines(capsys.readouterr().out)
        assert sorted(d["delivery"] for d in printed) == sorted(keys)
        assert main(follow) == EXIT_OK  # a restart prints nothing twice
        assert capsys.readouterr().out == ""

        assert main([*run, str(second)]) == EXIT_OK  # the next day: the episode grows
        grown = hook.accepted[len(keys) :]
        assert [d.document["alert"]["id"] for d in grown] == [escalation["alert"]["id"]]
        assert grown[0].document["update"] is True
        assert grown[0].document["version"] > escalation["version"]
        assert main(follow) == EXIT_OK
        assert [d["delivery"] for d in _json_lines(capsys.readouterr().out)] == [
            grown[0].document["delivery"]
        ]
        before = len(hook.requests)
        assert main([*hooked, "alerts", "--db", db, "--deliver"]) == EXIT_OK
        assert len(hook.requests) == before  # nothing is delivered twice

    app = create_app(Path(db), load_settings())
    response = TestClient(app).get("/alerts.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert b"<script" not in response.content and b"<img" not in response.content
    ET.fromstring(response.content)
    feed = feedparser.parse(response.content)
    assert not feed.bozo and len(feed.entries) == len(keys)
    hostile = [e for e in feed.entries if "Evil Times" in e.summary]
    assert hostile and all("<img src=x onerror=" in e.summary for e in hostile)
    assert TestClient(app).get("/alerts.atom", params={"limit": 1}).text.count("<entry>") == 1
    _follow_killed_then_interrupted(tmp_path / "copy.duckdb", set(keys))


def _follow(db: Path) -> subprocess.Popen[str]:
    """`sitrep alerts --follow` in its own process, once it has started following."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "sitrep", "alerts", "--db", str(db), "--follow"]
    process = subprocess.Popen(
        [*command, "--every", "0.05"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stderr is not None and "following" in process.stderr.readline()
    return process


def _follow_killed_then_interrupted(db: Path, keys: set[str]) -> None:
    """kill -9 after the first line, then a follower stopped by SIGINT: nothing is lost, and
    at most the line in flight when the process died is printed twice."""
    killed = _follow(db)
    assert killed.stdout is not None
    first = killed.stdout.readline()
    killed.kill()
    killed.wait(timeout=30)
    printed = [json.loads(line)["delivery"] for line in [first, *killed.stdout] if line.strip()]
    follower = _follow(db)
    follower.send_signal(signal.SIGINT)  # during or before its first look: it still looks once
    out, err = follower.communicate(timeout=60)
    assert follower.returncode == 0, err
    assert "alert(s) printed" in err
    printed += [d["delivery"] for d in _json_lines(out)]
    assert set(printed) == keys and len(printed) - len(keys) <= 1
