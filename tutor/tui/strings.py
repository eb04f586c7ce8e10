"""The Textual tutor's own words, in the learner's language, from the word catalog.

Chosen like the lessons (`Options.lang`); the texts live in `tutor/words` (ids "ui.…").
A frozen dataclass, so that a screen names a phrase as a field and a typo is a type
error. Strings with `{fields}` are `str.format` templates; none of them is Rich markup,
so nothing the learner typed can turn into styling.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from tutor.words import (
    N_,
    SOURCE_LANGUAGE,
    known,
    language_name,
    language_or_default,
    languages,
    say,
    say_count,
)


@dataclass(frozen=True)
class UiStrings:
    """Every phrase the TUI shows that does not come from a lesson."""

    lang: str
    # panes
    lesson_pane: str
    evaluator_pane: str
    inspector_pane: str
    loading_lessons: str
    no_lessons: str
    input_placeholder: str
    inspector_empty: str
    # status bar
    kernel: str
    kernel_states: dict[str, str]
    isolation: str
    isolation_levels: dict[str, str]
    lesson_of: str
    exercises_done: str
    # key descriptions (footer and help)
    key_help: str
    key_lessons: str
    key_hint: str
    key_check: str
    key_example: str
    key_focus: str
    key_prev: str
    key_next: str
    key_solution: str
    key_quit: str
    key_interrupt: str
    key_palette: str
    key_run: str
    key_newline: str
    key_complete: str
    key_history: str
    key_copy: str
    key_answer: str
    key_replay: str
    key_close: str
    key_pictures: str
    key_escape: str
    key_scroll_log: str
    # the lesson flow
    exercise: str
    question: str
    exercise_status: dict[str, str]
    encouragement: tuple[str, ...]
    way_on: str
    last_step: str
    not_yet: str
    no_exercise: str
    hint_title: str
    no_more_hints: str
    no_hints: str
    hint_offer: str
    exercise_keys: str
    question_keys: str
    solution_confirm_title: str
    solution_confirm_body: str
    solution_revealed: str
    yes: str
    no: str
    choice_keys: str
    number_prompt: str
    answer_right: str
    answer_wrong: str
    no_more_examples: str
    example_copied: str
    # the kernel
    queued: str
    kernel_lost: dict[str, str]
    kernel_lost_detail: str
    replay_offer: str
    welcome_back: str
    replay_done: str
    restarting: str
    interrupted: str
    # screens and commands
    lessons_title: str
    help_title: str
    help_keys_heading: str
    cmd_goto: str
    cmd_hint: str
    cmd_solution: str
    cmd_restart: str
    cmd_replay: str
    cmd_reset: str
    cmd_language: str
    cmd_theme: str
    cmd_check: str
    cmd_interrupt: str
    cmd_next: str
    cmd_prev: str
    cmd_help: str
    cmd_lessons: str
    cmd_pictures: str
    cmd_quit: str
    cmd_screenshot: str
    pictures_hint: str
    pictures_on: str
    pictures_off: str
    language_unavailable: str
    lesson_reset: str
    palette_placeholder: str
    # the end of a lesson
    lesson_end_title: str
    lesson_end_passed: str
    #: Plural message ids, said with `count`.
    lesson_end_hints: str
    lesson_end_revealed: str
    lesson_end_next: str
    lesson_end_go: str
    lesson_end_stay: str
    course_end: str
    #: "{n} earlier cell(s)": a plural message id.
    earlier_cells: str
    #: The inspector's column headings.
    columns: tuple[str, ...]

    def count(self, msgid: str, n: int) -> str:
        """The plural message `msgid` for `n`: "1 earlier cell", "3 earlier cells"."""
        return say_count(self.lang, msgid, n)


#: The names a catalog gives other languages ("Chinese (中文)" in English); a language a
#: catalog does not name is called by its own name.
_OTHER_LANGUAGE_NAMES = (N_("ui.language.en"), N_("ui.language.zh"))


def next_language(lang: str) -> str:
    """The language the language switch goes to: the next one the tutor speaks."""
    spoken = languages()
    lang = language_or_default(lang)
    return spoken[(spoken.index(lang) + 1) % len(spoken)]


def _called(lang: str, other: str) -> str:
    """`other`'s name in `lang`."""
    msgid = f"ui.language.{other}"
    return say(lang, msgid) if known(msgid) else language_name(other)


def strings_for(lang: str) -> UiStrings:
    """The UI strings for a language code, English when it is unknown."""
    return _strings(language_or_default(lang))


@cache
def _strings(lang: str) -> UiStrings:
    return UiStrings(
        lang=lang,
        lesson_pane=say(lang, "ui.lesson-pane"),
        evaluator_pane=say(lang, "ui.evaluator-pane"),
        inspector_pane=say(lang, "ui.inspector-pane"),
        loading_lessons=say(lang, "ui.loading-lessons"),
        no_lessons=say(lang, "ui.no-lessons"),
        input_placeholder=say(lang, "ui.input-placeholder"),
        inspector_empty=say(lang, "ui.inspector-empty"),
        kernel=say(lang, "ui.kernel"),
        kernel_states={
            "starting": say(lang, "ui.kernel-state.starting"),
            "ready": say(lang, "ui.kernel-state.ready"),
            "busy": say(lang, "ui.kernel-state.busy"),
            "restarting": say(lang, "ui.kernel-state.restarting"),
            "dead": say(lang, "ui.kernel-state.dead"),
        },
        isolation=say(lang, "ui.isolation"),
        isolation_levels={
            "strong": say(lang, "ui.isolation-level.strong"),
            "partial": say(lang, "ui.isolation-level.partial"),
            "weak": say(lang, "ui.isolation-level.weak"),
        },
        lesson_of=say(lang, "ui.lesson-of"),
        exercises_done=say(lang, "ui.exercises-done"),
        key_help=say(lang, "ui.key-help"),
        key_lessons=say(lang, "ui.key-lessons"),
        key_hint=say(lang, "ui.key-hint"),
        key_check=say(lang, "ui.key-check"),
        key_example=say(lang, "ui.key-example"),
        key_focus=say(lang, "ui.key-focus"),
        key_prev=say(lang, "ui.key-prev"),
        key_next=say(lang, "ui.key-next"),
        key_solution=say(lang, "ui.key-solution"),
        key_quit=say(lang, "ui.key-quit"),
        key_interrupt=say(lang, "ui.key-interrupt"),
        key_palette=say(lang, "ui.key-palette"),
        key_run=say(lang, "ui.key-run"),
        key_newline=say(lang, "ui.key-newline"),
        key_complete=say(lang, "ui.key-complete"),
        key_history=say(lang, "ui.key-history"),
        key_copy=say(lang, "ui.key-copy"),
        key_answer=say(lang, "ui.key-answer"),
        key_replay=say(lang, "ui.key-replay"),
        key_close=say(lang, "ui.key-close"),
        key_pictures=say(lang, "ui.key-pictures"),
        key_escape=say(lang, "ui.key-escape"),
        key_scroll_log=say(lang, "ui.key-scroll-log"),
        exercise=say(lang, "ui.exercise"),
        question=say(lang, "ui.question"),
        exercise_status={
            "new": say(lang, "ui.exercise-status.new"),
            "attempted": say(lang, "ui.exercise-status.attempted"),
            "passed": say(lang, "ui.exercise-status.passed"),
            "revealed": say(lang, "ui.exercise-status.revealed"),
        },
        encouragement=(
            say(lang, "ui.encouragement-1"),
            say(lang, "ui.encouragement-2"),
            say(lang, "ui.encouragement-3"),
            say(lang, "ui.encouragement-4"),
        ),
        way_on=say(lang, "ui.way-on"),
        last_step=say(lang, "ui.last-step"),
        not_yet=say(lang, "ui.not-yet"),
        no_exercise=say(lang, "ui.no-exercise"),
        hint_title=say(lang, "ui.hint-title"),
        no_more_hints=say(lang, "ui.no-more-hints"),
        no_hints=say(lang, "ui.no-hints"),
        hint_offer=say(lang, "ui.hint-offer"),
        exercise_keys=say(lang, "ui.exercise-keys"),
        question_keys=say(lang, "ui.question-keys"),
        solution_confirm_title=say(lang, "ui.solution-confirm-title"),
        solution_confirm_body=say(lang, "ui.solution-confirm-body"),
        solution_revealed=say(lang, "ui.solution-revealed"),
        yes=say(lang, "ui.yes"),
        no=say(lang, "ui.no"),
        choice_keys=say(lang, "ui.choice-keys"),
        number_prompt=say(lang, "ui.number-prompt"),
        answer_right=say(lang, "ui.answer-right"),
        answer_wrong=say(lang, "ui.answer-wrong"),
        no_more_examples=say(lang, "ui.no-more-examples"),
        example_copied=say(lang, "ui.example-copied"),
        queued=say(lang, "ui.queued"),
        kernel_lost={
            "timeout": say(lang, "ui.kernel-lost.timeout"),
            "killed": say(lang, "ui.kernel-lost.killed"),
            "crashed": say(lang, "ui.kernel-lost.crashed"),
            "interrupted": say(lang, "ui.kernel-lost.interrupted"),
        },
        kernel_lost_detail=say(lang, "ui.kernel-lost-detail"),
        replay_offer=say(lang, "ui.replay-offer"),
        welcome_back=say(lang, "ui.welcome-back"),
        replay_done=say(lang, "ui.replay-done"),
        restarting=say(lang, "ui.restarting"),
        interrupted=say(lang, "ui.interrupted"),
        lessons_title=say(lang, "ui.lessons-title"),
        help_title=say(lang, "ui.help-title"),
        help_keys_heading=say(lang, "ui.help-keys-heading"),
        cmd_goto=say(lang, "ui.cmd-goto"),
        cmd_hint=say(lang, "ui.cmd-hint"),
        cmd_solution=say(lang, "ui.cmd-solution"),
        cmd_restart=say(lang, "ui.cmd-restart"),
        cmd_replay=say(lang, "ui.cmd-replay"),
        cmd_reset=say(lang, "ui.cmd-reset"),
        cmd_language=say(lang, "ui.cmd-language", language=_called(lang, next_language(lang))),
        cmd_theme=say(lang, "ui.cmd-theme"),
        cmd_check=say(lang, "ui.cmd-check"),
        cmd_interrupt=say(lang, "ui.cmd-interrupt"),
        cmd_next=say(lang, "ui.cmd-next"),
        cmd_prev=say(lang, "ui.cmd-prev"),
        cmd_help=say(lang, "ui.cmd-help"),
        cmd_lessons=say(lang, "ui.cmd-lessons"),
        cmd_pictures=say(lang, "ui.cmd-pictures"),
        cmd_quit=say(lang, "ui.cmd-quit"),
        cmd_screenshot=say(lang, "ui.cmd-screenshot"),
        pictures_hint=say(lang, "ui.pictures-hint"),
        pictures_on=say(lang, "ui.pictures-on"),
        pictures_off=say(lang, "ui.pictures-off"),
        language_unavailable=say(lang, "ui.language-unavailable"),
        lesson_reset=say(lang, "ui.lesson-reset"),
        palette_placeholder=say(lang, "ui.palette-placeholder"),
        lesson_end_title=say(lang, "ui.lesson-end-title"),
        lesson_end_passed=say(lang, "ui.lesson-end-passed"),
        lesson_end_hints=N_("ui.lesson-end-hints"),
        lesson_end_revealed=N_("ui.lesson-end-revealed"),
        lesson_end_next=say(lang, "ui.lesson-end-next"),
        lesson_end_go=say(lang, "ui.lesson-end-go"),
        lesson_end_stay=say(lang, "ui.lesson-end-stay"),
        course_end=say(lang, "ui.course-end"),
        earlier_cells=N_("ui.earlier-cells"),
        columns=(
            say(lang, "ui.column.name"),
            say(lang, "ui.column.kind"),
            say(lang, "ui.column.shape"),
            say(lang, "ui.column.dtype"),
            say(lang, "ui.column.value"),
            say(lang, "ui.column.gradient"),
        ),
    )


#: The source language's strings (a widget's default before the learner's are known).
EN = strings_for(SOURCE_LANGUAGE)
