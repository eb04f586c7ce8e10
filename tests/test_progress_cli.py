"""`tutor progress show|reset|export|import`, end to end through `python -m tutor`."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tutor.progress import ProgressStore


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def tutor(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor", "progress", *args],
        env={**os.environ, "TUTOR_HOME": str(home)},
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def fill(home: Path) -> None:
    with ProgressStore.open(home / "progress.sqlite3") as store:
        store.set_position("01-tensors", 2)
        store.record_attempt("01-tensors", "make-a-vector", code="v = 1", passed=False)
        store.record_attempt("01-tensors", "make-a-vector", code="v = 2", passed=True)
        store.record_revealed("01-tensors", "reshape")
        store.record_answer("01-tensors", "rank", answer="2", correct=True)
        store.record_attempt("02-gradients", "square", code="", passed=False)
        store.record_cell("02-gradients", "x = 1", outcome="ok", elapsed_ms=1)


def show(home: Path) -> dict[str, Any]:
    result = tutor(home, "show", "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_show_json_of_an_empty_record(home: Path) -> None:
    data = show(home)
    assert data["position"] == {"lesson": None, "step": 0}
    assert data["exercises"] == {}
    assert data["store"]["persistent"] is True


def test_show_json_has_the_contract_keys(home: Path) -> None:
    fill(home)
    data = show(home)
    assert data["position"] == {"lesson": "01-tensors", "step": 2}
    assert data["exercises"]["01-tensors/make-a-vector"]["status"] == "passed"
    assert data["exercises"]["01-tensors/make-a-vector"]["attempts"] == 2
    assert data["exercises"]["01-tensors/reshape"]["status"] == "revealed"
    assert data["exercises"]["02-gradients/square"] == {
        **data["exercises"]["02-gradients/square"],
        "status": "attempted",
        "attempts": 1,
    }
    assert data["questions"]["01-tensors/rank"]["correct"] is True


def test_show_reads_as_a_summary(home: Path) -> None:
    fill(home)
    result = tutor(home, "show")
    assert result.returncode == 0, result.stderr
    assert "01-tensors" in result.stdout and "02-gradients" in result.stdout
    assert "make-a-vector: passed (2 attempts)" in result.stdout
    assert "reshape: revealed" in result.stdout
    assert "step 3" in result.stdout  # steps are counted from 1 for people


def test_show_of_a_corrupt_store_warns_and_starts_fresh(home: Path) -> None:
    home.mkdir()
    (home / "progress.sqlite3").write_text("not a database")
    result = tutor(home, "show", "--json")
    assert result.returncode == 0
    assert "moved aside as progress.sqlite3.corrupt-" in result.stderr
    assert json.loads(result.stdout)["exercises"] == {}


def test_reset_without_a_terminal_or_yes_refuses(home: Path) -> None:
    fill(home)
    result = tutor(home, "reset")
    assert result.returncode == 1
    assert "--yes" in result.stderr
    assert len(show(home)["exercises"]) == 3


def test_reset_one_lesson_then_all(home: Path) -> None:
    fill(home)
    result = tutor(home, "reset", "--lesson", "02-gradients", "--yes")
    assert result.returncode == 0, result.stderr
    assert set(show(home)["exercises"]) == {"01-tensors/make-a-vector", "01-tensors/reshape"}
    assert tutor(home, "reset", "--yes").returncode == 0
    data = show(home)
    assert data["exercises"] == {} and data["position"]["lesson"] is None


def run_on_a_terminal(home: Path, reply: str, *args: str) -> tuple[int, str]:
    """Run `tutor progress ARGS` with a pseudo-terminal, answer its question with `reply`."""
    leader, follower = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tutor", "progress", *args],
        env={**os.environ, "TUTOR_HOME": str(home)},
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 60
    while b"[y/N]" not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1.0)
        if ready:
            try:
                seen += os.read(leader, 4096)
            except OSError:
                break
    os.write(leader, reply.encode() + b"\n")
    code = process.wait(timeout=60)
    while True:
        ready, _, _ = select.select([leader], [], [], 0)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    return code, seen.decode(errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_reset_on_a_terminal_asks_first(home: Path) -> None:
    fill(home)
    code, text = run_on_a_terminal(home, "n", "reset")
    assert "[y/N]" in text and code == 1
    assert len(show(home)["exercises"]) == 3
    code, text = run_on_a_terminal(home, "y", "reset", "--lesson", "01-tensors")
    assert code == 0, text
    assert set(show(home)["exercises"]) == {"02-gradients/square"}


def test_export_then_import_elsewhere(home: Path, tmp_path: Path) -> None:
    fill(home)
    exported = tmp_path / "record.json"
    result = tutor(home, "export", str(exported))
    assert result.returncode == 0, result.stderr
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("tutor-progress", 1)
    elsewhere = tmp_path / "elsewhere"
    result = tutor(elsewhere, "import", str(exported))
    assert result.returncode == 0, result.stderr
    assert "3 exercises added" in result.stdout
    assert show(elsewhere)["exercises"] == show(home)["exercises"]
    assert show(elsewhere)["position"] == show(home)["position"]


def test_export_to_stdout(home: Path) -> None:
    fill(home)
    result = tutor(home, "export", "-")
    assert result.returncode == 0
    assert json.loads(result.stdout)["format"] == "tutor-progress"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "not JSON"),
        ('{"format": "csv", "version": 1}', "not a tutor progress file"),
        (
            '{"format": "tutor-progress", "version": 1, "exercises": [{"lesson": "01"}]}',
            "exercises[0]",
        ),
    ],
)
def test_import_refuses_a_bad_file_and_changes_nothing(
    home: Path, tmp_path: Path, text: str, reason: str
) -> None:
    fill(home)
    before = tutor(home, "export", "-").stdout
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    result = tutor(home, "import", str(bad))
    assert result.returncode == 1
    assert reason in result.stderr and "Nothing was changed" in result.stderr
    after = tutor(home, "export", "-").stdout
    assert without_time(after) == without_time(before)


def without_time(exported: str) -> dict[str, Any]:
    return {k: v for k, v in json.loads(exported).items() if k != "exported_at"}


def test_import_of_a_missing_file(home: Path, tmp_path: Path) -> None:
    result = tutor(home, "import", str(tmp_path / "nowhere.json"))
    assert result.returncode == 1 and "cannot read" in result.stderr


def test_nothing_is_written_outside_tutor_home(home: Path, tmp_path: Path) -> None:
    fill(home)
    tutor(home, "show")
    tutor(home, "show", "--json")
    tutor(home, "reset", "--lesson", "01-tensors", "--yes")
    outside = [p for p in tmp_path.rglob("*") if home not in p.parents and p != home]
    assert outside == []


def test_the_summary_follows_the_course_and_keeps_stale_records(tmp_path: Path) -> None:
    from tutor.commands.progress import summary_lines
    from tutor.curriculum.model import Course, Exercise, ExerciseSpec, Lesson, Question, Step

    def exercise(exercise_id: str) -> Exercise:
        return Exercise(ExerciseSpec(exercise_id, "value", ("v",), "v = 1"), prompt="")

    lesson = Lesson(
        id="01-tensors",
        number=1,
        title="Tensors",
        lang="en",
        steps=(
            Step("Vectors", "", exercise=exercise("make-a-vector")),
            Step("Rank", "", question=Question("rank", "number", "", answer=2)),
            Step("Shapes", "", exercise=exercise("reshape")),
            Step("Sums", "", exercise=exercise("sum")),
        ),
    )
    with ProgressStore.open(tmp_path / "progress.sqlite3") as store:
        store.set_position("01-tensors", 1)
        store.record_attempt("01-tensors", "make-a-vector", code="", passed=True)
        store.record_answer("01-tensors", "rank", answer="2", correct=True)
        store.record_revealed("01-tensors", "reshape")
        store.record_attempt("01-tensors", "renamed-since", code="", passed=True)
        text = "\n".join(summary_lines(store, Course("en", (lesson,))))
    assert "lesson 01-tensors (Tensors), step 2" in text
    assert "1. Tensors [01-tensors]: 1/3 exercises passed, 1/1 questions" in text
    assert "sum: not started" in text
    assert "Records of lessons not in the course" not in text  # same lesson id
    assert "renamed-since" not in text  # an exercise the course no longer has is ignored


def test_an_import_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    import tracemalloc

    from tutor.commands.progress import MAX_IMPORT_BYTES, _read_json
    from tutor.progress import InvalidProgressFile

    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(MAX_IMPORT_BYTES + 1)  # sparse: no disk used, no byte to read
    tracemalloc.start()
    try:
        with pytest.raises(InvalidProgressFile, match="larger than 256 MB"):
            _read_json(str(big))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20, f"{peak} bytes taken to refuse it"
