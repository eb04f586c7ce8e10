"""The main screen: lesson, evaluator and inspector side by side, a status line, the keys.

It composes the panes and routes: keys and widget messages become calls on the
`Session` (the tutoring logic lives there), run one at a time by a job runner so the
kernel sees cells in the order they were typed; results come back as messages and
the handlers here put them on screen.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.css.query import NoMatches
from textual.events import DescendantFocus, Key, Resize
from textual.lazy import Lazy
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from tutor.cell_rules import answers_question
from tutor.textflow import plain_inline
from tutor.tui.input_history import InputHistory, history_from_store
from tutor.tui.job_queue import Job, JobQueue
from tutor.tui.keys import SCREEN_KEYS, relabel_bindings, screen_bindings
from tutor.tui.messages import (
    CellFinished,
    CheckFinished,
    CompletionsReady,
    InspectorRefreshed,
    KernelRestarted,
    KernelStatusChanged,
    LessonEnded,
    PredictionRan,
    ReplayFinished,
    SessionFailed,
    SessionOpened,
    StepChanged,
    StoreChanged,
    TutorTrouble,
)
from tutor.tui.screens.fitting import WIDE, PaneFitter
from tutor.tui.strings import EN, UiStrings
from tutor.tui.widgets.cell_input import CellInput
from tutor.tui.widgets.cell_log import CellLog
from tutor.tui.widgets.completion_menu import CompletionMenu
from tutor.tui.widgets.exercise_card import ExerciseCard
from tutor.tui.widgets.inspector import Inspector
from tutor.tui.widgets.lesson_pane import LessonPane, LessonText
from tutor.tui.widgets.question_card import QuestionCard
from tutor.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from tutor.kernel.protocol import KernelInfo, Said
    from tutor.prediction_verdict import PredictionFacts
    from tutor.session import Session
    from tutor.tui.screens.task_flow import TaskFlow

log = logging.getLogger(__name__)

SessionFactory = Callable[[], "Session"]

#: How long Tab waits for the kernel's completions before giving up quietly.
COMPLETION_WAIT = 3.0
#: Where F6 moves the focus, in turn (a hidden stop, such as no question, is skipped).
_PANE_ORDER = ("#input", "#question", "#lesson-text", "#inspector", "#log")


async def _refresh_inspector(session: Session) -> Message:
    """Fill in the rows the last cell's result left "not refreshed" (the inspector shows
    them; the result itself never waited for them)."""
    return InspectorRefreshed(await session.refresh_variables())


def inspector_heading(strings: UiStrings) -> tuple[str, ...]:
    return strings.columns


class TutorScreen(Screen[None]):
    """The tutor: built empty for a fast first frame, filled once the session opens."""

    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 - Screen declares it an instance variable
        (0, "-narrow"),
        (WIDE, "-wide"),
    ]
    #: The input has the focus from the start: focusing the first focusable pane first
    #: (Textual's default) would restyle every pane twice before the first frame.
    AUTO_FOCUS = "#input"
    BINDINGS: ClassVar[list[BindingType]] = [
        *screen_bindings(EN),
        # Wherever the focus is, Escape brings it back to the input (a modal screen, the
        # completion menu and the input itself handle Escape first).
        Binding("escape", "focus_input", show=False),
        Binding("shift+f6", "switch_pane(-1)", show=False, priority=True),
        # After the interrupt binding (which only holds while a cell runs): copy as usual.
        Binding("ctrl+c", "screen.copy_text", "Copy", show=False),
    ]

    def __init__(self, session_factory: SessionFactory, strings: UiStrings) -> None:
        super().__init__()
        self.session_factory = session_factory
        self.strings = strings
        self.session: Session | None = None
        #: The lesson last shown (a change gets a separator in the log).
        self._shown_lesson: str | None = None
        self.kernel_status = "starting"
        self._jobs = JobQueue(self.post_message)
        self._tasks: TaskFlow | None = None
        self._history = InputHistory()
        self._fitter = PaneFitter(self)
        self._localise_bindings()

    @property
    def replay_offered(self) -> bool:
        """Whether the kernel lost the learner's names and a replay is offered (the
        session's to say: `Session.names_lost`)."""
        return self.session is not None and self.session.names_lost

    @property
    def tasks(self) -> TaskFlow:
        """The exercise and question flow (made when first needed, after the first frame)."""
        if self._tasks is None:
            from tutor.tui.screens.task_flow import TaskFlow

            self._tasks = TaskFlow(self)
        return self._tasks

    # -- composition ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        s = self.strings
        with Grid(id="panes"):
            yield LessonPane(s.lesson_pane, id="lesson")
            with Vertical(id="evaluator") as evaluator:
                evaluator.border_title = s.evaluator_pane
                yield CellLog(id="log")
                # Hidden until Tab offers completions: mounted after the first frame.
                yield Lazy(CompletionMenu(id="completions"))
                yield CellInput(self._history, placeholder=s.input_placeholder, id="input")
            inspector = Inspector(
                empty=s.inspector_empty,
                heading=inspector_heading(s),
                pictures_hint=s.pictures_hint,
                lang=s.lang,
                id="inspector",
            )
            inspector.border_title = s.inspector_pane
            yield inspector
        yield StatusBar(s, id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(LessonPane).show_message(self.strings.loading_lessons)
        self.query_one("#input", CellInput).focus()
        # The session (lessons, store, an unstarted kernel) is built after the first frame.
        self.call_after_refresh(self._open_session)

    def _open_session(self) -> None:
        try:
            session = self.session_factory()
        except Exception as error:
            log.exception("could not open the session")
            self.post_message(SessionFailed(f"{type(error).__name__}: {error}"))
            return
        self.post_message(SessionOpened(session))

    # -- the session --------------------------------------------------------------------------
    @on(SessionOpened)
    def _session_opened(self, message: SessionOpened) -> None:
        session = self.session = message.session
        try:
            session.listen(self._kernel_listener)
        except Exception:
            log.exception("could not listen to the kernel's status")
        # Session.run_cell records every cell in the store; this only reads it.
        stored = history_from_store(session.store)
        for entry in self._history.entries:  # typed before the store was read
            stored.add(entry)
        self._history = stored
        self.query_one("#input", CellInput).cell_history = stored
        self._show_step()
        # A damaged record repaired or set aside, or nothing can be saved: say so first.
        for notice in session.store_notices():
            words = session.store_message(notice)
            self.note(Text(words, style="bold yellow"))
            self.notify(words, severity="warning", timeout=15, markup=False)
        session.listen_store(lambda event: self.post_message(StoreChanged(event)))
        self.run_worker(self._start_kernel(session), name="kernel-start", exit_on_error=False)
        self.run_worker(self._jobs.run(session), name="jobs", exit_on_error=False)
        earlier = session.replay_offer  # a lesson resumed: its names are not in the kernel
        if earlier:
            cells = self.strings.count(self.strings.earlier_cells, earlier)
            self.note(Text(self.strings.welcome_back.format(cells=cells), style="bold"))
        self.refresh_bindings()
        # What the first frame did without: ready before the first cell needs it.
        import tutor.tui.cell_text  # noqa: F401

    @on(SessionFailed)
    def _session_failed(self, message: SessionFailed) -> None:
        pane = self.query_one(LessonPane)
        pane.show_message(f"{self.strings.no_lessons}\n{message.error}")

    async def _start_kernel(self, session: Session) -> None:
        """Start the kernel (TensorFlow loads now) and run the lesson's setup in it."""
        try:
            await session.kernel.start()
            await session.prepare()
        except Exception as error:
            log.exception("the kernel did not start")
            self.post_message(TutorTrouble("kernel", str(error)))
        self.post_message(KernelStatusChanged(self._current_kernel_status(session)))

    @staticmethod
    def _current_kernel_status(session: Session) -> str:
        return str(session.kernel.status)

    def _kernel_listener(self, status: str, detail: Said | None) -> None:
        # Called by the kernel client, maybe from another task; post_message is safe.
        self.post_message(KernelStatusChanged(status, detail))

    def _kernel_info(self) -> KernelInfo | None:
        return None if self.session is None else self.session.kernel.info

    def _enqueue(self, job: Job) -> None:
        """Ask the session for something, behind the requests already asked for."""
        self._jobs.put(job)

    @on(StoreChanged)
    def _store_changed(self, message: StoreChanged) -> None:
        """A change not saved, or saved again: the status line always, a toast when told."""
        session = self.session
        if session is None:
            return
        self.query_one(StatusBar).update_facts(store=session.store_status() or "")
        event = message.event
        if event.tell:
            bad = event.kind in ("not-saved", "lost", "read-failed")
            good = event.kind == "saved-again"
            self.notify(
                session.store_message(event),
                severity="error" if bad else "information" if good else "warning",
                timeout=15 if bad else 8,
                markup=False,
            )

    @on(TutorTrouble)
    def _trouble(self, message: TutorTrouble) -> None:
        self.notify(f"{message.what}: {message.error}", severity="error", markup=False)

    # -- the evaluator -------------------------------------------------------------------------
    @on(CellInput.Submitted)
    def _cell_submitted(self, event: CellInput.Submitted) -> None:
        from tutor.tui.cell_text import input_entry

        code = event.code
        session = self.session
        question = session.question if session is not None else None
        if question is not None and answers_question(code, question.kind, question.ask):
            self._answer(code.strip())  # "2" on a question step answers it
            return
        waiting = session is None or self.kernel_status in ("starting", "restarting")
        entry = self.query_one(CellLog).add_cell(
            input_entry(code, None, self.strings.queued if waiting else "")
        )

        async def run_cell(session: Session) -> Message:
            return CellFinished(entry.entry_id, code, await session.run_cell(code))

        self._enqueue(run_cell)

    @on(CellFinished)
    def _cell_finished(self, message: CellFinished) -> None:
        from tutor.tui.cell_text import input_entry, result_entry

        result = message.report.result
        cell_log = self.query_one(CellLog)
        shown: list[RenderableType] = []
        body = result_entry(result, self.strings)
        if body is not None:
            shown.append(body)
        entry = cell_log.entry(message.entry_id)
        echo = input_entry(message.code, result.execution_count or None)
        if entry is not None:
            entry.finish(echo, Group(*shown) if shown else None, result.plots, self.strings.lang)
        cell_log.call_after_refresh(cell_log.scroll_end, animate=False)
        from tutor.recent_names import changed_names, recent_first

        inspector = self.query_one(Inspector)
        changed = changed_names(inspector.variables, result.variables, message.code)
        inspector.show(recent_first(result.variables, changed), changed)
        self._show_notices()
        if any(v.state == "stale" for v in result.variables):
            self._enqueue(_refresh_inspector)
        if message.report.names_lost:  # the replay key appears
            self.refresh_bindings()
        if message.report.check is not None:
            self.tasks.show_check(message.report.check)

    @on(InspectorRefreshed)
    def _inspector_refreshed(self, message: InspectorRefreshed) -> None:
        self.query_one(Inspector).show(message.variables)

    @on(CellInput.LogScrollRequested)
    def _scroll_log(self, event: CellInput.LogScrollRequested) -> None:
        log_view = self.query_one(CellLog)
        if event.direction < 0:
            log_view.scroll_page_up(animate=False)
        else:
            log_view.scroll_page_down(animate=False)

    @on(CellInput.CompletionRequested)
    def _completion_requested(self, event: CellInput.CompletionRequested) -> None:
        session = self.session
        if session is None or self.kernel_status != "ready":
            return
        text = event.text

        async def complete() -> None:
            try:
                matches = await asyncio.wait_for(session.complete(text), COMPLETION_WAIT)
            except Exception:
                log.exception("completion failed")
                return
            self.post_message(CompletionsReady(text, list(matches)))

        self.run_worker(complete(), group="complete", exclusive=True, exit_on_error=False)

    @on(CompletionsReady)
    def _completions_ready(self, message: CompletionsReady) -> None:
        cell_input = self.query_one("#input", CellInput)
        if cell_input.text_before_cursor != message.text or not message.matches:
            return  # the learner typed on; these completions are stale
        if len(message.matches) == 1:
            cell_input.complete_with(message.matches[0])
            return
        from tutor.tui.completion import shared_extension, token_before

        token = token_before(message.text)
        common = shared_extension(token, message.matches)
        if common:
            cell_input.insert(common)
        self.query_one(CompletionMenu).open_with(message.matches)

    @on(CompletionMenu.Chosen)
    def _completion_chosen(self, event: CompletionMenu.Chosen) -> None:
        cell_input = self.query_one("#input", CellInput)
        if event.match is not None:
            from tutor.tui.completion import completion_insert, token_before

            token = token_before(cell_input.text_before_cursor)
            cell_input.insert(completion_insert(token, event.match))
        cell_input.focus()

    # -- the lesson flow -----------------------------------------------------------------------
    def _show_step(self) -> None:
        session = self.session
        if session is None:
            return
        self.tasks.step_shown()
        view = session.step_view()
        lesson = view.lesson
        self.query_one(LessonPane).show_step(view, self.strings)
        self.query_one(ExerciseCard).set_givens(view.givens)
        self._show_notices()
        if lesson.id != self._shown_lesson:
            if self._shown_lesson is not None:  # a new lesson runs in a new namespace
                self.note(Text(f"── {view.lesson_number} · {lesson.title} ──", style="dim"))
            self._shown_lesson = lesson.id
        self.query_one(Inspector).show(session.variables)
        cell_input = self.query_one("#input", CellInput)
        starter = session.take_starter() if not cell_input.text.strip() else None
        if starter is not None:  # fix-the-code: the broken code waits in the input
            cell_input.put(starter)
        if not self._focus_kept():
            cell_input.focus()
        self.update_progress()
        self.refresh_bindings()
        self.call_after_refresh(self.lay_out)

    def _focus_kept(self) -> bool:
        """Whether the focus stays where the learner put it (a visible pane or card)."""
        focused = self.focused
        if focused is None or isinstance(focused, CellInput):
            return False
        if isinstance(focused, QuestionCard):
            return focused.question is not None
        return True

    def _show_notices(self) -> None:
        """What the session has to tell (givens rebound, a lesson fault), in the log."""
        session = self.session
        if session is None:
            return
        for notice in session.take_notices():
            self.note(Text(plain_inline(notice), style="yellow"))

    def update_progress(self) -> None:
        """The lesson's number and its exercises done, in the status line."""
        session = self.session
        if session is None:
            return
        done, total = session.lesson_done(session.lesson.id)
        self.query_one(StatusBar).update_facts(
            lesson_number=session.lesson_number,
            lesson_total=session.lesson_total,
            done=done,
            total=total,
            store=session.store_status() or "",
        )

    @on(LessonPane.Shown)
    def _lesson_shown(self) -> None:
        self.call_after_refresh(self.lay_out)

    @on(CheckFinished)
    def _check_finished(self, message: CheckFinished) -> None:
        self.tasks.show_check(message.check)

    @on(StepChanged)
    def _step_changed(self, message: StepChanged) -> None:
        if not message.moved:
            self.notify(self.strings.last_step, markup=False)
            return
        self._show_step()

    @on(QuestionCard.Answered)
    def _answered(self, event: QuestionCard.Answered) -> None:
        self._answer(event.text)

    def _answer(self, text: str) -> None:
        """An answer to the step's question (typed in the input, or a key on its card);
        after a prediction's verdict its code runs, for the truth beside it."""
        verdict = self.tasks.answer(text)
        if verdict is not None and verdict.prediction is not None:
            self._run_prediction(verdict.prediction)

    def _run_prediction(self, facts: PredictionFacts) -> None:
        """After a prediction's verdict, its code runs in the learner's kernel, like a cell."""
        from tutor.tui.cell_text import input_entry

        question = self.session.question if self.session is not None else None
        if question is None:
            return
        code = question.code
        entry = self.query_one(CellLog).add_cell(input_entry(code, None))

        async def run_prediction(session: Session) -> Message:
            return PredictionRan(entry.entry_id, code, facts, await session.run_prediction())

        self._enqueue(run_prediction)

    @on(PredictionRan)
    def _prediction_ran(self, message: PredictionRan) -> None:
        from tutor.session import CellReport  # a small dataclass; the module loads with the session

        if message.result is not None:
            self._cell_finished(
                CellFinished(message.entry_id, message.code, CellReport(message.result))
            )
        self.tasks.show_prediction(message.facts, message.result)

    @on(ReplayFinished)
    def _replay_finished(self, message: ReplayFinished) -> None:
        r = message.report
        self.refresh_bindings()
        if self.session is not None:
            self.query_one(Inspector).show(self.session.variables)
        text = Text(
            self.strings.replay_done.format(
                replayed=r.replayed, skipped=r.skipped, failed=r.failed, ms=r.elapsed_ms
            ),
            style="bold",
        )
        for note in r.notes:
            text.append("\n" + note, style="dim")
        self.note(text)

    @on(KernelRestarted)
    def _kernel_restarted(self, message: KernelRestarted) -> None:
        # What the fresh kernel holds (the lesson's setup), never the old names.
        self.query_one(Inspector).show(self.session.variables if self.session else ())
        self.refresh_bindings()
        if self.replay_offered:
            self.note(Text(self.strings.replay_offer, style="bold"))

    @on(KernelStatusChanged)
    def _kernel_status(self, message: KernelStatusChanged) -> None:
        if message.status in ("restarting", "dead") and self.kernel_status != message.status:
            self.query_one(Inspector).show(())  # the kernel's names are gone with it
        self.kernel_status = message.status
        self.query_one(StatusBar).update_facts(
            kernel=message.status, detail=message.detail, info=self._kernel_info()
        )
        self.refresh_bindings()

    def note(self, renderable: RenderableType) -> None:
        """A line of the tutor's own in the evaluator's log (verdicts, hints, notices)."""
        self.query_one(CellLog).add_note(renderable)

    # -- focus and layout ----------------------------------------------------------------------
    def on_descendant_focus(self, event: DescendantFocus) -> None:
        lesson = self.query_one(LessonPane)
        reading = lesson.query_one(LessonText) in event.widget.ancestors_with_self
        panes = self.query_one("#panes")
        if reading != panes.has_class("-reading"):
            panes.set_class(reading, "-reading")
            self.call_after_refresh(self.lay_out)

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self.lay_out)

    def lay_out(self) -> None:
        """Fit the panes and the footer to the terminal (see `PaneFitter`)."""
        if self.is_mounted:
            self._fitter.fit()

    def on_key(self, event: Key) -> None:
        """Typing goes to the input wherever the focus is.

        A printable key reaches the screen when nothing took it: a reading pane (or a
        card) had the focus, or the key was typed before the first frame, when the
        input did not exist yet. Either way it belongs in the input, and so does an
        Enter typed that early.
        """
        try:
            cell_input = self.query_one("#input", CellInput)
        except NoMatches:  # not composed yet
            return
        if event.is_printable and event.character is not None:
            if isinstance(self.focused, CompletionMenu):
                self.query_one(CompletionMenu).action_close()
            cell_input.focus()
            cell_input.insert(event.character)
        elif event.key in ("enter", "ctrl+j") and self.focused in (None, cell_input):
            cell_input.focus()
            cell_input.press_enter()
        else:
            return
        event.stop()
        event.prevent_default()

    # -- actions (keys and the command palette) ------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.session
        if action == "interrupt":
            return self.kernel_status == "busy"
        if action == "replay":
            return self.replay_offered
        if action in ("help", "switch_pane", "copy_text", "pictures"):
            return True
        if session is None:
            return False
        step = session.step
        if action == "hint":  # a task without hints says so (F3 is never silent)
            return step.exercise is not None or step.question is not None
        if action in ("check", "solution"):
            return step.exercise is not None
        if action == "example":
            return bool(step.examples)
        if action == "prev_step":
            return session.step_index > 0 or session.course.index(session.lesson.id) > 0
        return True

    def action_help(self) -> None:
        from tutor.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.strings))

    def action_focus_input(self) -> None:
        """Escape: back to the input, from anywhere on this screen."""
        self.query_one("#input", CellInput).focus()

    def action_switch_pane(self, step: int = 1) -> None:
        """F6 (shift+F6 back): the input, the question, the lesson, the inspector, the log."""
        stops = [
            widget
            for widget in (self.query_one(selector) for selector in _PANE_ORDER)
            if widget.display and widget.styles.display != "none" and _is_shown(widget)
        ]
        focused = self.focused
        current = 0
        for i, widget in enumerate(stops):
            if focused is not None and widget in focused.ancestors_with_self:
                current = i
                break
        stops[(current + step) % len(stops)].focus()

    def action_lessons(self) -> None:
        from tutor.tui.screens.lesson_list import LessonListScreen

        session = self.session
        if session is None:
            return

        def chosen(lesson_id: str | None) -> None:
            if lesson_id is not None:
                self.goto(lesson_id, 0)

        self.app.push_screen(
            LessonListScreen(
                session.course, session.lesson.id, session.lesson_done, self.strings.lessons_title
            ),
            chosen,
        )

    def goto(self, lesson_id: str, step: int = 0) -> None:
        async def goto(session: Session) -> Message:
            await session.goto(lesson_id, step)
            return StepChanged()

        self._enqueue(goto)

    def action_next_step(self) -> None:
        """The next step; on a lesson's last one, its summary first (see `LessonEnded`)."""

        async def next_step(session: Session) -> Message:
            if session.at_lesson_end:
                return LessonEnded()
            return StepChanged(await session.next_step())

        self._enqueue(next_step)

    def _next_lesson(self) -> None:
        async def next_lesson(session: Session) -> Message:
            return StepChanged(await session.next_step())

        self._enqueue(next_lesson)

    @on(LessonEnded)
    def _lesson_ended(self) -> None:
        self.tasks.end_lesson(self._next_lesson)

    def action_prev_step(self) -> None:
        async def prev_step(session: Session) -> Message:
            return StepChanged(await session.prev_step())

        self._enqueue(prev_step)

    def action_check(self) -> None:
        async def check(session: Session) -> Message:
            return CheckFinished(await session.check())

        self._enqueue(check)

    def action_hint(self) -> None:
        self.tasks.hint()

    def action_solution(self) -> None:
        self.tasks.solution()

    def action_example(self) -> None:
        self.tasks.example()

    def action_pictures(self) -> None:
        shown = self.query_one(Inspector).toggle_pictures()
        words = self.strings.pictures_on if shown else self.strings.pictures_off
        self.notify(words, markup=False, timeout=3)

    def action_interrupt(self) -> None:
        session = self.session
        if session is not None:
            self.run_worker(session.interrupt(), name="interrupt", exit_on_error=False)

    def action_replay(self) -> None:
        async def replay(session: Session) -> Message:
            return ReplayFinished(await session.replay())

        self._enqueue(replay)

    def action_restart(self) -> None:
        self.note(Text(self.strings.restarting, style="dim"))

        async def restart(session: Session) -> Message:
            await session.restart_kernel()
            return KernelRestarted()

        self._enqueue(restart)

    def action_reset_lesson(self) -> None:
        if self.session is None:
            return
        self.query_one(Inspector).show(())

        async def reset_lesson(session: Session) -> Message:
            await session.reset_lesson()
            return StepChanged()

        self._enqueue(reset_lesson)
        self.note(Text(self.strings.lesson_reset, style="bold"))

    # -- language ------------------------------------------------------------------------------
    def set_strings(self, strings: UiStrings) -> None:
        """Speak another language: bindings, panes, status, the current step."""
        self.strings = strings
        self._localise_bindings()
        self.query_one("#lesson").border_title = strings.lesson_pane
        self.query_one("#evaluator").border_title = strings.evaluator_pane
        inspector = self.query_one(Inspector)
        inspector.border_title = strings.inspector_pane
        inspector.relabel(
            empty=strings.inspector_empty,
            heading=inspector_heading(strings),
            pictures_hint=strings.pictures_hint,
            lang=strings.lang,
        )
        self.query_one("#input", CellInput).placeholder = strings.input_placeholder
        self.query_one(StatusBar).set_strings(strings)
        self._show_step()

    def relabel_keys(self) -> None:
        """The keys' words (a language) and which the footer shows (its room) changed."""
        self._localise_bindings()

    def _localise_bindings(self) -> None:
        words = {key.action: str(getattr(self.strings, key.words)) for key in SCREEN_KEYS}
        hidden = self._fitter.footer_hidden
        shown = {key.action: key.show and key.action not in hidden for key in SCREEN_KEYS}
        relabel_bindings(self._bindings, words, shown)
        if self.is_mounted:
            self.refresh_bindings()


def _is_shown(widget: object) -> bool:
    """A card is a focus stop only while it is shown."""
    from tutor.tui.widgets.task_card import TaskCard

    return not isinstance(widget, TaskCard) or widget.has_class("-shown")
