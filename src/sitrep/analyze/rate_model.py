"""Gamma–Poisson model of how often an actor pair's hostile events are reported.

A pair's daily count of qualifying events is Poisson with a rate per article the store
holds that day; the rate has a Gamma(alpha, beta) prior fitted over every pair by
empirical Bayes (method of moments). The pair's own earlier days update it to the posterior
Gamma(alpha + count, beta + exposure), with older days discounted by a half-life, so the
day's count has a negative-binomial posterior predictive. A day is surprising when the
probability of at least its count under that predictive is small.

Why a prior: a pair without history has no rate of its own, and a z-score against 0 ± 0
made every first event an alert. The prior says what a pair's rate usually is, so one event
on an empty history is judged against that, not against nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GammaPrior:
    """Gamma(alpha, beta) over a pair's rate of events per article (mean alpha / beta)."""

    alpha: float
    beta: float
    pairs: int  # how many pairs it was fitted over (0: the fallback)

    @property
    def mean(self) -> float:
        return self.alpha / self.beta


# When too few pairs (or no spread between them) leave the moments undefined: a weak prior
# of one event per 50 articles, worth about 5 articles of evidence.
FALLBACK = GammaPrior(alpha=0.1, beta=5.0, pairs=0)


def fit_prior(counts: Sequence[int], exposure: float) -> GammaPrior:
    """Method of moments over pairs that each had `counts[i]` events in the same `exposure`
    (articles): the spread of the observed rates less the Poisson noise is the spread of
    the true rates. With no excess spread the rates look alike, and the prior is made
    strong (alpha = 100): every pair is believed to have the shared mean rate."""
    if len(counts) < 2 or exposure <= 0:
        return FALLBACK
    rates = [c / exposure for c in counts]
    mean = sum(rates) / len(rates)
    if mean <= 0:
        return FALLBACK
    observed = sum((r - mean) ** 2 for r in rates) / (len(rates) - 1)
    between = observed - mean / exposure
    if between <= 0:
        return GammaPrior(alpha=100.0, beta=100.0 / mean, pairs=len(counts))
    return GammaPrior(alpha=mean * mean / between, beta=mean / between, pairs=len(counts))


def nb_tail(count: int, shape: float, p: float) -> float:
    """P(X ≥ count) for X negative-binomial with `shape` (r) and success probability `p`:
    P(X = k) = Γ(k + r) / (Γ(r) k!) · p^r · (1 − p)^k. Summed from below in log space;
    `count` is a day's events, so the sum is short."""
    if count <= 0:
        return 1.0
    if p >= 1.0:  # no exposure on the day: no event is possible
        return 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    below = 0.0
    for k in range(count):
        below += math.exp(
            math.lgamma(k + shape)
            - math.lgamma(shape)
            - math.lgamma(k + 1)
            + shape * log_p
            + k * log_q
        )
    return max(0.0, 1.0 - below)


@dataclass(frozen=True, slots=True)
class Predictive:
    """The posterior predictive of one day's count: its mean and the tail of the count seen."""

    expected: float
    tail: float


def predictive(
    prior: GammaPrior, history: float, history_exposure: float, exposure: float, count: int
) -> Predictive:
    """The day's `count` against the pair's (discounted) `history` events over
    `history_exposure` articles before it, with `exposure` articles on the day."""
    shape = prior.alpha + history
    rate = prior.beta + history_exposure
    p = rate / (rate + exposure)
    return Predictive(expected=shape / rate * exposure, tail=nb_tail(count, shape, p))


def decay(days: int, half_life_days: float) -> float:
    """Weight of what happened `days` ago (1 today, 1/2 after one half-life)."""
    return 0.5 ** (days / half_life_days) if half_life_days > 0 else 1.0


def discounted_exposure(
    articles: Mapping[str, int], days: Sequence[str], half_life: float
) -> dict[str, float]:
    """day → Σ articles of every earlier day × its decay: the store's news volume before
    each of `days` (the exposure behind a pair's history, shared by every pair)."""
    timeline = sorted({*articles, *days})
    out: dict[str, float] = {}
    total, previous = 0.0, None
    for day in timeline:
        if previous is not None:
            gap = (_date(day) - _date(previous)).days
            total = (total + articles.get(previous, 0)) * decay(gap, half_life)
        out[day] = total
        previous = day
    return {d: out[d] for d in days}


@dataclass(frozen=True, slots=True)
class Surprise:
    """A day whose count its own series' posterior predictive makes improbable."""

    day: str
    count: int
    tail: float
    expected: float


@dataclass(frozen=True, slots=True)
class SurpriseTest:
    """What judging a series needs: the prior, the store's news volume (articles per day
    and the discounted volume before each day) and the thresholds."""

    prior: GammaPrior
    articles: Mapping[str, int]
    exposure_before: Mapping[str, float]
    half_life_days: float
    probability: float
    min_history_articles: float


def surprising_days(
    counts: Mapping[str, int], test: SurpriseTest, judged: Collection[str] | None = None
) -> list[Surprise]:
    """The days of one series (day → count) whose count is improbable (tail ≤
    `test.probability`) under the Gamma–Poisson posterior built from the series' earlier
    days, each discounted by the half-life. Every day feeds the history; only the days in
    `judged` (None: all) may be surprising, and none while the store holds fewer than
    `min_history_articles` articles before it (no baseline to be surprised by)."""
    out = []
    history, previous = 0.0, None
    for day in sorted(counts):
        if previous is not None:
            gap = (_date(day) - _date(previous)).days
            history = (history + counts[previous]) * decay(gap, test.half_life_days)
        previous = day
        if judged is not None and day not in judged:
            continue
        before = test.exposure_before.get(day, 0.0)
        if before < test.min_history_articles:
            continue
        exposure = max(1, test.articles.get(day, 0))
        guess = predictive(test.prior, history, before, exposure, counts[day])
        if guess.tail <= test.probability:
            out.append(Surprise(day, counts[day], guess.tail, guess.expected))
    return out


def _date(day: str) -> dt.date:
    return dt.date.fromisoformat(day[:10])
