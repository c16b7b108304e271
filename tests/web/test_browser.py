"""The web app in Debian's Chromium, driven by Playwright, on SQLite and on PostgreSQL:
an officer self-checks, reloads and submits; a reviewer filters, dismisses with a reason
and downloads the report without the finding; officers are kept apart; /docs loads."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from narrative_qa.api import ingest_file
from narrative_qa.web.app import create_app
from narrative_qa.web.settings import WebSettings
from tests.conftest import Q1, Q2
from tests.web.test_selfcheck import DRAFT

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "correct horse battery"
OWNER = "Head of Children's Services North East"  # owns CS-03 and CS-05 in the sample
OTHER = "Head of Homelessness Services"
P2 = "2025/26 Q2"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian's chromium is not installed at /usr/bin/chromium")
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sample_app(db_url: str, settings):
    """The app over the sample's two quarters, with 2025/26 Q2 open for submissions."""
    from narrative_qa.store import windows

    app = create_app(db_url, settings, WebSettings(warm_models=False))
    state = app.state.nq
    ingest_file(Q1, "2025/26 Q1", state.history, settings=settings)
    ingest_file(Q2, P2, state.history, settings=settings)
    windows.open_period(state.history, P2, "Performance Team")
    state.accounts.add_user("olive", PASSWORD, "officer", owner_name=OWNER)
    state.accounts.add_user("oscar", PASSWORD, "officer", owner_name=OTHER)
    state.accounts.add_user("rita", PASSWORD, "reviewer", services=["Children's Services"])
    return app


@pytest.fixture
def server(db_url, settings) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, over the sample's two quarters."""
    with running(sample_app(db_url, settings)) as url:
        yield url


@contextmanager
def running(app) -> Iterator[str]:
    """`app` under uvicorn on a free loopback port."""
    import uvicorn

    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()


def test_officer_then_reviewer_in_chromium(server, browser, tmp_path):
    officer = browser.new_context(accept_downloads=True).new_page()
    sign_in(officer, server, "olive")
    assert officer.url.endswith("/selfcheck")
    officer.goto(f"{server}/selfcheck?kpi=CS-05")
    officer.fill("input[name=period]", P2)  # a resubmission of the sample's quarter
    officer.fill("textarea[name=narrative]", DRAFT)
    marked = officer.locator("#findings mark[data-codes*='NQ04']")
    marked.first.wait_for(timeout=60_000)
    assert "Recruitment remains a challenge." in marked.all_inner_texts()
    officer.reload()
    officer.wait_for_function(
        "document.querySelector('textarea[name=narrative]').value.length > 0")
    assert officer.input_value("textarea[name=narrative]") == DRAFT
    assert officer.input_value("input[name=period]") == P2  # the open period
    officer.click("form#draft button.submit-draft")
    officer.wait_for_load_state()
    officer.click("form#confirm button[value=yes]")
    officer.wait_for_load_state()
    assert "version 2" in officer.content()  # the sample's CS-05 is version 1

    refused = officer.goto(f"{server}/selfcheck?kpi=HL-01")
    assert refused.status == 403 and "NQE104" in officer.content()
    assert officer.goto(f"{server}/screening").status == 403

    reviewer = browser.new_context(accept_downloads=True).new_page()
    sign_in(reviewer, server, "rita")
    assert "/screening" in reviewer.url
    reviewer.select_option("select[name=code]", "NQ04")
    reviewer.click("form#filters button[type=submit]")
    reviewer.wait_for_load_state()
    assert "code=NQ04" in reviewer.url
    rows = reviewer.locator("#queue tbody tr[data-kpi]")
    kpis = [rows.nth(i).get_attribute("data-kpi") for i in range(rows.count())]
    assert "CS-05" in kpis and all(k.startswith("CS-") for k in kpis)
    reviewer.click("#queue a:text-is('CS-05')")
    reviewer.wait_for_load_state()
    form = reviewer.locator("article.finding[data-code='NQ04'] form.decide").first
    form.locator("input[name=reason]").fill("the recruitment plan is in the appendix")
    form.locator("button[value=dismissed]").click()
    reviewer.wait_for_load_state()
    assert "Dismissed by rita" in reviewer.content()
    reviewer.click("a:text('Back to the queue')")
    reviewer.wait_for_load_state()
    with reviewer.expect_download() as download:
        reviewer.click("a:text('the ELT report (HTML)')")
    path = tmp_path / "report.html"
    download.value.save_as(path)
    report = path.read_text(encoding="utf-8")
    sections = re.findall(r'<section class="kpi".*?</section>', report, re.S)
    (cs05,) = [s for s in sections if "CS-05" in s]
    assert "NQ04" not in cs05 and any("NQ04" in s for s in sections)

    docs = reviewer.goto(f"{server}/docs")
    assert docs.status == 200 and "POST /api/v1/check" in reviewer.content()
    spec = reviewer.goto(f"{server}/openapi.json")
    assert spec.status == 200 and "/api/v1/submissions" in spec.text()
