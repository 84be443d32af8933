"""Shared setup for the hardening tests: a small populated world (every role, an event, a paid booking
with tickets, a pending booking with a payment, a coupon) and the problem+json assertion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from boxoffice.errors import PROBLEM_MEDIA_TYPE
from boxoffice.models import Event, Role
from tests.bookings.conftest import book, order
from tests.fixtures.auth import Buyer
from tests.tickets.conftest import paid_booking, tickets_of

PROBLEM_FIELDS = ("type", "title", "status", "code")


def problem_violations(status: int, content_type: str, body: bytes) -> list[str]:
    """What is wrong with an error response (empty when it is proper problem+json)."""
    if status < 400:
        return []
    if content_type.split(";")[0].strip() != PROBLEM_MEDIA_TYPE:
        return [f"{status} answered with content-type {content_type!r}, not {PROBLEM_MEDIA_TYPE}"]
    import json

    try:
        problem = json.loads(body)
    except ValueError:
        return [f"{status} problem body is not JSON: {body[:200]!r}"]
    if not isinstance(problem, dict):
        return [f"{status} problem body is not an object"]
    missing = [name for name in PROBLEM_FIELDS if name not in problem]
    if missing:
        return [f"{status} problem lacks {missing}: {problem}"]
    if problem["status"] != status:
        return [f"problem status {problem['status']} differs from the HTTP status {status}"]
    return []


def assert_problem(response: httpx.Response, status: int | None = None, code: str | None = None) -> dict[str, Any]:
    if status is not None:
        assert response.status_code == status, (response.status_code, response.text)
    assert not problem_violations(response.status_code, response.headers.get("content-type", ""), response.content)
    body: dict[str, Any] = response.json()
    if code is not None:
        assert body["code"] == code, body
    return body


@dataclass
class World:
    customer: Buyer
    stranger: Buyer
    organizer: Buyer
    other_organizer: Buyer
    admin: Buyer
    event: Event
    paid_booking_id: str
    ticket_id: str
    ticket_code: str
    pending_booking_id: str
    payment_id: str
    coupon_id: str
    coupon_code: str


@pytest.fixture
async def world(client: httpx.AsyncClient, make_user: Any, make_event: Any, token_for: Any, make_buyers: Any) -> World:
    organizer_user = await make_user(Role.ORGANIZER)
    organizer = Buyer(organizer_user, await token_for(organizer_user))
    other_user = await make_user(Role.ORGANIZER)
    other_organizer = Buyer(other_user, await token_for(other_user))
    admin_user = await make_user(Role.ADMIN)
    admin = Buyer(admin_user, await token_for(admin_user))
    customer, stranger = await make_buyers(2)
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 50), ("Free", 0, 50)], refund_until_hours=1)

    paid_id = await paid_booking(client, customer, event, 2)
    ticket = (await tickets_of(client, customer, paid_id))[0]
    pending = await book(client, customer, order(event, 1))
    assert pending.status_code == 201, pending.text
    pending_id = pending.json()["id"]
    started = await client.post(f"/api/bookings/{pending_id}/payment", headers=customer.headers)
    assert started.status_code == 201, started.text
    coupon = await client.post(
        "/api/coupons",
        headers=organizer.headers,
        json={"code": "HARDEN10", "event_id": str(event.id), "kind": "percent", "amount": 10},
    )
    assert coupon.status_code == 201, coupon.text
    return World(
        customer=customer,
        stranger=stranger,
        organizer=organizer,
        other_organizer=other_organizer,
        admin=admin,
        event=event,
        paid_booking_id=paid_id,
        ticket_id=ticket["id"],
        ticket_code=ticket["code"],
        pending_booking_id=pending_id,
        payment_id=started.json()["payment"]["id"],
        coupon_id=coupon.json()["id"],
        coupon_code="HARDEN10",
    )
