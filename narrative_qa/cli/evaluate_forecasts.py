"""`narrative-qa evaluate-forecasts`: forecast extraction against people's labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from narrative_qa.cli.common import Format, fail, make_console, say, stderr
from narrative_qa.errors import NarrativeQAError


def _shown(value: float | None, interval: tuple[float, float] | None) -> str:
    if value is None:
        return "–"
    bounds = f" [{interval[0]:.2f}–{interval[1]:.2f}]" if interval else ""
    return f"{value:.2f}{bounds}"


def evaluate_forecasts_command(
    labels: Annotated[Path | None, typer.Option(help="The forecast labels (JSONL); default "
                                                "corpus/forecast_labels.jsonl.")] = None,
    split: Annotated[str, typer.Option(help="train, dev, test, select (the selection set) "
                                       "or all. Choose and tune on train and dev only."
                                       )] = "dev",
    corpus: Annotated[Path | None, typer.Option(help="The real corpus (default "
                                                "../shared/corpus/real.jsonl).")] = None,
    output_format: Annotated[Format, typer.Option("--format", help="text or json.")
                             ] = Format.text,
    resamples: Annotated[int, typer.Option(min=1, help="Bootstrap resamples.")] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap resamples.")] = 0,
) -> None:
    """Forecast extraction: precision and recall (same sentence, same 'what') and due-period
    accuracy on the matches, overall and per family, with 95% bootstrap intervals."""
    from narrative_qa.errors import InputError, Location
    from narrative_qa.forecasts.evaluate import LABELS, METRICS, SPLITS, Section, run

    try:
        if split not in (*SPLITS, "all"):
            raise InputError("NQE024", f"--split '{split}' is not one of: {', '.join(SPLITS)}, all",
                             Location(column="--split"))
        report = run(labels or LABELS, None if split == "all" else split, corpus,
                     resamples, seed)
    except NarrativeQAError as error:
        fail(error)
    for notice in report.notices:
        say(stderr(), notice.render(), "yellow")
    if output_format is Format.json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
        return
    console = make_console()
    say(console, f"Forecast extraction, split {split} (95% bootstrap intervals over records)")
    say(console, f"{'section':<12} {'records':>7} {'labelled':>8} {'found':>6} "
        f"{'precision':<19} {'recall':<19} {'due right':<19}")
    def row(s: Section) -> None:
        shown = [_shown(s.scores[m], s.intervals[m]) for m in METRICS]
        say(console, f"{s.name:<12} {s.records:>7} {s.counts.labelled:>8} "
            f"{s.counts.predicted:>6} " + " ".join(f"{text:<19}" for text in shown))

    for s in report.sections:
        row(s)
    if report.ceiling:
        say(console, "The ceiling: each labeller's own labels against the final ones")
    for s in report.ceiling:
        row(s)
