"""A small course and app factory for the Textual tutor's tests (no lesson files needed)."""

from __future__ import annotations

from fake_kernel import FakeKernel
from sample_course import sample_course

from tutor.progress.store import ProgressStore
from tutor.session import Session
from tutor.tui.app import TutorApp


def make_app(
    kernel: FakeKernel | None = None,
    *,
    lang: str = "en",
    lesson: str | None = None,
    store: ProgressStore | None = None,
) -> tuple[TutorApp, FakeKernel]:
    """A TutorApp over the real Session, a fake kernel and an in-memory store."""
    kernel = kernel or FakeKernel()
    the_store = store or ProgressStore.in_memory()
    app = TutorApp(
        lambda: Session(sample_course(lang), kernel, the_store, lesson=lesson),
        lang=lang,
        course_loader=sample_course,
    )
    return app, kernel
