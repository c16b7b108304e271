"""`narrative-qa check`: one draft, feedback in the terminal (or JSON)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from narrative_qa.api import check_draft, exit_code
from narrative_qa.cli.common import (
    DbOption,
    Format,
    Severity,
    fail,
    history_if_any,
    make_console,
    say,
    settings_from,
    stderr,
    stdin_is_tty,
)
from narrative_qa.config import Settings
from narrative_qa.errors import InputError, Location, NarrativeQAError
from narrative_qa.output.rewrites import checked_record
from narrative_qa.output.terminal import print_assessment
from narrative_qa.reading import word
from narrative_qa.reading.archive import ReadLimits, require_regular_file
from narrative_qa.reading.tables import decode_bytes


def _read_text(source: str, settings: Settings) -> str:
    """The draft from a text or Word file, or standard input, decoded as input files are
    (UTF-8, UTF-16, Windows-1252). Reading stops past the narrative limit, so a link to
    /dev/zero or an endless pipe cannot fill the memory."""
    limit = settings.max_narrative_chars * 4 + 4  # bytes: up to 4 per character in UTF-8
    if source == "-":
        if stdin_is_tty():  # a person at the keyboard: say what the command is waiting for
            say(stderr(), "Type or paste the draft narrative, then press Ctrl-D on a new line "
                "(Ctrl-Z then Enter on Windows). To check a file: narrative-qa check FILE.",
                "bold")
        return _decoded(sys.stdin.buffer.read(limit + 1), "<stdin>", limit, settings)
    path = Path(source)
    require_regular_file(path)
    if path.is_dir():
        raise InputError("NQE053", "this is a folder, not a file", Location(source))
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError("NQE003", f"cannot open ({exc.strerror})", Location(source)) from exc
    if word.is_docx(path.name, data):
        if path.stat().st_size > limit:  # the zip's directory is at its end
            with path.open("rb") as handle:
                data = handle.read()
        return word.docx_text(source, data, ReadLimits.of(settings),
                              settings.max_narrative_chars)
    return _decoded(data, source, limit, settings)


def _decoded(data: bytes, name: str, limit: int, settings: Settings) -> str:
    if len(data) > limit:
        raise InputError("NQE021", f"the draft is over the limit of "
                         f"{settings.max_narrative_chars:,} characters; it was not read "
                         "further", Location(name))
    return decode_bytes(data)


def _due_forecasts(assessment) -> list:
    """The forecasts of this KPI falling due in the draft's period (from the store), checked
    against the draft's actual and narrative: shown beside the draft (issue 19)."""
    from narrative_qa.forecasts.evidence import checked_due_for

    return checked_due_for(assessment.submission)


def check(
    file: Annotated[str, typer.Argument(help="Text file with the draft narrative, or - for "
                                        "standard input.")] = "-",
    kpi_name: Annotated[str | None, typer.Option(help="The KPI as published.")] = None,
    target: Annotated[str | None, typer.Option(help="Target, e.g. 60 or 60%.")] = None,
    actual: Annotated[str | None, typer.Option(help="This period's value.")] = None,
    previous_actual: Annotated[str | None, typer.Option(help="Last period's value.")] = None,
    unit: Annotated[str | None, typer.Option(help="%, count, days, weeks, rate …")] = None,
    polarity: Annotated[str | None, typer.Option(help="up (higher is better) or down.")] = None,
    rag: Annotated[str | None, typer.Option(help="The RAG you intend to report.")] = None,
    period: Annotated[str | None, typer.Option(help="Reporting period, e.g. '2025/26 Q2'.")
                      ] = None,
    previous: Annotated[Path | None, typer.Option(help="Text file with last period's "
                                                  "narrative.")] = None,
    output_format: Annotated[Format, typer.Option("--format", help="text or json.")
                             ] = Format.text,
    fail_on: Annotated[Severity | None, typer.Option(help="Exit 1 if a finding is at or "
                                                     "above this severity.")] = None,
    config: Annotated[Path | None, typer.Option(help="Settings file (TOML).")] = None,
    kpi_id: Annotated[str | None, typer.Option(help="KPI reference, to find last period's "
                                               "narrative in the history store.")] = None,
    db: DbOption = None,
) -> None:
    """Check one draft narrative and print feedback grouped by severity."""
    try:
        settings = settings_from(config)
        narrative = _read_text(file, settings)
        previous_text = _read_text(str(previous), settings) if previous else None
        history = history_if_any(db) if kpi_id and period else None
        assessment = check_draft(
            narrative, settings, history=history, kpi_id=kpi_id, kpi_name=kpi_name,
            target=target, actual=actual,
            previous_actual=previous_actual, unit=unit, polarity=polarity, stated_rag=rag,
            period=period, previous_narrative=previous_text,
        )
    except NarrativeQAError as error:
        fail(error)
    due = _due_forecasts(assessment)
    if output_format is Format.json:
        record = checked_record(assessment)
        if due:
            record["forecasts_due"] = [c.to_dict() for c in due]
        typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        console = make_console()
        if due:
            say(console, f"Forecasts falling due in {period}:", "bold")
            for checked in due:
                say(console, f"  [{checked.status}] {checked.quote}")
                say(console, f"    \"{checked.forecast.sentence}\"")
        print_assessment(assessment, console)
    code = exit_code([assessment], fail_on.value if fail_on else None,
                     assessment.submission.problems)
    raise typer.Exit(code)
