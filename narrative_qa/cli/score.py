"""`narrative-qa score`: a whole quarter, written to .jsonl/.json/.csv/.xlsx."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from narrative_qa.api import score_to_file
from narrative_qa.assessment import Assessment
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
            summary = score_to_file(
                input_path, out, previous, sheet=sheet, map_options=map_,
                settings=settings, history=history_if_any(db),
                progress=lambda n: bar.advance(task, n),
                on_start=lambda total: bar.update(task, total=total),
                on_chunk=None if out is not None else _echo,
            )
    except NarrativeQAError as error:
        fail(error)
    if not quiet:
        print_summary(summary, stderr(), str(out) if out else None)
    raise typer.Exit(summary.exit_code(fail_on.value if fail_on else None))


def _echo(assessments: list[Assessment]) -> None:
    """Without --out, each record goes to standard output as a JSON line once scored."""
    for assessment in assessments:
        typer.echo(json.dumps(assessment.to_record(), ensure_ascii=False))


def _check_out(out: Path, input_path: Path, previous: Path | None) -> None:
    """Refuse an unusable --out before anything is read or scored. A missing input is
    left to the reader, which says so (NQE001)."""
    if input_path.exists():
        check_out_path(out, [input_path, previous])
