"""One Jinja2 environment (autoescape on) and the helper every page renders through."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from narrative_qa.store.accounts import MIN_PASSWORD_CHARS
from narrative_qa.web.fields import CHARS
from narrative_qa.web.security import app_state, current_session

TEMPLATES = Path(__file__).with_name("templates")

# The nav of the base template: (label, path, roles), in the order shown; a user sees the
# entries of their role.
NAV: list[tuple[str, str, tuple[str, ...]]] = [
    ("Self-check", "/selfcheck", ("officer",)),
    ("My submissions", "/selfcheck/mine", ("officer",)),
    ("Screening", "/screening", ("reviewer", "admin")),
    ("Upload a quarter", "/upload", ("admin",)),
    ("Users", "/admin/users", ("admin",)),
    ("Periods", "/admin/periods", ("admin",)),
    ("API", "/docs", ("officer", "reviewer", "admin")),
]


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    return Jinja2Templates(env=env)


def render(request: Request, name: str, context: dict[str, Any] | None = None,
           status: int = 200) -> Response:
    session = current_session(request)
    user = session.user if session else None
    base = {"user": user, "csrf_token": session.csrf_token if session else "",
            "nav": [(label, path) for label, path, roles in NAV
                    if user is not None and user.role in roles],
            "path": request.url.path, "current": _current(request.url.path), "error": None,
            "chars": CHARS,  # each field's maxlength, as the forms and the API allow
            "min_password": MIN_PASSWORD_CHARS}
    return app_state(request).templates.TemplateResponse(
        request, name, {**base, **(context or {})}, status_code=status)


def _current(path: str) -> str | None:
    """The nav entry of this page: the longest one the path starts with."""
    found = [href for _, href, _ in NAV if path == href or path.startswith(href + "/")]
    return max(found, key=len) if found else None
