"""How many characters each field of a draft, a decision, a period or an account may hold,
declared once: the API's bodies (api.py), the forms' parameters and the pages' `maxlength`
read it.
The narrative's own limit is the settings' limits.max_narrative_chars, checked by the
library (NQE021); the request's size is limits.py's."""

from __future__ import annotations

from typing import Any

from fastapi import Form
from pydantic import Field

CHARS: dict[str, int] = {
    "kpi_id": 100,
    "kpi_name": 500,
    "service": 200,
    "period": 50,
    # A target or an actual written in the form ("87%", "1,234"). The API passes them to
    # the library as a file's cell would be: a hostile one is a row notice (NQE022).
    "figure": 50,
    "unit": 50,
    "choice": 20,  # a polarity, a RAG or a decision
    "code": 10,
    "reason": 2000,
    # Accounts: the sign-in form, the admin's forms and their pages.
    "username": 100,
    "password": 1000,
    "name": 200,  # a display name, an owner's name, a token's label
    "services": 2000,  # a comma-separated list
    "next": 2000,  # the page to return to after signing in
}


def body_text(field: str, required: bool = False, **extra: Any) -> Any:
    """A text field of an API body, as long as CHARS allows."""
    return Field(... if required else None, min_length=1 if required else None,
                 max_length=CHARS[field], **extra)


def form_text(field: str, required: bool = False) -> Any:
    """A form field of that text, as long as CHARS allows (Annotated[str, form_text(…)])."""
    return Form(min_length=1 if required else None, max_length=CHARS[field])
