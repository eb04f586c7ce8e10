"""A small course and a LineTutor over the real Session with a fake kernel (no lesson files)."""

from __future__ import annotations

import io

from fake_kernel import FakeKernel
from sample_course import sample_course as line_course

from tutor.line.line_tutor import LineTutor
from tutor.progress.store import ProgressStore
from tutor.session import Session


def make_tutor(
    kernel: FakeKernel | None = None, *, lesson: str | None = None, lang: str = "en"
) -> tuple[LineTutor, FakeKernel, io.StringIO]:
    """A LineTutor printing into a StringIO, over a Session with a fake kernel."""
    kernel = kernel or FakeKernel()
    session = Session(line_course(lang), kernel, ProgressStore.in_memory(), lesson=lesson)
    out = io.StringIO()
    tutor = LineTutor(session, out, width=80, load_course=line_course)
    return tutor, kernel, out
