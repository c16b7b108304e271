"""Warming a worker before it accepts requests, so that no officer pays for its first check.

Loading spaCy and the sentence encoder was done at start-up already; the first check on a
worker still paid for everything else loaded on first use: the lexicon, the sentence
readers and the confidence calibration, the first run of ONNX Runtime (its buffers), the
first re-parse, and compiling each page's template. All of it is done here, in the app's
start-up (uvicorn accepts no connection on a worker until its start-up is over), on a
draft written for the purpose. Nothing is written to the embedding cache: the warm-up
encodes its sentences without it, and its check runs without comparing embeddings (its
readers embed its sentences outside the cache).
"""

from __future__ import annotations

import dataclasses
import logging

from jinja2 import Environment

from narrative_qa.config import Settings

log = logging.getLogger("narrative_qa.web")

# A made-up amber KPI's draft and last quarter's narrative (no real record), long enough
# to go through the re-parse (reparse.MIN_CHARS), and with figures, actions, a cause and a
# timescale, so the readers behind every finding run.
DRAFT = (
    "Performance fell to 51% this quarter against a target of 60%. The fall follows two "
    "vacancies in the duty team, which left 14 referrals waiting longer than five days. "
    "Recruitment remains a challenge. We will introduce a new rota by March 2026, "
    "expected to bring performance back to 58%. Last quarter we reported 55% and said "
    "that a review of referrals would follow; the review found that late paperwork "
    "caused most of the delays. Training for new staff continues. The service expects "
    "to meet the target by the end of 2026/27 Q1."
)
CHANGED = ("Recruitment remains a challenge.", "Recruitment remains hard: 3 WTE posts are "
           "vacant.")
PREVIOUS = (
    "Performance was 55% this quarter against a target of 60%. A review of referrals will "
    "report by December 2025. Sickness absence in the duty team rose to 7%."
)
FIELDS = {"kpi_id": "WARM-UP", "kpi_name": "% of referrals completed on time",
          "period": "2025/26 Q2", "target": "60", "actual": "51",
          "previous_actual": "55", "unit": "%", "polarity": "up", "stated_rag": "amber"}


def warm_worker(settings: Settings, templates: Environment) -> None:
    """Load and run everything a check uses, then compile every template. The models'
    loads raise (a worker without its models must not start); the rest only logs."""
    from narrative_qa.language.embeddings import get_encoder
    from narrative_qa.language.nlp import get_nlp

    get_nlp()
    encoder = get_encoder()
    try:
        _warm_check(settings, encoder)
        for name in templates.list_templates(extensions=("html",)):
            templates.get_template(name)
    except Exception:  # a warm-up is an optimisation: the first request then pays
        log.warning("warming the worker failed; its first requests will be slower",
                    exc_info=True)


def _warm_check(settings: Settings, encoder) -> None:
    from narrative_qa.api import check_draft
    from narrative_qa.language.embeddings import without_cache
    from narrative_qa.language.nlp import english_words

    sentences = DRAFT.split(". ")
    encoder.encode(sentences[:1])  # ONNX Runtime's first runs: one text, then a batch
    encoder.encode(sentences + [PREVIOUS])
    english_words()
    plain = dataclasses.replace(settings, semantic=False)
    with without_cache():  # the readers embed the draft's sentences: not into the cache
        for draft in (DRAFT, DRAFT.replace(*CHANGED)):  # the second is re-parsed (reparse.py)
            check_draft(draft, plain, previous_narrative=PREVIOUS, **FIELDS)
