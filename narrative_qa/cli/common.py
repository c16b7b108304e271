"""Options and error handling shared by the commands."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console

from narrative_qa.config import Settings, load_settings
from narrative_qa.errors import NarrativeQAError


class Severity(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


class Format(StrEnum):
    text = "text"
    json = "json"


def stderr() -> Console:
    return Console(stderr=True, highlight=False)


def settings_from(config: Path | None) -> Settings:
    return load_settings(config)


def fail(error: NarrativeQAError) -> None:
    stderr().print(f"[red]{error.render()}[/red]", markup=True, highlight=False)
    raise typer.Exit(2)


def stdin_is_tty() -> bool:
    return sys.stdin.isatty()
