"""Faults for the progress tests: a tiny disk, a held write lock, bytes flipped in a file."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

#: Small enough to fill in a few writes, large enough for a fresh store.
TINY_DISK = "200k"


@contextlib.contextmanager
def tiny_disk(parent: Path) -> Iterator[Path]:
    """A 200 KiB tmpfs mounted under `parent` (skips the test where mounting is not allowed)."""
    mount = parent / f"tiny-{uuid.uuid4().hex[:8]}"
    mount.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount(8) here")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TINY_DISK}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill_disk(folder: Path, leave: int = 0) -> Path:
    """Take the free space of `folder`'s disk but `leave` bytes; returns the filler file."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 4096)
    if leave:
        size = filler.stat().st_size
        with filler.open("r+b") as handle:
            handle.truncate(max(0, size - leave))
    return filler


@contextlib.contextmanager
def write_lock_held(path: Path) -> Iterator[None]:
    """Another program holds the file's write lock (a transaction it never finishes)."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def flip(path: Path, offset: int, value: int | None = None) -> None:
    """Change the byte at `offset` (to `value`, else to its bitwise complement)."""
    data = bytearray(path.read_bytes())
    data[offset] = (~data[offset] & 0xFF) if value is None else value
    path.write_bytes(bytes(data))


def offset_of(path: Path, needle: bytes, start: int = 0) -> int:
    data = path.read_bytes()
    found = data.find(needle, start)
    assert found >= 0, f"{needle!r} is not in {path}"
    return found
