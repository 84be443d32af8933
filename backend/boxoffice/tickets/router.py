"""HTTP layer of tickets, the door check and door staff."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from boxoffice.auth.dependencies import CurrentUser, OrganizerUser
from boxoffice.bookings import service as bookings
from boxoffice.deps import SessionDep, SettingsDep
from boxoffice.errors import error_responses
from boxoffice.models import Event, TicketType
from boxoffice.rate_limits import door_limit
from boxoffice.tickets import codes, render, service
from boxoffice.tickets.schemas import (
    CheckInResult,
    CheckInSummary,
    DoorEvent,
    PublicKey,
    StaffGrant,
    StaffRead,
    TicketRead,
    ValidateRequest,
)

router = APIRouter(tags=["tickets"])


@router.get("/bookings/{booking_id}/tickets", operation_id="tickets-for-booking", responses=error_responses(401, 404))
async def booking_tickets(booking_id: uuid.UUID, principal: CurrentUser, session: SessionDep) -> list[TicketRead]:
    """The tickets of one of your bookings (one per seat, issued when the booking is confirmed), with
    what each one cost. The event's organizer and admins see them too (to refund some of them)."""
    booking, _, _ = await bookings.managed_booking(session, principal, booking_id)
    found = await service.for_booking(session, booking_id)
    return await service.to_reads(session, found, paid=await bookings.seat_prices(session, booking) if found else None)


@router.get(
    "/tickets/{ticket_id}/qr.svg",
    operation_id="tickets-qr",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}, **error_responses(401, 404)},
)
async def ticket_qr(ticket_id: uuid.UUID, principal: CurrentUser, session: SessionDep) -> Response:
    ticket = await service.visible_ticket(session, principal, ticket_id)
    return Response(render.qr_svg(ticket.code), media_type="image/svg+xml", headers={"Cache-Control": "private"})


@router.get(
    "/tickets/{ticket_id}/pdf",
    operation_id="tickets-pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **error_responses(401, 404)},
)
async def ticket_pdf(ticket_id: uuid.UUID, principal: CurrentUser, session: SessionDep) -> Response:
    ticket = await service.visible_ticket(session, principal, ticket_id)
    event = await session.get(Event, ticket.event_id)
    ticket_type = await session.get(TicketType, ticket.ticket_type_id)
    assert event is not None and ticket_type is not None
    document = render.ticket_pdf(
        code=ticket.code,
        event_title=event.title,
        starts=render.local_time(event.starts_at, event.timezone),
        venue=", ".join(p for p in (event.venue_name, event.address, event.city) if p) or "Online",
        ticket_type=ticket_type.name,
        attendee=ticket.attendee_name,
        reference=str(ticket.id)[:8].upper(),
    )
    return Response(
        document,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="ticket-{str(ticket.id)[:8]}.pdf"'},
    )


@router.post(
    "/tickets/validate",
    operation_id="tickets-validate",
    responses=error_responses(400, 401, 403, 409, 422, 429),
    dependencies=[Depends(door_limit)],
)
async def validate(
    body: ValidateRequest, principal: CurrentUser, session: SessionDep, settings: SettingsDep
) -> CheckInResult:
    """Check a ticket in (door staff of its event, its organizer, admins). Exactly once: a second
    scan answers 409 ``already_checked_in`` with when and by whom; void tickets 409 ``ticket_void``;
    another event's ticket 409 ``wrong_event``; anything not issued by us 400 ``invalid_ticket``.
    Rate limited per account (429 with Retry-After)."""
    ticket = await service.check_in(session, settings, principal, body.code, body.event_id)
    counts = await service.summary(session, ticket.event_id)
    return CheckInResult(
        result="admitted",
        ticket=(await service.to_reads(session, [ticket]))[0],
        checked_in=counts.checked_in,
        sold=counts.sold,
    )


@router.get(
    "/tickets/lookup",
    operation_id="tickets-lookup",
    responses=error_responses(400, 401, 403, 422, 429),
    dependencies=[Depends(door_limit)],
)
async def lookup(
    code: Annotated[str, Query(min_length=10, max_length=300)],
    principal: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> TicketRead:
    """A ticket's state without checking it in."""
    ticket = await service.lookup(session, settings, principal, code)
    return (await service.to_reads(session, [ticket]))[0]


@router.post(
    "/tickets/{ticket_id}/undo-checkin",
    operation_id="tickets-undo-checkin",
    responses=error_responses(401, 403, 404, 409),
)
async def undo_check_in(ticket_id: uuid.UUID, principal: CurrentUser, session: SessionDep) -> TicketRead:
    """Undo a check-in made by mistake (the event's organizer or an admin)."""
    ticket = await service.undo_check_in(session, principal, ticket_id)
    return (await service.to_reads(session, [ticket]))[0]


@router.get("/tickets/doors", operation_id="tickets-doors", responses=error_responses(401))
async def doors(principal: CurrentUser, session: SessionDep) -> list[DoorEvent]:
    """Upcoming events you may check tickets in for."""
    return await service.my_doors(session, principal)


@router.get("/tickets/keys", operation_id="tickets-keys")
async def keys(settings: SettingsDep) -> list[PublicKey]:
    """Public keys that verify ticket codes offline (Ed25519)."""
    return [
        PublicKey(key_id=key_id, public_key=codes.public_key_b64(settings.ticket_signing_secret, key_id))
        for key_id in settings.ticket_accepted_key_ids
    ]


@router.get(
    "/events/{event_id}/checkins/summary", operation_id="tickets-checkin-summary", responses=error_responses(401, 403)
)
async def checkin_summary(event_id: uuid.UUID, principal: CurrentUser, session: SessionDep) -> CheckInSummary:
    await service.require_door_access(session, principal, event_id)
    return await service.summary(session, event_id)


@router.get("/events/{event_id}/staff", operation_id="tickets-staff-list", responses=error_responses(401, 403, 404))
async def staff_list(event_id: uuid.UUID, principal: OrganizerUser, session: SessionDep) -> list[StaffRead]:
    return [
        StaffRead(user_id=user.id, email=user.email, full_name=user.full_name, created_at=staff.created_at)
        for staff, user in await service.list_staff(session, principal, event_id)
    ]


@router.post(
    "/events/{event_id}/staff",
    operation_id="tickets-staff-grant",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 422),
)
async def staff_grant(
    event_id: uuid.UUID, body: StaffGrant, principal: OrganizerUser, session: SessionDep
) -> StaffRead:
    """Put someone (by their account email) on the door list of your event."""
    user = await service.grant_staff(session, principal, event_id, body.email)
    rows = await service.list_staff(session, principal, event_id)
    staff = next(s for s, u in rows if u.id == user.id)
    return StaffRead(user_id=user.id, email=user.email, full_name=user.full_name, created_at=staff.created_at)


@router.delete(
    "/events/{event_id}/staff/{user_id}",
    operation_id="tickets-staff-revoke",
    status_code=204,
    responses=error_responses(401, 403, 404),
)
async def staff_revoke(
    event_id: uuid.UUID, user_id: uuid.UUID, principal: OrganizerUser, session: SessionDep
) -> Response:
    await service.revoke_staff(session, principal, event_id, user_id)
    return Response(status_code=204)
