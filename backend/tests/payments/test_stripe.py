"""Stripe mode against localstripe: pay -> confirm -> refund, webhooks exactly once, the breaker."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from boxoffice.main import create_app
from boxoffice.models import Role
from tests.bookings.conftest import book, counters, order, sql
from tests.fixtures.auth import Buyer, mails_to
from tests.fixtures.stripe import event_payload, pay_at_localstripe, sign, stripe_settings
from tests.jobs_helpers import drain_jobs


@pytest.fixture
async def app(settings: Any, localstripe: str) -> AsyncIterator[Any]:
    """Every test in this module runs the app in Stripe mode against localstripe."""
    application = create_app(settings.model_copy(update=stripe_settings(localstripe)))
    async with application.router.lifespan_context(application):
        yield application
        await drain_jobs()


@pytest.fixture
async def people(make_user: Any, token_for: Any) -> tuple[Buyer, Buyer]:
    organizer, customer = await make_user(Role.ORGANIZER), await make_user(Role.CUSTOMER)
    return Buyer(organizer, await token_for(organizer)), Buyer(customer, await token_for(customer))


async def test_pay_confirm_refund_cycle(
    client: httpx.AsyncClient, runtime: Any, people: Any, make_event: Any, localstripe: str
) -> None:
    http = client
    organizer, buyer = people
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)], refund_until_hours=24)
    booking = (await book(http, buyer, order(event, 2))).json()

    started = await http.post(f"/api/bookings/{booking['id']}/payment", headers=buyer.headers)
    assert started.status_code == 201, started.text
    body = started.json()
    assert body["provider"] == "stripe" and body["demo_mode"] is False
    assert body["client_secret"].startswith("pi_")
    intent_id = body["client_secret"].split("_secret_")[0]
    # Reloading the checkout reuses the same intent.
    again = await http.post(f"/api/bookings/{booking['id']}/payment", headers=buyer.headers)
    assert again.json()["payment"]["id"] == body["payment"]["id"]

    not_yet = await http.post(f"/api/bookings/{booking['id']}/confirm", headers=buyer.headers)
    assert not_yet.status_code == 402 and not_yet.json()["code"] == "payment_requires_payment"

    paid = await pay_at_localstripe(localstripe, intent_id)
    assert paid["status"] == "succeeded"
    confirmed = await http.post(f"/api/bookings/{booking['id']}/confirm", headers=buyer.headers)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 2, "held": 0}

    cancelled = await http.delete(f"/api/bookings/{booking['id']}", headers=buyer.headers)
    assert cancelled.status_code == 200
    await drain_jobs()
    refunds = (await http.get(f"/api/bookings/{booking['id']}/refunds", headers=buyer.headers)).json()
    assert [(r["status"], r["amount_minor"]) for r in refunds] == [("succeeded", 5000)]
    async with httpx.AsyncClient(base_url=localstripe, auth=("sk_test_boxoffice", "")) as stripe_http:
        listed = (await stripe_http.get("/v1/refunds", params={"payment_intent": intent_id})).json()
    assert sum(r["amount"] for r in listed["data"]) == 5000


async def test_partial_refunds_reach_stripe_with_each_seats_amount(
    client: httpx.AsyncClient, runtime: Any, people: Any, make_event: Any, localstripe: str
) -> None:
    http = client
    organizer, buyer = people
    event = await make_event(organizer.user, tiers=[("Odd price", 3333, 10)], refund_until_hours=24)
    coupon = await http.post(
        "/api/coupons",
        headers=organizer.headers,
        json={"code": "STRIPE10", "event_id": str(event.id), "kind": "fixed", "amount": 1000, "currency": "EUR"},
    )
    assert coupon.status_code == 201, coupon.text
    booking = (await book(http, buyer, order(event, 3, coupon_code="STRIPE10"))).json()
    assert booking["total_minor"] == 8999
    secret = (await http.post(f"/api/bookings/{booking['id']}/payment", headers=buyer.headers)).json()["client_secret"]
    intent_id = secret.split("_secret_")[0]
    await pay_at_localstripe(localstripe, intent_id)
    assert (await http.post(f"/api/bookings/{booking['id']}/confirm", headers=buyer.headers)).status_code == 200
    tickets = (await http.get(f"/api/bookings/{booking['id']}/tickets", headers=buyer.headers)).json()
    assert sorted(t["paid_minor"] for t in tickets) == [2999, 3000, 3000]
    first = next(t for t in tickets if t["paid_minor"] == 3000)

    async def at_stripe() -> list[int]:
        async with httpx.AsyncClient(base_url=localstripe, auth=("sk_test_boxoffice", "")) as stripe_http:
            listed = (await stripe_http.get("/v1/refunds", params={"payment_intent": intent_id})).json()
        return sorted(r["amount"] for r in listed["data"])

    one = await http.post(
        f"/api/bookings/{booking['id']}/refunds", json={"ticket_ids": [first["id"]]}, headers=buyer.headers
    )
    assert one.status_code == 201 and one.json()["amount_minor"] == first["paid_minor"] == 3000
    await drain_jobs()
    assert await at_stripe() == [3000]
    rest = [t["id"] for t in tickets if t["id"] != first["id"]]
    by_organizer = await http.post(
        f"/api/bookings/{booking['id']}/refunds", json={"ticket_ids": rest}, headers=organizer.headers
    )
    assert by_organizer.status_code == 201 and by_organizer.json()["amount_minor"] == 5999
    assert by_organizer.json()["booking"]["status"] == "cancelled"
    await drain_jobs()
    assert await at_stripe() == [3000, 5999]
    state = (await http.get(f"/api/bookings/{booking['id']}", headers=buyer.headers)).json()
    assert state["refunded_minor"] == state["total_minor"] == 8999
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 0, "held": 0}


async def test_declined_card_is_reported_not_confirmed(
    client: httpx.AsyncClient, runtime: Any, people: Any, make_event: Any, localstripe: str
) -> None:
    http = client
    organizer, buyer = people
    event = await make_event(organizer.user)
    booking = (await book(http, buyer, order(event))).json()
    secret = (await http.post(f"/api/bookings/{booking['id']}/payment", headers=buyer.headers)).json()["client_secret"]
    await pay_at_localstripe(
        localstripe, secret.split("_secret_")[0], card="4000000000000341"
    )  # localstripe: attaches, then the charge is declined
    refused = await http.post(f"/api/bookings/{booking['id']}/confirm", headers=buyer.headers)
    assert refused.status_code == 402
    state = (await http.get(f"/api/bookings/{booking['id']}", headers=buyer.headers)).json()
    assert state["status"] == "pending_payment"
    # Declines prove Stripe works: they never trip the breaker.
    assert (await http.get("/health/ready")).json()["circuits"]["stripe"] == "closed"


async def _paid_intent(http: httpx.AsyncClient, buyer: Buyer, event: Any, localstripe: str) -> tuple[str, str]:
    booking = (await book(http, buyer, order(event, 2))).json()
    secret = (await http.post(f"/api/bookings/{booking['id']}/payment", headers=buyer.headers)).json()["client_secret"]
    intent_id = secret.split("_secret_")[0]
    await pay_at_localstripe(localstripe, intent_id)
    return booking["id"], intent_id


async def test_webhook_delivered_50_times_concurrently_applies_once(
    client: httpx.AsyncClient, runtime: Any, people: Any, make_event: Any, localstripe: str
) -> None:
    http = client
    organizer, buyer = people
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)])
    booking_id, intent_id = await _paid_intent(http, buyer, event, localstripe)
    payload = event_payload(
        "evt_succeeded_1",
        "payment_intent.succeeded",
        {
            "id": intent_id,
            "object": "payment_intent",
            "amount": 5000,
            "amount_received": 5000,
            "currency": "eur",
            "status": "succeeded",
        },
    )

    async def deliver() -> httpx.Response:
        return await http.post(
            "/api/webhooks/stripe",
            content=payload,
            headers={"Stripe-Signature": sign(payload), "Content-Type": "application/json"},
        )

    responses = await asyncio.gather(*[deliver() for _ in range(50)])
    assert {r.status_code for r in responses} == {200}
    assert sum(not r.json()["duplicate"] for r in responses) == 1
    state = (await http.get(f"/api/bookings/{booking_id}", headers=buyer.headers)).json()
    assert state["status"] == "confirmed"
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 2, "held": 0}
    assert (await sql(runtime, "SELECT count(*) AS n FROM provider_events"))[0].n == 1
    await drain_jobs()
    assert [m.template for m in await mails_to(runtime, buyer.user.email)] == ["booking_confirmed"]
    # The client's confirm call afterwards is a no-op.
    assert (await http.post(f"/api/bookings/{booking_id}/confirm", headers=buyer.headers)).status_code == 200
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 2, "held": 0}


async def test_forged_stale_and_unsigned_webhooks_change_nothing(
    client: httpx.AsyncClient, runtime: Any, people: Any, make_event: Any, localstripe: str
) -> None:
    http = client
    organizer, buyer = people
    event = await make_event(organizer.user)
    booking_id, intent_id = await _paid_intent(http, buyer, event, localstripe)
    payload = event_payload(
        "evt_forged",
        "payment_intent.succeeded",
        {"id": intent_id, "amount": 5000, "currency": "eur", "status": "succeeded"},
    )
    attempts = {
        "wrong secret": sign(payload, secret="whsec_attacker"),
        "stale": sign(payload, timestamp=int(time.time()) - 3600),
        "tampered": sign(payload.replace(b"5000", b"5001")),
        "garbage": "t=1,v1=deadbeef",
    }
    for name, signature in attempts.items():
        response = await http.post("/api/webhooks/stripe", content=payload, headers={"Stripe-Signature": signature})
        assert response.status_code == 400, name
        assert response.json()["code"] == "invalid_signature"
    missing = await http.post("/api/webhooks/stripe", content=payload)
    assert missing.status_code == 400
    assert (await sql(runtime, "SELECT count(*) AS n FROM provider_events"))[0].n == 0
    state = (await http.get(f"/api/bookings/{booking_id}", headers=buyer.headers)).json()
    assert state["status"] == "pending_payment"


async def test_out_of_order_failure_after_success_does_not_downgrade(
    client: httpx.AsyncClient, runtime: Any, people: Any, make_event: Any, localstripe: str
) -> None:
    http = client
    organizer, buyer = people
    event = await make_event(organizer.user)
    booking_id, intent_id = await _paid_intent(http, buyer, event, localstripe)
    events = [
        ("evt_2", "payment_intent.succeeded", {"id": intent_id, "amount": 5000, "currency": "eur"}),
        (
            "evt_1",
            "payment_intent.payment_failed",
            {"id": intent_id, "amount": 5000, "currency": "eur", "last_payment_error": {"code": "card_declined"}},
        ),
    ]
    for event_id, kind, obj in events:
        payload = event_payload(event_id, kind, obj)
        response = await http.post("/api/webhooks/stripe", content=payload, headers={"Stripe-Signature": sign(payload)})
        assert response.status_code == 200
    payments = await sql(runtime, "SELECT status FROM payments")
    assert [p.status for p in payments] == ["succeeded"]
    assert (await http.get(f"/api/bookings/{booking_id}", headers=buyer.headers)).json()["status"] == "confirmed"


async def test_amount_mismatch_is_flagged_not_confirmed(
    client: httpx.AsyncClient, runtime: Any, people: Any, make_event: Any, localstripe: str
) -> None:
    http = client
    organizer, buyer = people
    event = await make_event(organizer.user)
    booking_id, intent_id = await _paid_intent(http, buyer, event, localstripe)
    payload = event_payload(
        "evt_short",
        "payment_intent.succeeded",
        {"id": intent_id, "amount": 100, "amount_received": 100, "currency": "eur"},
    )
    assert (
        await http.post("/api/webhooks/stripe", content=payload, headers={"Stripe-Signature": sign(payload)})
    ).status_code == 200
    flagged = await sql(runtime, "SELECT status, flag_reason FROM payments")
    assert flagged[0].flag_reason and "100" in flagged[0].flag_reason
    assert flagged[0].status != "succeeded"
    assert (await http.get(f"/api/bookings/{booking_id}", headers=buyer.headers)).json()["status"] == "pending_payment"
