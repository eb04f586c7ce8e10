"""Shared fixtures: an isolated data directory for every test, one real kernel for many.

`import tensorflow` costs seconds and half a gigabyte, so the kernel tests share one
fork server for the whole run; `kernel` hands each test a freshly forked kernel (a
restart is a fork, a few milliseconds) so no test sees another's names.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from tutor.kernel.client import KernelClient

#: Small limits keep the bad-input tests quick.
TEST_TIMEOUT = 4.0
TEST_MEMORY = 2 * 2**30


@pytest.fixture(autouse=True)
def tutor_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test writes its data under its own tmp_path, never the real data dir."""
    home = tmp_path / "tutor-home"
    monkeypatch.setenv("TUTOR_HOME", str(home))
    yield home


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def shared_kernel() -> AsyncIterator[KernelClient]:
    client = KernelClient(device="cpu", timeout=TEST_TIMEOUT, memory_limit=TEST_MEMORY)
    await client.start()
    yield client
    await client.close()


@pytest_asyncio.fixture(loop_scope="session")
async def kernel(shared_kernel: KernelClient) -> KernelClient:
    """A fresh namespace in the shared fork server."""
    shared_kernel.timeout = TEST_TIMEOUT
    await shared_kernel.restart()
    return shared_kernel
