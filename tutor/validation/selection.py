"""Which lessons the validator checks: the folders named on the command line, or all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tutor.paths import lessons_dir
from tutor.validation.report import Failure


def lessons_root() -> Path:
    """The curriculum's folder (`TUTOR_LESSONS` when set, see `tutor.paths.lessons_dir`)."""
    return lessons_dir()


@dataclass(frozen=True)
class Selection:
    """Lessons of one lessons root: some folders, or every lesson when `folders` is None."""

    root: Path
    folders: frozenset[Path] | None = None

    def holds(self, path: str | Path) -> bool:
        """True when `path` (a lesson folder or a file in it) is selected."""
        if self.folders is None:
            return True
        resolved = Path(path).resolve()
        return any(resolved == f or f in resolved.parents for f in self.folders)


def is_lesson_folder(path: Path) -> bool:
    return (path / "lesson.toml").is_file()


def select(paths: Sequence[str]) -> tuple[list[Selection], list[Failure]]:
    """Group the command line's paths by lessons root; a path that is no lesson is a failure."""
    if not paths:
        return [Selection(lessons_root().resolve())], []
    roots: dict[Path, set[Path] | None] = {}
    failures: list[Failure] = []
    for raw in paths:
        path = Path(raw).expanduser().resolve()
        if path.is_file():
            path = path.parent
        if is_lesson_folder(path):
            folders = roots.setdefault(path.parent, set())
            if folders is not None:
                folders.add(path)
        elif path.is_dir() and any(is_lesson_folder(p) for p in path.iterdir()):
            roots[path] = None
        else:
            failures.append(
                Failure(raw, 0, "not a lesson folder (no lesson.toml) nor a folder of lessons")
            )
    selections = [
        Selection(root, None if folders is None else frozenset(folders))
        for root, folders in sorted(roots.items())
    ]
    return selections, failures
