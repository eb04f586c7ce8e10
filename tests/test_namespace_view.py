"""The supervisor's copy of the namespace snapshot, kept up to date from deltas."""

from __future__ import annotations

from collections.abc import Sequence

from tutor.kernel.namespace_view import NamespaceView, refreshed
from tutor.kernel.protocol import VariableView


def row(name: str, preview: str = "1.0", state: str = "current") -> dict[str, object]:
    return {
        "name": name,
        "kind": "Tensor",
        "shape": [],
        "dtype": "float32",
        "preview": preview,
        "grad": None,
        "state": state,
    }


def test_a_delta_changes_only_its_rows_and_keeps_the_order() -> None:
    view = NamespaceView()
    first = view.apply({"seq": 1, "base": 0, "names": ["a", "b"], "rows": [row("a"), row("b")]})
    assert first is not None and [v.name for v in first] == ["a", "b"]
    after = view.apply({"seq": 2, "base": 1, "names": ["a", "b", "c"], "rows": [row("c", "2.0")]})
    assert after is not None and [v.name for v in after] == ["a", "b", "c"]
    assert after[0] is first[0]  # an unchanged row is not decoded again
    gone = view.apply({"seq": 3, "base": 2, "names": ["c"], "rows": []})
    assert gone is not None and [v.preview for v in gone] == ["2.0"]


def test_a_delta_on_a_snapshot_not_held_is_refused() -> None:
    view = NamespaceView()
    assert view.apply({"seq": 1, "base": 0, "names": ["a"], "rows": [row("a")]})
    assert view.apply({"seq": 5, "base": 4, "names": ["a"], "rows": []}) is None
    assert view.apply({"seq": 2, "base": 1, "names": ["a", "zz"], "rows": []}) is None
    for bad in (
        None,
        [],
        {"seq": True, "base": 0, "names": [], "rows": []},
        {"seq": 2, "base": -1, "names": [], "rows": []},
        {"seq": 2, "base": 1, "names": "a", "rows": []},
    ):
        assert view.apply(bad) is None
    assert [v.name for v in view.variables] == ["a"]  # what it held is kept


async def test_rows_not_refreshed_are_asked_for_while_the_kernel_makes_progress() -> None:
    asked: list[list[str]] = []
    left = {"a", "b", "c"}

    async def refresh(names: Sequence[str]) -> tuple[VariableView, ...]:
        asked.append(list(names))
        left.discard(sorted(left)[0])  # one row per answer
        return tuple(
            VariableView(n, "Tensor", (), "float32", "", state="stale" if n in left else "current")
            for n in "abc"
        )

    stale = tuple(VariableView(n, "Tensor", (), "float32", "", state="stale") for n in "abc")
    done = await refreshed(refresh, stale)
    assert asked == [["a", "b", "c"], ["b", "c"], ["c"]]
    assert all(v.state == "current" for v in done)

    async def stuck(names: Sequence[str]) -> tuple[VariableView, ...]:
        asked.append(list(names))
        return stale

    asked.clear()
    assert await refreshed(stuck, stale) == stale and len(asked) == 1  # no progress: stop
