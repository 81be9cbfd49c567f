"""What a user file was when it was read (its size and modification time), so objects that
live across polls (`sitrep watch`, the server) read it again only when it changed:
analyze/alert_config.py (watchlists, weights) and kb/state_media.py (actor files)."""

from __future__ import annotations

import os
from collections.abc import Sequence

FileStamp = tuple[str, int, int]  # path, size, modification time (ns); -1 when unreadable


def file_stamps(files: Sequence[str]) -> tuple[FileStamp, ...]:
    """Each file's size and modification time, `~` expanded ((path, -1, -1) when it
    cannot be read: reading it then fails with its loader's own message)."""
    found: list[FileStamp] = []
    for name in files:
        path = os.path.expanduser(name)
        try:
            info = os.stat(path)
        except OSError:
            found.append((path, -1, -1))
            continue
        found.append((path, info.st_size, info.st_mtime_ns))
    return tuple(found)
