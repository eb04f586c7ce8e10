"""Writes that fail while the tutor runs: kept, retried, told with their cause, logged.

Real faults: a 200 KiB tmpfs that fills up, `RLIMIT_FSIZE` in a subprocess, another
program holding the write lock, the WAL or the file deleted underneath, two tutors
moving one saved position.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from progress_faults import fill_disk, tiny_disk, write_lock_held

from tutor.progress import ProgressStore
from tutor.progress.events import StoreEvent
from tutor.progress.words import describe, health_label


def listen(store: ProgressStore) -> list[StoreEvent]:
    heard: list[StoreEvent] = []
    store.add_listener(heard.append)
    return heard


# -- a full disk ---------------------------------------------------------------------------------
def test_a_full_disk_is_told_kept_and_saved_once_there_is_room(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with tiny_disk(tmp_path) as disk:
        path = disk / "progress.sqlite3"
        store = ProgressStore.open(path)
        heard = listen(store)
        filler = fill_disk(disk)
        with caplog.at_level(logging.WARNING, logger="tutor"):
            for i in range(5):
                store.record_attempt("01", f"e{i}", code="x = 1", passed=True)
        assert heard, "the first change that could not be saved is told at once"
        first = heard[0]
        assert first.kind == "not-saved" and first.cause == "disk-full" and first.tell
        assert store.health.cause == "disk-full" and store.health.unsaved.passes == 5
        # every pass that is not kept is told, not only the first
        assert [e.unsaved.passes for e in heard if e.kind == "not-saved"] == [1, 2, 3, 4, 5]
        words = describe(heard[-1], "en")
        assert "5 exercise passes" in words and "full" in words and str(disk) in words
        assert "Free some space" in words
        assert "磁盘已满" in describe(heard[-1], "zh")
        assert health_label(store.health, "en") == "5 unsaved (disk full)"
        warned = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert any("disk-full" in r.getMessage() for r in warned), "tutor.log at WARNING"

        filler.unlink()
        store.set_position("01", 1)
        assert heard[-1].kind == "saved-again" and heard[-1].unsaved.passes == 5
        assert store.health.saving and health_label(store.health, "en") is None
        store.close()
        again = ProgressStore.open(path)
        assert len(again.exercises()) == 5 and again.position() == ("01", 1)
        again.close()


def test_changes_still_waiting_at_close_are_told_in_the_next_session(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    store = ProgressStore.open(path, busy_timeout=0.05)
    with write_lock_held(path):
        store.record_answer("01", "q", answer="2", correct=True)
        store.close()  # one last try, with the lock still held: nobody hears it now
    after = ProgressStore.open(path)
    notices = after.take_notices()
    assert [n.kind for n in notices] == ["lost"]
    assert notices[0].unsaved.answers == 1 and notices[0].cause == "locked"
    assert "Lost: an answer to a question" in describe(notices[0], "en")
    assert after.take_notices() == [], "told once"
    after.close()


# -- the file-size limit -------------------------------------------------------------------------
LIMITED_WRITER = r"""
import json, resource, sys
from pathlib import Path
from tutor.logs import configure_logging
from tutor.progress import ProgressStore
from tutor.progress.words import describe

configure_logging()  # tutor.log is past the limit too: its failures must stay quiet
store = ProgressStore.open(Path(sys.argv[1]))
heard = []
store.add_listener(heard.append)
resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, resource.RLIM_INFINITY))
for i in range(200):
    store.record_attempt("01", f"e{i}", code="x = 1" + " " * 2000, passed=True)
print(json.dumps({
    "kinds": sorted({e.kind for e in heard}),
    "causes": sorted({e.cause for e in heard if e.cause}),
    "waiting": store.health.unsaved.passes,
    "words": describe(heard[-1], "en") if heard else "",
}))
"""


def test_the_file_size_limit_is_named_not_called_a_disk_error(tmp_path: Path) -> None:
    (tmp_path / "tutor.log").write_bytes(b"earlier lines\n" * 20_000)  # over the limit
    done = subprocess.run(
        [sys.executable, "-c", LIMITED_WRITER, str(tmp_path / "progress.sqlite3")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TUTOR_HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", "nothing printed over the learner's screen"
    report = json.loads(done.stdout)
    assert report["kinds"] == ["not-saved"]
    assert report["causes"] == ["too-large"]
    assert report["waiting"] > 0
    assert "ulimit -f" in report["words"] and "disk I/O" not in report["words"]


# -- tutor.log ---------------------------------------------------------------------------------------
def test_a_write_that_fails_is_in_tutor_log_at_warning(tutor_home: Path) -> None:
    from tutor.logs import configure_logging
    from tutor.paths import log_file

    configure_logging()
    try:
        store = ProgressStore.open(busy_timeout=0.05)
        with write_lock_held(tutor_home / "progress.sqlite3"):
            store.record_attempt("01", "e", code="", passed=True)
        store.record_attempt("01", "f", code="", passed=True)
        store.close()
        text = log_file().read_text()
        assert "WARNING tutor.progress.record_file: progress not saved" in text and "locked" in text
        assert "WARNING tutor.progress.record_file: progress saving works again" in text
    finally:
        logging.getLogger("tutor").handlers.clear()


# -- a lock held by another program --------------------------------------------------------------
def test_a_held_lock_is_told_as_locked_and_the_change_saved_after(tutor_home: Path) -> None:
    store = ProgressStore.open(busy_timeout=0.05)
    heard = listen(store)
    with write_lock_held(tutor_home / "progress.sqlite3"):
        store.record_cell("01", "x = 1", outcome="ok", elapsed_ms=1)
    assert heard[0].cause == "locked" and "locked" in describe(heard[0], "en")
    store.add_history("y = 2")
    assert heard[-1].kind == "saved-again"
    assert [c.code for c in store.cells("01")] == ["x = 1"]
    store.close()


def test_only_the_latest_position_waits(tutor_home: Path) -> None:
    store = ProgressStore.open(busy_timeout=0.05)
    with write_lock_held(tutor_home / "progress.sqlite3"):
        for step in range(10):
            store.set_position("01", step)
        assert store.health.unsaved.count == 1
    store.close()
    again = ProgressStore.open()
    assert again.position() == ("01", 9)
    again.close()


# -- files deleted underneath --------------------------------------------------------------------
def test_a_deleted_wal_is_saved_back_and_named_for_the_other_tutor(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    first = ProgressStore.open(path)
    first.record_attempt("01", "a", code="", passed=True)
    Path(f"{path}-wal").unlink()
    second = ProgressStore.open(path)
    if not second.persistent:  # SQLite cannot read the file while the WAL is missing
        [notice] = second.take_notices()
        assert notice.cause == "wal-deleted"
        assert "disk I/O" not in describe(notice, "en") and "-wal" in describe(notice, "en")
    second.close()
    first.record_attempt("01", "b", code="", passed=True)  # notices, saves, reopens
    third = ProgressStore.open(path)
    assert third.persistent and third.warning is None
    assert set(third.exercises()) == {("01", "a"), ("01", "b")}
    third.close()
    first.close()


def test_a_file_deleted_while_in_use_is_started_again_and_told(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    store = ProgressStore.open(path)
    heard = listen(store)
    store.record_attempt("01", "a", code="", passed=True)
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        name.unlink()
    store.record_attempt("01", "b", code="", passed=True)
    assert [e.kind for e in heard] == ["moved"]
    assert "moved or deleted" in describe(heard[0], "en")
    store.close()
    again = ProgressStore.open(path)
    assert set(again.exercises()) == {("01", "b")}
    again.close()


# -- two tutors, one position --------------------------------------------------------------------
def test_a_position_moved_by_another_tutor_is_told_once(tutor_home: Path) -> None:
    one, two = ProgressStore.open(), ProgressStore.open()
    one.set_position("01", 0)
    assert one.position() == two.position() == ("01", 0)
    heard = listen(one)
    two.set_position("02", 3)
    one.set_position("01", 1)
    one.set_position("01", 2)
    two.set_position("02", 4)
    one.set_position("01", 3)
    assert [e.kind for e in heard] == ["position-shared"]
    assert "Another tutor" in describe(heard[0], "en")
    assert "另一个 tutor" in describe(heard[0], "zh")
    two.close()
    one.close()
    last = ProgressStore.open()
    assert last.position() == ("01", 3), "the latest move wins"
    last.close()


def test_a_tutor_alone_never_hears_of_another(tutor_home: Path) -> None:
    store = ProgressStore.open()
    heard = listen(store)
    store.position()
    for step in range(5):
        store.set_position("01", step)
    store.close()
    again = ProgressStore.open()
    heard = listen(again)
    again.position()
    again.set_position("01", 9)
    assert heard == []
    again.close()


def test_the_causes_of_os_errors_are_named(tmp_path: Path) -> None:
    import errno

    from tutor.progress.causes import cause_of

    path = tmp_path / "progress.sqlite3"
    named = {
        errno.ENOSPC: "disk-full",
        errno.EFBIG: "too-large",
        errno.EROFS: "read-only",
        errno.EACCES: "read-only",
        errno.ENOENT: "moved",
        errno.EIO: "io",
    }
    for number, cause in named.items():
        assert cause_of(OSError(number, os.strerror(number)), path) == cause
