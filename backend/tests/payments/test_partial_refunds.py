"""Refunding some tickets of a booking (POST /api/bookings/{id}/refunds), demo payments.

Each refunded ticket is voided, its seat goes back on sale and what was paid for it comes back;
refunding them all one by one adds up to the booking's total and cancels it. Customers act within
the refund policy; the organizer and admins at any time; anyone else gets 404.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from boxoffice.models import Role
from tests.bookings.conftest import book, counters, order, sql
from tests.fixtures.auth import Buyer, mails_to
from tests.jobs_helpers import drain_jobs
from tests.tickets.conftest import paid_booking, tickets_of


async def refund(
    client: httpx.AsyncClient, who: Buyer, booking_id: str, *ticket_ids: str, **extra: Any
) -> httpx.Response:
    return await client.post(
        f"/api/bookings/{booking_id}/refunds", json={"ticket_ids": list(ticket_ids), **extra}, headers=who.headers
    )


async def booking_of(client: httpx.AsyncClient, who: Buyer, booking_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/bookings/{booking_id}", headers=who.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def refunds_of(client: httpx.AsyncClient, who: Buyer, booking_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/bookings/{booking_id}/refunds", headers=who.headers)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result


async def provider_refunded(runtime: Any, booking_id: str) -> int:
    """What the (mock) payment provider itself says it paid back."""
    import json

    payment = await sql(runtime, "SELECT provider_ref FROM payments WHERE booking_id = :b", b=booking_id)
    raw = await runtime.redis.get(f"mockpay:{payment[0].provider_ref}")
    return int(json.loads(raw).get("refunded", 0))


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body


@pytest.fixture
async def buyer(make_buyers: Any) -> Buyer:
    (one,) = await make_buyers(1)
    assert isinstance(one, Buyer)
    return one


async def test_customer_refunds_one_ticket_within_the_policy(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, buyer: Buyer, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)], refund_until_hours=48)
    booking_id = await paid_booking(client, buyer, event, 3)
    tickets = await tickets_of(client, buyer, booking_id)
    assert [t["paid_minor"] for t in tickets] == [2500, 2500, 2500]

    done = await refund(client, buyer, booking_id, tickets[0]["id"])
    assert done.status_code == 201, done.text
    body = done.json()
    assert body["amount_minor"] == 2500 and body["ticket_ids"] == [tickets[0]["id"]]
    assert body["booking"]["status"] == "confirmed"
    assert body["refund"] == {
        **body["refund"],
        "amount_minor": 2500,
        "status": "pending",
        "reason": "tickets_refunded_by_customer",
        "ticket_ids": [tickets[0]["id"]],
    }
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 2, "held": 0}

    await drain_jobs()
    assert [(r["status"], r["amount_minor"]) for r in await refunds_of(client, buyer, booking_id)] == [
        ("succeeded", 2500)
    ]
    after = await booking_of(client, buyer, booking_id)
    assert after["status"] == "confirmed" and after["refunded_minor"] == 2500
    assert await provider_refunded(runtime, booking_id) == 2500
    statuses = {t["id"]: t["status"] for t in await tickets_of(client, buyer, booking_id)}
    assert statuses == {tickets[0]["id"]: "void", tickets[1]["id"]: "valid", tickets[2]["id"]: "valid"}
    voided = await sql(runtime, "SELECT void_reason FROM tickets WHERE id = :t", t=tickets[0]["id"])
    assert voided[0].void_reason == "refunded"
    mails = await mails_to(runtime, buyer.user.email)
    assert [m.template for m in mails] == ["booking_confirmed", "tickets_refunded"]
    assert "25.00 EUR" in mails[-1].text_body and "other tickets stay valid" in mails[-1].text_body
    # The door refuses the refunded ticket and still admits the others.
    door = await client.post("/api/tickets/validate", json={"code": tickets[0]["code"]}, headers=organizer.headers)
    assert door.status_code == 409 and door.json()["code"] == "ticket_void"
    door = await client.post("/api/tickets/validate", json={"code": tickets[1]["code"]}, headers=organizer.headers)
    assert door.status_code == 200


async def test_refunding_every_ticket_one_by_one_pays_back_the_total_with_a_coupon(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, buyer: Buyer, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Odd price", 3333, 10)], refund_until_hours=48)
    coupon = await client.post(
        "/api/coupons",
        headers=organizer.headers,
        json={"code": "TENOFF", "event_id": str(event.id), "kind": "fixed", "amount": 1000, "currency": "EUR"},
    )
    assert coupon.status_code == 201, coupon.text
    booking_id = await paid_booking(client, buyer, event, 3, coupon_code="TENOFF")
    booking = await booking_of(client, buyer, booking_id)
    assert (booking["subtotal_minor"], booking["discount_minor"], booking["total_minor"]) == (9999, 1000, 8999)
    tickets = await tickets_of(client, buyer, booking_id)
    assert sorted(t["paid_minor"] for t in tickets) == [2999, 3000, 3000]

    amounts = []
    for ticket in tickets:
        done = await refund(client, buyer, booking_id, ticket["id"])
        assert done.status_code == 201, done.text
        amounts.append(done.json()["amount_minor"])
        assert done.json()["amount_minor"] == ticket["paid_minor"]
    assert sum(amounts) == 8999
    assert done.json()["booking"]["status"] == "cancelled"
    await drain_jobs()
    after = await booking_of(client, buyer, booking_id)
    assert after["status"] == "cancelled" and after["refunded_minor"] == after["total_minor"] == 8999
    assert await provider_refunded(runtime, booking_id) == 8999
    refunds = await refunds_of(client, buyer, booking_id)
    assert [r["amount_minor"] for r in refunds] == amounts and {r["status"] for r in refunds} == {"succeeded"}
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 0, "held": 0}


async def test_a_coupon_for_one_ticket_type_only_lowers_that_types_refunds(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, buyer: Buyer
) -> None:
    event = await make_event(organizer.user, tiers=[("VIP", 2000, 10), ("Standard", 1000, 10)], refund_until_hours=48)
    vip, standard = event.ticket_types
    coupon = await client.post(
        "/api/coupons",
        headers=organizer.headers,
        json={
            "code": "VIPHALF",
            "event_id": str(event.id),
            "kind": "percent",
            "amount": 50,
            "ticket_type_ids": [str(vip.id)],
        },
    )
    assert coupon.status_code == 201, coupon.text
    body = {
        "event_id": str(event.id),
        "items": [
            {"ticket_type_id": str(vip.id), "quantity": 2},
            {"ticket_type_id": str(standard.id), "quantity": 1},
        ],
        "coupon_code": "VIPHALF",
    }
    booking = (await book(client, buyer, body)).json()
    assert booking["total_minor"] == 3000
    started = await client.post(f"/api/bookings/{booking['id']}/payment", headers=buyer.headers)
    await client.post(
        f"/api/payments/{started.json()['payment']['id']}/mock-card",
        json={"card_number": "4242424242424242"},
        headers=buyer.headers,
    )
    assert (await client.post(f"/api/bookings/{booking['id']}/confirm", headers=buyer.headers)).status_code == 200
    tickets = await tickets_of(client, buyer, booking["id"])
    paid = {(t["ticket_type_id"], t["paid_minor"]) for t in tickets}
    assert paid == {(str(vip.id), 1000), (str(standard.id), 1000)}
    standard_ticket = next(t for t in tickets if t["ticket_type_id"] == str(standard.id))
    done = await refund(client, buyer, booking["id"], standard_ticket["id"])
    assert done.status_code == 201 and done.json()["amount_minor"] == 1000


async def test_customer_outside_the_policy_is_refused_and_nothing_changes(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, buyer: Buyer, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)], refund_until_hours=None)
    booking_id = await paid_booking(client, buyer, event, 2)
    tickets = await tickets_of(client, buyer, booking_id)
    refused = await refund(client, buyer, booking_id, tickets[0]["id"])
    problem = assert_problem(refused, 409, "refund_not_allowed")
    assert "not offered for this event" in problem["detail"]
    assert {t["status"] for t in await tickets_of(client, buyer, booking_id)} == {"valid"}
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 2, "held": 0}
    assert await refunds_of(client, buyer, booking_id) == []


async def test_strangers_get_404_the_organizer_and_admins_may_refund_at_any_time(
    client: httpx.AsyncClient,
    make_event: Any,
    make_user: Any,
    token_for: Any,
    organizer: Buyer,
    admin: Buyer,
    buyer: Buyer,
    runtime: Any,
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)], refund_until_hours=None)
    booking_id = await paid_booking(client, buyer, event, 4)
    tickets = await tickets_of(client, buyer, booking_id)
    stranger_user = await make_user(Role.CUSTOMER)
    other_organizer_user = await make_user(Role.ORGANIZER)
    for user in (stranger_user, other_organizer_user):
        outsider = Buyer(user, await token_for(user))
        assert_problem(await refund(client, outsider, booking_id, tickets[0]["id"]), 404, "booking_not_found")
        assert_problem(await refund(client, outsider, str(uuid.uuid4()), tickets[0]["id"]), 404, "booking_not_found")
    anonymous = await client.post(f"/api/bookings/{booking_id}/refunds", json={"ticket_ids": [tickets[0]["id"]]})
    assert anonymous.status_code == 401

    # The organizer sees the booking's tickets (to choose) and its refunds.
    assert len(await tickets_of(client, organizer, booking_id)) == 4
    by_organizer = await refund(client, organizer, booking_id, tickets[0]["id"], reason="Seat was broken")
    assert by_organizer.status_code == 201, by_organizer.text
    assert by_organizer.json()["refund"]["reason"] == "Seat was broken"
    by_admin = await refund(client, admin, booking_id, tickets[1]["id"])
    assert by_admin.status_code == 201, by_admin.text
    assert by_admin.json()["refund"]["reason"] == "tickets_refunded_by_organizer"

    # Checked in at the door: the customer cannot get it refunded, the organizer can.
    await client.post("/api/tickets/validate", json={"code": tickets[2]["code"]}, headers=organizer.headers)
    assert_problem(await refund(client, buyer, booking_id, tickets[2]["id"]), 409, "refund_not_allowed")
    assert (await refund(client, organizer, booking_id, tickets[2]["id"])).status_code == 201
    await drain_jobs()
    after = await booking_of(client, buyer, booking_id)
    assert after["status"] == "confirmed" and after["refunded_minor"] == 7500
    assert len(await refunds_of(client, organizer, booking_id)) == 3
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 1, "held": 0}
    mails = [m for m in await mails_to(runtime, buyer.user.email) if m.template == "tickets_refunded"]
    assert len(mails) == 3 and "Reason: Seat was broken" in mails[0].text_body


async def test_customer_cannot_refund_a_checked_in_ticket(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, buyer: Buyer
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)], refund_until_hours=48)
    booking_id = await paid_booking(client, buyer, event, 2)
    tickets = await tickets_of(client, buyer, booking_id)
    await client.post("/api/tickets/validate", json={"code": tickets[0]["code"]}, headers=organizer.headers)
    problem = assert_problem(await refund(client, buyer, booking_id, tickets[0]["id"]), 409, "ticket_checked_in")
    assert problem["errors"] == [{"field": "ticket_ids", "message": f"checked in: {tickets[0]['id']}"}]
    # The valid one alone is fine; the checked-in ticket keeps the booking confirmed.
    done = await refund(client, buyer, booking_id, tickets[1]["id"])
    assert done.status_code == 201 and done.json()["booking"]["status"] == "confirmed"


async def test_refunded_and_foreign_tickets_are_refused(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, buyer: Buyer, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)], refund_until_hours=48)
    booking_id = await paid_booking(client, buyer, event, 3)
    other_booking = await paid_booking(client, buyer, event, 1)
    tickets = await tickets_of(client, buyer, booking_id)
    foreign = (await tickets_of(client, buyer, other_booking))[0]["id"]
    assert (await refund(client, buyer, booking_id, tickets[0]["id"])).status_code == 201

    assert_problem(await refund(client, buyer, booking_id, tickets[0]["id"]), 409, "ticket_already_refunded")
    assert_problem(await refund(client, organizer, booking_id, tickets[0]["id"]), 409, "ticket_already_refunded")
    problem = assert_problem(
        await refund(client, buyer, booking_id, tickets[1]["id"], foreign), 409, "ticket_not_in_booking"
    )
    assert problem["errors"] == [{"field": "ticket_ids", "message": f"not in this booking: {foreign}"}]
    assert_problem(await refund(client, buyer, booking_id, str(uuid.uuid4())), 409, "ticket_not_in_booking")
    # A refused request changed nothing: ticket 1 is still valid, one seat was released in all.
    assert (await sql(runtime, "SELECT status FROM tickets WHERE id = :t", t=tickets[1]["id"]))[0].status == "valid"
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 3, "held": 0}
    assert len(await refunds_of(client, buyer, booking_id)) == 1


async def test_the_last_tickets_cancel_the_booking_like_a_full_cancel(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, buyer: Buyer, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)], refund_until_hours=48)
    booking_id = await paid_booking(client, buyer, event, 3)
    tickets = await tickets_of(client, buyer, booking_id)
    assert (await refund(client, buyer, booking_id, tickets[0]["id"])).status_code == 201
    last = await refund(client, buyer, booking_id, tickets[1]["id"], tickets[2]["id"])
    assert last.status_code == 201, last.text
    body = last.json()
    assert body["amount_minor"] == 5000 and body["refund"]["amount_minor"] == 5000
    assert body["booking"]["status"] == "cancelled"
    assert body["booking"]["cancel_reason"] == "tickets_refunded_by_customer"
    await drain_jobs()
    after = await booking_of(client, buyer, booking_id)
    assert after["refunded_minor"] == after["total_minor"] == 7500
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 0, "held": 0}
    assert {t["status"] for t in await tickets_of(client, buyer, booking_id)} == {"void"}
    templates = [m.template for m in await mails_to(runtime, buyer.user.email)]
    assert templates == ["booking_confirmed", "tickets_refunded", "booking_cancelled"]
    assert_problem(await refund(client, buyer, booking_id, tickets[0]["id"]), 409, "invalid_transition")
    assert_problem(await client.delete(f"/api/bookings/{booking_id}", headers=buyer.headers), 409, "invalid_transition")


async def test_a_full_cancel_after_a_partial_refund_refunds_and_releases_only_the_rest(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, buyer: Buyer, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)], refund_until_hours=48)
    booking_id = await paid_booking(client, buyer, event, 3)
    tickets = await tickets_of(client, buyer, booking_id)
    assert (await refund(client, buyer, booking_id, tickets[0]["id"])).status_code == 201
    # The partial refund is still pending at the provider when the rest is cancelled.
    cancelled = await client.delete(f"/api/bookings/{booking_id}", headers=buyer.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 0, "held": 0}
    await drain_jobs()
    refunds = await refunds_of(client, buyer, booking_id)
    assert [(r["amount_minor"], r["status"]) for r in refunds] == [(2500, "succeeded"), (5000, "succeeded")]
    assert (await booking_of(client, buyer, booking_id))["refunded_minor"] == 7500
    assert await provider_refunded(runtime, booking_id) == 7500


async def test_a_booking_that_is_not_confirmed_cannot_be_partly_refunded(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, buyer: Buyer
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)], refund_until_hours=48)
    pending = (await book(client, buyer, order(event, 2))).json()["id"]
    problem = assert_problem(await refund(client, buyer, pending, str(uuid.uuid4())), 409, "invalid_transition")
    assert "pending payment booking cannot be refunded" in problem["detail"]


async def test_free_tickets_are_released_without_a_refund(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, buyer: Buyer, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Free", 0, 10)], refund_until_hours=48)
    booking_id = (await book(client, buyer, order(event, 2))).json()["id"]
    assert (await client.post(f"/api/bookings/{booking_id}/confirm", headers=buyer.headers)).status_code == 200
    tickets = await tickets_of(client, buyer, booking_id)
    done = await refund(client, buyer, booking_id, tickets[0]["id"])
    assert done.status_code == 201, done.text
    assert done.json()["refund"] is None and done.json()["amount_minor"] == 0
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 1, "held": 0}
    mail = (await mails_to(runtime, buyer.user.email))[-1]
    assert mail.template == "tickets_refunded" and "refund of" not in mail.text_body


async def test_seats_come_back_on_sale_and_live_listeners_are_told(
    client: httpx.AsyncClient,
    make_event: Any,
    organizer: Buyer,
    buyer: Buyer,
    runtime: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event = await make_event(organizer.user, tiers=[("Last seats", 2500, 2)], refund_until_hours=48)
    booking_id = await paid_booking(client, buyer, event, 2)
    sold_out = await book(client, buyer, order(event, 1))
    assert sold_out.status_code == 409 and sold_out.json()["code"] == "sold_out"
    announced: list[tuple[uuid.UUID, list[uuid.UUID]]] = []

    async def record(event_id: uuid.UUID, ticket_type_ids: list[uuid.UUID]) -> None:
        announced.append((event_id, list(ticket_type_ids)))

    changes: list[tuple[Any, ...]] = []

    async def record_booking(*args: Any) -> None:
        changes.append(args)

    monkeypatch.setitem(runtime.extras, "availability_changed", record)
    monkeypatch.setitem(runtime.extras, "booking_changed", record_booking)
    tickets = await tickets_of(client, buyer, booking_id)
    assert (await refund(client, buyer, booking_id, tickets[0]["id"])).status_code == 201
    assert announced == [(event.id, [event.ticket_types[0].id])]
    # The organizer's dashboard is told the booking changed (still confirmed, tickets refunded).
    [(changed_id, _user, _event, status, *_rest, organizer_id, change)] = changes
    assert (changed_id, status, organizer_id, change) == (
        uuid.UUID(booking_id),
        "confirmed",
        organizer.user.id,
        "tickets_refunded",
    )
    listed = (await client.get(f"/api/events/{event.id}")).json()
    assert listed["ticket_types"][0]["remaining"] == 1
    # The sold-out flag was cleared: the returned seat can be booked again at once.
    assert (await book(client, buyer, order(event, 1))).status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"ticket_ids": []},
        {"ticket_ids": ["not-a-uuid"]},
        {"ticket_ids": "TICKET"},
        {"ticket_ids": ["{same}", "{same}"]},
        {"ticket_ids": ["{same}"], "reason": "x" * 201},
        {"ticket_ids": ["{same}"], "surprise": True},
    ],
)
async def test_invalid_bodies_are_422_problems_and_change_nothing(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, buyer: Buyer, runtime: Any, body: dict[str, Any]
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)], refund_until_hours=48)
    booking_id = await paid_booking(client, buyer, event, 2)
    ticket_id = (await tickets_of(client, buyer, booking_id))[0]["id"]
    payload = {
        key: [ticket_id if v == "{same}" else v for v in value] if isinstance(value, list) else value
        for key, value in body.items()
    }
    response = await client.post(f"/api/bookings/{booking_id}/refunds", json=payload, headers=buyer.headers)
    problem = assert_problem(response, 422, "validation_error")
    assert problem["errors"], problem
    assert {t["status"] for t in await tickets_of(client, buyer, booking_id)} == {"valid"}
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 2, "held": 0}
    assert await refunds_of(client, buyer, booking_id) == []
