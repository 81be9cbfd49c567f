"""Shared fixtures. The spaCy pipeline and knowledge load once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.extract.service import Extractor
from sitrep.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles.jsonl"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def extractor(settings: Settings) -> Extractor:
    return Extractor(settings)


@pytest.fixture(scope="session")
def cameo_extractor(settings: Settings) -> Extractor:
    """The sentence-coding convention of the CAMEO/PLV benchmarks: the speech act a future
    or conditional event implies is an event too (`extract.implied_events`), no type needs
    a named party (`extract.named_party_types`), and PolNeAR's wide attributions
    (`extract.attributions = "all"`); the sentence holds an event, so one whose type the
    classifier doubts is kept (`extract.cut_after_typing`)."""
    overrides = {
        "extract": {
            "implied_events": True,
            "attributions": "all",
            "named_party_types": [],
            "cut_after_typing": False,
        }
    }
    return Extractor(settings.with_overrides(overrides))


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared (evaluation data); tests that need it skip cleanly when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present (evaluation data lives beside the project)")
    return SHARED
