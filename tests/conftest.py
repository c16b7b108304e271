from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Tests never read or write the user's embedding cache or history store.
os.environ.setdefault("NARRATIVE_QA_CACHE", tempfile.mkdtemp(prefix="nq-test-cache-"))
os.environ["NARRATIVE_QA_HOME"] = tempfile.mkdtemp(prefix="nq-test-home-")

import pytest

from narrative_qa.config import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "narrative_qa" / "data" / "sample"
Q1 = SAMPLE / "qpr-2025-26-Q1.xlsx"
Q2 = SAMPLE / "qpr-2025-26-Q2.xlsx"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def sample_result(settings):
    """The bundled quarter scored once per test session (loads the spaCy model)."""
    from narrative_qa.api import score_file

    return score_file(Q2, Q1, settings=settings)
