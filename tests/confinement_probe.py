"""A process that confines itself, then tries what a learner's code must not do.

Run by tests/test_confinement.py as `python confinement_probe.py CONFIG_JSON`. It applies
the layers named in the config, then prints one JSON line per attempt as soon as it is
made ({"name": ..., "result": "ok" | errno name | exception name}), so an attempt that
replaces or ends the process (execve) still leaves the earlier results behind.

Layers: "server" (confine_fork_server: rlimits, capabilities, parent-death signal, not
dumpable, Landlock), "capabilities", "landlock", "seccomp" (apply_seccomp on this
process), and "kernel" (as the fork server does: confine, fork, then in the child its own
Landlock domain over its own scratch directory `k1` and confine_kernel; the child makes
the attempts while the fork server, its parent, waits); "kernel-files" is the same
without seccomp (the kernel's own Landlock domain alone). "tensorflow" imports TensorFlow
between the server layers and the fork and runs one op in the confined kernel.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


def emit(name: str, result: object) -> None:
    sys.stdout.write(json.dumps({"name": name, "result": result}) + "\n")
    sys.stdout.flush()


def attempt(name: str, action: Callable[[], object]) -> None:
    try:
        value = action()
    except OSError as exc:
        emit(name, errno.errorcode.get(exc.errno or 0, type(exc).__name__))
    except Exception as exc:
        emit(name, type(exc).__name__)
    else:
        emit(name, "ok" if value is None else value)


def read(path: str) -> None:
    with open(path, "rb") as f:
        f.read(1)


def write(path: str) -> None:
    with open(path, "w") as f:
        f.write("x")


def libc_call(name: str, *args: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    function = getattr(libc, name)
    function.restype = ctypes.c_long
    if function(*(ctypes.c_long(a) for a in args)) < 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))


def fork_and_reap() -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def system_call(marker: Path) -> str:
    status = os.system(f"touch {marker}")
    return "ok" if status == 0 and marker.exists() else f"failed {status}"


def thread_runs() -> str:
    box: list[int] = []
    thread = threading.Thread(target=lambda: box.append(6 * 7))
    thread.start()
    thread.join()
    return "ok" if box == [42] else "no result"


def raise_to_self() -> str:
    seen: list[int] = []
    previous = signal.signal(signal.SIGUSR1, lambda signum, _frame: seen.append(signum))
    signal.raise_signal(signal.SIGUSR1)
    os.kill(os.getpid(), signal.SIGUSR1)
    signal.signal(signal.SIGUSR1, previous)
    return "ok" if len(seen) == 2 else f"seen {len(seen)}"


def process_vm_read(pid: int) -> None:
    buffer = ctypes.create_string_buffer(8)
    local = (ctypes.c_void_p * 2)(ctypes.cast(buffer, ctypes.c_void_p), ctypes.c_void_p(8))
    remote = (ctypes.c_void_p * 2)(ctypes.c_void_p(0x10000), ctypes.c_void_p(8))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.process_vm_readv.restype = ctypes.c_ssize_t
    result = libc.process_vm_readv(
        ctypes.c_int(pid), local, ctypes.c_ulong(1), remote, ctypes.c_ulong(1), ctypes.c_ulong(0)
    )
    if result < 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))


def io_uring_setup() -> None:
    params = ctypes.create_string_buffer(120)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    fd = libc.syscall(ctypes.c_long(425), ctypes.c_long(1), params)
    if fd < 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    os.close(fd)


def memfd() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.memfd_create.restype = ctypes.c_int
    fd = libc.memfd_create(b"probe", ctypes.c_uint(0))
    if fd < 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    os.close(fd)


def sigio_owner(pid: int) -> None:
    import fcntl

    read_end, write_end = os.pipe()
    try:
        fcntl.fcntl(read_end, fcntl.F_SETOWN, pid)
    finally:
        os.close(read_end)
        os.close(write_end)


def same_limit(pid: int) -> None:
    """prlimit64 on `pid`, setting what it already has (harmless if it works)."""
    current = resource.prlimit(pid, resource.RLIMIT_NOFILE)
    resource.prlimit(pid, resource.RLIMIT_NOFILE, current)


def same_mode(path: str) -> None:
    os.chmod(path, os.stat(path).st_mode & 0o7777)


def same_times(path: str) -> None:
    info = os.stat(path)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def same_owner(path: str) -> None:
    info = os.stat(path)
    os.chown(path, info.st_uid, info.st_gid)


def mode_through_fd(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fchmod(fd, os.fstat(fd).st_mode & 0o7777)
    finally:
        os.close(fd)


def keep_living_after_parent() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(ctypes.c_int(1), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)):
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))


def attempts(config: dict[str, Any]) -> None:
    """Every attempt, in an order where an earlier one cannot spoil a later one."""
    scratch = Path(config["scratch"])
    parent = int(config["parent"])
    victim = int(config["victim"])
    outside = config["data_file"]
    server = config.get("server")
    from tutor.kernel.worker.capabilities import capability_sets

    attempt("capabilities_effective", lambda: capability_sets()["CapEff"])
    attempt("read_stdlib", lambda: read(os.__file__))
    attempt("read_tutor_package", lambda: read(config["tutor_file"]))
    attempt("read_project_file", lambda: read(config["project_file"]))
    attempt("read_etc_passwd", lambda: read("/etc/passwd"))
    attempt("read_data_dir", lambda: read(config["data_file"]))
    attempt("read_mode_000_file", lambda: read(config["locked_file"]))
    attempt("read_proc_parent_environ", lambda: read(f"/proc/{parent}/environ"))
    attempt("read_proc_self_status", lambda: read("/proc/self/status"))
    attempt("write_scratch", lambda: write(str(scratch / "written.txt")))
    attempt("write_outside_scratch", lambda: write(config["outside_file"]))
    attempt("write_dev_null", lambda: write(os.devnull))
    attempt("thread", thread_runs)
    attempt("signal_self", raise_to_self)
    attempt("signal_parent", lambda: os.kill(parent, 0))
    attempt("signal_process_group", lambda: os.kill(0, 0))
    attempt("ptrace_victim", lambda: libc_call("ptrace", 0x4206, victim, 0, 0))
    attempt("process_vm_readv_victim", lambda: process_vm_read(victim))
    attempt("signal_victim", lambda: os.kill(victim, signal.SIGTERM))
    attempt("prlimit_parent", lambda: same_limit(parent))
    attempt("prlimit_victim", lambda: same_limit(victim))
    attempt("prlimit_self", lambda: same_limit(os.getpid()))
    attempt("setpriority_victim", lambda: os.setpriority(os.PRIO_PROCESS, victim, 0))
    attempt("sigio_owner_parent", lambda: sigio_owner(parent))
    attempt("memfd_create", memfd)
    attempt("chmod_outside_scratch", lambda: same_mode(outside))
    attempt("utime_outside_scratch", lambda: same_times(outside))
    attempt("chown_outside_scratch", lambda: same_owner(outside))
    attempt("setxattr_outside_scratch", lambda: os.setxattr(outside, "user.tutor", b"x"))
    attempt("fchmod_readable_file", lambda: mode_through_fd(config["tutor_file"]))
    attempt("read_proc_victim_cmdline", lambda: read(f"/proc/{victim}/cmdline"))
    attempt("read_proc_parent_mem", lambda: read(f"/proc/{parent}/mem"))
    attempt("read_proc_cpuinfo", lambda: read("/proc/cpuinfo"))
    attempt("keep_living_after_parent", keep_living_after_parent)
    if server is not None:
        attempt("signal_server", lambda: os.kill(server, 0))
        attempt("prlimit_server", lambda: same_limit(server))
        attempt("sigio_owner_server", lambda: sigio_owner(server))
        attempt("read_proc_server_mem", lambda: read(f"/proc/{server}/mem"))
        attempt("read_proc_server_cmdline", lambda: read(f"/proc/{server}/cmdline"))
        attempt("read_proc_server_fd", lambda: os.listdir(f"/proc/{server}/fd") and None)
    attempt(
        "raise_rlimit_data",
        lambda: resource.setrlimit(
            resource.RLIMIT_DATA, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)
        ),
    )
    attempt(
        "raise_rlimit_fsize",
        lambda: resource.setrlimit(
            resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)
        ),
    )
    attempt("socket_udp", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close())
    attempt("socketpair", lambda: socket.socketpair()[0].close())
    attempt(
        "tcp_connect_loopback",
        lambda: socket.create_connection(("127.0.0.1", int(config["port"])), timeout=5).close(),
    )
    attempt("tcp_bind", lambda: socket.create_server(("127.0.0.1", 0)).close())
    attempt(
        "abstract_socket_connect",
        lambda: socket.socket(socket.AF_UNIX).connect("\0" + config["abstract"]),
    )
    attempt("io_uring_setup", io_uring_setup)
    attempt("fork", fork_and_reap)
    attempt("subprocess", lambda: subprocess.run(["/bin/true"], check=True) and None)
    attempt("os_system", lambda: system_call(scratch / "system-marker"))
    attempt("setsid", os.setsid)
    attempt("setpgid", lambda: os.setpgid(0, 0))
    attempt("unshare_user_namespace", lambda: libc_call("unshare", 0x10000000))
    # Last: if it works, the process is replaced by one that reports it.
    attempt(
        "execve",
        lambda: os.execv(
            sys.executable,
            [sys.executable, "-c", 'print(\'{"name": "execve", "result": "ok"}\')'],
        ),
    )


def tensorflow_op() -> None:
    import tensorflow as tf

    attempt("tensorflow_op", lambda: float(tf.reduce_sum(tf.ones(3))))
    attempt(
        "tensorflow_matmul",
        lambda: float(tf.reduce_sum(tf.linalg.matmul(tf.ones((64, 64)), tf.ones((64, 64))))),
    )


def main() -> int:
    config: dict[str, Any] = json.loads(sys.argv[1])
    layers = set(config["layers"])
    scratch = Path(config["scratch"])
    if layers & {"server", "kernel", "kernel-files"}:
        from tutor.kernel.worker.confine import confine_fork_server

        report = confine_fork_server(
            scratch=scratch,
            readable_extra=[Path(config["tutor_file"]).parent],
            memory_bytes=int(config.get("memory_bytes", 0)),
            expected_parent=int(config["parent"]),
        )
        emit("server_report", report)
    if "capabilities" in layers:
        from tutor.kernel.worker.capabilities import drop_capabilities

        emit("capabilities_dropped", drop_capabilities())
    if "landlock" in layers:
        from tutor.kernel.worker.landlock import apply_landlock

        result = apply_landlock([Path(config["tutor_file"]).parent], [scratch])
        emit("landlock_report", {k: v for k, v in result.items() if k not in ("rules",)})
    if config.get("tensorflow"):
        import tensorflow  # noqa: F401  (imported once, no op run: as the fork server)
    if "seccomp" in layers:
        from tutor.kernel.worker.seccomp import apply_seccomp

        emit("seccomp_report", apply_seccomp(os.getpid()))
    if "kernel" in layers or "kernel-files" in layers:
        server = os.getpid()
        own_scratch = scratch / "k1"
        own_scratch.mkdir(exist_ok=True)
        child = os.fork()
        if child:
            _, status = os.waitpid(child, 0)
            return os.waitstatus_to_exitcode(status)
        from tutor.kernel.worker.confine import confine_kernel, confine_kernel_files

        config["server"] = server
        config["scratch"] = str(own_scratch)
        emit(
            "kernel_files_report",
            confine_kernel_files(os.getpid(), own_scratch, [Path(config["tutor_file"]).parent]),
        )
        if "kernel" in layers:
            emit("kernel_report", confine_kernel(os.getpid(), expected_parent=server))
    if config.get("tensorflow"):
        tensorflow_op()
    else:
        attempts(config)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
