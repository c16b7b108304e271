"""The `narrative-qa` command: thin typer commands over narrative_qa.api."""

from __future__ import annotations

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
    app()
