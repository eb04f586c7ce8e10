"""A reply that always fits the channel: the supervisor reads no line over its cap.

A line longer than `MAX_MESSAGE_BYTES` ends the kernel on the supervisor's side (it is
not trusted any more), so a cell whose namespace is too large to describe (a million
character variable name, a thousand long previews) must still send a reply that fits:
long strings are cut first, then the inspector's rows and the plots are dropped with a
note (the result's `notes`), and as a last resort only the outcome and an error are sent.
"""

from __future__ import annotations

import json
from typing import Any

from tutor.kernel.protocol import MAX_MESSAGE_BYTES, MAX_TEXT_CHARS, Said

#: Room kept under the supervisor's cap for the id and the encoding's own bytes.
_MARGIN = 4096


def encode(message: dict[str, Any]) -> bytes:
    """One wire line, as the kernel sends it."""
    return json.dumps(message, ensure_ascii=True, default=str).encode() + b"\n"


def fitted(message: dict[str, Any], limit: int = MAX_MESSAGE_BYTES - _MARGIN) -> bytes:
    """`message` encoded, made smaller until it is at most `limit` bytes."""
    data = encode(message)
    if len(data) <= limit:
        return data
    trimmed = _trimmed(message)
    data = encode(trimmed)
    if len(data) <= limit:
        return data
    result = trimmed.get("result")
    if isinstance(result, dict):
        result = {**result, "variables": [], "plots": []}
        note = Said("kernel.names-too-large").to_wire()
        result["notes"] = [*(result.get("notes") or []), note]
        data = encode({**trimmed, "result": result})
        if len(data) <= limit:
            return data
        outcome = result.get("outcome") if result.get("outcome") != "ok" else "error"
        message_words = Said("kernel.result-too-large").to_wire()
        small = {
            "outcome": outcome,
            "error": {"type": "OverflowError", "message": message_words},
            "execution_count": result.get("execution_count", 0),
        }
        return encode({"id": message.get("id"), "result": small})
    return encode({"id": message.get("id"), "internal_error": "reply too large"})


def _trimmed(value: Any, depth: int = 0) -> Any:
    """Every string cut to `MAX_TEXT_CHARS`, every list to 1,000 items, nesting to 20."""
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT_CHARS else value[:MAX_TEXT_CHARS] + "…"
    if depth > 20:
        return None
    if isinstance(value, dict):
        return {_trimmed(k, depth + 1): _trimmed(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_trimmed(v, depth + 1) for v in list(value)[:1000]]
    return value
