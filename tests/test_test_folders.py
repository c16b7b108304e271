"""A test session leaves no folder of its own behind: tests/conftest.py makes the embedding
cache (with a 90 MB copy of the MiniLM export) and the data folder, and removes both."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow  # a new pytest process
def test_a_session_removes_the_folders_it_made(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text("import os\n\n\ndef test_folders():\n"
                     "    print('CACHE=' + os.environ['NARRATIVE_QA_CACHE'])\n"
                     "    print('HOME=' + os.environ['NARRATIVE_QA_HOME'])\n"
                     "    assert os.path.isdir(os.environ['NARRATIVE_QA_HOME'])\n")
    env = {k: v for k, v in os.environ.items()
           if k not in {"NARRATIVE_QA_CACHE", "NARRATIVE_QA_HOME"}}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
                           "--confcutdir", str(ROOT / "tests"), "-p", "tests.conftest",
                           "--rootdir", str(tmp_path), str(probe)],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    made = dict(line.split("=", 1) for line in done.stdout.splitlines()
                if line.startswith(("CACHE=", "HOME=")))
    assert set(made) == {"CACHE", "HOME"}
    for folder in made.values():
        assert not os.path.exists(folder), folder
