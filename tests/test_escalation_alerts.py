"""Escalation alerts with statistics: evidence rules, the Gamma–Poisson model, episodes."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from typing import Any

import pytest

from sitrep.analyze.escalation_alerts import escalation_alerts
from sitrep.analyze.evidence import explicit_pair, witness_key
from sitrep.analyze.rate_model import FALLBACK, fit_prior, nb_tail, predictive
from sitrep.settings import AnalyzeSettings

CFG = AnalyzeSettings()
START = dt.date(2024, 3, 1)


def _day(offset: int) -> str:
    return (START + dt.timedelta(offset)).isoformat()


class Store:
    """Hand-built canonical events and their mentions, as the store's queries return them."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.mentions: list[dict[str, Any]] = []
        self.articles: dict[str, int] = {}
        self._n = 0

    def news(self, days: range, per_day: int = 3) -> None:
        for d in days:
            self.articles[_day(d)] = self.articles.get(_day(d), 0) + per_day

    def event(
        self,
        day: int,
        source: str,
        target: str | None,
        reports: list[tuple[str, str | None]],  # (article id, outlet)
        **fields: Any,
    ) -> str:
        self._n += 1
        cid = f"c{self._n}"
        base = {
            "type": "ASSAULT",
            "factuality": "asserted",
            "timing": "current",
            "intensity": -9.5,
            "source_actor_id": f"{source}.MIL",
            "source_country": source,
            "target_actor_id": f"{target}.MIL" if target else None,
            "target_country": target,
            "day": _day(day),
        }
        base.update(fields)
        self.rows.append(
            {
                **base,
                "id": cid,
                "pair_target": target or base.get("place_country"),
                "article_id": reports[0][0],
                "sentence": "Invented.",
            }
        )
        for n, (article, outlet) in enumerate(reports):
            self.mentions.append(
                {
                    **base,
                    "canonical_id": cid,
                    "mention_id": f"{cid}m{n}",
                    "article_id": article,
                    "outlet": outlet,
                    "url": None,
                }
            )
        return cid

    def background(self) -> None:
        """Forty days of news in which a few pairs have a hostile event now and then, from
        one outlet each: the population the prior is fitted over."""
        self.news(range(40))
        for d in range(0, 40, 4):
            self.event(d, "AAA", "BBB", [(f"bg{d}", "Wire A")])
        for d in range(2, 40, 9):
            self.event(d, "CCC", "DDD", [(f"bh{d}", "Wire B")])

    def alerts(self, cfg: AnalyzeSettings = CFG) -> list[Any]:
        return escalation_alerts(self.rows, self.mentions, self.articles, cfg)


def _spike(store: Store, day: int, source: str = "RUS", target: str = "POL", **kw: Any) -> None:
    store.event(day, source, target, [(f"s{day}a", "Outlet One"), (f"s{day}b", "Outlet Two")], **kw)
    second = {"type": "MOBILIZE", "intensity": -5.5, **kw}
    store.event(day, source, target, [(f"s{day}c", "Outlet Three")], **second)


def test_a_multi_outlet_spike_fires_with_its_evidence() -> None:
    store = Store()
    store.background()
    _spike(store, 41)
    store.news(range(41, 42))
    (alert,) = store.alerts()
    assert (alert.source_country, alert.target_country, alert.day) == ("RUS", "POL", _day(41))
    assert alert.rule == "escalation-nb" and alert.probability is not None
    assert alert.probability <= CFG.alert_probability
    assert alert.outlets == ("outlet:outlet one", "outlet:outlet three", "outlet:outlet two")
    assert alert.article_ids == ("s41a", "s41b", "s41c") and alert.events == 2
    assert {e["target_country"] for e in alert.evidence} == {"POL"}
    assert all(e["witnesses"] for e in alert.evidence) and "P(≥3)" in alert.why


def test_self_pairs_never_fire() -> None:
    store = Store()
    store.background()
    _spike(store, 41, "RUS", "RUS")
    assert store.alerts() == []
    assert explicit_pair({"source_country": "RUS", "target_country": "RUS"}) is None


def test_a_single_article_never_fires() -> None:
    store = Store()
    store.background()
    for _ in range(4):  # four strikes, one article
        store.event(41, "RUS", "POL", [("one-article", "Outlet One")])
    assert store.alerts() == []
    same_outlet = Store()
    same_outlet.background()
    for n in range(4):  # four articles, one outlet: still one witness
        same_outlet.event(41, "RUS", "POL", [(f"art{n}", "Outlet One")])
    assert same_outlet.alerts() == []
    # Without outlets, two articles are two witnesses (and a copy is never a second one:
    # the store query hands over the original's id).
    assert witness_key(None, None, "a1") != witness_key(None, None, "a2")
    assert witness_key("", "https://www.example.org/x", "a1") == "domain:example.org"
    assert witness_key(" Reuters ", "https://x.org", "a1") == witness_key("reuters", None, "b")


def test_place_derived_or_unknown_targets_never_fire() -> None:
    store = Store()
    store.background()
    # No target: the pair would come from the place (RUS → POL), which is no evidence.
    _spike(store, 41, "RUS", None, place_country="POL")
    # A target the knowledge base does not know (often a region named as the target).
    _spike(store, 42, "RUS", "LTU", target_actor_id=None)
    store.news(range(41, 43))
    assert store.alerts() == []


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"timing": "background"}, "history an article recalls"),
        ({"factuality": "hypothetical"}, "not asserted or reported"),
        ({"type": "ACCUSE", "intensity": -3.5}, "friction, not escalation"),
        ({"type": "AID", "intensity": 10.0}, "cooperation"),
    ],
)
def test_only_current_reported_hostile_events_count(change: dict[str, Any], why: str) -> None:
    store = Store()
    store.background()
    _spike(store, 41, **change)
    assert store.alerts() == [], why


def test_a_first_event_against_an_empty_history_does_not_fire() -> None:
    # Day one of a store: no news before it, so no baseline to be surprised by.
    store = Store()
    store.news(range(1))
    _spike(store, 0)
    assert store.alerts() == []
    # Two days of news (6 articles, under min_history_articles) before a spike that a store
    # with history would call one: too little to know what is normal.
    young = Store()
    young.background()
    young.articles = {_day(d): 3 for d in range(2)}
    young.rows = [r for r in young.rows if r["day"] < _day(2)]
    young.mentions = [m for m in young.mentions if m["day"] < _day(2)]
    _spike(young, 2)
    young.news(range(2, 3))
    assert young.alerts() == []
    assert len(young.alerts(replace(CFG, min_history_articles=0.0))) == 1
    # The model alone: a pair without history is judged against the prior, not against 0 ± 0;
    # one report on a 3-article day is unremarkable when pairs usually see one in 50 articles.
    prior = replace(FALLBACK, alpha=2.0, beta=100.0)
    assert predictive(prior, 0.0, 0.0, 3.0, 1).tail > CFG.alert_probability


def test_an_episode_is_one_alert_updated_over_days() -> None:
    store = Store()
    store.background()
    _spike(store, 41)
    store.news(range(41, 42))
    (first,) = store.alerts()
    _spike(store, 42, "RUS", "POL")  # the next day: the same episode grows
    store.news(range(42, 43))
    (grown,) = store.alerts()
    assert grown.id == first.id and grown.day == first.day == _day(41)
    assert grown.last_day == _day(42) and grown.events > first.events
    # After a quiet gap longer than episode_gap_days a new spike is a new alert.
    store.news(range(43, 50))
    _spike(store, 49, "RUS", "POL")
    assert [(a.day, a.last_day) for a in store.alerts()] == [
        (_day(41), _day(42)),
        (_day(49), _day(49)),
    ]


def test_negative_binomial_tail_and_prior() -> None:
    # P(X ≥ k) by the definition, with the pmf computed independently via math.comb on an
    # integer shape (r = 3: the number of failures before the third success).
    r, p = 3, 0.6
    pmf = [math.comb(k + r - 1, k) * p**r * (1 - p) ** k for k in range(6)]
    for k in range(6):
        assert nb_tail(k, float(r), p) == pytest.approx(1 - sum(pmf[:k]))
    assert nb_tail(0, 0.5, 0.5) == 1.0 and nb_tail(1, 0.5, 1.0) == 0.0
    # Equal counts: no spread between pairs beyond Poisson noise, a strong prior at the mean.
    strong = fit_prior([5, 5, 5, 5], 100.0)
    assert strong.alpha == 100.0 and strong.mean == pytest.approx(0.05)
    # Uneven counts: the spread of the rates less the Poisson noise.
    rates = [0, 0, 0, 20]
    fitted = fit_prior(rates, 100.0)
    mean, var = 0.05, (3 * 0.05**2 + 0.15**2) / 3
    between = var - mean / 100
    assert fitted.alpha == pytest.approx(mean**2 / between)
    assert fitted.beta == pytest.approx(mean / between)
    assert fit_prior([3], 10.0) == FALLBACK and fit_prior([0, 0], 10.0) == FALLBACK


def test_history_raises_the_bar() -> None:
    """The same spike surprises a quiet pair and not a pair that fights every day."""
    busy = Store()
    busy.background()
    for d in range(40):
        busy.event(d, "RUS", "POL", [(f"h{d}a", "Outlet One"), (f"h{d}b", "Outlet Two")])
    _spike(busy, 41)
    busy.news(range(41, 42))
    assert [a for a in busy.alerts() if a.day == _day(41)] == []
