"""The namespace snapshot in the real kernel: incremental, bounded, and never crashed by
what the namespace holds.

Host copies are counted by the kernel itself: a cell wraps TensorFlow's own
`_EagerTensorBase._numpy` (every tensor's or Variable's values reach NumPy through it),
and later cells read the count. The same cell lifts the snapshot's time budget, so that
each row is summarised in the snapshot of the cell that made it (the budget has its own
test).
"""

from __future__ import annotations

from tutor.kernel.client import KernelClient
from tutor.kernel.namespace_view import NamespaceView
from tutor.kernel.protocol import CellResult, VariableView
from tutor.kernel.worker.summaries import MAX_HOST_VALUES
from tutor.words import tell

COUNT_HOST_COPIES = """
import sys as _sys
_sys.modules["tutor.kernel.worker.snapshot"].CELL_BUDGET = 60.0
from tensorflow.python.framework import ops as _ops
_copies = []
_real_numpy = _ops._EagerTensorBase._numpy
def _counting(self):
    array = _real_numpy(self)
    _copies.append(array.size)
    return array
_ops._EagerTensorBase._numpy = _counting
"""


def _var(result: CellResult, name: str) -> VariableView:
    return next(v for v in result.variables if v.name == name)


def _first(view: VariableView, n: int = 2) -> list[float]:
    """The first `n` numbers of a preview."""
    return [float(x) for x in view.preview.replace("[", " ").split()[:n]]


async def _copied(kernel: KernelClient) -> list[int]:
    """The sizes of the host copies made since the last call (the snapshots included)."""
    r = await kernel.run_cell("_seen = list(_copies)\n_copies.clear()\n_seen")
    assert r.ok, r.error
    assert r.value is not None
    return [int(n) for n in r.value.strip("[]").split(",") if n.strip()]


async def test_an_unchanged_name_is_not_summarised_again(kernel: KernelClient) -> None:
    await kernel.run_cell(COUNT_HOST_COPIES)
    r = await kernel.run_cell("A = tf.reshape(tf.range(20.0), (5, 4))\nbig = tf.ones((300, 400))")
    assert _var(r, "A").preview.startswith("[[ 0.  1.  2.  3.]")
    assert _var(r, "big").state == "current"
    assert sum(await _copied(kernel)) > 0  # both were summarised once
    for _ in range(3):
        r = await kernel.run_cell("r = 1 + 1")
        assert r.ok and tell("en", _var(r, "big").summary).startswith(
            "300x400 float32, min 1, max 1"
        )
    assert await _copied(kernel) == []  # and never again


async def test_a_large_tensor_is_summarised_from_a_bounded_number_of_values(
    kernel: KernelClient,
) -> None:
    await kernel.run_cell(COUNT_HOST_COPIES)
    r = await kernel.run_cell("big = tf.reshape(tf.range(2_000_000.0), (1000, 2000))")
    copied = await _copied(kernel)
    assert 0 < sum(copied) <= MAX_HOST_VALUES
    big = _var(r, "big")
    assert tell("en", big.summary) == "1000x2000 float32, min 0, max 1999999, mean 1e+06"
    assert tell("zh", big.summary) == "1000x2000 float32，最小 0，最大 1999999，均值 1e+06"
    assert big.matrix is not None and (len(big.matrix), len(big.matrix[0])) == (32, 32)
    # the heatmap holds block means: the first block is rows 0-31, columns 0-62
    assert abs(big.matrix[0][0] - (31 / 2 * 2000 + 62 / 2)) < 1
    # the preview is NumPy's own text of the whole array, from the corners only
    r = await kernel.run_cell(
        "with np.printoptions(threshold=60, edgeitems=3, precision=4, linewidth=72):\n"
        "    print(np.array2string(big.numpy()))"
    )
    assert r.stdout.rstrip("\n") == big.preview


async def test_a_variable_changed_in_place_is_summarised_again(kernel: KernelClient) -> None:
    await kernel.run_cell(COUNT_HOST_COPIES)
    r = await kernel.run_cell(
        "W = tf.Variable(tf.reshape(tf.range(2000.0), (40, 50)))\nv = tf.Variable([1.0, 2.0])"
    )
    assert _first(_var(r, "W")) == [0, 1]
    await _copied(kernel)
    r = await kernel.run_cell("r = 1 + 1")
    # Two snapshots since (the last count's and this cell's): in each, the unchanged
    # large Variable costs a fingerprint of one value, the small one its two values.
    assert await _copied(kernel) == [1, 2, 1, 2]
    r = await kernel.run_cell("W.assign(tf.reverse(W, [1]))\nv.assign_add([1.0, 1.0])\nNone")
    assert _first(_var(r, "W")) == [49, 48]
    assert _var(r, "v").preview == "[2. 3.]"
    # a change made where no Python sees it: inside a tf.function
    r = await kernel.run_cell(
        "@tf.function\ndef step():\n    W.assign_sub(tf.ones_like(W))\nstep()\nNone"
    )
    assert _first(_var(r, "W")) == [48, 47]
    # values moved within a row only (same sum of each row) are seen too
    r = await kernel.run_cell("W.assign(tf.reverse(W, [1]))\nNone")
    assert _first(_var(r, "W")) == [-1, 0]


async def test_rows_past_the_time_budget_wait_for_a_refresh(kernel: KernelClient) -> None:
    await kernel.run_cell(
        "import sys\nsys.modules['tutor.kernel.worker.snapshot'].CELL_BUDGET = -1"
    )
    r = await kernel.run_cell("a = tf.ones((2, 3))\nb = tf.range(4)\n7 * 6")
    assert r.ok and r.value == "42"  # the cell's result never waits for the inspector
    a, b = _var(r, "a"), _var(r, "b")
    assert (a.state, a.shape, a.dtype) == ("stale", (2, 3), "float32")
    assert (b.state, b.shape, b.dtype) == ("stale", (4,), "int32")
    assert a.preview == "" and "not refreshed" in tell("en", a.note)
    rows = await kernel.refresh(["a", "b"])
    a, b = (next(v for v in rows if v.name == n) for n in ("a", "b"))
    assert a.state == b.state == "current"
    assert a.preview == "[[1. 1. 1.]\n [1. 1. 1.]]" and b.preview == "[0 1 2 3]"


async def test_the_supervisor_catches_up_when_it_lost_a_snapshot(kernel: KernelClient) -> None:
    await kernel.run_cell("a = tf.ones(3)\nb = tf.zeros(2)")
    kernel._namespace = NamespaceView()  # as if a reply had never been applied
    r = await kernel.run_cell("c = 1.5")
    assert [v.name for v in r.variables] == ["a", "b", "c"]
    assert _var(r, "a").preview == "[1. 1. 1.]"


HOSTILE = """
import time
from tensorflow.python.ops.resource_variable_ops import ResourceVariable

class Raising(ResourceVariable):
    armed = False
    def numpy(self):
        if Raising.armed:
            raise KeyboardInterrupt
        return super().numpy()

class Exiting(int):
    def bit_length(self):
        raise SystemExit(3)

class Sleeping(ResourceVariable):
    armed = False
    @property
    def dtype(self):
        if Sleeping.armed:
            time.sleep(30)
        return super().dtype

class LyingClass:
    @property
    def __class__(self):
        raise KeyboardInterrupt

raising = Raising([1.0, 2.0])
sleeping = Sleeping([1.0, 2.0])
exiting = Exiting(5)
lying = LyingClass()
fine = tf.constant([1.0, 2.0])
Raising.armed = Sleeping.armed = True
"""


async def test_a_hostile_object_is_a_note_never_a_crashed_cell(kernel: KernelClient) -> None:
    kernel.timeout = 20
    r = await kernel.run_cell(HOSTILE)
    assert r.ok, r.error
    for _ in range(2):
        r = await kernel.run_cell("1 + 1")
        assert r.ok and r.value == "2"
        names = [v.name for v in r.variables]
        assert "lying" not in names  # not tensor-like, whatever its __class__ says
        assert _var(r, "fine").preview == "[1. 2.]"
        raising, sleeping, exiting = (_var(r, n) for n in ("raising", "sleeping", "exiting"))
        assert raising.state == sleeping.state == exiting.state == "failed"
        assert tell("en", raising.note) == "could not be shown (KeyboardInterrupt)"
        assert tell("en", exiting.note) == "could not be shown (SystemExit)"
        assert tell("en", sleeping.note) == "could not be shown (took over 0.5 s)"
        assert tell("zh", sleeping.note) == "无法显示（超过 0.5 秒）"
    # once seen, a failed object is not read again: the next cell is quick (not timed
    # here, but it could not finish at all if the 30 s sleep were run each time)
    kernel.timeout = 2
    r = await kernel.run_cell("2 + 2")
    assert r.ok and r.value == "4"
