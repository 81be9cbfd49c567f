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

import math
from collections.abc import Sequence
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
