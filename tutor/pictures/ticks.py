"""Axis ticks at round numbers, and their labels.

Ticks land on 1, 2 or 5 times a power of ten, so a learner reads "0, 0.5, 1" and
not "0.03, 0.51, 0.99"; a tick's label shows as many decimals as the step needs.
"""

from __future__ import annotations

import math

#: Most ticks `nice_ticks` returns, whatever it is asked: the work is bounded.
MAX_TICKS = 64


def nice_step(span: float, count: int) -> float:
    """A round step giving about `count` intervals over `span` (inf when there is none)."""
    raw = span / max(count, 1)
    if raw <= 0 or not math.isfinite(raw):
        return math.inf
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if raw <= factor * power * (1 + 1e-9):
            return factor * power
    return 10.0 * power


def nice_ticks(low: float, high: float, count: int) -> list[float]:
    """Round values between `low` and `high` (inclusive), about `count` intervals apart.

    At most `MAX_TICKS` values, for any input: a span too wide for a float (-1e308 to
    1e308) or too narrow to step through gives its two ends instead.
    """
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low] if math.isfinite(low) else []
    count = min(max(count, 1), MAX_TICKS - 1)
    step = nice_step(high - low, count)
    if not math.isfinite(step) or step <= 0:
        return [low, high]
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    if not last - first < MAX_TICKS:
        return [low, high]
    return [_clean(i * step) for i in range(first, last + 1)]


def _clean(value: float) -> float:
    """Drop float noise (0.30000000000000004) and negative zero."""
    value = float(f"{value:.12g}")
    return 0.0 if value == 0 else value


def decimals_for(step: float) -> int:
    """Decimals needed to tell ticks `step` apart."""
    for digits in range(0, 10):
        if abs(round(step, digits) - step) <= abs(step) * 1e-9:
            return digits
    return 10


def format_tick(value: float, step: float) -> str:
    """A tick's label: fixed decimals for ordinary scales, exponents for extreme ones."""
    if abs(value) >= 1e6 or step < 1e-4:
        return f"{value:.3g}"
    text = f"{value:.{decimals_for(step)}f}"
    return text.lstrip("-") if text.strip("-0.") == "" else text


def format_number(value: float) -> str:
    """A number in a summary: four significant digits, no float noise."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.4g}"
