"""The tutor's requests to the session, run one at a time in the order they were asked.

The kernel must see cells, checks and step changes in the order the learner typed
them, and the UI must never wait for one: a job is an async function of the session
that returns the message reporting its result, posted back to the screen.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual.message import Message

from tutor.tui.messages import TutorTrouble

if TYPE_CHECKING:
    from tutor.session import Session

log = logging.getLogger(__name__)

Job = Callable[["Session"], Awaitable[Message | None]]


class JobQueue:
    """A FIFO of jobs; `run` works through it for as long as the screen lives."""

    def __init__(self, post: Callable[[Message], object]) -> None:
        self._post = post
        self._jobs: asyncio.Queue[Job] = asyncio.Queue()

    def put(self, job: Job) -> None:
        """Queue a job behind the ones already asked for."""
        self._jobs.put_nowait(job)

    async def run(self, session: Session) -> None:
        """Run the jobs in order; a failing job becomes a `TutorTrouble` message."""
        while True:
            job = await self._jobs.get()
            try:
                message = await job(session)
            except Exception as error:
                log.exception("a tutor job failed")
                message = TutorTrouble(getattr(job, "__name__", "job"), str(error))
            if message is not None:
                self._post(message)
