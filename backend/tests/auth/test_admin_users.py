"""Admins list users and change roles; nobody else can."""

from __future__ import annotations

from typing import Any

import httpx

from boxoffice.models import Role
from tests.fixtures.auth import login


async def test_admin_lists_and_filters_users(client: httpx.AsyncClient, make_user: Any, token_for: Any) -> None:
    admin = await make_user(Role.ADMIN, email="boss@example.com")
    for i in range(3):
        await make_user(Role.CUSTOMER, email=f"cust{i}@example.com", name=f"Customer {i}")
    await make_user(Role.ORGANIZER, email="org@example.com")
    headers = await token_for(admin)

    everyone = (await client.get("/api/users", headers=headers)).json()
    assert everyone["total"] == 5 and len(everyone["items"]) == 5
    organizers = (await client.get("/api/users", params={"role": "organizer"}, headers=headers)).json()
    assert [u["email"] for u in organizers["items"]] == ["org@example.com"]
    searched = (await client.get("/api/users", params={"q": "CUSTOMER 1"}, headers=headers)).json()
    assert [u["email"] for u in searched["items"]] == ["cust1@example.com"]

    pages: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/api/users", params=params, headers=headers)).json()
        pages += [u["email"] for u in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(pages) == sorted(u["email"] for u in everyone["items"])


async def test_admin_changes_a_role_and_it_applies_at_once(
    client: httpx.AsyncClient, make_user: Any, token_for: Any
) -> None:
    admin = await make_user(Role.ADMIN)
    customer = await make_user(Role.CUSTOMER)
    customer_tokens = await login(client, customer.email, "Sup3r-secret!")
    response = await client.put(
        f"/api/users/{customer.id}/role", json={"role": "organizer"}, headers=await token_for(admin)
    )
    assert response.status_code == 200 and response.json()["role"] == "organizer"
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {customer_tokens['access_token']}"})
    assert me.json()["role"] == "organizer"


async def test_the_last_admin_cannot_be_demoted_or_disabled(
    client: httpx.AsyncClient, make_user: Any, token_for: Any
) -> None:
    admin = await make_user(Role.ADMIN)
    headers = await token_for(admin)
    demote = await client.put(f"/api/users/{admin.id}/role", json={"role": "customer"}, headers=headers)
    assert demote.status_code == 409 and demote.json()["code"] == "last_admin"
    disable = await client.put(f"/api/users/{admin.id}/active", json={"is_active": False}, headers=headers)
    assert disable.status_code == 409
    assert (await client.get("/api/auth/me", headers=headers)).json()["role"] == "admin"


async def test_disabling_a_user_signs_them_out_and_blocks_login(
    client: httpx.AsyncClient, make_user: Any, token_for: Any
) -> None:
    admin = await make_user(Role.ADMIN)
    user = await make_user()
    tokens = await login(client, user.email, "Sup3r-secret!")
    response = await client.put(
        f"/api/users/{user.id}/active", json={"is_active": False}, headers=await token_for(admin)
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert (
        await client.get("/api/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    ).status_code == 401
    refused = await client.post("/api/auth/login", json={"email": user.email, "password": "Sup3r-secret!"})
    assert refused.status_code == 401


async def test_bad_role_value_and_unknown_user(client: httpx.AsyncClient, make_user: Any, token_for: Any) -> None:
    import uuid

    admin = await make_user(Role.ADMIN)
    headers = await token_for(admin)
    bad = await client.put(f"/api/users/{admin.id}/role", json={"role": "emperor"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "role"
    missing = await client.put(f"/api/users/{uuid.uuid4()}/role", json={"role": "customer"}, headers=headers)
    assert missing.status_code == 404
