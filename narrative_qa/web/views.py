"""View models for the pages: plain data the templates only lay out (no logic in them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from narrative_qa.assessment import SEVERITY_ORDER, Assessment
from narrative_qa.catalogue import get_rule
from narrative_qa.data_checks import polarity_assumed
from narrative_qa.errors import RowProblem
from narrative_qa.language.periods import next_period, previous_period
from narrative_qa.output.rewrites import rewrites_of
from narrative_qa.reporting.view import highlight  # the report's own highlighting
from narrative_qa.store.accounts import User
from narrative_qa.store.history import History, StoredSubmission

KPI_FIELDS = ("kpi_id", "kpi_name", "service", "period", "target", "actual",
              "previous_actual", "unit", "polarity", "stated_rag")


@dataclass
class FindingView:
    code: str
    title: str
    severity: str
    message: str
    suggestion: str
    evidence: list[str]
    good_example: str
    low_confidence: bool
    rewrites: list[dict[str, str]]  # each quoted sentence with its suggested rewrite


@dataclass
class SeverityGroup:
    severity: str
    findings: list[FindingView]

    @property
    def counted(self) -> int:
        """Findings that count towards the verdict and score (not those only worth a look)."""
        return sum(not f.low_confidence for f in self.findings)

    @property
    def possible(self) -> int:
        return len(self.findings) - self.counted


@dataclass
class CheckView:
    verdict: str
    score: int | None
    rag_computed: str | None
    runs: list[tuple[str, str | None]]  # the narrative split into (text, codes or None)
    groups: list[SeverityGroup]
    notices: list[str] = field(default_factory=list)  # non-blocking row problems
    explained: list[str] = field(default_factory=list)  # what the verdict and score mean


VERDICT_MEANS = {
    "ready": "no high or medium finding counts against it",
    "revise": "a medium finding counts against it, and no high one",
    "not-acceptable": "a high finding counts against it",
    "error": "it could not be checked (see the problem above)",
}


def explain(assessment: Assessment, penalties: dict[str, int]) -> list[str]:
    """The verdict and the score in words (FINDINGS.md §4), from the settings' penalties."""
    lines = [f"Verdict '{assessment.verdict}': "
             f"{VERDICT_MEANS.get(assessment.verdict, assessment.verdict)}."]
    if assessment.score is not None:
        lines.append(f"Score {assessment.score} of 100: 100, less {penalties['high']} for "
                     f"each high, {penalties['medium']} for each medium and "
                     f"{penalties['low']} for each low finding.")
    if any(f.low_confidence for f in assessment.findings):
        lines.append("Findings marked 'worth a look' are shown for you to check; they count "
                     "towards neither the verdict nor the score.")
    return lines


def check_view(assessment: Assessment, penalties: dict[str, int]) -> CheckView:
    findings = sorted(assessment.findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.code))
    groups: dict[str, list[FindingView]] = {}
    for finding in findings:
        rule = get_rule(finding.code)
        groups.setdefault(finding.severity, []).append(FindingView(
            finding.code, rule.title, finding.severity, finding.message, finding.suggestion,
            finding.evidence, rule.good_example, finding.low_confidence,
            rewrites_of(finding)))
    narrative = assessment.submission.narrative
    return CheckView(
        assessment.verdict, assessment.score, assessment.facts.rag_computed,
        highlight(narrative, [f.to_dict() for f in findings]),
        [SeverityGroup(s, items) for s, items in groups.items()],
        [notice_text(p) for p in assessment.submission.problems if not p.blocking]
        + [n for n in [polarity_assumed(assessment.submission, assessment.facts)] if n],
        explain(assessment, penalties))


def notice_text(problem: RowProblem) -> str:
    """A row problem as the form shows it: the code once, the field by its label."""
    column = problem.location.column
    label = FIELD_LABELS.get(column or "", column)
    return f"{problem.code} {label}: {problem.message}" if label else \
        f"{problem.code} {problem.message}"


FIELD_LABELS = {"kpi_id": "KPI reference", "kpi_name": "KPI name", "service": "Service",
                "period": "Period", "target": "Target", "actual": "This period's value",
                "previous_actual": "Last period's value", "unit": "Unit",
                "polarity": "Polarity", "stated_rag": "RAG you report"}
POLARITY_WORDS = {"up": "Higher is better", "down": "Lower is better"}


DATA_LABELS = {**FIELD_LABELS, "owner": "Owner", "stated_rag": "RAG stated",
               "rag_computed": "RAG from the figures", "verdict": "Verdict as scored",
               "score": "Score as scored"}
FIGURES = ("target", "actual", "previous_actual")


def data_rows(record: dict[str, Any], names: tuple[str, ...],
              labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """A stored record's fields for the reviewer: labels and values in words."""
    labels = {**DATA_LABELS, **(labels or {})}
    from narrative_qa.reporting.render import figure

    rows = []
    for name in names:
        value = record.get(name)
        if name in FIGURES:
            shown = figure(value, record.get("unit"))
        elif name == "polarity":
            shown = POLARITY_WORDS.get(value or "", value or "not given")
        else:
            shown = "not given" if value is None or value == "" else str(value)
        rows.append((labels.get(name, name.replace("_", " ").capitalize()), shown))
    return rows


def when(stamp: str | None) -> str:
    """An ISO 8601 time as people read it: '5 Dec 2026, 09:30 UTC'."""
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(stamp or "")
    except ValueError:
        return stamp or ""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def confirm_rows(fields: dict[str, str]) -> list[tuple[str, str]]:
    """The KPI fields as the confirmation shows them: labels in words, blanks said so."""
    rows = []
    for name in KPI_FIELDS:
        value = (fields.get(name) or "").strip()
        if name == "polarity":
            value = POLARITY_WORDS.get(value, value)
        rows.append((FIELD_LABELS[name], value or "(not given)"))
    return rows


def is_period(period: str) -> bool:
    return previous_period(period) is not None


@dataclass
class KpiView:
    kpi_id: str
    kpi_name: str
    service: str | None
    owner: str | None
    period: str  # the latest period stored for it
    record: dict[str, Any]


def kpi_view(row: StoredSubmission) -> KpiView:
    record = row.record
    return KpiView(row.kpi_id, str(record.get("kpi_name") or ""), record.get("service"),
                   record.get("owner"), row.period, record)


def officer_kpis(history: History, user: User) -> list[KpiView]:
    """The officer's KPIs: each KPI's latest current record whose owner is theirs, read
    from the store by owner (History.latest_owned), not by reading the whole store."""
    kpis = (kpi_view(row) for row in history.latest_owned(user.owner_name))
    return sorted((k for k in kpis if user.owns(k.owner)), key=lambda k: k.kpi_id)


def draft_fields(kpi: KpiView | None) -> dict[str, str]:
    """The form's KPI fields, filled from the KPI's latest stored record for next period."""
    values = dict.fromkeys(KPI_FIELDS, "")
    if kpi is None:
        return values
    record = kpi.record
    for name in ("kpi_id", "kpi_name", "service", "target", "unit", "polarity"):
        value = record.get(name)
        values[name] = "" if value is None else _plain(value)
    values["period"] = next_period(kpi.period) or ""
    if record.get("actual") is not None:
        values["previous_actual"] = _plain(record["actual"])
    return values


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def changes(previous: str, current: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Last period's text and this period's, each as (text, changed) runs: words this
    period dropped are marked in the first, words it added in the second."""
    import difflib
    import re

    before, after = re.findall(r"\S+\s*", previous), re.findall(r"\S+\s*", current)
    old: list[tuple[str, bool]] = []
    new: list[tuple[str, bool]] = []
    matcher = difflib.SequenceMatcher(a=[w.strip() for w in before],
                                      b=[w.strip() for w in after], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        same = tag == "equal"
        if i2 > i1:
            old.append(("".join(before[i1:i2]), not same))
        if j2 > j1:
            new.append(("".join(after[j1:j2]), not same))
    return old, new
