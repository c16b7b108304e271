"""Settings of the web app (the scoring settings are narrative_qa.config.Settings)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WebSettings:
    session_idle_seconds: float = 30 * 60  # a session unused this long has expired
    # Cookies carry Secure when the request came over https: directly, or as the council's
    # reverse proxy says in X-Forwarded-Proto when trust_proxy is on. Force with True.
    secure_cookies: bool | None = None
    trust_proxy: bool = False  # read X-Forwarded-Proto / X-Forwarded-For from the proxy
    # Proxies of the council's own in front of the app. Each appends the address it saw to
    # X-Forwarded-For, so the client is that many entries from the right; anything further
    # left was written by the client and is not trusted.
    proxy_hops: int = 1
    login_window_seconds: float = 15 * 60
    login_max_per_client: int = 20  # failed sign-ins per client address within the window
    login_max_per_user: int = 5  # failed sign-ins per user name from one client address
    login_max_per_user_total: int = 100  # per user name from every address together
    max_upload_bytes: int = 10 * 1024 * 1024  # a .docx draft (or a request body) at most
    warm_models: bool = True  # load spaCy and the embedder at start-up
    request_seconds: float = 20.0  # a check stops (NQE110) rather than hold a worker longer
