"""`narrative-qa rules` lists the catalogue; `rules explain NQ04` documents one finding."""

from __future__ import annotations

from typing import Annotated

import typer

from narrative_qa.catalogue import get_rule, load_catalogue
from narrative_qa.cli.common import fail, make_console
from narrative_qa.errors import ConfigError, NarrativeQAError
from narrative_qa.output.terminal import print_rule, print_rules

app = typer.Typer(help="The findings narrative_qa checks.", invoke_without_command=True)


@app.callback()
def list_rules(ctx: typer.Context) -> None:
    """List the findings catalogue."""
    if ctx.invoked_subcommand is None:
        try:
            print_rules(load_catalogue(), make_console())
        except NarrativeQAError as error:
            fail(error)


@app.command()
def explain(code: Annotated[str, typer.Argument(help="A finding code, e.g. NQ04.")]) -> None:
    """Show a finding's documentation and its pass/fail examples."""
    try:
        codes = [rule.code for rule in load_catalogue()]
        if code.strip().upper() not in codes:
            # The user typed a code that does not exist: nothing is wrong with a rule file.
            raise ConfigError("NQE024", f"there is no finding '{code}'; the findings are "
                              f"{', '.join(codes)}")
        print_rule(get_rule(code.strip()), make_console())
    except NarrativeQAError as error:
        fail(error)
