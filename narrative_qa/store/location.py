"""Where the default history store lives: without SQLAlchemy, so a `score` or `check` run
with no store (the common case) does not import it only to learn that none exists."""

from __future__ import annotations

import os
from pathlib import Path


def default_path() -> Path:
    root = os.environ.get("NARRATIVE_QA_HOME") or Path.home() / ".local" / "share" / "narrative_qa"
    return Path(root) / "history.db"
