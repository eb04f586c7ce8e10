"""The progress store's events and records, on a real file under TUTOR_HOME."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor import paths
from tutor.progress import ProgressStore
from tutor.progress import store as store_module
from tutor.progress.schema import APPLICATION_ID, CURRENT_VERSION


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("TUTOR_HOME", str(home))
    return home


@pytest.fixture
def store(home: Path) -> Iterator[ProgressStore]:
    opened = ProgressStore.open()
    yield opened
    opened.close()


def reopen(store: ProgressStore) -> ProgressStore:
    store.close()
    return ProgressStore.open()


def test_a_new_store_is_a_versioned_wal_file_in_tutor_home(
    tmp_path: Path, home: Path, store: ProgressStore
) -> None:
    assert store.persistent and store.warning is None
    assert store.path == paths.progress_file() == home / "progress.sqlite3"
    store.set_position("01", 0)
    raw = sqlite3.connect(home / "progress.sqlite3")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert raw.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    raw.close()
    outside = {p for p in tmp_path.rglob("*") if home not in p.parents and p != home}
    assert outside == set(), "nothing is written outside TUTOR_HOME"


def test_position_survives_reopening(store: ProgressStore) -> None:
    assert store.position() is None
    store.set_position("02-gradients", 3)
    store.set_position("02-gradients", 4)
    store = reopen(store)
    assert store.position() == ("02-gradients", 4)
    store.close()


def test_attempts_count_and_a_pass_is_for_good(store: ProgressStore) -> None:
    store.record_attempt("01", "dot", code="a", passed=False)
    first = store.exercise("01", "dot")
    assert first is not None
    assert (first.status, first.attempts, first.first_passed_at) == ("attempted", 1, None)
    store.record_attempt("01", "dot", code="b", passed=True)
    store.record_attempt("01", "dot", code="c", passed=False)
    store = reopen(store)
    record = store.exercise("01", "dot")
    assert record is not None
    assert record.status == "passed"
    assert record.attempts == 3
    assert record.last_code == "c"
    assert record.first_passed_at is not None and record.last_attempt_at is not None
    assert record.first_passed_at <= record.last_attempt_at
    assert record.passed_unaided and not record.revealed
    store.record_attempt("01", "dot", code="d", passed=True)
    again = store.exercise("01", "dot")
    assert again is not None and again.first_passed_at == record.first_passed_at
    store.close()


def test_a_solution_shown_before_a_pass_is_remembered(store: ProgressStore) -> None:
    store.record_attempt("01", "norm", code="x", passed=False)
    store.record_revealed("01", "norm")
    shown = store.exercise("01", "norm")
    assert shown is not None and shown.status == "revealed" and shown.attempts == 1
    store.record_attempt("01", "norm", code="y", passed=False)
    still = store.exercise("01", "norm")
    assert still is not None and still.status == "revealed"
    store.record_attempt("01", "norm", code="z", passed=True)
    done = store.exercise("01", "norm")
    assert done is not None
    assert done.status == "passed" and done.revealed and not done.passed_unaided
    assert done.revealed_at == shown.revealed_at


def test_a_solution_shown_after_a_pass_keeps_the_pass_unaided(store: ProgressStore) -> None:
    store.record_attempt("01", "sum", code="x", passed=True)
    store.record_revealed("01", "sum")
    record = store.exercise("01", "sum")
    assert record is not None
    assert record.status == "passed" and record.revealed and record.passed_unaided


def test_revealing_without_any_attempt(store: ProgressStore) -> None:
    store.record_revealed("01", "mean")
    record = store.exercise("01", "mean")
    assert record is not None
    assert (record.status, record.attempts, record.last_code) == ("revealed", 0, "")


def test_exercises_by_lesson(store: ProgressStore) -> None:
    store.record_attempt("01", "a", code="", passed=True)
    store.record_attempt("02", "b", code="", passed=False)
    assert set(store.exercises()) == {("01", "a"), ("02", "b")}
    assert set(store.exercises("02")) == {("02", "b")}
    assert store.exercise("03", "none") is None


def test_answers(store: ProgressStore) -> None:
    store.record_answer("01", "q", answer="3", correct=False)
    store.record_answer("01", "q", answer="2", correct=True)
    store.record_answer("01", "q", answer="4", correct=False)
    store.record_answer("02", "r", answer="b", correct=True)
    store = reopen(store)
    record = store.answers("01")[("01", "q")]
    assert (record.answer, record.correct, record.attempts) == ("4", False, 3)
    assert record.ever_correct
    assert set(store.answers()) == {("01", "q"), ("02", "r")}
    store.close()


def test_cells_in_order_per_lesson(store: ProgressStore) -> None:
    for i in range(5):
        store.record_cell("01", f"x{i} = {i}", outcome="ok" if i != 2 else "error", elapsed_ms=i)
    store.record_cell("02", "y = 1", outcome="ok", elapsed_ms=0.5)
    store = reopen(store)
    cells = store.cells("01")
    assert [c.code for c in cells] == [f"x{i} = {i}" for i in range(5)]
    assert [c.outcome for c in cells][2] == "error"
    assert cells[3].elapsed_ms == 3.0
    assert [c.code for c in store.cells("02")] == ["y = 1"]
    store.close()


def test_history_skips_blanks_and_repeats_and_keeps_the_newest(
    store: ProgressStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for line in ["a", "a", "  ", "b", "a", "a"]:
        store.add_history(line)
    assert store.history() == ["a", "b", "a"]
    assert store.history(limit=2) == ["b", "a"]
    monkeypatch.setattr(store_module, "HISTORY_CAP", 10)
    for i in range(25):
        store.add_history(f"line {i}")
    assert store.history() == [f"line {i}" for i in range(15, 25)]


def test_history_is_shared_by_two_stores_on_one_file(store: ProgressStore) -> None:
    other = ProgressStore.open()
    store.add_history("from the TUI")
    other.add_history("from --plain")
    assert store.history() == ["from the TUI", "from --plain"]
    other.close()


def test_preferences(store: ProgressStore) -> None:
    assert store.preference("language") is None
    store.set_preference("language", "zh")
    store.set_preference("theme", "dark")
    store.set_preference("language", "en")
    store = reopen(store)
    assert (store.preference("language"), store.preference("theme")) == ("en", "dark")
    store.close()


def test_reset_one_lesson_or_all_keeps_history_and_preferences(store: ProgressStore) -> None:
    for lesson in ("01", "02"):
        store.record_attempt(lesson, "e", code="", passed=True)
        store.record_answer(lesson, "q", answer="1", correct=True)
        store.record_cell(lesson, "x = 1", outcome="ok", elapsed_ms=1)
    store.set_position("01", 5)
    store.add_history("x = 1")
    store.set_preference("theme", "dark")
    store.reset("01")
    assert set(store.exercises()) == {("02", "e")}
    assert set(store.answers()) == {("02", "q")}
    assert store.cells("01") == [] and len(store.cells("02")) == 1
    assert store.position() == ("01", 0)
    store.reset()
    assert store.exercises() == {} and store.answers() == {} and store.cells("02") == []
    assert store.position() is None
    assert store.history() == ["x = 1"] and store.preference("theme") == "dark"


def test_records_of_lessons_that_no_longer_exist_are_kept(store: ProgressStore) -> None:
    store.record_attempt("old-lesson", "renamed-exercise", code="", passed=True)
    store = reopen(store)
    assert ("old-lesson", "renamed-exercise") in store.exercises()
    store.close()


def test_a_write_that_cannot_get_the_lock_is_reported_kept_and_retried(home: Path) -> None:
    store = ProgressStore.open(busy_timeout=0.05)
    holder = sqlite3.connect(home / "progress.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    store.record_attempt("01", "e", code="", passed=False)
    assert store.write_failures == 1
    assert store.health.cause == "locked" and store.health.unsaved.attempts == 1
    assert store.warning is not None and "Not saved" in store.warning
    assert "locked" in store.warning
    holder.execute("ROLLBACK")
    holder.close()
    store.record_attempt("01", "e", code="", passed=False)
    assert store.write_failures == 1
    assert store.health.saving
    record = store.exercise("01", "e")
    assert record is not None and record.attempts == 2  # the waiting attempt was saved too
    store.close()


def test_a_closed_store_does_not_raise(store: ProgressStore) -> None:
    store.close()
    store.set_position("01", 1)
    assert store.position() is None
    assert store.write_failures == 1


def test_in_memory_store_saves_nothing(home: Path) -> None:
    store = ProgressStore.in_memory()
    store.record_attempt("01", "e", code="", passed=True)
    assert not store.persistent and store.path is None
    assert store.exercise("01", "e") is not None
    assert not home.exists()
