"""`narrative-qa serve`: the web app (FastAPI under uvicorn) over a history store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from narrative_qa.cli.common import DbOption, fail, settings_from
from narrative_qa.errors import NarrativeQAError


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine "
                                      "only; put the council's reverse proxy in front).")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (PostgreSQL store "
                                         "for more than one).")] = 1,
    behind_proxy: Annotated[bool, typer.Option(help="Trust X-Forwarded-Proto/-For from the "
                                               "reverse proxy (cookies marked Secure under "
                                               "https).")] = False,
    proxy_hops: Annotated[int, typer.Option(min=1, help="With --behind-proxy: how many "
                                            "proxies of your own sit in front of the app; "
                                            "the client address is taken that many entries "
                                            "from the right of X-Forwarded-For.")] = 1,
    config: Annotated[Path | None, typer.Option(help="Settings file (TOML).")] = None,
) -> None:
    """Start the web app: self-check for officers, screening for reviewers."""
    import os

    import uvicorn

    from narrative_qa.store.history import as_url
    from narrative_qa.web.app import create_app

    try:
        settings = settings_from(config)
        url = as_url(db)
        create_app(url, settings).state.nq.history.engine.dispose()  # fail early, coded
    except NarrativeQAError as error:
        fail(error)
    os.environ["NARRATIVE_QA_WEB_DB"] = url
    os.environ["NARRATIVE_QA_WEB_PROXY"] = str(proxy_hops) if behind_proxy else ""
    if config is not None:
        os.environ["NARRATIVE_QA_WEB_CONFIG"] = str(config.resolve())
    uvicorn.run("narrative_qa.web.app:app_from_environment", factory=True, host=host,
                port=port, workers=workers, proxy_headers=False, server_header=False,
                log_level="info")
