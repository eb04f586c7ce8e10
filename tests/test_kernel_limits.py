"""The watch's measures and the scratch area's life, without a kernel.

The attacks themselves run against the real kernel in test_kernel_hostile.py; these are
the pure parts: what counts against which limit, how a scratch is walked (even one a
kernel made hard to read), when an area is stale, and how a reply is made to fit.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor.kernel.protocol import MAX_MESSAGE_BYTES, Said
from tutor.kernel.scratch import PREFIX, ScratchArea, remove_stale, remove_tree
from tutor.kernel.watch import Limits, Usage, measure, over, parent_pid, scratch_usage
from tutor.kernel.worker.reply_size import fitted
from tutor.words import known, tell

MIB = 2**20


def usage(**fields: int) -> Usage:
    base = {"rss": 100 * MIB, "shmem": 0, "threads": 8, "cpu_seconds": 1}
    base.update(fields)
    return Usage(**base)  # type: ignore[arg-type]


def test_limits_in_order_of_what_to_tell() -> None:
    limits = Limits.for_memory(1024 * MIB)
    assert limits.scratch_bytes == 256 * MIB  # a quarter of the ceiling, at most 512 MiB
    assert over(usage(), limits, idle_cpu=0.0) is None
    assert over(usage(rss=2000 * MIB), limits, idle_cpu=None) == "memory"
    # Scratch bytes count against memory too; the scratch quota is the clearer message.
    assert over(usage(scratch_bytes=300 * MIB), limits, idle_cpu=None) == "scratch-bytes"
    assert over(usage(rss=900 * MIB, scratch_bytes=200 * MIB), limits, idle_cpu=None) == "memory"
    assert over(usage(scratch_files=10_001), limits, idle_cpu=None) == "scratch-files"
    assert over(usage(threads=257), limits, idle_cpu=None) == "threads"
    assert over(usage(), limits, idle_cpu=31.0) == "idle-cpu"
    assert over(usage(), limits, idle_cpu=None) is None  # busy: the cell's time limit rules


def test_measure_reads_this_process() -> None:
    mine = measure(os.getpid())
    assert mine is not None and mine.rss > 0 and mine.threads >= 1 and mine.cpu_seconds > 0
    assert parent_pid(os.getpid()) == os.getppid()
    assert measure(2**22 + 12345) is None and parent_pid(2**22 + 12345) is None


def test_scratch_usage_counts_and_stops_at_the_quota(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x" * MIB)
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "b").write_bytes(b"y" * MIB)
    (hidden / "link").symlink_to("/etc/passwd")
    hidden.chmod(0o300)  # writable, not listable: the kernel's trick to hide files
    used, files = scratch_usage(tmp_path, max_files=100)
    assert used >= 2 * MIB and files == 4
    many = tmp_path / "many"
    many.mkdir()
    for i in range(300):
        (many / str(i)).touch()
    _used, counted = scratch_usage(tmp_path, max_files=50)
    assert 50 < counted <= 52  # stopped past the quota, not walked to the end


def test_remove_tree_whatever_the_modes(tmp_path: Path) -> None:
    root = tmp_path / "scratch"
    locked = root / "a" / "b"
    locked.mkdir(parents=True)
    (locked / "f").write_text("x")
    locked.chmod(0)
    (root / "a").chmod(0o500)
    remove_tree(root)
    assert not root.exists()
    remove_tree(root)  # already gone: nothing to do


def test_an_area_is_stale_only_when_its_owner_is_gone(tmp_path: Path) -> None:
    mine = ScratchArea(tmp_path)
    fork_dir = mine.new_fork_dir()
    assert fork_dir.parent == mine.forks and fork_dir.stat().st_mode & 0o777 == 0o700
    assert mine.new_fork_dir() != fork_dir
    # another tutor, killed with SIGKILL after making its area
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from tutor.kernel.scratch import ScratchArea\n"
        f"area = ScratchArea(Path({str(tmp_path)!r}))\n"
        "(area.new_fork_dir() / 'left.txt').write_text('x')\n"
        "print(area.root, flush=True)\n"
        "sys.stdin.read()\n"
    )
    other = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert other.stdout is not None
    other_root = Path(other.stdout.readline().strip())
    assert remove_stale(tmp_path) == []  # both alive: both locked
    other.kill()
    other.wait()
    assert remove_stale(tmp_path) == [other_root]
    assert not other_root.exists() and mine.root.exists()
    # An area without a lock file may be one being made, or an older tutor's still in
    # use: never removed, however old.
    unlocked = tmp_path / f"{PREFIX}unlocked"
    unlocked.mkdir()
    os.utime(unlocked, (time.time() - 86400, time.time() - 86400))
    assert remove_stale(tmp_path) == []
    assert unlocked.exists()
    mine.close()
    assert not mine.root.exists()


def test_a_reply_always_fits_the_channel() -> None:
    small = {"id": 3, "result": {"outcome": "ok", "value": "2", "variables": []}}
    assert json.loads(fitted(small)) == small
    huge_name = {"name": "x" * 9_000_000, "kind": "int", "preview": "1"}
    reply = {
        "id": 4,
        "result": {"outcome": "ok", "value": "1", "stderr": "", "variables": [huge_name]},
    }
    data = fitted(reply)
    assert len(data) < MAX_MESSAGE_BYTES
    decoded = json.loads(data)
    assert decoded["id"] == 4 and decoded["result"]["outcome"] == "ok"
    many = [{"name": f"v{i}", "preview": "é" * 4000} for i in range(2000)]
    reply = {"id": 5, "result": {"outcome": "ok", "stderr": "", "variables": many}}
    decoded = json.loads(fitted(reply, limit=1_000_000))
    assert decoded["result"]["variables"] == []
    notes = [Said.from_wire(n) for n in decoded["result"]["notes"]]
    assert "inspector cannot show" in tell("en", notes[0])
    wall = {"id": 6, "result": {"outcome": "ok", "stdout": ["é" * 4000] * 1000}}
    decoded = json.loads(fitted(wall, limit=100_000))
    assert decoded["result"]["error"]["type"] == "OverflowError"
    assert decoded["result"]["outcome"] == "error"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_limit_has_words_in_both_languages(lang: str) -> None:
    from tutor.kernel import limit_words
    from tutor.kernel.watch import Breach

    for kind in ("memory", "threads", "scratch-bytes", "scratch-files", "idle-cpu"):
        breach = Breach(kind=kind, idle=True, usage=usage())  # type: ignore[arg-type]
        result = limit_words.idle_result(breach, 2 * 2**30)
        assert result.outcome == "killed" and result.error is not None
        said = tell(lang, result.error.message)
        assert said and "{" not in said and said != result.error.message
        type_, message, hint = limit_words.busy_words(breach, 2 * 2**30)
        assert type_.endswith("Error")
        for words in (message, hint, limit_words.restart_detail(breach, 2 * 2**30)):
            assert known(words.id) and "{" not in tell(lang, words), words
        assert (lang == "zh") == bool(re.search("[\u4e00-\u9fff]", tell(lang, message)))
