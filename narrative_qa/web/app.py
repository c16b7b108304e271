"""The app factory: `create_app(db_url, settings)` returns the FastAPI app.

Routers per area (auth, selfcheck, admin; screening, upload and the /api/v1 JSON API join
the same way). The history store is opened once; the language models load once, in the
lifespan, and the worker is warmed there (web/warmup.py), so the first officer does not
wait for either.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from narrative_qa.config import Settings, load_settings
from narrative_qa.deadline import OutOfTime
from narrative_qa.errors import CODES, NarrativeQAError
from narrative_qa.store.accounts import Accounts
from narrative_qa.store.history import History, as_url
from narrative_qa.web import admin, api, auth, screening, selfcheck, upload
from narrative_qa.web.limits import BodyLimit, Scope
from narrative_qa.web.render import make_templates, render
from narrative_qa.web.security import AppState, NotSignedIn, WebError, csrf_protect
from narrative_qa.web.settings import WebSettings
from narrative_qa.web.warmup import warm_worker

STATIC = Path(__file__).with_name("static")
log = logging.getLogger("narrative_qa.web")

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def create_app(db_url: str | None = None, settings: Settings | None = None,
               web: WebSettings | None = None, accounts: Accounts | None = None) -> FastAPI:
    """The web app over the history store at `db_url` (a path or SQLAlchemy URL)."""
    settings = settings or load_settings()
    web = web or WebSettings()
    history = History(as_url(db_url))
    accounts = accounts or Accounts.of(history)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if web.warm_models:  # before this worker accepts a connection
            warm_worker(settings, app.state.nq.templates.env)
        accounts.purge_sessions(web.session_idle_seconds)
        upload.resume(app.state.nq)  # quarters a stopped worker was scoring
        yield

    app = FastAPI(title="narrative_qa", lifespan=lifespan, docs_url=None, redoc_url=None,
                  dependencies=[Depends(csrf_protect)])
    app.state.nq = AppState(history, accounts, settings, web, make_templates())
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(auth.router)
    app.include_router(selfcheck.router)
    app.include_router(admin.router)
    app.include_router(screening.router)
    app.include_router(upload.router)
    app.include_router(api.router)
    app.include_router(api.docs_router)
    _add_middleware(app, web)
    _add_error_handlers(app)
    return app


def _add_middleware(app: FastAPI, web: WebSettings) -> None:
    limit = web.max_upload_bytes + 1024 * 1024  # the file plus the form around it

    def too_large(scope: Scope, size: int) -> Response:
        return _refusal(Request(scope), WebError(
            413, "NQE108", f"the request is {size:,} bytes or more, over the limit of "
            f"{limit:,} bytes"))

    app.add_middleware(BodyLimit, limit=limit, refusal=too_large)  # inside the headers

    @app.middleware("http")
    async def security_headers(request: Request, call_next) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", "")


def _refusal(request: Request, error: WebError) -> Response:
    """A coded message as JSON, an htmx fragment, a sign-in redirect or a page."""
    todo = CODES[error.code][1]
    if _wants_json(request):
        return JSONResponse({"code": error.code, "message": error.message, "todo": todo,
                             "field": error.field}, status_code=error.status)
    if isinstance(error, NotSignedIn) and request.method == "GET" and \
            "hx-request" not in request.headers:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
    template = "_error.html" if "hx-request" in request.headers else "error.html"
    response = render(request, template, {"error": {
        "code": error.code, "message": error.message, "todo": todo, "status": error.status}},
        status=error.status)
    response.headers.update(SECURITY_HEADERS)  # a 500 is answered outside the middleware
    return response


# What the framework's own refusals answer with: no route for the address, or a method the
# address does not take; any other (a body it cannot parse) is a request not valid.
FRAMEWORK_REFUSALS: dict[int, tuple[str, str]] = {
    404: ("NQE111", "there is no such page"),
    405: ("NQE114", "that method is not allowed here"),
}


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def on_web_error(request: Request, error: WebError) -> Response:
        return _refusal(request, error)

    @app.exception_handler(NarrativeQAError)
    async def on_library_error(request: Request, error: NarrativeQAError) -> Response:
        status = 503 if isinstance(error, OutOfTime) else 400  # busy, not the sender's fault
        # the page shows the code and what to do beside the message: not repeated in it,
        # and no '<input>, column …' (the field is named by its form label instead)
        return _refusal(request, WebError(status, error.code, error.detail,
                                          error.location.column))

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, error: RequestValidationError) -> Response:
        problems = [f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}"
                    for e in error.errors()]
        loc = error.errors()[0]["loc"] if error.errors() else ()
        first = loc[1] if len(loc) > 1 else (loc[0] if loc else None)  # the field, not its type
        missing = all(e["type"] == "missing" for e in error.errors())
        return _refusal(request, WebError(422, "NQE106" if missing else "NQE109",
                                          "; ".join(problems),
                                          str(first) if first is not None else None))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, error: StarletteHTTPException) -> Response:
        code, detail = FRAMEWORK_REFUSALS.get(error.status_code,
                                              ("NQE109", str(error.detail)))
        return _refusal(request, WebError(error.status_code, code, detail))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _refusal(request, WebError(500, "NQE113", "something went wrong on the "
                                          "server; your draft is kept in this browser"))


def app_from_environment() -> FastAPI:
    """The app as `narrative-qa serve` starts it in each worker (settings via environment).
    An upload is scored on one process unless NARRATIVE_QA_PROCESSES says otherwise: a
    child forked from a server could copy a lock one of its other threads holds."""
    import os

    from narrative_qa.language.nlp import PROCESSES_VARIABLE

    os.environ.setdefault(PROCESSES_VARIABLE, "1")
    config = os.environ.get("NARRATIVE_QA_WEB_CONFIG")
    settings = load_settings(Path(config) if config else None)
    proxy = os.environ.get("NARRATIVE_QA_WEB_PROXY", "")  # the trusted proxies' count
    web = WebSettings(trust_proxy=bool(proxy),
                      proxy_hops=int(proxy) if proxy.isdigit() else 1)
    return create_app(os.environ.get("NARRATIVE_QA_WEB_DB"), settings, web)
