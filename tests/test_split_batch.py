"""A batch scored on two processes: the forked child reads its own parses and runs the
detectors on its own share, sending back findings, not Docs (issue 17: the reading of the
child's parses and every detector ran on one core); the results are one process's."""

from __future__ import annotations

import multiprocessing
import os
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from narrative_qa import detection
from narrative_qa.config import load_settings
from narrative_qa.engine import assess_batch
from narrative_qa.previous import join_previous
from narrative_qa.reading.records import read_submissions

SAMPLE = Path(__file__).resolve().parents[1] / "narrative_qa" / "data" / "sample"

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="scoring in child processes needs fork")


@pytest.fixture(scope="module")
def quarter():
    settings = load_settings()
    current, _ = read_submissions(SAMPLE / "qpr-2025-26-Q2.xlsx", settings)
    previous, _ = read_submissions(SAMPLE / "qpr-2025-26-Q1.xlsx", settings)
    join_previous(current, previous)
    return current, settings


def _copies(submissions):
    return [replace(s, problems=list(s.problems)) for s in submissions]


def _recording_pids(monkeypatch, record: Path, fail_in_child: bool = False) -> None:
    """detection._run_rules (inherited by a forked child) notes the process running it."""
    run_rules, parent = detection._run_rules, os.getpid()

    def recording(contexts, findings, rules):
        with record.open("a") as out:
            out.write(f"{os.getpid()}\n")
        if fail_in_child and os.getpid() != parent:
            raise RuntimeError("the child fails")
        run_rules(contexts, findings, rules)

    monkeypatch.setattr(detection, "_run_rules", recording)


def test_the_child_runs_the_detectors_on_its_share_with_one_process_results(
        quarter, tmp_path, monkeypatch):
    submissions, settings = quarter
    one = assess_batch(_copies(submissions), settings, processes=1)
    record = tmp_path / "pids.txt"
    _recording_pids(monkeypatch, record)
    two = assess_batch(_copies(submissions), settings, processes=2)
    assert [a.to_record() for a in two] == [a.to_record() for a in one]
    assert any(a.findings for a in one)
    pids = set(record.read_text().split())
    assert str(os.getpid()) in pids and len(pids) == 2  # both ran detectors


def test_a_failing_child_leaves_its_share_to_this_process(quarter, tmp_path, monkeypatch,
                                                          caplog):
    submissions, settings = quarter
    one = assess_batch(_copies(submissions), settings, processes=1)
    _recording_pids(monkeypatch, tmp_path / "pids.txt", fail_in_child=True)
    two = assess_batch(_copies(submissions), settings, processes=2)
    assert [a.to_record() for a in two] == [a.to_record() for a in one]
    assert "scoring on a second process failed" in caplog.text


def test_a_detector_failing_in_the_child_is_reported_on_its_row(quarter, monkeypatch):
    """NQE026 on the rows whose detector failed, whichever process ran it."""
    from narrative_qa.detectors import needs_detail

    submissions, settings = quarter
    failing = {s.kpi_id for s in submissions[-6:]}  # the end of the batch: the child's
    detect = needs_detail.detect

    def sometimes(ctx, params):
        if ctx.submission.kpi_id in failing:
            raise ValueError("broken on purpose")
        return detect(ctx, params)

    monkeypatch.setattr(needs_detail, "detect", sometimes)
    one = assess_batch(_copies(submissions), settings, processes=1)
    two = assess_batch(_copies(submissions), settings, processes=2)
    assert [a.to_record() for a in two] == [a.to_record() for a in one]
    flagged = {a.submission.kpi_id for a in two
               if any(p.code == "NQE026" for p in a.submission.problems)}
    assert flagged == failing


def test_a_slowed_parent_leaves_the_child_more_chunks(quarter, tmp_path, monkeypatch):
    """Chunks go to whichever process is free: a parent slowed (by loading the encoder, say)
    reads fewer of them, and the results do not change."""
    import time

    submissions, settings = quarter
    one = assess_batch(_copies(submissions), settings, processes=1)
    record, contexts_for, parent = tmp_path / "chunks.txt", detection.contexts_for, os.getpid()

    def recording(subs, *args, **kwargs):
        if os.getpid() == parent:
            time.sleep(0.5)
        with record.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return contexts_for(subs, *args, **kwargs)

    monkeypatch.setattr(detection, "contexts_for", recording)
    two = assess_batch(_copies(submissions), settings, processes=2)
    assert [a.to_record() for a in two] == [a.to_record() for a in one]
    taken = record.read_text().split()
    assert taken.count(str(parent)) < len(taken) // 2


def test_green_rows_raising_a_finding_are_scored_by_the_child_itself(quarter, caplog):
    """A green row has no rule that reads the reading layer, but a finding it raises is
    calibrated on the readings: its sentences are in the batch's one embedding call, so
    the child scores its share instead of failing over to this process."""
    submissions, settings = quarter
    fresh = uuid.uuid4().hex[:8]  # sentences no embedding cache holds yet
    green = [replace(s, problems=list(s.problems), actual=s.target,
                     narrative=f"Performance reached 12% this quarter, as planned ({fresh}{n}).")
             for n, s in enumerate(submissions) if isinstance(s.target, int | float)]
    two = assess_batch(_copies(green), settings, processes=2)  # first: nothing cached
    one = assess_batch(_copies(green), settings, processes=1)
    # The child's end has findings calibrated on the readings (a figure against the data).
    assert any(f.code == "NQ10" for a in one[len(one) // 2:] for f in a.findings)
    assert [a.to_record() for a in two] == [a.to_record() for a in one]
    assert "scoring on a second process failed" not in caplog.text
