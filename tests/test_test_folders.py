"""A test session leaves no folder of its own behind, and no two test processes share one:
tests/conftest.py makes the embedding cache (with a 90 MB copy of the MiniLM export) and the
data folder per process, pytest-xdist workers included, and removes them at the end."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PROBE = """import os


def _note():
    with open({seen!r}, "a") as out:
        out.write(" ".join([os.environ.get("PYTEST_XDIST_WORKER", "main"),
                            os.environ["NARRATIVE_QA_CACHE"],
                            os.environ["NARRATIVE_QA_HOME"]]) + "\\n")
    assert os.path.isdir(os.environ["NARRATIVE_QA_CACHE"])


def test_one():
    _note()


def test_two():
    _note()
"""


@pytest.mark.slow  # new pytest processes
@pytest.mark.parametrize("workers", [[], ["-n", "2"]])
def test_a_session_removes_the_folders_it_made_and_shares_none(tmp_path, workers):
    seen = tmp_path / "seen.txt"
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE.format(seen=str(seen)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("NARRATIVE_QA_")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-p", "tests.conftest", "--rootdir", str(tmp_path), *workers,
                           str(probe)],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows = [line.split() for line in seen.read_text().splitlines()]
    assert len(rows) == 2
    for _, cache, home in rows:
        assert not os.path.exists(cache) and not os.path.exists(home), (cache, home)
    by_process = {process: (cache, home) for process, cache, home in rows}
    caches = [cache for cache, _ in by_process.values()]
    assert len(set(caches)) == len(caches)  # each process its own
