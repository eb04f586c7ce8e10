"""The learner's record: a SQLite store (`ProgressStore`) and its export format.

- `store`: the store and its events (one transaction each);
- `opening`: opening any file safely (damaged, foreign, newer, unwritable);
- `schema`: the tables and the forward migrations;
- `transfer`: export and import (the JSON format and the merge rule);
- `records`: the records the store hands out;
- `rows`: what a good row of each table is (checked, or mended);
- `salvage`, `repair`: every readable row of a damaged file, into a fresh file;
- `pending`: changes not saved yet, kept and retried;
- `causes`, `events`, `words`, `noticeboard`: why a write failed, what the learner is
  told (English and Chinese), and what is kept for the next session to tell.
"""

from __future__ import annotations

from tutor.progress.records import (
    AnswerRecord,
    CellRecord,
    ExerciseRecord,
    ExerciseStatus,
    ImportReport,
)
from tutor.progress.store import HISTORY_CAP, ProgressStore
from tutor.progress.transfer import InvalidProgressFile

__all__ = [
    "HISTORY_CAP",
    "AnswerRecord",
    "CellRecord",
    "ExerciseRecord",
    "ExerciseStatus",
    "ImportReport",
    "InvalidProgressFile",
    "ProgressStore",
]
