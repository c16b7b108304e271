"""The detector protocol: what every detector module declares, receives and returns.

A detector module declares

- ``KIND``: the name a rule file gives in ``detector.kind``;
- ``PARAMS``: its parameters and their types (``float``, ``int``, ``list[str]``,
  ``dict[str, float]``, ``list[dict]``, ``dict[str, dict]``), checked when the catalogue
  loads, so a misspelt or missing parameter is an NQE011 naming the rule file and the key;
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

import math
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from types import ModuleType
from typing import Any

from narrative_qa.assessment import DataFacts, Submission
from narrative_qa.config import Settings
from narrative_qa.language.analysis import Analysis, Sentence
from narrative_qa.language.readers import current_readers
from narrative_qa.language.words import content_words

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
    similarity: Similarity | None = None  # set when the batch was embedded

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
        readers = current_readers()
        table = readers.read([s.text for s in self.sentences])
        return {tag: [float(p) for p in table[:, k]] for k, tag in enumerate(readers.tags)}

    def read_as(self, tag: str, at_least: float) -> list[Sentence]:
        """The content sentences the reading layer reads as `tag` with at least that
        probability."""
        return [s for s, p in zip(self.sentences, self.readings[tag], strict=True)
                if p >= at_least]


def check_params(schema: dict[str, Any], params: dict[str, Any]) -> list[str]:
    """What is wrong with a rule's parameters, one line per key (empty when nothing is)."""
    problems = [f"params.{key}: not a parameter of this detector (one of "
                f"{', '.join(schema)})" for key in params if key not in schema]
    for key, expected in schema.items():
        if key not in params:
            problems.append(f"params.{key}: missing")
        elif not _is(params[key], expected):
            problems.append(f"params.{key}: must be {_name(expected)}")
    return problems


def _is(value: Any, expected: Any) -> bool:
    """Of the declared type, and in range: every float parameter of a detector is a share
    (a confidence or a similarity, 0 to 1) and every int a count (0 or more), so
    `min_similarity = 7.5` or `nan` is refused rather than turning a finding off."""
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and \
            math.isfinite(value) and 0 <= value <= 1
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if origin is list:
        return isinstance(value, list) and all(_is(v, args[0]) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            _is(k, args[0]) and _is(v, args[1]) for k, v in value.items())
    return isinstance(value, expected)


def _name(expected: Any) -> str:
    if expected is float:
        return "a number from 0 to 1"
    if expected is int:
        return "a whole number, 0 or more"
    return getattr(expected, "__name__", None) if typing.get_origin(expected) is None else (
        str(expected))


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
