"""`narrative-qa review`: reviewers confirm or dismiss findings, with who and when."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from narrative_qa.cli.common import (
    DbOption,
    PeriodOption,
    fail,
    make_console,
    open_history,
    say,
    stderr,
)
from narrative_qa.decisions import EXPORT_COLUMNS, export_decisions, import_decisions
from narrative_qa.errors import InputError, Location, NarrativeQAError
from narrative_qa.output.safe_write import atomic_path, check_file_target, safe_cell

KpiOption = Annotated[str, typer.Option("--kpi", help="kpi_id of the submission.")]
CodeOption = Annotated[str, typer.Option(help="Finding code, e.g. NQ04.")]
ByOption = Annotated[str, typer.Option("--by", help="Reviewer's name.")]

app = typer.Typer(help="Reviewers confirm or dismiss findings; decisions are kept with "
                     "who and when.")


def _decide(decision: str, period: str, kpi: str, code: str, reason: str, by: str,
            db: str | None) -> None:
    try:
        open_history(db).decide(kpi, period, code, decision, reason, by)
    except NarrativeQAError as error:
        fail(error)
    say(stderr(), f"{code.upper()} on {kpi} ({period}) {decision} by {by}")


@app.command("dismiss")
def dismiss(period: PeriodOption, kpi: KpiOption, code: CodeOption,
            reason: Annotated[str, typer.Option(help="Why the finding does not stand.")],
            by: ByOption, db: DbOption = None) -> None:
    """Dismiss a finding: it leaves the report and feedback, and stays dismissed when the
    same sentence recurs in a later quarter."""
    _decide("dismissed", period, kpi, code, reason, by, db)


@app.command("confirm")
def confirm(period: PeriodOption, kpi: KpiOption, code: CodeOption,
            reason: Annotated[str, typer.Option(help="Why the finding stands.")],
            by: ByOption, db: DbOption = None) -> None:
    """Confirm a finding (and undo an earlier dismissal of it)."""
    _decide("confirmed", period, kpi, code, reason, by, db)


@app.command("export")
def export(out: Annotated[Path, typer.Argument(help="CSV file to write.")],
           db: DbOption = None) -> None:
    """Write every decision, with who and when, to a CSV a spreadsheet can edit."""
    try:
        check_file_target(out, (".csv",))
        rows = export_decisions(open_history(db))
        replacing = out.exists()
        with atomic_path(out) as temp, temp.open("w", encoding="utf-8-sig",
                                                 newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([safe_cell(c) for c in EXPORT_COLUMNS])
            for row in rows:
                writer.writerow([safe_cell(row[c]) for c in EXPORT_COLUMNS])
    except NarrativeQAError as error:
        fail(error)
    console = stderr()
    if replacing:
        say(console, f"Replaced the existing {out}", "yellow")
    say(console, f"Written {len(rows)} decisions to {out}")


@app.command("import")
def import_(source: Annotated[Path, typer.Argument(help="CSV of decisions (see export).")],
            db: DbOption = None) -> None:
    """Record decisions made in a spreadsheet; bad rows are reported, the rest recorded."""
    from narrative_qa.reading.tables import decode_bytes

    try:
        history = open_history(db)
        if not source.is_file():
            raise InputError("NQE001", "file not found", Location(str(source)))
        rows = list(csv.DictReader(decode_bytes(source.read_bytes()).splitlines()))
        result = import_decisions(history, rows, str(source), first_row=2)
    except NarrativeQAError as error:
        fail(error)
    for problem in result.problems:
        say(stderr(), problem.render(), "yellow")
    say(stderr(), f"Recorded {result.recorded} decisions from {source}; "
        f"{result.already} were already recorded, {len(result.problems)} had problems")
    raise typer.Exit(2 if result.problems else 0)


@app.command("list")
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
