"""`narrative-qa rules` lists the catalogue; `rules explain NQ04` documents one finding.
With --config, both show the catalogue as those settings make it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from narrative_qa.catalogue import configured_catalogue
from narrative_qa.cli.common import fail, make_console, settings_from
from narrative_qa.errors import ConfigError, NarrativeQAError
from narrative_qa.output.terminal import print_rule, print_rules

app = typer.Typer(help="The findings narrative_qa checks.", invoke_without_command=True)

ConfigOption = Annotated[Path | None, typer.Option(
    help="Settings file (TOML): show the findings as these settings make them.")]


@app.callback()
def list_rules(ctx: typer.Context, config: ConfigOption = None) -> None:
    """List the findings catalogue."""
    if ctx.invoked_subcommand is None:
        try:
            print_rules(configured_catalogue(settings_from(config)), make_console())
        except NarrativeQAError as error:
            fail(error)
    else:
        ctx.obj = config


@app.command()
def explain(ctx: typer.Context,
            code: Annotated[str, typer.Argument(help="A finding code, e.g. NQ04.")],
            config: ConfigOption = None) -> None:
    """Show a finding's documentation and its pass/fail examples."""
    try:
        rules = configured_catalogue(settings_from(config or ctx.obj))
        found = [rule for rule in rules if rule.code == code.strip().upper()]
        if not found:
            # The user typed a code that does not exist: nothing is wrong with a rule file.
            raise ConfigError("NQE024", f"there is no finding '{code}'; the findings are "
                              f"{', '.join(rule.code for rule in rules)}")
        print_rule(found[0], make_console())
    except NarrativeQAError as error:
        fail(error)
