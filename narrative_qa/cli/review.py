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
from narrative_qa.errors import ConfigError, InputError, Location, NarrativeQAError
from narrative_qa.output.safe_write import atomic_path, check_file_target, safe_cell

KpiOption = Annotated[str, typer.Option("--kpi", help="kpi_id of the submission.")]
CodeOption = Annotated[str, typer.Option(help="Finding code, e.g. NQ04.")]
ByOption = Annotated[str, typer.Option("--by", help="Reviewer's name.")]

app = typer.Typer(help="Reviewers confirm or dismiss findings; decisions are kept with "
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
