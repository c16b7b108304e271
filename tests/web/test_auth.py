"""Signing in and out, sessions, CSRF, sign-in limits and the security headers."""

from __future__ import annotations

from tests.web.conftest import csrf_of, sign_in


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
