"""The words of a brief's lines: who did what to whom, which outlets, and which sentences
never reach a brief because they are boilerplate.

Plain text only; the renderers (views/brief.py) escape it for Markdown or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sitrep.ingest.boilerplate import packaged_rules, rule_for
from sitrep.ingest.outlets import domain_of

# A sentence longer than this is cut at a word and ends with "…": a line, not a paragraph.
MAX_SENTENCE_CHARS = 320


@cache
def phrases() -> dict[str, dict[str, str]]:
    """PLOVER type → {"target": verb phrase before a target, "alone": without one}."""
    text = resources.files("sitrep").joinpath("data", "brief_phrases.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return {str(k): dict(v) for k, v in data["types"].items()}


def summary(event_type: str | None, source: str | None, target: str | None) -> str | None:
    """ "Russia threatened United Kingdom": None when the source or the type is unknown."""
    phrase = phrases().get(event_type or "")
    if not source or phrase is None:
        return None
    return f"{source} {phrase['target']} {target}" if target else f"{source} {phrase['alone']}"


def clip(sentence: str, limit: int = MAX_SENTENCE_CHARS) -> str:
    flat = " ".join(sentence.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


def event_text(event: Mapping[str, Any]) -> str:
    """The summary, when there is one, then the event's own sentence."""
    sentence = clip(str(event.get("sentence") or ""))
    said = summary(event.get("type"), event.get("source"), event.get("target"))
    return f"{said}: {sentence}" if said else sentence


# A dateline before a story's first words ("KYIV, Ukraine (AP) —", "CNN —"): no label.
_DATELINE = re.compile(r"^[^.!?\n]{0,60}?\s[—–]\s*")
# A label needs this many words, else the story is named by its best line's sentence.
_MIN_LABEL_WORDS = 4


def story_label(title: str | None, best_sentence: str, limit: int) -> str:
    """A story's heading: its title (the earliest article's first words) without a dateline,
    or, when that says too little, the sentence of its best line."""
    label = _DATELINE.sub("", " ".join(str(title or "").split()), count=1)
    if len(label.split()) < _MIN_LABEL_WORDS:
        label = best_sentence
    return clip(label, limit)


def outlet_name(article: Mapping[str, Any]) -> str | None:
    """What an article's outlet is called in a brief: its outlet, else its URL's host
    (without "www."), else None. The one place that names an outlet."""
    outlet = str(article.get("outlet") or "").strip()
    if outlet:
        return outlet
    return domain_of(str(article.get("url") or ""))


def outlet_names(article_ids: Iterable[str], sources: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The distinct outlet names of these articles, in their order; unknown ones left out."""
    names: list[str] = []
    for aid in article_ids:
        name = outlet_name(sources.get(aid, {}))
        if name and name not in names:
            names.append(name)
    return names


def boilerplate_like(sentence: str) -> bool:
    """True when a rule of data/boilerplate.yaml (sign-up, newsletter, privacy, "read more",
    credits, …) matches the sentence: such text says nothing about the world."""
    return rule_for(sentence, packaged_rules()) is not None
