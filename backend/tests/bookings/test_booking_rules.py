"""Creating bookings: holds, pricing, limits, windows, verification, reads, idempotency."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from boxoffice.models import EventStatus, Role
from tests.bookings.conftest import book, counters, order, sql


async def test_booking_holds_seats_and_prices_the_order(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10), ("VIP", 9000, 5)])
    (buyer,) = await make_buyers(1)
    body = {
        "event_id": str(event.id),
        "items": [
            {
                "ticket_type_id": str(event.ticket_types[0].id),
                "quantity": 2,
                "attendees": [{"name": "Ann", "email": "ann@example.com"}],
            },
            {"ticket_type_id": str(event.ticket_types[1].id), "quantity": 1},
        ],
    }
    response = await book(client, buyer, body)
    assert response.status_code == 201, response.text
    booking = response.json()
    assert booking["status"] == "pending_payment"
    assert (booking["subtotal_minor"], booking["discount_minor"], booking["total_minor"]) == (14000, 0, 14000)
    assert booking["currency"] == "EUR"
    hold = datetime.fromisoformat(booking["hold_expires_at"]) - datetime.fromisoformat(booking["created_at"])
    assert timedelta(minutes=9, seconds=59) < hold <= timedelta(minutes=10)
    lines = {line["ticket_type_name"]: line for line in booking["items"]}
    assert lines["Standard"]["attendees"] == [{"name": "Ann", "email": "ann@example.com"}, {"name": "", "email": None}]
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 0, "held": 2}
    assert await counters(runtime, event.ticket_types[1].id) == {"capacity": 5, "sold": 0, "held": 1}

    fetched = await client.get(f"/api/bookings/{booking['id']}", headers=buyer.headers)
    assert fetched.status_code == 200 and fetched.json() == booking


async def test_dynamic_price_is_charged_and_stored(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Early", 5000, 100)])
    until = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    await sql(
        runtime,
        "UPDATE ticket_types SET pricing_rules = CAST(:r AS jsonb) WHERE id = :id",
        r=f'[{{"kind": "time", "until": "{until}", "percent_off": 20}}]',
        id=event.ticket_types[0].id,
    )
    (buyer,) = await make_buyers(1)
    response = await book(client, buyer, order(event, 2))
    assert response.status_code == 201
    assert response.json()["items"][0]["unit_price_minor"] == 4000
    assert response.json()["total_minor"] == 8000
    stored = await sql(runtime, "SELECT unit_price_minor FROM booking_items")
    assert stored[0].unit_price_minor == 4000


async def test_per_order_limits(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user)
    await sql(
        runtime,
        "UPDATE ticket_types SET min_per_order = 2, max_per_order = 4 WHERE id = :id",
        id=event.ticket_types[0].id,
    )
    (buyer,) = await make_buyers(1)
    for quantity in (1, 5):
        response = await book(client, buyer, order(event, quantity))
        assert response.status_code == 422 and response.json()["code"] == "order_limit"
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 100, "sold": 0, "held": 0}
    assert (await book(client, buyer, order(event, 3))).status_code == 201


async def test_sales_window(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Later", 1000, 10), ("Over", 1000, 10)])
    now = datetime.now(UTC)
    await sql(
        runtime,
        "UPDATE ticket_types SET sales_start = :s WHERE id = :id",
        s=now + timedelta(hours=1),
        id=event.ticket_types[0].id,
    )
    await sql(
        runtime,
        "UPDATE ticket_types SET sales_start = :s, sales_end = :e WHERE id = :id",
        s=now - timedelta(days=2),
        e=now - timedelta(hours=1),
        id=event.ticket_types[1].id,
    )
    (buyer,) = await make_buyers(1)
    not_yet = await book(client, buyer, order(event, 1, tier=0))
    assert not_yet.status_code == 409 and not_yet.json()["code"] == "sales_not_started"
    over = await book(client, buyer, order(event, 1, tier=1))
    assert over.status_code == 409 and over.json()["code"] == "sales_ended"


async def test_events_not_on_sale(client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any) -> None:
    (buyer,) = await make_buyers(1)
    draft = await make_event(organizer.user, status=EventStatus.DRAFT)
    response = await book(client, buyer, order(draft))
    assert response.status_code == 409 and response.json()["code"] == "event_not_on_sale"
    past = await make_event(organizer.user, starts_in=timedelta(days=-2))
    response = await book(client, buyer, order(past))
    assert response.status_code == 409 and response.json()["code"] == "event_over"
    missing = await book(client, buyer, {**order(draft), "event_id": str(uuid.uuid4())})
    assert missing.status_code == 404


async def test_ticket_type_of_another_event_is_refused(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any
) -> None:
    one, two = await make_event(organizer.user), await make_event(organizer.user)
    (buyer,) = await make_buyers(1)
    body = {"event_id": str(one.id), "items": [{"ticket_type_id": str(two.ticket_types[0].id), "quantity": 1}]}
    response = await book(client, buyer, body)
    assert response.status_code == 404 and response.json()["code"] == "ticket_type_not_found"


async def test_paid_tickets_need_a_verified_email_but_free_ones_do_not(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Paid", 1500, 10), ("Free", 0, 10)])
    (unverified,) = await make_buyers(1, verified=False)
    refused = await book(client, unverified, order(event, 1, tier=0))
    assert refused.status_code == 403 and refused.json()["code"] == "email_not_verified"
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 0, "held": 0}
    assert (await book(client, unverified, order(event, 1, tier=1))).status_code == 201


async def test_bad_input_is_422_and_changes_nothing(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user)
    (buyer,) = await make_buyers(1)
    tt = str(event.ticket_types[0].id)
    cases: list[dict[str, Any]] = [
        {"event_id": str(event.id), "items": []},
        {"event_id": str(event.id), "items": [{"ticket_type_id": tt, "quantity": 0}]},
        {"event_id": str(event.id), "items": [{"ticket_type_id": tt, "quantity": 51}]},
        {
            "event_id": str(event.id),
            "items": [{"ticket_type_id": tt, "quantity": 1}, {"ticket_type_id": tt, "quantity": 1}],
        },
        {"event_id": str(event.id), "items": [{"ticket_type_id": tt, "quantity": 1, "attendees": [{}, {}]}]},
        {"event_id": "not-a-uuid", "items": [{"ticket_type_id": tt, "quantity": 1}]},
    ]
    for body in cases:
        response = await book(client, buyer, body)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 100, "sold": 0, "held": 0}
    anonymous = await client.post("/api/bookings", json=order(event))
    assert anonymous.status_code == 401


async def test_only_owner_and_admin_see_a_booking(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, admin: Any
) -> None:
    event = await make_event(organizer.user)
    owner, stranger = await make_buyers(2)
    booking_id = (await book(client, owner, order(event))).json()["id"]
    assert (await client.get(f"/api/bookings/{booking_id}", headers=stranger.headers)).status_code == 404
    assert (await client.get(f"/api/bookings/{booking_id}", headers=organizer.headers)).status_code == 404
    assert (await client.get(f"/api/bookings/{booking_id}", headers=admin.headers)).status_code == 200
    # Cancelling someone else's booking is also 404 (no oracle) and changes nothing.
    assert (await client.delete(f"/api/bookings/{booking_id}", headers=stranger.headers)).status_code == 404
    assert (await client.get(f"/api/bookings/{booking_id}", headers=owner.headers)).json()[
        "status"
    ] == "pending_payment"


async def test_idempotency_key_replays_and_mismatch(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user)
    (buyer,) = await make_buyers(1)
    first = await book(client, buyer, order(event, 2), **{"Idempotency-Key": "abc-123"})
    again = await book(client, buyer, order(event, 2), **{"Idempotency-Key": "abc-123"})
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 100, "sold": 0, "held": 2}
    different = await book(client, buyer, order(event, 3), **{"Idempotency-Key": "abc-123"})
    assert different.status_code == 422 and different.json()["code"] == "idempotency_key_reused"
    # Keys are per user: another buyer's same key is a new booking.
    (other,) = await make_buyers(1)
    assert (await book(client, other, order(event, 2), **{"Idempotency-Key": "abc-123"})).status_code == 201


async def test_listings_for_customer_organizer_and_admin(
    client: httpx.AsyncClient,
    make_event: Any,
    organizer: Any,
    make_buyers: Any,
    admin: Any,
    make_user: Any,
    token_for: Any,
) -> None:
    event = await make_event(organizer.user)
    other_event = await make_event(organizer.user)
    alice, bob = await make_buyers(2)
    for _ in range(3):
        await book(client, alice, order(event))
    await book(client, bob, order(event, 2))
    await book(client, bob, order(other_event))

    mine = (await client.get("/api/bookings/my/bookings", headers=alice.headers, params={"limit": 2})).json()
    assert len(mine["items"]) == 2 and mine["next_cursor"]
    rest = (
        await client.get("/api/bookings/my/bookings", headers=alice.headers, params={"cursor": mine["next_cursor"]})
    ).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None

    for_event = await client.get(f"/api/bookings/event/{event.id}/bookings", headers=organizer.headers)
    assert for_event.status_code == 200
    assert for_event.json()["total"] == 4
    assert {b["customer_email"] for b in for_event.json()["items"]} == {alice.user.email, bob.user.email}
    searched = await client.get(
        f"/api/bookings/event/{event.id}/bookings", headers=organizer.headers, params={"q": bob.user.email}
    )
    assert searched.json()["total"] == 1

    csv_response = await client.get(f"/api/bookings/event/{event.id}/bookings.csv", headers=organizer.headers)
    assert csv_response.status_code == 200
    assert csv_response.headers["content-type"].startswith("text/csv")
    rows = csv_response.text.strip().splitlines()
    assert rows[0].startswith("booking_id,created_at,status,customer_email")
    assert len(rows) == 5

    other_org = await make_user(Role.ORGANIZER)
    forbidden = await client.get(f"/api/bookings/event/{event.id}/bookings", headers=await token_for(other_org))
    assert forbidden.status_code == 403
    assert (await client.get(f"/api/bookings/event/{event.id}/bookings", headers=alice.headers)).status_code == 403

    everything = (await client.get("/api/bookings/admin/all", headers=admin.headers)).json()
    assert everything["total"] == 5
    filtered = (
        await client.get("/api/bookings/admin/all", headers=admin.headers, params={"event_id": str(other_event.id)})
    ).json()
    assert filtered["total"] == 1
    assert (await client.get("/api/bookings/admin/all", headers=organizer.headers)).status_code == 403
