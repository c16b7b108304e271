"""Reviewers and the proxy (issue 16): the default period is the latest with a stored
quarter, and the page says so (9); Word feedback is offered in the UI (14); behind a
proxy, only the proxy's own hop of X-Forwarded-For is trusted (13)."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from narrative_qa.api import check_draft
from tests.web.conftest import sign_in

P1, P2, P3 = "2025/26 Q1", "2025/26 Q2", "2025/26 Q3"


def _stored(app, settings, store_templates):
    history = app.state.nq.history
    store_templates.add_quarters(history)  # Q1 as P1 and Q2 as P2
    early = check_draft("Early draft for Q3 with 3 cases.", settings, kpi_id="CS-05",
                        period=P3, owner="Head of Children's Services North East",
                        service="Children's Services")
    history.ingest([early], P3, "web:olive")
    return history


def test_the_default_period_is_the_latest_stored_quarter_and_is_named(client, app, settings,
        store_templates):
    history = _stored(app, settings, store_templates)
    assert history.periods()[-1] == P3 and history.quarter_periods() == [P1, P2]
    sign_in(client, "rita")
    page = client.get("/screening")
    assert "<h1>Screening 2025/26 Q2</h1>" in page.text
    note = html.unescape(re.search(r'id="default-period">(.*?)</p>', page.text).group(1))
    assert "Showing 2025/26 Q2, the latest period with a stored quarter" in note
    assert "2025/26 Q3 has officers' submissions only" in note
    chosen = client.get("/screening", params={"period": P3})
    assert "<h1>Screening 2025/26 Q3</h1>" in chosen.text and "default-period" not in chosen.text


def test_word_feedback_is_offered_in_the_queue_and_on_the_submission(client, app, settings,
        store_templates):
    _stored(app, settings, store_templates)
    sign_in(client, "rita")
    queue = client.get("/screening", params={"period": P2}).text
    links = re.findall(r'href="([^"]*format=docx[^"]*)"', queue)
    assert links
    word = client.get(html.unescape(links[0]))
    assert word.status_code == 200 and word.content[:2] == b"PK"
    item = client.get("/screening/submission", params={"period": P2, "kpi": "CS-05"}).text
    assert re.search(r'href="[^"]*format=docx[^"]*"[^>]*>Word', item)


def test_only_the_proxys_own_hop_is_trusted(make_app, app, clock):
    limited = make_app(trust_proxy=True, login_max_per_client=3)
    with TestClient(limited) as client:
        for n, name in enumerate(("a-one", "b-two", "c-three")):
            # the client writes any left-most address it likes; the proxy appends its own
            headers = {"X-Forwarded-For": f"198.51.100.{n}, 203.0.113.9"}
            page = client.get("/login", headers=headers)
            token = re.search(r'name="csrf-token" content="([^"]*)"', page.text).group(1)
            client.post("/login", data={"username": name, "password": "wrong password",
                                        "csrf_token": token}, headers=headers)
        headers = {"X-Forwarded-For": "198.51.100.77, 203.0.113.9"}
        page = client.get("/login", headers=headers)
        token = re.search(r'name="csrf-token" content="([^"]*)"', page.text).group(1)
        paused = client.post("/login", data={"username": "olive", "password": "x" * 12,
                                             "csrf_token": token}, headers=headers)
        assert paused.status_code == 429
    two = make_app(trust_proxy=True, proxy_hops=2)
    from narrative_qa.web.security import client_address

    class Request:
        headers = {"x-forwarded-for": "1.1.1.1, 10.0.0.1, 10.0.0.2"}
        client = type("Peer", (), {"host": "10.0.0.3"})()

    assert client_address(Request(), two.state.nq.web) == "10.0.0.1"
    assert client_address(Request(), limited.state.nq.web) == "10.0.0.2"


def test_the_submission_page_speaks_in_words_and_marks_dismissals(client, app, settings,
        store_templates):
    """Defect 20: raw field names, ISO times, dismissed findings unmarked, no previous
    narrative."""
    history = _stored(app, settings, store_templates)
    chosen = next(s for s in history.current(P2) if s.findings and s.record.get("unit") ==
                  "%" and s.record.get("service") == "Children's Services"
                  and s.record.get("polarity") == "up")
    kpi, code = chosen.kpi_id, chosen.findings[0]["code"]
    history.decide(kpi, P2, code, "dismissed", "covered in the appendix", "Rita",
                   decided_at="2025-11-03T14:05:00+00:00")
    sign_in(client, "rita")
    page = client.get("/screening/submission", params={"period": P2, "kpi": kpi}).text
    text = html.unescape(page)
    actual = f"{chosen.record['actual']:g}%"
    assert f"<th scope=\"row\">This period's value</th><td>{actual}</td>" in text
    assert "<th scope=\"row\">Polarity</th><td>Higher is better</td>" in text
    assert "previous_actual" not in text and "rag_computed" not in text
    assert "(3 Nov 2025, 14:05 UTC): covered in the appendix" in text
    assert "T14:05:00" not in text
    article = re.search(rf'<article class="finding[^"]*dismissed[^"]*" data-code="{code}">'
                        r"(.*?)</article>", page, re.S)
    assert article and "Dismissed: not in the report or the verdict" in article.group(1)
    (q1,) = history.current(P1, kpi)
    assert html.unescape(re.search(r'id="previous-narrative">(.*?)</div>', page, re.S)
                         .group(1)) == q1.record["narrative"]


def test_what_changed_since_last_period_is_marked_side_by_side(client, app, settings,
        store_templates):
    """Issue 16, 'What to add': the reviewer's page with both narratives, changes marked."""
    from narrative_qa.web.views import changes

    old, new = changes("Waiting times fell to 12 weeks. Recruitment continues.",
                       "Waiting times fell to 10 weeks. Recruitment continues.")
    assert [t for t, c in old if c] == ["12 "] and [t for t, c in new if c] == ["10 "]
    assert "".join(t for t, _ in new) == "Waiting times fell to 10 weeks. Recruitment " \
        "continues."
    history = _stored(app, settings, store_templates)
    sign_in(client, "rita")
    page = client.get("/screening/submission", params={"period": P2, "kpi": "CS-05"}).text
    section = page[page.index('id="changes"'):]
    assert section.count('<div class="narrative">') == 2
    assert "<ins>" in section and "<del>" in section
    (q1,) = history.current(P1, "CS-05")
    first_words = q1.record["narrative"].split()[0]
    assert first_words in section


def test_a_qualitative_kpi_is_not_shown_as_agreeing_beside_its_nq09(client, app, settings,
        store_templates):
    """Defect 29: CS-10 (a target in words) showed 'green / green, agrees' and NQ09."""
    from narrative_qa.reporting.view import build_report

    history = _stored(app, settings, store_templates)
    view = build_report(history, P2)
    (cs10,) = [i for i in view.items if i.kpi_id == "CS-10"]
    assert "NQ09" in {f["code"] for f in cs10.findings}
    assert view.rag_agreement["not comparable"] == 3  # the sample's three qualitative KPIs
    sign_in(client, "rita")
    page = client.get("/screening", params={"period": P2}).text
    row = re.search(r'<tr data-kpi="CS-10">(.*?)</tr>', page, re.S).group(1)
    assert "green / a judgement" in row
