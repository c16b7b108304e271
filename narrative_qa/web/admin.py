"""Admin pages: the accounts (managed with `narrative-qa users`), the API tokens and the
periods open for officers' submissions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from narrative_qa.store import windows
from narrative_qa.web.accounts import User
from narrative_qa.web.render import render
from narrative_qa.web.security import RowId, State, WebError, require_role

router = APIRouter(prefix="/admin", dependencies=[Depends(require_role("admin"))],
                   include_in_schema=False)
Admin = Annotated[User, Depends(require_role("admin"))]


@router.get("/users")
def users(request: Request, state: State) -> Response:
    return render(request, "admin_users.html", {"users": state.accounts.list_users(),
                                                "tokens": state.accounts.list_tokens(),
                                                "new_token": None, "notice": None})


@router.post("/tokens")
def issue_token(request: Request, state: State, admin: Admin,
                username: Annotated[str, Form(min_length=1, max_length=100)],
                label: Annotated[str, Form(max_length=200)] = "") -> Response:
    token = state.accounts.issue_token(username, label)
    return render(request, "admin_users.html", {"users": state.accounts.list_users(),
                                                "tokens": state.accounts.list_tokens(),
                                                "new_token": token, "notice": None})


@router.post("/users/unlock")
def unlock(request: Request, state: State,
           username: Annotated[str, Form(min_length=1, max_length=100)]) -> Response:
    """Lift a sign-in pause after failed attempts (the officer phoned the service desk)."""
    found = state.accounts.require_user(username)
    state.accounts.unlock(found.username)
    return render(request, "admin_users.html", {"users": state.accounts.list_users(),
                                                "tokens": state.accounts.list_tokens(),
                                                "new_token": None,
                                                "notice": f"Sign-in unlocked for "
                                                          f"{found.username}."})


@router.post("/tokens/{token_id}/revoke")
def revoke_token(request: Request, state: State, token_id: RowId) -> Response:
    if not state.accounts.revoke_token(token_id):
        raise WebError(404, "NQE024", f"there is no live token {token_id} (it may have been "
                       "revoked already); nothing was changed", "token_id")
    return render(request, "admin_users.html", {"users": state.accounts.list_users(),
                                                "tokens": state.accounts.list_tokens(),
                                                "new_token": None, "notice": None})


@router.get("/periods")
def periods(request: Request, state: State) -> Response:
    """The periods opened for submissions, and the form that opens or closes one."""
    return render(request, "admin_periods.html", {"windows": windows.windows(state.history),
                                                  "stored": state.history.periods()})


@router.post("/periods")
def change_period(state: State, admin: Admin,
                  period: Annotated[str, Form(min_length=1, max_length=50)],
                  action: Annotated[str, Form(pattern="^(open|close)$")]) -> Response:
    by = admin.display_name or admin.username
    if action == "open":
        windows.open_period(state.history, period, by)
    else:
        windows.close_period(state.history, period, by)
    return RedirectResponse("/admin/periods", status_code=303)
