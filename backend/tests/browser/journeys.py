"""Steps the browser journeys share: signing in through the page, and doing through the API what
another person does meanwhile (signing in, booking and paying in demo mode)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from playwright.async_api import Page

from tests.fixtures.factories import DEFAULT_PASSWORD

PASSWORD = DEFAULT_PASSWORD  # every factory-made user signs in with it

DEMO_CARD = "4242424242424242"


async def sign_in(page: Page, email: str, next_path: str = "/") -> None:
    """Sign in on the login page, then land on ``next_path``."""
    await page.goto(f"/login?next={next_path}")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(lambda url: "/login" not in url)


async def api_headers(api: httpx.AsyncClient, email: str) -> dict[str, str]:
    """A bearer token for ``email`` (created with the factories' default password)."""
    login = await api.post("/api/auth/login", json={"email": email, "password": PASSWORD, "token_delivery": "body"})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def book_and_pay(
    api: httpx.AsyncClient,
    buyer: dict[str, str],
    event_id: str,
    ticket_type_id: str,
    quantity: int = 1,
    attendees: list[dict[str, Any]] | None = None,
) -> str:
    """Book, pay with the demo card and confirm; the booking's id."""
    line: dict[str, Any] = {"ticket_type_id": ticket_type_id, "quantity": quantity}
    if attendees:
        line["attendees"] = attendees
    booking = await api.post("/api/bookings", headers=buyer, json={"event_id": event_id, "items": [line]})
    assert booking.status_code == 201, booking.text
    booking_id = str(booking.json()["id"])
    payment = await api.post(f"/api/bookings/{booking_id}/payment", headers=buyer)
    assert payment.status_code in (200, 201), payment.text
    card = await api.post(
        f"/api/payments/{payment.json()['payment']['id']}/mock-card", headers=buyer, json={"card_number": DEMO_CARD}
    )
    assert card.status_code == 200, card.text
    for _ in range(100):  # the demo provider settles in the background; confirm answers 402 until then
        confirm = await api.post(f"/api/bookings/{booking_id}/confirm", headers=buyer)
        if confirm.status_code == 200:
            return booking_id
        await asyncio.sleep(0.2)
    raise AssertionError(f"not confirmed: {confirm.status_code} {confirm.text}")
