"""The codebook (data/codebook.yaml): every rule's example through the whole pipeline, user
files that replace or extend it (the example of docs/codebook.md), and the checks that
refuse a bad file."""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from pathlib import Path

import pytest

import sitrep
from sitrep.errors import CodebookError
from sitrep.extract.codebook import (
    CHECK_NAMES,
    REQUIRED_CLASSES,
    CodebookRule,
    ImpliedRule,
    load_codebook,
)
from sitrep.extract.event_rules import checks_available
from sitrep.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PACKAGED = load_codebook()


@pytest.fixture(scope="module")
def pipeline(settings: Settings) -> sitrep.Pipeline:
    return sitrep.Pipeline(settings)


@pytest.fixture(scope="module")
def implied_pipeline(settings: Settings) -> sitrep.Pipeline:
    """With the implied speech acts of non-factual events on (`extract.implied_events`)."""
    return sitrep.Pipeline(settings.with_overrides({"extract": {"implied_events": True}}))


def _without(pipeline: sitrep.Pipeline, rule_id: str) -> sitrep.Pipeline:
    """The same pipeline (same spaCy, same knowledge) with one rule taken out."""
    knowledge = pipeline.extractor.knowledge
    book = knowledge.codebook
    rules = tuple(r for r in book.rules if r.id != rule_id)
    implied = tuple(r for r in book.implied if r.id != rule_id)
    assert len(rules) + len(implied) == len(book.rules) + len(book.implied) - 1
    other = copy.copy(pipeline)
    other.extractor = copy.copy(pipeline.extractor)
    other.extractor.knowledge = replace(
        knowledge, codebook=replace(book, rules=rules, implied=implied)
    )
    return other


def _coded(pipeline: sitrep.Pipeline, text: str, trigger: str) -> set[tuple[str, str | None]]:
    result = pipeline.extract(text, published="2024-05-14")
    return {(e.type, e.cameo) for e in result.events if e.trigger.text == trigger}


@pytest.mark.parametrize("rule", PACKAGED.rules, ids=lambda r: r.id)
def test_every_rule_example_is_coded_by_its_rule(
    pipeline: sitrep.Pipeline, rule: CodebookRule
) -> None:
    example = rule.example
    coded = _coded(pipeline, example.text, example.trigger)
    if example.type is None:
        assert coded == set()
    else:
        assert (example.type, example.cameo) in coded
    # The rule is what makes it so: without it the trigger is coded otherwise.
    assert _coded(_without(pipeline, rule.id), example.text, example.trigger) != coded


@pytest.mark.parametrize("rule", PACKAGED.implied, ids=lambda r: r.id)
def test_every_implied_rule_example_is_coded_by_its_rule(
    implied_pipeline: sitrep.Pipeline, rule: ImpliedRule
) -> None:
    example = rule.example
    coded = _coded(implied_pipeline, example.text, example.trigger)
    assert (example.type, example.cameo) in coded
    without = _coded(_without(implied_pipeline, rule.id), example.text, example.trigger)
    assert (example.type, example.cameo) not in without


def test_the_codebook_is_versioned_with_unique_rule_ids() -> None:
    assert PACKAGED.version == 1
    assert len(PACKAGED.rules) == len({r.id for r in PACKAGED.rules})
    assert len(PACKAGED.implied) == len({r.id for r in PACKAGED.implied})
    assert set(REQUIRED_CLASSES) <= set(PACKAGED.classes)


def test_every_check_a_rule_can_name_is_implemented() -> None:
    assert checks_available() == set(CHECK_NAMES)


def _docs_example() -> str:
    page = (ROOT / "docs" / "codebook.md").read_text("utf-8")
    found = re.search(r"<!-- codebook-example -->\n```yaml\n(.*?)```", page, re.S)
    assert found is not None, "docs/codebook.md lost its tested example"
    return found.group(1)


def test_the_user_example_of_the_docs_changes_the_output(
    pipeline: sitrep.Pipeline, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "my_codebook.yaml"
    path.write_text(_docs_example(), "utf-8")
    user = sitrep.Pipeline(settings.with_overrides({"extract": {"codebook_files": [str(path)]}}))
    generators = "Germany sent generators to Ukraine on Monday."
    assert _coded(pipeline, generators, "sent") == set()
    assert _coded(user, generators, "sent") == {("AID", "070")}
    diplomats = "Poland expelled two Russian diplomats on Monday."
    assert _coded(pipeline, diplomats, "expelled") == {("SANCTION", "166")}
    assert _coded(user, diplomats, "expelled") == {("SANCTION", "161")}
    # The user's rule has its own example, checked like the packaged ones.
    (rule,) = [r for r in user.extractor.knowledge.codebook.rules if r.id == "expel-diplomats"]
    assert _coded(user, rule.example.text, rule.example.trigger) == {("SANCTION", "161")}


def _load(tmp_path: Path, text: str) -> tuple[str, ...]:
    path = tmp_path / "user.yaml"
    path.write_text(text, "utf-8")
    return (str(path),)


def test_a_user_rule_replaces_the_rule_of_its_id_in_place(tmp_path: Path) -> None:
    text = """
rules:
  - id: give-details
    why: Mine.
    when: {pos: VERB, lemmas: [provide], objects: [detail]}
    then: none
    example: {text: "Russia provided no details.", trigger: provided, type: null}
  - id: first-of-all
    why: Mine too.
    before: share-information
    when: {lemmas: [veto]}
    then: {type: REJECT, cameo: "120"}
    example: {text: "Russia vetoed the resolution.", trigger: vetoed, type: REJECT, cameo: "120"}
"""
    book = load_codebook(_load(tmp_path, text))
    ids = [r.id for r in book.rules]
    assert ids[0] == "first-of-all"
    assert ids[1:] == [r.id for r in PACKAGED.rules]
    (mine,) = [r for r in book.rules if r.id == "give-details"]
    assert mine.when.lemmas == frozenset({"provide"})


def test_a_user_class_replaces_or_extends(tmp_path: Path) -> None:
    text = """
classes:
  arms: {why: Fewer., words: [Tank]}
  goods: {why: More., add: [generator]}
"""
    book = load_codebook(_load(tmp_path, text))
    assert book.words("arms") == frozenset({"tank"})
    assert book.words("goods") == PACKAGED.words("goods") | {"generator"}
    (rule,) = [r for r in book.rules if r.id == "give-arms"]
    assert rule.when.objects == frozenset({"tank"})  # rules read the replaced class


_RULE = """
rules:
  - id: mine
    why: Test.
    when: {WHEN}
    then: {THEN}
    example: {text: "Russia vetoed it.", trigger: vetoed, type: REJECT, cameo: "120"}
"""


@pytest.mark.parametrize(
    ("when", "then", "message"),
    [
        ("{lemmas: [veto], objetcs: [plan]}", '{type: REJECT, cameo: "120"}', "unknown key"),
        ("{lemmas: [veto]}", '{type: REFUSE, cameo: "120"}', "not a PLOVER type"),
        ("{lemmas: [veto]}", '{type: REJECT, cameo: "99"}', "not a CAMEO code"),
        ("{lemmas: [veto]}", "{type: REJECT, cameo: 120}", "not a CAMEO code"),
        ("{lemmas: no_such_class}", "none", "names no class"),
        ("{lemmas: [veto], check: clever}", "none", "unknown check"),
        ("{lemmas: [veto, on]}", "none", "list of words"),
        ("{lemmas: [veto], prep_objects: {on: [plan]}}", "none", "quote it"),
        ("{pos: ADJ}", "none", "VERB or NOUN"),
        ("{lemmas: [veto], lexicon_types: [REFUSE]}", "none", "PLOVER types"),
        ("{}", "none", "non-empty"),
    ],
)
def test_a_bad_rule_is_refused_with_a_coded_error(
    tmp_path: Path, when: str, then: str, message: str
) -> None:
    text = _RULE.replace("{WHEN}", when).replace("{THEN}", then)
    with pytest.raises(CodebookError, match=message) as caught:
        load_codebook(_load(tmp_path, text))
    assert str(caught.value).startswith("[E013]")
    assert str(tmp_path / "user.yaml") in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 2\n", "version"),
        ("rules: {}\n", "must be a list"),
        ("clases: {}\n", "unknown key"),
        ("classes: {arms: [tank]}\n", "mapping"),
        ("classes: {new_one: {why: x, add: [tank]}}\n", "does not exist"),
        ("rules: [{id: x, why: y, when: {lemmas: [a]}, then: none}]\n", "needs `example`"),
        (
            "rules: [{id: x, why: y, before: nope, when: {lemmas: [a]}, then: none,"
            " example: {text: a b, trigger: a, type: null}}]\n",
            "names no rule",
        ),
        (
            "rules: [{id: x, why: y, when: {lemmas: [a]}, then: none,"
            " example: {text: b c, trigger: a, type: null}}]\n",
            "containing `trigger`",
        ),
        # A YAML tag that would run code with an unsafe loader is refused as bad YAML.
        ("classes: !!python/object/apply:os.system ['true']\n", "cannot read"),
        ("[unclosed\n", "cannot read"),
        (
            "implied: [{id: x, why: y, when: {factuality: [maybe]}, then: none,"
            " example: {text: a b, trigger: a, type: null}}]\n",
            "factuality",
        ),
        (
            "implied: [{id: x, why: y, when: {event_types: [AGREE]}, then: keep,"
            " example: {text: a b, trigger: a, type: null}}]\n",
            "none or",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_coded_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(CodebookError, match=message) as caught:
        load_codebook(_load(tmp_path, text))
    assert caught.value.code == "E013"


def test_a_missing_user_file_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="cannot read"):
        load_codebook((str(tmp_path / "absent.yaml"),))
