"""The kernel speaks ids, not sentences: no language travels to it, the worker never reads
the catalog, and what it sends (`Said`) is said safely by the frontend in either language."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tutor.kernel.channel import KernelChannel
from tutor.kernel.client import KernelClient
from tutor.kernel.protocol import CellResult, ErrorInfo, Said
from tutor.words import tell

WORKER = Path(__file__).resolve().parent.parent / "tutor" / "kernel" / "worker"


def test_no_worker_module_imports_the_catalog() -> None:
    for path in sorted(WORKER.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n == "tutor.words" or n.startswith("tutor.words.") for n in names), path


def test_a_running_worker_has_not_loaded_the_catalog() -> None:
    """Importing everything a cell uses (hints, plotting, snapshots) leaves tutor.words out."""
    code = (
        "import sys\n"
        "import tutor.kernel.worker.cell, tutor.kernel.worker.hints, tutor.kernel.worker.plotting\n"
        "import tutor.kernel.worker.reply_size, tutor.kernel.worker.kernel\n"
        "print(sorted(m for m in sys.modules if m.startswith('tutor.words')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_no_request_carries_a_language(
    kernel: KernelClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[dict[str, Any]] = []
    real = KernelChannel.request

    def spy(self: KernelChannel, message: dict[str, Any]) -> Any:
        sent.append(message)
        return real(self, message)

    monkeypatch.setattr(KernelChannel, "request", spy)
    result = await kernel.run_cell("tf.reshapre")
    assert sent and all("lang" not in message for message in sent)
    assert result.error is not None and isinstance(result.error.hint, Said)
    assert result.error.hint.id.startswith("hint.")
    assert tell("en", result.error.hint) == "Did you mean `tf.reshape`?"
    assert tell("zh", result.error.hint) == "你是不是想写 `tf.reshape`？"


def test_said_survives_the_wire_and_nests() -> None:
    words = Said("hint.then", {"first": Said("hint.recursion"), "second": Said("hint.memory")})
    again = Said.from_wire(words.to_wire())
    assert again == words
    assert tell("en", again).startswith("A function keeps calling itself")


@pytest.mark.parametrize(
    "wire",
    [
        {"id": "{0.__class__}", "facts": {}},
        {"id": "hint.did-you-mean", "facts": {"code": {"id": "x" * 200}}},
        {"id": 3},
        "hint.sandbox",
        {"id": "hint.did-you-mean", "facts": {"__class__": "x", "code": [[1]]}},
    ],
)
def test_a_hostile_said_is_refused_or_said_harmlessly(wire: object) -> None:
    words = Said.from_wire(wire)
    if words is not None:
        for lang in ("en", "zh"):
            assert "__" not in tell(lang, words)


def test_an_unknown_id_or_wrong_facts_never_fail_when_said() -> None:
    assert tell("en", Said("hint.no-such-hint")) == "hint.no-such-hint"
    assert tell("zh", Said("kernel.timeout-kept", {"limit": "not a number"}))
    assert tell("en", Said("hint.did-you-mean")) == "Did you mean `{code}`?"


def test_a_result_made_by_the_supervisor_is_words_to_say() -> None:
    result = CellResult.failed(
        "timeout",
        "TimeoutError",
        Said("kernel.timeout-kept", {"limit": 2.0}),
        Said("kernel.timeout-kept-hint"),
    )
    back = CellResult.from_wire(
        {"outcome": "timeout", "error": result.error.to_wire() if result.error else None}
    )
    assert back.error is not None
    assert tell("en", back.error.message).startswith("The cell ran longer than 2 s")
    assert tell("zh", back.error.message).startswith("这个单元运行超过了 2 秒")
    assert back.to_json("zh")["error"]["hint"].startswith("检查是否有永不结束的循环")
    assert ErrorInfo.from_wire({"type": "E", "message": "plain text"}) == ErrorInfo(
        "E", "plain text"
    )
