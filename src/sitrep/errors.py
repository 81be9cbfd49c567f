"""One exception tree for sitrep. Every error carries a stable code (E001 …) and a clear message.

Reject codes (R…) name why one input record was refused; they are data, not exceptions.
"""

from __future__ import annotations

from typing import Literal


class SitrepError(Exception):
    """Base of every error sitrep raises on purpose."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.message = message


class ConfigError(SitrepError):
    """A settings file or override is malformed or names an unknown setting."""

    code = "E001"


class UsageError(SitrepError):
    """The command line asks for something impossible (missing input, bad option)."""

    code = "E002"


class ModelLoadError(SitrepError):
    """The configured spaCy pipeline is not installed or lacks a needed component."""

    code = "E003"


class StoreError(SitrepError):
    """The DuckDB store cannot be opened, migrated or written."""

    code = "E004"

    def __init__(self, message: str, *, busy: bool = False) -> None:
        super().__init__(message)
        # Another process held the file lock past the wait allowed: retrying can succeed.
        self.busy = busy


class KnowledgeBaseError(SitrepError):
    """A knowledge-base data file (actors, lexicons) is malformed."""

    code = "E005"


class FetchError(SitrepError):
    """A URL could not be fetched safely (private address, too large, timeout, HTTP error)."""

    code = "E006"


class DaskEngineError(SitrepError):
    """The Dask cluster could not be reached or a partition failed on a worker."""

    code = "E008"


class WorkerError(SitrepError):
    """A local extraction worker process (`nlp.n_process` > 1) died before finishing."""

    code = "E009"


class GazetteerCacheError(SitrepError):
    """The gazetteer index file is not a valid, current index (it is then rebuilt)."""

    code = "E010"


class OutputError(SitrepError):
    """An output file or folder (export, brief --out) cannot be written."""

    code = "E011"


class MissingExtraError(SitrepError, ImportError):
    """An optional dependency is not installed (`Rows.df()` and `.arrow()`: `sitrep[frames]`).

    The Python API's results convert to pandas and pyarrow only when those are there."""

    code = "E012"


class CodebookError(KnowledgeBaseError):
    """A codebook file (data/codebook.yaml or `extract.codebook_files`) is malformed: an
    unknown key, class or check, a type that is not PLOVER, a code that is not CAMEO."""

    code = "E013"


class InputRejected(SitrepError):
    """One input record is refused; the run goes on without it.

    `reject_code` is the stable R-code stored in the `rejects` table.
    """

    code = "E007"

    def __init__(self, reject_code: RejectCode, message: str) -> None:
        super().__init__(message)
        self.reject_code = reject_code


# Reject codes: stable, documented in docs/cli.md ("Rejects"). The type makes a mistyped code
# at any `Reject(code=…)` a mypy error; REJECT_CODES gives each one its meaning.
RejectCode = Literal[
    "R001",
    "R002",
    "R003",
    "R004",
    "R005",
    "R006",
    "R007",
    "R008",
    "R009",
    "R010",
    "R011",
    "R012",
]

REJECT_CODES: dict[RejectCode, str] = {
    "R001": "malformed JSON line",
    "R002": "record is not a JSON object or has fields of the wrong type",
    "R003": "no text: missing, empty or whitespace only",
    "R004": "binary content (NUL or control bytes)",
    "R005": "undecodable bytes (not valid UTF-8)",
    "R006": "HTML page without article text",
    "R007": "text larger than ingest.max_chars",
    "R008": "fetch refused or failed (private address, size cap, timeout, HTTP error)",
    "R009": "feed could not be parsed",
    "R010": "unsupported or unreadable input path",
    "R011": "too little text to be an article (below ingest.min_chars)",
    "R012": "compressed input larger than ingest.max_decompressed_bytes once decompressed",
}
