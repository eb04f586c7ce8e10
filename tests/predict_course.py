"""A course with predict questions, built in code, for the frontends' and session's tests."""

from __future__ import annotations

from fake_kernel import FakeKernel

from tutor.curriculum.model import Course, Lesson, Question, Step
from tutor.kernel.protocol import CellResult, ErrorInfo, VariableView

BROADCAST = "a = tf.ones((3, 1))\na + tf.ones((1, 4))"
SHOWN = (
    "<tf.Tensor: shape=(3, 4), dtype=float32, numpy=\n"
    "array([[2., 2., 2., 2.],\n       [2., 2., 2., 2.],\n       [2., 2., 2., 2.]], dtype=float32)>"
)
BAD_ADD = "tf.ones((3, 2)) + tf.ones(3)"


def predict_course(lang: str = "en") -> Course:
    """One lesson: a shape prediction, then one whose code fails."""
    zh = lang == "zh"
    steps = (
        Step(
            title="广播" if zh else "Broadcasting",
            text="广播把长度为 1 的轴扩展。" if zh else "Broadcasting stretches length-1 axes.",
            question=Question(
                id="broadcast-shape",
                kind="predict",
                prompt="相加的结果是什么形状？" if zh else "What shape does the sum have?",
                ask="shape",
                code=BROADCAST,
                expected="(3, 4)",
                hints=("从右边开始对齐。" if zh else "Align the shapes from the right.",),
                explanation="(3, 1) 和 (1, 4) 得到 (3, 4)。"
                if zh
                else "(3, 1) and (1, 4) give (3, 4).",
            ),
        ),
        Step(
            title="不匹配" if zh else "A misfit",
            text="",
            question=Question(
                id="bad-add",
                kind="predict",
                prompt="相加的结果是什么形状？" if zh else "What shape does the sum have?",
                ask="shape",
                code=BAD_ADD,
                expected="InvalidArgumentError",
            ),
        ),
    )
    lesson = Lesson(
        id="broadcasting", number=1, title="广播" if zh else "Broadcasting", lang=lang, steps=steps
    )
    return Course(lang=lang, lessons=(lesson,))


def predict_script(code: str, count: int) -> CellResult:
    """What TensorFlow shows for the course's code (a fake kernel's script)."""
    if code == BROADCAST:
        variables = (VariableView("a", "Tensor", (3, 1), "float32", "[[1.] [1.] [1.]]"),)
        return CellResult("ok", value=SHOWN, variables=variables, execution_count=count)
    if code == BAD_ADD:
        error = ErrorInfo("InvalidArgumentError", "Incompatible shapes: [3,2] vs. [3] [Op:AddV2]")
        return CellResult("error", error=error, execution_count=count)
    return CellResult("ok", execution_count=count)


def predict_kernel() -> FakeKernel:
    return FakeKernel(predict_script)
