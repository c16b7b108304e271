"""Upload a quarter: scored in the background with progress kept in the database, row
problems listed, the scored file downloadable, stored as the period; bad files are coded
errors; a job whose worker stopped is taken up again."""

from __future__ import annotations

import io
import time

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from narrative_qa.store import web_schema
from narrative_qa.web import upload as uploads
from tests.conftest import Q2
from tests.web.conftest import csrf_of, sign_in

P2 = "2025/26 Q2"
CSV = ("kpi_id,kpi_name,service,owner,period,target,actual,unit,narrative\n"
       "A-1,Visits,Adult Services,Ann,2025/26 Q2,60,51,%,Recruitment remains a challenge.\n"
       "A-2,Calls,Adult Services,Ann,2025/26 Q2,60,lots,%,Calls rose to 55% from 40%.\n")


@pytest.fixture
def admin(client):
    assert sign_in(client, "adam").status_code == 303
    return client


def _upload(client, name: str, data: bytes, period: str = ""):
    token = csrf_of(client.get("/upload").text)
    return client.post("/upload", data={"csrf_token": token, "period": period},
                       files={"file": (name, data)}, follow_redirects=False)


def wait(client, upload_id: int, until: set[str], timeout: float = 240) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        panel = client.get(f"/upload/{upload_id}/progress").text
        status = panel.split('data-status="', 1)[1].split('"', 1)[0]
        if status in until:
            return panel
        assert 'hx-trigger="every 1s"' in panel  # polled while running
        time.sleep(0.2)
    raise AssertionError(f"upload {upload_id} still not {until}")


def _id(response) -> int:
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_quarter_is_scored_downloaded_and_stored(admin, app):
    upload_id = _id(_upload(admin, "qpr Q2.xlsx", Q2.read_bytes()))
    panel = wait(admin, upload_id, {"scored", "failed"})
    assert 'data-status="scored"' in panel and "40 of 40 scored" in panel
    assert "hx-trigger" not in panel  # polling stops
    scored = admin.get(f"/upload/{upload_id}/scored.xlsx")
    assert scored.status_code == 200 and "qpr%20Q2-scored.xlsx" in scored.headers[
        "content-disposition"]
    rows = list(load_workbook(io.BytesIO(scored.content))["Assessments"].iter_rows(
        values_only=True))
    assert len(rows) == 41 and "verdict" in rows[0]
    assert app.state.nq.history.periods() == []  # nothing stored until asked
    token = csrf_of(admin.get(f"/upload/{upload_id}").text)
    stored = admin.post(f"/upload/{upload_id}/store", data={"csrf_token": token,
                                                             "period": P2},
                        follow_redirects=False)
    assert stored.status_code == 303
    panel = wait(admin, upload_id, {"stored", "scored"})
    assert "Stored as 2025/26 Q2: 40 rows" in panel
    assert len(app.state.nq.history.current(P2)) == 40


def test_row_problems_are_listed_by_row_and_column(admin):
    upload_id = _id(_upload(admin, "q.csv", CSV.encode()))
    panel = wait(admin, upload_id, {"scored", "failed"})
    assert 'data-status="scored"' in panel
    assert "<td>3</td><td>actual</td>" in panel  # the CSV's third line, the bad number


@pytest.mark.parametrize("name,data,code", [
    ("broken.xlsx", b"PK\x03\x04 not really a workbook", "NQE003"),
    ("binary.csv", bytes(range(256)) * 40, "NQE003"),
])
def test_a_malformed_file_fails_with_a_code_naming_it(admin, name, data, code):
    upload_id = _id(_upload(admin, name, data))
    panel = wait(admin, upload_id, {"scored", "failed"})
    assert 'data-status="failed"' in panel and code in panel and name in panel
    assert "nq-upload-" not in panel  # the worker's temporary path is not shown


def test_wrong_type_empty_and_oversized_uploads_are_form_errors(make_app, settings):
    app = make_app(max_upload_bytes=2000)
    app.state.nq.accounts.add_user("adam", "correct horse battery", "admin")
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        sign_in(client, "adam")
        assert "NQE002" in _upload(client, "q.pdf", b"%PDF").text
        assert "NQE009" in _upload(client, "q.csv", b"").text
        big = _upload(client, "q.csv", b"a,b\n" * 1000)
        assert big.status_code == 413 and "NQE108" in big.text and "2,000 bytes" in big.text
        huge = _upload(client, "q.csv", b"a,b\n" * 400_000)
        assert huge.status_code == 413 and "NQE108" in huge.text
        bad_period = _upload(client, "q.csv", CSV.encode(), period="soon")
        assert bad_period.status_code == 422 and "NQE024" in bad_period.text


def test_upload_is_for_the_admin_role(officer, client):
    assert officer.get("/upload").status_code == 403


def test_a_job_whose_worker_stopped_is_taken_up_again(app, admin, clock):
    state = app.state.nq
    with state.history.engine.begin() as db:
        upload_id = db.execute(web_schema.upload.insert().values(
            user_id=state.accounts.get_user("adam").id, filename="q.csv", status="scoring",
            period=None, total=2, done=1, problems="[]", input=CSV.encode(),
            created_at=clock.now - 600, heartbeat_at=clock.now - 600)).inserted_primary_key[0]
    assert uploads.resume(state) == 1
    panel = wait(admin, upload_id, {"scored", "failed"})
    assert 'data-status="scored"' in panel
    assert uploads.resume(state) == 0
    with state.history.engine.connect() as db:
        assert db.execute(sa.select(web_schema.upload.c.result).where(
            web_schema.upload.c.id == upload_id)).scalar_one()[:2] == b"PK"


def test_progress_is_reported_per_chunk_while_scoring(admin, app, monkeypatch):
    """Issue 16, defect 15: the bar sat at '0 of 200' and jumped to the end, because
    progress was counted only once the whole file was assessed."""
    import narrative_qa.api as api

    events: list[tuple[str, int]] = []
    assess_batch = api.assess_batch

    def recorded_assess(submissions, *args, **kwargs):
        events.append(("assess", len(submissions)))
        return assess_batch(submissions, *args, **kwargs)

    update = uploads.Worker._update

    def recorded_update(self, upload_id, **values):
        if values.get("done"):
            events.append(("done", values["done"]))
        return update(self, upload_id, **values)

    monkeypatch.setattr(api, "assess_batch", recorded_assess)
    monkeypatch.setattr(uploads.Worker, "_update", recorded_update)
    monkeypatch.setattr(uploads, "PROGRESS_CHUNK", 15)
    upload_id = _id(_upload(admin, "qpr.xlsx", Q2.read_bytes()))
    assert 'data-status="scored"' in wait(admin, upload_id, {"scored", "failed"})
    assessed = [i for i, (kind, _) in enumerate(events) if kind == "assess"]
    reported = [(i, n) for i, (kind, n) in enumerate(events) if kind == "done"]
    assert len(assessed) == 3  # 40 rows: 15 + 15 + 10
    assert any(i < assessed[-1] and 0 < n < 40 for i, n in reported)  # before the end
    assert [n for _, n in reported][:3] == [15, 30, 40]


def test_storing_over_officers_submissions_says_which_and_asks(admin, app, settings):
    """Issue 16, defect 11: a stored quarter silently superseded officers' web submissions
    and recorded the worker's temporary path as the source."""
    from narrative_qa.api import check_draft

    history = app.state.nq.history
    mine = check_draft("Visits rose to 58% after 2 new staff.", settings, kpi_id="A-1",
                       period=P2, owner="Ann", service="Adult Services")
    history.ingest([mine], P2, "web:olive")
    upload_id = _id(_upload(admin, "qpr Q2.csv", CSV.encode()))
    wait(admin, upload_id, {"scored", "failed"})
    token = csrf_of(admin.get(f"/upload/{upload_id}").text)
    asked = admin.post(f"/upload/{upload_id}/store", data={"csrf_token": token,
                                                           "period": P2})
    assert asked.status_code == 409 and "NQE122" in asked.text
    assert "A-1" in asked.text and "olive" in asked.text and "A-2" not in asked.text
    assert [v["version"] for v in history.versions("A-1", P2)] == [1]
    confirmed = admin.post(f"/upload/{upload_id}/store", data={
        "csrf_token": token, "period": P2, "supersede": "yes"}, follow_redirects=False)
    assert confirmed.status_code == 303
    wait(admin, upload_id, {"stored"})
    versions = history.versions("A-1", P2)
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[-1]["source"] == "qpr Q2.csv"  # the uploaded file, not a temporary copy


def test_the_api_store_asks_before_superseding(client, app, settings):
    from narrative_qa.api import check_draft

    history = app.state.nq.history
    history.ingest([check_draft("Visits rose to 58%.", settings, kpi_id="A-1", period=P2,
                                owner="Ann")], P2, "web:olive")
    headers = {"Authorization": f"Bearer {app.state.nq.accounts.issue_token('adam', 't')}"}
    sent = client.post("/api/v1/uploads", files={"file": ("q.csv", CSV.encode())},
                       headers=headers)
    upload_id = sent.json()["id"]
    deadline = time.monotonic() + 240
    while client.get(f"/api/v1/uploads/{upload_id}", headers=headers).json()["status"] \
            != "scored" and time.monotonic() < deadline:
        time.sleep(0.2)
    refused = client.post(f"/api/v1/uploads/{upload_id}/store", json={"period": P2},
                          headers=headers)
    assert refused.status_code == 409 and refused.json()["code"] == "NQE122"
    accepted = client.post(f"/api/v1/uploads/{upload_id}/store",
                           json={"period": P2, "supersede": True}, headers=headers)
    assert accepted.status_code == 202
