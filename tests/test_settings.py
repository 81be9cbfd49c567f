from __future__ import annotations

import re
from dataclasses import fields
from importlib import resources
from pathlib import Path

import pytest

from sitrep.errors import ConfigError
from sitrep.settings import Settings, load_settings, parse_override

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_file_sets_every_setting_and_nothing_else() -> None:
    text = resources.files("sitrep").joinpath("defaults.toml").read_text("utf-8")
    named = set(re.findall(r"^([a-z_]+) = ", text, flags=re.M))
    known = {g.name for f in fields(Settings()) for g in fields(getattr(Settings(), f.name))}
    assert named == known


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text("utf-8")
    settings = Settings()
    for section in fields(settings):
        for key in fields(getattr(settings, section.name)):
            assert f"{section.name}.{key.name}" in doc, f"{section.name}.{key.name} undocumented"


def test_layering_defaults_file_then_cli(tmp_path: Path) -> None:
    config = tmp_path / "user.toml"
    config.write_text("[nlp]\nbatch_size = 7\n[ingest]\nallow_private = true\n")
    settings = load_settings(config, ["nlp.batch_size=9", "extract.entity_labels=PERSON,ORG"])
    assert settings.nlp.batch_size == 9
    assert settings.ingest.allow_private is True
    assert settings.extract.entity_labels == ("PERSON", "ORG")
    assert settings.ingest.published_keys[0] == "published"


@pytest.mark.parametrize(
    "override",
    ["nlp.nope=1", "nosection.key=1", "nlp.batch_size=many", "ingest.allow_private=maybe", "x"],
)
def test_bad_overrides_are_config_errors(override: str) -> None:
    with pytest.raises(ConfigError):
        load_settings(None, [override])


def test_malformed_config_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[nlp\nmodel = ")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_settings(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path / "missing.toml")


def test_parse_override() -> None:
    assert parse_override("store.db = x.duckdb") == ("store", "db", "x.duckdb")
