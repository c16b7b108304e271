"""Self-check (officers): check a draft as it is written, read a Word draft, submit.

Every check calls `narrative_qa.api.check_draft`, the function behind `narrative-qa check`.
Nothing is stored until the officer submits; the draft lives in the browser meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.responses import Response

from narrative_qa.assessment import Assessment
from narrative_qa.config import Settings
from narrative_qa.errors import InputError
from narrative_qa.language.periods import canonical_period, previous_period
from narrative_qa.previous import match_key
from narrative_qa.reading import word
from narrative_qa.reading.archive import ReadLimits
from narrative_qa.reading.records import narrative_limit
from narrative_qa.selfcheck import check_as
from narrative_qa.store import windows
from narrative_qa.store.accounts import User
from narrative_qa.web.access import officer_kpi
from narrative_qa.web.fields import form_text
from narrative_qa.web.render import render
from narrative_qa.web.security import AppState, State, WebError, require_role
from narrative_qa.web.views import (
    KPI_FIELDS,
    KpiView,
    check_view,
    confirm_rows,
    data_rows,
    draft_fields,
    is_period,
    officer_kpis,
    when,
)

router = APIRouter(prefix="/selfcheck", dependencies=[Depends(require_role("officer"))],
                   include_in_schema=False)
Officer = Annotated[User, Depends(require_role("officer"))]
DOCX_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "application/octet-stream", "")


@dataclass
class Draft:
    """What the officer typed (every field optional until they submit)."""

    narrative: str
    fields: dict[str, str]

    def values(self) -> dict[str, str | None]:
        return {name: (value.strip() or None) for name, value in self.fields.items()}


def draft_form(narrative: Annotated[str, Form()] = "",
               kpi_id: Annotated[str, form_text("kpi_id")] = "",
               kpi_name: Annotated[str, form_text("kpi_name")] = "",
               service: Annotated[str, form_text("service")] = "",
               period: Annotated[str, form_text("period")] = "",
               target: Annotated[str, form_text("figure")] = "",
               actual: Annotated[str, form_text("figure")] = "",
               previous_actual: Annotated[str, form_text("figure")] = "",
               unit: Annotated[str, form_text("unit")] = "",
               polarity: Annotated[str, form_text("choice")] = "",
               stated_rag: Annotated[str, form_text("choice")] = "") -> Draft:
    given = locals()
    return Draft(narrative, {name: given[name] for name in KPI_FIELDS})


DraftForm = Annotated[Draft, Depends(draft_form)]


def _assess(state: AppState, user: User, draft: Draft) -> Assessment:
    """Check the draft as this officer's: their KPI's history joined in, never another's."""
    values = draft.values()
    kpi = officer_kpi(state.history, user, values["kpi_id"] or "")
    try:
        return check_as(user, draft.narrative, values, state.settings, state.history, kpi,
                        state.web.request_seconds)
    except InputError as error:
        if error.code != "NQE021":
            raise
        raise WebError(422, error.code, f"{error.detail}; shorten it (your draft is kept)",
                       "narrative") from None


def _blocking(assessment: Assessment) -> WebError | None:
    problems = [p for p in assessment.submission.problems if p.blocking]
    if not problems:
        return None
    first = problems[0]
    return WebError(422, first.code, first.message, first.location.column)


def _page(request: Request, state: AppState, user: User, fields: dict[str, str],
          narrative: str = "", *, fresh: bool = False, error: WebError | None = None,
          status: int = 200) -> Response:
    kpi = officer_kpi(state.history, user, fields.get("kpi_id", ""))
    context = {"kpis": officer_kpis(state.history, user), "fields": fields,
               "open_periods": windows.open_periods(state.history),
               "narrative": narrative, "fresh": fresh, "kpi": kpi,
               "previous": last_period(state, kpi, fields.get("period", "")),
               "due": due_forecasts(state, kpi, fields.get("period", "")),
               "draft_key": fields.get("kpi_id") or "new",
               "max_chars": narrative_limit(state.settings),
               "max_upload_mb": state.web.max_upload_bytes // (1024 * 1024),
               "form_error": _error(error)}
    return render(request, "selfcheck.html", context, status=status)


def last_period(state: AppState, kpi: KpiView | None, period: str) -> dict | None:
    """What the KPI's owner wrote and reported for the period before the draft's, shown
    beside the draft (not folded away) so the officer writes the link to it."""
    earlier = previous_period(period)
    if kpi is None or earlier is None:
        return None
    stored = next(iter(state.history.current(earlier, kpi.kpi_id, with_findings=False)),
                  None)
    if stored is None:
        return {"period": earlier, "narrative": None, "data": []}
    return {"period": earlier, "narrative": stored.record.get("narrative"),
            "data": data_rows(stored.record, ("target", "actual", "stated_rag",
                                              "rag_computed"),
                              {"actual": "Value reported", "stated_rag": "RAG reported"})}


def due_forecasts(state: AppState, kpi: KpiView | None, period: str) -> list:
    """The forecasts this KPI made in earlier periods that fall due in the draft's period
    (issue 19), shown beside the draft before it is written."""
    from narrative_qa.store.forecasts import forecasts_due

    if kpi is None or not canonical_period(period):
        return []
    return forecasts_due(state.history, period, kpi.kpi_id)


def _error(error: WebError | None) -> dict | None:
    if error is None:
        return None
    return {"code": error.code, "message": error.message, "field": error.field}


@router.get("")
def page(request: Request, state: State, user: Officer, kpi: str = "",
         period: str = "") -> Response:
    """The self-check page, for a chosen KPI (filled from the store) or a blank one. The
    period is the one asked for, else the newest period open for submissions, else the
    one after the KPI's latest stored."""
    stored = officer_kpi(state.history, user, kpi)
    fields = draft_fields(stored)
    if kpi and stored is None:
        fields["kpi_id"] = kpi.strip()[:100]
    opened = windows.open_periods(state.history)
    chosen = canonical_period(period) or (
        fields["period"] if fields["period"] in opened or not opened else opened[0])
    if chosen != fields["period"]:
        fields["period"] = chosen
        fields["previous_actual"] = ""  # last period's value is joined from the store
    return _page(request, state, user, fields)


@router.post("/check")
def check(request: Request, state: State, user: Officer, draft: DraftForm) -> Response:
    """The findings panel (an htmx partial), refreshed as the officer types."""
    if not draft.narrative.strip():
        return render(request, "_findings.html", {"check": None, "form_error": None})
    try:
        assessment = _assess(state, user, draft)
    except WebError as error:
        return render(request, "_findings.html", {"check": None, "form_error": _error(error)},
                      status=error.status)
    blocked = _blocking(assessment)
    return render(request, "_findings.html", {
        "check": None if blocked else check_view(assessment, state.settings.penalties),
        "form_error": _error(blocked), "editable": True},
        status=blocked.status if blocked else 200)


@router.post("/docx")
async def upload_docx(request: Request, state: State, user: Officer, draft: DraftForm,
                      document: Annotated[UploadFile | None, File()] = None) -> Response:
    """Read a Word draft into the narrative box (nothing is stored)."""
    try:
        text = docx_text(await _read_upload(document, state.web.max_upload_bytes),
                         state.settings)
    except WebError as error:
        return _page(request, state, user, draft.fields, error=error, status=error.status)
    return _page(request, state, user, draft.fields, text, fresh=True)


async def _read_upload(document: UploadFile | None, limit: int) -> tuple[str, bytes]:
    if document is None or not document.filename:
        raise WebError(422, "NQE106", "choose the Word document to upload", "document")
    data = await document.read(limit + 1)
    if len(data) > limit:
        raise WebError(413, "NQE108", f"'{document.filename}' is over the limit of "
                       f"{limit // (1024 * 1024)} MB", "document")
    return document.filename, data


def docx_text(upload: tuple[str, bytes], settings: Settings) -> str:
    """The draft's text as `narrative-qa check draft.docx` reads it (narrative_qa.reading
    .word): refused with NQE105 when not a Word document, NQE057 when it unpacks past the
    limit, NQE021 when its text is over the narrative limit."""
    name, data = upload
    if not name.lower().endswith(".docx"):
        raise WebError(422, "NQE105", f"'{name}' is not a Word document (.docx)", "document")
    try:
        return word.docx_text(name, data, ReadLimits.of(settings), narrative_limit(settings))
    except InputError as error:
        status = 413 if error.code in ("NQE057", "NQE021") else 422
        raise WebError(status, error.code, f"'{name}': {error.detail}", "document") from None


def _submit_error(state: AppState, draft: Draft) -> WebError | None:
    """What stops this draft being submitted before it is checked: a missing field, a
    period that is not a quarter or not open for submissions, an empty narrative."""
    values = draft.values()
    missing = [name for name in ("kpi_id", "period") if not values[name]]
    if missing:
        return WebError(422, "NQE106", f"give the {' and the '.join(missing)} to submit",
                        missing[0])
    if not is_period(values["period"] or ""):
        return WebError(422, "NQE024", f"period '{values['period']}' is not like "
                        "'2025/26 Q2'", "period")
    if windows.open_window(state.history, values["period"]) is None:
        listed = ", ".join(windows.open_periods(state.history)) or "none"
        return WebError(422, "NQE120", f"period '{values['period']}' is not open for "
                        f"submissions; open periods: {listed}", "period")
    if not draft.narrative.strip():
        return WebError(422, "NQE020", "the narrative is empty", "narrative")
    return None


@router.post("/submit")
def submit(request: Request, state: State, user: Officer, draft: DraftForm,
           confirmed: Annotated[str, Form(max_length=10)] = "",
           draft_key: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Submitting is two explicit steps: the first shows what will be stored (the KPI as
    stored, the open period, the figures, the narrative and its verdict); only the second,
    `confirmed`, stores it for the period as a new version."""
    error = _submit_error(state, draft)
    if error is None:
        draft.fields["period"] = canonical_period(draft.fields["period"]) or ""
        try:
            assessment = _assess(state, user, draft)
        except WebError as refused:
            if refused.status == 403:
                raise
            error = refused
        else:
            error = _blocking(assessment)
    if error is not None:
        return _page(request, state, user, draft.fields, draft.narrative, error=error,
                     status=error.status)
    sub = assessment.submission
    kpi_id, period = sub.kpi_id or "", draft.fields["period"]
    if confirmed != "yes":
        stored = {name: draft.fields[name] for name in KPI_FIELDS}
        stored["kpi_id"] = kpi_id
        return render(request, "confirm.html", {
            "fields": stored, "narrative": draft.narrative, "shown": confirm_rows(stored),
            "check": check_view(assessment, state.settings.penalties),
            "earlier": _live_version(state, kpi_id, period),
            "draft_key": draft_key or draft.fields.get("kpi_id") or "new"})
    state.history.ingest([assessment], period, f"web:{user.username}")
    version = state.history.versions(kpi_id, period)[-1]["version"]
    return render(request, "submitted.html", {
        "kpi_id": kpi_id, "period": period, "version": version,
        "check": check_view(assessment, state.settings.penalties),
        "draft_key": draft_key or draft.fields.get("kpi_id") or "new"})


def _live_version(state: AppState, kpi_id: str, period: str) -> dict | None:
    """The version now current for the KPI and period (None when none is, or it was
    withdrawn)."""
    live = [v for v in state.history.versions(kpi_id, period)
            if v["is_current"] and not v["withdrawn"]]
    return live[-1] if live else None


@router.post("/edit")
def edit(request: Request, state: State, user: Officer, draft: DraftForm) -> Response:
    """Back from the confirmation to the draft, exactly as it was."""
    return _page(request, state, user, draft.fields, draft.narrative, fresh=True)


@router.post("/withdraw")
def withdraw(request: Request, state: State, user: Officer,
             kpi_id: Annotated[str, form_text("kpi_id", required=True)],
             period: Annotated[str, form_text("period", required=True)]) -> Response:
    """Withdraw this officer's submission for an open period (stored as a new version)."""
    kpi = officer_kpi(state.history, user, kpi_id)
    window = windows.open_window(state.history, period)
    if window is None:
        listed = ", ".join(windows.open_periods(state.history)) or "none"
        raise WebError(422, "NQE120", f"period '{period}' is closed or was never opened, so "
                       f"its submissions stay as they are; open periods: {listed}", "period")
    live = _live_version(state, kpi.kpi_id, window.period) if kpi else None
    if kpi is None or live is None or not live["source"].startswith("web:"):
        raise WebError(422, "NQE121", f"you have no submission of KPI '{kpi_id}' for "
                       f"'{window.period}' to withdraw", "kpi_id")
    version = state.history.withdraw(kpi.kpi_id, window.period, f"web:{user.username}")
    return render(request, "withdrawn.html", {"kpi_id": kpi.kpi_id, "period": window.period,
                                              "version": version, "withdrew": live["version"]})


@router.get("/mine")
def mine(request: Request, state: State, user: Officer) -> Response:
    """My submissions: every version of each of my KPIs, the verdict each got, and the
    reviewers' decisions on their findings with the reasons."""
    decisions = state.history.decisions()
    kpis = []
    for kpi in officer_kpis(state.history, user):
        key = match_key(kpi.kpi_id)
        kpis.append({
            "kpi": kpi,
            "versions": [{**v, "when": when(v["ingested_at"]),
                          "by": "you" if v["source"] == f"web:{user.username}" else
                          ("the web app" if v["source"].startswith("web:")
                           else "the quarter's file")}
                         for v in state.history.kpi_versions(kpi.kpi_id)],
            "decisions": [{**d, "when": when(d["decided_at"])} for d in reversed(decisions)
                          if match_key(d["kpi_id"]) == key]})
    return render(request, "my_submissions.html", {"kpis": kpis})
