"""The program a check re-runs: the slice of the learner's history their answer needs."""

from __future__ import annotations

from tutor.grading.history import AnswerHistory, Cell, Givens
from tutor.grading.names import names_changed_by, names_needed_by

LESSON = Givens("base = tf.constant(1.0)", 7)
CELSIUS = Givens("f = tf.constant(52.0)", 7, exercise="celsius", fresh="f = tf.constant(9.0)")


def cells_of(
    history: AnswerHistory, names: tuple[str, ...], current: Givens, **kw: str
) -> list[str]:
    program = history.program(names, current, **kw)  # type: ignore[arg-type]
    return [e.code if isinstance(e, Cell) else f"<givens {e.exercise}>" for e in program.entries]


def test_the_answer_and_what_it_reads_are_kept_exploration_is_not() -> None:
    history = AnswerHistory()
    history.add_givens(LESSON)
    history.add_cell("print(base)")
    history.add_givens(CELSIUS)
    history.add_cell("f")
    history.add_cell("scale = 5 / 9")
    history.add_cell("plot(f)")
    history.add_cell("c = scale * (f - 32)")
    assert cells_of(history, ("c",), CELSIUS) == [
        "<givens celsius>",
        "scale = 5 / 9",
        "c = scale * (f - 32)",
    ]


def test_an_answer_that_rebinds_a_given_is_judged_as_written() -> None:
    history = AnswerHistory()
    history.add_cell("f = tf.constant([1.0, 2.0, 3.0, 4.0])")  # an earlier example's f
    history.add_givens(CELSIUS)
    history.add_cell("f = f - 32")
    history.add_cell("c = 5 / 9 * f")
    assert cells_of(history, ("c",), CELSIUS) == ["<givens celsius>", "f = f - 32", "c = 5 / 9 * f"]


def test_a_cell_that_changes_a_name_in_place_is_kept() -> None:
    given = Givens("X = tf.zeros((3, 4))", 7, exercise="set")
    history = AnswerHistory()
    history.add_givens(given)
    history.add_cell("X_var = tf.Variable(X)")
    history.add_cell("print(X_var)")
    history.add_cell("X_var[1, 2].assign(9.0)")
    assert cells_of(history, ("X_var",), given) == [
        "<givens set>",
        "X_var = tf.Variable(X)",
        "X_var[1, 2].assign(9.0)",
    ]


def test_definitions_from_earlier_steps_come_along_but_not_older_givens() -> None:
    given = Givens("v = tf.constant([1.0, 2.0, 3.0])", 7, exercise="norm")
    history = AnswerHistory()
    history.add_cell("v = tf.constant([9.0, 9.0])")
    history.add_cell("def norm(t):\n    return tf.sqrt(tf.reduce_sum(t ** 2)) * k")
    history.add_cell("k = 1.0")
    history.add_givens(given)
    history.add_cell("n = norm(v)")
    assert cells_of(history, ("n",), given) == [
        "def norm(t):\n    return tf.sqrt(tf.reduce_sum(t ** 2)) * k",
        "k = 1.0",
        "<givens norm>",
        "n = norm(v)",
    ]


def test_a_name_derived_before_the_step_opened_brings_its_own_history() -> None:
    given = Givens("v = tf.constant([1.0, 2.0, 3.0])", 7, exercise="e")
    history = AnswerHistory()
    history.add_cell("v = tf.constant([1.0, 2.0, 3.0, 4.0])")
    history.add_cell("w = v * 2")
    history.add_givens(given)
    history.add_cell("s = tf.reduce_sum(w) + tf.reduce_sum(v)")
    assert cells_of(history, ("s",), given) == [
        "v = tf.constant([1.0, 2.0, 3.0, 4.0])",
        "w = v * 2",
        "<givens e>",
        "s = tf.reduce_sum(w) + tf.reduce_sum(v)",
    ]


def test_without_an_opened_step_the_givens_come_first_and_extra_is_judged() -> None:
    history = AnswerHistory()
    history.add_givens(LESSON)
    history.add_cell("helper = 2")
    program = history.program(("c",), CELSIUS, extra="c = (f - 32) * 5 / 9 * helper / 2")
    wire = program.to_wire("celsius")
    assert [next(iter(w)) for w in wire] == ["givens", "cell", "cell"]  # givens before the cells
    assert wire[-1] == {"cell": "c = (f - 32) * 5 / 9 * helper / 2"}
    assert any(w.get("current") for w in wire if "givens" in w)
    assert program.code.endswith("c = (f - 32) * 5 / 9 * helper / 2")


def test_names_a_cell_needs_and_changes() -> None:
    tape = "with tf.GradientTape() as t:\n    t.watch(c)\n    y = c * c\ndc = t.gradient(y, c)"
    assert names_needed_by(tape) - {"tf"} == {"c"}
    assert names_needed_by("f = f - 32\nc = 5 / 9 * f") == {"f"}
    assert names_needed_by("def g(x):\n    return x * k\nz = g(w)") == {"k", "w"}
    assert names_needed_by("[i * j for i in range(3)]") == {"j", "range"}
    assert names_needed_by("x += 1") == {"x"}
    assert names_changed_by("X[1, 2] = 9\nY.attr = 1\nxs.append(3)\nZ[0].assign(1.0)") == {
        "X", "Y", "xs", "Z"
    }  # fmt: skip
    assert names_changed_by("Z = tf.Variable(A)\nprint(A.numpy())") == set()
