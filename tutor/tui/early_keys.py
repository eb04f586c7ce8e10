"""Keys typed before the first frame: kept, not echoed, not lost.

A learner who types while the tutor starts (a second or so) meets two problems. The
terminal is still in its line-editing mode, so the keys are echoed onto the shell's
screen and Enter arrives as a line feed (ctrl+j, a new line in the input rather than
"run"); and when Textual starts reading, its keys reach the app before the input
exists. `hold_keys` (called by the command line before Textual is even imported)
turns echo and line editing off without flushing what was typed, so the bytes wait
in the terminal for Textual to read; the main screen puts any key that arrives
before the input was there into the input (`TutorScreen.on_key`). `release_keys`
puts the terminal back as it was, since Textual restores the settings it found.
"""

from __future__ import annotations

import atexit
import sys
from typing import Any

_saved: tuple[int, list[Any]] | None = None


def hold_keys() -> bool:
    """Stop the terminal echoing and line-editing keys; True when it was a terminal."""
    global _saved
    try:
        import termios

        fd = sys.stdin.fileno()
        before = termios.tcgetattr(fd)
        attrs = termios.tcgetattr(fd)
        attrs[0] &= ~termios.ICRNL  # Enter stays Enter ("\r"), not a line feed
        attrs[3] &= ~(termios.ECHO | termios.ICANON)  # no echo, bytes readable at once
        attrs[6][termios.VMIN] = 1
        attrs[6][termios.VTIME] = 0
        termios.tcsetattr(fd, termios.TCSANOW, attrs)  # TCSANOW: keep what was typed
    except (ImportError, OSError, ValueError, AttributeError):
        return False  # not a terminal (or not POSIX): nothing to hold
    except Exception:  # termios.error
        return False
    _saved = (fd, before)
    atexit.register(release_keys)
    return True


def release_keys() -> None:
    """The terminal's settings as they were before `hold_keys` (idempotent)."""
    global _saved
    if _saved is None:
        return
    fd, before = _saved
    _saved = None
    try:
        import termios

        termios.tcsetattr(fd, termios.TCSADRAIN, before)
    except Exception:  # the terminal went away: nothing left to restore
        return
