"""The line tutor's own words, in English and Simplified Chinese (`Options.lang`).

Templates use `str.format` fields. `words(lang)` falls back to English for an
unknown language; a test proves both languages have the same keys.
"""

from __future__ import annotations

from typing import Any

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "lesson-header": "Lesson {number} of {total}: {title} - step {step} of {steps}: {step_title}",
        "exercise": "Exercise {id}",
        "question": "Question {id}",
        "status": "status: {status}",
        "status-passed": "passed",
        "status-attempted": "attempted",
        "status-revealed": "solution shown",
        "exercise-howto": "Type Python to answer; :check checks it, :hint gives a hint, :solution shows one.",
        "question-howto": "Answer with :answer N (a bare number works too on a question step).",
        "number-howto": "Answer with :answer VALUE (a bare number works too on a question step).",
        "predict-howto": "Answer with :answer PREDICTION (a bare one such as (3, 4) works too).",
        "starter": "The code to repair (it waits at the prompt):",
        "welcome": "tutor --plain: type Python, or :help for the commands. Ctrl-D leaves.",
        "loading": "TensorFlow is loading in the background; the first cell waits for it.",
        "starting": "TensorFlow is starting (a few seconds)...",
        "kernel-restarting": "The kernel restarts: {detail}",
        "kernel-dead": "The kernel stopped: {detail}",
        "interrupting": "Interrupting the cell...",
        "no-value": "",
        "check-passed": "Check passed.",
        "check-failed": "Check: not yet.",
        "no-exercise": "This step has no exercise to check.",
        "no-hint": "No more hints for this step.",
        "no-hints": "This step has no hints.",
        "hint": "Hint {n}: {text}",
        "solution": "A solution (recorded as shown):",
        "no-solution": "This step has no exercise, so no solution.",
        "confirm-solution": "Show the solution? It is recorded as shown. [y/N] ",
        "not-shown": "Solution not shown.",
        "end-of-course": "This is the last step of the course.",
        "start-of-course": "This is the first step of the course.",
        "lessons-title": "Lessons ({done} of {total} exercises and questions done):",
        "here": "you are here",
        "unknown-lesson": "There is no lesson {id!r}. :lessons lists them.",
        "goto-usage": "Usage: :goto LESSON [STEP] or :goto LESSON/EXERCISE, e.g. :goto tensors 2",
        "restarted": "A fresh kernel: your names are gone.",
        "replay-offer": ":replay re-runs your {cells} of this lesson.",
        "replayed": "Replayed {cells} ({failed} failed, {skipped} skipped).",
        "earlier-cells-1": "1 earlier cell",
        "earlier-cells": "{n} earlier cells",
        "cells-1": "1 cell",
        "cells": "{n} cells",
        "hint-offer": ":hint gives a hint.",
        "lesson-end": "End of lesson {number}: {title}.",
        "lesson-end-passed": "{passed} of {total} exercises and questions passed.",
        "lesson-end-hints-1": "1 hint used.",
        "lesson-end-hints": "{n} hints used.",
        "lesson-end-revealed-1": "1 solution shown.",
        "lesson-end-revealed": "{n} solutions shown.",
        "lesson-end-next": "Go on to lesson {number}: {title}? [Y/n] ",
        "lesson-end-stay": "You stay on this lesson's last step; :next goes on.",
        "lang-usage": "Usage: :lang en|zh",
        "lang-missing": "Could not load the {lang} lessons: {error}",
        "lang-set": "Language: English.",
        "answer-usage": "Usage: :answer N (an option's number or letter, or a value).",
        "no-question": "There is no question on this step.",
        "unknown-command": "Unknown command :{name}.",
        "did-you-mean": "Did you mean :{suggestion}?",
        "help-hint": ":help lists the commands.",
        "no-variables": "No variables yet: run a cell first.",
        "no-such-variable": "No variable {name!r} in the last snapshot.",
        "vars-title": "Variables after the last cell (gradients are d(sum target)/d(variable)):",
        "col-name": "name",
        "col-kind": "kind",
        "col-shape": "shape",
        "col-dtype": "dtype",
        "col-value": "value",
        "col-gradient": "gradient",
        "scalar": "scalar",
        "outcome-interrupted": "Interrupted.",
        "outcome-timeout": "Stopped: the cell ran past its time limit.",
        "outcome-killed": "Stopped: the cell went past one of the kernel's limits.",
        "outcome-crashed": "The kernel crashed while running the cell.",
        "hint-label": "Hint",
        "bye": "Saved. Bye.",
        "help-intro": "Type Python and press Enter; a block (def, for, ...) ends with an empty line.",
        "help-commands": "Commands:",
        "help-table": (
            ":next, :prev\tthe next or previous step\n"
            ":step\tshow the current step again\n"
            ":lessons\tthe lessons and what you have done\n"
            ":goto ID [STEP]\topen a lesson (at a step); ID/EXERCISE opens an exercise\n"
            ":hint\tthe next hint\n"
            ":solution\tshow a solution (recorded)\n"
            ":check\tcheck the exercise of this step\n"
            ":answer X\tanswer the question (an option's number or letter, or a value); "
            "on a question step a bare number (2, 0.5) answers too; write (2) to run it as Python\n"
            ":vars [NAME]\tthe inspector: names, shapes, values, gradients\n"
            ":restart\ta fresh kernel; :replay re-runs this lesson's cells\n"
            ":reset\tstart this lesson afresh (its record forgotten)\n"
            ":lang en|zh\tthe language of the lessons\n"
            ":help, :quit\tthis text; leave (Ctrl-D also leaves)"
        ),
        "help-end": "Ctrl-C stops a running cell, or clears the line.",
        "confirm-reset": "Start this lesson afresh? Its record (exercises, answers, cells) is forgotten. [y/N] ",
        "lesson-reset": "The lesson starts afresh.",
    },
    "zh": {
        "lesson-header": "第 {number} 课（共 {total} 课）：{title} - 第 {step} 步（共 {steps} 步）：{step_title}",
        "exercise": "练习 {id}",
        "question": "问题 {id}",
        "status": "状态：{status}",
        "status-passed": "已通过",
        "status-attempted": "已尝试",
        "status-revealed": "已看答案",
        "exercise-howto": "输入 Python 代码作答；:check 检查，:hint 提示，:solution 看答案。",
        "question-howto": "用 :answer N 作答（在问题步骤中直接输入数字也可以）。",
        "number-howto": "用 :answer 数值 作答（在问题步骤中直接输入数字也可以）。",
        "predict-howto": "用 :answer 预测 作答（直接输入 (3, 4) 这样的预测也可以）。",
        "starter": "要修改的代码（已经放在提示符后面）：",
        "welcome": "tutor --plain：输入 Python 代码，或输入 :help 查看命令。Ctrl-D 退出。",
        "loading": "TensorFlow 正在后台加载；第一个单元会等它加载完。",
        "starting": "TensorFlow 正在启动（需要几秒钟）……",
        "kernel-restarting": "内核正在重启：{detail}",
        "kernel-dead": "内核已停止：{detail}",
        "interrupting": "正在中断单元……",
        "no-value": "",
        "check-passed": "检查通过。",
        "check-failed": "检查：还不对。",
        "no-exercise": "这一步没有需要检查的练习。",
        "no-hint": "这一步没有更多提示了。",
        "no-hints": "这一步没有提示。",
        "hint": "提示 {n}：{text}",
        "solution": "参考答案（已记录为看过答案）：",
        "no-solution": "这一步没有练习，所以没有答案。",
        "confirm-solution": "显示答案吗？会记录为看过答案。[y/N] ",
        "not-shown": "没有显示答案。",
        "end-of-course": "这是课程的最后一步。",
        "start-of-course": "这是课程的第一步。",
        "lessons-title": "课程（已完成 {done}/{total} 个练习和问题）：",
        "here": "当前位置",
        "unknown-lesson": "没有课程 {id!r}。:lessons 列出所有课程。",
        "goto-usage": "用法：:goto 课程 [步骤] 或 :goto 课程/练习，例如 :goto tensors 2",
        "restarted": "新的内核：之前的变量都没有了。",
        "replay-offer": ":replay 会重新运行本课{cells}。",
        "replayed": "已重放 {cells}（{failed} 个出错，{skipped} 个跳过）。",
        "earlier-cells-1": "之前的 1 个单元",
        "earlier-cells": "之前的 {n} 个单元",
        "cells-1": "1 个单元",
        "cells": "{n} 个单元",
        "hint-offer": ":hint 可以看提示。",
        "lesson-end": "第 {number} 课结束：{title}。",
        "lesson-end-passed": "通过了 {passed}/{total} 个练习和问题。",
        "lesson-end-hints-1": "用了 1 条提示。",
        "lesson-end-hints": "用了 {n} 条提示。",
        "lesson-end-revealed-1": "看了 1 个答案。",
        "lesson-end-revealed": "看了 {n} 个答案。",
        "lesson-end-next": "进入第 {number} 课：{title}？[Y/n] ",
        "lesson-end-stay": "你留在本课的最后一步；:next 继续。",
        "lang-usage": "用法：:lang en|zh",
        "lang-missing": "无法加载 {lang} 课程：{error}",
        "lang-set": "语言：简体中文。",
        "answer-usage": "用法：:answer N（选项的编号或字母，或一个数值）。",
        "no-question": "这一步没有问题。",
        "unknown-command": "未知命令 :{name}。",
        "did-you-mean": "你是想输入 :{suggestion} 吗？",
        "help-hint": ":help 列出所有命令。",
        "no-variables": "还没有变量：先运行一个单元。",
        "no-such-variable": "上一次快照中没有变量 {name!r}。",
        "vars-title": "上一个单元之后的变量（梯度为 d(目标之和)/d(变量)）：",
        "col-name": "名称",
        "col-kind": "类型",
        "col-shape": "形状",
        "col-dtype": "数据类型",
        "col-value": "值",
        "col-gradient": "梯度",
        "scalar": "标量",
        "outcome-interrupted": "已中断。",
        "outcome-timeout": "已停止：单元运行超过了时间限制。",
        "outcome-killed": "已停止：单元超出了内核的某项限制。",
        "outcome-crashed": "运行单元时内核崩溃了。",
        "hint-label": "提示",
        "bye": "已保存。再见。",
        "help-intro": "输入 Python 代码并按回车；代码块（def、for 等）以空行结束。",
        "help-commands": "命令：",
        "help-table": (
            ":next, :prev\t下一步或上一步\n"
            ":step\t再次显示当前步骤\n"
            ":lessons\t所有课程和你的进度\n"
            ":goto ID [STEP]\t打开一课（可指定步骤）；ID/练习 打开该练习\n"
            ":hint\t下一个提示\n"
            ":solution\t显示答案（会被记录）\n"
            ":check\t检查这一步的练习\n"
            ":answer X\t回答问题（选项编号或字母，或数值）；在问题步骤中直接输入数字"
            "（2、0.5）也可以作答；写成 (2) 则作为 Python 运行\n"
            ":vars [NAME]\t检查器：名称、形状、值、梯度\n"
            ":restart\t新的内核；:replay 重新运行本课的单元\n"
            ":reset\t重新开始本课（清除本课的记录）\n"
            ":lang en|zh\t课程语言\n"
            ":help, :quit\t显示本说明；退出（Ctrl-D 也可以退出）"
        ),
        "help-end": "Ctrl-C 中断正在运行的单元，或清空当前行。",
        "confirm-reset": "重新开始本课吗？本课的记录（练习、回答、单元）会被清除。[y/N] ",
        "lesson-reset": "本课重新开始。",
    },
}


def words(lang: str) -> dict[str, str]:
    """The phrases of a language (English when it is unknown)."""
    return WORDS.get(lang, WORDS["en"])


def say(lang: str, key: str, **values: Any) -> str:
    """One phrase, its fields filled in."""
    return words(lang)[key].format(**values)


def say_count(lang: str, key: str, n: int, **values: Any) -> str:
    """A phrase about `n` things: `key-1` when there is one ("1 earlier cell"), else `key`."""
    table = words(lang)
    chosen = f"{key}-1" if n == 1 and f"{key}-1" in table else key
    return table[chosen].format(n=n, **values)
