"""The JSON API under /api/v1: bearer tokens, the JSONL record as the body, coded 4xx for
bad requests, officers kept apart, decisions, uploads; the OpenAPI page and document."""

from __future__ import annotations

import time

import pytest

from narrative_qa.api import check_draft
from tests.conftest import Q2
from tests.web.test_selfcheck import DRAFT, FIELDS

P1, P2 = "2025/26 Q1", "2025/26 Q2"


def _bearer(app, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {app.state.nq.accounts.issue_token(username, 'test')}"}


def _store(app, settings, kpi_id: str, owner: str, service: str = "Children's Services",
           narrative: str = "Recruitment remains a challenge. Secret words.") -> int:
    assessment = check_draft(narrative, settings, kpi_id=kpi_id, kpi_name=f"KPI {kpi_id}",
                             target="60", actual="51", unit="%", period=P2, owner=owner,
                             service=service)
    history = app.state.nq.history
    history.ingest([assessment], P2, "test")
    return history.current(P2, kpi_id)[0].id


def test_check_returns_the_jsonl_record(client, app, settings):
    response = client.post("/api/v1/check", json={**FIELDS, "narrative": DRAFT},
                           headers=_bearer(app, "olive"))
    assert response.status_code == 200, response.text
    body = response.json()
    expected = check_draft(DRAFT, settings, **{**FIELDS, "owner": "Olive Owen"}).to_record()
    assert body["verdict"] == expected["verdict"]
    assert [f["code"] for f in body["findings"]] == [f["code"] for f in expected["findings"]]
    assert set(expected) <= set(body)
    assert app.state.nq.history.periods() == []


@pytest.mark.parametrize("body,code,field", [
    ({"kpi_id": "X"}, "NQE106", "narrative"),
    ({"narrative": DRAFT, "polarity": "sideways"}, "NQE109", "polarity"),
    ({"narrative": DRAFT, "target": [1, 2]}, "NQE109", "target"),
    ({"narrative": 42}, "NQE109", "narrative"),
    ({"narrative": DRAFT, "surprise": 1}, "NQE109", "surprise"),
])
def test_bad_bodies_are_422_with_a_code(client, app, body, code, field):
    response = client.post("/api/v1/check", json=body, headers=_bearer(app, "olive"))
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == code and error["field"] == field and error["todo"]


def test_an_unknown_address_or_method_has_its_own_code(client, app):
    """Not 'not allowed for this account' (NQE104): an unknown page is not found (NQE111),
    and a method an address does not take is NQE114, as JSON and as a page."""
    headers = _bearer(app, "olive")
    missing = client.get("/api/v1/no-such-thing", headers=headers)
    assert missing.status_code == 404 and missing.json()["code"] == "NQE111"
    method = client.delete("/api/v1/check", headers=headers)
    assert method.status_code == 405 and method.json()["code"] == "NQE114"
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "NQE111" in page.text and "NQE104" not in page.text


def test_not_json_and_oversized_narrative(client, app, settings):
    headers = {**_bearer(app, "olive"), "Content-Type": "application/json"}
    garbled = client.post("/api/v1/check", content=b"{not json", headers=headers)
    assert garbled.status_code == 422 and garbled.json()["code"] == "NQE109"
    long = client.post("/api/v1/check", headers=headers, json={
        "narrative": "word " * (settings.max_narrative_chars // 5 + 10)})
    assert long.status_code == 422 and long.json()["code"] == "NQE021"


def test_tokens_are_required_and_revocable(client, app):
    assert client.get("/api/v1/periods").json()["code"] == "NQE100"
    bad = client.get("/api/v1/periods", headers={"Authorization": "Bearer nq_nope"})
    assert bad.status_code == 401 and bad.json()["code"] == "NQE100"
    accounts = app.state.nq.accounts
    headers = _bearer(app, "rita")
    assert client.get("/api/v1/periods", headers=headers).status_code == 200
    accounts.revoke_token(accounts.list_tokens()[-1]["id"])
    assert client.get("/api/v1/periods", headers=headers).status_code == 401


def test_an_officer_cannot_read_another_officers_submission(client, app, settings):
    mine = _store(app, settings, "MINE-1", "Olive Owen")
    theirs = _store(app, settings, "THEIRS-1", "Oscar Other")
    olive = _bearer(app, "olive")
    listed = client.get("/api/v1/submissions", params={"period": P2}, headers=olive).json()
    assert [s["kpi_id"] for s in listed] == ["MINE-1"]
    own = client.get(f"/api/v1/submissions/{mine}", headers=olive)
    assert own.status_code == 200 and own.json()["assessment"]["kpi_id"] == "MINE-1"
    refused = client.get(f"/api/v1/submissions/{theirs}", headers=olive)
    assert refused.status_code == 403 and refused.json()["code"] == "NQE104"
    assert "Secret" not in refused.text
    check = client.post("/api/v1/check", headers=olive,
                        json={"narrative": DRAFT, "kpi_id": "THEIRS-1", "period": P2})
    assert check.status_code == 403 and check.json()["code"] == "NQE104"
    oscar = client.get(f"/api/v1/submissions/{theirs}", headers=_bearer(app, "oscar"))
    assert oscar.status_code == 200


def test_decisions_through_the_api(client, app, settings):
    kept = _store(app, settings, "MINE-1", "Olive Owen")
    elsewhere = _store(app, settings, "HOM-1", "Olive Owen", service="Homelessness")
    rita = _bearer(app, "rita")
    code = client.get(f"/api/v1/submissions/{kept}", headers=rita).json()[
        "assessment"]["findings"][0]["code"]
    decision = {"period": P2, "kpi_id": "MINE-1", "code": code, "decision": "dismissed",
                "reason": "explained elsewhere"}
    first = client.post("/api/v1/decisions", json=decision, headers=rita)
    assert first.status_code == 200 and first.json()["recorded"] is True
    read = client.get(f"/api/v1/submissions/{kept}", headers=rita).json()
    assert read["dismissed_codes"] == [code] and read["decisions"][0]["reviewer"] == "rita"
    listed = client.get("/api/v1/submissions", params={"period": P2}, headers=rita).json()
    assert code not in listed[0]["finding_codes"]
    other = client.post("/api/v1/decisions", headers=rita,
                        json={**decision, "kpi_id": "HOM-1"})
    assert other.status_code == 403
    assert client.get(f"/api/v1/submissions/{elsewhere}", headers=rita).status_code == 403
    officer = client.post("/api/v1/decisions", json=decision, headers=_bearer(app, "olive"))
    assert officer.status_code == 403
    unknown = client.post("/api/v1/decisions", headers=rita,
                          json={**decision, "code": "NQ99"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "NQE024"
    assert client.post("/api/v1/decisions", headers=rita, json={
        **decision, "decision": "maybe"}).json()["code"] == "NQE109"


def test_upload_and_poll_through_the_api(client, app):
    adam = _bearer(app, "adam")
    refused = client.post("/api/v1/uploads", headers=_bearer(app, "rita"),
                          files={"file": ("q.xlsx", Q2.read_bytes())})
    assert refused.status_code == 403
    started = client.post("/api/v1/uploads", headers=adam,
                          files={"file": ("q.xlsx", Q2.read_bytes())}, data={"period": P2})
    assert started.status_code == 202, started.text
    upload_id = started.json()["id"]
    body = started.json()
    deadline = time.monotonic() + 240
    while body["status"] not in ("scored", "failed") and time.monotonic() < deadline:
        time.sleep(0.3)
        body = client.get(f"/api/v1/uploads/{upload_id}", headers=adam).json()
    assert body["status"] == "scored" and body["total"] == 40
    assert body["scored_file"] == f"/api/v1/uploads/{upload_id}/scored.xlsx"
    assert client.get(body["scored_file"], headers=adam).content[:2] == b"PK"
    stored = client.post(f"/api/v1/uploads/{upload_id}/store", headers=adam,
                         json={"period": P2})
    assert stored.status_code == 202
    while body["status"] != "stored" and time.monotonic() < deadline:
        time.sleep(0.3)
        body = client.get(f"/api/v1/uploads/{upload_id}", headers=adam).json()
    assert body["stored"] == 40 and client.get("/api/v1/periods", headers=adam).json() == [P2]


def test_openapi_document_and_page(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/check", "/api/v1/submissions", "/api/v1/submissions/{submission_id}",
                 "/api/v1/decisions", "/api/v1/uploads", "/api/v1/uploads/{upload_id}"):
        assert path in spec["paths"], path
    assert {"DraftIn", "AssessmentOut", "ErrorOut", "DecisionIn"} <= set(
        spec["components"]["schemas"])
    assert not any(p.startswith(("/selfcheck", "/screening", "/upload/")) for p in spec["paths"])
    page = client.get("/docs")
    assert page.status_code == 200 and "POST /api/v1/check" in page.text
    assert "cdn" not in page.text.lower()


def test_check_gives_each_finding_its_suggested_rewrite_as_the_self_check_shows_it(
        client, app, settings):
    """Issue 16: the API's findings carry `suggested_rewrite`, the self-check's rewrites."""
    from narrative_qa.web.views import check_view

    response = client.post("/api/v1/check", json={**FIELDS, "narrative": DRAFT},
                           headers=_bearer(app, "olive"))
    assert response.status_code == 200, response.text
    shown = check_view(check_draft(DRAFT, settings, **{**FIELDS, "owner": "Olive Owen"}),
                       settings.penalties)
    page = {f.code: f.rewrites for group in shown.groups for f in group.findings}
    given = {f["code"]: f["suggested_rewrite"] for f in response.json()["findings"]}
    assert given == page and any(given.values())
    for rewrites in given.values():
        assert all(r["rewrite"] != r["sentence"] and "[" in r["rewrite"] for r in rewrites)
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert "suggested_rewrite" in schema["CheckedFindingOut"]["properties"]
