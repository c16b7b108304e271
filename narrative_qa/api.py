"""What the commands do, as plain functions: the CLI, the web app and the tests call these."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from narrative_qa import deadline
from narrative_qa.assessment import SEVERITY_ORDER, Assessment, Submission
from narrative_qa.config import Settings, load_settings
from narrative_qa.engine import Progress, assess, assess_batch
from narrative_qa.errors import InputError, Location, RowProblem
from narrative_qa.language.embeddings import return_freed_memory
from narrative_qa.output.files import AssessmentWriter, write_assessments
from narrative_qa.previous import FilePrevious, StorePrevious, join, join_previous, match_key
from narrative_qa.reading.records import (
    read_submissions,
    submission_from_mapping,
    submissions_from_rows,
)
from narrative_qa.summary import ScoreSummary

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


Rows = Iterable[Mapping[str, Any]]
CHUNK_SIZE = 500  # rows assessed (and held in memory) at a time when streaming


@dataclass
class Previous:
    """Where last period's values come from: a file's submissions (with the notices its
    reading gave), the history store, or both (the file first; the store fills the rest).
    One matching rule for all: see narrative_qa.previous."""

    submissions: list[Submission] | None = None
    history: History | None = None
    notices: list[RowProblem] = field(default_factory=list)

    @classmethod
    def from_file(cls, path: Path, settings: Settings, map_options: list[str] | None = None,
                  history: History | None = None) -> Previous:
        submissions, notices = read_submissions(path, settings, None, map_options)
        return cls(submissions, history, list(notices))

    def join(self, submissions: list[Submission]) -> list[RowProblem]:
        """Fill the rows' previous values; returns the notices (the file's reading too)."""
        notices = list(self.notices)
        if self.submissions is not None:
            notices += join_previous(submissions, FilePrevious(self.submissions))
        if self.history is not None:  # one row (a draft): its KPI's rows only are read
            only = submissions[0].kpi_id if len(submissions) == 1 else None
            notices += join(submissions, StorePrevious(self.history, only or None))[1]
            attach_due_forecasts(submissions, self.history)
        return notices


def attach_due_forecasts(submissions: list[Submission], history: History) -> None:
    """Give each row the forecasts of its KPI that fall due in its period (made in earlier
    periods, kept in the store): what NQ03 and NQ05 check the narrative against."""
    from narrative_qa.store.forecasts import forecasts_due

    due: dict[str, list] = {}
    only = submissions[0].kpi_id if len(submissions) == 1 else None  # a draft: its KPI's
    for sub in submissions:
        if not sub.kpi_id or not sub.period:
            continue
        if sub.period not in due:
            due[sub.period] = forecasts_due(history, sub.period, only)
        key = match_key(sub.kpi_id)
        sub.forecasts_due = [f for f in due[sub.period] if match_key(f.kpi_id) == key]


def previous_from(previous_path: Path | None, history: History | None, settings: Settings,
                  map_options: list[str] | None = None) -> Previous:
    if previous_path is not None:
        return Previous.from_file(previous_path, settings, map_options, history)
    return Previous(history=history)


def read_rows(input_path: Path, settings: Settings, *, sheet: str | None = None,
              map_options: list[str] | None = None, period: str | None = None,
              previous: Previous | None = None,
              check_rows: Callable[[list[Submission]], None] | None = None
              ) -> tuple[list[Submission], list[RowProblem]]:
    """A file's rows, validated and joined with last period; (rows, file notices).
    `period` labels rows that have none; `check_rows` may refuse the rows (raising)."""
    submissions, notices = read_submissions(input_path, settings, sheet, map_options)
    return _prepare(submissions, list(notices), period, previous, check_rows)


def _prepare(submissions: list[Submission], notices: list[RowProblem], period: str | None,
             previous: Previous | None,
             check_rows: Callable[[list[Submission]], None] | None = None
             ) -> tuple[list[Submission], list[RowProblem]]:
    if check_rows is not None:
        check_rows(submissions)
    if period:
        for sub in submissions:
            sub.period = sub.period or period
    if previous is not None:
        notices += previous.join(submissions)
    return submissions, notices


def _load_nlp_alongside() -> None:
    """Load spaCy on another thread while this one reads the files (a quarter's cold start
    used one core for both)."""
    from narrative_qa.language import preload
    from narrative_qa.language.nlp import get_nlp, nlp_loaded

    if not nlp_loaded():
        preload.start(get_nlp)


def assess_in_chunks(submissions: list[Submission], settings: Settings,
                     chunk_size: int = CHUNK_SIZE,
                     progress: Progress | None = None) -> Iterator[list[Assessment]]:
    """Assess `chunk_size` rows at a time, so what is held (parses, embeddings,
    assessments) is bounded by the chunk; each row's result does not depend on the chunk."""
    for start in range(0, len(submissions), max(1, chunk_size)):
        yield assess_batch(submissions[start:start + chunk_size], settings, progress=progress)


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
    chunk_size: int | None = None,
) -> ScoreResult:
    """Score a quarter's export; join last quarter's by kpi_id (from --previous, then from
    the history store); write `out` if given. `period` labels rows that have none;
    `check_rows` may refuse the rows (raising) before anything is scored. With
    `chunk_size`, rows are assessed that many at a time and `progress` hears of each chunk
    as it is done (the web upload's progress bar), with the same results."""
    settings = settings or load_settings()
    _load_nlp_alongside()
    previous = previous_from(previous_path, history, settings, map_options)
    submissions, notices = read_rows(input_path, settings, sheet=sheet,
                                     map_options=map_options, period=period,
                                     previous=previous, check_rows=check_rows)
    if on_start:
        on_start(len(submissions))
    if chunk_size is None:
        assessments = assess_batch(submissions, settings, progress=progress)
    else:
        assessments = []
        for chunk in assess_in_chunks(submissions, settings, chunk_size):
            assessments += chunk
            if progress:
                progress(len(chunk))
    if out is not None:
        write_assessments(assessments, out)
    return ScoreResult(assessments, notices)


def score_to_file(input_path: Path, out: Path | None, previous_path: Path | None = None, *,
                  sheet: str | None = None, map_options: list[str] | None = None,
                  settings: Settings | None = None, history: History | None = None,
                  chunk_size: int = CHUNK_SIZE, progress: Progress | None = None,
                  on_start: Callable[[int], None] | None = None,
                  on_chunk: Callable[[list[Assessment]], None] | None = None) -> ScoreSummary:
    """`score_file` for inputs of any size: rows are assessed a chunk at a time and each
    chunk is written (to a temporary file in the target's folder, put in place at the end;
    nothing when `out` is None) and passed to `on_chunk`, then let go. Duplicate kpi_ids
    and the summary see every row; the summary keeps only counts and problems."""
    settings = settings or load_settings()
    _load_nlp_alongside()
    previous = previous_from(previous_path, history, settings, map_options)
    submissions, notices = read_rows(input_path, settings, sheet=sheet,
                                     map_options=map_options, previous=previous)
    if on_start:
        on_start(len(submissions))
    summary = ScoreSummary(notices=notices)
    chunks = assess_in_chunks(submissions, settings, chunk_size, progress)
    with AssessmentWriter.open(out, submissions) as writer:
        for chunk in chunks:
            writer.write(chunk)
            summary.add(chunk)
            if on_chunk:
                on_chunk(chunk)
            del chunk  # the chunk's parses, vectors and assessments go before the next one
            return_freed_memory()
    return summary


def score_rows(rows: Rows | Any, settings: Settings | None = None, *,
               previous: Rows | Any | Previous | None = None, history: History | None = None,
               period: str | None = None, chunk_size: int = CHUNK_SIZE,
               name: str = "<rows>") -> ScoreResult | Any:
    """Score rows that are already in memory: a list (or any iterable) of dicts keyed by
    column names as a file would have them, or a pandas DataFrame. `previous` is last
    period's rows (same forms) or a Previous; `history` a store to fill the rest from.
    A DataFrame in gives a DataFrame out (see `assessments_frame`); otherwise a ScoreResult.
    A row that cannot be used is kept, verdict 'error', with its problems."""
    settings = settings or load_settings()
    frame = _is_frame(rows)
    submissions = submissions_from_rows(_records(rows), settings, name, _columns(rows))
    if isinstance(previous, Previous):
        source = previous
    elif previous is not None:
        source = Previous(submissions_from_rows(_records(previous), settings,
                                                f"{name} (previous)"), history)
    else:
        source = Previous(history=history)
    submissions, notices = _prepare(submissions, [], period, source)
    assessments = [a for chunk in assess_in_chunks(submissions, settings, chunk_size)
                   for a in chunk]
    if frame:
        return assessments_frame(assessments, index=rows.index)
    return ScoreResult(assessments, notices)


def _is_frame(rows: Any) -> bool:
    return type(rows).__module__.split(".")[0] == "pandas" and hasattr(rows, "to_dict")


def _columns(rows: Any) -> list[str] | None:
    return [str(c) for c in rows.columns] if _is_frame(rows) else None


def _records(rows: Rows | Any) -> list[dict[str, Any]]:
    """Plain dicts; a DataFrame's missing values (NaN, NaT, pd.NA) become None."""
    if _is_frame(rows):
        import pandas as pd

        return [{str(k): (None if _is_missing(pd, v) else v) for k, v in record.items()}
                for record in rows.to_dict(orient="records")]
    return [dict(row) if isinstance(row, Mapping) else row for row in rows]


def _is_missing(pd: Any, value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array in a cell
        return False


def assessments_frame(assessments: list[Assessment], index: Any = None) -> Any:
    """A pandas DataFrame, one row per assessment: every input column, then verdict,
    score, finding_codes ('NQ02; NQ04'), one 0/1 column per finding code of the catalogue,
    findings (a list of dicts, as in JSONL) and errors (the row's problems, as dicts)."""
    import pandas as pd

    from narrative_qa.catalogue import catalogue_codes

    codes = catalogue_codes()
    rows = []
    for assessment in assessments:
        record = assessment.to_record()
        found = {f["code"] for f in record["findings"]}
        row = {k: v for k, v in record.items() if k not in {"findings", "errors"}}
        row["finding_codes"] = "; ".join(f["code"] for f in record["findings"])
        row.update({code: int(code in found) for code in codes})
        row["findings"] = record["findings"]
        row["errors"] = record["errors"]
        rows.append(row)
    frame = pd.DataFrame(rows, index=index if index is not None and len(index) == len(rows)
                         else None)
    for code in codes:  # also present (as 0) when there are no rows
        if code not in frame:
            frame[code] = pd.Series(dtype="int64")
    return frame


def check_draft(narrative: str, settings: Settings | None = None,
                history: History | None = None, time_budget: float | None = None,
                **fields: Any) -> Assessment:
    """Check one draft: the narrative plus whatever KPI data the officer has; last period's
    actual and narrative come from the history store when given and not supplied.
    `time_budget` (seconds) stops the check with NQE110 once it has run that long."""
    settings = settings or load_settings()
    data = {k: v for k, v in fields.items() if v is not None}
    data["narrative"] = narrative
    with deadline.time_budget(time_budget):
        submission = submission_from_mapping(data, settings, file="<draft>")
        Previous(history=history).join([submission])
        return assess(submission, settings)


def ingest_file(input_path: Path, period: str, history: History, *,
                previous_path: Path | None = None, sheet: str | None = None,
                map_options: list[str] | None = None,
                settings: Settings | None = None,
                source: str | None = None) -> tuple[ScoreResult, int]:
    """Score a quarter and store every row of it under `period`; returns how many rows were
    stored (all of them: those that could not be scored are stored with their problems).
    Refuses (NQE060) a file whose own period column says another period, and (NQE024) a
    period that names no real quarter ('2025/26 Q5'). `source` is what the store records
    the rows came from (the input's path when not given)."""
    from narrative_qa.language.periods import period_problem

    problem = period_problem(period)
    if problem:
        raise InputError("NQE024", f"--period '{period}' is not a reporting period: {problem}",
                         Location(str(input_path)))
    result = score_file(input_path, previous_path, sheet=sheet, map_options=map_options,
                        settings=settings, history=history, period=period,
                        check_rows=lambda rows: refuse_other_period(rows, period))
    for sub in result.submissions:
        if not sub.kpi_id and not sub.blocked:
            sub.problems.append(RowProblem(
                "NQE066", "the row has no kpi_id; it was scored and stored under its row number",
                Location(sub.location.file, sub.location.row, "kpi_id")))
    stored = history.ingest(result.assessments, period, source or str(input_path))
    from narrative_qa.forecasts.check import check_period

    result.notices += check_period(history, period).notices
    return result, stored


def refuse_other_period(submissions: list[Submission], period: str) -> None:
    """A file whose rows name another period than --period is not stored under it."""
    from narrative_qa.language.periods import same_period

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
