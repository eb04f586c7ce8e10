"""The environment a worker process starts with: an allow-list, never a copy of ours.

The supervisor's environment may carry secrets (SSH_AUTH_SOCK, DBUS_SESSION_BUS_ADDRESS,
GITHUB_TOKEN, AWS_*...). Learner code can read every variable it is given, so the worker
gets only what Python, the C library and TensorFlow need, plus a few settings that make a
kernel behave well on a small shared machine. Standard library only: the UI process uses it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

#: Variables copied from the parent when present (exact names).
PASSED_THROUGH = frozenset(
    {
        "PATH",
        "LANG",
        "LANGUAGE",
        "TZ",
        # The parent's choice wins over the thread defaults below.
        "OMP_NUM_THREADS",
        "TF_NUM_INTRAOP_THREADS",
        "TF_NUM_INTEROP_THREADS",
        "TF_ENABLE_ONEDNN_OPTS",
    }
)
#: Variables copied only when the kernel may use a GPU (a CUDA install may need them).
PASSED_THROUGH_FOR_GPU = frozenset({"CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH", "CUDA_HOME"})

#: Names never handed to a worker, even through `extra`: agents, buses, credentials.
_SECRET = re.compile(
    r"^(SSH_|GPG_|DBUS_|XDG_RUNTIME_DIR$|DISPLAY$|WAYLAND_|AWS_|AZURE_|GOOGLE_|GCP_|GCLOUD_"
    r"|KUBE|DOCKER_|VAULT_|NPM_|PYPI_|UV_PUBLISH|TWINE_|HF_|HUGGING)"
    r"|(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_KEY|APIKEY|AUTH|COOKIE|SESSION)",
    re.IGNORECASE,
)

_DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin"


def is_secret_name(name: str) -> bool:
    """Whether a variable name looks like a credential or a handle to the user's session."""
    return _SECRET.search(name) is not None


def worker_environment(
    parent: Mapping[str, str],
    scratch: Path,
    *,
    device: str,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The complete environment for a worker started from `parent`'s environment.

    `scratch` becomes HOME, TMPDIR and the cwd the caller should use; `device` is
    "cpu", "gpu" or "auto" ("cpu" hides every GPU from CUDA). `extra` is set last, for
    the caller's own settings such as PYTHONPATH; a secret-looking name there is refused
    with ValueError, so a later edit cannot leak one by accident.
    """
    env: dict[str, str] = {}
    for name, value in parent.items():
        if _passed_through(name, device):
            env[name] = value
    env.setdefault("PATH", _DEFAULT_PATH)
    env.setdefault("LANG", "C.UTF-8")

    home = str(scratch)
    env.update(
        {
            "HOME": home,
            "TMPDIR": home,
            "TMP": home,
            "TEMP": home,
            # Site-packages are read-only to the worker and the scratch is short-lived.
            "PYTHONDONTWRITEBYTECODE": "1",
            # HOME is the scratch, but say it plainly: no user site-packages.
            "PYTHONNOUSERSITE": "1",
            # Same set and dict-of-str order in every run, so lesson outputs are stable.
            "PYTHONHASHSEED": "0",
            "PYTHONIOENCODING": "utf-8",
            # No C++ log chatter in a learner's cell output (on a CPU-only box level 2 still
            # prints "failed call to cuInit" at the first op); errors reach Python as exceptions.
            "TF_CPP_MIN_LOG_LEVEL": "3",
        }
    )
    # oneDNN's CPU allocator retries a failed allocation for 10 s: a 40 GB tensor would
    # time out instead of failing at once with a clear OOM error. (The parent's choice wins.)
    env.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    _thread_settings(env)
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = "-1"
    else:
        # A shared GPU box must not be grabbed whole (the kernel also sets memory growth).
        env["TF_FORCE_GPU_ALLOW_GROWTH"] = "true"

    for name, value in (extra or {}).items():
        if is_secret_name(name):
            raise ValueError(f"refusing to pass {name!r} to a worker")
        env[name] = value
    return env


def _passed_through(name: str, device: str) -> bool:
    if name in PASSED_THROUGH or name.startswith("LC_"):
        return True
    return device != "cpu" and name in PASSED_THROUGH_FOR_GPU


def _thread_settings(env: dict[str, str]) -> None:
    """Thread pools sized to the cores this process may use (tiny tensors, shared box)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    intra = max(1, min(cores, 4))
    env.setdefault("OMP_NUM_THREADS", str(intra))
    env.setdefault("TF_NUM_INTRAOP_THREADS", str(intra))
    env.setdefault("TF_NUM_INTEROP_THREADS", "1" if cores <= 2 else "2")
    env.setdefault("OPENBLAS_NUM_THREADS", "1")


def leaked_names(environ: Mapping[str, str]) -> list[str]:
    """The secret-looking names present in `environ` (the worker reports these, if any)."""
    return sorted(name for name in environ if is_secret_name(name))
