"""`narrative-qa evaluate`: per-finding precision, recall and F1 against labels, with
bootstrap intervals, the baselines and the labellers' agreement, by origin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from narrative_qa.cli.common import Format, fail, make_console, say, settings_from
from narrative_qa.confidence import never_claimed_codes
from narrative_qa.errors import InputError, Location, NarrativeQAError
from narrative_qa.measure.evaluation import (
    BUNDLED_CORPUS,
    CLAIMED,
    RESAMPLES,
    SEED,
    Agreement,
    Mistake,
    Report,
    Section,
    evaluate,
)
from narrative_qa.measure.metrics import Intervals, Scores
from narrative_qa.measure.out_of_fold import check_out_of_fold
from narrative_qa.measure.real_labels import SpanAgreement
from narrative_qa.real_corpus import LABELS_FILE, SHARED_ENV, corpus_available, shared_corpus_path

WIDE = 160  # a table piped to a file or a script is never squeezed into 80 columns


def evaluate_command(
    labelled: Annotated[list[Path] | None, typer.Argument(
        metavar="[LABELLED.jsonl...]", help="Files of submissions with a 'labels' object "
        "(finding code -> 0/1); see corpus/README.md for the full record format. Without "
        "files: the real corpus, then the bundled written corpus.", show_default=False)
    ] = None,
    split: Annotated[str | None, typer.Option(help="Only records of this split "
                                              "(train, dev, test, or select: the selection set)."
                                              )] = None,
    output_format: Annotated[Format, typer.Option("--format", help="text or json.")
                             ] = Format.text,
    baselines: Annotated[bool, typer.Option(help="Also score the keyword and TF-IDF "
                                            "baselines.")] = True,
    errors: Annotated[bool, typer.Option("--errors", help="List narrative_qa's false "
                                         "positives and negatives (train or dev only).")
                      ] = False,
    resamples: Annotated[int, typer.Option(min=1, help="Bootstrap resamples of the records."
                                           )] = RESAMPLES,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap resamples.")] = SEED,
    config: Annotated[Path | None, typer.Option(help="Settings file (TOML).")] = None,
    real: Annotated[bool | None, typer.Option(
        "--real/--no-real", help="Join ../shared/corpus/real.jsonl with its labels "
        "(corpus/real_labels.jsonl) and report real text first. Default: on when no files "
        "are given.", show_default=False)] = None,
    real_labels: Annotated[Path, typer.Option(help="The real corpus's labels file.")
                           ] = LABELS_FILE,
    out_of_fold: Annotated[bool, typer.Option("--out-of-fold", help="With --split train: "
                           "read each real train record with sentence readers fitted on the "
                           "other organisation folds (five reader sets are fitted: slower).")
                           ] = False,
) -> None:
    """Score labelled submissions: precision, recall and F1 per finding with 95% intervals,
    the baselines, and the labellers' agreement as the ceiling."""
    files = list(labelled or [])
    if out_of_fold:
        try:
            check_out_of_fold(split)
        except NarrativeQAError as error:
            fail(error)
    use_real = not files if real is None else real
    if not files:
        files = [BUNDLED_CORPUS]
    if use_real and not corpus_available():
        if real or out_of_fold:
            fail(InputError("NQE001", "the real corpus was not found: put the shared folder "
                            f"beside the project or set {SHARED_ENV}",
                            Location(str(shared_corpus_path()))))
        say(make_console(stderr=True), f"The real corpus is not at {shared_corpus_path()}: "
            "only the written corpus is evaluated.")
        use_real = False
    try:
        report = evaluate(files, split, settings_from(config), baselines=baselines,
                          resamples=resamples, seed=seed, errors=errors, real=use_real,
                          real_labels=real_labels, out_of_fold=out_of_fold)
    except NarrativeQAError as error:
        fail(error)
    if output_format is Format.json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        console = make_console()
        if not console.is_terminal:
            console.width = WIDE
        print_report(report, console)


def _cell(value: float, interval: tuple[float, float] | None) -> str:
    if interval is None:
        return f"{value:.2f}"
    return f"{value:.2f} ({interval[0]:.2f}-{interval[1]:.2f})"


def _metric(scores: Scores, intervals: Intervals | None, code: str, metric: str) -> str:
    return _cell(getattr(scores, metric),
                 None if intervals is None else intervals.per_code[code][metric])


def print_report(report: Report, console: Console) -> None:
    for section in report.sections.values():
        print_section(section, report.split, console)
        if section.agreement is not None:
            print_agreement(section.agreement, section.name, console)
        if section.spans is not None and section.name == "real":
            print_span_agreement(section.spans, console)
    console.print(Text(f"95% intervals: {report.resamples} bootstrap resamples of the records, "
                       f"seed {report.seed}."))
    if report.mistakes is not None:
        print_mistakes(report.mistakes, report.split, console)


def _title(section: Section, split: str | None) -> str:
    what = ("real and written" if section.name == "both" else
            f"real ({section.name.removeprefix('real: ')})" if section.name.startswith("real: ")
            else section.name)
    return f"{section.n} {what} submissions" + (f", {split} split" if split else "")


def print_section(section: Section, split: str | None, console: Console) -> None:
    claimed = [CLAIMED] if CLAIMED in section.systems else []
    others = [name for name in section.systems if name not in ("narrative_qa", CLAIMED)]
    table = Table(title=_title(section, split))
    for column in ("finding", "positives", "precision", "recall", "F1",
                   *[f"{c} precision" for c in claimed], *[f"F1 {o}" for o in claimed + others]):
        table.add_column(column, justify="left" if column == "finding" else "right")
    main, main_ci = section.systems["narrative_qa"], section.intervals.get("narrative_qa")
    never = never_claimed_codes()
    for code, s in main.items():
        label = f"{code} (only worth a look)" if code in never else code
        table.add_row(label, str(s.tp + s.fn),
                      *[_metric(s, main_ci, code, m) for m in ("precision", "recall", "f1")],
                      *[_metric(section.systems[c][code], section.intervals.get(c), code,
                                "precision") for c in claimed],
                      *[_metric(section.systems[o][code], section.intervals.get(o), code, "f1")
                        for o in claimed + others])
    macro = {name: _cell(section.macro_f1(name), section.intervals[name].macro_f1
                         if name in section.intervals else None)
             for name in ("narrative_qa", *claimed, *others)}
    table.add_row("macro", "", "", "", macro["narrative_qa"], *[""] * len(claimed),
                  *[macro[name] for name in (*claimed, *others)], style="bold")
    console.print(table)
    if claimed:
        console.print(Text("'claimed': the findings shown as findings, not as only worth a "
                           "look (calibrated confidence at or above the finding's claim "
                           "threshold, models/confidence.json)."))


def print_agreement(agreement: Agreement, origin: str, console: Console) -> None:
    systems = list(agreement.systems)
    table = Table(title=f"The ceiling: two labellers' agreement on {agreement.n} "
                        f"double-labelled {origin} submissions")
    for column in ("finding", "kappa A-B", *[f"F1 {s}" for s in systems]):
        table.add_column(column, justify="left" if column == "finding" else "right")
    for code, kappa in agreement.kappa.items():
        table.add_row(code, "n/a" if kappa is None else f"{kappa:.2f}",
                      *[_metric(agreement.systems[s][code], agreement.intervals[s], code, "f1")
                        for s in systems])
    defined = [k for k in agreement.kappa.values() if k is not None]
    table.add_row("macro", f"{sum(defined) / len(defined):.2f}" if defined else "n/a",
                  *[_cell(agreement.macro_f1(s), agreement.intervals[s].macro_f1)
                    for s in systems], style="bold")
    console.print(table)
    labellers = [s for s in systems if s != "narrative_qa"]
    console.print(Text(
        "Labellers' F1 against the adjudicated labels: "
        + ", ".join(f"{s} {agreement.macro_f1(s):.2f}" for s in labellers)
        + f"; narrative_qa {agreement.macro_f1('narrative_qa'):.2f} on the same records."))


def print_span_agreement(spans: SpanAgreement, console: Console) -> None:
    table = Table(title=f"Sentence tags: two labellers' agreement on {spans.sentences} "
                        "sentences")
    for column in ("tag", "sentences tagged", "kappa A-B"):
        table.add_column(column, justify="left" if column == "tag" else "right")
    for tag, kappa in spans.kappa.items():
        table.add_row(tag, str(spans.positives[tag]), "n/a" if kappa is None else f"{kappa:.2f}")
    console.print(table)
    console.print(Text(f"Action-KPI pairs rated by both labellers: {spans.pairs}; kappa on "
                       + ", ".join(f"{k} {'n/a' if v is None else f'{v:.2f}'}"
                                   for k, v in spans.pair_kappa.items()) + "."))


def print_mistakes(found: list[Mistake], split: str | None, console: Console) -> None:
    console.print(Text(f"{len(found)} errors of narrative_qa on the {split} split", style="bold"))
    for m in found:
        say(console, f"{m.record} ({m.origin}) {m.code} {m.kind}: {m.kpi or ''}")
        for quote in m.quoted or ["(nothing quoted)"]:
            say(console, f"  narrative_qa quoted: {quote}")
        if m.kind == "false positive":
            say(console, f"  gold: {m.code} labelled 0")
        for sentence in m.gold or ([] if m.kind == "false positive"
                                   else ["(no sentence-level labels)"]):
            say(console, f"  gold sentence: {sentence}")
        if m.rationale:
            say(console, f"  rationale: {m.rationale}")
