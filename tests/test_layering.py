"""The folders show a one-way flow: a module may import its own layer and the layers before
it, never a later one. `run/` composes and `cli.py` prints, so they (and the package's lazy
Python API in `sitrep/__init__.py`) may import anything. Every import counts, including
those inside functions and under `TYPE_CHECKING`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "sitrep"

# In flow order; a module's layer is its folder, or its own name at the top level.
LAYERS = [
    ("errors", "settings"),
    ("model",),
    ("ingest",),
    ("nlp",),
    ("kb",),
    ("extract",),
    ("resolve",),
    ("store",),
    ("analyze",),
    ("deliver",),
    ("finish",),
    ("eval",),
    ("views",),
]
COMPOSERS = {"run", "cli", "cli_args", "__main__", "__init__"}
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _layer(module: str) -> str:
    """`sitrep.extract.service` → "extract"; `sitrep` alone → "__init__"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_of(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, imported sitrep module) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_of(path, root)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("sitrep")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name == "sitrep":  # `from sitrep import x`: x is the imported module or name
                found += [(node.lineno, f"sitrep.{a.name}") for a in node.names]
            elif name.startswith("sitrep."):
                found.append((node.lineno, name))
    return found


def layering_violations(root: Path = SRC) -> list[str]:
    violations = []
    for path in sorted(root.rglob("*.py")):
        layer = _layer(_module_of(path, root)) if path.parent != root else path.stem
        if layer in COMPOSERS:
            continue
        assert layer in RANK, f"{path}: layer {layer!r} is not placed in LAYERS"
        for line, target in _imports(path, root):
            other = _layer(target)
            # Names of the package itself (`from sitrep import __version__`) are no layer.
            later = other in RANK and RANK[other] > RANK[layer]
            if later or other in COMPOSERS - {"__init__"}:
                violations.append(f"{path.relative_to(root)}:{line} ({layer}) imports {target}")
    return violations


def test_nothing_imports_a_later_layer() -> None:
    assert layering_violations() == []


@pytest.mark.parametrize(
    ("module", "source", "bad"),
    [
        ("eval/x.py", "from sitrep.run.local import run_to_store\n", True),
        ("views/x.py", "def f():\n    from sitrep.cli import main\n", True),
        ("extract/x.py", "from sitrep.store.write import write_batch\n", True),
        ("kb/x.py", "from ..views import render\n", True),
        ("store/x.py", "from sitrep.extract.service import Extractor\n", False),
        ("views/x.py", "from sitrep.finish import finish\n", False),
        ("nlp/x.py", "from sitrep import __version__\n", False),
    ],
)
def test_the_check_catches_an_upward_import(
    tmp_path: Path, module: str, source: str, bad: bool
) -> None:
    # The checker itself, on a made-up tree: an upward import is reported, others are not.
    root = tmp_path / "sitrep"
    target = root / module
    target.parent.mkdir(parents=True)
    (target.parent / "__init__.py").write_text("", encoding="utf-8")
    (root / "__init__.py").write_text("", encoding="utf-8")
    target.write_text(source, encoding="utf-8")
    assert bool(layering_violations(root)) is bad
