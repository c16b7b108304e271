"""Admin pages: the accounts (managed with `narrative-qa users`) and the API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import Response

from narrative_qa.web.accounts import User
from narrative_qa.web.render import render
from narrative_qa.web.security import State, require_role

router = APIRouter(prefix="/admin", dependencies=[Depends(require_role("admin"))],
                   include_in_schema=False)
Admin = Annotated[User, Depends(require_role("admin"))]


@router.get("/users")
def users(request: Request, state: State) -> Response:
    return render(request, "admin_users.html", {"users": state.accounts.list_users(),
                                                "tokens": state.accounts.list_tokens(),
                                                "new_token": None})


@router.post("/tokens")
def issue_token(request: Request, state: State, admin: Admin,
                username: Annotated[str, Form(min_length=1, max_length=100)],
                label: Annotated[str, Form(max_length=200)] = "") -> Response:
    token = state.accounts.issue_token(username, label)
    return render(request, "admin_users.html", {"users": state.accounts.list_users(),
                                                "tokens": state.accounts.list_tokens(),
                                                "new_token": token})


@router.post("/tokens/{token_id}/revoke")
def revoke_token(request: Request, state: State, token_id: int) -> Response:
    state.accounts.revoke_token(token_id)
    return render(request, "admin_users.html", {"users": state.accounts.list_users(),
                                                "tokens": state.accounts.list_tokens(),
                                                "new_token": None})
