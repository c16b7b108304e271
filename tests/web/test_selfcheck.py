"""Self-check and submit: findings marked in place, everything escaped, versions kept,
Word uploads, bad input refused with a code (never a 500), officers kept apart."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest

from narrative_qa.api import check_draft
from tests.web.conftest import csrf_of, open_period, sign_in

P1, P2 = "2025/26 Q1", "2025/26 Q2"
DRAFT = ("Performance remains below target. Recruitment remains a challenge. We will "
         "introduce a new tracking system in due course.")
FIELDS = {"kpi_id": "CS-05", "kpi_name": "% of SCRA reports on time", "period": P2,
          "target": "60", "actual": "51", "unit": "%", "polarity": "up",
          "stated_rag": "amber"}


def _store_kpi(app, settings, kpi_id: str, owner: str, narrative: str = "Up to 55%.") -> None:
    assessment = check_draft(narrative, settings, kpi_id=kpi_id, kpi_name=f"KPI {kpi_id}",
                             target="60", actual="55", unit="%", period=P1, owner=owner,
                             service="Children's Services")
    app.state.nq.history.ingest([assessment], P1, "test")


def _post(client, path: str, data: dict, **kwargs):
    page = client.get("/selfcheck")
    return client.post(path, data={"csrf_token": csrf_of(page.text), **data}, **kwargs)


def test_partial_marks_the_nq04_sentence_and_escapes_everything(officer):
    narrative = DRAFT + " <script>alert('x')</script> & more."
    response = _post(officer, "/selfcheck/check", {**FIELDS, "narrative": narrative},
                     headers={"HX-Request": "true"})
    assert response.status_code == 200, response.text
    html = response.text
    marked = re.findall(r'<mark data-codes="([^"]*)"[^>]*>(.*?)</mark>', html)
    assert ("Recruitment remains a challenge." in [text for _, text in marked])
    assert any("NQ04" in codes for codes, _ in marked)
    assert "<script>" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&amp; more." in html
    assert html.index("High (") < html.index("Low (") if "Low (" in html else True
    assert "What to add:" in html and "Example of good narrative:" in html


def test_submit_stores_version_1_then_2_with_its_findings(officer, app):
    open_period(app, P2)
    first = _post(officer, "/selfcheck/submit", {**FIELDS, "narrative": DRAFT,
                                                 "confirmed": "yes"})
    assert first.status_code == 200 and "version 1" in first.text
    second = _post(officer, "/selfcheck/submit", {**FIELDS, "narrative": DRAFT + " More.",
                                                  "confirmed": "yes"})
    assert "version 2" in second.text and "data-clear-draft=\"CS-05\"" in second.text
    history = app.state.nq.history
    versions = history.versions("CS-05", P2)
    assert [v["version"] for v in versions] == [1, 2]
    assert [v["is_current"] for v in versions] == [False, True]
    (stored,) = history.current(P2, "CS-05")
    assert stored.record["owner"] == "Olive Owen" and stored.record["actual"] == 51
    assert "NQ04" in {f["code"] for f in stored.findings}


def test_a_check_stores_nothing(officer, app):
    _post(officer, "/selfcheck/check", {**FIELDS, "narrative": DRAFT})
    assert app.state.nq.history.periods() == []


def test_officer_cannot_read_or_submit_another_officers_kpi(officer, app, settings):
    _store_kpi(app, settings, "MINE-1", "Olive Owen")
    _store_kpi(app, settings, "THEIRS-1", "Oscar Other", "Oscar's secret narrative.")
    page = officer.get("/selfcheck")
    assert "MINE-1" in page.text and "THEIRS-1" not in page.text
    mine = officer.get("/selfcheck", params={"kpi": "MINE-1"})
    assert mine.status_code == 200 and 'value="2025/26 Q2"' in mine.text
    theirs = officer.get("/selfcheck", params={"kpi": "THEIRS-1"})
    assert theirs.status_code == 403 and "NQE104" in theirs.text
    assert "secret" not in theirs.text
    for path in ("/selfcheck/check", "/selfcheck/submit", "/selfcheck/docx"):
        refused = _post(officer, path, {**FIELDS, "kpi_id": "THEIRS-1", "narrative": DRAFT})
        assert refused.status_code == 403 and "NQE104" in refused.text, path
        assert "secret" not in refused.text
    assert [v["version"] for v in app.state.nq.history.versions("THEIRS-1", P2)] == []


def test_previous_narrative_comes_from_the_store(officer, app, settings):
    _store_kpi(app, settings, "MINE-1", "Olive Owen", "We recruited 4 social workers in Q1.")
    page = officer.get("/selfcheck", params={"kpi": "MINE-1"})
    assert "We recruited 4 social workers in Q1." in page.text


def _docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_upload_fills_the_narrative(officer):
    data = _docx("Recruitment remains a challenge.\n<b>bold?</b>")
    response = _post(officer, "/selfcheck/docx", FIELDS,
                     files={"document": ("draft.docx", data)})
    assert response.status_code == 200
    assert 'data-fresh="1"' in response.text
    assert "Recruitment remains a challenge.\n&lt;b&gt;bold?&lt;/b&gt;</textarea>" in \
        response.text


@pytest.mark.parametrize("name,data", [
    ("draft.docx", b"this is plain text, not a zip"),
    ("draft.pdf", b"%PDF-1.4"),
    ("draft.docx", b"PK\x05\x06" + b"\0" * 18),  # an empty zip: not a Word document
])
def test_a_non_docx_upload_is_a_form_error(officer, name, data):
    response = _post(officer, "/selfcheck/docx", FIELDS, files={"document": (name, data)})
    assert response.status_code == 422 and "NQE105" in response.text


def test_an_upload_with_no_file_is_a_form_error(officer):
    response = _post(officer, "/selfcheck/docx", FIELDS)
    assert response.status_code == 422 and "NQE106" in response.text


def test_oversized_narrative_says_the_limit(officer, app, settings):
    open_period(app, P2)
    text = "word " * (settings.max_narrative_chars // 5 + 10)
    for path in ("/selfcheck/check", "/selfcheck/submit"):
        response = _post(officer, path, {**FIELDS, "narrative": text})
        assert response.status_code == 422 and "NQE021" in response.text, path
        assert f"{settings.max_narrative_chars:,} characters" in response.text


def test_submit_with_missing_fields_is_a_form_error(officer, app):
    response = _post(officer, "/selfcheck/submit", {"narrative": DRAFT})
    assert response.status_code == 422 and "NQE106" in response.text
    assert "kpi_id" in response.text
    bad_period = _post(officer, "/selfcheck/submit", {**FIELDS, "period": "soon",
                                                      "narrative": DRAFT})
    assert bad_period.status_code == 422 and "NQE024" in bad_period.text
    open_period(app, P2)
    empty = _post(officer, "/selfcheck/submit", {**FIELDS, "narrative": "  "})
    assert empty.status_code == 422 and "NQE020" in empty.text
    assert app.state.nq.history.periods() == []


def test_a_wrong_number_is_a_form_error_not_a_500(officer):
    response = _post(officer, "/selfcheck/submit", {**FIELDS, "actual": "lots",
                                                    "narrative": DRAFT})
    assert response.status_code in (200, 422) and "NQE" in response.text


def test_expired_session_mid_edit_is_a_401_fragment_keeping_the_draft(officer, clock, app):
    page = officer.get("/selfcheck")
    token = csrf_of(page.text)
    clock.now += app.state.nq.web.session_idle_seconds + 1
    response = officer.post("/selfcheck/check", data={**FIELDS, "narrative": DRAFT},
                            headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert response.status_code == 401 and "NQE100" in response.text
    assert 'target="_blank"' in response.text and "draft" in response.text
    assert "<html" not in response.text  # a fragment for the findings panel
    submit = officer.post("/selfcheck/submit", data={**FIELDS, "narrative": DRAFT,
                                                     "csrf_token": token})
    assert submit.status_code == 401 and "NQE100" in submit.text


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.inline.append(tag)
        self.handlers += [n for n, _ in attrs if n.startswith("on") or n.startswith("hx-on")]
        if any((v or "").strip().lower().startswith("javascript:") for _, v in attrs):
            self.handlers.append("javascript: url")


def test_every_page_has_the_csp_and_no_inline_script(client, app, settings):
    pages = [client.get("/login")]
    for username, paths in (("olive", ["/selfcheck", "/no-such-page"]),
                            ("adam", ["/admin/users"])):
        sign_in(client, username)
        pages += [client.get(path) for path in paths]
        token = csrf_of(pages[-1].text)
        client.post("/logout", data={"csrf_token": token})
    sign_in(client, "olive")
    pages.append(_post(client, "/selfcheck/check", {**FIELDS, "narrative": DRAFT}))
    pages.append(_post(client, "/selfcheck/submit", {**FIELDS, "narrative": DRAFT}))
    open_period(app, P2)
    pages.append(_post(client, "/selfcheck/submit", {**FIELDS, "narrative": DRAFT}))
    pages.append(_post(client, "/selfcheck/submit", {**FIELDS, "narrative": DRAFT,
                                                     "confirmed": "yes"}))
    for response in pages:
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"]
        parser = _Scripts()
        parser.feed(response.text)
        assert parser.inline == [] and parser.handlers == [], response.url


def test_an_unexpected_failure_is_a_coded_page_with_the_headers(officer, monkeypatch):
    from narrative_qa import selfcheck  # the library's check, behind the page

    def broken(*args, **kwargs):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(selfcheck, "check_draft", broken)
    from fastapi.testclient import TestClient

    quiet = TestClient(officer.app, raise_server_exceptions=False, cookies=officer.cookies)
    response = _post(quiet, "/selfcheck/check", {**FIELDS, "narrative": DRAFT},
                     headers={"HX-Request": "true"})
    assert response.status_code == 500 and "NQE113" in response.text
    assert "internal detail" not in response.text and "draft is kept" in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_last_periods_narrative_and_figures_sit_beside_the_draft(officer, app, settings):
    """Issue 16, 'What to add': shown, not folded away, with the figures."""
    _store_kpi(app, settings, "MINE-1", "Olive Owen", "We recruited 4 social workers in Q1.")
    page = officer.get("/selfcheck", params={"kpi": "MINE-1"}).text
    section = page[page.index('<section class="previous" id="previous">'):]
    section = section[:section.index("</section>")]
    assert "<h2>Last period: 2025/26 Q1</h2>" in section and "<details" not in section
    assert "We recruited 4 social workers in Q1." in section
    assert '<th scope="row">Value reported</th><td>55%</td>' in section
    assert '<th scope="row">Target</th><td>60%</td>' in section
