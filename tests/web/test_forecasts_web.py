"""Forecasts in the web app (issue 19): GET /api/v1/forecasts under the API's access rules,
and the self-check showing the forecasts falling due beside the draft."""

from __future__ import annotations

from narrative_qa.api import check_draft

Q2, Q3 = "2025/26 Q2", "2025/26 Q3"
PROMISE = "We expect compliance to return to 60% by Q3 <b>now</b>."


def _bearer(app, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {app.state.nq.accounts.issue_token(username, 'test')}"}


def _store(app, settings, kpi_id, owner, period, narrative, actual):
    assessment = check_draft(narrative, settings, kpi_id=kpi_id, kpi_name=f"KPI {kpi_id}",
                             target="60", actual=actual, unit="%", polarity="up",
                             period=period, owner=owner, service="Children's Services")
    app.state.nq.history.ingest([assessment], period, "test")


def test_forecasts_api_lists_what_the_account_may_read(client, app, settings):
    _store(app, settings, "MINE-1", "Olive Owen", Q2, PROMISE, "55")
    _store(app, settings, "THEIRS-1", "Oscar Other", Q2, PROMISE, "55")
    _store(app, settings, "MINE-1", "Olive Owen", Q3, "Compliance was 52%.", "52")
    _store(app, settings, "THEIRS-1", "Oscar Other", Q3, "Compliance was 52%.", "52")
    mine = client.get("/api/v1/forecasts", params={"period": Q3},
                      headers=_bearer(app, "olive"))
    assert mine.status_code == 200, mine.text
    assert [(r["kpi_id"], r["status"], r["made_in"]) for r in mine.json()] == [
        ("MINE-1", "missed", Q2)]
    every = client.get("/api/v1/forecasts", params={"period": Q3},
                       headers=_bearer(app, "adam")).json()
    assert sorted(r["kpi_id"] for r in every) == ["MINE-1", "THEIRS-1"]
    assert client.get("/api/v1/forecasts", params={"period": Q3}).status_code == 401
    missing = client.get("/api/v1/forecasts", params={"period": "2030/31 Q1"},
                         headers=_bearer(app, "adam"))
    assert missing.status_code == 404 and missing.json()["code"] == "NQE111"


def test_the_self_check_shows_the_forecasts_falling_due_beside_the_draft(officer, app,
                                                                          settings):
    _store(app, settings, "MINE-1", "Olive Owen", Q2, PROMISE, "55")
    page = officer.get("/selfcheck", params={"kpi": "MINE-1", "period": Q3})
    assert page.status_code == 200
    assert 'id="forecasts-due"' in page.text
    assert "In 2025/26 Q2 you forecast 60% by 2025/26 Q3" in page.text
    assert "<b>now</b>" not in page.text and "&lt;b&gt;now&lt;/b&gt;" in page.text
    nothing = officer.get("/selfcheck", params={"kpi": "MINE-1", "period": Q2})
    assert 'id="forecasts-due"' not in nothing.text


def test_the_dashboard_shows_forecasts_due_for_what_the_reviewer_may_read(client, app,
                                                                          settings):
    from tests.web.conftest import sign_in

    _store(app, settings, "MINE-1", "Olive Owen", Q2, PROMISE, "55")
    _store(app, settings, "MINE-1", "Olive Owen", Q3, "Compliance was 52%.", "52")
    assessment = check_draft(PROMISE, settings, kpi_id="ADULT-1", target="60", actual="55",
                             unit="%", polarity="up", period=Q2, owner="Someone",
                             service="Adult Services")
    app.state.nq.history.ingest([assessment], Q2, "test")
    later = check_draft("Nothing.", settings, kpi_id="ADULT-1", target="60", actual="52",
                        unit="%", polarity="up", period=Q3, owner="Someone",
                        service="Adult Services")
    app.state.nq.history.ingest([later], Q3, "test")
    assert sign_in(client, "rita").status_code == 303
    page = client.get("/screening", params={"period": Q3})
    assert page.status_code == 200, page.text
    assert 'id="forecasts"' in page.text and "MINE-1" in page.text
    section = page.text.split('id="forecasts"')[1].split("queue-heading")[0]
    assert "ADULT-1" not in section  # another service's forecast
    assert 'data-status="missed">1<' in section
