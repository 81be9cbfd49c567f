"""The alerts' configuration read once: the analyze settings with their watchlist rules and
escalation weights parsed, and the digest the stored alert inputs are checked against.

Parsing the YAML of the rules and weights took about 0.07 s, on every evaluation (six
parses: the weights once per pass over the pair-days). Objects that live across polls
(`sitrep watch`, the server) keep one `AlertConfig` and hand it to every evaluation;
`current` reads the files again only when one of them changed (its size or modification
time), so an edited rule file still counts from the next poll on.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sitrep import __version__
from sitrep.analyze.escalation import Weights, load_weights
from sitrep.analyze.watchlists import Rule, load_rules
from sitrep.model.files import FileStamp, file_stamps
from sitrep.model.ids import digest
from sitrep.settings import AnalyzeSettings

# Bump when what is stored per pair-day or per hit changes meaning (the digest also holds
# sitrep's version, so an upgrade rebuilds them anyway).
VERSION = 2  # 2: the hits keep their rows


def inputs_digest(cfg: AnalyzeSettings, rules: Sequence[Rule], weights: Weights) -> str:
    """What the stored inputs depend on besides the canonical events. Written canonically
    (sets sorted): `repr` of a frozenset follows the process's string hashing, so two
    processes would never agree and every run would rebuild the inputs."""
    parts = [cfg, weights, list(rules)]
    return digest(VERSION, __version__, json.dumps(_canonical(parts), sort_keys=True))


def _canonical(value: Any) -> Any:
    """Plain JSON data whatever the settings or rules hold (dataclasses, sets, tuples)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return {f.name: _canonical(getattr(value, f.name)) for f in fields}
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


@dataclass(frozen=True, slots=True)
class AlertConfig:
    analyze: AnalyzeSettings
    rules: tuple[Rule, ...]
    weights: Weights
    digest: str  # of the settings, weights and rules (analyze/alert_inputs.py)
    stamps: tuple[FileStamp, ...]  # the user files read, as they were


def load_alert_config(cfg: AnalyzeSettings) -> AlertConfig:
    """Read the rule and weight files of these settings (packaged ones unless replaced)."""
    stamps = _stamps(cfg)
    rules = tuple(load_rules(cfg.watchlists, cfg.default_watchlists))
    weights = load_weights(cfg.weights)
    return AlertConfig(cfg, rules, weights, inputs_digest(cfg, rules, weights), stamps)


def current(config: AlertConfig | None, cfg: AnalyzeSettings) -> AlertConfig:
    """`config` when it was read for these settings and none of its files changed since,
    else the configuration read again."""
    if config is not None and config.analyze == cfg and config.stamps == _stamps(cfg):
        return config
    return load_alert_config(cfg)


def _stamps(cfg: AnalyzeSettings) -> tuple[FileStamp, ...]:
    return file_stamps([*cfg.watchlists, *([cfg.weights] if cfg.weights else [])])
