"""The JSON API under /api/v1, for council systems (Pentana exports, Power BI, the QPR
workflow): check a draft, list and read submissions, record decisions, upload a quarter.

Systems authenticate with `Authorization: Bearer <token>` (tokens issued and revoked by an
admin; only their sha256 is stored); a signed-in browser session works too (and then the
CSRF token is required on POST, as for forms). The same access policy as the pages applies
(`narrative_qa.web.access.may_read`). Assessment bodies are exactly what the JSONL output
carries (`Assessment.to_record()`). Errors are `{code, message, todo, field}` with an NQE
code; a request the models refuse is a 422 with NQE109 (NQE106 for a missing field).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from narrative_qa.assessment import VERDICTS
from narrative_qa.errors import InputError
from narrative_qa.output.rewrites import checked_record
from narrative_qa.reporting.view import build_report, label
from narrative_qa.selfcheck import check_as
from narrative_qa.store.accounts import User
from narrative_qa.web import upload as uploads
from narrative_qa.web.access import may_read, readable_kpi
from narrative_qa.web.fields import body_text, form_text
from narrative_qa.web.render import render
from narrative_qa.web.screening import finding_decisions, queue_filter
from narrative_qa.web.security import NotSignedIn, RowId, State, WebError, current_session

Number = float | str | None  # as text, read by the library (NQE022 for nonsense)


class ErrorOut(BaseModel):
    code: str = Field(description="The NQE code (see the README's error table).")
    message: str
    todo: str = Field(description="What to do about it.")
    field: str | None = Field(None, description="The request field at fault, if one is.")


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text} for status, text in (
        (401, "No valid token or session (NQE100)"),
        (403, "Not allowed for this account (NQE104)"),
        (404, "Nothing stored under that name (NQE111)"),
        (422, "The request is not valid (NQE106, NQE109, or the library's code)"))}


def api_user(request: Request, state: State) -> User:
    """The token's user (Authorization: Bearer …), else the signed-in session's user."""
    header = request.headers.get("authorization", "")
    if header.startswith("Bearer "):
        user = state.accounts.token_user(header[len("Bearer "):].strip())
        if user is None:
            raise NotSignedIn("the API token is not valid, or has been revoked")
        return user
    session = current_session(request)
    if session is None or session.user is None:
        raise NotSignedIn("send 'Authorization: Bearer <token>' (an admin issues tokens)")
    return session.user


ApiUser = Annotated[User, Depends(api_user)]
router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS,
                   dependencies=[Depends(api_user)])


# --- models ---------------------------------------------------------------------------

class DraftIn(BaseModel):
    """A draft to check: the narrative and whatever KPI data there is."""

    model_config = ConfigDict(extra="forbid")
    narrative: str = Field(min_length=1, description="The narrative text.")
    kpi_id: str | None = body_text("kpi_id")
    kpi_name: str | None = body_text("kpi_name")
    service: str | None = body_text("service")
    period: str | None = body_text("period", examples=["2025/26 Q2"])
    target: Number = None
    actual: Number = None
    previous_actual: Number = None
    unit: str | None = body_text("unit")
    polarity: Literal["up", "down"] | None = None
    stated_rag: Literal["red", "amber", "green"] | None = None
    previous_narrative: str | None = None


class RewriteOut(BaseModel):
    sentence: str = Field(description="The quoted sentence, as the officer wrote it.")
    rewrite: str = Field(description="The sentence kept, with [bracketed slots] for what "
                         "the finding says is missing (never invented figures).")


class FindingOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    code: str
    slug: str
    severity: str
    confidence: float
    low_confidence: bool
    message: str
    evidence: list[str]
    suggestion: str


class AssessmentOut(BaseModel):
    """One assessment: every input column plus the assessment, as in the JSONL output."""

    model_config = ConfigDict(extra="allow")
    kpi_id: str | None = None
    kpi_name: str | None = None
    period: str | None = None
    narrative: str | None = None
    row: int | None = None
    rag_computed: str | None = None
    verdict: str
    score: int | None = None
    findings: list[FindingOut]
    errors: list[dict[str, Any]]


class CheckedFindingOut(FindingOut):
    suggested_rewrite: list[RewriteOut] = Field(
        description="Each quoted sentence with its suggested rewrite, as the self-check "
                    "shows it; none for a finding that rests on the data (NQ09).")


class CheckedOut(AssessmentOut):
    """A checked draft: the JSONL record, each finding with its suggested rewrite."""

    findings: list[CheckedFindingOut]


class SubmissionSummary(BaseModel):
    id: int = Field(description="The stored row; read it at /api/v1/submissions/{id}.")
    kpi_id: str
    period: str
    version: int
    service: str | None
    owner: str | None
    verdict: str = Field(description="After reviewers' dismissals, as in the ELT report.")
    finding_codes: list[str]


class DecisionOut(BaseModel):
    kpi_id: str
    period: str
    code: str
    decision: str
    reason: str
    reviewer: str
    decided_at: str


class SubmissionOut(BaseModel):
    id: int
    kpi_id: str
    period: str
    version: int
    is_current: bool
    assessment: AssessmentOut = Field(description="As scored and stored (every finding).")
    dismissed_codes: list[str] = Field(description="Findings a reviewer dismissed.")
    decisions: list[DecisionOut]


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    period: str = body_text("period", required=True)
    kpi_id: str = body_text("kpi_id", required=True)
    code: str = body_text("code", required=True, examples=["NQ04"])
    decision: Literal["confirmed", "dismissed"]
    reason: str = body_text("reason", required=True)


class DecisionResult(BaseModel):
    recorded: bool = Field(description="False when the very same decision was already kept.")
    decision: DecisionIn


class UploadOut(BaseModel):
    id: int
    filename: str
    status: str = Field(description=", ".join(uploads.STATUSES))
    period: str | None
    total: int | None
    done: int
    problems: list[dict[str, Any]] = Field(description="Row problems: row, column, code.")
    error: dict[str, Any] | None
    stored: int | None
    summary: dict[str, int] | None
    scored_file: str | None = Field(description="Where to download the scored workbook.")


class StoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    period: str = body_text("period", required=True, examples=["2025/26 Q2"])
    supersede: bool = Field(False, description="Store even though officers' web "
                            "submissions for the period would be superseded (without it, "
                            "a 409 with NQE122 lists them).")


# --- the OpenAPI page (server-rendered: no CDN, no script, under the app's CSP) --------

docs_router = APIRouter(include_in_schema=False)


@docs_router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> Response:
    spec = request.app.openapi()
    operations = [{"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                   "description": op.get("description", ""),
                   "body": json.dumps(op.get("requestBody", {}).get("content", {}), indent=1)
                   if op.get("requestBody") else "",
                   "responses": sorted(op.get("responses", {}))}
                  for path, methods in spec["paths"].items() for method, op in methods.items()]
    return render(request, "api_docs.html", {
        "spec": spec, "operations": operations,
        "schemas": {name: json.dumps(body, indent=1) for name, body in
                    spec.get("components", {}).get("schemas", {}).items()}})


# --- routes ---------------------------------------------------------------------------

@router.post("/check", response_model=CheckedOut)
def check(state: State, user: ApiUser, draft: DraftIn) -> dict[str, Any]:
    """Check a draft (nothing is stored), as `narrative-qa check` and the self-check do;
    each finding carries its `suggested_rewrite`, as the self-check shows it."""
    values = draft.model_dump(exclude={"narrative"})
    kpi = readable_kpi(state.history, user, values["kpi_id"])  # before the history join
    try:
        assessment = check_as(user, draft.narrative, values, state.settings, state.history,
                              kpi, state.web.request_seconds)
    except InputError as error:
        if error.code != "NQE021":
            raise
        raise WebError(422, error.code, error.detail, "narrative") from None
    return checked_record(assessment)


@router.get("/periods", response_model=list[str])
def periods(state: State) -> list[str]:
    """The periods stored, oldest first."""
    return state.history.periods()


@router.get("/submissions", response_model=list[SubmissionSummary])
def list_submissions(state: State, user: ApiUser, period: str, service: str = "",
                     verdict: str = "", code: str = "", owner: str = "",
                     rag: str = "") -> list[dict[str, Any]]:
    """The current submissions of a period this account may read, filtered like the queue
    (verdict one of: not-acceptable, revise, ready, error; rag red, amber, green, differs)."""
    filters = queue_filter(service, verdict, code, owner, rag)
    if period not in state.history.periods():
        raise WebError(404, "NQE111", f"nothing is stored for period '{period}'; periods "
                       f"stored: {', '.join(state.history.periods()) or 'none'}", "period")
    view = build_report(state.history, period)
    stored = {label(s): s for s in state.history.current(period, with_findings=False)}
    return [{"id": stored[i.kpi_id].id, "kpi_id": i.kpi_id, "period": period,
             "version": stored[i.kpi_id].version, "service": i.record.get("service"),
             "owner": i.record.get("owner"), "verdict": i.verdict,
             "finding_codes": [f["code"] for f in i.findings]}
            for i in view.items if i.kpi_id in stored
            and may_read(user, i.record.get("owner"), i.record.get("service"))
            and filters.keeps(i)]


class ForecastOut(BaseModel):
    """A forecast due in the period (checked) or made in it (still to come), as
    `narrative-qa forecasts` lists it."""

    model_config = ConfigDict(extra="allow")
    kpi_id: str
    made_in: str
    what: str
    value: str | None = None
    due: str | None = Field(None, description="The last month it covers, YYYY-MM.")
    due_period: str | None = None
    status: str = Field(description="met, missed, not measurable, to confirm, not "
                        "reported; or not yet due, no due period, due date problem.")
    sentence: str
    quote: str | None = None


@router.get("/forecasts", response_model=list[ForecastOut])
def list_forecasts(state: State, user: ApiUser, period: str) -> list[dict[str, Any]]:
    """The forecasts falling due in a period, checked against it, and those made in it, of
    the KPIs this account may read."""
    from narrative_qa.forecasts.listing import forecast_rows

    if period not in state.history.periods():
        raise WebError(404, "NQE111", f"nothing is stored for period '{period}'; periods "
                       f"stored: {', '.join(state.history.periods()) or 'none'}", "period")
    rows, _ = forecast_rows(state.history, period)
    return [r for r in rows if may_read(user, r["owner"], r["service"])]


@router.get("/submissions/{submission_id}", response_model=SubmissionOut)
def read_submission(state: State, user: ApiUser, submission_id: RowId) -> dict[str, Any]:
    """One stored submission (any version), with its findings and the decisions on them."""
    found = state.history.submission(submission_id)
    if found is None:
        raise WebError(404, "NQE111", f"no submission {submission_id} is stored", "id")
    row, stored, fingerprints = found
    if not may_read(user, row["owner"], row["service"]):
        raise WebError(403, "NQE104", f"submission {submission_id} is not one this account "
                       "may read")
    record = {**stored.record, "findings": stored.findings}
    decided = finding_decisions(state.history, row["period"], row["kpi_id"])
    latest = [decided[key] for key in fingerprints if key in decided]
    return {"id": row["id"], "kpi_id": row["kpi_id"], "period": row["period"],
            "version": row["version"], "is_current": bool(row["is_current"]),
            "assessment": record,
            "dismissed_codes": sorted({d["code"] for d in latest if d["decision"] == "dismissed"}),
            "decisions": latest}


@router.post("/decisions", response_model=DecisionResult)
def record_decision(state: State, user: ApiUser, body: DecisionIn) -> dict[str, Any]:
    """Confirm or dismiss a finding (reviewers of the KPI's service, and admins), as
    `narrative-qa review confirm|dismiss` does."""
    if user.role not in ("reviewer", "admin"):
        raise WebError(403, "NQE104", "decisions are recorded by reviewers and admins")
    rows = state.history.current(body.period, body.kpi_id, with_findings=False)
    if not rows:  # said without listing the period's KPIs, which may be other services'
        raise WebError(404, "NQE111", f"no KPI '{body.kpi_id}' is stored for "
                       f"'{body.period}'", "kpi_id")
    if not any(may_read(user, r.record.get("owner"), r.record.get("service"))
                        for r in rows):
        raise WebError(403, "NQE104", f"KPI '{body.kpi_id}' is in a service you are not "
                       "assigned to review", "kpi_id")
    recorded = state.history.decide(body.kpi_id, body.period, body.code, body.decision,
                                    body.reason, user.display_name or user.username)
    return {"recorded": recorded, "decision": body}


def _upload_out(row: dict[str, Any]) -> dict[str, Any]:
    out = uploads.public(row)
    out["scored_file"] = f"/api/v1/uploads/{row['id']}/scored.xlsx" if row.get(
        "has_result") else None
    return out


@router.post("/uploads", response_model=UploadOut, status_code=202)
async def upload_quarter(state: State, user: ApiUser,
                         file: Annotated[UploadFile, File(description=".xlsx or .csv")],
                         period: Annotated[str, form_text("period")] = "") -> dict[str, Any]:
    """Upload a quarter's export to be scored in the background; poll its status."""
    uploads.require_uploader(user)
    upload_id = await uploads.accept(state, user, file, period)
    return _upload_out(uploads.get(state, user, upload_id))


@router.get("/uploads/{upload_id}", response_model=UploadOut)
def poll_upload(state: State, user: ApiUser, upload_id: RowId) -> dict[str, Any]:
    uploads.require_uploader(user)
    return _upload_out(uploads.get(state, user, upload_id))


@router.get("/uploads/{upload_id}/scored.xlsx", response_class=Response,
            responses={200: {"content": {uploads.XLSX: {}}}})
def scored_file(state: State, user: ApiUser, upload_id: RowId) -> Response:
    uploads.require_uploader(user)
    return uploads.scored_response(state, user, upload_id)


@router.post("/uploads/{upload_id}/store", response_model=UploadOut, status_code=202)
def store_upload(state: State, user: ApiUser, upload_id: RowId, body: StoreIn) -> dict[str, Any]:
    """Store a scored upload as the period (in the background; poll the upload)."""
    uploads.require_uploader(user)
    uploads.request_store(state, user, upload_id, body.period, body.supersede)
    return _upload_out(uploads.get(state, user, upload_id))


__all__ = ["VERDICTS", "docs_router", "router"]
