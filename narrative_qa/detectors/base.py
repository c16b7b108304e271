"""The detector protocol: what every detector module declares, receives and returns.

A detector module declares

- ``KIND``: the name a rule file gives in ``detector.kind``;
- ``PARAMS``: its parameters and their types, declared once with the types of
  narrative_qa/specs/params.py (``Share``, a number from 0 to 1; ``Count``, a whole number,
  0 or more; or a type of its own with pydantic's ``Field(ge=…, le=…)``), ``str``,
  ``list[str]``, ``dict[str, Share]``, ``list[dict]``, ``dict[str, dict]``. A pydantic model
  made from them checks every rule file when the catalogue loads, so a misspelt, missing or
  out-of-range parameter is an NQE011 naming the rule file and the key (NQE010 in a
  settings file). A bare ``float`` or ``int`` reads as a Share or a Count;
- ``NEEDS``: what it reads beyond the narrative: ``"previous"`` (last period's analysis),
  ``"embeddings"`` (sentence similarity) and ``"readers"`` (the reading layer,
  ``Context.readings``, which the engine loads before any record is scored);
- ``texts_to_embed(ctx, params)`` when it needs embeddings: the texts it will compare,
  which the engine embeds once for the whole batch;
- ``detect(ctx, params) -> list[Hit]``: it never raises for a weakness it finds (a finding
  is a result), and the engine turns each Hit into a Finding with the rule's messages.

Detectors do not import each other; shared text helpers live in narrative_qa.language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from types import ModuleType
from typing import Any

import numpy as np

from narrative_qa.assessment import DataFacts, Submission
from narrative_qa.config import Settings
from narrative_qa.language.analysis import Analysis, Sentence
from narrative_qa.language.readers import current_readers
from narrative_qa.language.words import content_words
from narrative_qa.specs.params import param_problems
from narrative_qa.specs.tags import READ_TAGS

NEEDS_KNOWN = frozenset({"previous", "embeddings", "readers"})


@dataclass
class Hit:
    """One weakness: the sentences it rests on and the values its messages need."""

    evidence: list[Sentence | str]  # sentences quoted, or a line of the submitted data
    values: dict[str, Any]
    confidence: float
    details: dict[str, Any] = field(default_factory=dict)
    # Settled by arithmetic on the submitted data alone (a RAG computed from the figures):
    # its confidence is the detector's, never recalibrated from the text (confidence.py).
    exact: bool = False


class Similarity:
    """Cosine similarity between texts embedded for this batch (vectors are normalised)."""

    def __init__(self, vectors: dict[str, Any]):
        self.vectors = vectors

    def __call__(self, a: str, b: str) -> float:
        if a not in self.vectors or b not in self.vectors:
            return 0.0
        return float(self.vectors[a] @ self.vectors[b])

    def best(self, text: str, candidates: list[str]) -> float:
        return max((self(text, c) for c in candidates), default=0.0)


@dataclass
class Context:
    submission: Submission
    facts: DataFacts
    analysis: Analysis
    previous: Analysis | None
    settings: Settings
    similarity: Similarity | None = None  # set when the batch was embedded to compare
    embedded: Similarity | None = None  # the batch's vectors, which the readers read with

    @cached_property
    def kpi_terms(self) -> frozenset[str]:
        """Distinctive lower-case words of the KPI name and unit (stems, crudely)."""
        text = f"{self.submission.kpi_name or ''} {self.submission.unit or ''}"
        return frozenset(content_words(text))

    @property
    def sentences(self) -> list[Sentence]:
        return self.analysis.content()

    @cached_property
    def readings(self) -> dict[str, list[float]]:
        """The reading layer on this narrative: for each tag, each content sentence's
        probability (language/readers.py), read once however many rules ask."""
        return _read(self.sentences, self.embedded)

    @cached_property
    def previous_readings(self) -> dict[str, list[float]]:
        """The reading layer on last period's narrative, as `readings` (empty lists when
        there is none)."""
        return _read(self.previous.content() if self.previous is not None else [],
                     self.embedded)

    def read_as(self, tag: str, at_least: float) -> list[Sentence]:
        """The content sentences the reading layer reads as `tag` with at least that
        probability."""
        return [s for s, p in zip(self.sentences, self.readings[tag], strict=True)
                if p >= at_least]


def _read(sentences: list[Sentence], embedded: Similarity | None) -> dict[str, list[float]]:
    """For each tag of the reading layer, each sentence's probability. The sentences'
    embeddings come from the batch's one embedding call when it made them."""
    readers = current_readers()
    texts = [s.text for s in sentences]
    vectors = None
    if readers.meaning is not None and embedded is not None and all(
            t in embedded.vectors for t in texts):
        vectors = np.stack([embedded.vectors[t] for t in texts]) if texts else None
    table = readers.read(texts, vectors)
    read = {tag: [float(p) for p in table[:, k]] for k, tag in enumerate(readers.tags)}
    # Readers without a tag's reader (an evidence reader, before one is trained) read it
    # as nothing, so rules and the confidence need not ask which readers they have.
    nothing = [0.0] * len(texts)
    return {**{tag: nothing for tag in READ_TAGS}, **read}


def reading_texts(ctx: Context) -> list[str]:
    """The sentences the reading layer reads, when the readers weigh their meaning: this
    narrative's content sentences and last period's (embedded in the batch's one call)."""
    if current_readers().meaning is None:
        return []
    previous = ctx.previous.content() if ctx.previous is not None else []
    return [s.text for s in (*ctx.sentences, *previous)]


def check_params(schema: dict[str, Any], params: dict[str, Any]) -> list[str]:
    """What is wrong with a rule's parameters, one line per key (empty when nothing is),
    against the pydantic model of the detector's PARAMS (specs/params.py)."""
    return param_problems(schema, params)


def check_module(module: ModuleType) -> list[str]:
    """What a detector module lacks of the protocol."""
    problems = [f"{name} is not declared" for name in ("KIND", "PARAMS", "NEEDS", "detect")
                if not hasattr(module, name)]
    needs = set(getattr(module, "NEEDS", ()))
    if needs - NEEDS_KNOWN:
        problems.append(f"NEEDS names {sorted(needs - NEEDS_KNOWN)}; known: "
                        f"{sorted(NEEDS_KNOWN)}")
    if "embeddings" in needs and not hasattr(module, "texts_to_embed"):
        problems.append("NEEDS embeddings but declares no texts_to_embed(ctx, params)")
    return problems


def texts_to_embed(module: ModuleType, ctx: Context, params: dict) -> Iterable[str]:
    if "embeddings" not in module.NEEDS:
        return ()
    return module.texts_to_embed(ctx, params)


def last_actions_and_reports(ctx: Context) -> list[str]:
    """Texts to embed for comparing with last period's actions: those actions, and this
    period's sentences that could report on them (not its own plans)."""
    if ctx.previous is None:
        return []
    return [*(s.text for s in ctx.previous.content() if s.action),
            *(s.text for s in ctx.sentences
              if s.text and not (s.action and s.action.kind == "planned"))]
