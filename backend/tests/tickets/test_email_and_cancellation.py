"""Confirmation mail over real SMTP carries QR codes that decode and validate once at the door;
mail survives SMTP outages; cancelling an event refunds everyone through a background job."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import zxingcpp
from PIL import Image

from boxoffice.main import create_app
from boxoffice.maintenance import run_once
from tests.bookings.conftest import book, order, sql
from tests.fixtures.auth import Buyer
from tests.fixtures.smtp import Inbox
from tests.jobs_helpers import drain_jobs
from tests.tickets.conftest import paid_booking, tickets_of


@pytest.fixture
async def app(settings: Any, smtp_server: tuple[Inbox, int]) -> AsyncIterator[Any]:
    """The app in this module delivers mail to the local SMTP server."""
    overrides = {
        "feature_email_enabled": True,
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp_server[1],
        "breaker_threshold": 50,
    }
    application = create_app(settings.model_copy(update=overrides))
    async with application.router.lifespan_context(application):
        yield application
        await drain_jobs()


def decode_qr(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1, "expected exactly one QR code in the image"
    return str(results[0].text)


async def test_emailed_qr_decodes_and_validates_once(
    client: httpx.AsyncClient,
    make_event: Any,
    organizer: Buyer,
    make_buyers: Any,
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, _ = smtp_server
    event = await make_event(organizer.user, title="Mailed Gala", tiers=[("Standard", 3000, 10)])
    (buyer,) = await make_buyers(1)
    booking_id = await paid_booking(client, buyer, event, 2)

    mails = inbox.to(buyer.user.email)
    assert len(mails) == 1
    mail = mails[0]
    assert "Mailed Gala" in str(mail["Subject"])
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None and "60.00 EUR" in body.get_content()
    images = [part for part in mail.iter_attachments() if part.get_content_type() == "image/png"]
    assert len(images) == 2

    codes = [decode_qr(bytes(part.get_content())) for part in images]
    issued = {t["code"] for t in await tickets_of(client, buyer, booking_id)}
    assert set(codes) == issued
    first = await client.post("/api/tickets/validate", json={"code": codes[0]}, headers=organizer.headers)
    assert first.status_code == 200 and first.json()["result"] == "admitted"
    second = await client.post("/api/tickets/validate", json={"code": codes[0]}, headers=organizer.headers)
    assert second.status_code == 409 and second.json()["code"] == "already_checked_in"


async def test_mail_waits_out_an_smtp_outage(
    client: httpx.AsyncClient,
    runtime: Any,
    make_event: Any,
    organizer: Buyer,
    make_buyers: Any,
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, _ = smtp_server
    inbox.refuse = True
    event = await make_event(organizer.user)
    (buyer,) = await make_buyers(1)
    await paid_booking(client, buyer, event, 1)
    stored = await sql(runtime, "SELECT status, attempts, last_error FROM mail_messages")
    assert [(m.status, m.attempts) for m in stored] == [("pending", 1)]
    assert "451" in stored[0].last_error
    assert inbox.to(buyer.user.email) == []

    inbox.refuse = False
    await sql(runtime, "UPDATE mail_messages SET next_attempt_at = now()")  # skip the back-off wait
    await run_once(runtime)
    assert len(inbox.to(buyer.user.email)) == 1
    assert [m.status for m in await sql(runtime, "SELECT status FROM mail_messages")] == ["sent"]
    await run_once(runtime)
    assert len(inbox.to(buyer.user.email)) == 1  # never twice


async def test_cancelling_an_event_refunds_every_booking(
    client: httpx.AsyncClient,
    runtime: Any,
    make_event: Any,
    organizer: Buyer,
    make_buyers: Any,
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, _ = smtp_server
    event = await make_event(organizer.user, tiers=[("Standard", 2000, 20)])
    buyers = await make_buyers(3)
    paid = [await paid_booking(client, b, event, 2) for b in buyers]
    pending = (await book(client, buyers[0], order(event, 1))).json()["id"]

    cancelled = await client.post(
        f"/api/events/{event.id}/cancel", json={"reason": "Storm warning"}, headers=organizer.headers
    )
    assert cancelled.status_code == 200, cancelled.text
    await drain_jobs()
    await drain_jobs()

    for buyer, booking_id in zip(buyers, paid, strict=True):
        state = (await client.get(f"/api/bookings/{booking_id}", headers=buyer.headers)).json()
        assert (state["status"], state["refunded_minor"]) == ("cancelled", 4000)
        assert {t["status"] for t in await tickets_of(client, buyer, booking_id)} == {"void"}
    assert (await client.get(f"/api/bookings/{pending}", headers=buyers[0].headers)).json()["status"] == "cancelled"
    counts = await sql(runtime, "SELECT sold, held FROM ticket_types")
    assert (counts[0].sold, counts[0].held) == (0, 0)

    progress = await client.get(f"/api/events/{event.id}/cancellation", headers=organizer.headers)
    assert progress.status_code == 200
    assert {
        k: progress.json()[k]
        for k in ("bookings_total", "bookings_cancelled", "refunds_total", "refunded", "pending", "failed")
    } == {"bookings_total": 4, "bookings_cancelled": 4, "refunds_total": 3, "refunded": 3, "pending": 0, "failed": 0}
    for buyer in buyers:
        templates = [str(m["Subject"]) for m in inbox.to(buyer.user.email)]
        assert any("was cancelled" in subject for subject in templates)
