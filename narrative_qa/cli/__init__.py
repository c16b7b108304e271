"""The `narrative-qa` command: thin typer commands over narrative_qa.api."""

from __future__ import annotations

import atexit
import os
import sys
import threading

import typer

from narrative_qa.cli import (
    check,
    evaluate,
    evaluate_forecasts,
    forecasts,
    ingest,
    periods,
    report,
    review,
    rules,
    score,
    serve,
    train,
    users,
)

app = typer.Typer(
    help="Scores Quarterly Performance Report narrative against the ELT review findings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("check")(check.check)
app.command("score")(score.score)
app.command("evaluate")(evaluate.evaluate_command)
app.command("evaluate-forecasts")(evaluate_forecasts.evaluate_forecasts_command)
app.command("train")(train.train_command)
app.command("ingest")(ingest.ingest)
app.command("report")(report.report)
app.command("feedback")(report.feedback)
app.command("forecasts")(forecasts.forecasts)
app.add_typer(review.app, name="review")
app.add_typer(rules.app, name="rules")
app.command("serve")(serve.serve)
app.add_typer(users.app, name="users")
app.add_typer(periods.app, name="periods")


def main() -> None:
    try:
        app()
    except SystemExit as done:
        if isinstance(done.code, int | None):
            _end(done.code or 0)
        raise


def _end(status: int) -> None:
    """End the process without tearing the interpreter down. By now every output is written
    and closed; the teardown only frees objects one at a time (a scored quarter's, spaCy's,
    ONNX Runtime's): about 0.25 s on one core at the end of a cold `score`, nearly a fifth
    of a cold `check`. The exit handlers still run (temporary folders, logging, child
    processes) and the standard streams are flushed, as at a normal exit. While another
    thread of ours is running (the web server's workers), the normal exit waits for it; a
    model still loading on a thread (preload.py) is waited for by the exit handlers."""
    from narrative_qa.language import preload

    if threading.active_count() - preload.running() > 1:
        raise SystemExit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: Python's own exit gives 120
            status = status or 120
    os._exit(status)
