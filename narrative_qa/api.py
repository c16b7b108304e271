"""What the commands do, as plain functions: the CLI, the tests and later the web app call these."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrative_qa.config import Settings, load_settings
from narrative_qa.engine import Progress, assess, assess_batch
from narrative_qa.errors import RowProblem
from narrative_qa.history import join_previous
from narrative_qa.model import SEVERITY_ORDER, Assessment
from narrative_qa.output.files import write_assessments
from narrative_qa.reading.records import read_submissions, submission_from_mapping


@dataclass
class ScoreResult:
    assessments: list[Assessment]
    notices: list[RowProblem] = field(default_factory=list)  # file-level warnings

    @property
    def row_problems(self) -> list[RowProblem]:
        return [p for a in self.assessments for p in a.submission.problems]


def score_file(
    input_path: Path,
    previous_path: Path | None = None,
    out: Path | None = None,
    *,
    sheet: str | None = None,
    map_options: list[str] | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    on_start=None,
) -> ScoreResult:
    """Score a quarter's export; join last quarter's by kpi_id; write `out` if given."""
    settings = settings or load_settings()
    submissions, notices = read_submissions(input_path, settings, sheet, map_options)
    if previous_path is not None:
        earlier, earlier_notices = read_submissions(previous_path, settings, None, map_options)
        notices += earlier_notices
        notices += join_previous(submissions, earlier)
    if on_start:
        on_start(len(submissions))
    assessments = assess_batch(submissions, settings, progress=progress)
    if out is not None:
        write_assessments(assessments, out)
    return ScoreResult(assessments, notices)


def check_draft(narrative: str, settings: Settings | None = None, **fields: Any) -> Assessment:
    """Check one draft: the narrative plus whatever KPI data the officer has."""
    settings = settings or load_settings()
    data = {k: v for k, v in fields.items() if v is not None}
    data["narrative"] = narrative
    submission = submission_from_mapping(data, settings, file="<draft>")
    return assess(submission, settings)


def exit_code(result_assessments: list[Assessment], fail_on: str | None,
              problems: list[RowProblem] | None = None) -> int:
    """2 when any row had an error; 1 when a finding is at or above fail_on; else 0."""
    if problems:
        return 2
    if fail_on is None:
        return 0
    threshold = SEVERITY_ORDER[fail_on]
    for assessment in result_assessments:
        for finding in assessment.findings:
            if not finding.low_confidence and SEVERITY_ORDER[finding.severity] <= threshold:
                return 1
    return 0
