"""Why the progress file could not be read or written, named the way a learner can act on.

SQLite reports a full disk, a file-size limit and a failing disk alike as "disk I/O
error" (`SQLITE_IOERR_WRITE`), and a damaged file as a dozen different errors. The
learner needs the cause and what to do about it, so each failure is mapped to one
`Cause`, looking at the error and then at the file system (free space, the process's
file-size limit, a read-only mount) when the error alone does not say.
"""

from __future__ import annotations

import errno
import os
import resource
import sqlite3
from pathlib import Path
from typing import Literal

Cause = Literal[
    "disk-full",  # no space left where the file lives
    "too-large",  # the process's file-size limit (`ulimit -f`) was reached
    "read-only",  # the file, its folder or the file system cannot be written
    "locked",  # another program held the file's write lock too long
    "damaged",  # the bytes are bad: SQLite's corruption errors, undecodable text, bad rows
    "moved",  # the file was moved or deleted while the tutor had it open
    "io",  # the disk itself failed
    "memory",  # out of memory
    "newer",  # written by a newer tutor: left untouched
    "wal-deleted",  # the file's journal (-wal) was deleted while another tutor used it
    "unknown",
]

#: Below this many free bytes a failed write is put down to a full disk.
NEARLY_FULL = 1 << 20

#: The causes that are about the machine, not the file: waiting (or the learner freeing
#: space) can cure them, so the events are kept and retried.
ENVIRONMENT: frozenset[Cause] = frozenset(
    {"disk-full", "too-large", "read-only", "locked", "moved", "io", "memory", "wal-deleted"}
)


class DamagedRow(ValueError):
    """A row the store read holds a value of the wrong kind (a damaged file)."""


def cause_of(error: BaseException, path: Path | None) -> Cause:
    """The cause of `error`, raised while reading or writing the file at `path`."""
    if isinstance(error, UnicodeDecodeError | DamagedRow):
        return "damaged"
    if isinstance(error, sqlite3.Error):
        return _sqlite_cause(error, path)
    if isinstance(error, OSError):
        return _os_cause(error, path)
    if isinstance(error, MemoryError):
        return "memory"
    return "unknown"


def _sqlite_cause(error: sqlite3.Error, path: Path | None) -> Cause:
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error)
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text:
        return "damaged"
    if "unsupported file format" in text:
        # The header's schema format number (byte 44), 1-4 since 2006: a damaged byte.
        return "damaged"
    if "Could not decode to UTF-8" in text:  # sqlite3's text_factory met a bad byte
        return "damaged"
    if isinstance(error, sqlite3.IntegrityError) and "constraint failed" in text:
        # The store's own statements satisfy every constraint on good rows.
        return "damaged"
    if name == "SQLITE_READONLY_DBMOVED":
        return "moved"
    if name.startswith("SQLITE_READONLY") or name == "SQLITE_PERM":
        return "read-only"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "locked"
    if name == "SQLITE_NOMEM":
        return "memory"
    if name == "SQLITE_FULL":
        return "too-large" if _over_size_limit(path) else "disk-full"
    if name.startswith("SQLITE_CANTOPEN"):
        return _missing_or_read_only(path)
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        return _environment(path)
    return "unknown"


def _os_cause(error: OSError, path: Path | None) -> Cause:
    if error.errno == errno.ENOSPC:
        return "disk-full"
    if error.errno == errno.EFBIG:
        return "too-large"
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "read-only"
    if error.errno in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        return "read-only"  # something else is in the way of the folder or the file
    if error.errno == errno.ENOENT:
        return "moved"
    if error.errno == errno.ENOMEM:
        return "memory"
    if error.errno == errno.EIO:
        return "io"
    return _environment(path)


def _environment(path: Path | None) -> Cause:
    """Look at the file system for what SQLite reported only as an I/O error."""
    if path is None:
        return "io"
    if _over_size_limit(path):
        return "too-large"
    folder = path.parent
    try:
        stats = os.statvfs(folder)
    except OSError:
        return "moved" if not folder.exists() else "io"
    if stats.f_flag & os.ST_RDONLY:
        return "read-only"
    if stats.f_bavail * stats.f_frsize < NEARLY_FULL:
        return "disk-full"
    if not path.exists():
        return "moved"
    if not os.access(folder, os.W_OK) or not os.access(path, os.W_OK):
        return "read-only"
    if _wal_deleted(path):
        return "wal-deleted"
    return "io"


def _wal_deleted(path: Path) -> bool:
    """The shared-memory index describes a WAL, but the WAL is gone (or was recreated
    empty): someone deleted it while a tutor still had the file open."""
    try:
        shm = Path(f"{path}-shm").stat().st_size
    except OSError:
        return False
    try:
        wal = Path(f"{path}-wal").stat().st_size
    except FileNotFoundError:
        wal = 0
    except OSError:
        return False
    return shm > 0 and wal == 0


def _missing_or_read_only(path: Path | None) -> Cause:
    if path is None:
        return "io"
    if not path.parent.exists():
        return "moved"
    return "read-only" if not os.access(path.parent, os.W_OK) else _environment(path)


def _over_size_limit(path: Path | None) -> bool:
    """Whether the file (or its journal) has reached this process's `RLIMIT_FSIZE`."""
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft == resource.RLIM_INFINITY or path is None:
        return False
    largest = 0
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-journal")):
        try:
            largest = max(largest, name.stat().st_size)
        except OSError:
            continue
    # A write is refused when it would cross the limit: SQLite writes a page (or a WAL
    # frame) at a time, so a file within a few pages of the limit is at it.
    return largest + 4 * 4096 >= soft
