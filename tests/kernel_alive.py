"""The check the kernel's hostile-input tests end with: the kernel still answers."""

from __future__ import annotations

from tutor.kernel.client import KernelClient


async def assert_alive(kernel: KernelClient) -> None:
    """One cell runs and gives its value: the kernel survived what came before."""
    r = await kernel.run_cell("1 + 1")
    assert r.outcome == "ok" and r.value == "2", r
