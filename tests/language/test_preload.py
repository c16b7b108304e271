"""A model loading on another thread (language/preload.py) is finished before the process
ends: stopped half-way at the interpreter's exit, ONNX Runtime's session creation aborted
or crashed the process after every output was written (`score` of a small quarter on two
processes with every embedding cached exited 134)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A load that takes a while; the main thread ends at once.
SCRIPT = """
import sys, time
from pathlib import Path
from narrative_qa.language import preload
def slow_load():
    time.sleep(0.5)
    Path(sys.argv[1]).write_text("loaded")
preload.start(slow_load)
"""
# The same through the CLI's own fast exit (os._exit once the output is written).
CLI_SCRIPT = """
import sys, time
from pathlib import Path
from narrative_qa.language import preload
marker = Path(sys.argv[1])
def slow_load():
    time.sleep(0.5)
    marker.write_text("loaded")
preload.start(slow_load)
sys.argv = ["narrative-qa", "rules"]
from narrative_qa.cli import main
main()
"""


def _run(script: str, marker: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script, str(marker)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_a_load_still_running_at_exit_is_finished_first(tmp_path):
    done = _run(SCRIPT, tmp_path / "marker")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "marker").read_text() == "loaded"


def test_the_cli_fast_exit_waits_for_a_load_and_keeps_its_output(tmp_path):
    done = _run(CLI_SCRIPT, tmp_path / "marker")
    assert done.returncode == 0, done.stderr
    assert "NQ11" in done.stdout
    assert (tmp_path / "marker").read_text() == "loaded"


def test_running_counts_only_loads_in_flight():
    import threading

    from narrative_qa.language import preload

    gate = threading.Event()
    thread = preload.start(gate.wait)
    try:
        assert preload.running() >= 1
    finally:
        gate.set()
        preload.finish()
    assert not thread.is_alive() and preload.running() == 0
