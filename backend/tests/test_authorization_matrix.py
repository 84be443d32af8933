"""Every route, every kind of caller, the exact status.

Callers, in the order they act (least privileged first, so a privileged caller's change never
hides an unprivileged refusal): A anonymous, S a stranger customer, X another organizer, C the
customer who owns the booking, O the organizer who owns the event, D an admin.

A new route fails ``test_every_route_is_in_the_matrix`` until it is added here.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from boxoffice.models import Role
from tests.bookings.conftest import book, order, sql
from tests.fixtures.auth import Buyer
from tests.tickets.conftest import paid_booking, tickets_of

CALLERS = ("A", "S", "X", "C", "O", "D")

# Routes anyone may call; they are exercised by their own tests.
PUBLIC = {
    "health-live",
    "health-ready",
    "auth-register",
    "auth-login",
    "auth-refresh",
    "auth-logout",
    "auth-verify-email",
    "auth-forgot-password",
    "auth-reset-password",
    "auth-oauth-providers",
    "auth-oauth-start",
    "auth-oauth-callback",
    "events-list",
    "events-get",
    "events-calendar",
    "events-cover",
    "tickets-keys",
    "payments-stripe-webhook",
}


@dataclass
class World:
    client: httpx.AsyncClient
    people: dict[str, Buyer]
    ids: dict[str, str] = field(default_factory=dict)

    def headers(self, caller: str) -> dict[str, str]:
        return {} if caller == "A" else dict(self.people[caller].headers)

    async def etag(self) -> str:
        response = await self.client.get(f"/api/events/{self.ids['event']}", headers=self.people["O"].headers)
        return response.headers["etag"]


Call = Callable[[World, str], Awaitable[httpx.Response]]


def simple(method: str, path: str, **kwargs: Any) -> Call:
    async def call(world: World, caller: str) -> httpx.Response:
        return await world.client.request(method, path.format(**world.ids), headers=world.headers(caller), **kwargs)

    return call


def with_etag(method: str, path: str, body: dict[str, Any]) -> Call:
    async def call(world: World, caller: str) -> httpx.Response:
        headers = {**world.headers(caller), "If-Match": await world.etag()}
        return await world.client.request(method, path.format(**world.ids), headers=headers, json=body)

    return call


def per_caller_json(method: str, path: str, body: Callable[[World, str], dict[str, Any]]) -> Call:
    async def call(world: World, caller: str) -> httpx.Response:
        return await world.client.request(
            method, path.format(**world.ids), headers=world.headers(caller), json=body(world, caller)
        )

    return call


def _event_body(_: World, caller: str) -> dict[str, Any]:
    return {
        "title": f"Matrix event {caller}",
        "starts_at": "2031-05-01T18:00:00Z",
        "ends_at": "2031-05-01T21:00:00Z",
        "timezone": "Europe/Berlin",
        "venue_name": "Hall",
        "city": "Berlin",
        "country": "DE",
    }


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "purple").save(buffer, format="PNG")
    return buffer.getvalue()


async def _upload(world: World, caller: str) -> httpx.Response:
    return await world.client.post(
        f"/api/events/{world.ids['event']}/cover",
        headers=world.headers(caller),
        files={"file": ("cover.png", _png(), "image/png")},
    )


async def lookup(world: World, caller: str) -> httpx.Response:
    return await world.client.get(
        "/api/tickets/lookup", params={"code": world.ids["code"]}, headers=world.headers(caller)
    )


# (call, expected statuses for A, S, X, C, O, D)
MATRIX: dict[str, tuple[Call, tuple[int, ...]]] = {
    # identity
    "auth-me": (simple("GET", "/api/auth/me"), (401, 200, 200, 200, 200, 200)),
    "auth-update-profile": (
        simple("PATCH", "/api/auth/me", json={"full_name": "New Name"}),
        (401, 200, 200, 200, 200, 200),
    ),
    "auth-change-password": (
        simple(
            "POST", "/api/auth/change-password", json={"current_password": "wrong", "new_password": "Changed-Pass-9"}
        ),
        (401, 400, 400, 400, 400, 400),
    ),
    "auth-logout-all": (simple("POST", "/api/auth/logout-all"), (401, 204, 204, 204, 204, 204)),
    "auth-sessions": (simple("GET", "/api/auth/sessions"), (401, 200, 200, 200, 200, 200)),
    "auth-revoke-session": (simple("DELETE", "/api/auth/sessions/{customer_session}"), (401, 404, 404, 204, 404, 404)),
    "auth-resend-verification": (simple("POST", "/api/auth/verify-email/resend"), (401, 202, 202, 202, 202, 202)),
    "users-list": (simple("GET", "/api/users"), (401, 403, 403, 403, 403, 200)),
    "users-change-role": (
        simple("PUT", "/api/users/{stranger}/role", json={"role": "customer"}),
        (401, 403, 403, 403, 403, 200),
    ),
    "users-set-active": (
        simple("PUT", "/api/users/{stranger}/active", json={"is_active": True}),
        (401, 403, 403, 403, 403, 200),
    ),
    "mail-mine": (simple("GET", "/api/mail/mine"), (401, 200, 200, 200, 200, 200)),
    "mail-outbox": (simple("GET", "/api/mail/outbox"), (401, 403, 403, 403, 403, 200)),
    # events
    "events-create": (per_caller_json("POST", "/api/events", _event_body), (401, 403, 201, 403, 201, 201)),
    "events-mine": (simple("GET", "/api/events/my/events"), (401, 403, 200, 403, 200, 200)),
    "events-update": (with_etag("PUT", "/api/events/{event}", {"summary": "Updated"}), (401, 403, 403, 403, 200, 200)),
    "events-delete": (simple("DELETE", "/api/events/{event}"), (401, 403, 403, 403, 409, 409)),
    "events-publish": (simple("POST", "/api/events/{event}/publish"), (401, 403, 403, 403, 200, 200)),
    "events-cancel": (
        simple("POST", "/api/events/{event}/cancel", json={"reason": "Matrix"}),
        (401, 403, 403, 403, 200, 409),
    ),
    "events-cancellation-progress": (
        simple("GET", "/api/events/{cancelled_event}/cancellation"),
        (401, 403, 403, 403, 200, 200),
    ),
    "events-cover-upload": (_upload, (401, 403, 403, 403, 200, 200)),
    "events-ticket-types-create": (
        simple("POST", "/api/events/{event}/ticket-types", json={"name": "Extra", "price_minor": 1000, "capacity": 10}),
        (401, 403, 403, 403, 201, 201),
    ),
    "events-ticket-types-update": (
        with_etag("PUT", "/api/events/{event}/ticket-types/{ticket_type}", {"description": "Updated"}),
        (401, 403, 403, 403, 200, 200),
    ),
    "events-ticket-types-delete": (
        simple("DELETE", "/api/events/{event}/ticket-types/{ticket_type}"),
        (401, 403, 403, 403, 409, 409),
    ),
    # bookings and payments
    "bookings-create": (
        per_caller_json("POST", "/api/bookings", lambda w, _: w.ids_order),  # type: ignore[attr-defined]
        (401, 201, 201, 201, 201, 201),
    ),
    "bookings-get": (simple("GET", "/api/bookings/{booking}"), (401, 404, 404, 200, 404, 200)),
    "bookings-mine": (simple("GET", "/api/bookings/my/bookings"), (401, 200, 200, 200, 200, 200)),
    "bookings-for-event": (simple("GET", "/api/bookings/event/{event}/bookings"), (401, 403, 403, 403, 200, 200)),
    "bookings-for-event-csv": (
        simple("GET", "/api/bookings/event/{event}/bookings.csv"),
        (401, 403, 403, 403, 200, 200),
    ),
    "bookings-admin-all": (simple("GET", "/api/bookings/admin/all"), (401, 403, 403, 403, 403, 200)),
    "bookings-confirm": (simple("POST", "/api/bookings/{pending}/confirm"), (401, 404, 404, 402, 404, 402)),
    "bookings-cancel": (simple("DELETE", "/api/bookings/{booking}"), (401, 404, 404, 200, 409, 409)),
    "payments-start": (simple("POST", "/api/bookings/{pending}/payment"), (401, 404, 404, 201, 404, 201)),
    "payments-mock-card": (
        simple("POST", "/api/payments/{payment}/mock-card", json={"card_number": "4000000000000002"}),
        (401, 404, 404, 200, 404, 200),
    ),
    "payments-refunds": (simple("GET", "/api/bookings/{booking}/refunds"), (401, 404, 404, 200, 200, 200)),
    # C refunds a valid ticket; O the checked-in one (staff may), the last: the booking is cancelled,
    # so D's refund is a 409 (past authorization).
    "payments-refund-tickets": (
        per_caller_json(
            "POST",
            "/api/bookings/{booking}/refunds",
            lambda w, c: {"ticket_ids": [w.ids["checked_in_ticket" if c == "O" else "ticket"]]},
        ),
        (401, 404, 404, 201, 201, 409),
    ),
    # coupons
    "coupons-create": (
        per_caller_json(
            "POST",
            "/api/coupons",
            lambda w, c: {"code": f"MATRIX{c}", "event_id": w.ids["event"], "kind": "percent", "amount": 10},
        ),
        (401, 403, 403, 403, 201, 201),
    ),
    "coupons-list": (simple("GET", "/api/coupons"), (401, 403, 200, 403, 200, 200)),
    "coupons-update": (simple("PATCH", "/api/coupons/{coupon}", json={"active": True}), (401, 403, 404, 403, 200, 200)),
    "coupons-get": (simple("GET", "/api/coupons/MATRIX"), (401, 200, 200, 200, 200, 200)),
    # tickets and the door
    "tickets-for-booking": (simple("GET", "/api/bookings/{booking}/tickets"), (401, 404, 404, 200, 200, 200)),
    "tickets-qr": (simple("GET", "/api/tickets/{ticket}/qr.svg"), (401, 404, 404, 200, 200, 200)),
    "tickets-pdf": (simple("GET", "/api/tickets/{ticket}/pdf"), (401, 404, 404, 200, 200, 200)),
    "tickets-validate": (
        per_caller_json("POST", "/api/tickets/validate", lambda w, _: {"code": w.ids["code"]}),
        (401, 403, 403, 403, 200, 409),
    ),
    "tickets-lookup": (lookup, (401, 200, 403, 403, 200, 200)),
    "tickets-undo-checkin": (
        simple("POST", "/api/tickets/{checked_in_ticket}/undo-checkin"),
        # S is door staff and C owns the ticket: both know it exists. X is a stranger to it.
        (401, 403, 404, 403, 200, 409),
    ),
    "tickets-doors": (simple("GET", "/api/tickets/doors"), (401, 200, 200, 200, 200, 200)),
    # S is on this event's door list: door staff see the counters.
    "tickets-checkin-summary": (simple("GET", "/api/events/{event}/checkins/summary"), (401, 200, 403, 403, 200, 200)),
    "tickets-staff-list": (simple("GET", "/api/events/{event}/staff"), (401, 403, 403, 403, 200, 200)),
    "tickets-staff-grant": (
        per_caller_json("POST", "/api/events/{event}/staff", lambda w, _: {"email": w.people["S"].user.email}),
        (401, 403, 403, 403, 201, 201),
    ),
    "tickets-staff-revoke": (
        simple("DELETE", "/api/events/{event}/staff/{staff_user}"),
        (401, 403, 403, 403, 204, 404),
    ),
}


@pytest.fixture
async def world(client: httpx.AsyncClient, make_user: Any, token_for: Any, make_event: Any, runtime: Any) -> World:
    roles = {"S": Role.CUSTOMER, "X": Role.ORGANIZER, "C": Role.CUSTOMER, "O": Role.ORGANIZER, "D": Role.ADMIN}
    people = {}
    for key, role in roles.items():
        user = await make_user(role, name=f"Person {key}")
        people[key] = Buyer(user, await token_for(user))
    world = World(client=client, people=people)
    event = await make_event(people["O"].user, tiers=[("Standard", 2500, 100)], refund_until_hours=48)
    cancelled = await make_event(people["O"].user, tiers=[("Standard", 2500, 100)])
    customer = people["C"]
    booking = await paid_booking(client, customer, event, 2)
    ticket_list = await tickets_of(client, customer, booking)
    pending = (await book(client, customer, order(event, 1))).json()["id"]
    payment = (await client.post(f"/api/bookings/{pending}/payment", headers=customer.headers)).json()
    await client.post("/api/tickets/validate", json={"code": ticket_list[1]["code"]}, headers=people["O"].headers)
    coupon = (
        await client.post(
            "/api/coupons",
            headers=people["O"].headers,
            json={"code": "MATRIX", "event_id": str(event.id), "kind": "percent", "amount": 10},
        )
    ).json()
    await client.post(
        f"/api/events/{event.id}/staff", json={"email": people["S"].user.email}, headers=people["O"].headers
    )
    gone = await client.post(
        f"/api/events/{cancelled.id}/cancel", json={"reason": "Weather"}, headers=people["O"].headers
    )
    assert gone.status_code == 200, gone.text
    session_row = await sql(runtime, "SELECT id FROM auth_sessions WHERE user_id = :u LIMIT 1", u=customer.user.id)
    world.ids = {
        "event": str(event.id),
        "cancelled_event": str(cancelled.id),
        "ticket_type": str(event.ticket_types[0].id),
        "booking": booking,
        "pending": pending,
        "payment": payment["payment"]["id"],
        "ticket": ticket_list[0]["id"],
        "code": ticket_list[0]["code"],
        "checked_in_ticket": ticket_list[1]["id"],
        "coupon": coupon["id"],
        "stranger": str(people["S"].user.id),
        "staff_user": str(people["S"].user.id),
        "customer_session": str(session_row[0].id),
    }
    world.ids_order = order(event, 1)  # type: ignore[attr-defined]
    return world


def test_every_route_is_in_the_matrix(app: Any) -> None:
    operations = {
        operation["operationId"] for methods in app.openapi()["paths"].values() for operation in methods.values()
    }
    missing = operations - PUBLIC - set(MATRIX)
    assert not missing, f"add these routes to the authorization matrix: {sorted(missing)}"
    assert not (set(MATRIX) - operations), "the matrix names routes that no longer exist"


@pytest.mark.parametrize("operation", sorted(MATRIX))
async def test_route_answers_each_caller_exactly(world: World, operation: str) -> None:
    call, expected = MATRIX[operation]
    actual = []
    for caller in CALLERS:
        if caller == "S" and operation == "tickets-validate":
            # S is on the door list in this world; test them as a stranger by revoking first.
            await world.client.delete(
                f"/api/events/{world.ids['event']}/staff/{world.ids['staff_user']}", headers=world.people["O"].headers
            )
        response = await call(world, caller)
        actual.append(response.status_code)
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json"), (operation, caller)
    assert tuple(actual) == expected, (
        f"{operation}: expected {dict(zip(CALLERS, expected, strict=True))}, "
        f"got {dict(zip(CALLERS, actual, strict=True))}"
    )
