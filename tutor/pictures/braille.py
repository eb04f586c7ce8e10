"""A pixel canvas drawn with Braille characters: 2x4 dots per terminal cell.

Each cell remembers which series set a dot in it last (its owner), so a frontend can
colour it; without colour, series stay apart by their dash pattern (`PENS`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

BRAILLE_BASE = 0x2800
# Dot bit for (column, row) inside a cell, column 0..1, row 0..3 (Unicode's numbering).
_DOT_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))

#: Dash patterns, one per line series in turn: solid, dashed, dotted, dash-dot.
PENS: tuple[tuple[int, ...], ...] = (
    (1,),
    (1, 1, 1, 1, 0, 0, 0),
    (1, 0, 0),
    (1, 1, 1, 1, 1, 0, 0, 1, 0, 0),
)
#: The pattern of a series drawn with `style="dashed"`.
DASHED = PENS[1]


class BrailleCanvas:
    """`cols` x `rows` cells, that is (2*cols) x (4*rows) dots; (0, 0) is the top left."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols = cols
        self.rows = rows
        self._bits = [[0] * cols for _ in range(rows)]
        self._owner: list[list[int | None]] = [[None] * cols for _ in range(rows)]

    @property
    def width(self) -> int:
        """Dots across."""
        return 2 * self.cols

    @property
    def height(self) -> int:
        """Dots down."""
        return 4 * self.rows

    def set(self, x: int, y: int, owner: int) -> None:
        """Set the dot at (x, y); dots outside the canvas are ignored."""
        if 0 <= x < self.width and 0 <= y < self.height:
            col, row = x // 2, y // 4
            self._bits[row][col] |= _DOT_BITS[x % 2][y % 4]
            self._owner[row][col] = owner

    def line(
        self,
        points: Sequence[tuple[float, float]],
        owner: int,
        pen: Sequence[int] = PENS[0],
    ) -> None:
        """A polyline through `points` (dot coordinates), dashed by `pen`."""
        step = 0
        points = [self._clamped(x, y) for x, y in points]
        if len(points) == 1:
            x, y = points[0]
            self.set(round(x), round(y), owner)
            return
        last = len(points) - 2
        for k, ((x0, y0), (x1, y1)) in enumerate(itertools.pairwise(points)):
            # Clamped ends keep this bounded by the canvas, whatever the data.
            steps = max(abs(round(x1) - round(x0)), abs(round(y1) - round(y0)), 1)
            # Each segment's last dot is the next one's first: draw it once.
            for i in range(steps + 1 if k == last else steps):
                t = i / steps
                if pen[step % len(pen)]:
                    self.set(round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t), owner)
                step += 1

    def _clamped(self, x: float, y: float) -> tuple[float, float]:
        """A dot coordinate moved into a band one canvas wide around the canvas.

        Inside the canvas nothing changes; far outside (or NaN), a point is pulled in, so
        a line's dot count stays bounded by the canvas and never reaches a `round(inf)`.
        """
        return _within(x, -self.width, 2 * self.width), _within(y, -self.height, 2 * self.height)

    def dots(self, points: Sequence[tuple[float, float]], owner: int) -> None:
        """A 2x2 block of dots at each point, big enough to see."""
        for x, y in (self._clamped(*p) for p in points):
            px, py = round(x), round(y)
            for dx in (0, 1):
                for dy in (0, 1):
                    self.set(px + dx, py + dy, owner)

    def bars(self, points: Sequence[tuple[float, float]], base: float, owner: int) -> None:
        """A vertical bar from the dot row `base` to each point."""
        base = self._clamped(0.0, base)[1]
        for x, y in (self._clamped(*p) for p in points):
            top, bottom = sorted((round(y), round(base)))
            for py in range(max(top, 0), min(bottom, self.height - 1) + 1):
                self.set(round(x), py, owner)

    def cell(self, col: int, row: int) -> tuple[str, int | None]:
        """The character of a cell (a space when empty) and the series that owns it."""
        bits = self._bits[row][col]
        return (chr(BRAILLE_BASE + bits) if bits else " "), self._owner[row][col]


def legend_sample(pen: Sequence[int], cells: int = 4) -> str:
    """A short horizontal stroke drawn with `pen`, for a legend."""
    canvas = BrailleCanvas(cells, 1)
    canvas.line([(0.0, 1.0), (float(canvas.width - 1), 1.0)], 0, pen)
    return "".join(canvas.cell(c, 0)[0] for c in range(cells)).replace(" ", "\u2800")


def _within(value: float, low: float, high: float) -> float:
    """`value` clamped to [low, high]; NaN goes to the middle."""
    if math.isnan(value):
        return (low + high) / 2
    return min(max(value, low), high)


def fraction(value: float, low: float, high: float) -> float | None:
    """Where `value` lies between `low` (0) and `high` (1); None when that has no answer.

    Finite for any finite input: when `high - low` overflows (-1e308 to 1e308) the
    difference is taken of halves; a span that is subnormal is taken as it is.
    """
    if not (high > low and math.isfinite(value) and math.isfinite(low) and math.isfinite(high)):
        return None
    span = high - low
    if math.isfinite(span):
        result = (value - low) / span
    else:
        result = (value / 2 - low / 2) / (high / 2 - low / 2)
    return result if math.isfinite(result) else None


def scale(value: float, low: float, high: float, size: int, *, flip: bool = False) -> float:
    """Map `value` in [low, high] to a dot coordinate in [0, size - 1] (finite always)."""
    where = fraction(value, low, high)
    if where is None:
        return (size - 1) / 2
    position = where * (size - 1)
    return (size - 1) - position if flip else position
