"""Every word the tutor itself shows is in the learner's language.

Walks the screens a learner meets — a lesson's prose, an exercise after a check and a
hint, a question after a wrong answer, the help, the lesson list, the palette, the
solution's question, a lesson's end — in Chinese and in English, and looks for the
other language's words: the tutor's own phrases, and Textual's built-in ones.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import pytest
from fake_kernel import FakeKernel
from textual.command import CommandInput, CommandList, CommandPalette
from tui_pilot import ready, screen_text, until

from tutor.curriculum.loader import load_course
from tutor.progress.store import ProgressStore
from tutor.session import Session
from tutor.textflow import display_width
from tutor.tui.app import TutorApp
from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.screens.help import HelpScreen
from tutor.tui.screens.lesson_end import LessonEndScreen
from tutor.tui.screens.lesson_list import LessonListScreen
from tutor.tui.strings import EN, UiStrings, strings_for

#: What Textual says by itself, in English, unless the tutor gives it other words.
TEXTUAL_WORDS = (
    "Search for commands",
    "Quit the application",
    "Save screenshot",
    "Change theme",
    "Show keys and help panel",
    "Maximize",
    "Minimize",
)
#: ASCII words that belong in a Chinese screen's own chrome: keys, names, units.
CHROME_WORDS = {
    "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "ctrl", "shift", "alt",
    "Enter", "enter", "Tab", "Escape", "PageUp", "PageDown", "q", "p", "r", "t", "c", "o", "n", "j",
    "a", "i", "tutor", "Python", "TensorFlow", "TF", "CPU", "dtype", "SVG", "English",
    "x", "tf", "range", "y",
}  # fmt: skip

ZH = strings_for("zh")


def phrases(strings: UiStrings) -> Iterator[str]:
    """The fixed pieces of every phrase (between its `{fields}`), long enough to tell."""
    for field in dataclasses.fields(strings):
        value = getattr(strings, field.name)
        values = (
            value.values()
            if isinstance(value, dict)
            else value
            if isinstance(value, tuple)
            else [value]
        )
        for text in values:
            if not isinstance(text, str) or field.name == "lang":
                continue
            for piece in re.split(r"\{[^}]*\}", text):
                piece = piece.strip(" .:：。，,()（）·")
                if (len(piece) >= 6 and " " in piece) or (len(piece) >= 3 and not piece.isascii()):
                    yield piece


def palette_shown(app: TutorApp, lang: str) -> bool:
    """The palette is drawn with its entries (checking the exercise is the first)."""
    return (ZH if lang == "zh" else EN).cmd_check in screen_text(app)


def own_text(app: TutorApp) -> str:
    """The tutor's own words on screen: a dialog's box, or the main screen's status line
    and footer (not the lesson's text, which is the curriculum's)."""
    screen = app.screen
    lines = screen_text(app).splitlines()
    if screen is app.tutor_screen:
        return "\n".join(lines[-2:])
    if isinstance(screen, CommandPalette):
        entries = screen.query_one(CommandList)
        prompts = [str(entries.get_option_at_index(i).prompt) for i in range(entries.option_count)]
        return "\n".join([screen.query_one(CommandInput).placeholder, *prompts])
    box = screen.children[0].region
    return "\n".join(cells(line, box.x, box.right) for line in lines[box.y : box.bottom])


def cells(line: str, start: int, end: int) -> str:
    """The characters of `line` between two cell columns (a Chinese character is two)."""
    out, column = [], 0
    for char in line:
        if start <= column < end:
            out.append(char)
        column += display_width(char)
    return "".join(out)


async def screens(lang: str) -> list[tuple[str, str, str]]:
    """(what, the screen's text, the tutor's own part of it) for each screen of the walk."""
    course = load_course(lang)
    lesson = course.lesson("tensors")
    assert lesson is not None
    exercise = next(i for i, s in enumerate(lesson.steps) if s.exercise is not None)
    question = next(i for i, s in enumerate(lesson.steps) if s.question is not None)
    store = ProgressStore.in_memory()
    app = TutorApp(
        lambda: Session(course, FakeKernel(), store, lesson="tensors"),
        lang=lang,
        course_loader=load_course,
    )
    seen: list[tuple[str, str, str]] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app)
        screen = app.tutor_screen
        session = screen.session
        assert session is not None
        await pilot.pause(0.2)
        seen.append(("prose", screen_text(app), own_text(app)))
        screen.goto("tensors", exercise)
        await until(pilot, lambda: session.step_index == exercise)
        await pilot.press("f4", "f3")
        await pilot.pause(0.3)
        seen.append(("exercise", screen_text(app), own_text(app)))
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        seen.append(("solution?", screen_text(app), own_text(app)))
        await pilot.press("escape")
        screen.goto("tensors", question)
        await until(pilot, lambda: session.step_index == question)
        await pilot.press("9", "enter", "1", "enter")
        await pilot.pause(0.3)
        seen.append(("question", screen_text(app), own_text(app)))
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        seen.append(("help", screen_text(app), own_text(app)))
        await pilot.press("escape")
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen))
        seen.append(("lessons", screen_text(app), own_text(app)))
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await until(pilot, lambda: palette_shown(app, lang))
        seen.append(("palette", screen_text(app), own_text(app)))
        await pilot.press("escape")
        screen.goto("tensors", len(lesson.steps) - 1)
        await until(pilot, lambda: session.step_index == len(lesson.steps) - 1)
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, LessonEndScreen))
        seen.append(("lesson end", screen_text(app), own_text(app)))
    return seen


@pytest.mark.slow
@pytest.mark.timeout(300)
async def test_chinese_screens_have_no_english_of_the_tutors_own() -> None:
    english = [*phrases(EN), *TEXTUAL_WORDS]
    for what, text, own in await screens("zh"):
        found = [phrase for phrase in english if phrase in text]
        assert not found, (what, found)
        # the tutor's own words are Chinese but for keys and names
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", own)) - CHROME_WORDS
        assert not words, (what, words, own)


@pytest.mark.slow
@pytest.mark.timeout(300)
async def test_english_screens_have_no_chinese_of_the_tutors_own() -> None:
    chinese = [phrase for phrase in phrases(ZH) if phrase != "中文"]
    for what, text, _ in await screens("en"):
        found = [phrase for phrase in chinese if phrase in text]
        assert not found, (what, found)
        assert not re.search(r"[\u4e00-\u9fff]", text.replace("中文", "")), what


async def test_the_palette_lists_each_entry_once() -> None:
    from tutor.tui.commands import tutor_commands

    course = load_course("zh")
    app = TutorApp(
        lambda: Session(course, FakeKernel(), ProgressStore.in_memory()),
        lang="zh",
        course_loader=load_course,
    )
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot, app)
        system = [(c.title, c.help) for c in app.get_system_commands(app.screen)]
        assert all(not help_text for _, help_text in system)  # no line repeating the title
        titles = [t for t, _ in system] + [t for t, _ in tutor_commands(app.tutor_screen)]
        assert len(titles) == len(set(titles))
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"退出")
        await until(pilot, lambda: "进度已保存" in screen_text(app))
        await pilot.pause(0.5)  # every provider has answered
        assert screen_text(app).count("退出 tutor（进度已保存）") == 1
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: "搜索命令" in screen_text(app))
