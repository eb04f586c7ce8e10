"""`tutor eval`: run cells in a fresh sandboxed kernel and print each result.

Cells come from `-c CODE` (repeatable) and/or a FILE whose cells are separated by lines
starting with `# %%` (as in Jupytext and VS Code); `-` reads the file from stdin.
Exit 0 when every cell was ok, 1 when one was not.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import re
import sys
from pathlib import Path

from tutor.kernel.protocol import CellResult, KernelInfo
from tutor.options import Options
from tutor.words import say, tell

_CELL_MARK = re.compile(r"^# ?%%.*$", re.MULTILINE)


def split_cells(source: str) -> list[str]:
    """The cells of a file: blocks between `# %%` lines, blank ones dropped."""
    return [cell.strip("\n") for cell in _CELL_MARK.split(source) if cell.strip()]


def main(args: argparse.Namespace, options: Options) -> int:
    cells = list(args.cells)
    if args.file:
        try:
            source = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            error = say(options.lang, "cli.eval-cannot-read", file=args.file, error=exc)
            print(error, file=sys.stderr)
            return 2
        cells.extend(split_cells(source))
    if not cells:
        print(say(options.lang, "cli.eval-no-cells"), file=sys.stderr)
        return 2
    info, results = asyncio.run(_run(cells, options))
    if args.json:
        payload = {
            "kernel": info.to_json() if info else None,
            "cells": [r.to_json(options.lang) for r in results],
        }
        # Strict JSON: the decoders keep only finite numbers, so NaN can never be printed.
        print(json.dumps(payload, ensure_ascii=False, indent=1, allow_nan=False))
    else:
        if info:
            print(describe_kernel(info))
        shown: dict[str, str] = {}
        for code, result in zip(cells, results, strict=True):
            print(format_result(code, result, shown, lang=options.lang))
    return 0 if all(r.ok for r in results) else 1


async def _run(cells: list[str], options: Options) -> tuple[KernelInfo | None, list[CellResult]]:
    from tutor.kernel.client import KernelClient
    from tutor.kernel.namespace_view import refreshed

    kernel = KernelClient(device=options.device, timeout=options.timeout)
    try:
        results = []
        for code in cells:
            result = await kernel.run_cell(code)
            # Every row is printed: those the cell's time budget left are filled in now.
            variables = await refreshed(kernel.refresh, result.variables)
            results.append(dataclasses.replace(result, variables=variables))
        return kernel.info, results
    finally:
        await kernel.close()


def describe_kernel(info: KernelInfo) -> str:
    held = ", ".join(f"{k}={v}" for k, v in info.isolation.items())
    devices = ", ".join(info.devices)
    return f"# TensorFlow {info.tensorflow} on {devices}; isolation {info.isolation_level} ({held})"


def format_result(
    code: str, result: CellResult, shown: dict[str, str] | None = None, *, lang: str = "en"
) -> str:
    """A cell and its result as plain text, like a REPL transcript.

    The namespace rows follow; with `shown` (name -> last row printed), only rows that
    changed since the previous cell are printed.
    """
    n = result.execution_count or "-"
    lines = [f"In [{n}]: " + code.replace("\n", "\n" + " " * (len(str(n)) + 7))]
    if result.stdout:
        lines.append(result.stdout.rstrip("\n"))
    if result.stderr:
        lines.append(result.stderr.rstrip("\n"))
    lines += [tell(lang, note) for note in result.notes]
    if result.value is not None:
        lines.append(f"Out[{n}]: {result.value}")
    if result.error is not None:
        if result.error.traceback:
            lines.append(result.error.traceback)
        lines.append(f"{result.error.type}: {tell(lang, result.error.message)}")
        if result.error.hint:
            lines.append(say(lang, "cli.hint", hint=tell(lang, result.error.hint)))
    if result.outcome not in ("ok", "error"):
        lines.append(f"[{result.outcome}]")
    for var in result.variables:
        shape = str(tuple(var.shape)) if var.shape is not None else "?"
        grad = ""
        if var.grad is not None:
            label = tell(lang, var.grad.label_for(var.name))
            grad = f"   {label}{'' if label.endswith('=') else ' ='} {var.grad.preview}"
            if var.grad.reason:
                grad += f" ({tell(lang, var.grad.reason)})"
        preview = var.preview if "\n" not in var.preview else tell(lang, var.summary)
        if var.state != "current":
            preview = tell(lang, var.note)
        row = f"  {var.name:<10} {var.kind:<9} {shape:<10} {var.dtype or '':<8} {preview}{grad}"
        if shown is not None:
            if shown.get(var.name) == row:
                continue
            shown[var.name] = row
        lines.append(row)
    return "\n".join(lines) + "\n"
