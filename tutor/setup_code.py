"""How an exercise's setup runs in the learner's namespace: it fills in, it never clobbers.

An exercise provides names (`A`, `x`...) when its step opens. The learner may already
have them from the lesson's examples, often with state that matters (the tape `t` was
recorded against *this* `x`); rebinding them would break what they are doing. So the
setup runs in a copy of the namespace and only the names still missing are copied back.
The check itself uses the learner's data for such names, so the verdict stays right.
Shared by the session and the validator, so lessons are proved the way they are used.
"""

from __future__ import annotations


def filling_setup(setup: str) -> str:
    """A cell that runs `setup` and binds only the names the namespace lacks."""
    return (
        "_tutor_setup = dict(globals())\n"
        f"exec(compile({setup!r}, '<exercise setup>', 'exec'), _tutor_setup)\n"
        "for _tutor_name, _tutor_value in _tutor_setup.items():\n"
        "    if _tutor_name not in globals():\n"
        "        globals()[_tutor_name] = _tutor_value\n"
        "del _tutor_setup, _tutor_name, _tutor_value\n"
    )
