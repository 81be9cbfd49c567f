"""Alerts worth acting on: a warning is no threat, a war's steady state is no surge, two
unrelated reports of one day are no corroborated escalation, a defence is no escalation
(issue 15, part 3). Hand-built canonical events, as the store's queries return them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sitrep.analyze.alerts import rule_alerts, with_report_facts
from sitrep.analyze.escalation_alerts import escalation_alerts
from sitrep.analyze.evidence import is_defensive, same_matter_events
from sitrep.analyze.rate_model import FALLBACK, SurpriseTest, discounted_exposure
from sitrep.analyze.watchlists import Rule, load_rules, matches, parse_rules
from sitrep.errors import ConfigError
from sitrep.settings import AnalyzeSettings

CFG = AnalyzeSettings()
START = dt.date(2024, 3, 1)
RULES = {r.id: r for r in load_rules([])}


def _day(offset: int) -> str:
    return (START + dt.timedelta(offset)).isoformat()


def _threat(**fields: Any) -> dict[str, Any]:
    """Lukashenko threatens Lithuania, explicitly named: the case the rule is for."""
    base = {
        "id": "c1",
        "day": _day(0),
        "type": "THREATEN",
        "factuality": "reported",
        "timing": "current",
        "trigger": "threatened",
        "source_actor_id": "BLR.GOV.lukashenko",
        "source_country": "BLR",
        "target_actor_id": "LTU",
        "target_country": "LTU",
        "pair_target": "LTU",
        "place_country": None,
        "sentence": "Lukashenko threatened Lithuania with retaliation.",
        "article_id": "a1",
        "outlet": "Baltic Monitor",
        "independent_sources": 1,
    }
    return {**base, **fields}


def test_a_leaders_explicit_threat_against_a_neighbour_fires() -> None:
    leader = RULES["leader-threaten-neighbour"]
    (alert,) = rule_alerts(leader, [_threat()])
    assert (alert.source_country, alert.target_country) == ("BLR", "LTU")
    assert alert.evidence[0]["sentence"].startswith("Lukashenko threatened")


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (
            {"trigger": "warned", "target_actor_id": "RUS", "target_country": "RUS",
             "pair_target": "RUS",
             "sentence": "Zelensky warned that Russia may attack its neighbours."},
            "a warning about a third party",
        ),
        (
            {"target_actor_id": None, "target_country": None, "pair_target": "UKR",
             "place_country": "UKR"},
            "a target taken from the place",
        ),
        (
            {"target_actor_id": None, "target_country": None, "pair_target": None,
             "sentence": "He threatened to act if foreign troops crossed the border."},
            "a cue word in the sentence is no target",
        ),
        ({"factuality": "hypothetical"}, "not asserted or reported"),
        ({"timing": "background"}, "history an article recalls"),
        ({"reprint": True}, "a reprint of an earlier article"),
    ],
)  # fmt: skip
def test_what_is_no_threat_alert(change: dict[str, Any], why: str) -> None:
    assert rule_alerts(RULES["leader-threaten-neighbour"], [_threat(**change)]) == [], why


def test_a_threat_without_a_named_target_is_its_own_rule_and_names_none() -> None:
    threatens = RULES["leader-threatens"]
    unnamed = _threat(
        source_actor_id="RUS.GOV.putin", source_country="RUS", target_actor_id=None,
        target_country=None, pair_target=None, trigger="threatening",
        sentence="Putin threatened swift retaliation against anyone who interferes.",
    )  # fmt: skip
    (alert,) = rule_alerts(threatens, [unnamed])
    assert alert.target_country is None
    # The noun names what a leader says his country faces, and a warning is no threat.
    assert not matches(threatens, {**unnamed, "trigger": "threats"})
    assert not matches(threatens, {**unnamed, "trigger": "warned"})
    # A named neighbour is leader-threaten-neighbour's, not a second alert.
    assert not matches(threatens, _threat())
    assert matches(RULES["leader-threaten-neighbour"], _threat())


def _assault(n: int, day: int, outlet: str, **fields: Any) -> dict[str, Any]:
    base = {
        "id": f"c{n}",
        "day": _day(day),
        "type": "ASSAULT",
        "factuality": "reported",
        "timing": "current",
        "trigger": "shelled",
        "source_actor_id": "RUS.MIL",
        "source_country": "RUS",
        "target_actor_id": "UKR.MIL",
        "target_country": "UKR",
        "pair_target": "UKR",
        "sentence": "Russian forces shelled Ukrainian positions.",
        "article_id": f"a{n}",
        "outlets": [outlet],
        "outlet": outlet,
        "independent_sources": 1,
    }
    return {**base, **fields}


def _news(articles: dict[str, int]) -> SurpriseTest:
    return SurpriseTest(
        prior=FALLBACK,
        articles=articles,
        exposure_before=discounted_exposure(articles, sorted(articles), CFG.half_life_days),
        half_life_days=CFG.half_life_days,
        probability=CFG.alert_probability,
        min_history_articles=CFG.min_history_articles,
    )


def _steady_war(days: int = 40) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Forty days on which two outlets report Russian attacks, six articles a day."""
    rows = [_assault(2 * d + k, d, outlet) for d in range(days) for k, outlet in enumerate("AB")]
    return rows, {_day(d): 6 for d in range(days)}


def test_the_wars_steady_state_fires_no_surge_and_a_real_spike_does() -> None:
    surge = RULES["rus-assault-surge"]
    rows, articles = _steady_war()
    assert rule_alerts(surge, rows, _news(articles)) == []
    # The counting rule it replaced fired on any two-outlet day: every day of the war.
    counting = parse_rules(
        "rules: [{id: c, title: C, match: {type: [ASSAULT]}, window_days: 1, min_events: 2}]",
        "t",
    )[0]
    assert len(rule_alerts(counting, rows)) == 40
    # Day 40: seven outlets report attacks on a day of ordinary news volume.
    spike = [_assault(1000 + k, 40, f"Outlet {k}") for k in range(7)]
    articles[_day(40)] = 6
    (alert,) = rule_alerts(surge, rows + spike, _news(articles))
    assert alert.day == _day(40) and alert.events == 7
    assert alert.probability is not None and alert.probability <= CFG.alert_probability
    assert "expected from the pair's own earlier days" in alert.why
    # The same day with twice the usual news is less of a surprise, and one article's
    # recap of a year of war (seven events, one witness) is none.
    recap = [_assault(2000 + k, 40, "Outlet R", article_id="recap") for k in range(7)]
    assert rule_alerts(surge, rows + recap, _news(articles)) == []
    with pytest.raises(ValueError, match="news"):
        rule_alerts(surge, rows + spike)


def test_a_defence_is_no_assault_of_the_defender() -> None:
    assert is_defensive("repelled") and is_defensive("shot down")
    assert is_defensive("captured", "Ukrainian forces repelled the offensive and captured 500.")
    assert not is_defensive("attacked", "Russia attacked Kharkiv but was repelled.")
    assert not is_defensive("shelled") and not is_defensive(None)
    rule = RULES["rus-assault-surge"]
    assert matches(rule, _assault(1, 0, "A"))
    assert not matches(rule, _assault(1, 0, "A", trigger="shot down"))


def test_rule_keys_are_validated() -> None:
    with pytest.raises(ConfigError, match="surge"):
        parse_rules("rules: [{id: a, title: A, surge: 2}]", "t")
    with pytest.raises(ConfigError, match="explicit"):
        parse_rules("rules: [{id: a, title: A, match: {explicit: [place]}}]", "t")
    with pytest.raises(ConfigError, match="defensive"):
        parse_rules("rules: [{id: a, title: A, match: {defensive: maybe}}]", "t")
    (rule,) = parse_rules("rules: [{id: a, title: A, unless: [{trigger: [warn]}]}]", "t")
    assert isinstance(rule, Rule) and not matches(rule, {"trigger": "was warning"})


def test_report_facts_come_from_the_shown_report() -> None:
    rows = [{"id": "c1", "mention_id": "m1"}, {"id": "c2", "mention_id": "m2"}]
    mentions = [
        {"mention_id": "m1", "timing": "background", "article_id": "a1",
         "mention_article_id": "a1"},
        {"mention_id": "m2", "timing": "current", "article_id": "a1",
         "mention_article_id": "a1-copy"},
    ]  # fmt: skip
    first, second = with_report_facts(rows, mentions)
    assert (first["timing"], first["reprint"]) == ("background", False)
    assert (second["timing"], second["reprint"]) == ("current", True)


# Escalation: the evidence of one alert is about one matter.


def _mention(cid: str, day: int, article: str, outlet: str, **fields: Any) -> dict[str, Any]:
    return {
        "canonical_id": cid,
        "mention_id": f"{cid}-{article}",
        "article_id": article,
        "outlet": outlet,
        "url": None,
        "day": _day(day),
        "type": "ASSAULT",
        "factuality": "reported",
        "timing": "current",
        "intensity": -9.5,
        "source_country": "UKR",
        "target_country": "RUS",
        **fields,
    }


def _row(cid: str, story: str, trigger: str, kind: str = "ASSAULT") -> dict[str, Any]:
    return {"id": cid, "story_id": story, "trigger": trigger, "type": kind,
            "factuality": "reported"}  # fmt: skip


def _quiet_history() -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, int]]:
    """Forty days of news with an occasional one-outlet report between other pairs."""
    rows: list[dict[str, Any]] = []
    mentions: list[dict[str, Any]] = []
    for d in range(0, 40, 5):
        cid = f"bg{d}"
        rows.append(_row(cid, cid, "shelled"))
        mentions.append(
            _mention(cid, d, f"bg{d}", "Wire", source_country="AAA", target_country="BBB",
                     source_actor_id="AAA.MIL", target_actor_id="BBB.MIL", place=None)
        )  # fmt: skip
    return rows, mentions, {_day(d): 4 for d in range(41)}


def _two_reports(same_matter: bool) -> list[Any]:
    rows, mentions, articles = _quiet_history()
    # Day 40: a call to ban visitors and, elsewhere, a strike by another unit.
    first = {"source_actor_id": "UKR.GOV", "target_actor_id": "RUS", "place": None}
    second = {"source_actor_id": "UKR.MIL", "target_actor_id": "RUS.MIL", "place": "Kherson"}
    rows.append(_row("x1", "visitors", "ban", "SANCTION"))
    rows.append(_row("x2", "visitors" if same_matter else "strike", "struck"))
    mentions.append(_mention("x1", 40, "p1", "Outlet One", type="SANCTION", **first))
    mentions.append(_mention("x2", 40, "p2", "Outlet Two", **second))
    return escalation_alerts(rows, mentions, articles, CFG)


def test_two_unrelated_matters_on_one_day_are_not_one_escalation() -> None:
    assert _two_reports(same_matter=False) == []
    # The same two reports of one story are one matter with two witnesses: it fires.
    (alert,) = _two_reports(same_matter=True)
    assert (alert.source_country, alert.target_country) == ("UKR", "RUS")
    assert len(alert.outlets) == 2 and alert.events == 2


def test_matters_link_by_story_place_or_both_actors() -> None:
    def event(witness: str, **keys: Any) -> dict[str, Any]:
        return {"witnesses": [witness], **keys}

    apart = {
        "e1": event("w1", story_id="s1", place="Kherson"),
        "e2": event("w2", story_id="s2", place="Sumy"),
    }
    assert same_matter_events(apart, 2) == []
    assert same_matter_events({**apart, "e3": event("w3", place="sumy")}, 2) == ["e2", "e3"]
    both = {"source_actor_id": "UKR.MIL", "target_actor_id": "RUS.MIL"}
    linked = {"e1": event("w1", **both), "e2": event("w2", **both)}
    assert same_matter_events(linked, 2) == ["e1", "e2"]
    assert same_matter_events({"e1": event("w1"), "e2": event("w1")}, 2) == []


def test_a_defensive_success_is_no_escalation_of_the_defender() -> None:
    rows, mentions, articles = _quiet_history()
    sentence = "Ukrainian forces repelled the offensive and captured 500 Russian troops."
    rows.append(_row("d1", "offensive", "captured"))
    for article, outlet in (("p1", "Outlet One"), ("p2", "Outlet Two")):
        mentions.append(
            _mention("d1", 40, article, outlet, source_actor_id="UKR.MIL",
                     target_actor_id="RUS.MIL", place=None, sentence=sentence)
        )  # fmt: skip
    assert escalation_alerts(rows, mentions, articles, CFG) == []
    attacked = [{**m, "sentence": "Ukrainian forces struck Russian depots."} for m in mentions]
    assert len(escalation_alerts(rows, attacked, articles, CFG)) == 1
