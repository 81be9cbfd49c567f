"""One query layer (store/query.py) behind three surfaces: every filter of a resource
exists in the CLI, the Python API and the HTTP API, the same filters give the same rows
through all three, and /openapi.json documents every listing's items (checked against real
answers, so the response models cannot drift from what the routes send)."""

from __future__ import annotations

import argparse
import inspect
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import sitrep
from api_store import BACKGROUND, build_escalation_store, build_store
from sitrep.analyze.alerts import ALERT_FILTERS, ALERT_KINDS
from sitrep.cli import EXIT_OK, build_parser, main
from sitrep.settings import Settings
from sitrep.store.filters import RESOURCE_FILTERS
from sitrep.views.api import create_app
from sitrep.views.reader import StoreReader
from sitrep.views.routes.models import PAGES

# How a row is known in each resource (the CLI's JSON prints events and quotes as their
# contract records, where an event's id is `canonical_id`).
KEYS = {
    "events": ("id",),
    "quotes": ("id",),
    "articles": ("id",),
    "stories": ("story_id",),
    "actors": ("actor_id", "name"),
    "places": ("name", "lat", "lon"),
}
# Filters per resource that select something in the store (and some that select nothing).
CASES: dict[str, list[dict[str, Any]]] = {
    "events": [
        {},
        {"type": "ASSAULT,MOBILIZE", "since": "2024-01"},
        {"country": "ukr", "order": "newest"},
        {"actor": "russia", "factuality": "asserted,reported", "limit": 3, "offset": 1},
        {"timing": "all", "order": "newest"},
        {"timing": "background"},
        {"mentions": True, "country": "RUS"},
        {"mentions": True, "timing": "all", "until": "2024-03"},
    ],
    "quotes": [
        {},
        {"kind": "direct"},
        {"actor": "lukashenko", "since": "2024"},
        {"state_media": True},
        {"hedged": False, "limit": 2, "offset": 1},
    ],
    "articles": [
        {},
        {"type": "SANCTION"},
        {"actor": "Lukashenko"},
        {"country": "BLR", "until": "2024-03"},
        {"limit": 3, "offset": 2},
    ],
    "stories": [{}, {"since": "2024-03"}, {"actor": "russia"}, {"limit": 2, "offset": 1}],
    "actors": [{}, {"country": "UKR"}, {"type": "ASSAULT"}, {"actor": "forces", "limit": 3}],
    "places": [{}, {"type": "MOBILIZE"}, {"timing": "all"}, {"factuality": "reported"}],
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("surfaces"), BACKGROUND)


@pytest.fixture(scope="module")
def client(db: Path, settings: Settings) -> TestClient:
    return TestClient(create_app(db, settings))


def _sub(command: str) -> argparse.ArgumentParser:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    found: argparse.ArgumentParser = commands.choices[command]  # type: ignore[index]
    return found


def _cli_options(command: str) -> set[str]:
    return {a.dest for a in _sub(command)._actions}


def _openapi_parameters(client: TestClient, resource: str) -> dict[str, dict[str, Any]]:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"][f"/api/{resource}"]["get"]
    return {p["name"]: p for p in operation["parameters"]}


@pytest.mark.parametrize("resource", sorted(RESOURCE_FILTERS))
def test_every_filter_exists_in_all_three_surfaces(client: TestClient, resource: str) -> None:
    filters = set(RESOURCE_FILTERS[resource])
    assert filters <= _cli_options(resource), resource
    method = getattr(StoreReader, resource)
    python = set(inspect.signature(method).parameters) - {"self"}
    assert python == filters, resource
    http = set(_openapi_parameters(client, resource)) - {"format"}
    assert http == filters, resource


def test_alert_filters_exist_in_all_three_surfaces(client: TestClient) -> None:
    assert set(ALERT_FILTERS) <= _cli_options("alerts")
    kinds = next(a for a in _sub("alerts")._actions if a.dest == "kind")
    assert tuple(kinds.choices or ()) == ALERT_KINDS
    python = set(inspect.signature(StoreReader.alerts).parameters) - {"self"}
    assert python == set(ALERT_FILTERS)
    assert set(_openapi_parameters(client, "alerts")) - {"format"} == set(ALERT_FILTERS)


def test_alert_filters_give_the_same_alerts_everywhere(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    db = build_escalation_store(tmp_path)
    client = TestClient(create_app(db, settings))
    reader = sitrep.open(db, settings)
    for case in ({}, {"kind": "escalation"}, {"since": "2024-09-11"}, {"limit": 1, "offset": 1}):
        python = [a["id"] for a in reader.alerts(**case)]  # type: ignore[arg-type]
        http = [a["id"] for a in client.get("/api/alerts", params=case).json()["items"]]
        argv = ["alerts", "--db", str(db), "--format", "jsonl"]
        argv += [a for k, v in case.items() for a in (f"--{k}", str(v))]
        assert main(argv) == EXIT_OK
        lines = capsys.readouterr().out.splitlines()
        cli = [json.loads(line)["id"] for line in lines if line.strip()]
        assert python == http == cli, case
    assert reader.alerts(kind="escalation")


def test_openapi_constrains_the_filters(client: TestClient) -> None:
    """Enums and patterns are in the document, so a client sees what is allowed."""
    events = _openapi_parameters(client, "events")

    def schema(p: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = p["schema"]
        return next((s for s in found.get("anyOf", []) if s.get("type") != "null"), found)

    assert "ASSAULT" in schema(events["type"])["pattern"]
    assert "reported" in schema(events["factuality"])["pattern"]
    assert schema(events["since"])["pattern"].startswith("^\\d{4}")
    assert schema(events["country"])["pattern"]
    assert set(schema(events["timing"])["enum"]) == {"current", "background", "all"}
    assert set(schema(events["order"])["enum"]) == {"oldest", "newest"}
    kind = schema(_openapi_parameters(client, "quotes")["kind"])
    assert set(kind["enum"]) == {"direct", "indirect", "mixed"}
    assert schema(events["limit"])["minimum"] == 1


def _http(client: TestClient, resource: str, case: dict[str, Any]) -> list[dict[str, Any]]:
    params = {
        "limit": 1000,
        **{k: str(v).lower() if isinstance(v, bool) else v for k, v in case.items()},
    }
    answer = client.get(f"/api/{resource}", params=params)
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def _cli(
    db: Path, resource: str, case: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> list[dict[str, Any]]:
    argv = [resource, "--db", str(db), "--format", "jsonl"]
    for name, value in case.items():
        flag = "--" + name.replace("_", "-")
        if value is True and name == "mentions":
            argv.append(flag)
        else:
            argv += [flag, ("yes" if value else "no") if isinstance(value, bool) else str(value)]
    assert main(argv) == EXIT_OK
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    for row in rows:  # the contract record of a real event carries its canonical id
        if "canonical_id" in row and resource == "events":
            row["id"] = row["canonical_id"]
    return rows


def _key(resource: str, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row.get(k) for k in KEYS[resource])


@pytest.mark.parametrize("resource", sorted(CASES))
def test_same_filters_give_the_same_rows_everywhere(
    db: Path, client: TestClient, resource: str, capsys: pytest.CaptureFixture[str]
) -> None:
    reader = sitrep.open(db)
    selected = 0
    for case in CASES[resource]:
        python = [_key(resource, r) for r in getattr(reader, resource)(**case)]
        http = [_key(resource, r) for r in _http(client, resource, case)]
        cli = [_key(resource, r) for r in _cli(db, resource, case, capsys)]
        assert python == http == cli, (resource, case)
        selected += bool(python)
    assert selected >= len(CASES[resource]) - 1, resource  # the cases select something


def test_openapi_has_a_schema_for_every_listings_items(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for path, page in PAGES.items():
        answer = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        ref = answer["schema"]["$ref"].rsplit("/", 1)[1]
        assert ref == page.__name__, path
        items = schemas[ref]["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[1]
        assert len(schemas[items]["properties"]) >= 4, (path, items)
        assert "text/csv" in spec["paths"][path]["get"]["responses"]["200"]["content"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/events",
        "/api/events?mentions=true",
        "/api/events?timing=all",
        "/api/quotes",
        "/api/quotes?state_media=true",
        "/api/articles",
        "/api/stories",
        "/api/actors",
        "/api/places?timing=all",
        "/api/timeseries?by=pair",
        "/api/alerts",
    ],
)
def test_answers_match_their_documented_models(client: TestClient, url: str) -> None:
    """The models forbid unknown fields: an answer with a field the document lacks, or
    without one it requires, fails here."""
    body = client.get(url, params={"limit": 1000} if "timeseries" not in url else {}).json()
    page = PAGES[url.split("?")[0]].model_validate(body)
    assert page.total >= len(page.items)
    if "alerts" not in url:
        assert page.items, url


def test_bad_filters_answer_400_with_what_is_allowed(client: TestClient) -> None:
    for resource, params, words in (
        ("articles", {"type": "BOMB"}, "PLOVER"),
        ("actors", {"country": "Ukraine"}, "alpha-3"),
        ("places", {"factuality": "maybe"}, "factuality"),
        ("stories", {"since": "yesterday"}, "YYYY"),
        ("quotes", {"until": "2024/01"}, "YYYY"),
    ):
        answer = client.get(f"/api/{resource}", params=params)
        assert answer.status_code == 400, (resource, answer.text)
        assert words in answer.json()["error"]["message"]
    assert client.get("/api/quotes", params={"kind": "shouted"}).status_code == 422
    # An empty list filter is no filter, as before the patterns.
    everything = client.get("/api/events").json()["total"]
    assert client.get("/api/events", params={"type": "", "factuality": ""}).json()["total"] == (
        everything
    )
    assert client.get("/api/events", params={"type": " assault , Coerce "}).status_code == 200
    answer = client.get("/api/escalation", params={"source": "Russia", "target": "UKR"})
    assert answer.status_code == 400 and "alpha-3" in answer.json()["error"]["message"]


@pytest.mark.parametrize("resource", sorted(CASES))
def test_totals_are_the_same_whatever_the_page(db: Path, resource: str) -> None:
    """A short page tells the total without a count; a full or empty page past the start
    counts: every page of one filter gives one total, the number of rows it has."""
    reader = sitrep.open(db)
    for case in CASES[resource]:
        case = {k: v for k, v in case.items() if k not in ("limit", "offset")}
        every = getattr(reader, resource)(**case)
        assert every.total == len(every), (resource, case)
        for limit, offset in ((0, 0), (1, 0), (2, 1), (len(every), 0), (3, len(every)), (1, 10**6)):
            page = getattr(reader, resource)(limit=limit, offset=offset, **case)
            assert page.total == len(every), (resource, case, limit, offset)
            assert list(page) == list(every)[offset : offset + limit]
