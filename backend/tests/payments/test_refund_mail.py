"""The partial-refund mail over real SMTP, and an event cancelled after a partial refund: only the rest
is refunded and only the seats still sold are released."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from boxoffice.main import create_app
from tests.bookings.conftest import counters, sql
from tests.fixtures.auth import Buyer
from tests.fixtures.smtp import Inbox
from tests.jobs_helpers import drain_jobs
from tests.tickets.conftest import paid_booking, tickets_of


@pytest.fixture
async def app(settings: Any, smtp_server: tuple[Inbox, int]) -> AsyncIterator[Any]:
    """The app in this module delivers mail to the local SMTP server."""
    overrides = {"feature_email_enabled": True, "smtp_host": "127.0.0.1", "smtp_port": smtp_server[1]}
    application = create_app(settings.model_copy(update=overrides))
    async with application.router.lifespan_context(application):
        yield application
        await drain_jobs()


async def test_partial_refund_mail_then_event_cancellation_refunds_the_rest(
    client: httpx.AsyncClient,
    runtime: Any,
    make_event: Any,
    organizer: Buyer,
    make_buyers: Any,
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, _ = smtp_server
    event = await make_event(organizer.user, title="Harbour Gala", tiers=[("Standard", 2000, 10)])
    (buyer,) = await make_buyers(1)
    booking_id = await paid_booking(client, buyer, event, 3)
    tickets = await tickets_of(client, buyer, booking_id)

    refunded = await client.post(
        f"/api/bookings/{booking_id}/refunds",
        json={"ticket_ids": [tickets[0]["id"]], "reason": "Double booked"},
        headers=organizer.headers,
    )
    assert refunded.status_code == 201, refunded.text
    await drain_jobs()
    mail = inbox.to(buyer.user.email)[-1]
    assert str(mail["Subject"]) == f"A ticket of booking {booking_id[:8].upper()} for Harbour Gala refunded"
    text = mail.get_body(preferencelist=("plain",))
    html = mail.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    for body in (text.get_content(), html.get_content()):
        assert "20.00 EUR" in body and "Double booked" in body and tickets[0]["id"][:8].upper() in body

    cancelled = await client.post(f"/api/events/{event.id}/cancel", json={"reason": "Storm"}, headers=organizer.headers)
    assert cancelled.status_code == 200, cancelled.text
    await drain_jobs()
    await drain_jobs()
    state = (await client.get(f"/api/bookings/{booking_id}", headers=buyer.headers)).json()
    assert (state["status"], state["refunded_minor"]) == ("cancelled", 6000)
    refunds = await sql(
        runtime, "SELECT amount_minor FROM refunds WHERE booking_id = :b ORDER BY created_at", b=booking_id
    )
    assert [r.amount_minor for r in refunds] == [2000, 4000]
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 0, "held": 0}
