"""Issue 17, probes 1 and 2 in the web app: request size enforced on the bytes read
(chunked or not, before authentication reads a body) and zip bombs refused in the
self-check and the upload."""

from __future__ import annotations

import asyncio
import dataclasses
import json

import pytest
from fastapi.testclient import TestClient

from narrative_qa.store.accounts import Accounts
from narrative_qa.store.history import History
from narrative_qa.web.app import create_app
from narrative_qa.web.limits import BodyLimit
from narrative_qa.web.settings import WebSettings
from tests.hostile_files import docx_bomb, shared_strings_bomb
from tests.web.conftest import PASSWORD, Clock, csrf_of, sign_in
from tests.web.test_upload import wait

UPLOAD_LIMIT = 64 * 1024
BODY_LIMIT = UPLOAD_LIMIT + 1024 * 1024  # the app allows the form around the file


@pytest.fixture
def small_app(tmp_path, settings):
    url = f"sqlite:///{tmp_path / 'history.db'}"
    small = dataclasses.replace(settings, max_unzipped_mb=1)
    accounts = Accounts(History(url).engine, clock=Clock())
    app = create_app(url, small, WebSettings(warm_models=False, max_upload_bytes=UPLOAD_LIMIT),
                     accounts=accounts)
    accounts.add_user("olive", PASSWORD, "officer", owner_name="Olive Owen")
    accounts.add_user("adam", PASSWORD, "admin")
    return app


@pytest.fixture
def web(small_app):
    with TestClient(small_app, base_url="http://testserver") as client:
        yield client


def _chunks(total: int, size: int = 64 * 1024):
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def test_a_chunked_body_over_the_limit_is_refused_before_sign_in_is_checked(web):
    response = web.post("/selfcheck/docx", content=_chunks(BODY_LIMIT + 1),
                        headers={"content-type": "multipart/form-data; boundary=xyz"})
    assert "content-length" not in response.request.headers  # sent in chunks
    assert response.status_code == 413 and "NQE108" in response.text


def test_a_chunked_json_body_over_the_limit_is_refused_on_the_api(web, small_app):
    token = small_app.state.nq.accounts.issue_token("adam", "test")
    body = json.dumps({"narrative": "a " * BODY_LIMIT}).encode()
    response = web.post("/api/v1/check", content=iter([body]), headers={
        "Authorization": f"Bearer {token}", "content-type": "application/json"})
    assert response.status_code == 413 and response.json()["code"] == "NQE108"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_declared_length_over_the_limit_is_refused_unread(web):
    response = web.post("/login", content=b"x" * (BODY_LIMIT + 1))
    assert response.status_code == 413 and "NQE108" in response.text


def test_the_middleware_stops_reading_at_the_limit():
    """However the app handles the error, no more than the limit (plus one chunk) is read."""
    pulled = {"n": 0}

    async def reader(scope, receive, send):  # an app that reads the whole body, then answers
        try:
            while (await receive()).get("more_body"):
                pass
        except Exception:  # an app that swallows the error still ends up refused
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"read it all"})

    async def receive():
        pulled["n"] += 1
        return {"type": "http.request", "body": b"x" * 1024, "more_body": pulled["n"] < 10_000}

    sent = []

    async def send(message):
        sent.append(message)

    def refusal(scope, size):
        async def answer(scope, receive, send):
            await send({"type": "http.response.start", "status": 413, "headers": []})
            await send({"type": "http.response.body", "body": str(size).encode()})
        return answer

    app = BodyLimit(reader, limit=10 * 1024, refusal=refusal)
    asyncio.run(app({"type": "http", "headers": []}, receive, send))
    assert pulled["n"] == 11
    assert sent[0]["status"] == 413 and b"read it all" not in b"".join(
        m.get("body", b"") for m in sent)


def test_a_word_bomb_in_the_self_check_is_refused_naming_the_limit(web, tmp_path):
    assert sign_in(web, "olive").status_code == 303
    data = docx_bomb(tmp_path / "draft.docx", megabytes=4).read_bytes()
    assert len(data) < UPLOAD_LIMIT
    token = csrf_of(web.get("/selfcheck").text)
    response = web.post("/selfcheck/docx", data={"csrf_token": token},
                        files={"document": ("draft.docx", data)})
    assert response.status_code == 413
    assert "NQE057" in response.text and "1 MB" in response.text


def test_a_workbook_bomb_uploaded_fails_with_the_limit_named(web, tmp_path):
    assert sign_in(web, "adam").status_code == 303
    data = shared_strings_bomb(tmp_path / "quarter.xlsx", megabytes=4).read_bytes()
    token = csrf_of(web.get("/upload").text)
    response = web.post("/upload", data={"csrf_token": token},
                        files={"file": ("quarter.xlsx", data)}, follow_redirects=False)
    assert response.status_code == 303
    upload_id = int(response.headers["location"].rsplit("/", 1)[1])
    panel = wait(web, upload_id, {"failed", "scored"})
    assert "failed" in panel and "NQE057" in panel and "quarter.xlsx" in panel


# --- probe 3: linear-time numbers and a time budget per request ------------------------

def _bearer(app, username: str = "adam") -> dict[str, str]:
    return {"Authorization": f"Bearer {app.state.nq.accounts.issue_token(username, 't')}"}


def test_a_hostile_target_is_a_row_notice_not_a_held_worker(web, small_app):
    response = web.post("/api/v1/check", headers=_bearer(small_app), json={
        "narrative": "Performance fell to 51% because 3 of 15 posts were vacant.",
        "target": "1" + " " * 60_000 + "x", "actual": "51"})
    assert response.status_code == 200
    assert "NQE022" in {e["code"] for e in response.json()["errors"]}


def test_a_check_past_its_time_budget_stops_with_a_code(web, small_app, monkeypatch):
    from narrative_qa import deadline

    ticks = iter(range(0, 10_000, 30))  # each look at the clock is 30 s later
    monkeypatch.setattr(deadline, "clock", lambda: next(ticks))
    response = web.post("/api/v1/check", headers=_bearer(small_app), json={
        "narrative": "Performance fell to 51% because 3 of 15 posts were vacant."})
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "NQE110" and "20 s" in body["message"]
