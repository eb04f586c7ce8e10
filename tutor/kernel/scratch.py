"""The kernels' scratch directories: one area per tutor, one directory per fork in it.

    $TMPDIR/tutor-kernel-XXXX/      the area, mode 700, removed when the tutor closes
        owner.lock                  flock-ed by the tutor for its whole life
        forks/                      the fork server's only writable directory
            k1/ k2/ ...             one per fork: its cwd, HOME and TMPDIR, and the only
                                    directory its own Landlock layer lets it write

A fork's directory is removed as soon as the fork has ended, so a restarted kernel starts
with an empty scratch. An area whose lock nobody holds belongs to a tutor that died
(kill -9 releases the lock): `remove_stale` deletes it when the next tutor starts.
Standard library only: the UI process uses it.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PREFIX = "tutor-kernel-"
LOCK_NAME = "owner.lock"
FORKS = "forks"


class ScratchArea:
    """This tutor's scratch area, locked for as long as the object lives."""

    def __init__(self, parent: Path | None = None) -> None:
        remove_stale(parent)
        self.root = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
        # Locked before it is visible under its name: a lock file nobody holds is stale.
        unnamed = self.root / f".{LOCK_NAME}.new"
        self._lock = open(unnamed, "w")  # noqa: SIM115 (held until close)
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        unnamed.rename(self.root / LOCK_NAME)
        self.forks = self.root / FORKS
        self.forks.mkdir(mode=0o700)
        self._numbers = itertools.count(1)

    def new_fork_dir(self) -> Path:
        """A fresh, empty directory for one fork."""
        while True:
            path = self.forks / f"k{next(self._numbers)}"
            try:
                path.mkdir(mode=0o700)
            except FileExistsError:
                continue
            return path

    def close(self) -> None:
        """Remove the whole area and release the lock."""
        remove_tree(self.root)
        with contextlib.suppress(OSError):
            self._lock.close()


def remove_tree(path: Path) -> None:
    """Remove `path` and everything in it, whatever modes the kernel left inside."""

    def make_writable(_function: Any, failed: str, _info: Any) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(failed) or ".", 0o700)
            if os.path.isdir(failed) and not os.path.islink(failed):
                os.chmod(failed, 0o700)
                shutil.rmtree(failed, ignore_errors=True)
            else:
                os.unlink(failed)

    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(path, onerror=make_writable)


def remove_stale(parent: Path | None = None) -> list[Path]:
    """Delete the scratch areas of tutors that are gone; returns what was removed.

    Only this user's areas with a lock file nobody holds are removed. An area without a
    lock file is left alone: it may be one another tutor is making at this moment, or
    one of an older tutor (which used no lock) that is still running.
    """
    base = Path(parent or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        candidates = [p for p in base.iterdir() if p.name.startswith(PREFIX)]
    except OSError:
        return removed
    for area in candidates:
        try:
            info = area.lstat()
        except OSError:
            continue
        if info.st_uid != os.geteuid() or not area.is_dir() or area.is_symlink():
            continue
        if _abandoned(area):
            remove_tree(area)
            removed.append(area)
            log.info("removed the stale kernel scratch %s", area)
    return removed


def _abandoned(area: Path) -> bool:
    try:
        lock = os.open(area / LOCK_NAME, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held (BlockingIOError) or not lockable: not ours to remove
        return False
    else:
        fcntl.flock(lock, fcntl.LOCK_UN)
        return True
    finally:
        os.close(lock)
