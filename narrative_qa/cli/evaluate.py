"""`narrative-qa evaluate`: per-finding precision, recall and F1 against labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from narrative_qa.cli.common import Format, fail, settings_from
from narrative_qa.errors import NarrativeQAError
from narrative_qa.evaluation import Report, evaluate
from narrative_qa.gates import low_confidence_codes


def evaluate_command(
    labelled: Annotated[Path, typer.Argument(metavar="LABELLED.jsonl", help="Submissions "
                                             "with a 'labels' object: finding code -> 0/1.")],
    split: Annotated[str | None, typer.Option(help="Only records of this split "
                                              "(train, dev or test).")] = None,
    output_format: Annotated[Format, typer.Option("--format", help="text or json.")
                             ] = Format.text,
    baselines: Annotated[bool, typer.Option(help="Also score the keyword and TF-IDF "
                                            "baselines.")] = True,
    config: Annotated[Path | None, typer.Option(help="Settings file (TOML).")] = None,
) -> None:
    """Score labelled submissions and print precision, recall and F1 per finding."""
    try:
        report = evaluate(labelled, split, settings_from(config), baselines=baselines)
    except NarrativeQAError as error:
        fail(error)
    if output_format is Format.json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        print_report(report, Console(highlight=False))


def print_report(report: Report, console: Console) -> None:
    others = [name for name in report.systems if name != "narrative_qa"]
    table = Table(title=f"{report.n} submissions" + (f", {report.split} split"
                                                      if report.split else ""))
    for column in ("finding", "precision", "recall", "F1", *[f"F1 {o}" for o in others]):
        table.add_column(column, justify="left" if column == "finding" else "right")
    main = report.systems["narrative_qa"]
    low = low_confidence_codes()
    for code in main:
        s = main[code]
        label = f"{code} (low confidence)" if code in low else code
        table.add_row(label, f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}",
                      *[f"{report.systems[o][code].f1:.2f}" for o in others])
    table.add_row("macro", "", "", f"{report.macro_f1('narrative_qa'):.2f}",
                  *[f"{report.macro_f1(o):.2f}" for o in others], style="bold")
    console.print(table)
