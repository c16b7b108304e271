"""Suggested rewrites in the self-check (issue 16, What to add): each flagged sentence with
its rewrite, escaped, and a button that puts it into the draft (Chromium: the sentence is
replaced and each [slot] is selected in turn with Tab)."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.web.test_browser import P2, running, sample_app, sign_in
from tests.web.test_selfcheck import DRAFT, FIELDS, _post

NQ04_REWRITE = ("Recruitment remains a challenge: [number] WTE vacancies ([%] of "
                "establishment) at [date].")


def test_the_findings_panel_offers_each_rewrite_escaped(officer):
    narrative = DRAFT + " The <b>CMHT</b> continues to monitor waiting times."
    response = _post(officer, "/selfcheck/check", {**FIELDS, "narrative": narrative},
                     headers={"HX-Request": "true"})
    assert response.status_code == 200, response.text
    page = response.text
    buttons = re.findall(r'<button type="button" class="use-rewrite" data-sentence="([^"]*)" '
                         r'data-rewrite="([^"]*)"', page)
    pairs = [(html_lib.unescape(s), html_lib.unescape(r)) for s, r in buttons]
    assert ("Recruitment remains a challenge.", NQ04_REWRITE) in pairs
    assert "<b>" not in page and "&lt;b&gt;" in page  # the officer's markup stays text
    assert any(s.startswith("The &lt;b&gt;CMHT") for s, _ in buttons)


def test_the_confirmation_shows_rewrites_without_a_button(officer, app):
    from tests.web.conftest import open_period

    open_period(app, P2)
    page = _post(officer, "/selfcheck/submit", {**FIELDS, "narrative": DRAFT}).text
    assert "Suggested rewrite" in page and "use-rewrite" not in page


@pytest.fixture
def served(db_url, settings):
    with running(sample_app(db_url, settings)) as url:
        yield url


def test_a_rewrite_goes_into_the_draft_with_its_slots_in_turn(served, browser):
    expect = pytest.importorskip("playwright.sync_api").expect
    page = browser.new_context().new_page()
    sign_in(page, served, "olive")
    page.goto(f"{served}/selfcheck?kpi=CS-05")
    page.fill("textarea[name=narrative]", DRAFT)
    button = page.locator("#findings button.use-rewrite[data-sentence='Recruitment remains "
                          "a challenge.']")
    button.first.wait_for(timeout=60_000)
    button.first.click()
    text = "textarea[name=narrative]"
    assert page.input_value(text) == DRAFT.replace("Recruitment remains a challenge.",
                                                   NQ04_REWRITE)
    selected = "(() => { const t = document.querySelector('textarea[name=narrative]'); " \
               "return t.value.slice(t.selectionStart, t.selectionEnd); })()"
    assert page.evaluate(selected) == "[number]"
    page.keyboard.type("6.5")
    page.keyboard.press("Tab")
    assert page.evaluate(selected) == "[%]"
    page.keyboard.type("18%")
    page.keyboard.press("Tab")
    assert page.evaluate(selected) == "[date]"
    page.keyboard.type("30 September 2025")
    assert ("Recruitment remains a challenge: 6.5 WTE vacancies (18% of establishment) at "
            "30 September 2025.") in page.input_value(text)
    # checked again after typing: the sentence is no longer flagged, so its button is gone
    expect(button).to_have_count(0, timeout=60_000)
