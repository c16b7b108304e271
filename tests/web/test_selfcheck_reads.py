"""Issue 16, Speed: a check as the officer types reads the KPI it is about, not the whole
store (before, every pause re-read every current record of every period to find the KPI,
and the previous period's every record to join last quarter's values)."""

from __future__ import annotations

import json
import sys

from narrative_qa.store import history as history_module
from tests.web.conftest import PASSWORD, csrf_of, sign_in

OWNER = "Head of Children's Services North East"  # owns CS-03 and CS-05 in the sample


def test_a_check_reads_its_kpis_records_only(app, client, store_templates, monkeypatch):
    history = app.state.nq.history
    store_templates.add_quarters(history)  # the sample's Q1 and Q2: 80 records, 40 a period
    app.state.nq.accounts.add_user("nora", PASSWORD, "officer", owner_name=OWNER)
    sign_in(client, "nora")
    token = csrf_of(client.get("/selfcheck").text)
    (q2,) = history.current("2025/26 Q2", "CS-05")
    parsed: list[str] = []
    real = json.loads

    def counting(text, *args, **kwargs):
        # json.loads is the json module's, patched for the whole process: count only the
        # store's own reads (a worker thread of the test runner may parse JSON meanwhile).
        if sys._getframe(1).f_globals.get("__name__", "").startswith("narrative_qa.store"):
            parsed.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(history_module.json, "loads", counting)
    response = client.post("/selfcheck/check", headers={"HX-Request": "true"}, data={
        "csrf_token": token, "kpi_id": "cs-05", "period": "2025/26 Q3", "target": "60",
        "actual": "51", "unit": "%", "polarity": "up",
        "narrative": "Performance fell to 51% because two of five posts were vacant."})
    monkeypatch.setattr(history_module.json, "loads", real)
    assert response.status_code == 200, response.text
    assert "Verdict:" in response.text
    records = [real(text) for text in parsed if text.startswith("{")]  # not users' lists
    # The KPI's latest record, last quarter's, and the record a forecast falling due
    # was made in (issue 19): all CS-05's.
    read = [(r.get("kpi_id"), r.get("period")) for r in records]
    assert len(records) <= 3, f"{len(records)} stored records read for one check: {read}"
    assert all(record["kpi_id"] == "CS-05" for record in records)
    assert q2.record["narrative"]  # what the join gives the check: CS-05's Q2 narrative
