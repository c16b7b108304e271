"""Sign in, sign out and the home page.

Signing in replaces the anonymous session (which carried the login form's CSRF token)
with a new one, so a session id known before sign-in is worthless after it. Failed
attempts are counted in the database per user name and per client address.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from narrative_qa.store.accounts import pair_key
from narrative_qa.web.fields import form_text
from narrative_qa.web.render import render
from narrative_qa.web.security import (
    COOKIE,
    State,
    WebError,
    client_address,
    current_session,
    set_session_cookie,
)

router = APIRouter()
HOME = {"officer": "/selfcheck", "reviewer": "/screening", "admin": "/admin/users"}


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a scheme) is followed after sign-in."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _login_page(request: Request, state, next_path: str, error: WebError | None = None,
                username: str = "", signed_out: bool = False) -> Response:
    """The form, with a fresh anonymous session (and CSRF token) when there is none."""
    session = current_session(request)
    secret = None
    if session is None:
        secret, session = state.accounts.start_session(None)
        request.state.nq_session = session
    context = {"next": _safe_next(next_path), "username": username, "error": None,
               "signed_out": signed_out}
    if error is not None:
        context["error"] = {"code": error.code, "message": error.message}
    response = render(request, "login.html", context, status=error.status if error else 200)
    if secret:
        set_session_cookie(response, request, secret)
    return response


@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    session = current_session(request)
    if session is None or session.user is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(HOME.get(session.user.role, "/login"), status_code=303)


@router.get("/login", include_in_schema=False)
def login_form(request: Request, state: State, next: str = "/",
               signed_out: str = "") -> Response:
    session = current_session(request)
    if session is not None and session.user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, state, next, signed_out=bool(signed_out))


@router.post("/login", include_in_schema=False)
def login(request: Request, state: State, username: Annotated[str, form_text("username")] = "",
          password: Annotated[str, form_text("password")] = "",
          next: Annotated[str, form_text("next")] = "/") -> Response:
    web, accounts = state.web, state.accounts
    client = client_address(request, web)
    if not username.strip() or not password:
        return _login_page(request, state, next, WebError(
            422, "NQE106", "give your user name and your password"), username)
    blocked = _blocked(state, username, client)
    if blocked:
        return _login_page(request, state, next, blocked, username)
    user = accounts.verify(username, password)
    if user is None:
        accounts.record_failure(username, client)
        return _login_page(request, state, next, WebError(
            401, "NQE101", "the user name or password is not right, or the account is "
            "disabled"), username)
    accounts.clear_failures(username, web.login_window_seconds)
    accounts.end_session(request.cookies.get(COOKIE))
    secret, session = accounts.start_session(user)
    request.state.nq_session = session
    target = _safe_next(next)
    response = RedirectResponse(HOME.get(user.role, "/") if target == "/" else target,
                                status_code=303)
    set_session_cookie(response, request, secret)
    return response


def _blocked(state, username: str, client: str) -> WebError | None:
    """Paused: the client, after too many failures from it (checked first); the user name
    from this client; the user name from everywhere, at a much higher count. So a stranger
    cannot lock an officer out with a few wrong passwords, and an admin can unlock."""
    web, accounts = state.web, state.accounts
    window = web.login_window_seconds
    if (accounts.failures("client", client, window) >= web.login_max_per_client
            or accounts.failures("pair", pair_key(username, client), window)
            >= web.login_max_per_user
            or accounts.failures("user", username.strip().casefold(), window)
            >= web.login_max_per_user_total):
        minutes = math.ceil(window / 60)
        return WebError(429, "NQE102", f"sign-in is paused after repeated failures; try again "
                        f"in up to {minutes} minutes")
    return None


@router.post("/logout", include_in_schema=False)
def logout(request: Request, state: State) -> Response:
    state.accounts.end_session(request.cookies.get(COOKIE))
    response = RedirectResponse("/login?signed_out=1", status_code=303)  # drafts cleared
    response.delete_cookie(COOKIE, path="/")
    return response
