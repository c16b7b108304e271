"""What every detector receives and returns.

A detector is a function ``detect(ctx, params) -> list[Hit]``. It reads the submission,
its data facts and the analysed narrative; it never raises for a weakness it finds (a
finding is a result), and the engine turns each Hit into a Finding with the rule's
messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from narrative_qa.config import Settings
from narrative_qa.language.analysis import Analysis, Sentence
from narrative_qa.model import DataFacts, Submission

# Words too general to tie a sentence to a KPI or to an earlier action.
GENERIC = frozenset(
    [
        "number",
        "percentage",
        "per",
        "cent",
        "rate",
        "proportion",
        "total",
        "level",
        "levels",
        "performance",
        "target",
        "service",
        "services",
        "team",
        "teams",
        "work",
        "staff",
        "people",
        "person",
        "individual",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "quarter",
        "quarters",
        "year",
        "years",
        "time",
        "period",
        "end",
        "data",
        "figure",
        "figures",
        "area",
        "areas",
        "city",
        "glasgow",
        "hscp",
        "nhs",
        "council",
        "indicator",
        "kpi",
        "measure",
        "within",
        "new",
        "current",
        "continue",
        "ongoing",
        "action",
        "actions",
        "including",
        "include",
        "across",
        "support",
        "supports",
        "provide",
        "process",
        "improve",
        "improvement",
        "increase",
        "reduce",
        "reduction",
        "position",
        "report",
        "reports",
        "reported",
        "place",
        "number",
        "overall",
        "use",
        "make",
        "take",
    ]
)


@dataclass
class Hit:
    """One weakness: the sentences it rests on and the values its messages need."""

    evidence: list[Sentence | str]  # sentences quoted, or a line of the submitted data
    values: dict[str, Any]
    confidence: float
    details: dict[str, Any] = field(default_factory=dict)


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


@lru_cache(maxsize=16384)
def content_words(text: str) -> frozenset[str]:
    """Distinctive word stems of a text (cached: detectors ask for the same sentences)."""
    words = re.findall(r"[a-z][a-z'-]+", text.lower())
    return frozenset(stem(w) for w in words
                     if len(w) > 2 and w not in GENERIC and w not in STOP)


def stem(word: str) -> str:
    """A crude stem so 'placements'/'placement' and 'referrals'/'referral' meet."""
    word = word.strip("'-")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "es", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "these",
        "those",
        "from",
        "into",
        "onto",
        "over",
        "under",
        "have",
        "has",
        "had",
        "was",
        "were",
        "are",
        "will",
        "would",
        "should",
        "could",
        "been",
        "being",
        "their",
        "there",
        "they",
        "them",
        "our",
        "ours",
        "its",
        "his",
        "her",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "while",
        "also",
        "than",
        "then",
        "such",
        "not",
        "but",
        "all",
        "any",
        "each",
        "other",
        "some",
        "more",
        "most",
        "less",
        "very",
        "much",
        "many",
        "few",
        "can",
        "may",
        "might",
        "must",
        "shall",
        "about",
        "after",
        "before",
        "again",
        "against",
        "between",
        "during",
        "both",
        "only",
        "own",
        "same",
        "too",
        "just",
        "being",
        "out",
        "off",
        "once",
        "here",
        "why",
        "how",
        "one",
        "two",
        "three",
    ]
)


def quote(evidence: list[Sentence | str]) -> list[str]:
    seen: list[str] = []
    for item in evidence:
        text = item if isinstance(item, str) else item.quote
        if text not in seen:
            seen.append(text)
    return seen


def short(text: str, limit: int = 14) -> str:
    tokens = text.strip().rstrip(".;:,").split()
    return " ".join(tokens[:limit]) + (" …" if len(tokens) > limit else "")


def joined(items: list[str], conjunction: str = "and") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def compile_all(patterns: list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern from a rule's list; compiled once per list."""
    return _compile(tuple(patterns))


@lru_cache(maxsize=256)
def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
