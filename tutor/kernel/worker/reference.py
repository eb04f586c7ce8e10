"""The grader's side of a check: the exercise's own values, computed from lesson code only.

A grader is a clean fork that never runs a learner's code. For one exercise it computes,
once, every draw a check compares on: the givens the learner was shown (seeded), then
each `fresh` re-draw; in each, the solution's values (and for a function exercise, the
inputs it is called on and the solution's results). `tutor.kernel.worker.judge` then
compares the values an answer fork reports against these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tutor.grading.names import names_bound_by, names_read_by
from tutor.kernel.worker.givens import compute_givens, draws_random, seed_all, view
from tutor.kernel.worker.kinds import grading_of
from tutor.kernel.worker.namespace import fresh_namespace
from tutor.kernel.worker.values import encode

#: The seed of the data the learner is shown, when the spec does not say
#: (tutor.curriculum.model.GIVENS_SEED: the same in the learner's kernel).
SETUP_SEED = 7
#: Seeds of the `fresh` re-draws.
FRESH_SEEDS = (101, 202)
#: Seeds of a function exercise's inputs on the shown data.
FUNCTION_SEEDS = (11, 23, 37)


#: The givens of all draws travel as data up to this size; larger, the answer fork
#: computes them from the seeds instead (slower: seeding empties TensorFlow's caches).
MAX_GIVENS_CHARS = 2_000_000


def _givens_data(givens: dict[str, Any]) -> dict[str, Any]:
    """The givens that are data (tensors, arrays, numbers, their tuples) in wire form."""
    data = {}
    for name, value in givens.items():
        wire = encode(value)
        if wire["t"] in ("array", "seq") and "other" not in str(wire):
            data[name] = wire
    return data


class LessonBroken(Exception):
    """The exercise's own setup, solution, inputs or expressions raised: a bug of the lesson."""


@dataclass
class Draw:
    """One set of givens and what the solution makes of them."""

    seed: int
    fresh: bool
    givens: dict[str, Any]
    #: The namespace after the solution ran (its copy of the givens included).
    solved: dict[str, Any]
    #: Function exercises: the argument tuples and the solution's result for each.
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    results: list[Any] = field(default_factory=list)


class Reference:
    """Everything a check of one exercise compares against."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        #: What the exercise's kind compares (tutor.kernel.worker.kinds).
        self.grading = grading_of(spec.get("kind"))
        self.names = [str(n) for n in spec.get("names") or []]
        self.givens_code = str(spec.get("givens") or "")
        self.fresh_code = str(spec.get("fresh") or "")
        self.draws: list[Draw] = []

    def prepare(self) -> None:
        """Compute every draw (raises LessonBroken when the lesson's own code fails)."""
        state = np.random.get_state()
        try:
            self.draws = [self._draw(int(self.spec.get("seed") or SETUP_SEED), fresh=False)]
            if self.fresh_code.strip():
                self.draws.extend(self._draw(seed, fresh=True) for seed in FRESH_SEEDS)
        finally:
            np.random.set_state(state)

    def _draw(self, seed: int, *, fresh: bool) -> Draw:
        code = self.givens_code + ("\n" + self.fresh_code if fresh else "")
        try:
            givens = compute_givens(code, seed=seed)
        except Exception as exc:
            raise LessonBroken(f"the exercise's setup raised {type(exc).__name__}: {exc}") from exc
        solved = self.solve(givens, seed)
        draw = Draw(seed, fresh, givens, solved)
        if self.grading.calls:
            self._calls(draw, FUNCTION_SEEDS if not fresh else (seed,))
        return draw

    def scope(self, givens: dict[str, Any]) -> dict[str, Any]:
        """A namespace holding copies of the givens (so lesson code cannot change them)."""
        namespace = fresh_namespace()
        namespace.update({name: copy_value(value) for name, value in givens.items()})
        return namespace

    def solve(self, givens: dict[str, Any], seed: int) -> dict[str, Any]:
        solved = self.scope(givens)
        solution = str(self.spec.get("solution") or "")
        seed_all(seed + 1, tensorflow=draws_random(solution))
        try:
            exec(compile(solution, "<solution>", "exec"), solved)
        except Exception as exc:
            raise LessonBroken(f"the solution raised {type(exc).__name__}: {exc}") from exc
        return solved

    def _calls(self, draw: Draw, seeds: tuple[int, ...]) -> None:
        function = draw.solved.get(self.names[0]) if self.names else None
        if not callable(function):
            raise LessonBroken(f"the solution does not define the function `{self.names[0]}`")
        source = str(self.spec.get("inputs") or "").strip()
        if not source:
            raise LessonBroken("a function exercise needs `inputs`")
        for seed in seeds:
            seed_all(seed, tensorflow=draws_random(source))
            try:
                inputs = eval(compile(source, "<inputs>", "eval"), self.scope(draw.givens))
            except Exception as exc:
                raise LessonBroken(
                    f"the exercise's inputs raised {type(exc).__name__}: {exc}"
                ) from exc
            for args in inputs:
                args = args if isinstance(args, tuple) else (args,)
                try:
                    result = function(*(copy_value(a) for a in args))
                except Exception as exc:
                    raise LessonBroken(f"the solution raised {type(exc).__name__}: {exc}") from exc
                draw.calls.append(args)
                draw.results.append(result)

    def to_wire(self) -> dict[str, Any]:
        """What the supervisor needs: each draw with its givens and a function's inputs as
        data (so an answer fork binds exactly these values, without re-drawing them), and
        the givens the card names."""
        draws = [
            {
                "seed": d.seed,
                "fresh": d.fresh,
                "calls": [[encode(a) for a in args] for args in d.calls],
                "givens": _givens_data(d.givens),
            }
            for d in self.draws
        ]
        if sum(len(str(d["givens"])) for d in draws) > MAX_GIVENS_CHARS:
            for draw in draws:  # too large to send: the answer fork draws them itself
                draw.pop("givens")
        return {"draws": draws, "givens": self.given_views()}

    def given_views(self) -> list[dict[str, Any]]:
        """The givens the exercise card names, with kind, shape and dtype."""
        if not self.draws:
            return []
        shown = self.draws[0].givens
        wanted = names_bound_by(str(self.spec.get("setup") or "")) | names_read_by(
            str(self.spec.get("solution") or "")
        )
        views = []
        for name, value in shown.items():
            if name not in wanted or name in self.names:
                continue
            views.append({"name": name, **view(value)})
        return views


def copy_value(value: Any) -> Any:
    """A copy that code may change without changing `value` (Variables and arrays)."""
    import tensorflow as tf

    if isinstance(value, tf.Variable):
        return tf.Variable(value.read_value(), trainable=value.trainable, name=value.name[:-2])
    if isinstance(value, np.ndarray):
        return value.copy()
    return value
