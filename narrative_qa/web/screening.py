"""ELT screening (reviewers; admins see every service): the period dashboard, the queue,
a submission with its findings to confirm or dismiss, and the downloads.

Every figure comes from `narrative_qa.reporting.view.build_report`, the view model behind
`narrative-qa report`, restricted to the services the reviewer is assigned; decisions go
through `History.decide`, as `narrative-qa review` does. The downloads are the report's
own renderers fed the same restricted view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from narrative_qa.assessment import VERDICTS
from narrative_qa.language.periods import previous_period
from narrative_qa.previous import match_key
from narrative_qa.reporting import render as report_render
from narrative_qa.reporting.view import Item, ReportView, build_report, rag_pair
from narrative_qa.store.accounts import User
from narrative_qa.store.history import DECISIONS, History, applies_to, fingerprint
from narrative_qa.web.access import may_read
from narrative_qa.web.fields import form_text
from narrative_qa.web.render import render
from narrative_qa.web.security import State, WebError, require_role
from narrative_qa.web.views import changes, data_rows, when

router = APIRouter(prefix="/screening", dependencies=[Depends(require_role("reviewer", "admin"))],
                   include_in_schema=False)
Reviewer = Annotated[User, Depends(require_role("reviewer", "admin"))]
RAG_FILTERS = ("red", "amber", "green", "differs")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- the view model, restricted to what this user may read ----------------------------

def visible(user: User, item: Item) -> bool:
    return may_read(user, item.record.get("owner"), item.record.get("service"))


def restricted_report(history: History, period: str, user: User) -> ReportView:
    """The ELT report's view model for `period`, over the submissions `user` may read: the
    figures (verdicts, RAG agreement, bars, change since last quarter) counted on them."""
    if user.role == "admin":
        return build_report(history, period)
    return build_report(history, period, keep=lambda owner, service: may_read(
        user, owner, service))


@dataclass(frozen=True)
class QueueFilter:
    service: str = ""
    verdict: str = ""
    code: str = ""
    owner: str = ""
    rag: str = ""

    def keeps(self, item: Item) -> bool:
        record = item.record
        stated, computed = rag_pair(record)
        return ((not self.service or item.service == self.service)
                and (not self.verdict or item.verdict == self.verdict)
                and (not self.code or any(f["code"] == self.code for f in item.findings))
                and (not self.owner or item.owner == self.owner)
                and (not self.rag or (self.rag == "differs" and bool(stated and computed)
                                      and stated != computed)
                     or self.rag == computed))

    def query(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


def queue_filter(service: str = "", verdict: str = "", code: str = "", owner: str = "",
                 rag: str = "") -> QueueFilter:
    if verdict and verdict not in VERDICTS:
        raise WebError(422, "NQE024", f"verdict '{verdict}' is not one of: "
                       f"{', '.join(VERDICTS)}", "verdict")
    if rag and rag not in RAG_FILTERS:
        raise WebError(422, "NQE024", f"rag '{rag}' is not one of: {', '.join(RAG_FILTERS)}",
                       "rag")
    return QueueFilter(service.strip(), verdict, code.strip().upper(), owner.strip(), rag)


Filter = Annotated[QueueFilter, Depends(queue_filter)]


def chosen_period(history: History, period: str | None) -> str | None:
    """The period asked for (NQE111 listing the stored ones when it is not stored), or the
    latest period holding a stored quarter (one officer's early submission for the next
    quarter does not move every reviewer to it); None when nothing is stored yet."""
    periods = history.periods()
    if not period:
        quarters = history.quarter_periods()
        return quarters[-1] if quarters else (periods[-1] if periods else None)
    if period not in periods:
        raise WebError(404, "NQE111", f"nothing is stored for period '{period}'; periods "
                       f"stored: {', '.join(periods) or 'none'}", "period")
    return period


def submission_link(period: str, kpi_id: str) -> str:
    return "/screening/submission?" + urlencode({"period": period, "kpi": kpi_id})


# --- pages ----------------------------------------------------------------------------

@router.get("")
def dashboard(request: Request, state: State, user: Reviewer, filters: Filter,
              period: str = "") -> Response:
    """The period's figures and its queue, filtered by the query parameters."""
    chosen = chosen_period(state.history, period)
    if chosen is None:
        return render(request, "screening.html", {"view": None, "periods": []})
    view = restricted_report(state.history, chosen, user)
    queue = [i for i in view.items if filters.keeps(i)]
    options = {"service": sorted({i.service for i in view.items}),
               "owner": sorted({i.owner for i in view.items}),
               "code": sorted(view.rules), "verdict": VERDICTS, "rag": RAG_FILTERS}
    query = urlencode({"period": chosen})
    periods = state.history.periods()
    default_note = None if period else {"later": periods[periods.index(chosen) + 1:]}
    return render(request, "screening.html", {
        "view": view, "periods": periods, "queue": queue, "default_note": default_note,
        "filters": filters, "options": options, "link": submission_link,
        "downloads": {"report": f"/screening/report.html?{query}",
                      "xlsx": f"/screening/screening.xlsx?{query}"},
        "feedback_link": lambda owner, kind="html": "/screening/feedback?" + urlencode(
            {"period": chosen, "owner": owner, "format": kind})})


def _stored_item(state, user: User, period: str, kpi_id: str) -> Item:
    view = build_report(state.history, period)
    found = [i for i in view.items if match_key(i.kpi_id) == match_key(kpi_id)]
    if not found:
        raise WebError(404, "NQE111", f"no KPI '{kpi_id}' is stored for '{period}'", "kpi")
    if not visible(user, found[0]):
        raise WebError(403, "NQE104", f"KPI '{kpi_id}' is in a service you are not assigned "
                       "to review", "kpi")
    return found[0]


def finding_decisions(history: History, period: str, kpi_id: str) -> dict[str, dict]:
    """The latest decision on each finding (by fingerprint) that applies to `period`."""
    latest: dict[str, dict] = {}
    for row in history.decisions():
        if match_key(row["kpi_id"]) == match_key(kpi_id) and applies_to(row["period"], period):
            latest[row["fingerprint"]] = row
    return latest


def trend(history: History, kpi_id: str) -> list[dict[str, Any]]:
    """The KPI's actual and verdict in every stored period, oldest first."""
    points = []
    for period in history.periods():
        for row in history.current(period, kpi_id, with_findings=False):
            points.append({"period": period, "actual": row.record.get("actual"),
                           "target": row.record.get("target"),
                           "verdict": row.record.get("verdict")})
    return points


@router.get("/submission")
def submission(request: Request, state: State, user: Reviewer, period: str, kpi: str
               ) -> Response:
    """A submission: narrative highlighted, its data and trend, its findings to decide."""
    return _submission_page(request, state, user, period, kpi)


def _submission_page(request: Request, state, user: User, period: str, kpi: str,
                     error: WebError | None = None) -> Response:
    item = _stored_item(state, user, period, kpi)
    (stored,) = state.history.current(period, kpi)[:1] or [None]
    decided = finding_decisions(state.history, period, kpi)
    findings = []
    for finding in (stored.findings if stored else []):
        key = fingerprint(finding["code"], kpi, finding["evidence"])
        findings.append({**finding, "decision": decided.get(key)})
    kept = {f["code"] for f in item.findings}
    for finding in findings:
        if finding["decision"]:
            finding["decision"] = {**finding["decision"],
                                   "when": when(finding["decision"]["decided_at"])}
    data = data_rows(item.record, (
        "kpi_name", "service", "owner", "target", "actual", "previous_actual", "unit",
        "polarity", "stated_rag", "rag_computed", "verdict", "score"))
    status = error.status if error else 200
    return render(request, "screening_submission.html", {
        "item": item, "period": period, "findings": findings, "kept": kept, "data": data,
        "previous": {"period": previous_period(period),
                     "narrative": item.record.get("previous_narrative")},
        "changes": changes(item.record.get("previous_narrative") or "",
                           item.record.get("narrative") or "")
        if item.record.get("previous_narrative") else None,
        "trend": trend(state.history, kpi), "decisions": DECISIONS,
        "form_error": {"code": error.code, "message": error.message} if error else None,
        "back": "/screening?" + urlencode({"period": period}),
        "feedback": {kind: "/screening/feedback?" + urlencode(
            {"period": period, "owner": item.owner, "format": kind})
            for kind in ("html", "docx")}}, status=status)


@router.post("/decide")
def decide(request: Request, state: State, user: Reviewer,
           period: Annotated[str, form_text("period")],
           kpi_id: Annotated[str, form_text("kpi_id")],
           code: Annotated[str, form_text("code")],
           decision: Annotated[str, form_text("choice")],
           reason: Annotated[str, form_text("reason")] = "") -> Response:
    """Confirm or dismiss a finding with a reason (the decision `narrative-qa review` makes)."""
    _stored_item(state, user, period, kpi_id)
    if not reason.strip():
        return _submission_page(request, state, user, period, kpi_id, WebError(
            422, "NQE061", "give the reason for the decision", "reason"))
    state.history.decide(kpi_id, period, code, decision, reason.strip(),
                         user.display_name or user.username)
    return RedirectResponse(submission_link(period, kpi_id), status_code=303)


# --- downloads ------------------------------------------------------------------------

def _attachment(body: bytes | str, media_type: str, name: str) -> Response:
    return Response(body, media_type=media_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def _period_view(state, user: User, period: str) -> ReportView:
    chosen = chosen_period(state.history, period)
    if chosen is None:
        raise WebError(404, "NQE111", "nothing is stored yet; upload a quarter first", "period")
    return restricted_report(state.history, chosen, user)


def _name(period: str, suffix: str) -> str:
    return f"{report_render.file_slug(period, 40) or 'period'}-{suffix}"


@router.get("/report.html")
def report_html(state: State, user: Reviewer, period: str) -> Response:
    view = _period_view(state, user, period)
    return _attachment(report_render.render_report_html(view), "text/html; charset=utf-8",
                       _name(view.period, "report.html"))


@router.get("/screening.xlsx")
def report_xlsx(state: State, user: Reviewer, period: str) -> Response:
    view = _period_view(state, user, period)
    return _attachment(report_render.screening_xlsx(view), XLSX,
                       _name(view.period, "screening.xlsx"))


@router.get("/feedback")
def feedback(state: State, user: Reviewer, period: str, owner: str,
             format: str = "html") -> Response:
    """One officer's feedback for the period, as the `narrative-qa feedback` files."""
    view = _period_view(state, user, period)
    items = sorted((i for i in view.items if i.owner == owner), key=lambda i: i.kpi_id)
    if not items:
        raise WebError(404, "NQE111", f"no submission of owner '{owner}' you may read is "
                       f"stored for '{view.period}'", "owner")
    name = report_render.feedback_names([owner], view.period)[owner]
    if format == "html":
        body: bytes | str = report_render.render_feedback_html(owner, view.period, items,
                                                               view.rules)
        return _attachment(body, "text/html; charset=utf-8", f"{name}.html")
    if format == "md":
        body = report_render.render_feedback_markdown(owner, view.period, items, view.rules)
        return _attachment(body, "text/markdown; charset=utf-8", f"{name}.md")
    if format == "docx":
        return _attachment(report_render.feedback_docx(owner, view.period, items, view.rules),
                           DOCX, f"{name}.docx")
    raise WebError(422, "NQE024", f"format '{format}' is not one of: html, md, docx", "format")
