"""`narrative-qa report` and `feedback`: the ELT's report and officers' feedback from the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from narrative_qa.cli.common import (
    DbOption,
    PeriodOption,
    fail,
    open_history,
    say,
    stderr,
)
from narrative_qa.errors import NarrativeQAError
from narrative_qa.output.safe_write import check_file_target


def report(
    period: PeriodOption,
    db: DbOption = None,
    out: Annotated[Path, typer.Option(help="report.html (self-contained) or report.xlsx "
                                      "(the screening table).")] = Path("reports/report.html"),
) -> None:
    """Write the ELT's screening report for a period from the history store."""
    from narrative_qa.reporting.render import REPORT_FORMATS, require_stored, write_report

    try:
        check_file_target(out, REPORT_FORMATS)
        history = open_history(db)
        require_stored(history, period, "; run 'narrative-qa ingest' first")
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
    from narrative_qa.reporting.render import require_stored, write_feedback_files

    try:
        history = open_history(db)
        require_stored(history, period)
        files = write_feedback_files(history, period, out)
    except NarrativeQAError as error:
        fail(error)
    console = stderr()
    say(console, f"Written {len(files.written)} files to {out}")
    if files.replaced:
        say(console, f"Replaced {len(files.replaced)} existing files: "
            + ", ".join(p.name for p in files.replaced), "yellow")
