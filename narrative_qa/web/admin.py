"""Admin pages: the accounts (managed with `narrative-qa users`), the API tokens and the
periods open for officers' submissions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from narrative_qa.errors import NarrativeQAError
from narrative_qa.store import windows
from narrative_qa.store.accounts import ROLES, User
from narrative_qa.web.fields import form_text
from narrative_qa.web.render import render
from narrative_qa.web.security import RowId, State, WebError, is_https, require_role

router = APIRouter(prefix="/admin", dependencies=[Depends(require_role("admin"))],
                   include_in_schema=False)
Admin = Annotated[User, Depends(require_role("admin"))]


def _users_page(request: Request, state, *, new_token: str | None = None,
                notice: str | None = None, error: NarrativeQAError | None = None) -> Response:
    return render(request, "admin_users.html", {
        "users": state.accounts.list_users(), "tokens": state.accounts.list_tokens(),
        "new_token": new_token, "notice": notice, "roles": ROLES,
        "form_error": {"code": error.code, "message": error.detail,
                       "field": error.location.column} if error else None},
        status=422 if error else 200)


NEW_TOKEN = "nq_new_token"


@router.get("/users")
def users(request: Request, state: State) -> Response:
    shown = request.cookies.get(NEW_TOKEN)
    response = _users_page(request, state, new_token=shown)
    if shown:
        response.delete_cookie(NEW_TOKEN, path="/admin/users")
    return response


Username = Annotated[str, form_text("username")]
Password = Annotated[str, form_text("password")]
Name = Annotated[str, form_text("name")]
Services = Annotated[str, form_text("services")]


@router.post("/users/add")
def add_user(request: Request, state: State, username: Username = "", password: Password = "",
             role: Annotated[str, form_text("choice")] = "", display_name: Name = "",
             owner_name: Name = "", services: Services = "") -> Response:
    """Add an account (as `narrative-qa users add`)."""
    try:
        added = state.accounts.add_user(username, password, role, display_name=display_name,
                                        owner_name=owner_name,
                                        services=services.split(","))
    except NarrativeQAError as error:
        return _users_page(request, state, error=error)
    return _users_page(request, state, notice=f"Added {added.username} ({added.role}).")


@router.post("/users/change")
def change_user(request: Request, state: State, username: Username,
                action: Annotated[str, Form(pattern="^(disable|enable|password|profile)$")],
                password: Password = "", owner_name: Name = "",
                services: Services = "") -> Response:
    """Disable or enable an account, reset its password (its sessions end), or change the
    KPIs an officer owns or the services a reviewer reviews."""
    accounts = state.accounts
    try:
        found = accounts.require_user(username)
        if action in ("disable", "enable"):
            accounts.set_disabled(found.username, action == "disable")
            notice = f"{'Disabled' if action == 'disable' else 'Enabled'} {found.username}."
        elif action == "password":
            accounts.set_password(found.username, password)
            notice = f"Password reset for {found.username}; their sessions have ended."
        else:
            accounts.set_profile(found.username, owner_name=owner_name,
                                 services=services.split(","))
            notice = f"Updated {found.username}."
    except NarrativeQAError as error:
        return _users_page(request, state, error=error)
    return _users_page(request, state, notice=notice)


@router.post("/tokens")
def issue_token(request: Request, state: State, admin: Admin,
                username: Annotated[str, form_text("username", required=True)],
                label: Name = "") -> Response:
    """Issue a token, then redirect (post/redirect/get): reloading the page that shows it
    cannot issue another. The value rides to that page once in a short-lived cookie
    (HttpOnly, SameSite=Strict, this path only), which the page removes as it shows it."""
    token = state.accounts.issue_token(username, label)
    response = RedirectResponse("/admin/users", status_code=303)
    response.set_cookie(NEW_TOKEN, token, max_age=60, path="/admin/users", httponly=True,
                        samesite="strict", secure=is_https(request, state.web))
    return response


@router.post("/users/unlock")
def unlock(request: Request, state: State,
           username: Annotated[str, form_text("username", required=True)]) -> Response:
    """Lift a sign-in pause after failed attempts (the officer phoned the service desk)."""
    found = state.accounts.require_user(username)
    state.accounts.unlock(found.username)
    return _users_page(request, state, notice=f"Sign-in unlocked for {found.username}.")


@router.post("/tokens/{token_id}/revoke")
def revoke_token(request: Request, state: State, token_id: RowId) -> Response:
    if not state.accounts.revoke_token(token_id):
        raise WebError(404, "NQE111", f"there is no live token {token_id} (it may have been "
                       "revoked already); nothing was changed", "token_id")
    return _users_page(request, state)


@router.get("/periods")
def periods(request: Request, state: State) -> Response:
    """The periods opened for submissions, and the form that opens or closes one."""
    return render(request, "admin_periods.html", {"windows": windows.windows(state.history),
                                                  "stored": state.history.periods()})


@router.post("/periods")
def change_period(state: State, admin: Admin,
                  period: Annotated[str, form_text("period", required=True)],
                  action: Annotated[str, Form(pattern="^(open|close)$")]) -> Response:
    by = admin.display_name or admin.username
    if action == "open":
        windows.open_period(state.history, period, by)
    else:
        windows.close_period(state.history, period, by)
    return RedirectResponse("/admin/periods", status_code=303)
