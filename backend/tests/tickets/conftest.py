"""Helpers: a confirmed, paid booking with tickets (demo payments)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.bookings.conftest import book, order
from tests.fixtures.auth import Buyer
from tests.jobs_helpers import drain_jobs


async def paid_booking(client: httpx.AsyncClient, buyer: Buyer, event: Any, quantity: int = 2, **extra: Any) -> str:
    booking = await book(client, buyer, order(event, quantity, **extra))
    assert booking.status_code == 201, booking.text
    booking_id: str = booking.json()["id"]
    started = await client.post(f"/api/bookings/{booking_id}/payment", headers=buyer.headers)
    payment_id = started.json()["payment"]["id"]
    await client.post(
        f"/api/payments/{payment_id}/mock-card", json={"card_number": "4242424242424242"}, headers=buyer.headers
    )
    confirmed = await client.post(f"/api/bookings/{booking_id}/confirm", headers=buyer.headers)
    assert confirmed.status_code == 200, confirmed.text
    await drain_jobs()
    return booking_id


async def tickets_of(client: httpx.AsyncClient, buyer: Buyer, booking_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/bookings/{booking_id}/tickets", headers=buyer.headers)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result
