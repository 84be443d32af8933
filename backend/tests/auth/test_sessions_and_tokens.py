"""Sessions with device tracking, rotating refresh tokens with theft detection, token tampering."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import httpx
import jwt
import pytest

from boxoffice.auth.tokens import issue_access_token
from tests.fixtures.auth import CSRF, bearer, login

PASSWORD = "Sup3r-secret!"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


async def test_cookie_login_sets_a_hardened_refresh_cookie(client: httpx.AsyncClient, make_user: Any) -> None:
    user = await make_user()
    response = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["refresh_token"] is None  # never exposed to scripts in cookie mode
    assert body["expires_in"] == 900
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("bo_refresh=")
    for attribute in ("HttpOnly", "Secure", "SameSite=strict", "Path=/api/auth"):
        assert attribute.lower() in cookie.lower()


async def test_cookie_refresh_requires_the_csrf_header_and_rotates(client: httpx.AsyncClient, make_user: Any) -> None:
    user = await make_user()
    await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    first_cookie = client.cookies.get("bo_refresh")
    forged = await client.post("/api/auth/refresh")
    assert forged.status_code == 403 and forged.json()["code"] == "csrf_failed"
    refreshed = await client.post("/api/auth/refresh", headers=CSRF)
    assert refreshed.status_code == 200
    assert refreshed.json()["refresh_token"] is None
    assert client.cookies.get("bo_refresh") not in (None, first_cookie)
    me = await client.get("/api/auth/me", headers=bearer(refreshed.json()["access_token"]))
    assert me.json()["email"] == user.email


async def test_refresh_rotation_and_reuse_revokes_the_family(settings: Any, make_user: Any, runtime: Any) -> None:
    from tests.conftest import serve_app

    user = await make_user()
    async with serve_app(settings, refresh_reuse_grace_seconds=0) as (_, client):
        await _rotation_then_reuse(client, user)


async def test_a_just_rotated_token_is_accepted_within_the_grace_period(
    client: httpx.AsyncClient, make_user: Any
) -> None:
    """A browser that navigated away mid-refresh never stored the new cookie; its retry with the old
    token seconds later must not sign the person out."""
    user = await make_user()
    tokens = await login(client, user.email, PASSWORD)
    first = await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    retry = await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert first.status_code == retry.status_code == 200
    assert first.json()["refresh_token"] != retry.json()["refresh_token"]
    for answer in (first, retry):
        me = await client.get("/api/auth/me", headers=bearer(answer.json()["access_token"]))
        assert me.status_code == 200


async def _rotation_then_reuse(client: httpx.AsyncClient, user: Any) -> None:
    tokens = await login(client, user.email, PASSWORD)
    old = tokens["refresh_token"]
    rotated = await client.post("/api/auth/refresh", json={"refresh_token": old})
    assert rotated.status_code == 200
    new = rotated.json()["refresh_token"]
    assert new and new != old

    # The old token comes back (stolen copy): the whole session dies, new token included.
    replay = await client.post("/api/auth/refresh", json={"refresh_token": old})
    assert replay.status_code == 401 and replay.json()["code"] == "refresh_token_reused"
    after = await client.post("/api/auth/refresh", json={"refresh_token": new})
    assert after.status_code == 401 and after.json()["code"] == "invalid_refresh_token"
    me = await client.get("/api/auth/me", headers=bearer(rotated.json()["access_token"]))
    assert me.status_code == 401 and me.json()["code"] == "session_revoked"


async def test_unknown_or_missing_refresh_token_is_401(client: httpx.AsyncClient) -> None:
    for body in ({"refresh_token": "made-up-token-value"}, {}):
        response = await client.post("/api/auth/refresh", json=body)
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_refresh_token"


async def test_logout_revokes_the_session(client: httpx.AsyncClient, make_user: Any) -> None:
    user = await make_user()
    tokens = await login(client, user.email, PASSWORD)
    assert (await client.post("/api/auth/logout", json={"refresh_token": tokens["refresh_token"]})).status_code == 204
    assert (await client.get("/api/auth/me", headers=bearer(tokens["access_token"]))).status_code == 401
    again = await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert again.status_code == 401


async def test_sessions_list_devices_and_revoke_one(client: httpx.AsyncClient, make_user: Any) -> None:
    user = await make_user()
    laptop = await login(client, user.email, PASSWORD, user_agent=FIREFOX)
    phone = await login(client, user.email, PASSWORD, user_agent=IPHONE)
    listing = await client.get("/api/auth/sessions", headers=bearer(laptop["access_token"]))
    assert listing.status_code == 200
    sessions = {s["device_label"]: s for s in listing.json()}
    assert set(sessions) == {"Firefox 128 on Windows", "Mobile Safari 17 on iOS (mobile)"}
    assert sessions["Firefox 128 on Windows"]["current"] is True
    assert sessions["Mobile Safari 17 on iOS (mobile)"]["current"] is False

    phone_id = sessions["Mobile Safari 17 on iOS (mobile)"]["id"]
    revoked = await client.delete(f"/api/auth/sessions/{phone_id}", headers=bearer(laptop["access_token"]))
    assert revoked.status_code == 204
    assert (await client.get("/api/auth/me", headers=bearer(phone["access_token"]))).status_code == 401
    assert (await client.get("/api/auth/me", headers=bearer(laptop["access_token"]))).status_code == 200


async def test_cannot_revoke_someone_elses_session(client: httpx.AsyncClient, make_user: Any) -> None:
    alice, bob = await make_user(), await make_user()
    alice_tokens = await login(client, alice.email, PASSWORD)
    bob_tokens = await login(client, bob.email, PASSWORD)
    bob_sessions = (await client.get("/api/auth/sessions", headers=bearer(bob_tokens["access_token"]))).json()
    response = await client.delete(
        f"/api/auth/sessions/{bob_sessions[0]['id']}", headers=bearer(alice_tokens["access_token"])
    )
    assert response.status_code == 404
    assert (await client.get("/api/auth/me", headers=bearer(bob_tokens["access_token"]))).status_code == 200


async def test_logout_everywhere(client: httpx.AsyncClient, make_user: Any) -> None:
    user = await make_user()
    one = await login(client, user.email, PASSWORD)
    two = await login(client, user.email, PASSWORD)
    assert (await client.post("/api/auth/logout-all", headers=bearer(one["access_token"]))).status_code == 204
    for tokens in (one, two):
        assert (await client.get("/api/auth/me", headers=bearer(tokens["access_token"]))).status_code == 401


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize("tamper", ["bad_signature", "alg_none", "expired", "wrong_type", "wrong_audience", "garbage"])
async def test_tampered_access_tokens_are_refused(
    client: httpx.AsyncClient, make_user: Any, settings: Any, tamper: str
) -> None:
    user = await make_user()
    tokens = await login(client, user.email, PASSWORD)
    good = tokens["access_token"]
    claims = jwt.decode(good, options={"verify_signature": False})
    if tamper == "bad_signature":
        header = good.split(".")[0]
        forged_payload = _b64({**claims, "role": "admin"})
        token = f"{header}.{forged_payload}.{good.split('.')[2]}"
    elif tamper == "alg_none":
        token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({**claims, 'role': 'admin'})}."
    elif tamper == "expired":
        token, _ = issue_access_token(
            user_id=user.id,
            session_id=uuid.UUID(claims["sid"]),
            role="customer",
            secret=settings.jwt_secret,
            ttl_seconds=-10,
        )
    elif tamper == "wrong_type":
        token = jwt.encode({**claims, "type": "refresh"}, settings.jwt_secret, algorithm="HS256")
    elif tamper == "wrong_audience":
        token = jwt.encode({**claims, "aud": "someone-else"}, settings.jwt_secret, algorithm="HS256")
    else:
        token = "not.a.jwt"
    response = await client.get("/api/auth/me", headers=bearer(token))
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == ("token_expired" if tamper == "expired" else "invalid_token")
    assert response.headers["www-authenticate"] == "Bearer"


async def test_disabling_an_account_takes_effect_without_waiting_for_token_expiry(
    client: httpx.AsyncClient, make_user: Any, token_for: Any, runtime: Any
) -> None:
    from boxoffice.db import unit_of_work
    from boxoffice.models import User

    user = await make_user()
    headers = await token_for(user)
    assert (await client.get("/api/auth/me", headers=headers)).json()["role"] == "customer"
    async with unit_of_work(runtime.sessionmaker) as session:
        stored = await session.get(User, user.id)
        assert stored is not None
        stored.is_active = False
    assert (await client.get("/api/auth/me", headers=headers)).status_code == 401
