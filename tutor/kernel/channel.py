"""One forked kernel as the supervisor sees it: its pid, its channel, the replies it owes.

Every line it sends is decoded as untrusted (`protocol.decode`); an unknown reply id is
dropped, and the end of the channel fails every pending request with `KernelDied`. A line
over the size cap ends the kernel (it is not trusted any more) and says so
(`too_large`). Signals go through the verified `Fork` (a pidfd), never to a bare pid.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import TYPE_CHECKING, Any

from tutor.kernel.errors import KernelDied
from tutor.kernel.protocol import KernelInfo, decode, encode

if TYPE_CHECKING:
    from tutor.kernel.fork_server import Fork

log = logging.getLogger(__name__)


class KernelChannel:
    """One forked kernel: its pid, its channel, the replies it owes."""

    def __init__(
        self,
        pid: int,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        fork: Fork | None = None,
    ) -> None:
        self.pid = pid
        #: The verified process (`ForkServer.fork(pid)`); without it nothing is signalled.
        self.fork = fork
        #: Set when the kernel sent a line over the size cap (and was stopped for it).
        self.too_large = False
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
                self._settled()
        except (ValueError, asyncio.LimitOverrunError):
            # An over-long line: the kernel is not trusted any more.
            self.too_large = True
            self.signal(signal.SIGKILL)
        except ConnectionError:
            pass
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
        if self.fork is not None:
            self.fork.request_started()
        self.writer.write(encode({**message, "id": self._next_id}))
        return future

    def _settled(self) -> None:
        if self.fork is not None:
            self.fork.request_ended()

    def signal(self, sig: signal.Signals) -> None:
        """Signal this kernel through its verified fork (a kernel without one is never
        signalled: its pid was not proven)."""
        if self.fork is None:
            log.error("refusing to signal unverified pid %s", self.pid)
            return
        self.fork.signal(sig)

    def close(self) -> None:
        self.signal(signal.SIGKILL)
        self.writer.close()
        if self._reader_task is not None:
            self._reader_task.cancel()
