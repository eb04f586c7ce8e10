"""The store's words: every event and cause has them, in English and Chinese alike."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import get_args

import pytest

from tutor.progress import words
from tutor.progress.causes import Cause
from tutor.progress.events import EventKind, StoreEvent, StoreHealth, Unsaved

PATH = Path("/home/learner/.local/share/tutor/progress.sqlite3")


def test_every_unsaved_field_has_words() -> None:
    assert set(words._TALLY) == {field.name for field in dataclasses.fields(Unsaved)}


def test_every_cause_has_words() -> None:
    for table in (words._CAUSES, words._SHORT):
        assert set(table) == set(get_args(Cause))
    assert set(words._TODO) < set(get_args(Cause))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", get_args(EventKind))
@pytest.mark.parametrize("cause", get_args(Cause))
def test_every_event_reads_without_a_placeholder_left(lang: str, kind: str, cause: str) -> None:
    event = StoreEvent(
        kind,  # type: ignore[arg-type]
        PATH,
        cause,  # type: ignore[arg-type]
        unsaved=Unsaved(passes=2, cells=1, position=True),
        kept_as="progress.sqlite3.corrupt-20261127-041500",
        records=12,
        unreadable=1,
        detail="it is not a SQLite database",
    )
    text = words.describe(event, lang)
    assert text and "{" not in text and "}" not in text
    label = words.health_label(StoreHealth(cause=cause, unsaved=event.unsaved), lang)  # type: ignore[arg-type]
    assert label and "{" not in label


def test_the_tally_names_what_was_not_kept() -> None:
    tally = Unsaved(passes=1, answers=2, cells=3, position=True)
    assert words.tally(tally, "en") == (
        "your pass of an exercise, 2 answers to questions, 3 cells you ran "
        "and your place in the lesson"
    )
    assert (
        words.tally(tally, "zh")
        == "你的一次练习通过、2 次问题作答、3 个运行过的单元和你在课程中的位置"
    )


def test_a_failed_write_says_what_to_do_with_the_folder() -> None:
    event = StoreEvent("not-saved", PATH, "read-only", unsaved=Unsaved(cells=1))
    text = words.describe(event, "en")
    assert text.startswith("Not saved: a cell you ran.")
    assert f"Make {PATH.parent} writable" in text and "TUTOR_HOME" in text


def test_the_status_line_is_quiet_while_saving_works_or_for_a_store_in_memory_on_purpose() -> None:
    assert words.health_label(StoreHealth(), "en") is None
    assert words.health_label(StoreHealth(persistent=False), "en") is None
    assert words.health_label(StoreHealth(persistent=False, cause="newer"), "en") == (
        "not saving (newer tutor's file)"
    )
