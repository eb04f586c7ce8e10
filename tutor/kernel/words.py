"""What the supervisor tells the learner when a cell has no result of its own, in English
and Chinese (the kernel's `lang`)."""

from __future__ import annotations

from typing import Any

WORDS: dict[str, dict[str, str]] = {
    "unavailable": {
        "en": "The TensorFlow kernel could not be started.",
        "zh": "无法启动 TensorFlow 内核。",
    },
    "tutor-error": {
        "en": "The tutor failed to run this cell.",
        "zh": "tutor 没能运行这个单元。",
    },
    "check-error": {
        "en": "The tutor could not check this exercise.",
        "zh": "tutor 没能检查这道练习。",
    },
    "timeout-kept": {
        "en": "The cell ran longer than {limit:g} s and was stopped. Your names are kept.",
        "zh": "这个单元运行超过了 {limit:g} 秒，已被停止。你的变量都还在。",
    },
    "timeout-kept-hint": {
        "en": "Look for a loop that never ends, or raise the limit with --timeout.",
        "zh": "检查是否有永不结束的循环，或者用 --timeout 放宽时限。",
    },
    "timeout-lost": {
        "en": (
            "The cell ran longer than {limit:g} s and did not stop when interrupted, "
            "so the kernel was restarted. Your names are lost."
        ),
        "zh": "这个单元运行超过了 {limit:g} 秒，中断也没能让它停下，所以内核已重启。你的变量都丢失了。",
    },
    "timeout-lost-hint": {
        "en": "Replay the lesson's cells to get them back, and look for a loop that never ends.",
        "zh": "重放本课的单元可以找回变量；再检查一下是否有永不结束的循环。",
    },
    "memory": {
        "en": (
            "The cell used more than {gib:.1f} GiB of memory, so the kernel was stopped "
            "and restarted. Your names are lost."
        ),
        "zh": "这个单元用了超过 {gib:.1f} GiB 的内存，所以内核被停止并重启。你的变量都丢失了。",
    },
    "memory-hint": {
        "en": "Make tensors smaller; a float32 tensor costs 4 bytes per entry.",
        "zh": "把张量做小一些；float32 张量每个元素占 4 字节。",
    },
    "interrupt-lost": {
        "en": (
            "The cell did not stop when interrupted, so the kernel was restarted. "
            "Your names are lost."
        ),
        "zh": "中断没能让这个单元停下，所以内核已重启。你的变量都丢失了。",
    },
    "crashed": {
        "en": "The kernel stopped{how} while running the cell, and was restarted. Your names are lost.",
        "zh": "运行这个单元时内核停止了{how}，已经重启。你的变量都丢失了。",
    },
    "replay-hint": {
        "en": "Replay the lesson's cells to get them back.",
        "zh": "重放本课的单元可以找回变量。",
    },
    "threads": {
        "en": (
            "The cell started more than {n} threads, so the kernel was stopped and restarted. "
            "Your names are lost."
        ),
        "zh": "这个单元启动了超过 {n} 个线程，所以内核被停止并重启。你的变量都丢失了。",
    },
    "threads-hint": {
        "en": "Reuse a few threads (a thread pool) instead of starting one per task.",
        "zh": "用少量线程反复执行任务（线程池），不要每个任务都新开一个线程。",
    },
    "scratch-bytes": {
        "en": (
            "The cell wrote more than {mib} MiB of files, so the kernel was stopped and "
            "restarted. Your names and files are lost."
        ),
        "zh": "这个单元写入了超过 {mib} MiB 的文件，所以内核被停止并重启。你的变量和文件都丢失了。",
    },
    "scratch-files": {
        "en": (
            "The cell created more than {n} files, so the kernel was stopped and restarted. "
            "Your names and files are lost."
        ),
        "zh": "这个单元创建了超过 {n} 个文件，所以内核被停止并重启。你的变量和文件都丢失了。",
    },
    "scratch-hint": {
        "en": "The kernel's files are for small experiments: save fewer, smaller files.",
        "zh": "内核的文件只适合小实验：少存一些、存小一些。",
    },
    "idle": {
        "en": (
            "While no cell was running, the kernel {what}, so it was stopped and restarted. "
            "Your names are lost. This cell was not run: run it again."
        ),
        "zh": "在没有单元运行的时候，内核{what}，所以它被停止并重启。你的变量都丢失了。这个单元没有运行：请再运行一次。",
    },
    "idle-hint": {
        "en": "A thread an earlier cell left running is the usual cause.",
        "zh": "通常是之前某个单元留下了一个还在运行的线程。",
    },
    "idle-status": {
        "en": "restarted: it {what} while idle",
        "zh": "已重启：空闲时{what}",
    },
    "limit-status": {
        "en": "it {what}",
        "zh": "它{what}",
    },
    "idle-memory": {
        "en": "grew past {gib:.1f} GiB of memory",
        "zh": "占用的内存超过了 {gib:.1f} GiB",
    },
    "idle-threads": {
        "en": "started more than {n} threads",
        "zh": "启动了超过 {n} 个线程",
    },
    "idle-scratch-bytes": {
        "en": "wrote more than {mib} MiB of files",
        "zh": "写入了超过 {mib} MiB 的文件",
    },
    "idle-scratch-files": {
        "en": "created more than {n} files",
        "zh": "创建了超过 {n} 个文件",
    },
    "idle-idle-cpu": {
        "en": "kept computing for more than {s:g} s of CPU time",
        "zh": "持续计算了超过 {s:g} 秒的 CPU 时间",
    },
    "too-large": {
        "en": (
            "The kernel sent a reply larger than the tutor accepts, so it was stopped and "
            "restarted. Your names are lost."
        ),
        "zh": "内核发回的结果超过了 tutor 能接受的大小，所以它被停止并重启。你的变量都丢失了。",
    },
    "too-large-hint": {
        "en": "Replay the lesson's cells to get them back.",
        "zh": "重放本课的单元可以找回变量。",
    },
    "keeps-stopping": {
        "en": "The kernel keeps stopping; restart it yourself when you are ready.",
        "zh": "内核一再停止；准备好后请手动重启它。",
    },
}


def say(lang: str, key: str, **fields: Any) -> str:
    """The words for `key` in `lang` (English when there is no such language)."""
    words = WORDS[key]
    return words.get(lang, words["en"]).format(**fields)
