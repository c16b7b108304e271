"""`narrative-qa periods open|close|list`: the periods open for officers' submissions in
the web app (the same windows as its Periods page)."""

from __future__ import annotations

from typing import Annotated

import typer

from narrative_qa.cli.common import DbOption, fail, open_history, say, stderr
from narrative_qa.errors import NarrativeQAError

app = typer.Typer(help="Periods open for officers' submissions in the web app.",
                  no_args_is_help=True)
Period = Annotated[str, typer.Argument(help="The period, such as '2025/26 Q3'.")]
By = Annotated[str, typer.Option("--by", help="Who opens or closes it (kept with it).")]


@app.command("open")
def open_command(period: Period, by: By = "performance team", db: DbOption = None) -> None:
    """Open a period for submissions (reopen it when closed)."""
    from narrative_qa.store import windows

    try:
        window = windows.open_period(open_history(db), period, by)
    except NarrativeQAError as error:
        fail(error)
    say(stderr(), f"Opened {window.period} for submissions.")


@app.command("close")
def close_command(period: Period, by: By = "performance team", db: DbOption = None) -> None:
    """Close a period: no more submissions or withdrawals for it."""
    from narrative_qa.store import windows

    try:
        window = windows.close_period(open_history(db), period, by)
    except NarrativeQAError as error:
        fail(error)
    say(stderr(), f"Closed {window.period}.")


@app.command("list")
def list_command(db: DbOption = None) -> None:
    """Every period ever opened, newest first, and whether it is open."""
    from narrative_qa.store import windows

    try:
        found = windows.windows(open_history(db))
    except NarrativeQAError as error:
        fail(error)
    for window in found:
        typer.echo(f"{window.period}\t{'open' if window.is_open else 'closed'}\t"
                   f"opened {window.opened_at} by {window.opened_by}")
