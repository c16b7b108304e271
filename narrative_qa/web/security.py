"""Who is asking, and may they: the dependencies every route goes through.

- The session cookie holds only a random id; the session (user, CSRF token, last use)
  lives in the database, so it survives a worker restart and expires when idle.
- CSRF: a synchronizer token tied to the session, checked on every state-changing request
  (form field `csrf_token`, or the `X-CSRF-Token` header htmx sends). It is an app-wide
  dependency, so no route can leave it out. A request carrying an API token in
  `Authorization: Bearer …` and no session cookie is not exposed to CSRF and skips it.
- Roles are dependencies too: routers declare them, and tests/web walk every route.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path, Request, Response

from narrative_qa.config import Settings
from narrative_qa.store.accounts import Accounts, Session, User
from narrative_qa.store.history import History
from narrative_qa.web.settings import WebSettings

COOKIE = "nq_session"
# A stored row's id in a path: a number the database can hold (SQLite and PostgreSQL
# integers end at 2**63 - 1), so a larger one is a coded 422, never a driver error.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1, description="A stored row's id.")]
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass
class AppState:
    history: History
    accounts: Accounts
    settings: Settings
    web: WebSettings
    templates: Any  # starlette Jinja2Templates


class WebError(Exception):
    """A refusal shown as a page, an htmx fragment or JSON, with an NQE code; never a 500."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


class NotSignedIn(WebError):
    def __init__(self, message: str = "you are not signed in, or your session has expired"):
        super().__init__(401, "NQE100", message)


def app_state(request: Request) -> AppState:
    return request.app.state.nq


def get_history(state: Annotated[AppState, Depends(app_state)]) -> History:
    """The history store (one per app; its engine pools connections)."""
    return state.history


def current_session(request: Request) -> Session | None:
    """The live session of this request's cookie (looked up once per request)."""
    if not hasattr(request.state, "nq_session"):
        state = app_state(request)
        request.state.nq_session = state.accounts.get_session(
            request.cookies.get(COOKIE), state.web.session_idle_seconds)
    return request.state.nq_session


async def csrf_protect(request: Request) -> None:
    """App-wide: a state-changing request must carry the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    if COOKIE not in request.cookies and request.headers.get("authorization", "").startswith(
            "Bearer "):
        return
    sent = request.headers.get("x-csrf-token") or await _form_token(request)
    session = current_session(request)
    if session is None:
        raise NotSignedIn("your session has expired; nothing was sent")
    if not sent or not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
        raise WebError(403, "NQE103", "the form's security token is missing or out of date; "
                       "nothing was sent")


async def _form_token(request: Request) -> str | None:
    """The form's csrf_token field (starlette caches the parsed form for the route)."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded",
                                    "multipart/form-data")):
        return None
    try:
        form = await request.form()
    except Exception:  # a malformed body carries no token: refused as such
        return None
    token = form.get("csrf_token")
    return token if isinstance(token, str) else None


def current_user(session: Annotated[Session | None, Depends(current_session)]) -> User:
    if session is None or session.user is None:
        raise NotSignedIn()
    return session.user


def require_role(*roles: str) -> Callable[..., User]:
    """A dependency that lets through signed-in users with one of `roles`."""

    def check(user: Annotated[User, Depends(current_user)]) -> User:
        if user.role not in roles:
            raise WebError(403, "NQE104", f"this page is for the {' or '.join(roles)} role; "
                           f"you are signed in as {user.role}")
        return user

    return check


def is_https(request: Request, web: WebSettings) -> bool:
    if web.secure_cookies is not None:
        return web.secure_cookies
    if web.trust_proxy and request.headers.get("x-forwarded-proto", "").lower() == "https":
        return True
    return request.url.scheme == "https"


def client_address(request: Request, web: WebSettings) -> str:
    """The client as the nearest trusted proxy saw it: the `proxy_hops`-th entry of
    X-Forwarded-For from the right (the left-most is whatever the client chose to send)."""
    peer = request.client.host if request.client else "unknown"
    if not web.trust_proxy or web.proxy_hops < 1:
        return peer
    hops = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
    hops = [part for part in hops if part]
    return hops[-web.proxy_hops] if len(hops) >= web.proxy_hops else peer


def set_session_cookie(response: Response, request: Request, secret: str) -> None:
    web = app_state(request).web
    response.set_cookie(COOKIE, secret, httponly=True, samesite="lax",
                        secure=is_https(request, web), path="/",
                        max_age=int(web.session_idle_seconds * 4))


CurrentUser = Annotated[User, Depends(current_user)]
Store = Annotated[History, Depends(get_history)]
State = Annotated[AppState, Depends(app_state)]
