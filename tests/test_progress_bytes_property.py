"""Random bytes flipped in random pages of a real store: every later session either saves
what the learner does or says it does not, and never shows less than the file held
without a word."""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.progress import ProgressStore
from tutor.progress.events import StoreEvent
from tutor.progress.records import utc_stamp

pytestmark = pytest.mark.slow

SESSIONS = 3


@dataclass(frozen=True)
class Pristine:
    data: bytes
    page_size: int
    counts: dict[str, int]

    @property
    def pages(self) -> int:
        return len(self.data) // self.page_size


def counts_of(store: ProgressStore) -> dict[str, int]:
    record = store.export()
    return {
        "position": int(record["position"] is not None),
        **{name: len(record[name]) for name in ("exercises", "answers", "cells", "history")},
        "preferences": len(record["preferences"]),
    }


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Pristine:
    path = tmp_path_factory.mktemp("pristine") / "progress.sqlite3"
    with ProgressStore.open(path) as store:
        store.set_position("01", 2)
        for i in range(12):
            store.record_attempt("01", f"e{i}", code=f"x = {i}\n" * (i * 20), passed=i % 3 == 0)
            store.record_answer("01", f"q{i}", answer=str(i), correct=i % 2 == 0)
        store.record_revealed("02", "r")
        store.set_preference("lang", "en")
    with sqlite3.connect(path) as conn:
        now = utc_stamp()
        conn.executemany(
            "INSERT INTO cells (lesson, code, outcome, elapsed_ms, ran_at) VALUES (?, ?, ?, ?, ?)",
            [("01", f"y{i} = {i}" + "#" * (i % 40), "ok", float(i), now) for i in range(600)],
        )
        conn.executemany(
            "INSERT INTO history (line, added_at) VALUES (?, ?)",
            [(f"line {i}", now) for i in range(300)],
        )
    conn.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with ProgressStore.open(path) as store:
        counts = counts_of(store)
    return Pristine(path.read_bytes(), page_size, counts)


flips = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1, exclude_max=True),  # which page
        st.integers(min_value=0, max_value=65535),  # where in it
        st.integers(min_value=0, max_value=255),  # the new byte
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=flips)
def test_every_session_after_random_damage_saves_or_says_it_does_not(
    pristine: Pristine, changes: list[tuple[float, int, int]]
) -> None:
    data = bytearray(pristine.data)
    for where, offset, value in changes:
        page = int(where * pristine.pages)
        data[page * pristine.page_size + offset % pristine.page_size] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "progress.sqlite3"
        path.write_bytes(bytes(data))
        for session in range(SESSIONS):
            store = ProgressStore.open(path)
            heard: list[StoreEvent] = []
            store.add_listener(heard.append)
            notices = store.take_notices()
            if session == 0 and store.persistent:
                counts = counts_of(store)  # reads every row: damage met here is told too
                if not notices and not heard:
                    assert counts == pristine.counts, "less shown, and not a word said"
            store.record_attempt("prop", f"marker-{session}", code="", passed=True)
            said = (
                bool(notices)
                or not store.persistent
                or store.health.cause is not None
                or any(e.kind in ("not-saved", "repaired", "set-aside") for e in heard)
            )
            newer = any(n.cause == "newer" for n in notices)
            store.close()
            with ProgressStore.open(path) as check:
                saved = check.exercise("prop", f"marker-{session}") is not None
            assert saved or said, f"session {session}: not saved, and not a word said"
            if session == SESSIONS - 1 and not newer:
                assert saved, "a damaged file must not block every later session"
