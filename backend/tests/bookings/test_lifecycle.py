"""Every transition of the booking state machine, and the illegal ones (409)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from boxoffice.bookings import inventory
from boxoffice.db import unit_of_work
from boxoffice.maintenance import run_once
from tests.bookings.conftest import book, counters, order, single_use_coupon, sql
from tests.fixtures.auth import mails_to
from tests.jobs_helpers import drain_jobs


async def pay_with_mock_card(
    client: httpx.AsyncClient, buyer: Any, booking_id: str, card: str = "4242 4242 4242 4242"
) -> httpx.Response:
    started = await client.post(f"/api/bookings/{booking_id}/payment", headers=buyer.headers)
    assert started.status_code == 201, started.text
    assert started.json()["demo_mode"] is True
    payment_id = started.json()["payment"]["id"]
    return await client.post(f"/api/payments/{payment_id}/mock-card", json={"card_number": card}, headers=buyer.headers)


async def expire_now(runtime: Any, booking_id: str) -> None:
    await sql(
        runtime, "UPDATE bookings SET hold_expires_at = now() - interval '1 second' WHERE id = :id", id=booking_id
    )
    await run_once(runtime)


async def test_free_booking_confirms_directly(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Free entry", 0, 10)])
    (buyer,) = await make_buyers(1, verified=False)
    booking = (await book(client, buyer, order(event, 2))).json()
    confirmed = await client.post(f"/api/bookings/{booking['id']}/confirm", headers=buyer.headers)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 2, "held": 0}
    again = await client.post(f"/api/bookings/{booking['id']}/confirm", headers=buyer.headers)
    assert again.status_code == 200 and again.json()["status"] == "confirmed"  # idempotent
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 2, "held": 0}


async def test_paid_booking_pay_confirm_and_mail(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)])
    (buyer,) = await make_buyers(1)
    booking = (await book(client, buyer, order(event, 2))).json()
    unpaid = await client.post(f"/api/bookings/{booking['id']}/confirm", headers=buyer.headers)
    assert unpaid.status_code == 402 and unpaid.json()["code"] == "payment_required"

    paid = await pay_with_mock_card(client, buyer, booking["id"])
    assert paid.status_code == 200 and paid.json()["status"] == "processing"
    confirmed = await client.post(f"/api/bookings/{booking['id']}/confirm", headers=buyer.headers)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 2, "held": 0}
    payments = await sql(runtime, "SELECT status, amount_minor FROM payments")
    assert [(p.status, p.amount_minor) for p in payments] == [("succeeded", 5000)]
    await drain_jobs()
    mails = await mails_to(runtime, buyer.user.email)
    assert [m.template for m in mails] == ["booking_confirmed"]
    assert "50.00 EUR" in mails[0].text_body


async def test_declined_card_leaves_the_booking_pending(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any
) -> None:
    event = await make_event(organizer.user)
    (buyer,) = await make_buyers(1)
    booking = (await book(client, buyer, order(event))).json()
    declined = await pay_with_mock_card(client, buyer, booking["id"], card="4000 0000 0000 0002")
    assert declined.json()["status"] == "failed" and declined.json()["failure_code"] == "card_declined"
    refused = await client.post(f"/api/bookings/{booking['id']}/confirm", headers=buyer.headers)
    assert refused.status_code == 402
    assert (await client.get(f"/api/bookings/{booking['id']}", headers=buyer.headers)).json()[
        "status"
    ] == "pending_payment"
    # A second attempt with a good card works.
    assert (await pay_with_mock_card(client, buyer, booking["id"])).json()["status"] in ("processing", "succeeded")


async def test_cancel_unpaid_releases_seats_and_coupon(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Tiny", 1000, 2)])
    await single_use_coupon(client, organizer, event, code="ONCE", kind="fixed", amount=500, currency="EUR")
    first, second = await make_buyers(2)
    booking = (await book(client, first, order(event, 2, coupon_code="ONCE"))).json()
    assert booking["discount_minor"] == 500 and booking["total_minor"] == 1500
    assert (await book(client, second, order(event))).json()["code"] == "sold_out"

    cancelled = await client.delete(f"/api/bookings/{booking['id']}", headers=first.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 2, "sold": 0, "held": 0}
    assert await runtime.redis.get(inventory.sold_out_key(event.ticket_types[0].id)) is None
    # Seats and the coupon use are available again.
    again = await book(client, second, order(event, 1, coupon_code="ONCE"))
    assert again.status_code == 201 and again.json()["discount_minor"] == 500
    illegal = await client.post(f"/api/bookings/{booking['id']}/confirm", headers=first.headers)
    assert illegal.status_code == 409 and illegal.json()["code"] == "invalid_transition"
    twice = await client.delete(f"/api/bookings/{booking['id']}", headers=first.headers)
    assert twice.status_code == 409 and twice.json()["code"] == "invalid_transition"


async def test_expiry_returns_inventory_and_coupon(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Tiny", 1000, 3)])
    await single_use_coupon(client, organizer, event, code="EXPIRING", amount=10)
    (buyer,) = await make_buyers(1)
    booking = (await book(client, buyer, order(event, 3, coupon_code="EXPIRING"))).json()
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 3, "sold": 0, "held": 3}
    await expire_now(runtime, booking["id"])
    expired = (await client.get(f"/api/bookings/{booking['id']}", headers=buyer.headers)).json()
    assert expired["status"] == "expired" and expired["expired_at"]
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 3, "sold": 0, "held": 0}
    assert (await sql(runtime, "SELECT used_count FROM coupons"))[0].used_count == 0
    illegal = await client.delete(f"/api/bookings/{booking['id']}", headers=buyer.headers)
    assert illegal.status_code == 409


async def test_late_payment_confirms_when_seats_are_still_free(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 1000, 5)])
    (buyer,) = await make_buyers(1)
    booking = (await book(client, buyer, order(event, 2))).json()
    await pay_with_mock_card(client, buyer, booking["id"])
    await expire_now(runtime, booking["id"])
    confirmed = await client.post(f"/api/bookings/{booking['id']}/confirm", headers=buyer.headers)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 5, "sold": 2, "held": 0}


async def test_late_payment_is_refunded_when_the_seats_are_gone(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Tiny", 1000, 1)])
    slow, fast = await make_buyers(2)
    booking = (await book(client, slow, order(event))).json()
    await pay_with_mock_card(client, slow, booking["id"])
    await expire_now(runtime, booking["id"])
    taken = (await book(client, fast, order(event))).json()
    assert (await client.post(f"/api/bookings/{taken['id']}/payment", headers=fast.headers)).status_code == 201

    late = await client.post(f"/api/bookings/{booking['id']}/confirm", headers=slow.headers)
    assert late.status_code == 409 and late.json()["code"] == "seats_gone_refunding"
    await drain_jobs()
    state = (await client.get(f"/api/bookings/{booking['id']}", headers=slow.headers)).json()
    assert state["status"] == "expired" and state["refunded_minor"] == 1000
    refunds = (await client.get(f"/api/bookings/{booking['id']}/refunds", headers=slow.headers)).json()
    assert [(r["status"], r["amount_minor"], r["reason"]) for r in refunds] == [
        ("succeeded", 1000, "seats_gone_after_expiry")
    ]
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 1, "sold": 0, "held": 1}


async def test_cancel_paid_refunds_within_policy_and_organizer_any_time(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2000, 10)], refund_until_hours=48)
    strict = await make_event(organizer.user, tiers=[("Standard", 2000, 10)], refund_until_hours=None)
    (buyer,) = await make_buyers(1)

    async def paid_booking(ev: Any) -> str:
        booking_id: str = (await book(client, buyer, order(ev, 2))).json()["id"]
        await pay_with_mock_card(client, buyer, booking_id)
        assert (await client.post(f"/api/bookings/{booking_id}/confirm", headers=buyer.headers)).status_code == 200
        return booking_id

    refundable = await paid_booking(event)
    cancelled = await client.delete(f"/api/bookings/{refundable}", headers=buyer.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    await drain_jobs()
    assert (await client.get(f"/api/bookings/{refundable}", headers=buyer.headers)).json()["refunded_minor"] == 4000
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 0, "held": 0}

    locked_in = await paid_booking(strict)
    refused = await client.delete(f"/api/bookings/{locked_in}", headers=buyer.headers)
    assert refused.status_code == 409 and refused.json()["code"] == "refund_not_allowed"
    by_organizer = await client.delete(
        f"/api/bookings/{locked_in}", headers=organizer.headers, params={"reason": "Venue change"}
    )
    assert by_organizer.status_code == 200 and by_organizer.json()["cancel_reason"] == "Venue change"
    await drain_jobs()
    assert (await client.get(f"/api/bookings/{locked_in}", headers=buyer.headers)).json()["refunded_minor"] == 4000
    templates = [m.template for m in await mails_to(runtime, buyer.user.email)]
    assert templates.count("booking_cancelled") == 2


async def test_refund_window_closes_before_the_event(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any
) -> None:
    soon = await make_event(
        organizer.user, tiers=[("Standard", 2000, 10)], refund_until_hours=72, starts_in=timedelta(hours=24)
    )
    (buyer,) = await make_buyers(1)
    booking_id = (await book(client, buyer, order(soon))).json()["id"]
    await pay_with_mock_card(client, buyer, booking_id)
    confirmed = await client.post(f"/api/bookings/{booking_id}/confirm", headers=buyer.headers)
    assert confirmed.status_code == 200, confirmed.text
    refused = await client.delete(f"/api/bookings/{booking_id}", headers=buyer.headers)
    assert refused.status_code == 409 and "72 hours" in refused.json()["detail"]


async def test_expiry_sweeper_is_safe_to_run_concurrently(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    import asyncio

    from boxoffice.bookings.service import expire_due_holds

    event = await make_event(organizer.user, tiers=[("Standard", 1000, 50)])
    buyers = await make_buyers(5)
    for buyer in buyers:
        for _ in range(4):
            await book(client, buyer, order(event))
    await sql(runtime, "UPDATE bookings SET hold_expires_at = now() - interval '1 minute'")

    async def sweep() -> int:
        async with unit_of_work(runtime.sessionmaker) as session:
            return await expire_due_holds(session, runtime, limit=7)

    results = await asyncio.gather(*[sweep() for _ in range(6)])
    while (more := await sweep()) > 0:
        results.append(more)
    assert sum(results) == 20
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 50, "sold": 0, "held": 0}


async def test_more_seats_lift_the_sold_out_flag_at_once(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    """An organizer who adds seats after a sell-out must not see buyers refused by the (30 s) flag."""
    event = await make_event(organizer.user, tiers=[("Tiny", 1000, 1)])
    tier = event.ticket_types[0]
    first, second = await make_buyers(2)
    assert (await book(client, first, order(event))).status_code == 201
    assert (await book(client, second, order(event))).json()["code"] == "sold_out"
    assert await runtime.redis.get(inventory.sold_out_key(tier.id)) is not None

    etag = (await client.get(f"/api/events/{event.id}", headers=organizer.headers)).headers["etag"]
    more = await client.put(
        f"/api/events/{event.id}/ticket-types/{tier.id}",
        json={"capacity": 3},
        headers={**organizer.headers, "If-Match": etag},
    )
    assert more.status_code == 200, more.text
    assert await runtime.redis.get(inventory.sold_out_key(tier.id)) is None
    again = await book(client, second, order(event))
    assert again.status_code == 201, again.text
