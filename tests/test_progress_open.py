"""Opening the progress file in every state it can be in: never raise, never lose it."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest

from tutor.progress import ProgressStore, schema
from tutor.progress.schema import APPLICATION_ID, CURRENT_VERSION, MIGRATIONS, Migration, migrate

CORRUPT_NAME = re.compile(r"progress\.sqlite3\.corrupt-\d{8}-\d{6}")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("TUTOR_HOME", str(home))
    return home


@pytest.fixture
def db(home: Path) -> Path:
    return home / "progress.sqlite3"


def set_aside_files(home: Path) -> list[Path]:
    return sorted(p for p in home.iterdir() if CORRUPT_NAME.fullmatch(p.name))


def fill(path: Path) -> None:
    store = ProgressStore.open(path)
    store.set_position("01", 2)
    store.record_attempt("01", "e", code="x = 1", passed=True)
    for i in range(200):
        store.record_cell("01", f"x = {i}  # {'padding ' * 40}", outcome="ok", elapsed_ms=i)
    store.close()


def assert_fresh_and_saved(store: ProgressStore) -> None:
    assert store.persistent
    assert store.position() is None
    store.record_attempt("01", "e", code="", passed=False)
    store.close()
    again = ProgressStore.open()
    assert again.exercise("01", "e") is not None and again.warning is None
    again.close()


# -- damaged or foreign files are set aside --------------------------------------------------
def test_a_file_that_is_not_sqlite_is_moved_aside(home: Path, db: Path) -> None:
    db.write_text("my shopping list\n")
    store = ProgressStore.open()
    [moved] = set_aside_files(home)
    assert moved.read_text() == "my shopping list\n"
    assert store.warning is not None
    assert "not a SQLite database" in store.warning and moved.name in store.warning
    assert_fresh_and_saved(store)


def test_another_programs_sqlite_file_is_moved_aside(home: Path, db: Path) -> None:
    other = sqlite3.connect(db)
    other.execute("CREATE TABLE photos (name TEXT)")
    other.execute("INSERT INTO photos VALUES ('cat.jpg')")
    other.commit()
    other.close()
    store = ProgressStore.open()
    [moved] = set_aside_files(home)
    assert sqlite3.connect(moved).execute("SELECT name FROM photos").fetchone() == ("cat.jpg",)
    assert store.warning is not None and "another program" in store.warning
    assert_fresh_and_saved(store)


def test_a_file_with_another_application_id_is_moved_aside(home: Path, db: Path) -> None:
    other = sqlite3.connect(db)
    other.execute("PRAGMA application_id = 1234")
    other.execute("PRAGMA user_version = 1")
    other.commit()
    other.close()
    store = ProgressStore.open()
    assert len(set_aside_files(home)) == 1
    assert_fresh_and_saved(store)


def test_a_damaged_database_is_moved_aside(home: Path, db: Path) -> None:
    fill(db)
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    assert len(data) > 4 * page
    data[page : len(data)] = b"\xa5" * (len(data) - page)  # every page but the header's
    db.write_bytes(bytes(data))
    store = ProgressStore.open()
    assert len(set_aside_files(home)) == 1
    assert store.warning is not None and "damaged" in store.warning
    assert_fresh_and_saved(store)


def test_our_file_without_our_tables_is_moved_aside(home: Path, db: Path) -> None:
    broken = sqlite3.connect(db)
    broken.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    broken.execute(f"PRAGMA user_version = {CURRENT_VERSION}")
    broken.execute("CREATE TABLE position (x)")
    broken.commit()
    broken.close()
    store = ProgressStore.open()
    assert len(set_aside_files(home)) == 1
    assert store.warning is not None and "tables" in store.warning
    assert_fresh_and_saved(store)


def test_the_side_files_move_with_the_database(home: Path, db: Path) -> None:
    db.write_bytes(b"garbage" * 100)
    Path(f"{db}-wal").write_bytes(b"old wal")
    store = ProgressStore.open()
    [moved] = set_aside_files(home)
    assert Path(f"{moved}-wal").read_bytes() == b"old wal"
    assert_fresh_and_saved(store)


def test_two_set_asides_in_the_same_second_keep_both(home: Path, db: Path) -> None:
    for text in ("first", "second"):
        db.write_text(text)
        ProgressStore.open().close()
        db.unlink()
    contents = sorted(
        p.read_text() for p in home.iterdir() if p.name.startswith(db.name + ".corrupt")
    )
    assert contents == ["first", "second"]


def test_an_empty_file_is_a_fresh_store(home: Path, db: Path) -> None:
    db.touch()
    store = ProgressStore.open()
    assert store.warning is None and set_aside_files(home) == []
    assert_fresh_and_saved(store)


# -- a newer tutor's file is never touched ---------------------------------------------------
def test_a_newer_schema_is_read_but_never_written(db: Path) -> None:
    fill(db)
    newer = sqlite3.connect(db)
    newer.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    newer.execute("CREATE TABLE from_the_future (x)")
    newer.commit()
    newer.close()
    before = db.read_bytes()
    store = ProgressStore.open()
    assert not store.persistent
    assert store.warning is not None
    assert "newer" in store.warning and "Nothing" in store.warning and "saved" in store.warning
    assert store.position() == ("01", 2)
    store.record_attempt("01", "f", code="", passed=True)
    assert store.exercise("01", "f") is not None
    store.close()
    assert db.read_bytes() == before


def test_a_newer_schema_we_cannot_read_gives_an_empty_store(db: Path) -> None:
    newer = sqlite3.connect(db)
    newer.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    newer.execute(f"PRAGMA user_version = {CURRENT_VERSION + 5}")
    newer.execute("CREATE TABLE everything_renamed (x)")
    newer.commit()
    newer.close()
    before = db.read_bytes()
    store = ProgressStore.open()
    assert not store.persistent and store.position() is None
    store.set_position("01", 1)
    assert store.position() == ("01", 1)
    store.close()
    assert db.read_bytes() == before


# -- no place to write: the tutor still runs ---------------------------------------------------
def test_a_folder_that_cannot_be_created_gives_an_in_memory_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("TUTOR_HOME", str(blocker / "tutor"))
    store = ProgressStore.open()
    assert not store.persistent
    assert store.warning is not None and "Nothing" in store.warning and "saved" in store.warning
    assert "cannot be written" in store.warning and "TUTOR_HOME" in store.warning
    store.record_attempt("01", "e", code="", passed=True)
    assert store.exercise("01", "e") is not None
    store.close()


def test_a_directory_in_the_files_place_is_left_alone(home: Path, db: Path) -> None:
    db.mkdir()
    store = ProgressStore.open()
    assert not store.persistent and store.warning
    assert db.is_dir() and set_aside_files(home) == []
    store.set_position("01", 1)
    assert store.position() == ("01", 1)
    store.close()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_folder_gives_a_read_only_copy(home: Path, db: Path) -> None:
    fill(db)
    home.chmod(0o500)
    try:
        store = ProgressStore.open()
        assert not store.persistent and store.warning
        assert store.position() == ("01", 2)
        store.close()
    finally:
        home.chmod(0o700)


# -- migrations ----------------------------------------------------------------------------------
V1_ROWS = [
    "INSERT INTO position VALUES (1, '01', 4, '2026-01-01T00:00:00.000000Z')",
    "INSERT INTO exercises VALUES ('01', 'e', 'passed', 2, '2026-01-01T00:00:00.000000Z', "
    "'2026-01-01T00:00:01.000000Z', 'x = 1', NULL)",
    "INSERT INTO answers VALUES ('01', 'q', '2', 1, 1, '2026-01-01T00:00:00.000000Z', "
    "'2026-01-01T00:00:00.000000Z')",
    "INSERT INTO history (line, added_at) VALUES ('x = 1', '2026-01-01T00:00:00.000000Z')",
    "INSERT INTO preferences VALUES ('language', 'zh')",
]


def build(path: Path, version: int) -> None:
    """A file as the tutor of schema `version` left it, with a record in it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=version)
    for statement in V1_ROWS:
        conn.execute(statement)
    conn.close()


@pytest.mark.parametrize("version", range(1, CURRENT_VERSION))
def test_every_earlier_version_is_migrated_keeping_the_record(
    home: Path, db: Path, version: int
) -> None:
    build(db, version)
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == version
    store = ProgressStore.open()
    assert store.persistent and store.warning is None and set_aside_files(home) == []
    assert store.position() == ("01", 4)
    record = store.exercise("01", "e")
    assert record is not None and (record.status, record.attempts) == ("passed", 2)
    assert store.answers()[("01", "q")].correct
    assert store.history() == ["x = 1"] and store.preference("language") == "zh"
    store.record_cell("01", "y = 2", outcome="ok", elapsed_ms=1)
    assert [c.code for c in store.cells("01")] == ["y = 2"]
    store.close()
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION


def test_the_v1_schema_has_no_cells_table_and_v2_adds_it(db: Path) -> None:
    build(db, 1)
    tables = {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master")}
    assert "cells" not in tables
    ProgressStore.open().close()
    tables = {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master")}
    assert {"cells", "cells_by_lesson", "history_by_time"} <= tables


def test_a_failing_step_leaves_the_previous_version(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(db, CURRENT_VERSION)
    broken = Migration(CURRENT_VERSION + 1, "broken", ("CREATE TABLE half (x)", "NOT SQL"))
    monkeypatch.setattr(schema, "MIGRATIONS", (*MIGRATIONS, broken))
    conn = sqlite3.connect(db, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, target=CURRENT_VERSION + 1)
    assert schema.user_version(conn) == CURRENT_VERSION
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchone() is None
    conn.close()


def test_migrating_twice_is_a_no_op(db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    assert migrate(conn) == 0
    assert migrate(conn) == CURRENT_VERSION
    conn.close()
