"""Upload a quarter (the performance team, who hold the admin role): an XLSX/CSV export is
scored in the background with `narrative_qa.api.score_file` (as `narrative-qa score`),
its row problems listed by row and column and the scored workbook offered for download;
it can then be stored as the period with `narrative_qa.api.ingest_file` (as
`narrative-qa ingest`).

State lives in the `web_upload` table, not in the worker: the file, the status, progress,
the problems and the scored workbook. A job is claimed by an atomic status change, so of
several workers only one runs it; a job whose worker stopped (no progress for STALE_SECONDS)
is taken up again by whichever worker is asked about it next, or at start-up.

Statuses: queued -> scoring -> scored | failed; scored -> store-queued -> storing ->
stored | scored (with the error, when storing was refused).
"""

from __future__ import annotations

import io
import json
import logging
import re
import tempfile
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from narrative_qa.errors import NarrativeQAError, RowProblem
from narrative_qa.language.periods import canonical_period
from narrative_qa.previous import match_key
from narrative_qa.store.accounts import User
from narrative_qa.store.uploads import Uploads
from narrative_qa.web.fields import form_text
from narrative_qa.web.render import render
from narrative_qa.web.security import AppState, RowId, State, WebError, require_role
from narrative_qa.web.views import is_period

log = logging.getLogger("narrative_qa.web.upload")
UPLOADERS = ("admin",)
STATUSES = ("queued", "scoring", "scored", "failed", "store-queued", "storing", "stored")
RUNNING = {"queued": "queued", "scoring": "queued", "store-queued": "store-queued",
           "storing": "store-queued"}  # a running status -> the status to restart it from
SUFFIXES = (".xlsx", ".csv")
STALE_SECONDS = 120.0
PROGRESS_CHUNK = 20  # rows scored between two progress reports (the bar moves per chunk)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

router = APIRouter(prefix="/upload", dependencies=[Depends(require_role(*UPLOADERS))],
                   include_in_schema=False)
Uploader = Annotated[User, Depends(require_role(*UPLOADERS))]


def require_uploader(user: User) -> None:
    if user.role not in UPLOADERS:
        raise WebError(403, "NQE104", "quarters are uploaded by the performance team "
                       "(the admin role)")


# --- the worker -----------------------------------------------------------------------

class Worker:
    """One background thread per app process; jobs are upload ids."""

    def __init__(self, state: AppState):
        self.state = state
        self.uploads = _uploads(state)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nq-upload")
        self.lock = threading.Lock()

    def submit(self, upload_id: int) -> None:
        self.pool.submit(self._run, upload_id)

    def _run(self, upload_id: int) -> None:
        try:
            if self._claim(upload_id, "queued", "scoring"):
                self._score(upload_id)
            elif self._claim(upload_id, "store-queued", "storing"):
                self._store(upload_id)
        except Exception:  # never leave a job running for ever
            log.exception("upload %s failed", upload_id)
            self._update(upload_id, status="failed", error=json.dumps(
                {"code": "NQE113", "message": "the upload could not be processed on the "
                 "server; try again, and tell the admin if it happens again"}))

    def _claim(self, upload_id: int, before: str, after: str) -> bool:
        return self.uploads.claim(upload_id, before, after)

    def _update(self, upload_id: int, **values: Any) -> None:
        self.uploads.update(upload_id, **values)

    def _row(self, upload_id: int) -> dict[str, Any]:
        return self.uploads.job(upload_id)

    def _score(self, upload_id: int) -> None:
        from narrative_qa.api import refuse_other_period, score_file
        from narrative_qa.output.files import write_assessments

        row = self._row(upload_id)
        done = {"n": 0}

        def started(total: int) -> None:
            self._update(upload_id, total=total, done=0)

        def advanced(count: int) -> None:
            done["n"] += count
            self._update(upload_id, done=done["n"])

        with tempfile.TemporaryDirectory(prefix="nq-upload-") as folder:
            source = _input_path(Path(folder), row["filename"], row["input"])
            period = row["period"]
            try:
                result = score_file(
                    source, settings=self.state.settings, history=self.state.history,
                    period=period, progress=advanced, on_start=started,
                    chunk_size=PROGRESS_CHUNK,
                    check_rows=(lambda rows: refuse_other_period(rows, period)) if period
                    else None)
                scored = Path(folder) / "scored.xlsx"
                write_assessments(result.assessments, scored)
            except NarrativeQAError as error:
                self._update(upload_id, status="failed", error=json.dumps(
                    {"code": error.code, "message": _named(error.render(), source,
                                                           row["filename"])}))
                return
            problems = [_problem(p, source, row["filename"])
                        for p in [*result.notices, *result.row_problems]]
            summary = Counter(a.verdict for a in result.assessments)
            self._update(upload_id, status="scored", result=scored.read_bytes(),
                         problems=json.dumps(problems), summary=json.dumps(summary),
                         done=len(result.assessments), total=len(result.assessments))

    def _store(self, upload_id: int) -> None:
        from narrative_qa.api import ingest_file

        row = self._row(upload_id)
        with tempfile.TemporaryDirectory(prefix="nq-upload-") as folder:
            source = _input_path(Path(folder), row["filename"], row["input"])
            try:
                _, stored = ingest_file(source, row["period"], self.state.history,
                                        settings=self.state.settings,
                                        source=row["filename"])  # not the temporary copy
            except NarrativeQAError as error:
                self._update(upload_id, status="scored", error=json.dumps(
                    {"code": error.code, "message": _named(error.render(), source,
                                                           row["filename"])}))
                return
        self._update(upload_id, status="stored", stored=stored, error=None)


def _uploads(state: AppState) -> Uploads:
    return Uploads.of(state.history, lambda: state.accounts.clock())


def worker(state: AppState) -> Worker:
    with _LOCK:
        if getattr(state, "upload_worker", None) is None:
            state.upload_worker = Worker(state)  # type: ignore[attr-defined]
    return state.upload_worker  # type: ignore[attr-defined]


_LOCK = threading.Lock()


def resume(state: AppState) -> int:
    """At start-up: take up the jobs whose worker stopped. Returns how many."""
    ids = _uploads(state).with_status(list(RUNNING))
    return sum(_resume_if_stale(state, upload_id) for upload_id in ids)


def _resume_if_stale(state: AppState, upload_id: int) -> bool:
    restarted = _uploads(state).restart_if_stale(upload_id, RUNNING, STALE_SECONDS)
    if restarted:
        log.info("upload %s taken up again after its worker stopped", upload_id)
        worker(state).submit(upload_id)
    return restarted


# --- helpers --------------------------------------------------------------------------

def _input_path(folder: Path, filename: str, data: bytes) -> Path:
    path = folder / ("upload" + Path(filename).suffix.lower())
    path.write_bytes(data)
    return path


def _named(text: str, source: Path, filename: str) -> str:
    """Messages name the file the user uploaded, not the worker's temporary copy."""
    return text.replace(str(source), filename)


def _problem(problem: RowProblem, source: Path, filename: str) -> dict[str, Any]:
    return {"row": problem.location.row, "column": problem.location.column,
            "code": problem.code, "message": _named(problem.message, source, filename),
            "blocking": problem.blocking, "text": _named(problem.render(), source, filename)}


def _size(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"


def _safe_filename(name: str) -> str:
    base = re.sub(r"[^\w.\- ]+", "_", Path(name).name).strip() or "upload"
    return base[-200:]


async def accept(state: AppState, user: User, file: UploadFile | None, period: str) -> int:
    """Keep the upload in the database and queue it; coded refusals for a missing, wrong
    or oversized file or a period not like '2025/26 Q2'."""
    if file is None or not file.filename:
        raise WebError(422, "NQE106", "choose the quarter's .xlsx or .csv file", "file")
    name = _safe_filename(file.filename)
    if Path(name).suffix.lower() not in SUFFIXES:
        raise WebError(422, "NQE002", f"'{name}' is not an .xlsx or .csv file", "file")
    limit = state.web.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise WebError(413, "NQE108", f"'{name}' is over the limit of {_size(limit)}", "file")
    if not data:
        raise WebError(422, "NQE009", f"'{name}' is empty", "file")
    period = period.strip()
    if period and not is_period(period):
        raise WebError(422, "NQE024", f"period '{period}' is not like '2025/26 Q2'", "period")
    upload_id = _uploads(state).add(user.id, name, period or None, data)
    worker(state).submit(upload_id)
    return upload_id


def get(state: AppState, user: User, upload_id: int) -> dict[str, Any]:
    """The upload as plain data (without the file bytes); a stale job is taken up again."""
    _resume_if_stale(state, upload_id)
    row = _uploads(state).get(upload_id)
    if row is None:
        raise WebError(404, "NQE111", f"there is no upload {upload_id}", "upload")
    return row


def public(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "filename": row["filename"], "status": row["status"],
            "period": row["period"], "total": row["total"], "done": row["done"],
            "problems": json.loads(row["problems"] or "[]"),
            "error": json.loads(row["error"]) if row["error"] else None,
            "stored": row["stored"],
            "summary": json.loads(row["summary"]) if row["summary"] else None}


def recent(state: AppState, limit: int = 20) -> list[dict[str, Any]]:
    return _uploads(state).recent(limit)


def scored_response(state: AppState, user: User, upload_id: int) -> Response:
    row = get(state, user, upload_id)
    if not row["has_result"]:
        raise WebError(409, "NQE112", f"upload {upload_id} is {row['status']}: there is no "
                       "scored file yet", "upload")
    data = _uploads(state).result(upload_id)
    name = f"{Path(row['filename']).stem}-scored.xlsx"
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


class Supersedes(WebError):
    """Storing would supersede officers' web submissions: said, and asked, first."""

    def __init__(self, period: str, clashes: list[dict[str, Any]]):
        shown = ", ".join(f"{c['kpi_id']} (version {c['version']}, {c['source']})"
                          for c in clashes[:10]) + (f" and {len(clashes) - 10} more"
                                                    if len(clashes) > 10 else "")
        super().__init__(409, "NQE122", f"storing this file as {period} supersedes "
                         f"{len(clashes)} officers' submission(s): {shown}; confirm to store "
                         "it (their versions are kept)", "supersede")
        self.period, self.clashes = period, clashes


def upload_kpis(state: AppState, upload_id: int) -> set[str]:
    """The KPIs of a scored upload (by match_key), read from its scored workbook."""
    from openpyxl import load_workbook

    data = _uploads(state).result(upload_id)
    if not data:
        return set()
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows, ()))
    if "kpi_id" not in header:
        return set()
    column = header.index("kpi_id")
    return {key for row in rows if (key := match_key(str(row[column] or ""))) is not None}


def superseded(state: AppState, upload_id: int, period: str) -> list[dict[str, Any]]:
    """Officers' current web submissions for `period` that storing the upload replaces."""
    kpis = upload_kpis(state, upload_id)
    return [s for s in state.history.web_submissions(period) if match_key(s["kpi_id"]) in kpis]


def request_store(state: AppState, user: User, upload_id: int, period: str,
                  supersede: bool = False) -> None:
    period = canonical_period(period) or period.strip()
    if not is_period(period):
        raise WebError(422, "NQE024", f"period '{period}' is not like '2025/26 Q2'", "period")
    if not supersede:
        clashes = superseded(state, upload_id, period)
        if clashes:
            raise Supersedes(period, clashes)
    if not _uploads(state).queue_store(upload_id, period):
        row = get(state, user, upload_id)
        raise WebError(409, "NQE112", f"upload {upload_id} is {row['status']}; only a scored "
                       "upload can be stored", "upload")
    worker(state).submit(upload_id)


# --- pages ----------------------------------------------------------------------------

def _page(request: Request, state: AppState, error: WebError | None = None) -> Response:
    return render(request, "upload.html", {
        "uploads": recent(state),
        "max_upload_mb": state.web.max_upload_bytes // (1024 * 1024),
        "form_error": {"code": error.code, "message": error.message} if error else None},
        status=error.status if error else 200)


@router.get("")
def page(request: Request, state: State) -> Response:
    return _page(request, state)


@router.post("")
async def upload(request: Request, state: State, user: Uploader,
                 file: Annotated[UploadFile | None, File()] = None,
                 period: Annotated[str, form_text("period")] = "") -> Response:
    try:
        upload_id = await accept(state, user, file, period)
    except WebError as error:
        return _page(request, state, error)
    return RedirectResponse(f"/upload/{upload_id}", status_code=303)


def _context(state: AppState, user: User, upload_id: int) -> dict[str, Any]:
    row = get(state, user, upload_id)
    data = public(row)
    return {"upload": data, "has_result": row["has_result"], "supersedes": None,
            "running": row["status"] in RUNNING,
            "percent": int(100 * data["done"] / data["total"]) if data["total"] else 0}


@router.get("/{upload_id}")
def status_page(request: Request, state: State, user: Uploader, upload_id: RowId) -> Response:
    return render(request, "upload_status.html", _context(state, user, upload_id))


@router.get("/{upload_id}/progress")
def progress(request: Request, state: State, user: Uploader, upload_id: RowId) -> Response:
    """The progress panel, polled by htmx while the upload is running."""
    return render(request, "_upload_progress.html", _context(state, user, upload_id))


@router.get("/{upload_id}/scored.xlsx")
def scored(state: State, user: Uploader, upload_id: RowId) -> Response:
    return scored_response(state, user, upload_id)


@router.post("/{upload_id}/store")
def store(request: Request, state: State, user: Uploader, upload_id: RowId,
          period: Annotated[str, form_text("period")] = "",
          supersede: Annotated[str, Form(max_length=10)] = "") -> Response:
    try:
        request_store(state, user, upload_id, period, supersede == "yes")
    except WebError as error:
        context = _context(state, user, upload_id)
        context["upload"]["error"] = {"code": error.code, "message": error.message}
        if isinstance(error, Supersedes):
            context["supersedes"] = {"period": error.period, "clashes": error.clashes}
        return render(request, "upload_status.html", context, status=error.status)
    return RedirectResponse(f"/upload/{upload_id}", status_code=303)
