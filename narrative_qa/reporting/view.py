"""View models for the ELT report and officer feedback: plain data, no presentation.

Templates only lay these out (STYLE.md §7). Findings a reviewer dismissed, in this quarter
or for the same sentence in an earlier one, are left out here, once, for every output.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from narrative_qa.assessment import SEVERITY_ORDER, VERDICTS, verdict_of
from narrative_qa.catalogue import load_catalogue
from narrative_qa.forecasts.view import Keep, forecasts_view
from narrative_qa.gates import load_card
from narrative_qa.language.periods import previous_period
from narrative_qa.store.history import History, StoredSubmission, fingerprint


@dataclass
class Item:
    """One submission as the report shows it."""

    anchor: str
    kpi_id: str
    kpi_name: str
    service: str
    owner: str
    record: dict[str, Any]
    findings: list[dict[str, Any]]
    verdict: str
    highlighted: list[tuple[str, str | None]]  # (text, finding codes) runs of the narrative

    @property
    def worst(self) -> int:
        return min((SEVERITY_ORDER[f["severity"]] for f in self.findings), default=3)


@dataclass
class Bar:
    label: str
    value: int
    width: float  # share of the longest bar, 0-1


@dataclass
class ReportView:
    period: str
    previous: str | None
    items: list[Item]
    verdicts: dict[str, int]
    rag_agreement: dict[str, int]
    by_service: list[Bar]
    by_code: list[Bar]
    change: list[dict[str, Any]]
    method: list[dict[str, Any]]
    dismissed: int = 0
    rules: dict[str, Any] = field(default_factory=dict)
    forecasts: Any = None  # narrative_qa.forecasts.view.ForecastsView (issue 19)


def bars(counts: Counter) -> list[Bar]:
    """Bars of a chart, longest first, each as a share of the longest."""
    top = max(counts.values(), default=0) or 1
    return [Bar(label, value, value / top) for label, value in sorted(
        counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def highlight(narrative: str, findings: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """Split the narrative into runs, marking the quoted sentences with their codes."""
    marks: list[tuple[int, int, str]] = []
    for finding in findings:
        for quote in finding["evidence"]:
            start = narrative.find(quote)
            if start >= 0:
                marks.append((start, start + len(quote), finding["code"]))
    marks.sort()
    runs: list[tuple[str, str | None]] = []
    position = 0
    for start, end, code in marks:
        if start < position:  # overlapping quotes: add the code to the run already marked
            if runs and runs[-1][1]:
                runs[-1] = (runs[-1][0], f"{runs[-1][1]} {code}")
            continue
        if start > position:
            runs.append((narrative[position:start], None))
        runs.append((narrative[start:end], code))
        position = end
    if position < len(narrative):
        runs.append((narrative[position:], None))
    return runs


def kept_findings(stored: StoredSubmission, dismissed: set[str]) -> list[dict[str, Any]]:
    return [f for f in stored.findings
            if fingerprint(f["code"], stored.kpi_id, f["evidence"]) not in dismissed]


def _verdict(findings: list[dict[str, Any]], original: str) -> str:
    """The verdict after reviewers' dismissals: a row that could not be scored stays
    'error'; any other is judged again on the findings kept."""
    if original == "error":
        return "error"
    return verdict_of(f["severity"] for f in findings if not f.get("low_confidence"))


def label(row: StoredSubmission) -> str:
    """A row stored without a kpi_id is shown by its file row."""
    return row.kpi_id or f"(no kpi_id, row {row.record.get('row') or '?'})"


def rag_pair(record: dict[str, Any]) -> tuple[str | None, str | None]:
    """(RAG stated, RAG computed from the figures). A qualitative KPI (a target in words)
    has no computed RAG: its RAG is a judgement, which NQ09 asks the narrative to justify,
    so it never shows as 'agrees' beside an NQ09 finding."""
    computed = None if isinstance(record.get("target"), str) else record.get("rag_computed")
    return record.get("stated_rag"), computed


def _kept(keep: Keep | None, record: dict[str, Any]) -> bool:
    return keep is None or keep(record.get("owner"), record.get("service"))


def build_report(history: History, period: str, keep: Keep | None = None) -> ReportView:
    """Every row stored for the period is an item: scored rows and, with the verdict
    'error', the rows that could not be scored (counted as 'could not be scored'). With
    `keep` ((owner, service) -> shown), only the submissions it keeps are items, and every
    figure (verdicts, RAG agreement, bars, change since last quarter, forecasts) is
    counted on them: the web app's view for one reviewer."""
    dismissed = history.dismissed(period)
    stored = history.current(period)
    items, removed = [], 0
    for number, row in enumerate(stored, start=1):  # anchors number every stored row
        if not _kept(keep, row.record):
            continue
        findings = kept_findings(row, dismissed)
        removed += len(row.findings) - len(findings)
        findings.sort(key=lambda f: (SEVERITY_ORDER[f["severity"]], f["code"]))
        record = row.record
        items.append(Item(
            anchor=f"kpi-{number}", kpi_id=label(row),
            kpi_name=str(record.get("kpi_name") or label(row)),
            service=str(record.get("service") or "Not stated"),
            owner=str(record.get("owner") or "Not stated"),
            record=record, findings=findings,
            verdict=_verdict(findings, record.get("verdict", "ready")),
            highlighted=highlight(record.get("narrative") or "", findings)))
    items.sort(key=lambda i: (i.worst, -len(i.findings), i.kpi_id))
    earlier = previous_period(period)
    before = Counter()
    if earlier:
        dismissed_then = history.dismissed(earlier)
        for row in history.current(earlier):
            if not _kept(keep, row.record):
                continue
            before.update(f["code"] for f in kept_findings(row, dismissed_then))
    now = Counter(f["code"] for i in items for f in i.findings)
    rules = {r.code: r for r in load_catalogue()}
    agreement = Counter()
    for item in items:
        stated, computed = rag_pair(item.record)
        if stated and computed:
            agreement["agrees" if stated == computed else "differs"] += 1
        else:
            agreement["not comparable"] += 1
    return ReportView(
        period=period, previous=earlier, items=items,
        verdicts={v: sum(i.verdict == v for i in items) for v in VERDICTS},
        rag_agreement=dict(agreement),
        by_service=bars(Counter(i.service for i in items for _ in i.findings)),
        by_code=bars(now),
        change=[{"code": c, "slug": rules[c].slug, "now": now.get(c, 0),
                 "before": before.get(c, 0) if earlier else None} for c in sorted(rules)],
        method=_method(rules), dismissed=removed, rules=rules,
        forecasts=forecasts_view(history, period, keep),
    )


def _method(rules) -> list[dict[str, Any]]:
    measured = load_card()["findings"]
    rows = []
    for code, rule in sorted(rules.items()):
        row = measured.get(code)
        path = row["path"] if row else None
        scores = row["test"]["gate" if path == "learned gate" else "rules"] if row else None
        rows.append({"code": code, "title": rule.title, "source": rule.source,
                     "precision": scores["precision"] if scores else None,
                     "recall": scores["recall"] if scores else None})
    return rows


def feedback_by_owner(history: History, period: str) -> dict[str, list[Item]]:
    view = build_report(history, period)
    owners: dict[str, list[Item]] = {}
    for item in sorted(view.items, key=lambda i: i.kpi_id):
        owners.setdefault(item.owner, []).append(item)
    return owners
