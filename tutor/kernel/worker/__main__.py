"""`python -m tutor.kernel.worker`: the fork server (started by the supervisor only)."""

from __future__ import annotations

import sys

from tutor.kernel.worker.forkserver import main

sys.exit(main())
