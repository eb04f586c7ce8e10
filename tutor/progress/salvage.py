"""Reading every readable row out of a damaged progress file, without writing to it.

The file is copied into memory first (through SQLite's backup, so the WAL's recent
commits come along; from the raw bytes when even that fails), and only the copy is
touched:
- the 100-byte header is put back to the values this tutor writes (a bad byte there
  makes SQLite refuse the whole file);
- the schema is replaced by plain tables at the same root pages (a bad byte in the
  schema text makes every table unreadable; a damaged index or CHECK no longer matters);
- each table is walked by rowid, a row at a time where it must, so a damaged page
  loses the rows on it and no others; each row is mended (`tutor.progress.rows`);
- when a table's tree is broken above its leaves (or the schema's own page is), every
  leaf page of the file is read on its own and the rows that have exactly the shape of
  the table's rows are kept. Free pages are left out (the free list is skipped, and the
  store deletes with `secure_delete`), so rows the learner deleted do not come back.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.progress.rows import TABLES, Table, good_row_sql, mend_row
from tutor.progress.schema import APPLICATION_ID

log = logging.getLogger(__name__)

_MAGIC = b"SQLite format 3\x00"
_PAGE_SIZES = (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512)
_FIRST_ROWID = -(2**63)
_LAST_ROWID = 2**63 - 1
_BATCH = 500
_TABLE_LEAF = 0x0D
#: The widest table's column count: a leaf page is read with this many columns.
_WIDEST = max(len(t.columns) for t in TABLES)
_LEAF = "salvage_leaf"

Row = dict[str, Any]


@dataclass
class Salvaged:
    """The rows that could be read, mended, per table."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    #: Rows that needed mending (a bad character, an unreadable time or count).
    mended: int = 0
    #: Rows known to be lost (a damaged page counts the rowids it hid, at least one).
    unreadable: int = 0
    #: Whether the file is recognisably the tutor's (its id, or its tables).
    ours: bool = False

    @property
    def records(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


@dataclass(frozen=True)
class _Pages:
    """The file's bytes (header made good) and what the original header said."""

    data: bytes
    page_size: int
    app_id: int
    free: frozenset[int]

    def leaves(self) -> Iterator[int]:
        """Table leaf pages (1-based), the free ones and the schema's own left out."""
        for number in range(2, len(self.data) // self.page_size + 1):
            if number not in self.free and self.data[(number - 1) * self.page_size] == _TABLE_LEAF:
                yield number

    def with_empty_schema(self) -> bytes:
        """The data with page 1 (the schema) an empty table leaf: all roots forgotten."""
        size = self.page_size
        empty = bytes((_TABLE_LEAF, 0, 0, 0, 0)) + (size % 65536).to_bytes(2, "big") + b"\x00"
        return self.data[:100] + empty.ljust(size - 100, b"\x00") + self.data[size:]


def salvage(path: Path) -> Salvaged:
    """Every readable row of the file at `path`; `ours` is False when none is the tutor's."""
    result = Salvaged()
    made = _image(path)
    if made is None:
        return result
    image, pages, found = made
    try:
        claimed = pages.app_id == APPLICATION_ID
        if len(found) < 2 and not claimed:
            return result  # another program's file, or nothing recognisable
        for table in TABLES:
            walked: list[tuple[int, Row]] = []
            mended = lost = 0
            gaps: list[tuple[int, int | None]] = [(_FIRST_ROWID, None)]
            if table in found:
                walked, mended, lost, gaps = _read_table(image, table)
            rows = [row for _, row in walked]
            if gaps:
                rescued = _leaf_rows(pages, table, {rowid for rowid, _ in walked})
                lost += _still_missing(gaps, [rowid for rowid, _ in rescued])
                rows.extend(row for _, row in rescued)
            if rows:
                result.rows[table.name] = rows
            result.mended += mended
            result.unreadable += lost
        result.ours = len(found) >= 2 or bool(result.rows)
        return result
    finally:
        image.close()


# -- an image of the file, in memory ---------------------------------------------------------
def _image(path: Path) -> tuple[sqlite3.Connection, _Pages, list[Table]] | None:
    """The file in memory with a good header and a plain schema, and the tables found."""
    raw = _pages_through_sqlite(path)
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            log.warning("cannot read %s to salvage it: %s", path, exc)
            return None
        raw = _with_wal(path, raw) or raw
    sizes = list(_page_sizes(raw))
    if len(raw) < 1024 or not sizes:
        return None
    app_id = int.from_bytes(raw[68:72], "big")
    for page_size in sizes:
        pages = _Pages(_good_header(raw, page_size), page_size, app_id, _free_pages(raw, page_size))
        image = _deserialized(pages.data)
        found = _plain_schema(image)
        if found is not None:
            return image, pages, found
        image.close()
    # The schema's page is unreadable at every page size: keep the leaves of the likeliest.
    pages = _Pages(_good_header(raw, sizes[0]), sizes[0], app_id, _free_pages(raw, sizes[0]))
    image = _deserialized(pages.with_empty_schema())
    if _plain_schema(image) is None:
        image.close()
        return None
    return image, pages, []


def _deserialized(data: bytes) -> sqlite3.Connection:
    image = sqlite3.connect(":memory:", isolation_level=None)
    image.deserialize(data)
    image.text_factory = bytes
    return image


def _pages_through_sqlite(path: Path, *, read_only: bool = True) -> bytes | None:
    """The file with its WAL's commits applied; None when SQLite refuses it."""
    memory = sqlite3.connect(":memory:")
    try:
        mode = "?mode=ro" if read_only else ""
        source = sqlite3.connect(f"{path.resolve().as_uri()}{mode}", uri=True)
        try:
            source.backup(memory)
        finally:
            source.close()
        memory.execute("PRAGMA writable_schema = ON")  # a schema that does not parse is fine
        return memory.serialize()
    except (sqlite3.Error, UnicodeDecodeError, OSError):
        return None
    finally:
        memory.close()


def _with_wal(path: Path, raw: bytes) -> bytes | None:
    """The file (header made good) with the commits of its WAL, when SQLite refused it as
    it was: both are copied to a private folder and SQLite reads the WAL there."""
    wal = Path(f"{path}-wal")
    sizes = list(_page_sizes(raw))
    try:
        if not sizes or wal.stat().st_size == 0:
            return None
        with tempfile.TemporaryDirectory(prefix="tutor-salvage-") as folder:
            copy = Path(folder) / "copy.sqlite3"
            copy.write_bytes(_good_header(raw, sizes[0], wal=True))
            shutil.copyfile(wal, Path(f"{copy}-wal"))
            return _pages_through_sqlite(copy, read_only=False)
    except OSError:
        return None


def _page_sizes(data: bytes) -> Iterator[int]:
    """Page sizes to try: the stored one first when it is possible, then the usual ones."""
    stored = int.from_bytes(data[16:18], "big")
    stored = 65536 if stored == 1 else stored
    if stored in _PAGE_SIZES and len(data) % stored == 0:
        yield stored
    yield from (size for size in _PAGE_SIZES if size != stored and len(data) % size == 0)


def _good_header(data: bytes, page_size: int, *, wal: bool = False) -> bytes:
    """`data` with the header fields this tutor never changes set back to its values
    (a rollback journal, for an image in memory, unless `wal`)."""
    header = bytearray(data[:100])
    header[0:16] = _MAGIC
    header[16:18] = (page_size % 65536).to_bytes(2, "big") if page_size != 65536 else b"\x00\x01"
    header[18:24] = bytes((2, 2) if wal else (1, 1)) + bytes((0, 64, 32, 32))  # no reserve
    header[28:32] = (len(data) // page_size).to_bytes(4, "big")
    header[32:40] = bytes(8)  # no free list: a damaged one would hand out live pages
    header[44:48] = (4).to_bytes(4, "big")
    header[52:60] = bytes((0, 0, 0, 0, 0, 0, 0, 1))  # no auto-vacuum; UTF-8
    header[64:68] = bytes(4)
    header[72:92] = bytes(20)
    header[92:96] = header[24:28]  # the page count above is valid
    return bytes(header) + data[100:]


def _free_pages(data: bytes, page_size: int) -> frozenset[int]:
    """The pages on the free list, as far as it can be followed."""
    count = len(data) // page_size
    free: set[int] = set()
    trunk = int.from_bytes(data[32:36], "big")
    while 1 < trunk <= count and trunk not in free and len(free) < count:
        free.add(trunk)
        at = (trunk - 1) * page_size
        following = int.from_bytes(data[at : at + 4], "big")
        leaves = int.from_bytes(data[at + 4 : at + 8], "big")
        for i in range(min(leaves, page_size // 4 - 2)):
            leaf = int.from_bytes(data[at + 8 + 4 * i : at + 12 + 4 * i], "big")
            if 1 < leaf <= count:
                free.add(leaf)
        trunk = following
    return frozenset(free)


# -- a schema that reads the tables as they are stored -------------------------------------------
def _plain_schema(image: sqlite3.Connection) -> list[Table] | None:
    """Replace the schema by plain tables at the stored root pages: the tables found, or
    None when the schema cannot be read or rewritten."""
    try:
        image.execute("PRAGMA writable_schema = ON")
        entries = image.execute("SELECT type, name, rootpage FROM sqlite_master").fetchall()
    except (sqlite3.Error, UnicodeDecodeError):
        return None
    roots: dict[str, int] = {}
    for table in TABLES:
        root = _root_of(table.name, entries)
        if root is not None and root not in roots.values():
            roots[table.name] = root
    plain = {table.name: _plain_sql(table.name, table) for table in TABLES}
    leaf = ", ".join(f"c{i}" for i in range(_WIDEST))
    try:
        image.execute("DELETE FROM sqlite_master")
        for name, root in [*roots.items(), (_LEAF, 1)]:
            sql = plain.get(name, f"CREATE TABLE {_LEAF} ({leaf})")
            image.execute(
                "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) "
                "VALUES ('table', ?, ?, ?, ?)",
                (name, name, root, sql),
            )
        _schema_changed(image)
    except (sqlite3.Error, UnicodeDecodeError, OverflowError):
        return None
    return [table for table in TABLES if table.name in roots]


def _schema_changed(image: sqlite3.Connection) -> None:
    (version,) = image.execute("PRAGMA schema_version").fetchone()
    image.execute(f"PRAGMA schema_version = {(int(version) + 1) % 2**31}")
    image.execute("SELECT count(*) FROM sqlite_master").fetchone()


def _root_of(name: str, entries: list[tuple[Any, ...]]) -> int | None:
    """The root page of table `name`: by its name, else by a name one or two bytes off."""
    wanted = name.encode()
    near: list[int] = []
    for kind, stored, root in entries:
        if not isinstance(root, int) or root < 2 or not isinstance(stored, bytes):
            continue
        if stored == wanted and kind == b"table":
            return root
        if (
            len(stored) == len(wanted)
            and sum(a != b for a, b in zip(stored, wanted, strict=True)) <= 2
        ):
            near.append(root)
    return near[0] if len(near) == 1 else None


def _plain_sql(name: str, table: Table) -> str:
    columns = list(table.names)
    if table.rowid_alias:
        columns[0] = f"{columns[0]} INTEGER PRIMARY KEY"
    return f"CREATE TABLE {name} ({', '.join(columns)})"


# -- reading a table, row by row where it must ------------------------------------------------------
def _read_table(
    image: sqlite3.Connection, table: Table
) -> tuple[list[tuple[int, Row]], int, int, list[tuple[int, int | None]]]:
    """(rowid and mended row, how many were mended, how many rows were unreadable, and the
    rowid ranges damaged pages hid: from, to or None for "to the end")."""
    rows: list[tuple[int, Row]] = []
    mended = lost = 0
    gaps: list[tuple[int, int | None]] = []
    start: int | None = _FIRST_ROWID
    while start is not None:
        rowids, broke = _rowids(image, table.name, start)
        if rowids:
            batch, batch_mended, batch_lost = _read_rows(image, table, rowids)
            rows.extend(batch)
            mended += batch_mended
            lost += batch_lost
        last = rowids[-1] if rowids else start - 1
        if not broke:
            start = last + 1 if len(rowids) == _BATCH and last < _LAST_ROWID else None
            continue
        start = _next_readable(image, table.name, last + 1)
        gaps.append((last + 1, None if start is None else start - 1))
    return rows, mended, lost, gaps


def _read_rows(
    image: sqlite3.Connection, table: Table, rowids: list[int]
) -> tuple[list[tuple[int, Row]], int, int]:
    """The rows `rowids` (one batch): good ones read as they are, in one query; the rest,
    or all of them when that query meets a bad byte, mended a row at a time."""
    names = ", ".join(table.names)
    good = good_row_sql(table)
    span = "WHERE rowid BETWEEN ? AND ?"
    bounds = (rowids[0], rowids[-1])
    try:
        image.text_factory = str  # sqlite3 decodes (in C); a bad byte raises
        plain = image.execute(
            f"SELECT rowid, {names} FROM {table.name} {span} AND ({good}) ORDER BY rowid", bounds
        ).fetchall()
        columns = table.names
        rows = [(int(r[0]), dict(zip(columns, r[1:], strict=True))) for r in plain]
        image.text_factory = bytes
        odd = image.execute(
            f"SELECT rowid FROM {table.name} {span} AND NOT ({good}) ORDER BY rowid", bounds
        ).fetchall()
        todo = [int(r[0]) for r in odd]
    except (sqlite3.Error, OverflowError, MemoryError):
        rows, todo = [], rowids
    finally:
        image.text_factory = bytes
    mended = lost = 0
    select = ", ".join(f"typeof({n}), {n}" for n in table.names)
    one_row = f"SELECT {select} FROM {table.name} WHERE rowid = ?"
    for rowid in todo:
        try:
            raw = image.execute(one_row, (rowid,)).fetchone()
        except (sqlite3.Error, OverflowError, MemoryError):
            lost += 1
            continue
        if raw is None:
            continue
        row, changed = mend_row(table, _typed(raw))
        if row is None:
            lost += 1
            continue
        rows.append((rowid, row))
        mended += changed
    rows.sort(key=lambda pair: pair[0])
    return rows, mended, lost


def _still_missing(gaps: list[tuple[int, int | None]], rescued: list[int]) -> int:
    """Rows hidden by damaged pages and not found on a leaf: a range of dense rowids counts
    its size; an open or sparse one counts one unless something was found in it."""
    missing = 0
    for low, high in gaps:
        inside = sum(1 for r in rescued if r >= low and (high is None or r <= high))
        if high is not None and high - low < 10_000:
            missing += max(0, high - low + 1 - inside)
        elif not inside:
            missing += 1
    return missing


def _typed(raw: tuple[Any, ...]) -> list[tuple[str, Any]]:
    """(SQLite type, value) pairs from a row of `typeof(c), c` columns."""
    return [(kind.decode(), value) for kind, value in zip(raw[::2], raw[1::2], strict=True)]


def _rowids(image: sqlite3.Connection, name: str, start: int) -> tuple[list[int], bool]:
    """Up to a batch of rowids from `start` on, and whether a damaged page stopped them."""
    found: list[int] = []
    try:
        cursor = image.execute(
            f"SELECT rowid FROM {name} WHERE rowid >= ? ORDER BY rowid LIMIT {_BATCH}", (start,)
        )
        for (rowid,) in cursor:
            found.append(int(rowid))
    except sqlite3.Error:
        return found, True
    return found, False


def _seeks(image: sqlite3.Connection, name: str, start: int) -> bool:
    """Whether looking up the first rowid at or after `start` gets past damaged pages."""
    try:
        image.execute(
            f"SELECT rowid FROM {name} WHERE rowid >= ? ORDER BY rowid LIMIT 1", (start,)
        ).fetchone()
        return True
    except sqlite3.Error:
        return False


def _next_readable(image: sqlite3.Connection, name: str, start: int) -> int | None:
    """The first rowid from which the table reads again: gallop, then bisect."""
    if start > _LAST_ROWID:
        return None
    if _seeks(image, name, start) and _rowids(image, name, start)[0]:
        return start
    low, step = start, 1
    while True:
        high = min(start + step, _LAST_ROWID)
        if _seeks(image, name, high):
            break
        if high == _LAST_ROWID:
            return None
        low, step = high, step * 2
    while high - low > 1:
        middle = (low + high) // 2
        if _seeks(image, name, middle):
            high = middle
        else:
            low = middle
    return high


# -- reading leaf pages on their own ----------------------------------------------------------------
def _leaf_rows(pages: _Pages, table: Table, seen: set[int]) -> list[tuple[int, Row]]:
    """Rows of `table` on leaf pages its broken tree no longer reaches (not in `seen`).

    A fresh image: SQLite may refuse to change the schema of one that met a damaged page.
    """
    width = len(table.columns)
    select = "SELECT rowid, " + ", ".join(f"typeof(c{i}), c{i}" for i in range(_WIDEST))
    found: list[tuple[int, Row]] = []
    image = _deserialized(pages.with_empty_schema())
    try:
        if _plain_schema(image) is None:
            return found
        for page in pages.leaves():
            try:
                image.execute("PRAGMA writable_schema = ON")
                image.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (page, _LEAF))
                _schema_changed(image)
                stored = image.execute(f"{select} FROM {_LEAF}").fetchall()
            except (sqlite3.Error, OverflowError, MemoryError):
                continue
            for raw in stored:
                rowid, typed = int(raw[0]), _typed(raw[1:])
                if rowid in seen or any(kind != "null" for kind, _ in typed[width:]):
                    continue
                values = typed[:width]
                if table.rowid_alias:
                    if values[0][0] != "null":
                        continue
                    values[0] = ("integer", rowid)
                row, changed = mend_row(table, values)
                if row is not None and not changed:  # exactly this table's shape
                    seen.add(rowid)
                    found.append((rowid, row))
    finally:
        image.close()
    return found
