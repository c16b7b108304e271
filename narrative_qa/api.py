"""What the commands do, as plain functions: the CLI, the tests and later the web app call these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from narrative_qa.assessment import SEVERITY_ORDER, Assessment, Submission
from narrative_qa.config import Settings, load_settings
from narrative_qa.engine import Progress, assess, assess_batch
from narrative_qa.errors import InputError, Location, RowProblem
from narrative_qa.output.files import write_assessments
from narrative_qa.previous import join_previous
from narrative_qa.reading.records import read_submissions, submission_from_mapping

if TYPE_CHECKING:  # the store (SQLAlchemy, alembic) is imported only when it is used
    from narrative_qa.store.history import History


@dataclass
class ScoreResult:
    assessments: list[Assessment]
    notices: list[RowProblem] = field(default_factory=list)  # file-level warnings

    @property
    def submissions(self) -> list[Submission]:
        return [a.submission for a in self.assessments]

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
    history: History | None = None,
    period: str | None = None,
    check_rows: Callable[[list[Submission]], None] | None = None,
) -> ScoreResult:
    """Score a quarter's export; join last quarter's by kpi_id (from --previous, then from
    the history store); write `out` if given. `period` labels rows that have none;
    `check_rows` may refuse the rows (raising) before anything is scored."""
    settings = settings or load_settings()
    submissions, notices = read_submissions(input_path, settings, sheet, map_options)
    if check_rows is not None:
        check_rows(submissions)
    if period:
        for sub in submissions:
            sub.period = sub.period or period
    if previous_path is not None:
        earlier, earlier_notices = read_submissions(previous_path, settings, None, map_options)
        notices += earlier_notices
        notices += join_previous(submissions, earlier)
    if history is not None:
        history.fill_previous(submissions)
    if on_start:
        on_start(len(submissions))
    assessments = assess_batch(submissions, settings, progress=progress)
    if out is not None:
        write_assessments(assessments, out)
    return ScoreResult(assessments, notices)


def check_draft(narrative: str, settings: Settings | None = None,
                history: History | None = None, **fields: Any) -> Assessment:
    """Check one draft: the narrative plus whatever KPI data the officer has; last period's
    actual and narrative come from the history store when given and not supplied."""
    settings = settings or load_settings()
    data = {k: v for k, v in fields.items() if v is not None}
    data["narrative"] = narrative
    submission = submission_from_mapping(data, settings, file="<draft>")
    if history is not None:
        history.fill_previous([submission])
    return assess(submission, settings)


def ingest_file(input_path: Path, period: str, history: History, *,
                previous_path: Path | None = None, sheet: str | None = None,
                map_options: list[str] | None = None,
                settings: Settings | None = None) -> tuple[ScoreResult, int]:
    """Score a quarter and store every row of it under `period`; returns how many rows were
    stored (all of them: those that could not be scored are stored with their problems).
    Refuses (NQE060) a file whose own period column says another period."""
    result = score_file(input_path, previous_path, sheet=sheet, map_options=map_options,
                        settings=settings, history=history, period=period,
                        check_rows=lambda rows: refuse_other_period(rows, period))
    for sub in result.submissions:
        if not sub.kpi_id and not sub.blocked:
            sub.problems.append(RowProblem(
                "NQE066", "the row has no kpi_id; it was scored and stored under its row number",
                Location(sub.location.file, sub.location.row, "kpi_id")))
    stored = history.ingest(result.assessments, period, str(input_path))
    return result, stored


def refuse_other_period(submissions: list[Submission], period: str) -> None:
    """A file whose rows name another period than --period is not stored under it."""
    from narrative_qa.store.history import same_period

    clashing = [s for s in submissions if s.period and not same_period(s.period, period)]
    if not clashing:
        return
    first = clashing[0]
    others = f" (and {len(clashing) - 1} more rows)" if len(clashing) > 1 else ""
    raise InputError("NQE060", f"the row's period is '{first.period}' but --period is "
                     f"'{period}'{others}; nothing was stored",
                     Location(first.location.file, first.location.row, "period"))


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
