"""`narrative-qa users add|list|disable|enable|passwd`: the web app's accounts.

A password is typed at a prompt (twice) or read from standard input with
--password-stdin; it is never a command-line argument, so it stays out of shell history.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from narrative_qa.cli.common import DbOption, fail, make_console, open_history, say, stderr
from narrative_qa.errors import NarrativeQAError

app = typer.Typer(help="Web app accounts: officers, reviewers and admins.",
                  no_args_is_help=True)
PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from the first line of standard input.")]


class Role(StrEnum):
    officer = "officer"
    reviewer = "reviewer"
    admin = "admin"


def _accounts(db: str | None):
    from narrative_qa.store.accounts import Accounts

    return Accounts.of(open_history(db))


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password (10 characters or more)", hide_input=True,
                        confirmation_prompt=True)


@app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: Annotated[Role, typer.Option(help="officer, reviewer or admin.")],
    name: Annotated[str, typer.Option(help="The person's name as shown.")] = "",
    owner: Annotated[str | None, typer.Option(help="Officers: the KPI owner name their "
                                              "KPIs carry in the QPR.")] = None,
    service: Annotated[list[str] | None, typer.Option(help="Reviewers: a service they "
                                                      "review (repeat for more).")] = None,
    password_stdin: PasswordStdin = False,
    db: DbOption = None,
) -> None:
    """Add an account."""
    try:
        accounts = _accounts(db)
        user = accounts.add_user(username, _password(password_stdin), role.value,
                                 display_name=name, owner_name=owner or (
                                     name if role is Role.officer else None),
                                 services=service)
    except NarrativeQAError as error:
        fail(error)
    say(stderr(), f"Added {user.role} '{user.username}'.")


@app.command("list")
def list_users(db: DbOption = None) -> None:
    """List the accounts."""
    try:
        users = _accounts(db).list_users()
    except NarrativeQAError as error:
        fail(error)
    console = make_console()
    for user in users:
        status = "disabled" if user.disabled else "active"
        extra = user.owner_name or ", ".join(user.services)
        say(console, f"{user.username}\t{user.role}\t{status}\t{user.display_name}\t{extra}")


@app.command("disable")
def disable(username: Annotated[str, typer.Argument()], db: DbOption = None) -> None:
    """Disable an account: signed out everywhere, its API tokens revoked."""
    try:
        _accounts(db).set_disabled(username, True)
    except NarrativeQAError as error:
        fail(error)
    say(stderr(), f"Disabled '{username}'.")


@app.command("unlock")
def unlock(username: Annotated[str, typer.Argument()], db: DbOption = None) -> None:
    """Lift a pause on signing in after failed attempts (from every address)."""
    try:
        accounts = _accounts(db)
        accounts.require_user(username)
        accounts.unlock(username)
    except NarrativeQAError as error:
        fail(error)
    say(stderr(), f"Unlocked '{username}'.")


@app.command("enable")
def enable(username: Annotated[str, typer.Argument()], db: DbOption = None) -> None:
    """Enable a disabled account again."""
    try:
        _accounts(db).set_disabled(username, False)
    except NarrativeQAError as error:
        fail(error)
    say(stderr(), f"Enabled '{username}'.")


@app.command("passwd")
def passwd(username: Annotated[str, typer.Argument()], password_stdin: PasswordStdin = False,
           db: DbOption = None) -> None:
    """Set a new password (the account's sessions end)."""
    try:
        accounts = _accounts(db)
        accounts.require_user(username)
        accounts.set_password(username, _password(password_stdin))
    except NarrativeQAError as error:
        fail(error)
    say(stderr(), f"Password changed for '{username}'.")
