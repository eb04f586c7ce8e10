"""App-wide messages: what the session's work reports back to the screen that shows it.

Workers never touch widgets; they post one of these and the screen's `@on` handlers
own the state. The chain for a cell is `CellInput.Submitted -> CellFinished`, for the
kernel `KernelStatusChanged`, for moving around `StepChanged`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from tutor.kernel.protocol import CellResult, CheckResult

if TYPE_CHECKING:
    from tutor.kernel.protocol import Said, VariableView
    from tutor.prediction_verdict import PredictionFacts
    from tutor.progress.events import StoreEvent
    from tutor.session import CellReport, ReplayReport, Session


@dataclass
class SessionOpened(Message):
    """The course is loaded and the session exists (the kernel may still be starting)."""

    session: Session


@dataclass
class SessionFailed(Message):
    """The session could not be built (no lessons, a broken store...)."""

    error: str


@dataclass
class KernelStatusChanged(Message):
    """The kernel went starting / ready / busy / restarting / dead."""

    status: str
    #: Why, while it matters: the kernel's words, said by the status bar.
    detail: Said | None = None

    def can_replace(self, message: Message) -> bool:
        # Only the latest status matters to the status bar.
        return isinstance(message, KernelStatusChanged)


@dataclass
class CellFinished(Message):
    """A cell ran (whatever its outcome); `entry` is the log entry that echoed it."""

    entry_id: int
    code: str
    report: CellReport


@dataclass
class InspectorRefreshed(Message):
    """Rows the last cell's result left "not refreshed" were filled in by the kernel."""

    variables: tuple[VariableView, ...]


@dataclass
class CheckFinished(Message):
    """An on-demand check came back (None: the step has nothing to check)."""

    check: CheckResult | None


@dataclass
class StepChanged(Message):
    """The session moved to another step or lesson."""

    moved: bool = True


@dataclass
class LessonEnded(Message):
    """F8 on a lesson's last step: the lesson's summary comes before moving on."""


@dataclass
class ReplayFinished(Message):
    """The lesson's earlier cells were replayed."""

    report: ReplayReport


@dataclass
class KernelRestarted(Message):
    """A restart asked for by the learner finished."""


@dataclass
class CompletionsReady(Message):
    """Completions for the name that ends `text` (the input before the cursor)."""

    text: str
    matches: list[str]


@dataclass
class PredictionRan(Message):
    """A predict question's code ran after the verdict (None: the step had moved on)."""

    entry_id: int
    code: str
    facts: PredictionFacts
    result: CellResult | None


@dataclass
class TutorTrouble(Message):
    """The tutor itself failed at something; told briefly, logged in full."""

    what: str
    error: str


@dataclass
class StoreChanged(Message):
    """Something happened to the learner's record: a change not saved, saving working
    again, a damaged file repaired (told in a toast and the status line)."""

    event: StoreEvent
