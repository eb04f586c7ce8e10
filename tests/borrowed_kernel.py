"""The tests' shared kernel lent to code that would close it when done (the validator, a session)."""

from __future__ import annotations

from typing import Any

from tutor.kernel.client import KernelClient


class Borrowed:
    """The shared kernel, lent out: everything but `close` goes through."""

    def __init__(self, kernel: KernelClient) -> None:
        object.__setattr__(self, "kernel", kernel)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.kernel, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.kernel, name, value)

    async def close(self) -> None:
        return None
