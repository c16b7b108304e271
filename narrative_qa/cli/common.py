"""Options and error handling shared by the commands."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from narrative_qa.config import Settings, load_settings
from narrative_qa.errors import NarrativeQAError
from narrative_qa.output.terminal import terminal_safe


class Severity(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


class Format(StrEnum):
    text = "text"
    json = "json"


def make_console(*, stderr: bool = False) -> Console:
    """A console that never hard-wraps lines when it is not a terminal, so a script that
    greps the output sees each message on one line whatever the width or the path length."""
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal:
        console.soft_wrap = True
    return console


def stderr() -> Console:
    return make_console(stderr=True)


def say(console: Console, text: str, style: str | None = None) -> None:
    """Print a message that carries user text: never read as markup, control characters
    made visible, and never wrapped (a coded message keeps file, row and column together)."""
    console.print(Text(terminal_safe(text), style=style or ""), soft_wrap=True)


def settings_from(config: Path | None) -> Settings:
    """The settings, with their [findings] checked against the catalogue before any input
    is read (the catalogue is loaded only when the settings configure it)."""
    from narrative_qa.catalogue import configured_catalogue

    settings = load_settings(config)
    configured_catalogue(settings)
    return settings


def fail(error: NarrativeQAError) -> None:
    say(stderr(), error.render(), "red")
    raise typer.Exit(2)


def stdin_is_tty() -> bool:
    return sys.stdin.isatty()


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
    from narrative_qa.store.location import default_path  # no SQLAlchemy unless a store exists

    return open_history(str(default_path())) if default_path().is_file() else None
