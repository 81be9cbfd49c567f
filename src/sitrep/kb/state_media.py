"""The names of the state-media outlets, kept by what resolves the store on every poll.

Resolution needs only these names (corroboration flags a story reported by state media
alone), yet reading them means building the whole actor KB: about 0.4 s and a 5.6 MB
working set of Python objects, on every resolution. `sitrep watch` and the server resolve
after every poll or request, so they keep one `StateMedia`; `current_state_media` builds
the KB again only when one of the user's actor files changed (its size or modification
time), so an edited file still counts from the next poll on, as the alert rules do
(analyze/alert_config.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sitrep.kb.actors import ActorKB, state_media_names
from sitrep.model.files import FileStamp, file_stamps


@dataclass(frozen=True, slots=True)
class StateMedia:
    names: frozenset[str]  # every name and alias of the state-media outlets
    files: tuple[str, ...]  # the user's actor files, as named in the settings
    stamps: tuple[FileStamp, ...]  # those files as they were when read


def load_state_media(actor_files: Sequence[str]) -> StateMedia:
    """The state-media names of the packaged actor KB with these user files."""
    files = tuple(actor_files)
    stamps = file_stamps(files)
    names = state_media_names(ActorKB.load(extra_files=files))
    return StateMedia(names, files, stamps)


def current_state_media(kept: StateMedia | None, actor_files: Sequence[str]) -> StateMedia:
    """`kept` when it was read from these files and none changed since, else read again."""
    files = tuple(actor_files)
    if kept is not None and kept.files == files and kept.stamps == file_stamps(files):
        return kept
    return load_state_media(files)
