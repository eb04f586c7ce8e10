"""Why the supervisor has no kernel to talk to."""

from __future__ import annotations


class KernelDied(Exception):
    """The kernel's channel closed: it exited, crashed or was killed."""


class KernelUnavailable(Exception):
    """No kernel could be started (the reason is in the message)."""
