"""The store's events and health in the learner's words, English and Chinese.

Each message says what happened, what was (or was not) kept, why, and what the learner
can do about it; the technical detail goes to tutor.log, not here. Both frontends show
these: the TUI as a toast and in the status bar, line mode as a line.
"""

from __future__ import annotations

from pathlib import Path

from tutor.progress.causes import Cause
from tutor.progress.events import StoreEvent, StoreHealth, Unsaved

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "not-saved": "Not saved: {what}. {why}. {todo}",
        "keeps": "The tutor keeps your work and saves it as soon as it can.",
        "saved-again": "Saving works again: everything that waited is saved now ({what}).",
        "lost": "Lost: {what} could not be saved ({why}).",
        "repaired": (
            "Your record {path} was damaged. It was repaired: {records} records were saved "
            "into a fresh file{unreadable}; the damaged file is kept beside it as {kept_as}."
        ),
        "unreadable": ", {n} could not be read",
        "read-only-repair": (
            "Your record {path} is damaged: {records} records could be read and are shown"
            "{unreadable}, but a repaired file cannot be written beside it."
        ),
        "set-aside": (
            "Your record {path} could not be used ({detail}): it was moved aside as "
            "{kept_as} and a fresh record starts."
        ),
        "not-persistent": "Nothing you do in this session will be saved: {why}. {todo}",
        "read-failed": "Your record could not be read: {why}. What the tutor shows may be incomplete.",
        "moved": (
            "{path} was moved or deleted while the tutor ran: a new record was started there, "
            "and what you do from now on is saved in it."
        ),
        "position-shared": (
            "Another tutor is open on this record and moved your place in it: the tutor you "
            "close last decides where you continue next time."
        ),
        "label-unsaved": "{n} unsaved ({why})",
        "label-off": "not saving ({why})",
        "and": " and ",
        "comma": ", ",
        "space": " ",
    },
    "zh": {
        "not-saved": "未保存：{what}。{why}。{todo}",
        "keeps": "导师会保留你的操作，一有可能就保存。",
        "saved-again": "保存已恢复：等待中的内容现已全部保存（{what}）。",
        "lost": "已丢失：{what}没能保存（{why}）。",
        "repaired": (
            "你的记录 {path} 已损坏，现已修复：{records} 条记录存入了新文件{unreadable}；"
            "损坏的文件保留在旁边，名为 {kept_as}。"
        ),
        "unreadable": "，{n} 条无法读取",
        "read-only-repair": "你的记录 {path} 已损坏：读出了 {records} 条记录并已显示{unreadable}，但无法在旁边写入修复后的文件。",
        "set-aside": "你的记录 {path} 无法使用（{detail}）：它已被移到一旁，名为 {kept_as}，新的记录从头开始。",
        "not-persistent": "本次所做的一切都不会被保存：{why}。{todo}",
        "read-failed": "无法读取你的记录：{why}。导师显示的内容可能不完整。",
        "moved": "{path} 在导师运行时被移走或删除：已在原处开始新的记录，从现在起的操作都保存在其中。",
        "position-shared": (
            "另一个导师也打开了这份记录，并改变了你在其中的位置：下次从你最后关闭的那个导师的位置继续。"
        ),
        "label-unsaved": "{n} 项未保存（{why}）",
        "label-off": "不保存（{why}）",
        "and": "和",
        "comma": "、",
        "space": "",
    },
}

#: Why, as a clause: {path} is the file, {folder} its folder.
_CAUSES: dict[str, dict[Cause, str]] = {
    "en": {
        "disk-full": "the disk holding {folder} is full",
        "too-large": "this tutor may not write files that large (the limit set by ulimit -f)",
        "read-only": "{path} cannot be written (a read-only file, folder or disk)",
        "locked": "another program kept {path} locked",
        "damaged": "{path} is damaged",
        "moved": "{path} was moved or deleted while the tutor ran",
        "io": "the disk reported an error writing {path}",
        "memory": "the computer ran out of memory",
        "newer": "{path} was written by a newer tutor and is left untouched",
        "wal-deleted": (
            "the journal of {path} (its -wal file) was deleted while another tutor was using it"
        ),
        "unknown": "an unexpected error writing {path} (see tutor.log)",
    },
    "zh": {
        "disk-full": "存放 {folder} 的磁盘已满",
        "too-large": "导师不能写这么大的文件（ulimit -f 设定的限制）",
        "read-only": "{path} 无法写入（文件、文件夹或磁盘是只读的）",
        "locked": "另一个程序一直锁着 {path}",
        "damaged": "{path} 已损坏",
        "moved": "{path} 在导师运行时被移走或删除",
        "io": "写入 {path} 时磁盘报错",
        "memory": "电脑内存不足",
        "newer": "{path} 由更新版本的导师写入，保持原样不动",
        "wal-deleted": "{path} 的日志文件（-wal）在另一个导师使用时被删除",
        "unknown": "写入 {path} 时发生意外错误（见 tutor.log）",
    },
}

#: What to do, as a sentence.
_TODO: dict[str, dict[Cause, str]] = {
    "en": {
        "disk-full": "Free some space there.",
        "too-large": "Start the tutor without that limit (ulimit -f unlimited).",
        "read-only": "Make {folder} writable, or set TUTOR_HOME to a folder you can write.",
        "locked": "Close the other program that has it open.",
        "damaged": "",
        "moved": "",
        "io": "Check the disk, or set TUTOR_HOME to a folder on another one.",
        "memory": "Close some other programs.",
        "newer": "Use the newer tutor, or set TUTOR_HOME to another folder.",
        "wal-deleted": "Close every tutor, then start again: the other tutor saves it on closing.",
        "unknown": "",
    },
    "zh": {
        "disk-full": "请在那里腾出一些空间。",
        "too-large": "请在没有该限制的情况下启动导师（ulimit -f unlimited）。",
        "read-only": "请让 {folder} 可写，或把 TUTOR_HOME 设为你能写入的文件夹。",
        "locked": "请关闭打开它的另一个程序。",
        "damaged": "",
        "moved": "",
        "io": "请检查磁盘，或把 TUTOR_HOME 设为另一块磁盘上的文件夹。",
        "memory": "请关闭一些其他程序。",
        "newer": "请使用更新版本的导师，或把 TUTOR_HOME 设为另一个文件夹。",
        "wal-deleted": "请关闭所有导师后重新启动：另一个导师关闭时会把它保存下来。",
        "unknown": "",
    },
}

_SHORT: dict[str, dict[Cause, str]] = {
    "en": {
        "disk-full": "disk full",
        "too-large": "file size limit",
        "read-only": "read-only",
        "locked": "locked",
        "damaged": "damaged",
        "moved": "file moved",
        "io": "disk error",
        "memory": "out of memory",
        "newer": "newer tutor's file",
        "wal-deleted": "journal deleted",
        "unknown": "error",
    },
    "zh": {
        "disk-full": "磁盘已满",
        "too-large": "文件大小受限",
        "read-only": "只读",
        "locked": "被锁定",
        "damaged": "已损坏",
        "moved": "文件被移走",
        "io": "磁盘错误",
        "memory": "内存不足",
        "newer": "新版导师的文件",
        "wal-deleted": "日志被删除",
        "unknown": "出错",
    },
}

_TALLY: dict[str, dict[str, tuple[str, str]]] = {
    # field: (one, many)
    "en": {
        "passes": ("your pass of an exercise", "{n} exercise passes"),
        "attempts": ("an attempt at an exercise", "{n} attempts at exercises"),
        "reveals": ("a solution shown", "{n} solutions shown"),
        "answers": ("an answer to a question", "{n} answers to questions"),
        "resets": ("a reset of your record", "{n} resets of your record"),
        "cells": ("a cell you ran", "{n} cells you ran"),
        "history": ("a line you typed", "{n} lines you typed"),
        "settings": ("a setting", "{n} settings"),
        "position": ("your place in the lesson", ""),
    },
    "zh": {
        "passes": ("你的一次练习通过", "{n} 次练习通过"),
        "attempts": ("一次练习尝试", "{n} 次练习尝试"),
        "reveals": ("一次查看答案", "{n} 次查看答案"),
        "answers": ("一次问题作答", "{n} 次问题作答"),
        "resets": ("一次记录重置", "{n} 次记录重置"),
        "cells": ("一个运行过的单元", "{n} 个运行过的单元"),
        "history": ("你输入的一行", "你输入的 {n} 行"),
        "settings": ("一项设置", "{n} 项设置"),
        "position": ("你在课程中的位置", ""),
    },
}


def _lang(lang: str) -> str:
    return lang if lang in _WORDS else "en"


def tally(unsaved: Unsaved, lang: str) -> str:
    """ "your pass of an exercise, 3 cells you ran and your place in the lesson"."""
    lang = _lang(lang)
    parts: list[str] = []
    for name, (one, many) in _TALLY[lang].items():
        value = getattr(unsaved, name)
        if name == "position":
            if value:
                parts.append(one)
        elif value == 1:
            parts.append(one)
        elif value:
            parts.append(many.format(n=value))
    words = _WORDS[lang]
    if not parts:
        return "0"
    if len(parts) == 1:
        return parts[0]
    return words["comma"].join(parts[:-1]) + words["and"] + parts[-1]


def cause_words(cause: Cause | None, path: Path | None, lang: str) -> str:
    """Why, as a clause naming the file or its folder."""
    lang = _lang(lang)
    return _CAUSES[lang][cause or "unknown"].format(**_places(path))


def todo_words(cause: Cause | None, path: Path | None, lang: str) -> str:
    lang = _lang(lang)
    return _TODO[lang][cause or "unknown"].format(**_places(path))


def describe(event: StoreEvent, lang: str) -> str:
    """The event as one or two sentences for the learner."""
    lang = _lang(lang)
    words = _WORDS[lang]
    path = event.path
    places = _places(path)
    why = cause_words(event.cause, path, lang)
    if event.kind == "not-saved":
        todo = words["space"].join(
            t for t in (todo_words(event.cause, path, lang), words["keeps"]) if t
        )
        text = words["not-saved"].format(
            what=tally(event.unsaved, lang), why=_capital(why), todo=todo
        )
    elif event.kind == "saved-again":
        text = words["saved-again"].format(what=tally(event.unsaved, lang))
    elif event.kind == "lost":
        text = words["lost"].format(what=tally(event.unsaved, lang), why=why)
    elif event.kind == "repaired":
        unreadable = words["unreadable"].format(n=event.unreadable) if event.unreadable else ""
        key = "repaired" if event.kept_as else "read-only-repair"
        text = words[key].format(
            records=event.records, unreadable=unreadable, kept_as=event.kept_as, **places
        )
    elif event.kind == "set-aside":
        text = words["set-aside"].format(kept_as=event.kept_as, detail=event.detail, **places)
    elif event.kind == "not-persistent":
        text = words["not-persistent"].format(why=why, todo=todo_words(event.cause, path, lang))
    else:
        text = words[event.kind].format(why=why, **places)
    return text.strip()


def health_label(health: StoreHealth, lang: str) -> str | None:
    """A few words for a status bar while nothing is being saved; None while saving works
    (and for a store kept in memory on purpose, which has no cause)."""
    if health.cause is None:
        return None
    lang = _lang(lang)
    why = _SHORT[lang][health.cause or "unknown"]
    if not health.persistent:
        return _WORDS[lang]["label-off"].format(why=why)
    return _WORDS[lang]["label-unsaved"].format(n=max(health.unsaved.count, 1), why=why)


def _places(path: Path | None) -> dict[str, str]:
    if path is None:
        return {"path": "(memory)", "folder": "(memory)"}
    return {"path": str(path), "folder": str(path.parent)}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
