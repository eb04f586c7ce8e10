"""Capture what a cell prints, at the Python level and at the file-descriptor level.

Learner code may print from Python (`print`), from C (TensorFlow's logging, `os.write(1, ...)`),
or from a background thread that keeps printing after its cell ended. All of it lands in one
capped buffer per stream that the kernel drains after each cell; what arrives between
cells is dropped when the next cell starts, so a chatty thread costs memory up to the cap. The protocol runs over its own socket, so nothing a
learner writes to fd 1 or 2 (or closing them) can corrupt it.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
import threading

#: Characters kept per stream per cell; the rest is counted and dropped.
STREAM_CAP = 20_000


class CappedBuffer:
    """A thread-safe text buffer that keeps the first `cap` characters and counts the rest."""

    def __init__(self, cap: int = STREAM_CAP) -> None:
        self._cap = cap
        self._parts: list[str] = []
        self._size = 0
        self._dropped = 0
        self._lock = threading.Lock()

    def add(self, text: str) -> None:
        with self._lock:
            room = self._cap - self._size
            if room > 0:
                piece = text[:room]
                self._parts.append(piece)
                self._size += len(piece)
            self._dropped += max(0, len(text) - max(room, 0))

    def drain(self) -> str:
        with self._lock:
            text = "".join(self._parts)
            if self._dropped:
                text += f"\n… [{self._dropped} more characters of output not shown]\n"
            self._parts, self._size, self._dropped = [], 0, 0
            return text


class StreamWriter(io.TextIOBase):
    """What `sys.stdout` / `sys.stderr` are inside the kernel."""

    def __init__(self, buffer: CappedBuffer, name: str) -> None:
        self._buffer = buffer
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._buffer.add(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def close(self) -> None:
        # A learner closing sys.stdout must not break the next cell's prints.
        pass


class OutputCapture:
    """Owns fds 1 and 2 and the Python streams for the kernel's lifetime."""

    def __init__(self) -> None:
        self.stdout = CappedBuffer()
        self.stderr = CappedBuffer()

    def install(self) -> None:
        """Point sys.stdout/err at the buffers and fds 1/2 at pipes drained by threads."""
        for fd, buffer in ((1, self.stdout), (2, self.stderr)):
            read_end, write_end = os.pipe()
            os.dup2(write_end, fd)
            os.close(write_end)
            thread = threading.Thread(
                target=_drain_fd, args=(read_end, buffer), name=f"capture-fd{fd}", daemon=True
            )
            thread.start()
        sys.stdout = StreamWriter(self.stdout, "<stdout>")
        sys.stderr = StreamWriter(self.stderr, "<stderr>")

    def take(self) -> tuple[str, str]:
        """What was printed since the last call."""
        for stream in (sys.__stdout__, sys.__stderr__):
            try:
                if stream is not None:
                    stream.flush()
            except (OSError, ValueError):
                pass
        return self.stdout.drain(), self.stderr.drain()


def _drain_fd(fd: int, buffer: CappedBuffer) -> None:
    utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        buffer.add(utf8.decode(chunk))
