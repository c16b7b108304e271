"""Submitting from the self-check (issue 16): only for KPIs the officer owns and periods
the performance team has opened (defect 2); an explicit, confirmed step that shows what
will be stored, and a withdrawal kept as a new version while the period is open (4); the
text kept after a refused submit (5); the period kept after submitting (27); deep links
kept through sign-in (10)."""

from __future__ import annotations

import html
import re

from narrative_qa.api import check_draft
from narrative_qa.store import windows
from tests.web.conftest import csrf_of, open_period, sign_in
from tests.web.test_selfcheck import DRAFT, FIELDS

P1, P2, P3 = "2025/26 Q1", "2025/26 Q2", "2025/26 Q3"


def _store(app, settings, kpi_id: str, owner: str, period: str = P1,
           narrative: str = "Up to 55% after 3 hires.", source: str = "upload.xlsx") -> None:
    assessment = check_draft(narrative, settings, kpi_id=kpi_id, kpi_name=f"KPI {kpi_id}",
                             target="60", actual="55", unit="%", period=period, owner=owner,
                             service="Children's Services")
    app.state.nq.history.ingest([assessment], period, source)


def _post(client, path: str, data: dict, **kwargs):
    token = csrf_of(client.get("/selfcheck").text)
    return client.post(path, data={"csrf_token": token, **data}, **kwargs)


def _submit(client, kpi_id: str, period: str, confirmed: bool = True, narrative=DRAFT):
    data = {**FIELDS, "kpi_id": kpi_id, "period": period, "narrative": narrative}
    if confirmed:
        data["confirmed"] = "yes"
    return _post(client, "/selfcheck/submit", data)


def test_submitting_for_a_period_not_opened_is_refused(officer, app):
    response = _submit(officer, "NEW-1", P2)
    assert response.status_code == 422 and "NQE120" in response.text
    assert "open periods: none" in response.text
    assert app.state.nq.history.periods() == []
    open_period(app, P2)
    assert _submit(officer, "NEW-1", P2).status_code == 200
    assert [v["version"] for v in app.state.nq.history.versions("NEW-1", P2)] == [1]


def test_another_officers_kpi_cannot_be_written_in_any_spelling(officer, app, settings):
    """The reported case: 'hl-01' for a future period was stored and became HL-01's
    previous quarter for its owner."""
    _store(app, settings, "HL-01", "Oscar Other")
    open_period(app, P2)
    open_period(app, P3)
    history = app.state.nq.history
    for spelling, period in (("hl-01", P3), (" HL-01", P2), ("Hl-01", P2)):
        response = _submit(officer, spelling, period)
        assert response.status_code == 403 and "NQE104" in response.text, spelling
    assert history.periods() == [P1]
    assert history.versions("HL-01", P2) == [] and history.versions("HL-01", P3) == []


def test_submit_shows_what_will_be_stored_then_stores_only_when_confirmed(officer, app,
                                                                          settings):
    _store(app, settings, "MINE-1", "Olive Owen")
    open_period(app, P2)
    history = app.state.nq.history
    shown = _submit(officer, "mine-1", "2025-26 q2", confirmed=False)
    assert shown.status_code == 200 and history.versions("MINE-1", P2) == []
    html = shown.text
    assert "Nothing is stored yet" in html and "Store this version" in html
    assert re.search(r"<th scope=\"row\">KPI reference</th><td>MINE-1</td>", html)
    assert re.search(r"<th scope=\"row\">Period</th><td>2025/26 Q2</td>", html)
    assert "<th scope=\"row\">Polarity</th><td>Higher is better</td>" in html
    assert "Recruitment remains a challenge." in html and "Verdict:" in html
    stored = _submit(officer, "mine-1", "2025-26 q2")
    assert stored.status_code == 200 and "version 1" in stored.text
    (row,) = history.current(P2, "MINE-1")
    assert row.kpi_id == "MINE-1" and row.period == P2  # as stored, not as typed
    assert history.periods() == [P1, P2]


def test_back_to_the_draft_keeps_every_field(officer, app):
    open_period(app, P2)
    data = {**FIELDS, "narrative": DRAFT + " <b>x</b>", "kpi_name": "Name & more"}
    page = _post(officer, "/selfcheck/edit", data)
    assert page.status_code == 200
    assert "We will introduce a new tracking system in due course. &lt;b&gt;x&lt;/b&gt;" \
        "</textarea>" in page.text
    assert 'value="Name &amp; more"' in page.text and 'data-fresh="1"' in page.text


def test_enter_cannot_submit_the_draft_form(officer, app):
    """The draft form's default button is disabled, so HTML's implicit submission (Enter
    in a field) does nothing; the explicit button leads to the confirmation."""
    page = officer.get("/selfcheck").text
    form = page[page.index('<form id="draft"'):]
    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert 'type="submit"' in first_button and "disabled" in first_button


def test_a_submission_can_be_withdrawn_while_the_period_is_open(officer, app, settings):
    _store(app, settings, "MINE-1", "Olive Owen")
    open_period(app, P2)
    history = app.state.nq.history
    submitted = _submit(officer, "MINE-1", P2)
    assert 'action="/selfcheck/withdraw"' in submitted.text
    withdrawn = _post(officer, "/selfcheck/withdraw", {"kpi_id": "mine-1", "period": P2})
    assert withdrawn.status_code == 200 and "version 2 records the withdrawal" in withdrawn.text
    assert history.current(P2, "MINE-1") == []
    assert [(v["version"], v["withdrawn"]) for v in history.versions("MINE-1", P2)] == [
        (1, False), (2, True)]
    again = _post(officer, "/selfcheck/withdraw", {"kpi_id": "MINE-1", "period": P2})
    assert again.status_code == 422 and "NQE121" in again.text
    _submit(officer, "MINE-1", P2)
    windows.close_period(history, P2, "Performance Team")
    closed = _post(officer, "/selfcheck/withdraw", {"kpi_id": "MINE-1", "period": P2})
    assert closed.status_code == 422 and "NQE120" in closed.text
    assert _submit(officer, "MINE-1", P2).status_code == 422
    assert [s.version for s in history.current(P2, "MINE-1")] == [3]


def test_only_ones_own_web_submission_can_be_withdrawn(officer, app, settings):
    open_period(app, P2)
    _store(app, settings, "MINE-1", "Olive Owen", period=P2)  # the quarter's upload
    uploaded = _post(officer, "/selfcheck/withdraw", {"kpi_id": "MINE-1", "period": P2})
    assert uploaded.status_code == 422 and "NQE121" in uploaded.text
    _store(app, settings, "HL-01", "Oscar Other", period=P2, source="web:oscar")
    theirs = _post(officer, "/selfcheck/withdraw", {"kpi_id": "hl-01", "period": P2})
    assert theirs.status_code == 403
    assert len(app.state.nq.history.current(P2)) == 2


def test_a_refused_submit_keeps_the_text_of_an_unlisted_kpi(officer, app):
    """Defect 5: the page shown after the refusal had an empty narrative box."""
    response = _submit(officer, "UNLISTED-9", P2, narrative="My unsaved words, 12 cases.")
    assert response.status_code == 422
    assert "My unsaved words, 12 cases.</textarea>" in response.text
    assert 'value="UNLISTED-9"' in response.text


def test_after_submitting_the_self_check_stays_on_the_period(officer, app, settings):
    """Defect 27: back on the self-check, the form offered the quarter after."""
    _store(app, settings, "MINE-1", "Olive Owen")
    open_period(app, P2)
    submitted = _submit(officer, "MINE-1", P2)
    back = re.search(r'href="(/selfcheck\?kpi=[^"]*)">Back to the self-check', submitted.text)
    page = officer.get(back.group(1).replace("&amp;", "&"))
    assert 'name="period" value="2025/26 Q2"' in page.text
    plain = officer.get("/selfcheck", params={"kpi": "MINE-1"})
    assert 'name="period" value="2025/26 Q2"' in plain.text  # the open period


def test_a_deep_link_keeps_its_query_through_sign_in(client, app):
    """Defect 10."""
    wanted = "/screening?period=2025%2F26+Q2&code=NQ04"
    first = client.get(wanted, follow_redirects=False)
    assert first.status_code == 303
    login = client.get(first.headers["location"])
    token = csrf_of(login.text)
    next_value = re.search(r'name="next" value="([^"]*)"', login.text).group(1)
    signed_in = client.post("/login", data={"username": "rita", "password":
                                            "correct horse battery", "csrf_token": token,
                                            "next": next_value.replace("&amp;", "&")},
                            follow_redirects=False)
    assert signed_in.headers["location"] == wanted


def test_sign_out_says_drafts_were_removed(officer):
    token = csrf_of(officer.get("/selfcheck").text)
    out = officer.post("/logout", data={"csrf_token": token}, follow_redirects=True)
    assert "data-signed-out" in out.text
    sign_in(officer, "olive")
    assert 'name="nq-user" content="olive"' in officer.get("/selfcheck").text


def test_an_admin_opens_and_closes_a_period_in_the_web_app(client, app):
    sign_in(client, "adam")
    page = client.get("/admin/periods")
    assert page.status_code == 200 and "No period has been opened yet" in page.text
    token = csrf_of(page.text)
    opened = client.post("/admin/periods", data={"csrf_token": token, "period": "2025-26 q2",
                                                 "action": "open"})
    assert opened.status_code == 200 and 'data-period="2025/26 Q2"' in opened.text
    assert windows.open_periods(app.state.nq.history) == [P2]
    client.post("/admin/periods", data={"csrf_token": token, "period": P2, "action": "close"})
    assert windows.open_periods(app.state.nq.history) == []
    bad = client.post("/admin/periods", data={"csrf_token": token, "period": "soon",
                                              "action": "open"})
    assert bad.status_code == 400 and "NQE024" in bad.text


def test_officers_and_reviewers_cannot_open_periods(client, app):
    for username in ("olive", "rita"):
        sign_in(client, username)
        assert client.get("/admin/periods").status_code == 403
    assert windows.open_periods(app.state.nq.history) == []


def test_my_submissions_lists_versions_verdicts_and_reviewers_reasons(officer, app, settings):
    """Issue 16, 'What to add': an officer's own submissions and the feedback on them."""
    _store(app, settings, "MINE-1", "Olive Owen", narrative="Recruitment remains a "
           "challenge.")
    _store(app, settings, "HL-01", "Oscar Other", narrative="Oscar's secret.")
    history = app.state.nq.history
    history.decide("MINE-1", P1, "NQ04", "confirmed", "give the vacancy count", "Rita")
    open_period(app, P2)
    _submit(officer, "MINE-1", P2)
    _post(officer, "/selfcheck/withdraw", {"kpi_id": "MINE-1", "period": P2})
    page = officer.get("/selfcheck/mine")
    assert page.status_code == 200 and "HL-01" not in page.text and "secret" not in page.text
    rows = re.findall(r"<tr><td>(2025/26 Q\d)</td><td>(\d)</td>.*?<td>(you|the quarter's "
                      r"file)</td>\s*<td>([a-z-]+)</td>", html.unescape(page.text), re.S)
    assert rows == [(P2, "2", "you", "withdrawn"), (P2, "1", "you", "not-acceptable"),
                    (P1, "1", "the quarter's file", history.kpi_versions("MINE-1")[-1][
                        "verdict"])]
    assert "NQ04 confirmed by Rita" in page.text and "give the vacancy count" in page.text


def test_a_withdrawn_version_reads_through_the_api(officer, client, app, settings):
    _store(app, settings, "MINE-1", "Olive Owen")
    open_period(app, P2)
    _submit(officer, "MINE-1", P2)
    _post(officer, "/selfcheck/withdraw", {"kpi_id": "MINE-1", "period": P2})
    history = app.state.nq.history
    (withdrawn,) = [v for v in history.versions("MINE-1", P2) if v["withdrawn"]]
    token = app.state.nq.accounts.issue_token("olive", "t")
    officer.cookies.clear()
    body = officer.get(f"/api/v1/submissions/{withdrawn['id']}",
                       headers={"Authorization": f"Bearer {token}"})
    assert body.status_code == 200, body.text
    assert body.json()["assessment"]["verdict"] == "withdrawn"
    assert body.json()["is_current"] is True
    listed = officer.get("/api/v1/submissions", params={"period": P2},
                         headers={"Authorization": f"Bearer {token}"}).json()
    assert listed == []


def test_only_one_nav_entry_is_current(officer):
    page = officer.get("/selfcheck/mine").text
    assert page.count('aria-current="page"') == 1
    assert re.search(r'href="/selfcheck/mine" aria-current="page"', page)
