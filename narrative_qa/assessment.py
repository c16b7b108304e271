"""The records that flow through the pipeline: Submission -> Finding -> Assessment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from narrative_qa.errors import Location, RowProblem

# Canonical submission fields (FINDINGS.md §1), in output order.
FIELDS: tuple[str, ...] = (
    "kpi_id",
    "kpi_name",
    "service",
    "locality",
    "period",
    "target",
    "actual",
    "previous_actual",
    "unit",
    "polarity",
    "stated_rag",
    "owner",
    "narrative",
    "previous_narrative",
)

# The one home of the severities and the verdicts (FINDINGS.md §4): every other module
# imports these (tests/test_architecture.py fails on a second list).
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
SEVERITIES = tuple(SEVERITY_ORDER)  # most severe first
VERDICTS = ("not-acceptable", "revise", "ready", "error")  # worst first


def verdict_of(counted: Iterable[str]) -> str:
    """FINDINGS.md §4: the verdict of a scored submission from the severities of the
    findings that count (not those only worth a look): not-acceptable with a high one,
    revise with a medium one, else ready."""
    severities = set(counted)
    return "not-acceptable" if "high" in severities else "revise" if "medium" in severities \
        else "ready"
LOW_CONFIDENCE = 0.5


@dataclass
class Submission:
    """One officer's narrative about one KPI for one period."""

    narrative: str = ""
    kpi_id: str | None = None
    kpi_name: str | None = None
    service: str | None = None
    locality: str | None = None
    period: str | None = None
    target: float | str | None = None  # a string target is a qualitative indicator
    actual: float | str | None = None
    previous_actual: float | str | None = None  # a string beside a rating or a date actual
    unit: str | None = None
    polarity: str | None = None  # "up" or "down"
    stated_rag: str | None = None  # "red", "amber" or "green"
    owner: str | None = None
    previous_narrative: str | None = None
    polarity_inferred: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # unknown columns, carried through
    present: frozenset[str] = frozenset()  # canonical fields the input had a column for
    location: Location = field(default_factory=Location)
    problems: list[RowProblem] = field(default_factory=list)
    # forecasts made in earlier periods that fall due in this one (from the history store;
    # narrative_qa.store.forecasts.StoredForecast): evidence for NQ03 and NQ05
    forecasts_due: list[Any] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return any(p.blocking for p in self.problems)

    def fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}


@dataclass
class Finding:
    """One weakness found in one submission, with the sentence(s) it rests on."""

    code: str
    slug: str
    severity: str
    message: str  # for the officer
    elt_message: str
    suggestion: str
    evidence: list[str]
    confidence: float
    details: dict[str, Any] = field(default_factory=dict)
    # Below this confidence the finding is "worth a look": shown, never counted.
    claim_threshold: float = LOW_CONFIDENCE
    # What calibration reads (confidence.py); not part of any output.
    features: Any = field(default=None, repr=False, compare=False)

    @property
    def low_confidence(self) -> bool:
        return self.confidence < self.claim_threshold

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "slug": self.slug,
            "severity": self.severity,
            "message": self.message,
            "elt_message": self.elt_message,
            "suggestion": self.suggestion,
            "evidence": list(self.evidence),
            "confidence": round(self.confidence, 3),
            "low_confidence": self.low_confidence,
            "details": self.details,
        }


@dataclass(frozen=True)
class DataFacts:
    """What the numbers say, before any language is read (FINDINGS.md §1-2)."""

    rag_computed: str | None = None  # None when it cannot be computed
    variance_pct: float | None = None
    off_target: bool | None = None
    deteriorated: bool | None = None
    improved: bool | None = None
    previously_off_target: bool | None = None
    qualitative: bool = False
    # No numbers to compute from (a draft checked on its own): narrative is written for
    # KPIs that need explaining, so it is held to every finding unless stated green.
    assumed_off_target: bool = False

    @property
    def held_to_all(self) -> bool:
        """Amber/red KPIs are held to every finding; green ones only to NQ08-NQ10 (§4)."""
        return self.rag_computed in {"amber", "red"} or self.assumed_off_target


@dataclass
class Assessment:
    submission: Submission
    facts: DataFacts
    findings: list[Finding]
    verdict: str  # ready | revise | not-acceptable | error
    score: int | None

    def to_record(self) -> dict[str, Any]:
        """The output object: every input column plus the assessment."""
        sub = self.submission
        record: dict[str, Any] = {}
        for name in FIELDS:
            value = getattr(sub, name)
            if value is not None or name in sub.present:
                record[name] = value
        record.update(sub.extra)
        record["row"] = sub.location.row
        record["rag_computed"] = self.facts.rag_computed
        record["verdict"] = self.verdict
        record["score"] = self.score
        record["findings"] = [f.to_dict() for f in self.findings]
        record["errors"] = [p.to_dict() for p in sub.problems]
        return record
