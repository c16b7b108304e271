"""A detector that fails on one row: NQE026 for that row, its traceback in the log."""

from __future__ import annotations

import dataclasses
import logging

from narrative_qa.catalogue import get_rule
from narrative_qa.engine import assess_batch
from narrative_qa.reading.records import submission_from_mapping

ROW = {"kpi_id": "A", "kpi_name": "% on time", "target": 60, "actual": 51, "unit": "%",
       "polarity": "up", "stated_rag": "green", "narrative": "Staffing was short in Q2."}


def test_a_failing_detector_is_reported_on_its_row_and_logged(settings, caplog):
    broken = dataclasses.replace(get_rule("NQ09"), params={})  # its detector will KeyError
    rows = [submission_from_mapping(dict(ROW), settings, file="in.csv", row=n)
            for n in (2, 3)]
    with caplog.at_level(logging.ERROR, logger="narrative_qa"):
        results = assess_batch(rows, settings, [broken], gates=False)
    for result in results:
        problems = [p for p in result.submission.problems if p.code == "NQE026"]
        assert len(problems) == 1 and "NQ09" in problems[0].message
        assert result.findings == []
    failures = [r for r in caplog.records if r.name.startswith("narrative_qa")]
    assert len(failures) == 2
    assert failures[0].exc_info and failures[0].exc_info[0] is KeyError
    assert "row 2" in failures[0].getMessage() and "Traceback" in caplog.text
