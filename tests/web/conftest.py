"""The web app in-process (FastAPI's TestClient) over a SQLite file and over PostgreSQL,
with a clock the tests can move and demo accounts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from narrative_qa.store import schema, web_schema
from narrative_qa.store.accounts import Accounts
from narrative_qa.web.app import create_app
from narrative_qa.web.settings import WebSettings

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self, now: float = 1_760_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def _empty(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as db:
        for table in (schema.submission_window, web_schema.upload, web_schema.login_attempt,
                      web_schema.api_token, web_schema.session,
                      web_schema.user, schema.forecast, schema.finding, schema.decision,
                      schema.submission):
            if sa.inspect(db).has_table(table.name):
                db.execute(table.delete())
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path, store_templates):
    if request.param == "sqlite":
        return store_templates.fresh(tmp_path / "history.db")
    url = request.getfixturevalue("postgres_url")
    _empty(url)
    return url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_app(db_url, settings, clock):
    built = []

    def build(**options):
        web = WebSettings(warm_models=False, **options)
        from narrative_qa.store.history import History

        accounts = Accounts(History(db_url).engine, clock=clock)
        built.append(create_app(db_url, settings, web, accounts=accounts))
        return built[-1]

    yield build
    # An upload still being scored in its app's background thread would write into the
    # store the next test has just emptied (on PostgreSQL the tests share one database).
    for app in built:
        worker = getattr(app.state.nq, "upload_worker", None)
        if worker is not None:
            worker.pool.shutdown(wait=True)


@pytest.fixture
def app(make_app):
    app = make_app()
    accounts = app.state.nq.accounts
    accounts.add_user("olive", PASSWORD, "officer", display_name="Olive Officer",
                      owner_name="Olive Owen")
    accounts.add_user("oscar", PASSWORD, "officer", display_name="Oscar Other",
                      owner_name="Oscar Other")
    accounts.add_user("rita", PASSWORD, "reviewer", services=["Children's Services"])
    accounts.add_user("adam", PASSWORD, "admin")
    return app


@pytest.fixture
def client(app):
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]*)"', html)
    assert match, "page has no CSRF meta tag"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_of(page.text), "next": "/"},
                       follow_redirects=False)


@pytest.fixture
def officer(client):
    response = sign_in(client, "olive")
    assert response.status_code == 303, response.text
    return client


def token(client: TestClient, path: str = "/selfcheck") -> str:
    return csrf_of(client.get(path).text)


def open_period(app, period: str = "2025/26 Q2") -> None:
    """The performance team opens `period` for officers' submissions."""
    from narrative_qa.store import windows

    windows.open_period(app.state.nq.history, period, "Performance Team")


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser():
    """Debian's Chromium under Playwright (skipped, saying why, when either is missing)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS,
                                     headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
