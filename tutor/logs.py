"""The tutor's own log: errors of the tutor, with context, in the data directory.

Never stderr while a frontend owns the terminal (it would garble the screen); never a
crash when the directory cannot be written (then nothing is logged).
"""

from __future__ import annotations

import logging
import logging.handlers

from tutor.paths import data_dir, log_file


def configure_logging(level: int = logging.WARNING) -> None:
    """Send the `tutor` loggers to a small rotating file in the data directory."""
    root = logging.getLogger("tutor")
    root.setLevel(level)
    root.propagate = False
    try:
        data_dir(create=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file(), maxBytes=1_000_000, backupCount=1, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.handlers[:] = [handler]
