"""tutor: a terminal tutor for the mathematics deep learning starts from, with TensorFlow."""

from __future__ import annotations

__version__ = "0.1.0"
