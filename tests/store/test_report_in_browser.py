"""The ELT report opened in headless Chromium (Debian's chromium; .ci/run installs it)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from narrative_qa.api import ingest_file
from narrative_qa.reporting.render import write_report
from narrative_qa.reporting.view import build_report
from narrative_qa.store.history import History
from tests.conftest import Q1, Q2

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_report_renders_in_chromium_with_the_expected_counts(tmp_path, settings):
    history = History(f"sqlite:///{tmp_path / 'history.db'}")
    ingest_file(Q1, "2025/26 Q1", history, settings=settings)
    ingest_file(Q2, "2025/26 Q2", history, settings=settings)
    view = build_report(history, "2025/26 Q2")
    report = write_report(history, "2025/26 Q2", tmp_path / "report.html")
    profile = tmp_path / "profile"
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                          report.as_uri()], capture_output=True, text=True, timeout=120).stdout
    for verdict, count in view.verdicts.items():
        cell = re.search(rf'data-verdict="{verdict}">(\d+)<', dom)
        assert cell and int(cell.group(1)) == count, verdict
    assert dom.count('<section class="kpi"') == 40
    assert dom.count("<svg") == 2 and dom.count("<rect") == len(view.by_service) + len(
        view.by_code)
    pdf = tmp_path / "report.pdf"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", report.as_uri()], capture_output=True, timeout=120)
    assert pdf.read_bytes()[:4] == b"%PDF"
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())) >= 5  # A4 pages
