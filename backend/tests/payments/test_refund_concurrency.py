"""Partial refunds under concurrency, against real PostgreSQL:

- 20 simultaneous refunds of the same ticket refund it once (one refund, one voided ticket, one seat
  back on sale);
- simultaneous refunds of every ticket of a booking add up to its total and cancel it once;
- the control: the same harness without the row locks and the conditional void does refund the
  ticket several times (so the first test can fail).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice.auth.dependencies import Principal
from boxoffice.bookings import service as bookings
from boxoffice.models import Ticket, TicketStatus
from boxoffice.payments import service as payments
from boxoffice.tickets import service as tickets_service
from tests.bookings.conftest import counters, gather_limited, sql
from tests.fixtures.auth import Buyer
from tests.jobs_helpers import drain_jobs
from tests.tickets.conftest import paid_booking, tickets_of

REQUESTS = 20


async def _refund(client: httpx.AsyncClient, who: Buyer, booking_id: str, *ticket_ids: str) -> httpx.Response:
    return await client.post(
        f"/api/bookings/{booking_id}/refunds", json={"ticket_ids": list(ticket_ids)}, headers=who.headers
    )


def _outcome(responses: list[httpx.Response]) -> Counter[str]:
    return Counter(str(r.status_code) if r.status_code == 201 else r.json()["code"] for r in responses)


async def test_twenty_concurrent_refunds_of_one_ticket_refund_it_once(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)], refund_until_hours=48)
    (buyer,) = await make_buyers(1)
    booking_id = await paid_booking(client, buyer, event, 3)
    ticket = (await tickets_of(client, buyer, booking_id))[0]["id"]

    # The customer and the organizer, both clicking "refund" many times at once.
    who = [buyer, organizer]
    responses = await gather_limited(
        [_refund(client, who[i % 2], booking_id, ticket) for i in range(REQUESTS)], limit=REQUESTS
    )
    outcome = _outcome(responses)
    assert outcome == {"201": 1, "ticket_already_refunded": REQUESTS - 1}, outcome
    refunds = await sql(runtime, "SELECT amount_minor, ticket_ids FROM refunds WHERE booking_id = :b", b=booking_id)
    assert [(r.amount_minor, r.ticket_ids) for r in refunds] == [(2500, [ticket])]
    voided = await sql(
        runtime, "SELECT count(*) AS n FROM tickets WHERE booking_id = :b AND status = 'void'", b=booking_id
    )
    assert voided[0].n == 1
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 2, "held": 0}
    await drain_jobs()
    row = await sql(runtime, "SELECT status, refunded_minor FROM bookings WHERE id = :b", b=booking_id)
    assert (row[0].status, row[0].refunded_minor) == ("confirmed", 2500)


async def test_concurrent_refunds_of_every_ticket_add_up_to_the_total_and_cancel_once(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 3333, 10)], refund_until_hours=48)
    (buyer,) = await make_buyers(1)
    booking_id = await paid_booking(client, buyer, event, 4)
    ids = [t["id"] for t in await tickets_of(client, buyer, booking_id)]
    # Each ticket alone, twice, plus the whole booking: whatever the order, the money adds up.
    calls = [_refund(client, buyer, booking_id, t) for t in ids * 2]
    calls.append(client.delete(f"/api/bookings/{booking_id}", headers=buyer.headers))
    responses = await asyncio.gather(*calls)
    assert {r.status_code for r in responses} <= {200, 201, 409}, [r.text for r in responses]
    await drain_jobs()
    row = await sql(runtime, "SELECT status, total_minor, refunded_minor FROM bookings WHERE id = :b", b=booking_id)
    assert row[0].status == "cancelled"
    assert row[0].refunded_minor == row[0].total_minor == 4 * 3333
    refunded = await sql(runtime, "SELECT sum(amount_minor) AS n FROM refunds WHERE booking_id = :b", b=booking_id)
    assert refunded[0].n == 4 * 3333
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 0, "held": 0}
    mails = await sql(
        runtime,
        "SELECT count(*) AS n FROM mail_messages WHERE template = 'booking_cancelled' AND to_address = :a",
        a=buyer.user.email,
    )
    assert mails[0].n == 1


async def test_control_without_the_locks_the_same_ticket_is_refunded_twice(
    client: httpx.AsyncClient,
    make_event: Any,
    organizer: Buyer,
    make_buyers: Any,
    runtime: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same harness with the guards removed (no FOR UPDATE on the booking and its tickets, and
    a void that does not check the ticket is still valid) must refund the ticket more than once,
    which proves the test above is able to catch a missing lock."""

    readers = 0
    two_have_read = asyncio.Event()

    async def unlocked(session: AsyncSession, principal: Principal, booking_id: uuid.UUID) -> Any:
        nonlocal readers
        booking, event, is_staff = await bookings.managed_booking(session, principal, booking_id)
        issued = await tickets_service.for_booking(session, booking.id)
        readers += 1
        if readers >= 2:
            two_have_read.set()
        # The gap between the read and the write that real servers have too (here: until a second
        # request has read, or a second at most).
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(two_have_read.wait(), timeout=1)
        return payments._Locked(booking, event, is_staff, {t.id: t for t in issued})

    async def void_unconditionally(
        session: AsyncSession, booking_id: uuid.UUID, ticket_ids: list[uuid.UUID], reason: str, **_: Any
    ) -> list[uuid.UUID]:
        await session.execute(
            update(Ticket).where(Ticket.id.in_(ticket_ids)).values(status=TicketStatus.VOID, void_reason=reason)
        )
        return ticket_ids

    monkeypatch.setattr(payments, "_lock_booking_and_tickets", unlocked)
    monkeypatch.setattr(tickets_service, "void_tickets", void_unconditionally)
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 100)], refund_until_hours=48)
    (buyer,) = await make_buyers(1)
    booking_id = await paid_booking(client, buyer, event, 3)
    # Other sales, so that releasing the seat many times does not hit the counter's CHECK (sold >= 0).
    await sql(runtime, "UPDATE ticket_types SET sold = sold + 30 WHERE id = :t", t=event.ticket_types[0].id)
    ticket = (await tickets_of(client, buyer, booking_id))[0]["id"]

    responses = await gather_limited(
        [_refund(client, buyer, booking_id, ticket) for _ in range(REQUESTS)], limit=REQUESTS
    )
    outcome = _outcome(responses)
    released = 33 - (await counters(runtime, event.ticket_types[0].id))["sold"]
    assert outcome["201"] > 1 and released > 1, (
        f"the unguarded harness should refund twice: {outcome}, released {released}"
    )
