"""`python -m tutor`."""

from __future__ import annotations

from tutor.cli import main

raise SystemExit(main())
