"""Commands over the history store: ingest, report, feedback and reviewers' decisions."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from narrative_qa.cli.common import fail, make_console, say, settings_from, stderr
from narrative_qa.errors import ConfigError, InputError, Location, NarrativeQAError
from narrative_qa.output.safe_write import atomic_path, check_file_target, safe_cell

DbOption = Annotated[str | None, typer.Option(
    "--db", help="History store: a SQLite file or a SQLAlchemy URL (default: "
    "~/.local/share/narrative_qa/history.db, or $NARRATIVE_QA_HOME).")]
PeriodOption = Annotated[str, typer.Option(help="Reporting period, e.g. '2025/26 Q2'.")]


def open_history(db: str | None):
    from narrative_qa.store.history import History, as_url

    return History(as_url(db))


def history_if_any(db: str | None):
    """The store named by --db, else the default store if one has been made, else None."""
    if db:
        return open_history(db)
    from narrative_qa.store.history import default_path

    return open_history(str(default_path())) if default_path().is_file() else None


def ingest(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="The quarter's export.")],
    period: PeriodOption,
    db: DbOption = None,
    previous: Annotated[Path | None, typer.Option(help="Last quarter's export, if it is not "
                                                  "in the store.")] = None,
    sheet: Annotated[str | None, typer.Option(help="Sheet of an .xlsx file.")] = None,
    map_: Annotated[list[str] | None, typer.Option("--map", help="HEADER=field.")] = None,
    config: Annotated[Path | None, typer.Option(help="Settings file (TOML).")] = None,
) -> None:
    """Score a quarter and store it with its assessments (earlier versions are kept)."""
    from narrative_qa.api import ingest_file

    try:
        history = open_history(db)
        result, stored = ingest_file(input_path, period, history, previous_path=previous,
                                     sheet=sheet, map_options=map_, settings=settings_from(config))
    except NarrativeQAError as error:
        fail(error)
    console = stderr()
    not_scored = sum(a.verdict == "error" for a in result.assessments)
    say(console, f"Stored {stored} rows for {period} in {history.url}: "
        f"{stored - not_scored} scored, {not_scored} could not be scored")
    for problem in [*result.notices, *result.row_problems]:
        say(console, problem.render(), "yellow")
    raise typer.Exit(2 if result.row_problems else 0)


def report(
    period: PeriodOption,
    db: DbOption = None,
    out: Annotated[Path, typer.Option(help="report.html (self-contained) or report.xlsx "
                                      "(the screening table).")] = Path("reports/report.html"),
) -> None:
    """Write the ELT's screening report for a period from the history store."""
    from narrative_qa.reporting.render import REPORT_FORMATS, write_report

    try:
        check_file_target(out, REPORT_FORMATS)
        history = open_history(db)
        if not history.current(period):
            raise InputError("NQE009", f"nothing is stored for period '{period}'; run "
                             "'narrative-qa ingest' first", Location(history.url))
        replacing = out.exists()
        path = write_report(history, period, out)
    except NarrativeQAError as error:
        fail(error)
    say(stderr(), f"{'Replaced' if replacing else 'Written'}: {path}")


def feedback(
    period: PeriodOption,
    out: Annotated[Path, typer.Option(help="Folder for one document per owner.")],
    db: DbOption = None,
) -> None:
    """Write one feedback document per owner (Markdown, HTML and Word), named by period
    and owner; says which existing files it replaced."""
    from narrative_qa.reporting.render import write_feedback_files

    try:
        history = open_history(db)
        if not history.current(period):
            raise InputError("NQE009", f"nothing is stored for period '{period}'",
                             Location(history.url))
        files = write_feedback_files(history, period, out)
    except NarrativeQAError as error:
        fail(error)
    console = stderr()
    say(console, f"Written {len(files.written)} files to {out}")
    if files.replaced:
        say(console, f"Replaced {len(files.replaced)} existing files: "
            + ", ".join(p.name for p in files.replaced), "yellow")


KpiOption = Annotated[str, typer.Option("--kpi", help="kpi_id of the submission.")]
CodeOption = Annotated[str, typer.Option(help="Finding code, e.g. NQ04.")]
ByOption = Annotated[str, typer.Option("--by", help="Reviewer's name.")]

review = typer.Typer(help="Reviewers confirm or dismiss findings; decisions are kept with "
                     "who and when.")
DECISION_COLUMNS = ("kpi_id", "period", "code", "decision", "reason", "reviewer")
EXPORT_COLUMNS = (*DECISION_COLUMNS, "decided_at")  # decided_at is optional on import


def _decide(decision: str, period: str, kpi: str, code: str, reason: str, by: str,
            db: str | None) -> None:
    try:
        open_history(db).decide(kpi, period, code, decision, reason, by)
    except NarrativeQAError as error:
        fail(error)
    say(stderr(), f"{code.upper()} on {kpi} ({period}) {decision} by {by}")


@review.command("dismiss")
def dismiss(period: PeriodOption, kpi: KpiOption, code: CodeOption,
            reason: Annotated[str, typer.Option(help="Why the finding does not stand.")],
            by: ByOption, db: DbOption = None) -> None:
    """Dismiss a finding: it leaves the report and feedback, and stays dismissed when the
    same sentence recurs in a later quarter."""
    _decide("dismissed", period, kpi, code, reason, by, db)


@review.command("confirm")
def confirm(period: PeriodOption, kpi: KpiOption, code: CodeOption,
            reason: Annotated[str, typer.Option(help="Why the finding stands.")],
            by: ByOption, db: DbOption = None) -> None:
    """Confirm a finding (and undo an earlier dismissal of it)."""
    _decide("confirmed", period, kpi, code, reason, by, db)


@review.command("export")
def export(out: Annotated[Path, typer.Argument(help="CSV file to write.")],
           db: DbOption = None) -> None:
    """Write every decision, with who and when, to a CSV a spreadsheet can edit."""
    columns = EXPORT_COLUMNS
    try:
        check_file_target(out, (".csv",))
        rows = open_history(db).decisions()
        replacing = out.exists()
        with atomic_path(out) as temp, temp.open("w", encoding="utf-8-sig",
                                                 newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([safe_cell(c) for c in columns])
            for row in rows:
                writer.writerow([safe_cell(row[c]) for c in columns])
    except NarrativeQAError as error:
        fail(error)
    console = stderr()
    if replacing:
        say(console, f"Replaced the existing {out}", "yellow")
    say(console, f"Written {len(rows)} decisions to {out}")


@review.command("import")
def import_(source: Annotated[Path, typer.Argument(help="CSV of decisions (see export).")],
            db: DbOption = None) -> None:
    """Record decisions made in a spreadsheet; bad rows are reported, the rest recorded."""
    from narrative_qa.reading.tables import decode_bytes

    try:
        history = open_history(db)
        if not source.is_file():
            raise InputError("NQE001", "file not found", Location(str(source)))
        rows = list(csv.DictReader(decode_bytes(source.read_bytes()).splitlines()))
    except NarrativeQAError as error:
        fail(error)
    missing = [c for c in DECISION_COLUMNS if rows and c not in rows[0]]
    if missing:
        fail(InputError("NQE064", f"no column {', '.join(repr(c) for c in missing)}; the "
                        f"header row has {', '.join(repr(c) for c in rows[0])}",
                        Location(str(source))))
    counts = {"recorded": 0, "already": 0, "bad": 0}
    for number, row in enumerate(rows, start=2):
        values = {c: _cell(row.get(c)) for c in EXPORT_COLUMNS}
        try:
            added = history.decide(values["kpi_id"], values["period"], values["code"],
                                   values["decision"], values["reason"], values["reviewer"],
                                   decided_at=values["decided_at"] or None)
            counts["recorded" if added else "already"] += 1
        except ConfigError as error:
            counts["bad"] += 1
            where = Location(str(source), number, error.location.column)
            say(stderr(), type(error)(error.code, error.detail, where).render(), "yellow")
    say(stderr(), f"Recorded {counts['recorded']} decisions from {source}; "
        f"{counts['already']} were already recorded, {counts['bad']} had problems")
    raise typer.Exit(2 if counts["bad"] else 0)


def _cell(value: str | None) -> str:
    """A CSV cell as export wrote it: the apostrophe that guards a formula is taken off."""
    text = (value or "").strip()
    return text[1:].strip() if text.startswith("'") else text


@review.command("list")
def list_decisions(db: DbOption = None) -> None:
    """Show every decision with who and when."""
    try:
        rows = open_history(db).decisions()
    except NarrativeQAError as error:
        fail(error)
    console = make_console()
    for row in rows:
        say(console, f"{row['decided_at']} {row['reviewer']}: {row['decision']} "
            f"{row['code']} on {row['kpi_id']} ({row['period']}) — {row['reason']}")
