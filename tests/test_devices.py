"""The device plan, and its application to a stand-in for `tf.config` (no GPU here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tutor.kernel.worker.devices import configure_devices, plan_devices


def test_cpu_hides_gpus() -> None:
    assert plan_devices("cpu", 2).hide_gpus
    assert not plan_devices("cpu", 2).grow_memory


def test_auto_and_gpu_grow_memory_on_every_gpu() -> None:
    for requested in ("auto", "gpu"):
        plan = plan_devices(requested, 1)
        assert plan.grow_memory and not plan.hide_gpus and plan.note == ""


def test_gpu_requested_without_one_says_so() -> None:
    assert "no GPU" in plan_devices("gpu", 0).note
    assert plan_devices("auto", 0).note == ""


@dataclass
class _Device:
    name: str


@dataclass
class _Experimental:
    grown: list[str] = field(default_factory=list)

    def set_memory_growth(self, device: _Device, on: bool) -> None:
        assert on
        self.grown.append(device.name)


@dataclass
class _Config:
    """Records what the kernel asks of `tf.config`, in order."""

    gpus: list[_Device]
    experimental: _Experimental = field(default_factory=_Experimental)
    hidden: bool = False

    def list_physical_devices(self, kind: str) -> list[_Device]:
        assert kind == "GPU"
        return self.gpus

    def set_visible_devices(self, devices: list[Any], kind: str) -> None:
        assert devices == [] and kind == "GPU"
        self.hidden = True

    def list_logical_devices(self) -> list[_Device]:
        visible = [] if self.hidden else self.gpus
        return [_Device("/device:CPU:0"), *visible]


def test_configure_applies_growth_to_each_gpu() -> None:
    config = _Config([_Device("/physical_device:GPU:0"), _Device("/physical_device:GPU:1")])
    names, note = configure_devices("auto", config)
    assert config.experimental.grown == ["/physical_device:GPU:0", "/physical_device:GPU:1"]
    assert len(names) == 3 and note == ""


def test_configure_cpu_hides_gpus() -> None:
    config = _Config([_Device("/physical_device:GPU:0")])
    names, _ = configure_devices("cpu", config)
    assert config.hidden and names == ["/device:CPU:0"] and config.experimental.grown == []
