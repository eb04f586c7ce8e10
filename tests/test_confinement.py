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
import struct
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
        "socketpair",
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
    )
    assert_allowed(probe, "thread", "signal_self", "write_scratch")
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
        "socketpair",
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
    )
    assert sandbox.victim.poll() is None
    assert not sandbox.outside_file.exists()
    assert not (sandbox.scratch / "system-marker").exists()


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


@needs_landlock
@needs_seccomp
def test_kernel_as_unprivileged_user(sandbox: Sandbox) -> None:
    reason = _nobody_can_run_python()
    if reason:
        pytest.skip(reason)
    # pytest's tmp_path is private to root: give uid 65534 a reachable tree, where only
    # Landlock stands between it and the data file.
    base = Path(tempfile.mkdtemp(prefix="tutor-nobody-"))
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


# --- the seccomp program itself ----------------------------------------------------------


def run_filter(program: list[tuple[int, int, int, int]], data: bytes) -> int:
    """A classic BPF interpreter for the instructions the filter uses."""
    accumulator = 0
    pc = 0
    while True:
        code, jt, jf, k = program[pc]
        if code == 0x20:
            accumulator = struct.unpack_from("<I", data, k)[0]
            pc += 1
        elif code in (0x15, 0x35, 0x45):
            taken = {
                0x15: accumulator == k,
                0x35: accumulator >= k,
                0x45: bool(accumulator & k),
            }[code]
            pc += 1 + (jt if taken else jf)
        elif code == 0x06:
            return k
        else:
            raise AssertionError(f"unexpected instruction {code:#x}")


def seccomp_data(
    arch: seccomp.Arch, nr: int, arg0: int = 0, audit_arch: int | None = None
) -> bytes:
    audit = arch.audit_arch if audit_arch is None else audit_arch
    return struct.pack("<iIQ6Q", nr, audit, 0, arg0, 0, 0, 0, 0, 0)


ALLOW, EPERM, ENOSYS, KILL = 0x7FFF0000, 0x00050001, 0x00050026, 0x80000000


@pytest.mark.parametrize("arch", [seccomp.X86_64, seccomp.AARCH64], ids=lambda a: a.name)
def test_filter_decisions(arch: seccomp.Arch) -> None:
    own = 4242
    program = seccomp.build_filter(arch, own)

    def decide(nr: int, arg0: int = 0, audit_arch: int | None = None) -> int:
        return run_filter(program, seccomp_data(arch, nr, arg0, audit_arch))

    for name, number in arch.denied.items():
        assert decide(number) == EPERM, name
    assert decide(arch.clone, seccomp.CLONE_THREAD | 0x00000F00) == ALLOW
    assert decide(arch.clone, 0x11) == EPERM  # SIGCHLD: what fork() passes
    assert decide(arch.clone3) == ENOSYS
    for name, number in arch.own_pid_only.items():
        assert decide(number, own) == ALLOW, name
        assert decide(number, 1) == EPERM, name
        assert decide(number, 0) == EPERM, name
        assert decide(number, (-own) & 0xFFFFFFFFFFFFFFFF) == EPERM, name
    assert decide(arch.personality, 0xFFFFFFFF) == ALLOW
    assert decide(arch.personality, 0x0040000) == EPERM
    for harmless in (0, 1, 3, 63, 202):  # read/write/close-like numbers, futex...
        if harmless not in arch.denied.values() and harmless not in arch.own_pid_only.values():
            assert decide(harmless) == ALLOW
    assert decide(0, audit_arch=0x40000003) == KILL  # i386 via int 0x80
    if arch is seccomp.X86_64:
        assert decide(0x40000000 + 59) == KILL  # x32


def _header_numbers(path: Path) -> dict[str, int]:
    numbers: dict[str, int] = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "#define" and parts[1].startswith("__NR_"):
            try:
                numbers[parts[1].removeprefix("__NR_")] = int(parts[2])
            except ValueError:
                continue
    return numbers


@pytest.mark.parametrize(
    ("arch", "header"),
    [
        (seccomp.X86_64, "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"),
        (seccomp.AARCH64, "/usr/include/asm-generic/unistd.h"),
    ],
    ids=["x86_64", "aarch64"],
)
def test_syscall_numbers_match_the_kernel_headers(arch: seccomp.Arch, header: str) -> None:
    path = Path(header)
    if not path.exists():
        pytest.skip(f"{header} not installed")
    numbers = _header_numbers(path)
    named = {
        **arch.denied,
        **arch.own_pid_only,
        "clone": arch.clone,
        "clone3": arch.clone3,
        "personality": arch.personality,
        "seccomp": arch.seccomp,
    }
    for name, number in named.items():
        assert numbers.get(name) == number, name


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
