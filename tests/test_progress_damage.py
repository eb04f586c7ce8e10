"""One bad byte never hides the record: damaged files are salvaged row by row and told.

Every test damages a real store the way a disk or a stray program would (a byte in the
schema text, in a saved answer, in a CHECK'd column, in the header, in a b-tree page)
and checks that the next session saves, shows what the file held, and says what happened.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from progress_faults import flip, offset_of

from tutor.cli import _saved_language
from tutor.progress import ProgressStore
from tutor.progress.events import StoreEvent
from tutor.progress.records import utc_stamp
from tutor.progress.words import describe

KEPT = re.compile(r"progress\.sqlite3\.corrupt-\d{8}-\d{6}(-\d+)?")


def make_record(path: Path, cells: int = 40, *, checkpoint: bool = True) -> None:
    """A record with something in every table; the WAL checkpointed into the file (as a
    closed tutor leaves it), or the newest commits still only in the WAL (as a crash does)."""
    with ProgressStore.open(path) as store:
        store.set_position("01", 2)
        store.record_attempt("01", "make-a", code="A = tf.ones((2, 2))", passed=True)
        store.record_attempt("01", "make-b", code="B = 1", passed=False)
        store.record_revealed("02", "slope")
        store.record_answer("01", "p-empty", answer="hello answer", correct=True)
        store.record_answer("02", "slope", answer="6", correct=True)
        store.set_preference("lang", "zh")
    with sqlite3.connect(path) as conn:  # many cells in one transaction (quick to make)
        now = utc_stamp()
        conn.executemany(
            "INSERT INTO cells (lesson, code, outcome, elapsed_ms, ran_at) VALUES (?, ?, ?, ?, ?)",
            [("01", f"x{i} = {i}", "ok", float(i), now) for i in range(cells)],
        )
        conn.executemany(
            "INSERT INTO history (line, added_at) VALUES (?, ?)",
            [(f"x{i} = {i}", now) for i in range(min(cells, 40))],
        )
    conn.close()
    if checkpoint:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def kept_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if KEPT.fullmatch(p.name))


def assert_repaired(notices: list[StoreEvent], folder: Path) -> StoreEvent:
    [notice] = [n for n in notices if n.kind == "repaired"]
    [kept] = kept_files(folder)
    assert notice.kept_as == kept.name and notice.records > 0
    words = describe(notice, "en")
    assert "repaired" in words and kept.name in words and f"{notice.records} records" in words
    assert "已修复" in describe(notice, "zh")
    return notice


def assert_whole(store: ProgressStore) -> None:
    """Everything `make_record` wrote is there, and new changes are saved."""
    assert store.persistent
    assert store.position() == ("01", 2)
    exercises = store.exercises()
    assert exercises[("01", "make-a")].status == "passed"
    assert exercises[("02", "slope")].status == "revealed"
    assert len(store.cells("01")) == 40 and len(store.history()) == 40
    assert store.preference("lang") == "zh"
    store.record_attempt("01", "after", code="", passed=True)
    assert store.health.saving


# -- the faults -----------------------------------------------------------------------------
def test_a_bad_byte_in_the_schema_text_is_repaired_not_unsaved_forever(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    make_record(path)
    flip(path, offset_of(path, b"CREATE TABLE position") + 8, 0xFF)  # not UTF-8
    store = ProgressStore.open()
    assert_repaired(store.take_notices(), tutor_home)
    assert_whole(store)
    store.close()
    later = ProgressStore.open()  # and every later session is an ordinary one
    assert later.persistent and later.take_notices() == [] and later.warning is None
    assert later.exercise("01", "after") is not None
    later.close()


def test_a_bad_byte_in_a_saved_answer_keeps_every_record_and_exports(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    make_record(path)
    flip(path, offset_of(path, b"hello answer") + 2, 0xFF)
    assert sqlite3.connect(path).execute("PRAGMA quick_check").fetchone() == ("ok",)
    show = run_progress(tutor_home, "show", "--json")
    assert show.returncode == 0, show.stderr
    shown = json.loads(show.stdout)
    assert shown["exercises"]["01/make-a"]["status"] == "passed"
    assert shown["questions"]["01/p-empty"]["ever_correct"] is True
    # told in the learner's saved language (Chinese here)
    assert "已修复" in show.stderr and "progress.sqlite3.corrupt-" in show.stderr
    export = run_progress(tutor_home, "export", "-")
    assert export.returncode == 0, export.stderr
    answers = {a["question"]: a["answer"] for a in json.loads(export.stdout)["answers"]}
    assert answers["p-empty"] == "he\ufffdlo answer", "the answer kept, its bad byte marked"


def test_a_damaged_store_that_cannot_be_rewritten_still_exports(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    make_record(path)
    flip(path, offset_of(path, b"hello answer") + 2, 0xFF)
    tutor_home.chmod(0o500)  # no fresh file can be written beside it (root: see below)
    blocker = path.with_name(path.name + ".salvaged")
    blocker.mkdir(exist_ok=True)  # even for root: the fresh file's name is taken
    try:
        export = run_progress(tutor_home, "export", "-")
    finally:
        tutor_home.chmod(0o700)
        blocker.rmdir()
    assert export.returncode == 0, export.stderr
    data = json.loads(export.stdout)
    assert len(data["cells"]) == 40 and len(data["exercises"]) == 3
    assert "已损坏" in export.stderr and "不会被保存" in export.stderr


def test_a_broken_check_constraint_is_repaired_not_set_aside(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    make_record(path)
    at = offset_of(path, b"passed", offset_of(path, b"make-a"))
    flip(path, at, ord("q"))  # status 'qassed': a CHECK constraint no longer holds
    assert sqlite3.connect(path).execute("PRAGMA quick_check").fetchone()[0] != "ok"
    store = ProgressStore.open()
    assert_repaired(store.take_notices(), tutor_home)
    assert_whole(store)  # the status is worked out again from the pass time
    store.close()


def test_whatever_opens_the_store_first_the_session_hears_of_the_repair(
    tutor_home: Path,
) -> None:
    path = tutor_home / "progress.sqlite3"
    make_record(path)
    flip(path, offset_of(path, b"CREATE TABLE exercises") + 3, 0xFE)
    assert _saved_language() == "zh"  # `tutor` without --lang reads it first: repaired there
    assert len(kept_files(tutor_home)) == 1
    session_store = ProgressStore.open()  # then the session's own open has nothing to fix
    notice = assert_repaired(session_store.take_notices(), tutor_home)
    assert notice.records >= 80
    assert session_store.take_notices() == [], "told once"
    session_store.close()


def test_a_set_aside_file_is_told_after_a_first_opener_too(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    tutor_home.mkdir()
    path.write_text("my shopping list\n")
    assert _saved_language() is None
    store = ProgressStore.open()
    [notice] = store.take_notices()
    assert notice.kind == "set-aside" and "moved aside" in describe(notice, "en")
    store.close()


# -- bytes elsewhere ----------------------------------------------------------------------------------
@pytest.mark.parametrize("checkpoint", [True, False], ids=["closed", "crashed"])
def test_a_bad_byte_in_the_header_is_repaired(tutor_home: Path, checkpoint: bool) -> None:
    path = tutor_home / "progress.sqlite3"
    make_record(path, checkpoint=checkpoint)  # crashed: the cells are in the WAL only
    flip(path, 3)  # "SQLite format 3": SQLite refuses the whole file
    store = ProgressStore.open()
    assert_repaired(store.take_notices(), tutor_home)
    assert_whole(store)
    store.close()


def test_a_bad_schema_format_number_is_damage_not_an_unknown_failure(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    make_record(path)
    flip(path, 47, 9)  # the header's schema format number: SQLite says "unsupported file format"
    store = ProgressStore.open()
    assert_repaired(store.take_notices(), tutor_home)
    assert_whole(store)
    store.close()
    later = ProgressStore.open()
    assert later.persistent and later.take_notices() == []
    later.close()


def test_an_impossible_schema_version_is_damage_not_a_newer_tutor(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    make_record(path)
    flip(path, 61, 0x7F)  # user_version: far beyond any newer tutor
    store = ProgressStore.open()
    assert_repaired(store.take_notices(), tutor_home)
    assert_whole(store)
    store.close()


def test_a_damaged_tree_page_loses_only_what_it_held(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    make_record(path, cells=3000)
    with sqlite3.connect(path) as conn:
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cells'").fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    flip(path, (root - 1) * page_size)  # the cells tree's root page: every seek fails
    store = ProgressStore.open()
    notice = assert_repaired(store.take_notices(), tutor_home)
    assert len(store.cells("01")) == 3000, "the leaves are read even when the root is gone"
    assert notice.unreadable == 0
    store.close()


def test_rows_the_learner_deleted_do_not_come_back(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    make_record(path, cells=2000)
    with ProgressStore.open(path) as store:
        store.reset()
        store.record_cell("01", "fresh = 1", outcome="ok", elapsed_ms=1)
    flip(path, 3)
    store = ProgressStore.open()
    assert [c.code for c in store.cells("01")] == ["fresh = 1"]
    assert store.exercises() == {}
    store.close()


def test_damage_met_while_in_use_is_repaired_on_the_spot(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    make_record(path)
    store = ProgressStore.open()
    heard: list[StoreEvent] = []
    store.add_listener(heard.append)
    with sqlite3.connect(path) as other:  # a stray program writes text that is not UTF-8
        other.execute(
            "UPDATE answers SET answer = CAST(x'61ff62' AS TEXT) WHERE question = 'slope'"
        )
    answers = store.answers()
    assert answers[("02", "slope")].answer == "a\ufffdb"
    assert [e.kind for e in heard] == ["repaired"]
    assert_whole(store)
    store.close()


def test_another_tutor_repairing_the_file_does_not_lose_this_ones_writes(
    tutor_home: Path,
) -> None:
    path = tutor_home / "progress.sqlite3"
    make_record(path)
    one = ProgressStore.open()
    two = ProgressStore.open()
    with sqlite3.connect(path) as other:
        other.execute("UPDATE answers SET answer = CAST(x'ff' AS TEXT) WHERE question = 'slope'")
    two.answers()  # `two` meets the damage and swaps a repaired file in
    assert len(kept_files(tutor_home)) == 1
    one.record_attempt("03", "from-one", code="", passed=True)  # `one` follows the new file
    two.close()
    one.close()
    last = ProgressStore.open()
    assert last.exercise("03", "from-one") is not None
    last.close()


def run_progress(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor", "progress", *args],
        env={**os.environ, "TUTOR_HOME": str(home), "LANG": "C.UTF-8"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
