"""kb/state_media.py: the state-media outlets' names, read from the actor KB once and again
only when a user actor file changes."""

from __future__ import annotations

import os
from pathlib import Path

from actor_files import state_outlet_file
from sitrep.kb.actors import ActorKB, state_media_names
from sitrep.kb.state_media import current_state_media, load_state_media
from sitrep.model.files import file_stamps


def test_the_names_are_the_kbs_with_the_users_files(tmp_path: Path) -> None:
    user = state_outlet_file(tmp_path / "outlets.yaml", "Invented State Wire")
    found = load_state_media([user])
    assert found.names == state_media_names(ActorKB.load(extra_files=[user]))
    assert {"TASS", "Invented State Wire"} <= found.names
    assert "Invented State Wire" not in load_state_media([]).names


def test_kept_names_stand_until_an_actor_file_changes(tmp_path: Path) -> None:
    user = state_outlet_file(tmp_path / "outlets.yaml", "Invented State Wire")
    kept = load_state_media([user])
    assert current_state_media(kept, [user]) is kept  # unchanged: not read again
    assert current_state_media(None, [user]) == kept
    assert current_state_media(kept, []).names == load_state_media([]).names  # other files
    state_outlet_file(tmp_path / "outlets.yaml", "Another Invented Broadcaster")
    again = current_state_media(kept, [user])
    assert "Another Invented Broadcaster" in again.names
    assert "Invented State Wire" not in again.names


def test_a_file_rewritten_with_the_same_size_counts_by_its_time(tmp_path: Path) -> None:
    user = state_outlet_file(tmp_path / "outlets.yaml", "Invented State Wire A")
    kept = load_state_media([user])
    state_outlet_file(tmp_path / "outlets.yaml", "Invented State Wire B")
    stat = os.stat(user)
    os.utime(user, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert "Invented State Wire B" in current_state_media(kept, [user]).names


def test_an_unreadable_file_is_stamped_so_it_is_read_and_fails_there(tmp_path: Path) -> None:
    missing = str(tmp_path / "gone.yaml")
    assert file_stamps([missing]) == ((missing, -1, -1),)
