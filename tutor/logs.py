"""The tutor's own log: errors of the tutor, with context, in the data directory.

Never stderr while a frontend owns the terminal (it would garble the screen); never a
crash when the directory cannot be written (then nothing is logged). The log lives on
the same disk as the progress file, so when that disk is full or over the file-size
limit the log fails too: such a failure is dropped quietly (the learner is told about
the record by the store itself), never printed over the screen.
"""

from __future__ import annotations

import logging
import logging.handlers

from tutor.paths import data_dir, log_file


class QuietFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler that drops a record it cannot write instead of printing a
    traceback to stderr (the stdlib's `handleError` does, while a frontend draws there)."""

    #: Records that could not be written.
    dropped = 0

    def handleError(self, record: logging.LogRecord) -> None:
        self.dropped += 1


def configure_logging(level: int = logging.WARNING) -> None:
    """Send the `tutor` loggers to a small rotating file in the data directory."""
    root = logging.getLogger("tutor")
    root.setLevel(level)
    root.propagate = False
    try:
        data_dir(create=True)
        handler: logging.Handler = QuietFileHandler(
            log_file(), maxBytes=1_000_000, backupCount=1, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.handlers[:] = [handler]
