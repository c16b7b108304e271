"""`narrative-qa ingest`: score a quarter and store it in the history store."""

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
    settings_from,
    stderr,
)
from narrative_qa.errors import NarrativeQAError


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
