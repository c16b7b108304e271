"""Each field's length is declared once (narrative_qa/web/fields.py): the self-check form,
the JSON API and the page's maxlength hold a KPI's fields to the same limit (issue 18)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import narrative_qa.web
from narrative_qa.web.fields import CHARS
from tests.web.test_api_v1 import _bearer
from tests.web.test_selfcheck import DRAFT, FIELDS, _post


@pytest.mark.parametrize(("field", "size"), [("kpi_id", "kpi_id"), ("kpi_name", "kpi_name"),
                                             ("polarity", "choice")])
def test_the_form_and_the_api_refuse_the_same_length(officer, app, field, size):
    too_long = "x" * (CHARS[size] + 1)
    form = _post(officer, "/selfcheck/check", {**FIELDS, "narrative": DRAFT, field: too_long},
                 headers={"Accept": "application/json"})
    assert form.status_code == 422 and form.json()["field"] == field
    api = TestClient(app).post("/api/v1/check", json={"narrative": DRAFT, field: too_long},
                      headers=_bearer(app, "olive"))
    assert api.status_code == 422 and api.json()["field"] in (field, "str")


def test_the_form_refuses_a_figure_longer_than_its_input_allows(officer):
    """The API reads a long target as a file's cell (NQE022, tests/web/test_limits.py)."""
    form = _post(officer, "/selfcheck/check", {**FIELDS, "narrative": DRAFT,
                                               "target": "1" * (CHARS["figure"] + 1)},
                 headers={"Accept": "application/json"})
    assert form.status_code == 422 and form.json()["field"] == "target"


def test_the_page_asks_for_what_the_form_accepts(officer):
    page = officer.get("/selfcheck").text
    for field, size in (("kpi_id", "kpi_id"), ("period", "period"), ("target", "figure")):
        tag = re.search(rf'<input name="{field}"[^>]*>', page)
        assert tag and f'maxlength="{CHARS[size]}"' in tag.group(0), field


def test_accounts_fields_have_one_limit_in_forms_and_pages(client, app):
    """A user name the admin's form accepted (200 characters) could not sign in (100): the
    account forms read fields.py too, and their pages ask for what the forms accept."""
    from narrative_qa.store.accounts import MIN_PASSWORD_CHARS
    from tests.web.conftest import csrf_of, sign_in

    login = client.get("/login").text
    for field, size in (("username", "username"), ("password", "password")):
        tag = re.search(rf'<input name="{field}"[^>]*>', login)
        assert tag and f'maxlength="{CHARS[size]}"' in tag.group(0), field
    sign_in(client, "adam")
    page = client.get("/admin/users").text
    assert f'minlength="{MIN_PASSWORD_CHARS}" maxlength="{CHARS["password"]}"' in page
    templates = Path(narrative_qa.web.__file__).with_name("templates")
    for template in ("login.html", "admin_users.html"):  # every limit from its one home
        source = (templates / template).read_text(encoding="utf-8")
        assert not re.search(r'(?:max|min)length="\d', source), template
    too_long = "u" * (CHARS["username"] + 1)
    refused = client.post("/admin/users/add", data={
        "csrf_token": csrf_of(page), "username": too_long, "password": "a long password",
        "role": "officer"})
    assert refused.status_code == 422
    assert app.state.nq.accounts.get_user(too_long) is None
