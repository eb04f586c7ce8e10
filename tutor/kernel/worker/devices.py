"""Which devices a kernel uses: memory growth on every GPU, or none for `--device cpu`.

Runs in a forked kernel before its first op (CUDA is never initialised in the fork
server). The decision is a pure function so it is tested without a GPU.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DevicePlan:
    """What to do with the GPUs TensorFlow found."""

    hide_gpus: bool
    grow_memory: bool
    note: str = ""


def plan_devices(requested: str, gpu_count: int) -> DevicePlan:
    """`cpu` hides every GPU; `gpu` and `auto` use them with memory growth.

    Memory growth keeps a shared GPU box usable by others: TensorFlow would otherwise
    reserve nearly all of each GPU's memory at the first op.
    """
    if requested == "cpu":
        return DevicePlan(hide_gpus=gpu_count > 0, grow_memory=False)
    if gpu_count == 0:
        note = "no GPU found; running on the CPU" if requested == "gpu" else ""
        return DevicePlan(hide_gpus=False, grow_memory=False, note=note)
    return DevicePlan(hide_gpus=False, grow_memory=True)


def configure_devices(requested: str, config: Any) -> tuple[list[str], str]:
    """Apply the plan with `tf.config`; returns the logical device names and a note."""
    gpus = config.list_physical_devices("GPU")
    plan = plan_devices(requested, len(gpus))
    if plan.hide_gpus:
        config.set_visible_devices([], "GPU")
    if plan.grow_memory:
        for gpu in gpus:
            config.experimental.set_memory_growth(gpu, True)
    return [d.name for d in config.list_logical_devices()], plan.note
