"""Signing in and out, sessions, CSRF, sign-in limits and the security headers."""

from __future__ import annotations

from tests.web.conftest import PASSWORD, csrf_of, sign_in


def test_sign_in_sets_a_session_cookie_and_lands_on_the_role_page(client):
    response = sign_in(client, "olive")
    assert response.status_code == 303 and response.headers["location"] == "/selfcheck"
    cookie = response.headers["set-cookie"]
    assert "nq_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http on loopback
    page = client.get("/selfcheck")
    assert page.status_code == 200 and "Olive Officer" in page.text


def test_sign_out_ends_the_session_on_the_server(client):
    sign_in(client, "olive")
    cookie = client.cookies.get("nq_session")
    page = client.get("/selfcheck")
    out = client.post("/logout", data={"csrf_token": csrf_of(page.text)},
                      follow_redirects=False)
    assert out.status_code == 303
    client.cookies.set("nq_session", cookie)  # replaying the old cookie signs nobody in
    again = client.get("/selfcheck", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].startswith("/login")


def test_wrong_password_is_refused_with_a_code(client):
    response = sign_in(client, "olive", "not the password")
    assert response.status_code == 401 and "NQE101" in response.text
    assert client.get("/selfcheck", follow_redirects=False).status_code == 303


def test_a_form_without_the_csrf_token_is_refused(client, app):
    sign_in(client, "olive")
    data = {"kpi_id": "CS-05", "period": "2025/26 Q2", "narrative": "Up to 61%."}
    missing = client.post("/selfcheck/submit", data=data)
    assert missing.status_code == 403 and "NQE103" in missing.text
    forged = client.post("/selfcheck/submit", data={**data, "csrf_token": "x" * 43})
    assert forged.status_code == 403 and "NQE103" in forged.text
    header = client.post("/selfcheck/check", data=data, headers={"X-CSRF-Token": "nope"})
    assert header.status_code == 403
    logout = client.post("/logout", follow_redirects=False)
    assert logout.status_code == 403  # not even signing out on another site's behalf
    assert app.state.nq.history.periods() == []


def test_the_login_form_itself_needs_its_token(client):
    client.get("/login")
    response = client.post("/login", data={"username": "olive", "password": PASSWORD})
    assert response.status_code == 403 and "NQE103" in response.text


def test_csrf_token_of_one_session_does_not_work_in_another(client, app):
    from fastapi.testclient import TestClient

    sign_in(client, "olive")
    stolen = csrf_of(client.get("/selfcheck").text)
    with TestClient(app) as other:
        sign_in(other, "oscar")
        response = other.post("/selfcheck/check", data={"narrative": "x"},
                              headers={"X-CSRF-Token": stolen})
        assert response.status_code == 403


def test_sign_in_is_paused_after_repeated_failures_even_after_a_restart(client, make_app, app):
    for _ in range(app.state.nq.web.login_max_per_user):
        assert sign_in(client, "olive", "wrong password").status_code == 401
    paused = sign_in(client, "olive")  # the right password, but too soon
    assert paused.status_code == 429 and "NQE102" in paused.text
    from fastapi.testclient import TestClient

    with TestClient(make_app()) as restarted:  # a new worker reads the same counts
        assert sign_in(restarted, "olive").status_code == 429
        assert sign_in(restarted, "oscar").status_code == 303  # other users unaffected


def test_sign_in_is_paused_per_client_address(make_app, app, clock):
    from fastapi.testclient import TestClient

    limited = make_app(login_max_per_client=3)
    with TestClient(limited) as client:
        for name in ("a-one", "b-two", "c-three"):
            sign_in(client, name, "wrong password")
        assert sign_in(client, "olive").status_code == 429
        clock.now += limited.state.nq.web.login_window_seconds + 1
        assert sign_in(client, "olive").status_code == 303


def test_an_idle_session_expires_and_an_active_one_does_not(client, app, clock):
    sign_in(client, "olive")
    idle = app.state.nq.web.session_idle_seconds
    for _ in range(3):  # used every two-thirds of the timeout: still signed in
        clock.now += idle * 2 / 3
        assert client.get("/selfcheck", follow_redirects=False).status_code == 200
    clock.now += idle + 1
    response = client.get("/selfcheck", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/selfcheck"


def test_cookie_is_secure_over_https_and_behind_a_trusted_proxy(make_app, app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="https://testserver") as client:
        assert "Secure" in client.get("/login").headers["set-cookie"]
    with TestClient(make_app(trust_proxy=True)) as client:
        page = client.get("/login", headers={"X-Forwarded-Proto": "https"})
        assert "Secure" in page.headers["set-cookie"]
    with TestClient(make_app()) as client:  # untrusted header: ignored
        page = client.get("/login", headers={"X-Forwarded-Proto": "https"})
        assert "Secure" not in page.headers["set-cookie"]


def test_session_id_changes_at_sign_in(client):
    client.get("/login")
    before = client.cookies.get("nq_session")
    sign_in(client, "olive")
    assert client.cookies.get("nq_session") != before


def test_next_never_leaves_the_site(client):
    page = client.get("/login")
    response = client.post("/login", data={"username": "olive", "password": PASSWORD,
                                           "csrf_token": csrf_of(page.text),
                                           "next": "//evil.example/"},
                           follow_redirects=False)
    assert response.headers["location"] == "/selfcheck"


def test_roles_are_enforced(client):
    sign_in(client, "rita")
    assert client.get("/selfcheck").status_code == 403
    assert client.get("/admin/users").status_code == 403


def test_every_route_refuses_anonymous_requests(app):
    """Authentication is a dependency of every route but sign-in, sign-out and home."""
    from fastapi.routing import APIRoute
    from fastapi.testclient import TestClient

    public = {"/", "/login", "/logout"}
    with TestClient(app) as client:
        for route in app.routes:
            if not isinstance(route, APIRoute) or route.path in public:
                continue
            path = route.path.replace("{token_id}", "1")
            for method in route.methods:
                response = client.request(method, path, follow_redirects=False)
                assert response.status_code in (303, 401, 403), (method, path)
                if method == "GET":
                    assert response.headers["location"].startswith("/login")


def test_a_disabled_account_is_signed_out(client, app):
    sign_in(client, "olive")
    app.state.nq.accounts.set_disabled("olive")
    assert client.get("/selfcheck", follow_redirects=False).status_code == 303
    assert sign_in(client, "olive").status_code == 401


def test_admin_issues_and_revokes_an_api_token(client, app):
    sign_in(client, "adam")
    page = client.get("/admin/users")
    issued = client.post("/admin/tokens", data={"username": "rita", "label": "Power BI",
                                                "csrf_token": csrf_of(page.text)})
    secret = issued.text.split("copy it now): <code>")[1].split("<")[0]
    accounts = app.state.nq.accounts
    assert accounts.token_user(secret).username == "rita"
    token_id = accounts.list_tokens()[0]["id"]
    client.post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": csrf_of(issued.text)})
    assert accounts.token_user(secret) is None
