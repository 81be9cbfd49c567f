"""The HTTP API with FastAPI's TestClient over a store built from the samples."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_store import HOSTILE_ID, build_escalation_store, build_store
from sitrep.settings import Settings
from sitrep.views import api_rows
from sitrep.views.api import create_app


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def client(db: Path, settings: Settings) -> TestClient:
    return TestClient(create_app(db, settings))


def _items(client: TestClient, url: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_events_are_canonical_by_default_and_mentions_on_request(client: TestClient) -> None:
    canonical = client.get("/api/events", params={"limit": 1000}).json()
    mentions = client.get("/api/events", params={"limit": 1000, "mentions": "true"}).json()
    assert 0 < canonical["total"] < mentions["total"]
    first = canonical["items"][0]
    for key in ("reports", "independent_sources", "outlets", "sentence_start", "trigger_start"):
        assert key in first
    assert "reports" not in mentions["items"][0]


def test_event_filters(client: TestClient) -> None:
    mobilize = _items(client, "/api/events", type="MOBILIZE")
    assert mobilize and {e["type"] for e in mobilize} == {"MOBILIZE"}
    blr = _items(client, "/api/events", country="BLR")
    assert blr and all("BLR" in (e["source_country"], e["target_country"], e["place_country"])
                       for e in blr)  # fmt: skip
    dated = _items(client, "/api/events", since="2024-01-01", until="2024-02")
    assert dated and all("2024-01-01" <= e["day"] <= "2024-02-31" for e in dated)
    negated = _items(client, "/api/events", factuality="negated", mentions="true")
    assert all(e["factuality"] == "negated" for e in negated)
    story = _items(client, "/api/stories")[0]["story_id"]
    assert all(e["story_id"] == story for e in _items(client, "/api/events", story=story))
    lukashenko = _items(client, "/api/events", actor="lukashenko")
    assert lukashenko and all("Lukashenko" in f"{e['source']}{e['target']}" for e in lukashenko)


def test_pagination(client: TestClient) -> None:
    everything = _items(client, "/api/events", limit=1000)
    page = client.get("/api/events", params={"limit": 3, "offset": 2}).json()
    assert page["limit"] == 3 and page["offset"] == 2 and page["total"] == len(everything)
    assert [e["id"] for e in page["items"]] == [e["id"] for e in everything[2:5]]


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"limit": 100000}, 400, "at most"),
        ({"limit": 0}, 422, "limit"),
        ({"type": "BOMB"}, 400, "PLOVER"),
        ({"since": "last week"}, 400, "YYYY"),
        ({"country": "Ukraine"}, 400, "alpha-3"),
        ({"factuality": "maybe"}, 400, "factuality"),
        ({"format": "xml"}, 422, "format"),
    ],
)
def test_bad_requests_are_json_errors(
    client: TestClient, params: dict[str, Any], status: int, words: str
) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == status
    assert words in response.json()["error"]["message"]


def test_unknown_paths_and_articles_are_json_404(client: TestClient) -> None:
    assert client.get("/api/nothing").json()["error"]["status"] == 404
    response = client.get("/api/articles/no-such-article")
    assert response.status_code == 404 and "no-such-article" in response.json()["error"]["message"]


def test_csv_output(client: TestClient) -> None:
    response = client.get("/api/events", params={"format": "csv", "limit": 5})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 5 and rows[0]["type"] and rows[0]["article_id"]
    quotes = client.get("/api/quotes", params={"format": "csv", "state_media": "true"}).text
    assert "[state media]" in quotes


def test_quotes_carry_via_chain_and_state_media(client: TestClient) -> None:
    relayed = _items(client, "/api/quotes", state_media="true", actor="Lukashenko")
    assert relayed and all(q["state_media"] for q in relayed)
    assert any(v["name"] == "BelTA" and v["state_media"] for q in relayed for v in q["via"])
    hedged = _items(client, "/api/quotes", hedged="true", limit=1000)
    plain = _items(client, "/api/quotes", hedged="false", limit=1000)
    assert all(q["hedged"] for q in hedged) and not any(q["hedged"] for q in plain)
    assert len(hedged) + len(plain) == len(_items(client, "/api/quotes", limit=1000))


def test_stories_actors_places_timeseries(client: TestClient) -> None:
    stories = _items(client, "/api/stories")
    sanctions = next(s for s in stories if "sanctions" in s["title"])
    assert sorted(sanctions["outlets"]) == ["AFP", "Kyiv Post"]
    assert sanctions["independent_sources"] == 1  # the Kyiv Post copy is not a second witness
    # `actor` is a case-insensitive substring of a key actor, as on every other listing.
    part = str(sanctions["key_actors"][0])[1:-1].upper()
    assert sanctions["story_id"] in {
        s["story_id"] for s in _items(client, "/api/stories", actor=part)
    }
    assert not _items(client, "/api/stories", actor="no such actor")
    actors = _items(client, "/api/actors", limit=50)
    assert any(a["actor_id"] == "BLR.GOV.lukashenko" for a in actors)
    places = _items(client, "/api/places")
    assert places and all(p["lat"] is not None and p["events"] >= 1 for p in places)
    assert "event_ids" not in places[0]  # every id made MBs at scale; the latest 20 remain
    for place in places:
        assert 1 <= len(place["latest_event_ids"]) == min(place["events"], 20)
        at = {"place": place["name"], "lat": place["lat"], "lon": place["lon"], "limit": 1000}
        body = client.get("/api/events", params=at).json()
        assert body["total"] == place["events"]
        assert set(place["latest_event_ids"]) <= {e["id"] for e in body["items"]}
        assert all(e["place"] == place["name"] for e in body["items"])
    by_type = _items(client, "/api/timeseries", by="type")
    assert by_type and {"day", "key", "events", "intensity"} <= set(by_type[0])
    ukraine = client.get("/api/timeseries", params={"country": "UKR"}).json()
    assert ukraine["total"] == len(ukraine["items"]) > 0 and ukraine["offset"] == 0
    assert sum(r["events"] for r in ukraine["items"]) < sum(r["events"] for r in by_type)
    assert client.get("/api/timeseries", params={"since": "2099"}).json()["items"] == []
    pairs = {r["key"] for r in _items(client, "/api/timeseries", by="pair")}
    assert "RUS>UKR" in pairs


def test_article_has_text_and_every_records_spans(client: TestClient) -> None:
    event = _items(client, "/api/events", type="ASSAULT")[0]
    article = client.get(f"/api/articles/{event['article_id']}").json()
    text = article["text"]
    assert text[event["sentence_start"] : event["sentence_end"]] == event["sentence"]
    kinds = {s["kind"] for s in article["spans"]}
    assert {"event_sentence", "event_trigger", "quote_content", "entity", "place"} <= kinds
    assert all(0 <= s["start"] < s["end"] <= len(text) for s in article["spans"])


def test_alerts_escalation_and_pairs(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings
) -> None:
    client = TestClient(
        create_app(build_escalation_store(tmp_path_factory.mktemp("esc")), settings)
    )
    alerts = _items(client, "/api/alerts")
    rules = {a["rule"] for a in alerts}
    assert "leader-threaten-neighbour" in rules and "escalation-nb" in rules
    assert all(a["why"] and a["evidence"] for a in alerts)
    for a in (a for a in alerts if a["kind"] == "escalation"):
        # Independent witnesses, explicit actors of two countries, the target's own events.
        assert a["source_country"] != a["target_country"] and len(a["outlets"]) >= 2
        assert len(a["article_ids"]) >= 2 and a["probability"] <= settings.analyze.alert_probability
        assert any(e["target_country"] == a["target_country"] for e in a["evidence"])
    pairs = client.get("/api/pairs").json()["items"]
    assert pairs[0]["score"] >= pairs[-1]["score"]
    series = client.get("/api/escalation", params={"source": "AZE", "target": "ARM"}).json()
    days = [p["day"] for p in series["series"]]
    assert days == sorted(days) and "2024-09-10" in days
    assert [a["day"] for a in series["alerts"]] == ["2024-09-10"]
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/api/alerts?format=csv").text)))
    assert {"probability", "outlets"} <= set(csv_rows[0])


def test_read_only_without_token(client: TestClient) -> None:
    response = client.post("/api/articles", json={"text": "Troops moved."})
    assert response.status_code == 403 and "SITREP_TOKEN" in response.json()["error"]["message"]


def test_new_counts_what_was_stored_after_the_last_seen_ingest(
    tmp_path: Path, settings: Settings
) -> None:
    """/api/new: the dashboard's "N new since your last visit", on the store's clock."""
    db = build_store(tmp_path)
    app = TestClient(create_app(db, settings, token="s3cret"))
    seen = app.get("/api/stats").json()["last_ingested"]
    assert app.get("/api/new", params={"since": seen}).json() == {
        "since": seen,
        "articles": 0,
        "events": 0,
    }
    everything = app.get("/api/new", params={"since": "1970-01-01T00:00:00+00:00"}).json()
    stats = app.get("/api/stats").json()["counts"]
    assert everything["articles"] == stats["articles"]
    assert everything["events"] == stats["canonical_events"]
    body = {
        "id": "posted-new-1",
        "outlet": "Invented Courier",
        "published": "2024-06-20",
        "text": "Russian forces shelled the city of Kharkiv on Thursday, regional officials said.",
    }
    posted = app.post("/api/articles", json=body, headers={"Authorization": "Bearer s3cret"})
    assert posted.status_code == 201, posted.text
    found = app.get("/api/new", params={"since": seen}).json()
    assert found["articles"] == 1 and found["events"] >= 1
    marked = app.get("/api/stats").json()["last_ingested"]
    assert app.get("/api/new", params={"since": marked}).json()["articles"] == 0
    for bad in ("yesterday", ""):
        assert app.get("/api/new", params={"since": bad}).status_code == 400
    assert app.get("/api/new").status_code == 422


def test_ingest_with_token(tmp_path: Path, settings: Settings) -> None:
    db = tmp_path / "ingest.duckdb"
    from sitrep.store.db import connect

    connect(db).close()
    app = TestClient(create_app(db, settings, token="s3cret"))
    body = {
        "id": "posted-1",
        "outlet": "Reuters",
        "published": "2024-05-02",
        "text": "Russian forces shelled the city of Kharkiv on Thursday, regional officials said.",
    }
    assert app.post("/api/articles", json=body).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert app.post("/api/articles", json=body, headers=wrong).status_code == 401
    auth = {"Authorization": "Bearer s3cret"}
    huge = "x" * (settings.api.max_body_bytes + 1)
    assert app.post("/api/articles", content=huge, headers=auth).status_code == 413
    assert app.post("/api/articles", content=b"{nope", headers=auth).status_code == 400
    response = app.post("/api/articles", json=[body, {"id": 3}], headers=auth)
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["stored"] == ["posted-1"] and report["events"] >= 1
    assert report["rejected"][0]["code"]
    assert app.get("/api/articles/posted-1").json()["outlet"] == "Reuters"


def test_hostile_article_is_returned_as_data(client: TestClient) -> None:
    article = client.get(f"/api/articles/{HOSTILE_ID}").json()
    assert "<script>" in article["text"] and "onerror=" in article["outlet"]
    csv_text = client.get("/api/articles", params={"format": "csv"}).text
    assert "<img src=x onerror" in csv_text  # CSV is data: kept verbatim, never rendered
    # …but a cell a spreadsheet would run as a formula is quoted; numbers stay numbers.
    assert api_rows.to_csv([{"a": "=HYPERLINK(1)", "b": -5.5}]) == "a,b\n'=HYPERLINK(1),-5.5\n"


def test_dashboard_is_served_offline_with_a_strict_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "sitrep" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "http" not in page.text.replace("http://www.w3.org", "")  # no CDN
    script = client.get("/static/app.js").text
    assert "innerHTML" not in script.replace("never innerHTML", "")
    topo = client.get("/static/vendor/world-atlas/countries-50m.json")
    assert topo.status_code == 200 and topo.json()["type"] == "Topology"
    assert client.get("/openapi.json").json()["paths"]["/api/events"]


def test_store_errors_are_503(tmp_path: Path, settings: Settings) -> None:
    app = TestClient(create_app(tmp_path / "missing.duckdb", settings))
    response = app.get("/api/events")
    assert response.status_code == 503 and "does not exist" in response.json()["error"]["message"]


def test_openapi_docs_are_served_offline(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "sitrep"


def test_alerts_are_cached_until_the_file_changes(
    db: Path, settings: Settings, tmp_path: Path
) -> None:
    import shutil

    from sitrep.analyze.escalation import daily, load_weights
    from sitrep.store import api_queries
    from sitrep.store.db import connect
    from sitrep.views.api_store import Store

    copy = tmp_path / "copy.duckdb"
    shutil.copy(db, copy)
    store = Store(copy, settings.with_overrides({"api": {"keep_open_seconds": 0}}))
    first = store.alerts()
    assert first and store.alerts() is first
    con = connect(copy)  # another writer: the alerts' first-fired times go
    con.execute("DELETE FROM alerts")
    con.close()
    again = store.alerts()
    assert again is not first and [a.id for a in again] == [a.id for a in first]
    assert all(a.first_fired is None for a in again)
    # The escalation series of one pair reads only that pair's events, with the same result.
    weights = load_weights(settings.analyze.weights)
    with store.read() as read:
        every = daily(api_queries.scored_events(read), weights)
        pair = daily(api_queries.scored_events(read, pair=("RUS", "UKR")), weights)
    assert pair and pair == {("RUS", "UKR"): every[("RUS", "UKR")]}


def test_answers_without_filters_are_cached_until_the_file_changes(
    db: Path, settings: Settings, tmp_path: Path
) -> None:
    import shutil

    from sitrep.store import api_queries as q
    from sitrep.store import query
    from sitrep.store.db import connect
    from sitrep.store.filters import Filters
    from sitrep.views.api_store import Store

    copy = tmp_path / "copy.duckdb"
    shutil.copy(db, copy)
    quick = settings.with_overrides({"api": {"keep_open_seconds": 0}})
    store = Store(copy, quick)
    client = TestClient(create_app(copy, quick))
    calls: list[int] = []

    def articles(con: Any) -> int:
        calls.append(1)
        row = con.execute("SELECT count(*) FROM articles").fetchone()
        return int(row[0])

    first = store.answer("articles", articles)
    assert store.answer("articles", articles) == first and len(calls) == 1
    pairs = client.get("/api/pairs").json()["items"]
    before = client.get("/api/stats").json()["counts"]
    places = client.get("/api/places", params={"limit": 1000}).json()
    quotes = client.get("/api/quotes").json()
    page = client.get("/api/places", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == places["total"] and page["items"] == places["items"][1:3]
    with store.read() as con:  # the kept answer is the query's, sliced
        assert page["items"] == query.places(con, Filters(limit=2, offset=1))[1]
        assert client.get("/api/timeseries").json()["items"] == q.timeseries(
            con, Filters(limit=100), "type"
        )
    writer = connect(copy)  # another writer changes the file: answers are recomputed
    writer.execute("DELETE FROM canonical_events")
    writer.execute("DELETE FROM articles WHERE id NOT IN (SELECT article_id FROM events)")
    writer.close()
    assert store.answer("articles", articles) <= first and len(calls) == 2
    assert (
        client.get("/api/stats").json()["counts"]["canonical_events"]
        == 0
        < before["canonical_events"]
    )
    assert pairs and client.get("/api/pairs").json()["items"] == []
    assert client.get("/api/places").json()["items"] == []
    assert client.get("/api/timeseries").json()["items"] == []
    assert client.get("/api/quotes").json()["total"] == quotes["total"]  # quotes kept


def test_kept_first_pages_equal_the_queried_pages(client: TestClient) -> None:
    """The unfiltered map and quotes keep one page of the largest size and slice it."""
    for path in ("/api/places", "/api/quotes"):
        whole = client.get(path, params={"limit": 1000}).json()
        for limit, offset in ((3, 0), (2, 5), (1000, 0)):
            page = client.get(path, params={"limit": limit, "offset": offset}).json()
            assert page["total"] == whole["total"] and page["limit"] == limit
            assert page["items"] == whole["items"][offset : offset + limit]
        # Past the kept page (or with a filter) the store is asked: the same rows.
        far = client.get(path, params={"limit": 1000, "offset": 1}).json()
        assert far["items"] == whole["items"][1:]
    relayed = client.get("/api/quotes", params={"state_media": "true", "limit": 1000}).json()
    assert 0 < relayed["total"] < client.get("/api/quotes").json()["total"]
    assert all(q["state_media"] for q in relayed["items"])


def test_alert_dicts_equal_the_alerts_own(db: Path, settings: Settings) -> None:
    from sitrep.analyze.alerts import evaluate_alerts
    from sitrep.store.db import connect
    from sitrep.views.routes.analysis import alert_dict

    con = connect(db, read_only=True)
    try:
        alerts = evaluate_alerts(con, settings)
    finally:
        con.close()
    assert alerts and all(alert_dict(a) == a.as_dict() for a in alerts)
