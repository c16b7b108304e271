"""Golden file: the ELT report for the bundled quarter, byte for byte.

When a deliberate change alters the report, regenerate it with
`UPDATE_GOLDEN=1 .venv/bin/pytest tests/store/test_report_golden.py` and review the diff.
"""

from __future__ import annotations

import os

from narrative_qa.api import ingest_file
from narrative_qa.reporting.render import render_report_html
from narrative_qa.reporting.view import build_report
from narrative_qa.store.history import History
from tests.conftest import Q1, Q2, ROOT

GOLDEN = ROOT / "tests" / "golden" / "report-2025-26-Q2.html"


def test_report_matches_the_golden_file(tmp_path, settings):
    history = History(f"sqlite:///{tmp_path / 'history.db'}")
    ingest_file(Q1, "2025/26 Q1", history, settings=settings)
    ingest_file(Q2, "2025/26 Q2", history, settings=settings)
    html = render_report_html(build_report(history, "2025/26 Q2"))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(html, encoding="utf-8")
    assert html == GOLDEN.read_text(encoding="utf-8")
    assert html.count('<section class="kpi"') == 40
    linked = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http://" not in linked and "https://" not in linked  # no external assets
