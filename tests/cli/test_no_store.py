"""`score` and `check` with no history store do not import SQLAlchemy (issue 17: about
0.2 s of a cold start's one-core part, spent only to find that no store exists)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ("import sys\n"
          "from narrative_qa.cli.common import history_if_any\n"
          "print(history_if_any(None) is None, 'sqlalchemy' in sys.modules)\n")


def _run(home: Path) -> str:
    env = {**os.environ, "NARRATIVE_QA_HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          cwd=ROOT, env=env, check=True, timeout=120)
    return done.stdout.strip()


def test_no_store_means_no_sqlalchemy(tmp_path):
    assert _run(tmp_path) == "True False"


def test_a_default_store_is_still_opened(tmp_path, monkeypatch):
    from narrative_qa.store.history import History, default_url

    monkeypatch.setenv("NARRATIVE_QA_HOME", str(tmp_path))
    History(default_url())  # makes the default store
    assert _run(tmp_path) == "False True"
