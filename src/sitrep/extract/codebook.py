"""The coding rules as data: load data/codebook.yaml plus user files into a frozen `Codebook`.

The codebook holds named word classes and an ordered list of rules ("a trigger whose lemma
is in class A, with an object in class B → type, mode, CAMEO code"); extract/event_rules.py
interprets them. User files (setting `extract.codebook_files`) replace a class or rule of
the same name/id or add new ones. Everything is checked here, once, so a bad file fails at
start-up with a `CodebookError` naming the file and the key, never in the middle of a run.
Files are read with `yaml.safe_load`: a codebook is data and can never run code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeGuard, get_args

import yaml

from sitrep.errors import CodebookError
from sitrep.extract.lexicons import Trigger
from sitrep.model.vocab import FACTUALITIES, PLOVER_TYPES, EventType, Factuality, is_event_type

CODEBOOK_VERSION = 1

# The structural checks a rule can name (`check:` / `unless:`); each is a small function
# over the dependency parse in extract/event_rules.py, where the parse, not a word list,
# decides ("insisted he resign" demands, "insisted it had not attacked" asserts).
CheckName = Literal[
    "demanding", "asks_for", "to_clause", "anonymity", "to_place", "from_storage", "must",
    "refused", "names_a_fault", "warns_of_what_is", "owned_or_dated", "says_that",
    "serves_an_inquiry", "done_by_protest", "named_as_a_fault", "forces_subject",
]  # fmt: skip
CHECK_NAMES: tuple[CheckName, ...] = get_args(CheckName)

# The classes the Python reads by name (event_rules, events, event_filters, modality), beyond the
# rules: every codebook must have them.
REQUIRED_CLASSES = (
    "stores", "threat_nouns", "saying_verbs", "will_auxiliaries", "intending_words",
    "event_containers", "motion_verbs", "denied_facts", "ordering_verbs", "ordered_forces",
    "demanding_verbs", "demanding_nouns", "threatening_verbs", "fault_words", "drawing_verbs",
    "harm_to_come", "casualty_verbs", "forbidding_verbs", "permitting_verbs",
    "future_heads", "negating_heads", "weighing_heads",
)  # fmt: skip

Pos = Literal["VERB", "NOUN"]
# "keep": the lexicon's own reading stands and no later rule is tried.
Outcome = Trigger | Literal["keep"] | None

# A CAMEO code: a two-digit root 01-20, then up to two more digits ("0871", "1724").
_CAMEO = re.compile(r"^(0[1-9]|1[0-9]|20)[0-9]{0,2}$")
_PlacedRules = dict[str, tuple[dict[str, Any], str]]
_TOP_KEYS = {"version", "classes", "rules", "implied"}
_CLASS_KEYS = {"why", "words", "add"}
_RULE_KEYS = {"id", "why", "when", "then", "example", "before"}
_IMPLIED_WHEN_KEYS = {"factuality", "event_types", "check"}
_EXAMPLE_KEYS = {"text", "trigger", "type", "cameo"}
_WORD_CONDITIONS = {
    "lemmas",
    "objects",
    "objects_outside",
    "noun_objects_outside",
    "governor",
    "head",
    "modifiers",
    "children",
    "no_children",
}
_WHEN_KEYS = _WORD_CONDITIONS | {
    "pos",
    "lexicon_types",
    "no_objects",
    "prep",
    "prep_objects",
    "sentence_contains",
    "check",
    "unless",
}


@dataclass(frozen=True, slots=True)
class When:
    """A rule's conditions; every one that is set must hold (docs/codebook.md)."""

    pos: Pos | None = None
    lemmas: frozenset[str] | None = None
    lexicon_types: frozenset[EventType] | None = None
    objects: frozenset[str] | None = None
    objects_outside: frozenset[str] | None = None
    noun_objects_outside: frozenset[str] | None = None
    no_objects: bool = False
    governor: frozenset[str] | None = None
    head: frozenset[str] | None = None
    modifiers: frozenset[str] | None = None
    children: frozenset[str] | None = None
    no_children: frozenset[str] | None = None
    prep: str | None = None
    prep_objects: tuple[str, frozenset[str]] | None = None
    sentence_contains: str | None = None
    check: CheckName | None = None
    unless: CheckName | None = None


@dataclass(frozen=True, slots=True)
class RuleExample:
    """A sentence the rule decides, and what the whole pipeline must make of its trigger
    (`type` None: no event on it)."""

    text: str
    trigger: str
    type: EventType | None
    cameo: str | None


@dataclass(frozen=True, slots=True)
class CodebookRule:
    id: str
    why: str
    when: When
    then: Outcome
    example: RuleExample


@dataclass(frozen=True, slots=True)
class ImpliedWhen:
    """The conditions of an implied rule on the event found (all that are set must hold)."""

    factuality: frozenset[Factuality] | None = None
    event_types: frozenset[EventType] | None = None
    check: CheckName | None = None


@dataclass(frozen=True, slots=True)
class ImpliedRule:
    """The speech act a non-factual event implies ("will meet" → AGREE), or None: no
    implied event. The example's trigger is where the implied event sits ("will")."""

    id: str
    why: str
    when: ImpliedWhen
    then: Trigger | None
    example: RuleExample


@dataclass(frozen=True, slots=True)
class Codebook:
    version: int
    classes: Mapping[str, frozenset[str]]
    rules: tuple[CodebookRule, ...]
    implied: tuple[ImpliedRule, ...] = ()

    def words(self, name: str) -> frozenset[str]:
        return self.classes[name]


def load_codebook(extra_files: tuple[str, ...] = ()) -> Codebook:
    """The packaged codebook with `extra_files` layered on top, in order (later files win)."""
    text = resources.files("sitrep").joinpath("data", "codebook.yaml").read_text("utf-8")
    layers = [("data/codebook.yaml", yaml.safe_load(text))]
    layers += [(path, _read_user(path)) for path in extra_files]
    classes: dict[str, frozenset[str]] = {}
    raw_rules: _PlacedRules = {}  # id → (rule, file); insertion order is rule order
    raw_implied: _PlacedRules = {}
    for where, table in layers:
        _check_top(where, table)
        for name, entry in (table.get("classes") or {}).items():
            classes[str(name)] = _class_words(where, str(name), entry, classes)
        for raw in table.get("rules") or []:
            raw_rules = _place_rule(where, raw, raw_rules)
        for raw in table.get("implied") or []:
            raw_implied = _place_rule(where, raw, raw_implied)
    missing = [name for name in REQUIRED_CLASSES if name not in classes]
    if missing:
        raise CodebookError(f"the codebook lacks the class(es) {', '.join(missing)}")
    rules = tuple(_rule(where, raw, classes) for raw, where in raw_rules.values())
    implied = tuple(_implied_rule(where, raw) for raw, where in raw_implied.values())
    # A read-only view: the codebook is shared by every article and must not change.
    return Codebook(CODEBOOK_VERSION, MappingProxyType(classes), rules, implied)


def _read_user(path: str) -> Any:
    try:
        return yaml.safe_load(Path(path).read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CodebookError(f"cannot read codebook file {path}: {exc}") from exc


def _check_top(where: str, table: Any) -> None:
    if not isinstance(table, dict):
        raise CodebookError(f"{where}: a codebook file is a mapping (version, classes, rules)")
    _no_unknown_keys(where, "the file", table, _TOP_KEYS)
    version = table.get("version", CODEBOOK_VERSION)
    if version != CODEBOOK_VERSION:
        raise CodebookError(f"{where}: codebook version {version!r}, expected {CODEBOOK_VERSION}")
    if not isinstance(_or_empty(table.get("classes"), {}), dict):
        raise CodebookError(f"{where}: `classes` must be a mapping of name → words")
    for key in ("rules", "implied"):
        if not isinstance(_or_empty(table.get(key), []), list):
            raise CodebookError(f"{where}: `{key}` must be a list")


def _or_empty(value: Any, empty: Any) -> Any:
    """An absent or empty (`rules:`) section is an empty one."""
    return empty if value is None else value


def _no_unknown_keys(where: str, what: str, table: dict[str, Any], known: set[str]) -> None:
    unknown = sorted(str(k) for k in table if k not in known)
    if unknown:
        raise CodebookError(
            f"{where}: {what} has unknown key(s) {', '.join(unknown)} "
            f"(known: {', '.join(sorted(known))})"
        )


def _class_words(
    where: str, name: str, entry: Any, classes: dict[str, frozenset[str]]
) -> frozenset[str]:
    """A class's words: `words` replaces the class, `add` extends an existing one."""
    if not isinstance(entry, dict):
        raise CodebookError(f"{where}: class {name!r} must be a mapping with `words` or `add`")
    _no_unknown_keys(where, f"class {name!r}", entry, _CLASS_KEYS)
    if ("words" in entry) == ("add" in entry):
        raise CodebookError(f"{where}: class {name!r} needs exactly one of `words` or `add`")
    if "add" in entry and name not in classes:
        raise CodebookError(f"{where}: class {name!r}: `add` extends a class that does not exist")
    words = _word_list(where, f"class {name!r}", entry.get("words", entry.get("add")))
    return classes[name] | words if "add" in entry else words


def _word_list(where: str, what: str, value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        # YAML reads a bare yes/no/on/off as a boolean: such words must be quoted.
        raise CodebookError(f"{where}: {what}: expected a list of words (quote yes/no/on/off)")
    return frozenset(w.lower() for w in value)


def _place_rule(where: str, raw: Any, rules: _PlacedRules) -> _PlacedRules:
    """`rules` with `raw` in place: replacing the rule of its id, before the rule named by
    `before`, or at the end."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise CodebookError(f"{where}: every rule is a mapping with an `id`")
    _no_unknown_keys(where, f"rule {raw['id']!r}", raw, _RULE_KEYS)
    placed = dict(rules)
    rule_id, before = raw["id"], raw.get("before")
    if rule_id in placed or before is None:
        placed[rule_id] = (raw, where)
        return placed
    if before not in placed:
        raise CodebookError(f"{where}: rule {rule_id!r}: `before` names no rule ({before!r})")
    ordered: _PlacedRules = {}
    for key, value in placed.items():
        if key == before:
            ordered[rule_id] = (raw, where)
        ordered[key] = value
    return ordered


def _rule(where: str, raw: dict[str, Any], classes: Mapping[str, frozenset[str]]) -> CodebookRule:
    what = f"rule {raw['id']!r}"
    for key in ("why", "when", "then", "example"):
        if key not in raw:
            raise CodebookError(f"{where}: {what} needs `{key}`")
    return CodebookRule(
        id=raw["id"],
        why=str(raw["why"]),
        when=_when(where, what, raw["when"], classes),
        then=_outcome(where, what, raw["then"]),
        example=_example(where, what, raw["example"]),
    )


def _implied_rule(where: str, raw: dict[str, Any]) -> ImpliedRule:
    what = f"implied rule {raw['id']!r}"
    for key in ("why", "when", "then", "example"):
        if key not in raw:
            raise CodebookError(f"{where}: {what} needs `{key}`")
    when = raw["when"]
    if not isinstance(when, dict) or not when:
        raise CodebookError(f"{where}: {what}: `when` must be a non-empty mapping")
    _no_unknown_keys(where, f"{what} `when`", when, _IMPLIED_WHEN_KEYS)
    then = _outcome(where, what, raw["then"])
    if then == "keep":
        raise CodebookError(f"{where}: {what}: `then` is none or {{type, mode, cameo}}")
    return ImpliedRule(
        id=raw["id"],
        why=str(raw["why"]),
        when=ImpliedWhen(
            factuality=_factualities(where, what, when.get("factuality")),
            event_types=_types(where, what, when.get("event_types")),
            check=_check(where, what, when.get("check")),
        ),
        then=then,
        example=_example(where, what, raw["example"]),
    )


def _factualities(where: str, what: str, value: Any) -> frozenset[Factuality] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(v in FACTUALITIES for v in value):
        raise CodebookError(
            f"{where}: {what}: `factuality` lists values of {', '.join(FACTUALITIES)}"
        )
    return frozenset(value)


def _when(where: str, what: str, raw: Any, classes: Mapping[str, frozenset[str]]) -> When:
    if not isinstance(raw, dict) or not raw:
        raise CodebookError(f"{where}: {what}: `when` must be a non-empty mapping")
    _no_unknown_keys(where, f"{what} `when`", raw, _WHEN_KEYS)
    words = {
        key: _words(where, f"{what} `{key}`", raw[key], classes)
        for key in _WORD_CONDITIONS
        if key in raw
    }
    pos = raw.get("pos")
    if pos not in (None, "VERB", "NOUN"):
        raise CodebookError(f"{where}: {what}: `pos` is VERB or NOUN, not {pos!r}")
    return When(
        pos=pos,
        lexicon_types=_types(where, what, raw.get("lexicon_types")),
        no_objects=bool(raw.get("no_objects", False)),
        prep=_text(where, what, "prep", raw.get("prep")),
        prep_objects=_prep_objects(where, what, raw.get("prep_objects"), classes),
        sentence_contains=_text(where, what, "sentence_contains", raw.get("sentence_contains")),
        check=_check(where, what, raw.get("check")),
        unless=_check(where, what, raw.get("unless")),
        **words,
    )


def _words(
    where: str, what: str, value: Any, classes: Mapping[str, frozenset[str]]
) -> frozenset[str]:
    """A class by name, or the words listed in place."""
    if isinstance(value, str):
        if value not in classes:
            raise CodebookError(f"{where}: {what} names no class ({value!r})")
        return classes[value]
    return _word_list(where, what, value)


def _types(where: str, what: str, value: Any) -> frozenset[EventType] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(is_event_type(v) for v in value):
        raise CodebookError(
            f"{where}: {what}: the types listed must be PLOVER types ({', '.join(PLOVER_TYPES)})"
        )
    return frozenset(value)


def _text(where: str, what: str, key: str, value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise CodebookError(f"{where}: {what}: `{key}` must be text")
    return value.lower() if value is not None else None


def _prep_objects(
    where: str, what: str, value: Any, classes: Mapping[str, frozenset[str]]
) -> tuple[str, frozenset[str]] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or len(value) != 1:
        raise CodebookError(f"{where}: {what}: `prep_objects` is one `preposition: class`")
    ((prep, words),) = value.items()
    if not isinstance(prep, str):
        # YAML 1.1 reads a bare `on` or `off` as a boolean: the preposition must be quoted
        raise CodebookError(
            f"{where}: {what}: `prep_objects` preposition {prep!r} is not a word (quote it)"
        )
    return prep.lower(), _words(where, f"{what} `prep_objects`", words, classes)


def _is_check(value: object) -> TypeGuard[CheckName]:
    return value in CHECK_NAMES


def _check(where: str, what: str, value: Any) -> CheckName | None:
    if value is None:
        return None
    if not _is_check(value):
        raise CodebookError(
            f"{where}: {what}: unknown check {value!r} (one of {', '.join(CHECK_NAMES)})"
        )
    return value


def _event_type(where: str, what: str, value: Any) -> EventType:
    if not is_event_type(value):
        raise CodebookError(
            f"{where}: {what}: {value!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})"
        )
    return value


def _cameo(where: str, what: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _CAMEO.match(value):
        raise CodebookError(
            f'{where}: {what}: {value!r} is not a CAMEO code (quoted digits such as "081")'
        )
    return value


def _outcome(where: str, what: str, raw: Any) -> Outcome:
    if raw == "none":
        return None
    if raw == "keep":
        return "keep"
    if not isinstance(raw, dict):
        raise CodebookError(f"{where}: {what}: `then` is none, keep or {{type, mode, cameo}}")
    _no_unknown_keys(where, f"{what} `then`", raw, {"type", "mode", "cameo"})
    mode = raw.get("mode")
    return Trigger(
        _event_type(where, what, raw.get("type")),
        _text(where, what, "mode", mode),
        _cameo(where, what, raw.get("cameo")),
    )


def _example(where: str, what: str, raw: Any) -> RuleExample:
    if not isinstance(raw, dict):
        raise CodebookError(f"{where}: {what}: `example` is {{text, trigger, type, cameo}}")
    _no_unknown_keys(where, f"{what} `example`", raw, _EXAMPLE_KEYS)
    text, trigger = raw.get("text"), raw.get("trigger")
    if not isinstance(text, str) or not isinstance(trigger, str) or trigger not in text:
        raise CodebookError(f"{where}: {what}: the example needs a `text` containing `trigger`")
    kind = raw.get("type")
    return RuleExample(
        text=text,
        trigger=trigger,
        type=None if kind is None else _event_type(where, what, kind),
        cameo=_cameo(where, what, raw.get("cameo")),
    )
