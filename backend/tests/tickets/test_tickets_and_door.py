"""Tickets are issued on confirmation and checked in exactly once at the door."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from boxoffice.models import Role
from boxoffice.tickets import codes
from tests.fixtures.auth import Buyer
from tests.tickets.conftest import paid_booking, tickets_of


async def validate(client: httpx.AsyncClient, who: Buyer, code: str, **extra: Any) -> httpx.Response:
    return await client.post("/api/tickets/validate", json={"code": code, **extra}, headers=who.headers)


async def test_confirmation_issues_one_signed_ticket_per_seat(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, make_buyers: Any, settings: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)])
    buyer, stranger = await make_buyers(2)
    booking_id = await paid_booking(client, buyer, event, 3)
    tickets = await tickets_of(client, buyer, booking_id)
    assert len(tickets) == 3 and {t["status"] for t in tickets} == {"valid"}
    assert len({t["code"] for t in tickets}) == 3
    for ticket in tickets:
        decoded = codes.verify(ticket["code"], secret=settings.ticket_signing_secret, accepted_key_ids={1})
        assert decoded.ticket_id == uuid.UUID(ticket["id"]) and decoded.event_id == event.id

    qr = await client.get(tickets[0]["qr_url"], headers=buyer.headers)
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/svg+xml" and b"<svg" in qr.content
    pdf = await client.get(tickets[0]["pdf_url"], headers=buyer.headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Other people cannot see them.
    assert (await client.get(tickets[0]["qr_url"], headers=stranger.headers)).status_code == 404
    assert (await client.get(f"/api/bookings/{booking_id}/tickets", headers=stranger.headers)).status_code == 404


async def test_door_check_in_once_with_clear_refusals(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, make_buyers: Any, make_user: Any, token_for: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)])
    other_event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)])
    (buyer,) = await make_buyers(1)
    ticket = (await tickets_of(client, buyer, await paid_booking(client, buyer, event, 1)))[0]

    # A customer is not door staff; a door-staff grant changes that.
    door_user = await make_user(Role.CUSTOMER, name="Dora Door")
    door = Buyer(door_user, await token_for(door_user))
    refused = await validate(client, door, ticket["code"])
    assert refused.status_code == 403 and refused.json()["code"] == "not_door_staff"
    granted = await client.post(
        f"/api/events/{event.id}/staff", json={"email": door_user.email}, headers=organizer.headers
    )
    assert granted.status_code == 201

    lookup = await client.get("/api/tickets/lookup", params={"code": ticket["code"]}, headers=door.headers)
    assert lookup.status_code == 200 and lookup.json()["status"] == "valid"

    wrong_door = await validate(client, door, ticket["code"], event_id=str(other_event.id))
    assert wrong_door.status_code == 409 and wrong_door.json()["code"] == "wrong_event"

    admitted = await validate(client, door, ticket["code"], event_id=str(event.id))
    assert admitted.status_code == 200, admitted.text
    assert admitted.json()["result"] == "admitted"
    assert (admitted.json()["checked_in"], admitted.json()["sold"]) == (1, 1)

    again = await validate(client, door, ticket["code"])
    assert again.status_code == 409 and again.json()["code"] == "already_checked_in"
    assert "by Dora Door" in again.json()["detail"]

    forged = ticket["code"][:-4] + ("AAAA" if not ticket["code"].endswith("AAAA") else "BBBB")
    bad = await validate(client, door, forged)
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_ticket"
    assert (await validate(client, door, "not-a-ticket-code")).status_code == 400

    # Door staff cannot undo; the organizer can.
    assert (await client.post(f"/api/tickets/{ticket['id']}/undo-checkin", headers=door.headers)).status_code == 403
    undone = await client.post(f"/api/tickets/{ticket['id']}/undo-checkin", headers=organizer.headers)
    assert undone.status_code == 200 and undone.json()["status"] == "valid"
    assert (await validate(client, door, ticket["code"])).status_code == 200

    # Revoked staff are refused again.
    await client.delete(f"/api/events/{event.id}/staff/{door_user.id}", headers=organizer.headers)
    assert (await validate(client, door, ticket["code"])).status_code == 403


async def test_refunded_tickets_are_void_at_the_door(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, make_buyers: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Standard", 2500, 10)], refund_until_hours=24)
    (buyer,) = await make_buyers(1)
    booking_id = await paid_booking(client, buyer, event, 1)
    ticket = (await tickets_of(client, buyer, booking_id))[0]
    assert (await client.delete(f"/api/bookings/{booking_id}", headers=buyer.headers)).status_code == 200
    assert (await tickets_of(client, buyer, booking_id))[0]["status"] == "void"
    refused = await validate(client, organizer, ticket["code"])
    assert refused.status_code == 409 and refused.json()["code"] == "ticket_void"
    assert "refunded" in refused.json()["detail"]


async def test_concurrent_double_scan_admits_exactly_once(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, make_buyers: Any
) -> None:
    event = await make_event(organizer.user)
    (buyer,) = await make_buyers(1)
    ticket = (await tickets_of(client, buyer, await paid_booking(client, buyer, event, 1)))[0]
    responses = await asyncio.gather(*[validate(client, organizer, ticket["code"]) for _ in range(20)])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 19
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"already_checked_in"}


async def test_key_rotation_keeps_old_codes_valid(settings: Any) -> None:
    ticket_id, event_id = uuid.uuid4(), uuid.uuid4()
    old = codes.sign(ticket_id, event_id, secret="s" * 40, key_id=1)
    new = codes.sign(ticket_id, event_id, secret="s" * 40, key_id=2)
    assert old != new
    assert codes.verify(old, secret="s" * 40, accepted_key_ids={1, 2}).key_id == 1
    assert codes.verify(new, secret="s" * 40, accepted_key_ids={1, 2}).key_id == 2
    with pytest.raises(codes.BadCode):
        codes.verify(old, secret="s" * 40, accepted_key_ids={2})  # key 1 retired
    with pytest.raises(codes.BadCode):
        codes.verify(old, secret="t" * 40, accepted_key_ids={1})  # another deployment's secret


async def test_public_keys_verify_codes_offline(client: httpx.AsyncClient, settings: Any) -> None:
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    keys = (await client.get("/api/tickets/keys")).json()
    code = codes.sign(uuid.uuid4(), uuid.uuid4(), secret=settings.ticket_signing_secret, key_id=1)
    _, payload, signature = code.split(".")
    raw = base64.urlsafe_b64decode(keys[0]["public_key"] + "==")
    Ed25519PublicKey.from_public_bytes(raw).verify(
        base64.urlsafe_b64decode(signature + "=="), base64.urlsafe_b64decode(payload + "==")
    )


async def test_door_list_and_summary(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, make_buyers: Any
) -> None:
    event = await make_event(organizer.user, title="Door Test")
    buyer, outsider = await make_buyers(2)
    await paid_booking(client, buyer, event, 2)
    doors = (await client.get("/api/tickets/doors", headers=organizer.headers)).json()
    assert [d["title"] for d in doors] == ["Door Test"] and doors[0]["role"] == "organizer"
    assert (await client.get("/api/tickets/doors", headers=outsider.headers)).json() == []
    summary = await client.get(f"/api/events/{event.id}/checkins/summary", headers=organizer.headers)
    assert summary.json() == {"event_id": str(event.id), "checked_in": 0, "sold": 2}
    assert (await client.get(f"/api/events/{event.id}/checkins/summary", headers=outsider.headers)).status_code == 403
