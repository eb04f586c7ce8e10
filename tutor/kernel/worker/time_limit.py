"""Run the inspector's work on a learner's object under a time limit, catching everything.

A learner's object can do anything when the inspector reads it: its `numpy`, `dtype`
or `__repr__` may raise KeyboardInterrupt or SystemExit, or sleep. The inspector must
never let that cost the cell's result, so each read runs under `ObjectGuard.run`: an
interval timer (SIGALRM) ends it after its budget, and whatever it raises comes back
as a value. A real interrupt (the learner's Ctrl-C, the supervisor's SIGINT for a cell
over its time) is told apart from an object that raises KeyboardInterrupt itself: the
guard's own SIGINT handler notes it (`interrupted`) before raising, and between reads
only notes it, so no exception ever leaves a snapshot.

The guard is entered once per snapshot (main thread only: Python runs signal handlers
there); it puts back the handlers and any interval timer the learner had set.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any, TypeVar

T = TypeVar("T")


class ObjectTimeout(BaseException):
    """Raised into a read that took longer than its budget."""


class ObjectGuard:
    """For one snapshot: time limits on reads, and a note of real interrupts."""

    def __init__(self) -> None:
        self.interrupted = False
        self._armed = False
        self._old_alarm: Any = None
        self._old_int: Any = None
        self._old_timer: tuple[float, float] = (0.0, 0.0)
        self._entered_at = 0.0

    def __enter__(self) -> ObjectGuard:
        self._entered_at = time.monotonic()
        self._old_timer = signal.setitimer(signal.ITIMER_REAL, 0)
        self._old_alarm = signal.signal(signal.SIGALRM, self._on_alarm)
        self._old_int = signal.signal(signal.SIGINT, self._on_interrupt)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._old_alarm)
        signal.signal(signal.SIGINT, self._old_int)
        remaining, interval = self._old_timer
        if remaining > 0:  # the learner's own timer goes on where it was
            spent = time.monotonic() - self._entered_at
            signal.setitimer(signal.ITIMER_REAL, max(remaining - spent, 0.001), interval)

    def _on_alarm(self, signum: int, frame: FrameType | None) -> None:
        if self._armed:
            self._armed = False
            raise ObjectTimeout

    def _on_interrupt(self, signum: int, frame: FrameType | None) -> None:
        # Between reads the snapshot only notes it (and stops reading); during a read
        # it ends that read.
        self.interrupted = True
        if self._armed:
            self._armed = False
            raise KeyboardInterrupt

    def run(self, seconds: float, work: Callable[[], T]) -> tuple[T | None, BaseException | None]:
        """`(work(), None)`, or `(None, what it raised)`; ObjectTimeout after `seconds`."""
        self._armed = True
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            value = work()
            self._armed = False
            return value, None
        except BaseException as exc:  # anything a learner's object raises, by design
            self._armed = False
            return None, exc
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
