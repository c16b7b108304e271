"""`narrative-qa score`: a whole quarter, written to .jsonl/.json/.csv/.xlsx."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from narrative_qa.api import exit_code, score_file
from narrative_qa.cli.common import (
    DbOption,
    Severity,
    fail,
    history_if_any,
    say,
    settings_from,
    stderr,
)
from narrative_qa.errors import NarrativeQAError
from narrative_qa.output.files import check_out_path
from narrative_qa.output.terminal import print_summary


def score(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="The quarter's export: "
                                               ".csv, .xlsx, .json or .jsonl.")],
    previous: Annotated[Path | None, typer.Option(help="Last quarter's export, joined by "
                                                  "kpi_id for previous actual and narrative.")
                        ] = None,
    out: Annotated[Path | None, typer.Option(help="Where to write the results; the format "
                                             "follows the extension.")] = None,
    sheet: Annotated[str | None, typer.Option(help="Sheet to read from an .xlsx file "
                                              "(default: the first).")] = None,
    map_: Annotated[list[str] | None, typer.Option("--map", help="HEADER=field for a column "
                                                   "the reader does not recognise.")] = None,
    fail_on: Annotated[Severity | None, typer.Option(help="Exit 1 if a finding is at or "
                                                     "above this severity.")] = None,
    config: Annotated[Path | None, typer.Option(help="Settings file (TOML).")] = None,
    quiet: Annotated[bool, typer.Option(help="No progress bar or summary.")] = False,
    db: DbOption = None,
) -> None:
    """Score every submission in a quarter's export and write the findings."""
    console = stderr()
    bar = Progress(TextColumn("Scoring"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=console, transient=True,
                   disable=quiet or not console.is_terminal)
    try:
        if out is not None:
            _check_out(out, input_path, previous)
        settings = settings_from(config)
        if out is not None and out.exists() and not quiet:
            say(console, f"Replacing the existing {out}")
        with bar:
            task = bar.add_task("score", total=None)
            result = score_file(
                input_path, previous, out, sheet=sheet, map_options=map_, settings=settings,
                history=history_if_any(db),
                progress=lambda n: bar.advance(task, n),
                on_start=lambda total: bar.update(task, total=total),
            )
    except NarrativeQAError as error:
        fail(error)
    if not quiet:
        print_summary(result.assessments, result.notices, stderr(),
                      str(out) if out else None)
    if out is None:
        import json

        for assessment in result.assessments:
            typer.echo(json.dumps(assessment.to_record(), ensure_ascii=False))
    raise typer.Exit(exit_code(result.assessments, fail_on.value if fail_on else None,
                               result.row_problems))


def _check_out(out: Path, input_path: Path, previous: Path | None) -> None:
    """Refuse an unusable --out before anything is read or scored. A missing input is
    left to the reader, which says so (NQE001)."""
    if input_path.exists():
        check_out_path(out, [input_path, previous])
