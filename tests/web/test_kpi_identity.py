"""One KPI-identity rule (narrative_qa.previous.match_key) before every access check: 'hl-01'
is the KPI 'HL-01', in the self-check, /api/v1/check and decisions (issue 16, defects 1
and 12)."""

from __future__ import annotations

from narrative_qa.api import check_draft
from tests.web.conftest import csrf_of
from tests.web.test_selfcheck import DRAFT, FIELDS

P1, P2 = "2025/26 Q1", "2025/26 Q2"
SECRET = "Oscar's secret narrative: 7 cases waiting."


def _store(app, settings, kpi_id: str, owner: str, narrative: str,
           service: str = "Homelessness Services") -> None:
    assessment = check_draft(narrative, settings, kpi_id=kpi_id, kpi_name=f"KPI {kpi_id}",
                             target="60", actual="55", unit="%", period=P1, owner=owner,
                             service=service)
    app.state.nq.history.ingest([assessment], P1, "test")


def _bearer(app, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {app.state.nq.accounts.issue_token(username, 'test')}"}


def _draft(kpi_id: str) -> dict[str, str]:
    return {**FIELDS, "kpi_id": kpi_id, "narrative": DRAFT}


def test_api_check_refuses_another_officers_kpi_in_any_case(client, app, settings):
    _store(app, settings, "HL-01", "Oscar Other", SECRET)
    for spelling in ("hl-01", " Hl-01 ", "HL-01"):
        response = client.post("/api/v1/check", json=_draft(spelling),
                               headers=_bearer(app, "olive"))
        assert response.status_code == 403, (spelling, response.text)
        assert response.json()["code"] == "NQE104" and "secret" not in response.text


def test_selfcheck_refuses_another_officers_kpi_in_any_case(officer, app, settings):
    _store(app, settings, "HL-01", "Oscar Other", SECRET)
    token = csrf_of(officer.get("/selfcheck").text)
    for path in ("/selfcheck/check", "/selfcheck/submit"):
        response = officer.post(path, data={"csrf_token": token, **_draft("hl-01")})
        assert response.status_code == 403 and "NQE104" in response.text, path
        assert "secret" not in response.text
    page = officer.get("/selfcheck", params={"kpi": "hl-01"})
    assert page.status_code == 403 and "secret" not in page.text
    assert app.state.nq.history.versions("HL-01", P2) == []


def test_own_kpi_in_another_case_is_the_stored_kpi(client, app, settings):
    _store(app, settings, "MINE-1", "Olive Owen", "We recruited 4 social workers in Q1.")
    response = client.post("/api/v1/check", json=_draft("mine-1"),
                           headers=_bearer(app, "olive"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["kpi_id"] == "MINE-1"
    assert body["previous_narrative"] == "We recruited 4 social workers in Q1."


def test_reviewer_api_check_is_held_to_their_services(client, app, settings):
    """Defect 12: a reviewer of Children's Services could read Homelessness's previous
    narrative through /api/v1/check."""
    _store(app, settings, "HL-01", "Oscar Other", SECRET)
    response = client.post("/api/v1/check", json=_draft("hl-01"),
                           headers=_bearer(app, "rita"))
    assert response.status_code == 403 and "secret" not in response.text
    _store(app, settings, "CS-09", "Olive Owen", "Children's narrative, 3 cases.",
           service="Children's Services")
    mine = client.post("/api/v1/check", json=_draft("cs-09"), headers=_bearer(app, "rita"))
    assert mine.status_code == 200 and mine.json()["previous_narrative"]
    admin = client.post("/api/v1/check", json=_draft("hl-01"), headers=_bearer(app, "adam"))
    assert admin.status_code == 200


def test_a_decision_in_another_case_is_refused_outside_the_service(client, app, settings):
    assessment = check_draft("Recruitment remains a challenge.", settings, kpi_id="HL-01",
                             kpi_name="KPI", target="60", actual="51", unit="%", period=P2,
                             owner="Oscar Other", service="Homelessness Services")
    app.state.nq.history.ingest([assessment], P2, "test")
    body = {"period": P2, "kpi_id": "hl-01", "code": "NQ04", "decision": "dismissed",
            "reason": "not mine to decide"}
    response = client.post("/api/v1/decisions", json=body, headers=_bearer(app, "rita"))
    assert response.status_code == 403, response.text
    assert app.state.nq.history.dismissed(P2) == set()
    admin = client.post("/api/v1/decisions", json=body, headers=_bearer(app, "adam"))
    assert admin.status_code == 200
    (stored,) = app.state.nq.history.decisions()
    assert stored["kpi_id"] == "HL-01"  # kept under the KPI as stored
