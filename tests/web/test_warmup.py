"""A worker is warm before it accepts requests (issue 16, speed): the first officer's
requests load nothing and compile no template, and the warm-up leaves the embedding
cache alone."""

from __future__ import annotations

from fastapi.testclient import TestClient

from narrative_qa.confidence import load_calibration
from narrative_qa.language.embeddings import EmbeddingCache
from narrative_qa.language.lexicon import lexicon
from narrative_qa.language.nlp import english_words
from narrative_qa.language.readers import load_readers
from narrative_qa.store.accounts import Accounts
from narrative_qa.store.history import History
from narrative_qa.web import warmup
from narrative_qa.web.app import create_app
from narrative_qa.web.settings import WebSettings
from tests.web.conftest import PASSWORD, sign_in, token

LOADERS = (lexicon, english_words, load_readers, load_calibration)
DRAFT = ("Uptake dropped to 71% in the quarter, short of the 80% target. We will add two "
         "evening clinics by June 2026.")


def test_the_first_requests_to_a_started_worker_load_and_compile_nothing(db_url, settings,
                                                                          clock):
    for loader in LOADERS:  # as in a new worker process
        loader.cache_clear()
    accounts = Accounts(History(db_url).engine, clock=clock)
    accounts.add_user("olive", PASSWORD, "officer", owner_name="Olive Owen")
    app = create_app(db_url, settings, WebSettings(), accounts=accounts)
    templates = app.state.nq.templates.env
    with TestClient(app, base_url="http://testserver") as client:  # start-up runs here
        compiled = set(templates.cache.keys())
        loads = [loader.cache_info().misses for loader in LOADERS]
        assert sign_in(client, "olive").status_code == 303
        response = client.post("/selfcheck/check", headers={
            "HX-Request": "true", "X-CSRF-Token": token(client)}, data={
            "narrative": DRAFT, "kpi_id": "OT-1", "period": "2025/26 Q3", "target": "80",
            "actual": "71", "unit": "%", "polarity": "up"})
        assert response.status_code == 200 and "NQ" in response.text
        assert set(templates.cache.keys()) == compiled
        assert [loader.cache_info().misses for loader in LOADERS] == loads


def test_the_warm_up_writes_nothing_to_the_embedding_cache(settings):
    from narrative_qa.web.render import make_templates

    warmup.warm_worker(settings, make_templates().env)
    texts = [*warmup.DRAFT.split(". "), warmup.PREVIOUS]
    assert EmbeddingCache().get_many(texts) == {}
