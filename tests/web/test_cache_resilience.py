"""A cache deleted or corrupted under the running web app: every check still answers
(issue 16, defect 3: it gave 500 on every new check until a restart)."""

from __future__ import annotations

import shutil

import pytest

from narrative_qa.language import embeddings
from tests.web.test_selfcheck import DRAFT, FIELDS

PREVIOUS = ("We will recruit 4 social workers by the end of Q1. We will launch a duty "
            "rota in June to cut waiting times by 10%.")


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """The app's embedder over a cache folder of this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("NARRATIVE_QA_CACHE", str(folder))
    embeddings.default_embedder.cache_clear()
    yield folder / "embeddings.sqlite"
    embeddings.default_embedder.cache_clear()


def _check(client, app, narrative: str):
    token = app.state.nq.accounts.issue_token("olive", "t")
    return client.post("/api/v1/check", json={**FIELDS, "narrative": narrative,
                                               "previous_narrative": PREVIOUS},
                       headers={"Authorization": f"Bearer {token}"})


def test_checks_go_on_when_the_cache_is_deleted_or_corrupted(client, app, own_cache):
    first = _check(client, app, DRAFT)
    assert first.status_code == 200 and own_cache.exists()
    shutil.rmtree(own_cache.parent)
    deleted = _check(client, app, DRAFT + " We recruited 2 workers.")
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["verdict"] and own_cache.exists()  # rebuilt
    own_cache.write_bytes(b"not a database at all" * 50)
    corrupt = _check(client, app, DRAFT + " We recruited 3 workers.")
    assert corrupt.status_code == 200, corrupt.text
    assert corrupt.json()["findings"] == _check(client, app, DRAFT + " We recruited 3 "
                                                "workers.").json()["findings"]
