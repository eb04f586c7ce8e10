"""The inspector's summaries of host arrays, and how large ones are previewed from their
corners (pure NumPy: the device side is tested in the real kernel)."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.kernel.protocol import Said
from tutor.kernel.worker import summaries
from tutor.words import tell


def said(wire: object) -> str:
    """A summary as the frontend says it in English (the worker sends ids and facts)."""
    return tell("en", Said.from_wire(wire) if isinstance(wire, dict) else str(wire))


SHAPES = [(61,), (1000,), (5, 200), (200, 5), (7, 70), (100, 100), (3, 4, 100), (8, 9, 10, 11)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.bool_, np.complex64])
def test_the_corners_print_as_numpy_prints_the_whole_array(
    shape: tuple[int, ...], dtype: type
) -> None:
    """For every array NumPy prints summarised (over 60 entries)."""
    rng = np.random.default_rng(len(shape))
    values = rng.standard_normal(shape) * 1000
    array = (values > 0) if dtype is np.bool_ else values.astype(dtype)
    edge = summaries._edge_for(array.ndim)
    corners = array[np.ix_(*(summaries._corner_indices(n, edge) for n in array.shape))]
    with np.printoptions(threshold=60, edgeitems=edge, precision=4, linewidth=72):
        whole = np.array2string(array)
    if array.ndim == 1:
        whole = " ".join(whole.split()).replace("[ ", "[").replace(" ]", "]")
    assert summaries.corner_preview(corners, edge) == whole
    assert corners.size <= summaries.MAX_CORNERS


def test_a_large_host_array_is_summarised_from_its_corners_and_a_grid() -> None:
    array = np.arange(100 * 70, dtype=np.float64).reshape(100, 70)
    summary = summaries.summarise(array, "ndarray")
    assert said(summary["summary"]) == "100x70 float64, min 0, max 6999, mean 3500"
    grid = np.array(summary["matrix"])
    assert grid.shape == (32, 32)
    # block means: rows 0-3 (100 rows in 32 blocks start with a block of 4), columns 0-2
    assert grid[0, 0] == pytest.approx(array[0:4, 0:3].mean())
    assert grid.mean() == pytest.approx(array.mean(), rel=0.05)


def test_non_finite_entries_are_left_out_of_the_statistics() -> None:
    array = np.ones(2000)
    array[3], array[5] = np.nan, np.inf
    assert (
        said(summaries.summarise(array, "ndarray")["summary"])
        == "2000 float64, min 1, max 1, mean 1"
    )


def test_a_host_arrays_fingerprint_sees_an_entry_changed_or_moved() -> None:
    array = np.arange(5000, dtype=np.float32).reshape(50, 100)
    before = summaries.fingerprint(array, "ndarray")
    assert summaries.fingerprint(array.copy(), "ndarray") == before
    array[10, 3] += 1
    changed = summaries.fingerprint(array, "ndarray")
    assert changed != before
    array[10, 3] -= 1
    array[10, [3, 4]] = array[10, [4, 3]]  # same row sums, values moved
    assert summaries.fingerprint(array, "ndarray") not in (before, changed)


def test_a_huge_integer_is_described_not_printed() -> None:
    summary = summaries.summarise(10**5000, "int")
    assert summary["preview"] == "<int of about 5001 digits>"
