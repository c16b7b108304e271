"""Issue 16's high defects in Debian's Chromium (Playwright), over the sample's quarters:
another officer's KPI cannot be read or written in any spelling (1, 2); a cache deleted
under the running server changes nothing for the officer (3); Enter never submits, the
confirmation shows what will be stored, and a submission can be withdrawn (4); drafts
do not outlive sign-out (6)."""

from __future__ import annotations

import shutil

import pytest

from narrative_qa.language import embeddings
from tests.web.test_browser import P2, running, sample_app, sign_in
from tests.web.test_selfcheck import DRAFT

pytestmark = pytest.mark.skipif(not __import__("pathlib").Path("/usr/bin/chromium").exists(),
                                reason="Debian's chromium is not installed at /usr/bin/chromium")


@pytest.fixture
def served(db_url, settings, tmp_path, monkeypatch):
    """(base URL, app, the embedding cache file the server uses)."""
    monkeypatch.setenv("NARRATIVE_QA_CACHE", str(tmp_path / "cache"))
    embeddings.default_embedder.cache_clear()
    app = sample_app(db_url, settings)
    try:
        with running(app) as url:
            yield url, app, tmp_path / "cache" / "embeddings.sqlite"
    finally:
        embeddings.default_embedder.cache_clear()


def _findings(page) -> str:
    page.locator("#findings section.verdict, #findings .error").first.wait_for(timeout=60_000)
    return page.inner_text("#findings")


def test_another_officers_kpi_in_another_case_is_neither_read_nor_written(served, browser):
    base, app, _ = served
    history = app.state.nq.history
    (theirs,) = history.current(P2, "HL-01")
    secret = theirs.record["narrative"].split(".")[0]
    page = browser.new_context().new_page()
    sign_in(page, base, "olive")
    refused = page.goto(f"{base}/selfcheck?kpi=hl-01")
    assert refused.status == 403 and secret not in page.content()
    page.goto(f"{base}/selfcheck")
    page.fill("input[name=kpi_id]", "hl-01")
    page.fill("input[name=period]", P2)
    page.fill("textarea[name=narrative]", DRAFT)
    panel = _findings(page)
    assert "NQE104" in panel and secret not in page.content()
    before = history.versions("HL-01", P2)
    page.click("form#draft button.submit-draft")
    page.wait_for_load_state()
    assert "NQE104" in page.content() and secret not in page.content()
    assert history.versions("HL-01", P2) == before


def test_a_cache_deleted_under_the_server_changes_nothing(served, browser):
    base, _, cache = served
    page = browser.new_context().new_page()
    sign_in(page, base, "olive")
    page.goto(f"{base}/selfcheck?kpi=CS-05")
    page.fill("textarea[name=narrative]", DRAFT)
    assert "Verdict:" in _findings(page) and cache.exists()
    shutil.rmtree(cache.parent)
    with page.expect_response(lambda r: r.url.endswith("/selfcheck/check")) as answer:
        page.fill("textarea[name=narrative]", DRAFT + " We appointed 3 WTE in August.")
    assert answer.value.status == 200
    page.wait_for_function("document.querySelector('#findings').innerText.includes('WTE')")
    assert "NQE113" not in page.inner_text("#findings")


def test_enter_never_submits_and_a_submission_is_confirmed_then_withdrawn(served, browser):
    base, app, _ = served
    history = app.state.nq.history
    page = browser.new_context().new_page()
    sign_in(page, base, "olive")
    page.goto(f"{base}/selfcheck?kpi=CS-05")
    page.fill("textarea[name=narrative]", DRAFT)
    _findings(page)
    for field in ("kpi_name", "target", "actual", "period"):
        page.focus(f"input[name={field}]")
        page.keyboard.press("Enter")
    page.wait_for_timeout(500)  # time for a navigation, had Enter started one
    assert page.url.endswith("/selfcheck?kpi=CS-05")
    assert [v["version"] for v in history.versions("CS-05", P2)] == [1]
    page.click("form#draft button.submit-draft")
    page.wait_for_load_state()
    assert "Nothing is stored yet" in page.content()
    assert page.inner_text("#narrative-to-store") == DRAFT
    assert "CS-05" in page.inner_text("#to-store") and P2 in page.inner_text("#to-store")
    assert [v["version"] for v in history.versions("CS-05", P2)] == [1]
    page.click("form#confirm button[value=yes]")
    page.wait_for_load_state()
    assert "stored as version 2" in page.content()
    page.click("form#withdraw button[type=submit]")
    page.wait_for_load_state()
    assert "version 3 records the withdrawal" in page.inner_text("#withdrawn")
    assert history.current(P2, "CS-05") == []


def test_a_draft_does_not_outlive_sign_out(served, browser):
    base, _, _ = served
    page = browser.new_context().new_page()
    sign_in(page, base, "olive")
    page.goto(f"{base}/selfcheck")
    page.fill("input[name=kpi_id]", "NEW-1")
    page.fill("textarea[name=narrative]", "Olive's unsent draft with 3 figures.")
    page.click("form.signout button[type=submit]")
    page.wait_for_load_state()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('narrative_qa'))"
                         ) == []
    sign_in(page, base, "oscar")
    page.goto(f"{base}/selfcheck")
    page.wait_for_timeout(300)
    assert page.input_value("textarea[name=narrative]") == ""


def test_every_page_fits_a_390_px_phone(served, browser):
    """Defect 24: at 390 px the page was 905 px wide."""
    base, _, _ = served
    widths = {}
    for username, paths in (("olive", ["/selfcheck?kpi=CS-05"]),
                            ("rita", ["/screening", f"/screening/submission?period="
                                      f"{P2.replace('/', '%2F')}&kpi=CS-05"])):
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        sign_in(page, base, username)
        for path in paths:
            page.goto(f"{base}{path}")
            if path.startswith("/selfcheck"):
                page.fill("textarea[name=narrative]", DRAFT)
                _findings(page)
            widths[path] = page.evaluate("document.documentElement.scrollWidth")
    assert all(width <= 390 for width in widths.values()), widths
