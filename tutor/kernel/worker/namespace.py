"""A learner's namespace as a new lesson starts: `tf`, `np` and `plot`, nothing else."""

from __future__ import annotations

from typing import Any


def fresh_namespace() -> dict[str, Any]:
    """The globals a cell (or a check's scratch run) starts from."""
    import numpy as np
    import tensorflow as tf

    from tutor.kernel.worker.plotting import plot

    return {"__name__": "__main__", "__builtins__": __builtins__, "tf": tf, "np": np, "plot": plot}
