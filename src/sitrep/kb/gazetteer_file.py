"""The gazetteer index file: plain numeric arrays in a NumPy `.npz` archive, never a pickle.

A cache file lives in the user's home and can be named by a setting, so it is input like
any other: it is read with `allow_pickle=False` (NumPy then refuses object arrays, the one
way an `.npz` could carry code), its header names the format and version, and every array
is checked for shape, type and range before it is used. A file that fails any check raises
`GazetteerCacheError` (E010) and the caller rebuilds the index from the packaged data.

Strings (place names, admin codes, folded look-up keys) are stored as one UTF-8 blob of
NUL-separated values; the name → rows map as keys, per-key row counts and a flat row list.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
from array import array
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from sitrep.errors import GazetteerCacheError
from sitrep.kb.gazetteer_build import FEATURES, GazetteerIndex

MAGIC = "sitrep-gazetteer"
FILE_VERSION = 2  # 1 was a pickle, refused since it could run code when loaded
_SEP = "\x00"
# array name → (NumPy dtype kind and size, `array` typecode of the in-memory column)
_COLUMNS: dict[str, tuple[str, str]] = {
    "geonameid": ("<i8", "q"),
    "lat": ("<f4", "f"),
    "lon": ("<f4", "f"),
    "population": ("<i8", "q"),
    "feature": ("|u1", "B"),
    "country": ("<u2", "H"),
}
_ARRAYS = frozenset(
    [
        "header",
        *_COLUMNS,
        "admin1",
        "name",
        "countries",
        "name_keys",
        "name_counts",
        "name_rows",
        "preferred_keys",
        "preferred_ids",
    ]
)


def _blob(values: list[str]) -> npt.NDArray[np.uint8]:
    if any(_SEP in v for v in values):
        raise ValueError("a gazetteer string contains NUL")  # the builder's own data: a bug
    return np.frombuffer(_SEP.join(values).encode("utf-8"), dtype=np.uint8)


def _strings(blob: npt.NDArray[Any], count: int, what: str) -> list[str]:
    try:
        text = blob.tobytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GazetteerCacheError(f"{what}: not UTF-8 ({exc.reason})") from exc
    values = text.split(_SEP) if count else []
    if len(values) != count:
        raise GazetteerCacheError(f"{what}: {len(values)} strings where {count} were expected")
    return values


def write_index(index: GazetteerIndex, path: Path) -> int:
    """Write the index atomically (file mode 0600, a new folder 0700); returns its size."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    keys = list(index.names)
    rows = [index.names[k] for k in keys]
    counts = [1 if isinstance(r, int) else len(r) for r in rows]
    flat = [i for r in rows for i in ((r,) if isinstance(r, int) else r)]
    header = {"format": MAGIC, "version": FILE_VERSION, "fingerprint": index.fingerprint}
    arrays: dict[str, npt.NDArray[Any]] = {
        "header": np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
        **{n: np.asarray(getattr(index, n), dtype=dt) for n, (dt, _) in _COLUMNS.items()},
        "admin1": _blob(index.admin1),
        "name": _blob(index.name),
        "countries": _blob([code for pair in index.countries for code in pair]),
        "name_keys": _blob(keys),
        "name_counts": np.asarray(counts, dtype="<u4"),
        "name_rows": np.asarray(flat, dtype="<u4"),
        "preferred_keys": _blob(list(index.preferred)),
        "preferred_ids": np.asarray(list(index.preferred.values()), dtype="<i8"),
    }
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        np.savez(handle, allow_pickle=False, **arrays)
    tmp.replace(path)
    return path.stat().st_size


def _check_owner(path: Path) -> None:
    """Refuse a file another user could have written: it would decide where places are."""
    info = path.stat()
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise GazetteerCacheError(f"{path} belongs to another user")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise GazetteerCacheError(f"{path} is writable by other users")


def _load_arrays(path: Path) -> dict[str, npt.NDArray[Any]]:
    try:
        with np.load(path, allow_pickle=False) as archive:
            if not isinstance(archive, np.lib.npyio.NpzFile):
                raise GazetteerCacheError(f"{path} is a single array, not an index archive")
            if set(archive.files) != _ARRAYS:
                raise GazetteerCacheError(f"{path} does not hold the index's arrays")
            return {name: archive[name] for name in _ARRAYS}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        # NumPy raises ValueError for pickled content when allow_pickle=False
        raise GazetteerCacheError(f"{path} is not a gazetteer index file: {exc}") from exc


def _header(raw: npt.NDArray[Any], want: str) -> None:
    try:
        header = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GazetteerCacheError("unreadable header") from exc
    if not isinstance(header, dict) or header.get("format") != MAGIC:
        raise GazetteerCacheError("not a sitrep gazetteer file")
    if header.get("version") != FILE_VERSION:
        raise GazetteerCacheError(f"file version {header.get('version')!r}, not {FILE_VERSION}")
    if header.get("fingerprint") != want:
        raise GazetteerCacheError("built from other data or code (stale)")


def _column(arrays: dict[str, npt.NDArray[Any]], name: str, size: int) -> array[Any]:
    dtype, code = _COLUMNS[name]
    raw = arrays[name]
    if raw.dtype != np.dtype(dtype) or raw.shape != (size,):
        raise GazetteerCacheError(f"column {name}: {raw.dtype}{raw.shape}, not {dtype}({size},)")
    column: array[Any] = array(code)
    column.frombytes(raw.astype(raw.dtype.newbyteorder("=")).tobytes())
    return column


def _name_map(arrays: dict[str, npt.NDArray[Any]], places: int) -> dict[str, tuple[int, ...] | int]:
    counts, flat = arrays["name_counts"], arrays["name_rows"]
    if counts.dtype != np.dtype("<u4") or flat.dtype != np.dtype("<u4") or counts.ndim != 1:
        raise GazetteerCacheError("name rows: wrong type")
    if int(counts.sum()) != flat.size or (flat.size and int(flat.max()) >= places):
        raise GazetteerCacheError("name rows: counts or row numbers out of range")
    keys = _strings(arrays["name_keys"], counts.size, "name keys")
    names: dict[str, tuple[int, ...] | int] = {}
    rows, start = flat.tolist(), 0
    for key, count in zip(keys, counts.tolist(), strict=True):
        names[key] = rows[start] if count == 1 else tuple(rows[start : start + count])
        start += count
    return names


def read_index(path: Path, want: str) -> GazetteerIndex:
    """The index stored at `path`; GazetteerCacheError unless it is valid and current."""
    _check_owner(path)
    arrays = _load_arrays(path)
    _header(arrays["header"], want)
    size = arrays["geonameid"].shape[0] if arrays["geonameid"].ndim == 1 else -1
    index = GazetteerIndex(want)
    for name in _COLUMNS:
        setattr(index, name, _column(arrays, name, size))
    if index.feature and max(index.feature) >= len(FEATURES):
        raise GazetteerCacheError("feature codes out of range")
    index.admin1 = _strings(arrays["admin1"], size, "admin1")
    index.name = _strings(arrays["name"], size, "names")
    codes = arrays["countries"]
    pairs = _strings(codes, codes.size and codes.tobytes().count(b"\x00") + 1, "countries")
    if len(pairs) % 2:
        raise GazetteerCacheError("countries: odd number of codes")
    index.countries = list(zip(pairs[::2], pairs[1::2], strict=True))
    if index.country and max(index.country) >= len(index.countries):
        raise GazetteerCacheError("country numbers out of range")
    index.names = _name_map(arrays, size)
    ids = arrays["preferred_ids"]
    if ids.dtype != np.dtype("<i8") or ids.ndim != 1:
        raise GazetteerCacheError("preferred ids: wrong type")
    preferred = _strings(arrays["preferred_keys"], ids.size, "preferred names")
    index.preferred = dict(zip(preferred, ids.tolist(), strict=True))
    return index


__all__ = ["FILE_VERSION", "read_index", "write_index"]
