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
