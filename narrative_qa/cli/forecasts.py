"""`narrative-qa forecasts`: the forecasts falling due in a period, checked, and those it made."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from narrative_qa.cli.common import DbOption, PeriodOption, fail, open_history, say, stderr
from narrative_qa.errors import InputError, Location, NarrativeQAError


class ListFormat(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def forecasts(
    period: PeriodOption,
    db: DbOption = None,
    format_: Annotated[ListFormat, typer.Option("--format", help="json, csv or xlsx.")] = (
        ListFormat.json),
    out: Annotated[Path | None, typer.Option(help="Write to this file (needed for xlsx); "
                                             "without it, to the screen.")] = None,
) -> None:
    """List the forecasts due in a period (met, missed, not measurable, to confirm, not
    reported) and those made in it, from the history store."""
    from narrative_qa.forecasts.listing import forecast_rows, rows_text, write_rows
    from narrative_qa.reporting.render import require_stored

    try:
        if format_ is ListFormat.xlsx and out is None:
            raise InputError("NQE013", "--format xlsx needs --out FILE.xlsx",
                             Location(column="--out"))
        history = open_history(db)
        require_stored(history, period, "; run 'narrative-qa ingest' first")
        rows, result = forecast_rows(history, period)
        if out is not None:
            write_rows(rows, format_.value, out)
    except NarrativeQAError as error:
        fail(error)
    console = stderr()
    for notice in result.notices:
        say(console, notice.render(), "yellow")
    if out is None:
        sys.stdout.write(rows_text(rows, format_.value))
    else:
        say(console, f"Written {len(rows)} forecasts to {out}")
