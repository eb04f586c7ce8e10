"""Both frontends tell the learner, in their language, when work is not being saved.

The real Session and a real store on a file, a fake kernel; the fault is real too: a
200 KiB disk that fills up (where mounting is allowed) or another program holding the
file's write lock.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fake_kernel import FakeKernel
from progress_faults import fill_disk, flip, offset_of, tiny_disk, write_lock_held
from sample_course import sample_course
from tui_course import make_app
from tui_pilot import ready, submit, until

from tutor.line.line_tutor import LineTutor
from tutor.progress import ProgressStore
from tutor.session import Session
from tutor.tui.app import TutorApp
from tutor.tui.widgets.status_bar import StatusBar

SIZE = (120, 40)


def line_tutor(store: ProgressStore, lang: str) -> tuple[LineTutor, io.StringIO]:
    session = Session(sample_course(lang), FakeKernel(), store, lesson="tensors")
    out = io.StringIO()
    return LineTutor(session, out, width=200), out


# -- line mode ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "unsaved", "again"),
    [
        ("en", "Not saved: a cell you ran and a line you typed.", "Saving works again"),
        ("zh", "未保存：一个运行过的单元和你输入的一行。", "保存已恢复"),
    ],
)
async def test_line_mode_says_a_cell_was_not_saved_and_then_that_it_was(
    tutor_home: Path, lang: str, unsaved: str, again: str
) -> None:
    store = ProgressStore.open(busy_timeout=0.05)
    tutor, out = line_tutor(store, lang)
    with write_lock_held(tutor_home / "progress.sqlite3"):
        await tutor.handle("x = 1")
    told = out.getvalue()
    assert told.count(unsaved) == 1, "one paragraph for the input, after its output"
    await tutor.handle("y = 2")
    assert again in out.getvalue()
    assert store.cells("tensors")[0].code == "x = 1"
    store.close()


async def test_line_mode_names_a_full_disk_and_its_folder(tmp_path: Path) -> None:
    with tiny_disk(tmp_path) as disk:
        store = ProgressStore.open(disk / "progress.sqlite3")
        tutor, out = line_tutor(store, "en")
        filler = fill_disk(disk)
        await tutor.handle(":goto tensors 3")
        await tutor.handle("2")  # the right answer to the question, not saved
        told = out.getvalue()
        assert "Not saved: an answer to a question" in told
        assert f"The disk holding {disk} is full. Free some space there." in told
        filler.unlink()
        store.close()


async def test_line_mode_starts_with_what_happened_to_the_record(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    with ProgressStore.open(path) as store:
        store.record_answer("tensors", "p-empty", answer="hello", correct=True)
    flip(path, offset_of(path, b"CREATE TABLE answers") + 2, 0xFF)
    store = ProgressStore.open()
    tutor, out = line_tutor(store, "en")
    tutor.tell_store(tutor.session.store_notices())
    assert "was damaged. It was repaired" in out.getvalue()
    store.close()


# -- the TUI ------------------------------------------------------------------------------------------
def toasts(app: TutorApp) -> str:
    """The texts of the toasts on screen (Textual keeps them in `_notifications`)."""
    return "\n".join(n.message for n in app._notifications)


def status(app: TutorApp) -> str:
    return str(app.tutor_screen.query_one(StatusBar).render())


@pytest.mark.parametrize(
    ("lang", "label", "toast", "again"),
    [
        ("en", "2 unsaved (locked)", "Not saved:", "Saving works again"),
        ("zh", "2 项未保存（被锁定）", "未保存：", "保存已恢复"),
    ],
)
async def test_the_tui_shows_unsaved_work_in_the_status_line_and_a_toast(
    tutor_home: Path, lang: str, label: str, toast: str, again: str
) -> None:
    store = ProgressStore.open(busy_timeout=0.05)
    app, kernel = make_app(lang=lang, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        with write_lock_held(tutor_home / "progress.sqlite3"):
            await submit(pilot, "x = 1")
            await until(pilot, lambda: kernel.cells == ["x = 1"])
            await until(pilot, lambda: label in status(app))
            await until(pilot, lambda: toast in toasts(app))
        await submit(pilot, "y = 2")
        await until(pilot, lambda: "⚠" not in status(app))
        await until(pilot, lambda: again in toasts(app))
    assert [c.code for c in store.cells("tensors")] == ["x = 1", "y = 2"]
    store.close()


async def test_the_tui_tells_a_repaired_record_when_it_opens(tutor_home: Path) -> None:
    path = tutor_home / "progress.sqlite3"
    with ProgressStore.open(path) as store:
        store.record_attempt("tensors", "make-a", code="A = 1", passed=True)
    flip(path, offset_of(path, b"CREATE TABLE exercises") + 4, 0xFF)
    ProgressStore.open().close()  # something else opened (and repaired) it first
    app, _ = make_app(store=ProgressStore.open())
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.tutor_screen.session is not None)
        await until(pilot, lambda: "It was repaired" in toasts(app))
