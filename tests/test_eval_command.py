"""`tutor eval`: the contract of DESIGN.md, end to end in a real sandboxed kernel."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.commands.eval import split_cells


def _eval(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor", "eval", "--device", "cpu", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_json_carries_the_contract_keys_and_the_gradient(tmp_path: Path) -> None:
    source = tmp_path / "cells.py"
    source.write_text(
        "x = tf.Variable(tf.range(4, dtype=tf.float32))\n# %%\ny = 2 * tf.tensordot(x, x, axes=1)\n"
    )
    done = _eval(str(source), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report["kernel"]) >= {"tensorflow", "devices", "isolation"}
    assert report["kernel"]["tensorflow"].startswith("2.21")
    assert len(report["cells"]) == 2
    cell = report["cells"][1]
    assert set(cell) >= {"outcome", "value", "stdout", "stderr", "error", "elapsed_ms", "variables"}
    x = next(v for v in cell["variables"] if v["name"] == "x")
    assert set(x) >= {"name", "kind", "shape", "dtype", "preview", "grad"}
    assert x["grad"] == {
        "of": "y",
        "preview": "[0. 4. 8. 12.]",
        "shape": [4],
        "source": "tutor",
        "label": "auto ∂y/∂x",
        "reason": "",
    }
    assert x["state"] == "current"


@pytest.mark.slow
def test_a_failing_cell_exits_one_with_the_error_and_hint() -> None:
    done = _eval("-c", "x = 1", "-c", "tf.reshapre(x, (1,))", "--json")
    assert done.returncode == 1
    error = json.loads(done.stdout)["cells"][1]["error"]
    assert error["type"] == "AttributeError" and "tf.reshape" in error["hint"]


def test_no_cells_is_a_usage_error() -> None:
    assert _eval().returncode == 2


def test_cells_split_at_percent_markers() -> None:
    assert split_cells("a = 1\n# %%\nb = 2\n#%% title\n\nc = 3\n") == ["a = 1", "b = 2", "c = 3"]


_FORGED_REPLY = r"""
import json, os, stat, sys
frame = sys._getframe()
while frame is not None and not isinstance(frame.f_locals.get("request"), dict):
    frame = frame.f_back
request_id = frame.f_locals["request"]["id"]
nan, inf = float("nan"), float("inf")
forged = {
    "id": request_id,
    "result": {
        "outcome": "ok",
        "value": "'forged \u202e'",
        "elapsed_ms": nan,
        "execution_count": -7,
        "plots": [{"title": "t", "series": [
            {"label": "a\u202eb", "x": [nan, 1e308, -1e308, 0.0], "y": [inf, 1.0, 2.0, 3.0]}
        ]}],
        "variables": [{"name": "v", "kind": "float", "preview": "nan", "matrix": [[nan]]}],
    },
}
line = json.dumps(forged).encode() + b"\n"
for fd in range(3, 64):
    try:
        if stat.S_ISSOCK(os.fstat(fd).st_mode):
            os.write(fd, line)
    except OSError:
        pass
"""


def _refuse_constant(name: str) -> object:
    raise ValueError(f"not JSON: {name}")


@pytest.mark.slow
def test_json_is_strict_even_when_the_kernel_forges_its_reply() -> None:
    """A cell can write a reply of its own on the kernel's channel: NaN, infinities, a
    negative execution count, bidi controls. The output stays strict JSON with none of it."""
    done = _eval("-c", _FORGED_REPLY, "--json")
    report = json.loads(done.stdout, parse_constant=_refuse_constant)
    cell = report["cells"][0]
    assert cell["execution_count"] >= 0
    assert cell["elapsed_ms"] >= 0
    assert "\u202e" not in done.stdout
    for plot in cell["plots"]:
        for series in plot["series"]:
            assert len(series["x"]) == len(series["y"]) == 3  # the finite points only
