"""The Textual tutor's own words, in English and Simplified Chinese.

Chosen like the lessons (`Options.lang`). A frozen dataclass rather than a dict so that a
string missing in one language is a type error, not a blank on the learner's screen.
Strings with `{fields}` are `str.format` templates; none of them is Rich markup, so
nothing the learner typed can turn into styling.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    #: The kernel client's status details (English words) in the learner's language;
    #: "" hides a detail that says nothing the state does not already say.
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
    lesson_end_hints: tuple[str, str]
    lesson_end_revealed: tuple[str, str]
    lesson_end_next: str
    lesson_end_go: str
    lesson_end_stay: str
    course_end: str
    #: "{n} earlier cell(s)", singular and plural.
    earlier_cells: tuple[str, str]

    def count(self, forms: tuple[str, str], n: int) -> str:
        """`forms` (singular, plural) for `n`: "1 earlier cell", "3 earlier cells"."""
        return (forms[0] if n == 1 else forms[1]).format(n=n)


EN = UiStrings(
    lang="en",
    lesson_pane="Lesson",
    evaluator_pane="Evaluator",
    inspector_pane="Inspector",
    loading_lessons="Loading the lessons…",
    no_lessons="No lessons were found.",
    input_placeholder="Python here · Enter runs · F1 keys",
    inspector_empty="No tensors yet. Assign one, e.g. x = tf.range(4)",
    kernel="kernel",
    kernel_states={
        "starting": "starting",
        "ready": "ready",
        "busy": "busy",
        "restarting": "restarting",
        "dead": "stopped",
    },
    isolation="isolation",
    isolation_levels={"strong": "strong", "partial": "partial", "weak": "weak"},
    lesson_of="lesson {n}/{total}",
    exercises_done="✓ {done}/{total}",
    key_help="Help",
    key_lessons="Lessons",
    key_hint="Hint",
    key_check="Check",
    key_example="Example",
    key_focus="Next pane: input, question, lesson, inspector, log (shift+F6 back)",
    key_prev="Back",
    key_next="Next",
    key_solution="Solution",
    key_quit="Quit",
    key_interrupt="Interrupt",
    key_palette="Commands",
    key_run="Run the cell (when it is complete)",
    key_newline="New line",
    key_complete="Complete a name",
    key_history="Previous / next cell (at the first / last line)",
    key_copy="Copy the selection (when no cell runs)",
    key_answer="Answer a question: its number in the input, then Enter (on the card: 1-9 / a-i)",
    key_replay="Replay",
    key_close="Close",
    key_pictures="Matrices as pictures (heatmaps): on / off",
    key_escape="Back to the input, from anywhere",
    key_scroll_log="Scroll the evaluator's log (in the input)",
    exercise="Exercise",
    question="Question",
    exercise_status={
        "new": "not tried yet",
        "attempted": "tried",
        "passed": "passed ✓",
        "revealed": "solution shown",
    },
    encouragement=("Well done!", "Exactly right.", "That's it!", "Correct — nicely done."),
    way_on="Press F8 (or ctrl+n) for the next step.",
    last_step="This is the last step of the course.",
    not_yet="Not yet:",
    no_exercise="This step has no exercise to check.",
    hint_title="Hint {n} of {total}: ",
    no_more_hints="No more hints. F9 shows the solution.",
    no_hints="No hint for this one: the step's text above has what it needs.",
    hint_offer="F3 gives a hint.",
    exercise_keys="F3 hint · F4 check · F9 solution",
    question_keys="F3 hint",
    solution_confirm_title="Show the solution?",
    solution_confirm_body="It is recorded that you saw it. Trying once more with a hint often teaches more.",
    solution_revealed="Solution (copied into the input):",
    yes="Show it",
    no="Not now",
    choice_keys="Answer: type 1-{n} in the input, then Enter",
    number_prompt="Answer: type the number in the input, then Enter",
    answer_right="✓",
    answer_wrong="✗",
    no_more_examples="This step has no example to copy.",
    example_copied="Example {n} of {total} is in the input: Enter runs it.",
    queued="queued: runs as soon as the kernel is ready",
    kernel_lost={
        "timeout": "The cell ran longer than the time limit and was stopped.",
        "killed": "The kernel was stopped.",
        "crashed": "The kernel crashed.",
        "interrupted": "The cell did not stop when interrupted, so the kernel was stopped.",
    },
    kernel_lost_detail="A fresh kernel is starting; your variables are gone.",
    replay_offer="ctrl+r replays this lesson's earlier cells to get them back.",
    welcome_back="Welcome back: this is where you stopped. ctrl+r re-runs your {cells} of this lesson to get your variables back.",
    replay_done="Replay: {replayed} ran, {skipped} skipped, {failed} failed ({ms:.0f} ms).",
    restarting="Restarting the kernel…",
    interrupted="Interrupted.",
    lessons_title="Lessons",
    help_title="Keys",
    help_keys_heading="Every key of the tutor",
    cmd_goto="Go to lesson: {title}",
    cmd_hint="Show the next hint",
    cmd_solution="Show the solution",
    cmd_restart="Restart the kernel",
    cmd_replay="Replay the lesson's cells",
    cmd_reset="Reset this lesson (fresh kernel, first step)",
    cmd_language="Switch language to Chinese (中文)",
    cmd_theme="Change the theme",
    cmd_check="Check the exercise",
    cmd_interrupt="Interrupt the running cell",
    cmd_next="Next step",
    cmd_prev="Previous step",
    cmd_help="Show every key",
    cmd_lessons="List the lessons",
    cmd_pictures="Show or hide matrices as pictures (heatmaps)",
    cmd_quit="Quit the tutor (your progress is saved)",
    cmd_screenshot="Save a screenshot of the screen (SVG)",
    pictures_hint="ctrl+t draws matrices as pictures",
    pictures_on="Matrices are drawn as pictures (ctrl+t hides them).",
    pictures_off="Matrices are shown as numbers only (ctrl+t draws them).",
    language_unavailable="The other language's lessons could not be loaded.",
    lesson_reset="The lesson starts afresh.",
    palette_placeholder="Search for a command…",
    lesson_end_title="End of lesson {number} · {title}",
    lesson_end_passed="{passed} of {total} exercises and questions passed.",
    lesson_end_hints=("1 hint used.", "{n} hints used."),
    lesson_end_revealed=("1 solution shown.", "{n} solutions shown."),
    lesson_end_next="Go on to lesson {number} · {title}?",
    lesson_end_go="Go on",
    lesson_end_stay="Stay here",
    course_end="That was the last lesson of the course.",
    earlier_cells=("1 earlier cell", "{n} earlier cells"),
)

ZH = UiStrings(
    lang="zh",
    lesson_pane="课程",
    evaluator_pane="运行",
    inspector_pane="变量",
    loading_lessons="正在加载课程…",
    no_lessons="没有找到课程。",
    input_placeholder="写 Python · Enter 运行 · F1 帮助",
    inspector_empty="还没有张量。试试 x = tf.range(4)",
    kernel="内核",
    kernel_states={
        "starting": "启动中",
        "ready": "就绪",
        "busy": "运行中",
        "restarting": "重启中",
        "dead": "已停止",
    },
    isolation="隔离",
    isolation_levels={"strong": "强", "partial": "部分", "weak": "弱"},
    lesson_of="第 {n}/{total} 课",
    exercises_done="✓ {done}/{total}",
    key_help="帮助",
    key_lessons="课程列表",
    key_hint="提示",
    key_check="检查",
    key_example="示例",
    key_focus="切换窗格：输入框、问题、课程、变量、运行记录（shift+F6 反向）",
    key_prev="上一步",
    key_next="下一步",
    key_solution="答案",
    key_quit="退出",
    key_interrupt="中断",
    key_palette="命令",
    key_run="运行代码（代码完整时）",
    key_newline="换行",
    key_complete="补全名称",
    key_history="上一条 / 下一条（在第一行 / 最后一行时）",
    key_copy="复制选中的文字（没有代码在运行时）",
    key_answer="回答问题：在输入框输入编号，再按 Enter（在问题卡片上：1-9 / a-i）",
    key_replay="重放",
    key_close="关闭",
    key_pictures="矩阵热力图：显示 / 隐藏",
    key_escape="从任何地方回到输入框",
    key_scroll_log="滚动运行记录（在输入框中）",
    exercise="练习",
    question="问题",
    exercise_status={
        "new": "尚未尝试",
        "attempted": "已尝试",
        "passed": "已通过 ✓",
        "revealed": "已看答案",
    },
    encouragement=("做得好！", "完全正确。", "就是这样！", "正确，漂亮。"),
    way_on="按 F8（或 ctrl+n）进入下一步。",
    last_step="这是课程的最后一步。",
    not_yet="还不对：",
    no_exercise="这一步没有需要检查的练习。",
    hint_title="提示 {n}/{total}：",
    no_more_hints="没有更多提示了。按 F9 查看答案。",
    no_hints="这一题没有提示：上面这一步的正文讲了需要的内容。",
    hint_offer="按 F3 看提示。",
    exercise_keys="F3 提示 · F4 检查 · F9 答案",
    question_keys="F3 提示",
    solution_confirm_title="查看答案？",
    solution_confirm_body="系统会记录你看过答案。再借助提示试一次，往往学得更多。",
    solution_revealed="答案（已放入输入框）：",
    yes="查看",
    no="暂不",
    choice_keys="作答：在输入框输入 1-{n}，再按 Enter",
    number_prompt="作答：在输入框输入这个数，再按 Enter",
    answer_right="✓",
    answer_wrong="✗",
    no_more_examples="这一步没有可复制的示例。",
    example_copied="示例 {n}/{total} 已放入输入框：按 Enter 运行。",
    queued="已排队：内核就绪后立即运行",
    kernel_lost={
        "timeout": "代码运行超过时间限制，已被停止。",
        "killed": "内核被停止了。",
        "crashed": "内核崩溃了。",
        "interrupted": "代码中断后没有停下，内核已被停止。",
    },
    kernel_lost_detail="新的内核正在启动；之前的变量已经丢失。",
    replay_offer="按 ctrl+r 重放本课之前的代码，找回变量。",
    welcome_back="欢迎回来：这是你上次停下的地方。按 ctrl+r 重新运行本课{cells}，找回你的变量。",
    replay_done="重放了 {replayed} 段代码（跳过 {skipped}，失败 {failed}），用时 {ms:.0f} 毫秒。",
    restarting="正在重启内核…",
    interrupted="已中断。",
    lessons_title="课程列表",
    help_title="按键",
    help_keys_heading="所有按键",
    cmd_goto="转到课程：{title}",
    cmd_hint="显示下一条提示",
    cmd_solution="查看答案",
    cmd_restart="重启内核",
    cmd_replay="重放本课的代码",
    cmd_reset="重置本课（新内核，回到第一步）",
    cmd_language="切换语言为英文（English）",
    cmd_theme="更换主题",
    cmd_check="检查练习",
    cmd_interrupt="中断正在运行的代码",
    cmd_next="下一步",
    cmd_prev="上一步",
    cmd_help="显示所有按键",
    cmd_lessons="列出课程",
    cmd_pictures="显示或隐藏矩阵热力图",
    cmd_quit="退出 tutor（进度已保存）",
    cmd_screenshot="保存屏幕截图（SVG）",
    pictures_hint="按 ctrl+t 把矩阵画成热力图",
    pictures_on="矩阵以热力图显示（ctrl+t 隐藏）。",
    pictures_off="矩阵只显示数字（ctrl+t 画出热力图）。",
    language_unavailable="无法加载另一种语言的课程。",
    lesson_reset="本课重新开始。",
    palette_placeholder="搜索命令…",
    lesson_end_title="第 {number} 课 · {title} 结束",
    lesson_end_passed="通过了 {passed}/{total} 个练习和问题。",
    lesson_end_hints=("用了 1 条提示。", "用了 {n} 条提示。"),
    lesson_end_revealed=("看了 1 个答案。", "看了 {n} 个答案。"),
    lesson_end_next="进入第 {number} 课 · {title}？",
    lesson_end_go="继续",
    lesson_end_stay="留在这里",
    course_end="这是课程的最后一课。",
    earlier_cells=("之前的 1 段代码", "之前的 {n} 段代码"),
)

_BY_LANG = {"en": EN, "zh": ZH}


def strings_for(lang: str) -> UiStrings:
    """The UI strings for a language code, English when it is unknown."""
    return _BY_LANG.get(lang, EN)
