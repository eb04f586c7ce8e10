"""The lesson validator run in-process on the tests' shared kernel.

Each namespace the validator needs is a restart of the shared fork server (a fork), so the
validator's tests pay for no TensorFlow import of their own.
"""

from __future__ import annotations

from pathlib import Path

from borrowed_kernel import Borrowed

from tutor.kernel.client import KernelClient
from tutor.validate import validate
from tutor.validation.report import Tally


async def run_validator(shared_kernel: KernelClient, *paths: Path) -> Tally:
    """Validate the lessons at `paths` on the shared kernel, one worker."""
    shared_kernel.timeout = 20.0
    return await validate(
        [str(p) for p in paths],
        workers=1,
        make_kernel=lambda: Borrowed(shared_kernel),  # type: ignore[arg-type,return-value]
    )
