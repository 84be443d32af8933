"""Login throttling: per account (failures only, lockout with Retry-After) and per IP."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import serve_app

PASSWORD = "Sup3r-secret!"


async def _attempt(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/auth/login", json={"email": email, "password": password})


async def test_account_locks_after_repeated_failures(client: httpx.AsyncClient, make_user: Any, settings: Any) -> None:
    user = await make_user()
    for _ in range(settings.login_max_failures):
        failed = await _attempt(client, user.email, "wrong-password")
        assert failed.status_code == 401 and failed.json()["code"] == "invalid_credentials"
    locked = await _attempt(client, user.email, PASSWORD)  # even the right password
    assert locked.status_code == 429
    assert locked.json()["code"] == "account_locked"
    retry_after = int(locked.headers["retry-after"])
    assert 0 < retry_after <= settings.login_lockout_seconds
    # Another account from the same client is unaffected.
    other = await make_user()
    assert (await _attempt(client, other.email, PASSWORD)).status_code == 200


async def test_lockout_does_not_reveal_whether_an_account_exists(client: httpx.AsyncClient, settings: Any) -> None:
    answers = []
    for _ in range(settings.login_max_failures + 1):
        answers.append(await _attempt(client, "ghost@example.com", "whatever-Pass1"))
    assert [a.status_code for a in answers[:-1]] == [401] * settings.login_max_failures
    assert answers[-1].status_code == 429 and answers[-1].json()["code"] == "account_locked"
    real_failure = answers[0].json()
    assert real_failure["detail"] == "The email or password is incorrect."


async def test_success_resets_the_failure_count(client: httpx.AsyncClient, make_user: Any, settings: Any) -> None:
    user = await make_user()
    for _ in range(settings.login_max_failures - 1):
        await _attempt(client, user.email, "wrong-password")
    assert (await _attempt(client, user.email, PASSWORD)).status_code == 200
    for _ in range(settings.login_max_failures - 1):
        await _attempt(client, user.email, "wrong-password")
    assert (await _attempt(client, user.email, PASSWORD)).status_code == 200


async def test_per_ip_rate_limit(settings: Any, make_user: Any) -> None:
    user = await make_user()
    async with serve_app(settings, login_rate_per_ip="3/minute") as (_, http):
        statuses = [(await _attempt(http, user.email, PASSWORD)).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = await _attempt(http, user.email, PASSWORD)
        assert limited.json()["code"] == "rate_limited"
        assert int(limited.headers["retry-after"]) > 0
