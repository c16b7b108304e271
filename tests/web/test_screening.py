"""ELT screening: the report's figures for the reviewer's services, the filtered queue, a
submission's findings confirmed or dismissed (as `narrative-qa review`), the downloads."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from narrative_qa.reporting.view import build_report
from tests.web.conftest import csrf_of, sign_in

P1, P2 = "2025/26 Q1", "2025/26 Q2"
CHILDREN = "Children's Services"


@pytest.fixture
def stored(app, store_templates):
    history = app.state.nq.history
    store_templates.add_quarters(history)  # Q1 as P1 and Q2 as P2
    return history


@pytest.fixture
def reviewer(client, stored):
    assert sign_in(client, "rita").status_code == 303
    return client


def _children_items(history):
    return [i for i in build_report(history, P2).items if i.service == CHILDREN]


def test_dashboard_figures_are_the_reports_over_the_reviewers_services(reviewer, stored):
    page = reviewer.get("/screening")
    assert page.status_code == 200
    items = _children_items(stored)
    for verdict in ("not-acceptable", "revise", "ready"):
        cell = re.search(rf'data-verdict="{verdict}">(\d+)<', page.text)
        assert cell and int(cell.group(1)) == sum(i.verdict == verdict for i in items)
    assert f"Queue ({len(items)} of {len(items)})" in page.text
    assert "Homelessness" not in page.text  # another service: not shown at all
    codes = {f["code"] for i in items for f in i.findings}
    for code in codes:
        count = sum(f["code"] == code for i in items for f in i.findings)
        assert re.search(rf'data-code="{code}">{count}<', page.text)
    assert "change since 2025/26 Q1" in page.text


def test_admin_dashboard_is_the_whole_report(client, stored):
    sign_in(client, "adam")
    page = client.get("/screening", params={"period": P2})
    view = build_report(stored, P2)
    assert f"Queue ({len(view.items)} of {len(view.items)})" in page.text


@pytest.mark.parametrize("name", ["verdict", "code", "owner", "rag", "service"])
def test_queue_filters(reviewer, stored, name):
    items = _children_items(stored)
    sample = next(i for i in items if i.findings)
    value = {"verdict": sample.verdict, "code": sample.findings[0]["code"],
             "owner": sample.owner, "rag": "differs", "service": CHILDREN}[name]
    page = reviewer.get("/screening", params={"period": P2, name: value})
    assert page.status_code == 200
    shown = set(re.findall(r'<tr data-kpi="([^"]+)"', page.text))
    from narrative_qa.web.screening import QueueFilter

    expected = {i.kpi_id for i in items if QueueFilter(**{name: value}).keeps(i)}
    assert shown == expected
    assert f'<option value="{value}" selected>' in page.text.replace("&#39;", "'")


def test_a_bad_filter_value_is_a_coded_error(reviewer):
    page = reviewer.get("/screening", params={"verdict": "great"})
    assert page.status_code == 422 and "NQE024" in page.text
    missing = reviewer.get("/screening", params={"period": "1999/00 Q1"})
    assert missing.status_code == 404 and "2025/26 Q2" in missing.text


def test_dismiss_with_a_reason_removes_the_finding_from_the_report(reviewer, stored):
    item = next(i for i in _children_items(stored) if i.findings)
    code = item.findings[0]["code"]
    page = reviewer.get("/screening/submission", params={"period": P2, "kpi": item.kpi_id})
    assert page.status_code == 200 and "<mark data-codes" in page.text
    assert "Trend" in page.text and P1 in page.text
    before = reviewer.get("/screening/report.html", params={"period": P2}).text
    token = csrf_of(page.text)
    no_reason = reviewer.post("/screening/decide", data={
        "csrf_token": token, "period": P2, "kpi_id": item.kpi_id, "code": code,
        "decision": "dismissed", "reason": " "})
    assert no_reason.status_code == 422 and "NQE061" in no_reason.text
    done = reviewer.post("/screening/decide", data={
        "csrf_token": token, "period": P2, "kpi_id": item.kpi_id, "code": code,
        "decision": "dismissed", "reason": "the figure is explained in the appendix"},
        follow_redirects=False)
    assert done.status_code == 303
    (decision,) = stored.decisions()
    assert decision["decision"] == "dismissed" and decision["reviewer"] == "rita"
    after = next(i for i in build_report(stored, P2).items if i.kpi_id == item.kpi_id)
    assert code not in {f["code"] for f in after.findings}
    again = reviewer.get("/screening/submission", params={"period": P2, "kpi": item.kpi_id})
    assert "Dismissed by rita" in again.text and "the figure is explained" in again.text
    report = reviewer.get("/screening/report.html", params={"period": P2})
    assert report.status_code == 200 and "attachment" in report.headers["content-disposition"]
    assert f"{item.kpi_id}" in report.text
    assert report.text.count(code) < before.count(code)


def test_a_reviewer_cannot_open_or_decide_another_services_submission(reviewer, stored):
    other = next(i for i in build_report(stored, P2).items if i.service == "Homelessness")
    page = reviewer.get("/screening/submission", params={"period": P2, "kpi": other.kpi_id})
    assert page.status_code == 403 and "NQE104" in page.text
    assert other.record["narrative"][:40] not in page.text
    token = csrf_of(reviewer.get("/screening").text)
    refused = reviewer.post("/screening/decide", data={
        "csrf_token": token, "period": P2, "kpi_id": other.kpi_id, "code": "NQ04",
        "decision": "dismissed", "reason": "x"})
    assert refused.status_code == 403 and stored.decisions() == []


def test_an_officer_is_refused_screening(officer, stored):
    assert officer.get("/screening").status_code == 403
    assert officer.get("/screening/report.html", params={"period": P2}).status_code == 403


def test_downloads_xlsx_and_feedback(reviewer, stored):
    items = _children_items(stored)
    table = reviewer.get("/screening/screening.xlsx", params={"period": P2})
    assert table.status_code == 200
    sheet = load_workbook(io.BytesIO(table.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "KPI" and {r[0] for r in rows[1:]} == {i.kpi_id for i in items}
    owner = items[0].owner
    for fmt, marker in (("html", b"<html"), ("md", owner.encode()[:10]), ("docx", b"PK")):
        got = reviewer.get("/screening/feedback", params={"period": P2, "owner": owner,
                                                         "format": fmt})
        assert got.status_code == 200 and marker in got.content[:4000], fmt
    other = next(i.owner for i in build_report(stored, P2).items if i.service != CHILDREN)
    refused = reviewer.get("/screening/feedback", params={"period": P2, "owner": other})
    assert refused.status_code == 404


def test_empty_store_shows_a_hint(client):
    sign_in(client, "rita")
    page = client.get("/screening")
    assert page.status_code == 200 and "Nothing is stored yet" in page.text


def test_a_record_with_few_fields_is_shown(reviewer, stored, settings):
    from narrative_qa.api import check_draft

    bare = check_draft("Recruitment remains a challenge.", settings, kpi_id="CS-99",
                       service=CHILDREN, period="2025/26 Q3")
    stored.ingest([bare], "2025/26 Q3", "test")
    page = reviewer.get("/screening")
    assert page.status_code == 200 and 'data-kpi="CS-99"' in page.text
    one = reviewer.get("/screening/submission", params={"period": "2025/26 Q3", "kpi": "CS-99"})
    assert one.status_code == 200
