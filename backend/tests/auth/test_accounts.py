"""Registration, email verification, password reset and change — without account enumeration."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from boxoffice.db import unit_of_work
from boxoffice.models import MailStatus, User
from tests.fixtures.auth import bearer, login, mails_to, token_from_link
from tests.jobs_helpers import drain_jobs

GOOD_PASSWORD = "Correct-Horse-9"


async def register(client: httpx.AsyncClient, email: str, password: str = GOOD_PASSWORD) -> httpx.Response:
    return await client.post("/api/auth/register", json={"email": email, "password": password, "full_name": "Jo"})


async def test_register_verify_and_sign_in(client: httpx.AsyncClient, runtime: Any) -> None:
    response = await register(client, "New.Person@Example.com")
    assert response.status_code == 202
    await drain_jobs()
    mails = await mails_to(runtime, "new.person@example.com")
    assert [m.template for m in mails] == ["verify_email"]
    assert mails[0].status == MailStatus.OUTBOX  # email disabled: the outbox is the delivery
    assert "/verify-email?token=" in mails[0].text_body and "Confirm email" in mails[0].html_body

    tokens = await login(client, "new.person@example.com", GOOD_PASSWORD)
    assert tokens["user"]["email_verified"] is False
    assert tokens["user"]["role"] == "customer"

    # The embedded-mode mailbox shows the user their own mail.
    mailbox = (await client.get("/api/mail/mine", headers=bearer(tokens["access_token"]))).json()
    assert [m["template"] for m in mailbox] == ["verify_email"]

    verified = await client.post("/api/auth/verify-email", json={"token": token_from_link(mails[0])})
    assert verified.status_code == 200
    assert verified.json()["email_verified"] is True
    again = await client.post("/api/auth/verify-email", json={"token": token_from_link(mails[0])})
    assert again.status_code == 400 and again.json()["code"] == "invalid_token"


async def test_registering_a_taken_email_reveals_nothing(client: httpx.AsyncClient, runtime: Any) -> None:
    first = await register(client, "taken@example.com")
    second = await register(client, "TAKEN@example.com", "Another-Pass-7")
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    await drain_jobs()
    assert [m.template for m in await mails_to(runtime, "taken@example.com")] == ["verify_email", "account_exists"]
    async with unit_of_work(runtime.sessionmaker) as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1
    # The original password still works; the second one does not.
    await login(client, "taken@example.com", GOOD_PASSWORD)
    refused = await client.post("/api/auth/login", json={"email": "taken@example.com", "password": "Another-Pass-7"})
    assert refused.status_code == 401


async def test_weak_password_is_refused_with_every_reason(client: httpx.AsyncClient, runtime: Any) -> None:
    response = await register(client, "weak@example.com", "short")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "weak_password"
    messages = {e["message"] for e in body["errors"]}
    assert "Password must be at least 8 characters long." in messages
    assert "Password must contain an upper-case letter." in messages
    assert "Password must contain a digit." in messages
    assert all(e["field"] == "password" for e in body["errors"])
    async with unit_of_work(runtime.sessionmaker) as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 0


async def test_invalid_register_input_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/register", json={"email": "not-an-email", "password": "x"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"email", "full_name"}


async def test_forgot_and_reset_password(client: httpx.AsyncClient, runtime: Any, make_user: Any) -> None:
    user = await make_user(email="forgetful@example.com", verified=False)
    old_session = await login(client, user.email, "Sup3r-secret!")

    unknown = await client.post("/api/auth/forgot-password", json={"email": "nobody@example.com"})
    known = await client.post("/api/auth/forgot-password", json={"email": "Forgetful@example.com"})
    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()
    await drain_jobs()
    mails = await mails_to(runtime, "forgetful@example.com")
    assert [m.template for m in mails] == ["reset_password"]
    assert await mails_to(runtime, "nobody@example.com") == []
    token = token_from_link(mails[0])

    weak = await client.post("/api/auth/reset-password", json={"token": token, "new_password": "weak"})
    assert weak.status_code == 400 and weak.json()["errors"][0]["field"] == "new_password"

    # The weak attempt consumed nothing: the same link still works.
    done = await client.post("/api/auth/reset-password", json={"token": token, "new_password": "Brand-New-Pass-1"})
    assert done.status_code == 204
    reused = await client.post("/api/auth/reset-password", json={"token": token, "new_password": "Other-New-Pass-2"})
    assert reused.status_code == 400

    # Every old session is signed out; the new password works; the address counts as verified.
    me = await client.get("/api/auth/me", headers=bearer(old_session["access_token"]))
    assert me.status_code == 401 and me.json()["code"] == "session_revoked"
    fresh = await login(client, user.email, "Brand-New-Pass-1")
    assert fresh["user"]["email_verified"] is True


async def test_change_password_keeps_this_session_only(client: httpx.AsyncClient, make_user: Any) -> None:
    user = await make_user()
    here = await login(client, user.email, "Sup3r-secret!", user_agent="here")
    elsewhere = await login(client, user.email, "Sup3r-secret!", user_agent="elsewhere")
    wrong = await client.post(
        "/api/auth/change-password",
        json={"current_password": "nope", "new_password": "Changed-Pass-3"},
        headers=bearer(here["access_token"]),
    )
    assert wrong.status_code == 400 and wrong.json()["code"] == "wrong_password"
    ok = await client.post(
        "/api/auth/change-password",
        json={"current_password": "Sup3r-secret!", "new_password": "Changed-Pass-3"},
        headers=bearer(here["access_token"]),
    )
    assert ok.status_code == 204
    assert (await client.get("/api/auth/me", headers=bearer(here["access_token"]))).status_code == 200
    assert (await client.get("/api/auth/me", headers=bearer(elsewhere["access_token"]))).status_code == 401


async def test_profile_update(client: httpx.AsyncClient, make_user: Any, token_for: Any) -> None:
    user = await make_user()
    headers = await token_for(user)
    response = await client.patch("/api/auth/me", json={"full_name": "  Renamed Person "}, headers=headers)
    assert response.status_code == 200 and response.json()["full_name"] == "Renamed Person"
    empty = await client.patch("/api/auth/me", json={"full_name": ""}, headers=headers)
    assert empty.status_code == 422
