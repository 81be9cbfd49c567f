"""The C heap of a process that watches for days (`sitrep watch`, `serve --watch`).

glibc's malloc maps a large block (128 KB and more) on its own and unmaps it when freed,
but after each such free it raises that threshold to the freed block's size (up to
32 MB). A poll over a growing store allocates somewhat larger blocks each time (its
working set grows with the store), so after the first polls they all come from the heap
and each poll leaves holes that the next, larger blocks do not fit: glibc's free heap grew
~65 KB a poll over 200 polls of a local feed and was never given back. A fixed threshold
keeps large blocks mapped, so freeing them returns the memory (docs/performance.md,
"Store or leak").
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

# mallopt's parameter number for the mmap threshold (glibc's malloc.h).
_M_MMAP_THRESHOLD = -3


def fix_mmap_threshold(threshold: int) -> bool:
    """Fix glibc's mmap threshold at `threshold` bytes for this process (0: leave glibc's
    adaptive default). True when it was set; False with 0, on a C library other than
    glibc (macOS, musl), or when glibc refuses the value."""
    if threshold <= 0 or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # noqa: B018 (only glibc has it: musl's mallopt is a no-op)
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, threshold))
