"""Issue 16's 'What to add' pages in Debian's Chromium (Playwright): the reviewer's page
puts last period's narrative and this period's side by side with what changed marked (and
stacks them on a phone); the officer's and the admin's pages fit a 390 px phone too."""

from __future__ import annotations

import pytest

from tests.web.test_browser import P2, PASSWORD, running, sample_app, sign_in

pytestmark = pytest.mark.skipif(not __import__("pathlib").Path("/usr/bin/chromium").exists(),
                                reason="Debian's chromium is not installed at /usr/bin/chromium")
SUBMISSION = f"/screening/submission?period={P2.replace('/', '%2F')}&kpi=CS-05"


@pytest.fixture
def served(db_url, settings):
    app = sample_app(db_url, settings)
    app.state.nq.accounts.add_user("adam", PASSWORD, "admin")
    with running(app) as url:
        yield url


def _columns(page) -> list[dict]:
    return page.evaluate("Array.from(document.querySelectorAll('#changes > div'))"
                         ".map(d => d.getBoundingClientRect().toJSON())")


def test_the_reviewer_reads_both_narratives_side_by_side_with_changes_marked(served,
                                                                             browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, served, "rita")
    page.goto(f"{served}{SUBMISSION}")
    before, after = _columns(page)
    assert before["top"] == after["top"] and before["right"] <= after["left"]
    assert page.locator("#changes > div").first.inner_text().startswith("2025/26 Q1")
    assert page.locator("#changes del").count() > 0  # words dropped since Q1
    assert page.locator("#changes ins").count() > 0  # words added in Q2
    assert page.evaluate("getComputedStyle(document.querySelector('#changes ins'))"
                         ".backgroundColor") != "rgba(0, 0, 0, 0)"
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(phone, served, "rita")
    phone.goto(f"{served}{SUBMISSION}")
    before, after = _columns(phone)
    assert before["bottom"] <= after["top"]  # stacked on a phone
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_officers_and_admins_pages_fit_a_390_px_phone(served, browser):
    widths = {}
    for username, paths in (("olive", ["/selfcheck/mine"]),
                            ("adam", ["/admin/users", "/admin/periods", "/upload"])):
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        sign_in(page, served, username)
        for path in paths:
            response = page.goto(f"{served}{path}")
            assert response.status == 200, path
            widths[path] = page.evaluate("document.documentElement.scrollWidth")
    assert all(width <= 390 for width in widths.values()), widths
