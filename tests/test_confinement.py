"""The worker's confinement layers, measured: each probe confines itself, then tries.

tests/confinement_probe.py applies the named layers and attempts what a learner's code
must not do (read /etc/passwd or a data directory, write outside the scratch, open TCP to
a listener this test holds on loopback, create sockets, fork, exec, signal or trace other
processes, raise its rlimits...), reporting each result. A control run without layers
shows that every attempt can succeed here, so a denial below is the layer's doing.
No TensorFlow, except in the one test marked slow.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tutor.kernel.environment import worker_environment
from tutor.kernel.worker import seccomp
from tutor.kernel.worker.landlock import abi_version

PROJECT = Path(__file__).resolve().parents[1]
PROBE = Path(__file__).with_name("confinement_probe.py")
TUTOR_INIT = PROJECT / "tutor" / "__init__.py"
IS_ROOT = os.geteuid() == 0
LANDLOCK_ABI = abi_version()

#: How a denial shows up: Landlock says EACCES, seccomp and scoping EPERM, CPython turns an
#: EPERM from setrlimit into ValueError; os.system reports the shell could not start (127).
DENIED = {"EACCES", "EPERM", "ValueError", "failed 32512"}
needs_landlock = pytest.mark.skipif(LANDLOCK_ABI < 1, reason="the kernel has no Landlock")
needs_seccomp = pytest.mark.skipif(
    seccomp.current_arch() is None, reason="no seccomp filter for this architecture"
)


@dataclass
class Probe:
    """One probe run: the attempts' results and the layers' reports."""

    results: dict[str, Any]
    returncode: int
    stderr: str

    def __getitem__(self, name: str) -> Any:
        assert name in self.results, f"{name} missing; stderr:\n{self.stderr[-2000:]}"
        return self.results[name]


@dataclass
class Sandbox:
    """What a probe is pointed at: scratch, a data dir, listeners and a victim process."""

    scratch: Path
    data_file: Path
    outside_file: Path
    locked_file: Path
    port: int
    abstract: str
    victim: subprocess.Popen[bytes]

    def run(
        self,
        layers: list[str],
        *,
        tensorflow: bool = False,
        memory_bytes: int = 0,
        prefix: tuple[str, ...] = (),
    ) -> Probe:
        config = {
            "layers": layers,
            "scratch": str(self.scratch),
            "parent": os.getpid(),
            "victim": self.victim.pid,
            "tutor_file": str(TUTOR_INIT),
            "project_file": str(PROJECT / "pyproject.toml"),
            "data_file": str(self.data_file),
            "outside_file": str(self.outside_file),
            "locked_file": str(self.locked_file),
            "port": self.port,
            "abstract": self.abstract,
            "memory_bytes": memory_bytes,
            "tensorflow": tensorflow,
        }
        env = worker_environment(
            os.environ, self.scratch, device="cpu", extra={"PYTHONPATH": str(PROJECT)}
        )
        done = subprocess.run(
            [*prefix, sys.executable, str(PROBE), json.dumps(config)],
            cwd=self.scratch,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=240,
        )
        results: dict[str, Any] = {}
        for line in done.stdout.splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            results[entry["name"]] = entry["result"]
        return Probe(results, done.returncode, done.stderr)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    scratch = tmp_path / "scratch"
    data = tmp_path / "data"
    scratch.mkdir()
    data.mkdir()
    (data / "progress.txt").write_text("the learner's own data\n")
    locked = tmp_path / "locked.txt"
    locked.write_text("mode 000\n")
    locked.chmod(0)
    listener = socket.create_server(("127.0.0.1", 0))
    abstract_name = f"tutor-test-{uuid.uuid4().hex}"
    abstract = socket.socket(socket.AF_UNIX)
    abstract.bind("\0" + abstract_name)
    abstract.listen()
    victim = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        yield Sandbox(
            scratch=scratch,
            data_file=data / "progress.txt",
            outside_file=data / "written-by-kernel.txt",
            locked_file=locked,
            port=listener.getsockname()[1],
            abstract=abstract_name,
            victim=victim,
        )
    finally:
        victim.kill()
        victim.wait()
        listener.close()
        abstract.close()


def assert_denied(probe: Probe, *names: str) -> None:
    for name in names:
        assert probe[name] in DENIED, f"{name}: {probe[name]!r} (expected a denial)"


def assert_allowed(probe: Probe, *names: str) -> None:
    for name in names:
        assert probe[name] == "ok", f"{name}: {probe[name]!r} (expected it to work)"


# --- the control ---------------------------------------------------------------------------


def test_without_layers_every_attempt_can_succeed(sandbox: Sandbox) -> None:
    probe = sandbox.run([])
    assert_allowed(
        probe,
        "read_etc_passwd",
        "read_data_dir",
        "read_project_file",
        "read_proc_parent_environ",
        "write_outside_scratch",
        "socket_udp",
        "tcp_connect_loopback",
        "tcp_bind",
        "abstract_socket_connect",
        "fork",
        "subprocess",
        "os_system",
        "signal_parent",
        "setsid",
        "execve",
        "prlimit_parent",
        "prlimit_victim",
        "setpriority_victim",
        "sigio_owner_parent",
        "memfd_create",
        "chmod_outside_scratch",
        "utime_outside_scratch",
        "chown_outside_scratch",
        "setxattr_outside_scratch",
        "fchmod_readable_file",
        "read_proc_victim_cmdline",
        "keep_living_after_parent",
    )
    if IS_ROOT:
        assert_allowed(probe, "read_mode_000_file", "ptrace_victim", "signal_victim")


# --- the fork server's layers --------------------------------------------------------------


@needs_landlock
def test_fork_server_layers(sandbox: Sandbox) -> None:
    probe = sandbox.run(["server"], memory_bytes=2 << 30)
    report = probe["server_report"]
    assert report["rlimits"] is True
    assert report["memory_limit"] == 2 << 30
    assert report["landlock"] == f"abi {LANDLOCK_ABI}"
    assert report["environment"] == "allow-listed"
    assert report["parent_death_signal"] is True
    assert report["dumpable"] is False
    assert report["capabilities"] == ("dropped" if IS_ROOT else "none held")
    assert probe["capabilities_effective"] == 0

    assert_allowed(
        probe,
        "read_stdlib",
        "read_tutor_package",
        "read_proc_self_status",
        "write_scratch",
        "write_dev_null",
        "thread",
        "signal_self",
    )
    assert (sandbox.scratch / "written.txt").read_text() == "x"
    assert_denied(
        probe,
        "read_etc_passwd",
        "read_data_dir",
        "read_project_file",
        "read_mode_000_file",
        "read_proc_parent_environ",
        "write_outside_scratch",
        "raise_rlimit_data",
        "raise_rlimit_fsize",
        "subprocess",
        "os_system",
        "execve",
    )
    assert not sandbox.outside_file.exists()
    if LANDLOCK_ABI >= 4:
        assert report["network"] == "denied"
        assert_denied(probe, "tcp_connect_loopback", "tcp_bind")
    if LANDLOCK_ABI >= 6:
        assert_denied(probe, "signal_parent", "signal_victim", "abstract_socket_connect")
        assert sandbox.victim.poll() is None
    # What the fork server keeps (it must fork; seccomp is the kernels' layer).
    assert_allowed(probe, "fork", "socket_udp")


@pytest.mark.skipif(not IS_ROOT, reason="capabilities matter for root only")
def test_dropped_capabilities_make_root_an_ordinary_owner(sandbox: Sandbox) -> None:
    probe = sandbox.run(["capabilities"])
    assert probe["capabilities_dropped"] is True
    assert probe["capabilities_effective"] == 0
    assert_denied(probe, "read_mode_000_file")
    # Caps alone: other files and other root processes stay reachable (Landlock, seccomp).
    assert_allowed(probe, "read_etc_passwd")


# --- the kernel's layer --------------------------------------------------------------------


@needs_seccomp
def test_seccomp_alone_blocks_processes_sockets_and_signals(sandbox: Sandbox) -> None:
    probe = sandbox.run(["seccomp"])
    assert probe["seccomp_report"]["seccomp"] is True
    assert_denied(
        probe,
        "fork",
        "subprocess",
        "os_system",
        "execve",
        "socket_udp",
        "tcp_connect_loopback",
        "tcp_bind",
        "abstract_socket_connect",
        "io_uring_setup",
        "signal_parent",
        "signal_victim",
        "signal_process_group",
        "ptrace_victim",
        "process_vm_readv_victim",
        "setsid",
        "setpgid",
        "unshare_user_namespace",
        # What the deny-list did not name (the allow-list refuses it by default).
        "prlimit_parent",
        "prlimit_victim",
        "setpriority_victim",
        "sigio_owner_parent",
        "memfd_create",
        "chmod_outside_scratch",
        "utime_outside_scratch",
        "chown_outside_scratch",
        "setxattr_outside_scratch",
        "fchmod_readable_file",
        "keep_living_after_parent",
    )
    assert_allowed(probe, "thread", "signal_self", "write_scratch", "prlimit_self", "socketpair")
    assert sandbox.victim.poll() is None
    # Files are Landlock's job, not seccomp's.
    assert_allowed(probe, "read_etc_passwd")


@needs_landlock
@needs_seccomp
def test_kernel_with_every_layer(sandbox: Sandbox) -> None:
    probe = sandbox.run(["kernel"], memory_bytes=2 << 30)
    assert probe.returncode == 0, probe.stderr[-2000:]
    assert probe["kernel_report"]["seccomp"] is True
    assert probe["kernel_report"]["parent_death_signal"] is True
    assert_allowed(
        probe,
        "read_stdlib",
        "read_tutor_package",
        "write_scratch",
        "write_dev_null",
        "thread",
        "signal_self",
    )
    assert (sandbox.scratch / "k1" / "written.txt").read_text() == "x"
    assert_denied(
        probe,
        "read_etc_passwd",
        "read_data_dir",
        "read_project_file",
        "read_mode_000_file",
        "read_proc_parent_environ",
        "write_outside_scratch",
        "raise_rlimit_data",
        "raise_rlimit_fsize",
        "fork",
        "subprocess",
        "os_system",
        "execve",
        "socket_udp",
        "tcp_connect_loopback",
        "tcp_bind",
        "abstract_socket_connect",
        "io_uring_setup",
        "signal_parent",
        "signal_victim",
        "signal_process_group",
        "ptrace_victim",
        "process_vm_readv_victim",
        "setsid",
        "setpgid",
        "unshare_user_namespace",
        "prlimit_parent",
        "prlimit_victim",
        "setpriority_victim",
        "sigio_owner_parent",
        "memfd_create",
        "chmod_outside_scratch",
        "utime_outside_scratch",
        "chown_outside_scratch",
        "setxattr_outside_scratch",
        "fchmod_readable_file",
        "read_proc_victim_cmdline",
        "read_proc_parent_mem",
        "keep_living_after_parent",
        "signal_server",
        "prlimit_server",
        "sigio_owner_server",
        "read_proc_server_mem",
        "read_proc_server_cmdline",
        "read_proc_server_fd",
    )
    assert_allowed(probe, "prlimit_self", "read_proc_cpuinfo")
    assert probe["kernel_files_report"]["proc"] == "own entries only"
    assert sandbox.victim.poll() is None
    assert not sandbox.outside_file.exists()
    assert not (sandbox.scratch / "system-marker").exists()


@needs_landlock
def test_a_kernels_own_domain_cuts_it_off_from_its_fork_server(sandbox: Sandbox) -> None:
    """Landlock alone (no seccomp): the kernel's nested domain cannot read the fork
    server's /proc entries (its argv, descriptors, memory) nor other processes' command
    lines, and, where Landlock scopes signals, cannot signal it."""
    probe = sandbox.run(["kernel-files"], memory_bytes=2 << 30)
    assert probe.returncode == 0, probe.stderr[-2000:]
    assert probe["kernel_files_report"]["kernel_domain"] == "own"
    assert_denied(
        probe,
        "read_proc_server_mem",
        "read_proc_server_cmdline",
        "read_proc_server_fd",
        "read_proc_victim_cmdline",
        "read_proc_parent_environ",
        "write_outside_scratch",
    )
    assert_allowed(probe, "read_proc_self_status", "read_proc_cpuinfo", "write_scratch")
    assert (sandbox.scratch / "k1" / "written.txt").exists()
    if LANDLOCK_ABI >= 6:
        assert_denied(probe, "signal_server", "signal_parent", "signal_victim")


def _nobody_can_run_python() -> str | None:
    """Why the uid-65534 variant cannot run here, or None when it can."""
    if not IS_ROOT:
        return "needs root to switch users"
    try:
        done = subprocess.run(
            [
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                sys.executable,
                "-c",
                "import tutor",
            ],
            env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"setpriv unavailable: {exc}"
    if done.returncode != 0:
        return (
            f"uid 65534 cannot run {sys.executable} or import tutor "
            f"(e.g. /root is mode 700): {done.stderr.strip()[-200:]}"
        )
    return None


def _reachable_by_everyone() -> str:
    """A temporary directory uid 65534 can traverse (some machines keep /tmp at 0700)."""
    for candidate in (tempfile.gettempdir(), "/var/tmp", "/dev/shm"):
        if os.stat(candidate).st_mode & 0o001:
            return candidate
    pytest.skip("no temporary directory that uid 65534 can reach")


@needs_landlock
@needs_seccomp
def test_kernel_as_unprivileged_user(sandbox: Sandbox) -> None:
    reason = _nobody_can_run_python()
    if reason:
        pytest.skip(reason)
    # pytest's tmp_path is private to root: give uid 65534 a reachable tree, where only
    # Landlock stands between it and the data file.
    base = Path(tempfile.mkdtemp(prefix="tutor-nobody-", dir=_reachable_by_everyone()))
    try:
        base.chmod(0o755)
        scratch = base / "scratch"
        data = base / "data"
        scratch.mkdir()
        data.mkdir(mode=0o777)
        data.chmod(0o777)
        os.chown(scratch, 65534, 65534)
        data_file = data / "progress.txt"
        data_file.write_text("the learner's own data\n")
        data_file.chmod(0o644)
        nobody = dataclasses.replace(
            sandbox, scratch=scratch, data_file=data_file, outside_file=data / "out.txt"
        )
        probe = nobody.run(
            ["kernel"], prefix=("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
        )
        assert probe["kernel_report"]["seccomp"] is True
        assert probe["server_report"]["capabilities"] == "none held"
        assert_allowed(probe, "write_scratch", "thread", "read_stdlib")
        assert_denied(
            probe,
            "read_data_dir",
            "write_outside_scratch",
            "fork",
            "socket_udp",
            "tcp_connect_loopback",
            "signal_victim",
            "execve",
        )
        assert not nobody.outside_file.exists()
    finally:
        shutil.rmtree(base, ignore_errors=True)


# --- parent death ----------------------------------------------------------------------------


def test_parent_death_kills_an_orphan_at_once() -> None:
    code = (
        "from tutor.kernel.worker.confine import set_parent_death_signal\n"
        "set_parent_death_signal(expected_parent=1 if __import__('os').getppid() != 1 else 2)\n"
        "print('still alive')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == -signal.SIGKILL
    assert "still alive" not in done.stdout


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def test_parent_death_signal_kills_the_child_with_its_parent() -> None:
    middle_code = (
        "import os, sys\n"
        "from tutor.kernel.worker.confine import set_parent_death_signal\n"
        "me = os.getpid()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    set_parent_death_signal(expected_parent=me)\n"
        "    os.read(0, 1)\n"
        "    os._exit(0)\n"
        "print(child, flush=True)\n"
        "sys.stdin.read()\n"
    )
    middle = subprocess.Popen(
        [sys.executable, "-c", middle_code],
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert middle.stdout is not None
    child = int(middle.stdout.readline())
    try:
        assert not _gone(child)
        middle.kill()
        middle.wait()
        deadline = time.monotonic() + 30
        while not _gone(child) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _gone(child)
    finally:
        if not _gone(child):
            os.kill(child, signal.SIGKILL)


# --- the environment -------------------------------------------------------------------------


PARENT_ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "zh_CN.UTF-8",
    "LC_ALL": "zh_CN.UTF-8",
    "TERM": "xterm-256color",
    "SSH_AUTH_SOCK": "/tmp/ssh-agent.sock",
    "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/0/bus",
    "GITHUB_TOKEN": "ghp_secret",
    "AWS_ACCESS_KEY_ID": "AKIA",
    "AWS_SECRET_ACCESS_KEY": "secret",
    "OPENAI_API_KEY": "sk-secret",
    "HOME": "/root",
    "TUTOR_HOME": "/root/.local/share/tutor",
    "CUDA_VISIBLE_DEVICES": "1",
    "PYTHONPATH": "/somewhere/else",
}


def test_environment_is_an_allow_list(tmp_path: Path) -> None:
    env = worker_environment(PARENT_ENV, tmp_path, device="auto", extra={"PYTHONPATH": "/proj"})
    for secret in (
        "SSH_AUTH_SOCK",
        "DBUS_SESSION_BUS_ADDRESS",
        "GITHUB_TOKEN",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "OPENAI_API_KEY",
        "TUTOR_HOME",
        "TERM",
    ):
        assert secret not in env
    assert env["HOME"] == env["TMPDIR"] == str(tmp_path)
    assert env["PATH"] == "/usr/bin:/bin"
    assert env["LANG"] == env["LC_ALL"] == "zh_CN.UTF-8"
    assert env["PYTHONPATH"] == "/proj"
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["TF_CPP_MIN_LOG_LEVEL"] in ("2", "3")
    assert env["CUDA_VISIBLE_DEVICES"] == "1"
    assert int(env["TF_NUM_INTRAOP_THREADS"]) >= 1
    assert "ghp_secret" not in json.dumps(env)


def test_environment_for_cpu_hides_gpus(tmp_path: Path) -> None:
    env = worker_environment(PARENT_ENV, tmp_path, device="cpu")
    assert env["CUDA_VISIBLE_DEVICES"] == "-1"
    assert "PYTHONPATH" not in env


def test_environment_refuses_a_secret_through_extra(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="SSH_AUTH_SOCK"):
        worker_environment({}, tmp_path, device="cpu", extra={"SSH_AUTH_SOCK": "/x"})


# --- TensorFlow under every layer -----------------------------------------------------------


@pytest.mark.slow
@needs_landlock
@needs_seccomp
def test_tensorflow_runs_in_a_confined_kernel(sandbox: Sandbox) -> None:
    """The allow-lists suffice: import under Landlock+rlimits, fork, seccomp, run ops (~10 s)."""
    probe = sandbox.run(["kernel"], tensorflow=True, memory_bytes=4 << 30)
    assert probe.returncode == 0, probe.stderr[-3000:]
    assert probe["server_report"]["landlock"] == f"abi {LANDLOCK_ABI}"
    assert probe["kernel_report"]["seccomp"] is True
    assert probe["tensorflow_op"] == 3.0
    assert probe["tensorflow_matmul"] == 64.0 * 64 * 64
