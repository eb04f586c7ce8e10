"""Export and import: a stable JSON file, a careful merge, and refusal of bad files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tutor.progress import InvalidProgressFile, ProgressStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    opened = ProgressStore.open(tmp_path / "a" / "progress.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def other(tmp_path: Path) -> Iterator[ProgressStore]:
    opened = ProgressStore.open(tmp_path / "b" / "progress.sqlite3")
    yield opened
    opened.close()


def record_something(store: ProgressStore) -> None:
    store.set_position("02", 3)
    store.record_attempt("01", "dot", code="x = 1", passed=False)
    store.record_attempt("01", "dot", code="x = tf.tensordot(a, b, 1)", passed=True)
    store.record_revealed("01", "norm")
    store.record_answer("01", "q", answer="2", correct=True)
    store.record_cell("01", "a = tf.ones(3)", outcome="ok", elapsed_ms=1.25)
    store.record_cell("01", "b = a +", outcome="error", elapsed_ms=0.5)
    store.add_history("a = tf.ones(3)")
    store.add_history("张量 = 1")
    store.set_preference("language", "zh")


def content(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "exported_at"}


def test_export_has_the_documented_shape(store: ProgressStore) -> None:
    record_something(store)
    data = store.export()
    assert (data["format"], data["version"]) == ("tutor-progress", 1)
    assert data["position"]["lesson"] == "02" and data["position"]["step"] == 3
    dot = next(e for e in data["exercises"] if e["exercise"] == "dot")
    assert (dot["status"], dot["attempts"], dot["revealed_at"]) == ("passed", 2, None)
    assert [c["code"] for c in data["cells"]] == ["a = tf.ones(3)", "b = a +"]
    assert [h["line"] for h in data["history"]] == ["a = tf.ones(3)", "张量 = 1"]
    assert data["preferences"] == {"language": "zh"}
    assert data["answers"][0]["correct"] is True
    json.dumps(data)  # JSON-ready as it is


def test_round_trip_into_an_empty_store(store: ProgressStore, other: ProgressStore) -> None:
    record_something(store)
    exported = json.loads(json.dumps(store.export()))
    report = other.import_(exported)
    assert (report.exercises_added, report.cells_added, report.history_added) == (2, 2, 2)
    assert report.position_changed
    assert content(other.export()) == content(store.export())
    assert other.exercises() == store.exercises()
    assert other.cells("01") == store.cells("01")


def test_importing_the_same_file_twice_changes_nothing(
    store: ProgressStore, other: ProgressStore
) -> None:
    record_something(store)
    exported = store.export()
    other.import_(exported)
    once = content(other.export())
    report = other.import_(exported)
    assert report.summary().startswith("0 exercises added, 0 merged")
    assert not report.position_changed and report.cells_added == 0
    assert content(other.export()) == once


def test_merge_takes_the_better_of_both(store: ProgressStore, other: ProgressStore) -> None:
    # "here": tried a lot, never passed; "there": saw the solution, then passed.
    for i in range(5):
        store.record_attempt("01", "e", code=f"here {i}", passed=False)
    store.record_answer("01", "q", answer="right", correct=True)
    store.set_preference("theme", "dark")
    other.record_revealed("01", "e")
    other.record_attempt("01", "e", code="there", passed=True)
    other.record_answer("01", "q", answer="wrong later", correct=False)
    other.set_preference("theme", "light")
    other.set_preference("language", "zh")
    report = store.import_(other.export())
    assert report.exercises_merged == 1 and report.answers_merged == 1
    merged = store.exercise("01", "e")
    theirs = other.exercise("01", "e")
    assert merged is not None and theirs is not None
    assert merged.status == "passed" and merged.attempts == 5
    assert merged.revealed_at == theirs.revealed_at and not merged.passed_unaided
    assert merged.first_passed_at == theirs.first_passed_at
    assert merged.last_code == "there"  # the later attempt
    answer = store.answers()[("01", "q")]
    assert (answer.answer, answer.correct, answer.ever_correct) == ("wrong later", False, True)
    assert store.preference("theme") == "dark" and store.preference("language") == "zh"


def test_revealed_beats_attempted(store: ProgressStore, other: ProgressStore) -> None:
    store.record_attempt("01", "e", code="x", passed=False)
    other.record_revealed("01", "e")
    store.import_(other.export())
    record = store.exercise("01", "e")
    assert record is not None and record.status == "revealed" and record.attempts == 1


def test_the_more_recent_position_wins(store: ProgressStore, other: ProgressStore) -> None:
    other.set_position("01", 1)
    store.set_position("03", 2)
    assert not store.import_(other.export()).position_changed
    assert store.position() == ("03", 2)
    other.set_position("04", 0)
    assert store.import_(other.export()).position_changed
    assert store.position() == ("04", 0)


def valid() -> dict[str, Any]:
    return {
        "format": "tutor-progress",
        "version": 1,
        "position": {"lesson": "01", "step": 1, "updated_at": "2026-01-01T00:00:00.000000Z"},
        "exercises": [
            {
                "lesson": "01",
                "exercise": "e",
                "status": "passed",
                "attempts": 1,
                "first_passed_at": "2026-01-01T00:00:00.000000Z",
                "last_attempt_at": "2026-01-01T00:00:00.000000Z",
                "revealed_at": None,
                "last_code": "x = 1",
            }
        ],
        "cells": [
            {
                "lesson": "01",
                "code": "x = 1",
                "outcome": "ok",
                "elapsed_ms": 1,
                "ran_at": "2026-01-01T00:00:00.000000Z",
            }
        ],
        "history": [{"line": "x = 1", "added_at": "2026-01-01T00:00:00.000000Z"}],
        "preferences": {"language": "en"},
    }


def test_a_minimal_hand_written_file_is_accepted(other: ProgressStore) -> None:
    report = other.import_(valid())
    assert report.exercises_added == 1 and report.cells_added == 1
    assert other.import_({"format": "tutor-progress", "version": 1}).summary()


def broken(path: str, value: Any) -> dict[str, Any]:
    """valid() with the item at `path` (dotted, list indexes as numbers) replaced or removed."""
    data = valid()
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is KeyError:
        del node[last]
    else:
        node[int(last) if isinstance(node, list) else last] = value
    return data


BAD_FILES = [
    pytest.param([1, 2], "not a JSON object", id="a list"),
    pytest.param(broken("format", "something-else"), "format", id="another format"),
    pytest.param(broken("version", 2), "newer tutor", id="a newer version"),
    pytest.param(broken("version", "1"), "version", id="version as text"),
    pytest.param(broken("exercises.0.status", "done"), "exercises[0].status", id="bad status"),
    pytest.param(broken("exercises.0.attempts", -1), "exercises[0].attempts", id="negative"),
    pytest.param(broken("exercises.0.attempts", True), "exercises[0].attempts", id="bool count"),
    pytest.param(broken("exercises.0.lesson", ""), "exercises[0].lesson", id="empty id"),
    pytest.param(broken("exercises.0.exercise", KeyError), '"exercise" is missing', id="missing"),
    pytest.param(broken("exercises.0.first_passed_at", "yesterday"), "first_passed_at", id="time"),
    pytest.param(broken("cells.0.elapsed_ms", float("nan")), "elapsed_ms", id="nan"),
    pytest.param(broken("cells.0.ran_at", None), "ran_at", id="no cell time"),
    pytest.param(broken("cells.0", "x = 1"), "cells[0]", id="cell not an object"),
    pytest.param(broken("history", {"line": "x"}), '"history" must be a list', id="history"),
    pytest.param(broken("preferences", ["en"]), "preferences", id="preferences"),
    pytest.param(broken("position.step", 1.5), "position.step", id="step"),
]


@pytest.mark.parametrize(("data", "reason"), BAD_FILES)
def test_a_bad_file_is_refused_with_its_reason_and_changes_nothing(
    store: ProgressStore, data: Any, reason: str
) -> None:
    record_something(store)
    before = content(store.export())
    with pytest.raises(InvalidProgressFile, match=reason.replace("[", r"\[").replace("]", r"\]")):
        store.import_(data)
    assert content(store.export()) == before


def test_a_bad_entry_late_in_the_file_changes_nothing(store: ProgressStore) -> None:
    data = valid()
    data["history"].append({"line": "y", "added_at": "not a time"})
    with pytest.raises(InvalidProgressFile, match=r"history\[1\]\.added_at"):
        store.import_(data)
    assert store.exercises() == {} and store.cells("01") == [] and store.history() == []
