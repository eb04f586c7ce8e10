"""One forked kernel as the supervisor sees it: its pid, its channel, the replies it owes.

Every line it sends is decoded as untrusted (`protocol.decode`); a line over the size cap
or an unknown reply id is dropped, and the end of the channel fails every pending request
with `KernelDied`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from typing import Any

from tutor.kernel.errors import KernelDied
from tutor.kernel.protocol import KernelInfo, decode, encode


class KernelChannel:
    """One forked kernel: its pid, its channel, the replies it owes."""

    def __init__(
        self, pid: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.pid = pid
        self.reader = reader
        self.writer = writer
        self.info: KernelInfo | None = None
        self.dead = False
        self.died: asyncio.Event = asyncio.Event()
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._next_id = 0
        self._reader_task: asyncio.Task[None] | None = None
        self.garbage = 0

    async def handshake(self, timeout: float) -> KernelInfo:
        line = await asyncio.wait_for(self.reader.readline(), timeout)
        message = decode(line) if line else None
        if not message or message.get("event") != "ready":
            raise KernelDied("the kernel did not start")
        self.info = KernelInfo.from_wire(message.get("info"))
        self._reader_task = asyncio.create_task(self._read())
        return self.info

    async def _read(self) -> None:
        try:
            while True:
                line = await self.reader.readline()
                if not line:
                    break
                message = decode(line)
                request_id = message.get("id") if message else None
                future = (
                    self._pending.pop(request_id, None) if isinstance(request_id, int) else None
                )
                if future is None or message is None:
                    self.garbage += 1
                    continue
                if not future.done():
                    future.set_result(message)
        except (ValueError, asyncio.LimitOverrunError, ConnectionError):
            pass  # an over-long line: the kernel is not trusted any more
        self.dead = True
        self.died.set()
        for future in self._pending.values():
            if not future.done():
                future.set_exception(KernelDied("the kernel stopped"))
        self._pending.clear()

    def request(self, message: dict[str, Any]) -> asyncio.Future[dict[str, Any]]:
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        if self.dead:
            future.set_exception(KernelDied("the kernel stopped"))
            return future
        self._next_id += 1
        self._pending[self._next_id] = future
        self.writer.write(encode({**message, "id": self._next_id}))
        return future

    def signal(self, sig: signal.Signals) -> None:
        if not self.dead:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(self.pid, sig)

    def close(self) -> None:
        self.signal(signal.SIGKILL)
        self.writer.close()
        if self._reader_task is not None:
            self._reader_task.cancel()
