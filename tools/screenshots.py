"""Screenshots of the self-check and screening pages for docs/ and the README.

Starts the app (uvicorn, loopback) on a temporary store holding the bundled sample, signs
in as a demo officer and a demo reviewer in Debian's Chromium (Playwright), and writes
docs/screenshot-selfcheck.png and docs/screenshot-screening.png.

Run: python tools/screenshots.py
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "narrative_qa" / "data" / "sample"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "screenshot password"
DRAFT = ("Performance remains below target at 51% against 60%. Recruitment remains a "
         "challenge. We will introduce a new tracking system in due course.")


def main() -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from narrative_qa.api import ingest_file
    from narrative_qa.config import load_settings
    from narrative_qa.web.app import create_app

    folder = Path(tempfile.mkdtemp(prefix="nq-shots-"))
    settings = load_settings()
    app = create_app(f"sqlite:///{folder / 'history.db'}", settings)
    state = app.state.nq
    ingest_file(SAMPLE / "qpr-2025-26-Q1.xlsx", "2025/26 Q1", state.history, settings=settings)
    ingest_file(SAMPLE / "qpr-2025-26-Q2.xlsx", "2025/26 Q2", state.history, settings=settings)
    state.accounts.add_user("officer", PASSWORD, "officer", display_name="Demo Officer",
                            owner_name="Head of Children's Services North East")
    state.accounts.add_user("reviewer", PASSWORD, "reviewer", display_name="Demo Reviewer",
                            services=["Children's Services", "Adult Services"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            for username, shoot in (("officer", _selfcheck), ("reviewer", _screening)):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{base}/login")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", PASSWORD)
                page.click("form[action='/login'] button[type=submit]")
                page.wait_for_load_state()
                shoot(page, base)
            browser.close()
    finally:
        server.should_exit = True


def _selfcheck(page, base: str) -> None:
    page.goto(f"{base}/selfcheck?kpi=CS-05")
    page.fill("textarea[name=narrative]", DRAFT)
    page.locator("#findings mark").first.wait_for(timeout=60_000)
    page.screenshot(path=str(ROOT / "docs" / "screenshot-selfcheck.png"), full_page=True)


def _screening(page, base: str) -> None:
    page.goto(f"{base}/screening")
    page.screenshot(path=str(ROOT / "docs" / "screenshot-screening.png"), full_page=True)


if __name__ == "__main__":
    main()
