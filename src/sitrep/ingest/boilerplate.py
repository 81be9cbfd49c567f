"""Boilerplate lines out before extraction: by rule, and found from the data.

Newsletter promotions, sign-up and privacy notices, "Read more" links, captions and credits
say nothing about the world, yet their verbs ("agree", "support", "join") look like events.
Two ways find them, and both record what they removed on the `Article` (`boilerplate`):

- rules (`data/boilerplate.yaml`, each with examples): a line that matches is removed;
- repetition: a line seen in at least `ingest.boilerplate_min_articles` articles of one
  outlet (or of the whole input when outlets are unknown) is boilerplate. Copies of one
  story repeat every line, so an article most of whose text is repeated is a copy, not
  boilerplate, and keeps its lines. The counts grow with the input: a window of
  `ingest.boilerplate_window` articles is read ahead, so the first articles of a run already
  see the lines that the next ones repeat.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sitrep.ingest.outlets import domain_of
from sitrep.model.article import Article, Reject, RemovedLine
from sitrep.settings import IngestSettings

REPEATED = "repeated"
_SPACE = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")
# A line that is mostly article text and ends with a credit keeps its text: rules only
# remove lines up to this long.
_MAX_RULE_LINE = 400
# Repetition counts only lines long enough to say something.
_MIN_REPEATED_LINE = 15


@dataclass(frozen=True, slots=True)
class BoilerplateRule:
    name: str
    pattern: re.Pattern[str]
    examples: tuple[str, ...]
    keep: tuple[str, ...]


@cache
def packaged_rules() -> tuple[BoilerplateRule, ...]:
    """The rules shipped in `data/boilerplate.yaml` (read once; they never change)."""
    text = resources.files("sitrep").joinpath("data", "boilerplate.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return tuple(
        BoilerplateRule(
            name=rule["name"],
            pattern=re.compile(rule["pattern"], re.IGNORECASE),
            examples=tuple(rule.get("examples", [])),
            keep=tuple(rule.get("keep", [])),
        )
        for rule in data["rules"]
    )


def rule_for(line: str, rules: Iterable[BoilerplateRule]) -> str | None:
    """The name of the first rule that removes `line`, or None."""
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_RULE_LINE:
        return None
    return next((r.name for r in rules if r.pattern.search(stripped)), None)


def _remove_lines(article: Article, reasons: dict[int, str]) -> Article:
    """The article without the lines numbered in `reasons`, each removal recorded."""
    if not reasons:
        return article
    lines = article.text.split("\n")
    removed = [RemovedLine(rule=reasons[i], text=lines[i].strip()) for i in sorted(reasons)]
    kept = "\n".join(line for i, line in enumerate(lines) if i not in reasons)
    text = _PARAGRAPH_BREAK.sub("\n\n", kept).strip()
    return replace(article, text=text, boilerplate=[*article.boilerplate, *removed])


def strip_rule_lines(article: Article, rules: Iterable[BoilerplateRule]) -> Article:
    rules = tuple(rules)
    reasons = {}
    for i, line in enumerate(article.text.split("\n")):
        name = rule_for(line, rules)
        if name is not None:
            reasons[i] = name
    return _remove_lines(article, reasons)


def line_key(line: str) -> bytes | None:
    """A short digest of a line, case and spacing ignored; None for lines too short to count."""
    flat = _SPACE.sub(" ", line.strip().lower())
    if len(flat) < _MIN_REPEATED_LINE:
        return None
    return hashlib.blake2b(flat.encode("utf-8"), digest_size=8).digest()


def outlet_of(article: Article) -> str:
    """The scope repetition is counted in: the outlet, else the URL's host, else everything."""
    if article.outlet:
        return article.outlet.strip().lower()
    return domain_of(article.url) or ""


LineKeys = list[bytes | None]


def line_keys(article: Article) -> LineKeys:
    """The digest of each line of the article, in order (None for short lines)."""
    return [line_key(line) for line in article.text.split("\n")]


@dataclass(slots=True)
class RepeatedLines:
    """How many articles of each outlet hold each line (by digest)."""

    min_articles: int
    seen: dict[str, dict[bytes, int]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, article: Article, keys: LineKeys | None = None) -> LineKeys:
        """Count the article's lines (once each); returns their digests for `strip`."""
        keys = line_keys(article) if keys is None else keys
        counts = self.seen[outlet_of(article)]
        for key in {k for k in keys if k is not None}:
            counts[key] = counts.get(key, 0) + 1
        return keys

    def strip(self, article: Article, keys: LineKeys | None = None) -> Article:
        """The article without lines repeated in `min_articles` articles of its outlet.
        `keys` are its line digests when the caller has them already (`add`)."""
        keys = line_keys(article) if keys is None else keys
        counts = self.seen.get(outlet_of(article), {})
        lines = article.text.split("\n")
        reasons: dict[int, str] = {}
        repeated_chars = 0
        for i, key in enumerate(keys):
            if key is not None and counts.get(key, 0) >= self.min_articles:
                reasons[i] = REPEATED
                repeated_chars += len(lines[i])
        if repeated_chars * 2 > len(article.text):
            return article  # mostly repeated: a copy of a story, not a page of boilerplate
        return _remove_lines(article, reasons)


def strip_boilerplate(
    items: Iterable[Article | Reject], settings: IngestSettings
) -> Iterator[Article | Reject]:
    """The input stream without lines repeated across articles (the rules already ran when
    each `Article` was made); order and rejects are unchanged. Off when `ingest.boilerplate`
    is false."""
    if not settings.boilerplate:
        yield from items
        return
    index = RepeatedLines(settings.boilerplate_min_articles)
    # Read ahead a window, each article with its line digests (hashed once, used twice).
    window: list[tuple[Article | Reject, LineKeys | None]] = []
    size = max(1, settings.boilerplate_window)
    for item in items:
        keys = index.add(item) if isinstance(item, Article) else None
        window.append((item, keys))
        if len(window) >= size:
            yield from _flush(window, index)
            window = []
    yield from _flush(window, index)


def _flush(
    window: list[tuple[Article | Reject, LineKeys | None]], index: RepeatedLines
) -> Iterator[Article | Reject]:
    for item, keys in window:
        yield index.strip(item, keys) if isinstance(item, Article) else item
