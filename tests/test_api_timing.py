"""The API's defaults follow the news, not outliers: `timing` (current | background | all),
newest-first events, the period of a selection (its publication dates) and the escalation
series cut to a period. Over the API store plus an article that recalls a battle of 1944
and announces drills for a day after the last sample (tests/fixtures/background.jsonl)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_store import BACKGROUND, BACKGROUND_DAY, PLANNED_DAY, build_store
from sitrep.settings import Settings
from sitrep.views.api import create_app

FIXTURE_ID = "fixture-background-1"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> TestClient:
    return TestClient(
        create_app(build_store(tmp_path_factory.mktemp("timing"), BACKGROUND), settings)
    )


def _get(client: TestClient, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _events(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = _get(client, "/api/events", limit=1000, **params)["items"]
    return items


def test_events_are_current_news_unless_background_is_asked_for(client: TestClient) -> None:
    current = _events(client)
    assert current and {e["timing"] for e in current} == {"current"}
    assert all((e["day"] or "9") > "2000" for e in current)
    background = _events(client, timing="background")
    assert background and {e["timing"] for e in background} == {"background"}
    battle = next(e for e in background if e["day"] == BACKGROUND_DAY)
    # Never merged across articles: listed by its mention, a report of one outlet.
    assert battle["type"] == "ASSAULT" and battle["id"] == battle["mention_id"]
    assert battle["article_id"] == FIXTURE_ID and battle["reports"] == 1
    assert battle["outlets"] == ["Fixture Gazette"] and battle["mention_ids"] == [battle["id"]]
    every = _events(client, timing="all")
    assert sorted(e["id"] for e in every) == sorted(e["id"] for e in current + background)


def test_mentions_follow_timing_too(client: TestClient) -> None:
    current = _events(client, mentions="true")
    every = _events(client, mentions="true", timing="all")
    background = _events(client, mentions="true", timing="background")
    assert {e["timing"] for e in current} == {"current"}
    assert BACKGROUND_DAY in {e["day"] for e in background}
    assert len(every) == len(current) + len(background)


def test_bad_timing_is_a_json_error(client: TestClient) -> None:
    response = client.get("/api/events", params={"timing": "recent"})
    assert response.status_code == 422 and "timing" in response.json()["error"]["message"]


@pytest.mark.parametrize("params", [{}, {"timing": "all"}, {"mentions": "true"}])
def test_newest_first_is_the_listing_reversed_with_undated_last(
    client: TestClient, params: dict[str, Any]
) -> None:
    oldest = _events(client, **params)
    newest = _events(client, order="newest", **params)
    dated = [e["id"] for e in oldest if e["day"]]
    undated = [e["id"] for e in oldest if not e["day"]]
    # Undated ones follow the dated, also latest first (by their first report).
    assert [e["id"] for e in newest] == dated[::-1] + undated[::-1]
    assert newest[0]["day"] == max(e["day"] for e in oldest if e["day"])
    page = _get(client, "/api/events", order="newest", limit=3, offset=2, **params)
    assert [e["id"] for e in page["items"]] == [e["id"] for e in newest[2:5]]


def test_timeseries_period_spans_the_publication_dates_of_the_selection(
    client: TestClient,
) -> None:
    series = _get(client, "/api/timeseries")
    days = {r["day"] for r in series["items"]}
    published = sorted(e["published"][:10] for e in _events(client))
    assert series["period"] == {"first": published[0], "last": published[-1]}
    # The planned drills keep their day in the data; the period does not stretch to it.
    assert PLANNED_DAY in days and series["period"]["last"] < PLANNED_DAY
    assert BACKGROUND_DAY not in days
    with_background = _get(client, "/api/timeseries", timing="all")
    assert BACKGROUND_DAY in {r["day"] for r in with_background["items"]}
    assert with_background["period"] == series["period"]  # its article is of the period
    mobilize = _get(client, "/api/timeseries", type="MOBILIZE")
    first = min(e["published"][:10] for e in _events(client, type="MOBILIZE"))
    assert mobilize["period"]["first"] == first > series["period"]["first"]


@pytest.mark.parametrize(
    ("since", "until", "period"),
    [
        ("2024-02", "2024-02", ("2024-02-01", "2024-02-29")),
        ("2024", None, ("2024-01-01", None)),
        (None, "2024-03-15", (None, "2024-03-15")),
    ],
)
def test_a_given_since_and_until_is_the_period(
    client: TestClient, since: str | None, until: str | None, period: tuple[str | None, ...]
) -> None:
    params = {k: v for k, v in (("since", since), ("until", until)) if v}
    found = _get(client, "/api/timeseries", **params)["period"]
    whole = _get(client, "/api/timeseries")["period"]
    assert found["first"] == (period[0] or whole["first"])
    assert found["last"] == (period[1] or whole["last"])


def test_escalation_is_cut_to_the_period_with_the_whole_baseline(client: TestClient) -> None:
    pair = {"source": "BLR", "target": "UKR"}
    whole = _get(client, "/api/escalation", **pair)
    assert whole["series"][-1]["day"] == PLANNED_DAY
    period = _get(client, "/api/timeseries")["period"]
    cut = _get(client, "/api/escalation", since=period["first"], until=period["last"], **pair)
    days = [p["day"] for p in cut["series"]]
    assert days and period["first"] <= days[0] and days[-1] <= period["last"]
    # The same points as the whole series on those days: each baseline still reads the days
    # before the period.
    by_day = {p["day"]: p for p in whole["series"]}
    assert all(p == by_day[p["day"]] for p in cut["series"])
    assert all(a["day"] <= period["last"] and a["last_day"] >= period["first"]
               for a in cut["alerts"])  # fmt: skip
    late = _get(client, "/api/escalation", since="2024-07-01", **pair)
    assert [p["day"] for p in late["series"]][-1] == PLANNED_DAY
    assert all(p["day"] >= "2024-07-01" for p in late["series"])
    assert client.get("/api/escalation", params={**pair, "since": "soon"}).status_code == 400


def test_places_follow_timing(client: TestClient) -> None:
    background = _get(client, "/api/places", timing="background")["items"]
    battle = next(e for e in _events(client, timing="background") if e["day"] == BACKGROUND_DAY)
    place = next(p for p in background if p["name"] == battle["place"])
    assert battle["id"] in place["latest_event_ids"]
    current = _get(client, "/api/places")["items"]
    assert all(battle["id"] not in p["latest_event_ids"] for p in current)
    every = _get(client, "/api/places", timing="all")["items"]
    assert sum(p["events"] for p in every) == sum(p["events"] for p in current + background)


def test_stats_give_the_publication_dates(client: TestClient) -> None:
    stats = _get(client, "/api/stats")
    articles = _get(client, "/api/articles", limit=1000)["items"]
    published = sorted(a["published"][:10] for a in articles if a["published"])
    assert (stats["first_published"], stats["last_published"]) == (published[0], published[-1])
    assert stats["last_day"] == PLANNED_DAY  # the event days are still there, for the API
