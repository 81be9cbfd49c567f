"""Docs are generated from the code; these tests fail when they drift apart."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_doc_is_current() -> None:
    expected = _script("gen_docs").render()
    assert (ROOT / "docs" / "cli.md").read_text("utf-8") == expected, (
        "docs/cli.md is stale: run scripts/gen_docs.py"
    )


def test_settings_doc_is_current() -> None:
    expected = _script("gen_docs").render_settings()
    assert (ROOT / "docs" / "settings.md").read_text("utf-8") == expected


def test_schema_file_is_current() -> None:
    module = _script("build_schema")
    assert module.TARGET.read_text("utf-8") == module.render(), "run scripts/build_schema.py"


def _schema_paths(schema: dict[str, Any]) -> set[str]:
    """`Def.field` for every property of every definition, plus top-level and article fields."""
    paths = set()
    for name, definition in schema["$defs"].items():
        for prop, sub in definition["properties"].items():
            paths.add(f"{name}.{prop}")
            inner = sub.get("anyOf", [sub])[0]
            for nested in inner.get("properties", {}):
                paths.add(f"{name}.{prop}.{nested}")
    for prop, sub in schema["properties"].items():
        paths.add(prop)
        for nested in sub.get("properties", {}):
            paths.add(f"{prop}.{nested}")
    return paths


def test_every_schema_field_is_documented_and_every_documented_field_exists() -> None:
    schema = json.loads((ROOT / "src" / "sitrep" / "data" / "output.schema.json").read_text())
    documented = set(
        re.findall(r"^\| `([A-Za-z0-9_.]+)` \|", (ROOT / "docs" / "schema.md").read_text(), re.M)
    )
    paths = _schema_paths(schema)
    # Entity repeats Participant's fields; the doc states that once.
    paths = {p for p in paths if not (p.startswith("Entity.") and p != "Entity.label")}
    assert paths - documented == set(), "fields missing from docs/schema.md"
    assert documented - paths == set(), "docs/schema.md documents fields the schema lacks"


def test_readme_has_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make demo" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "make test" in ci


def test_error_codes_are_unique_and_documented() -> None:
    from sitrep.errors import SitrepError

    def walk(cls: type[SitrepError]) -> list[type[SitrepError]]:
        return [cls, *(c for sub in cls.__subclasses__() for c in walk(sub))]

    classes = walk(SitrepError)
    codes = [cls.code for cls in classes]
    assert len(codes) == len(set(codes)), codes
    cli_doc = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text("utf-8")
    for cls in classes:
        assert f"| `{cls.code}` | `{cls.__name__}` |" in cli_doc


def test_every_reject_code_is_documented_used_and_declared_once() -> None:
    from typing import get_args

    from sitrep.errors import REJECT_CODES, RejectCode

    declared = get_args(RejectCode)
    assert tuple(REJECT_CODES) == declared, "REJECT_CODES must give every RejectCode a meaning"
    cli_doc = (ROOT / "docs" / "cli.md").read_text("utf-8")
    section = cli_doc.split("## Reject codes", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `(R\d{3})` \| (.+) \|$", section, re.M)
    assert documented == list(REJECT_CODES.items()), "docs/cli.md Reject codes are stale"
    # Every code some reader can produce is declared, and every declared code is produced.
    used = {
        code
        for path in (ROOT / "src" / "sitrep").rglob("*.py")
        if path.name != "errors.py"
        for code in re.findall(r"\"(R\d{3})\"", path.read_text("utf-8"))
    }
    assert used == set(declared), used ^ set(declared)


def test_the_ontology_doc_names_every_event_type_and_factuality() -> None:
    from sitrep.model import FACTUALITIES, PLOVER_TYPES

    ontology = (ROOT / "docs" / "ontology.md").read_text("utf-8")
    listed = ontology.split("(Open Event Data Alliance, draft 2.0):", 1)[1].split(".", 1)[0]
    assert [t.strip() for t in listed.split(",")] == list(PLOVER_TYPES)
    section = ontology.split("## Factuality", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^\| `([a-z]+)` \|", section, re.M) == list(FACTUALITIES)
