"""Ticket rules: issue on confirmation, void on cancellation, check in at the door, door staff."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import structlog
from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice import realtime
from boxoffice.auth.dependencies import Principal
from boxoffice.config import Settings
from boxoffice.errors import AppError, Conflict, Forbidden, NotFound
from boxoffice.models import Booking, Event, EventStaff, Ticket, TicketStatus, TicketType, User
from boxoffice.tickets import codes
from boxoffice.tickets.render import local_time
from boxoffice.tickets.schemas import CheckInSummary, DoorEvent, TicketRead

log = structlog.get_logger(__name__)


class InvalidTicket(AppError):
    status, code, title = 400, "invalid_ticket", "Not a valid ticket"


class TicketRefused(Conflict):
    code, title = "ticket_refused", "Entry refused"


# --- issuing and voiding ------------------------------------------------------------------------


async def issue_for_booking(session: AsyncSession, settings: Settings, booking: Booking) -> int:
    """One ticket per seat, idempotent (a retry issues nothing twice). Seats without an attendee
    name carry the buyer's name."""
    buyer = await session.get(User, booking.user_id)
    buyer_name = buyer.full_name if buyer else ""
    rows = []
    for item in booking.items:
        for seat in range(item.quantity):
            attendee = item.attendees[seat] if seat < len(item.attendees) else {}
            ticket_id = uuid.uuid4()
            rows.append(
                {
                    "id": ticket_id,
                    "booking_id": booking.id,
                    "booking_item_id": item.id,
                    "seat_index": seat,
                    "event_id": booking.event_id,
                    "ticket_type_id": item.ticket_type_id,
                    "owner_id": booking.user_id,
                    "attendee_name": str(attendee.get("name") or buyer_name)[:200],
                    "attendee_email": attendee.get("email"),
                    "code": codes.sign(
                        ticket_id,
                        booking.event_id,
                        secret=settings.ticket_signing_secret,
                        key_id=settings.ticket_key_id,
                    ),
                    "status": TicketStatus.VALID,
                    "unit_price_minor": item.unit_price_minor,
                }
            )
    if not rows:
        return 0
    result = await session.execute(
        insert(Ticket).values(rows).on_conflict_do_nothing(index_elements=["booking_item_id", "seat_index"])
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def void_for_booking(session: AsyncSession, booking_id: uuid.UUID, reason: str) -> int:
    result = await session.execute(
        update(Ticket)
        .where(Ticket.booking_id == booking_id, Ticket.status != TicketStatus.VOID)
        .values(status=TicketStatus.VOID, void_reason=reason[:100])
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def void_tickets(
    session: AsyncSession,
    booking_id: uuid.UUID,
    ticket_ids: list[uuid.UUID],
    reason: str,
    *,
    from_statuses: tuple[TicketStatus, ...] = (TicketStatus.VALID,),
) -> list[uuid.UUID]:
    """Void some tickets of a booking, atomically: only tickets still in ``from_statuses`` change
    (a ticket scanned at the door meanwhile does not). Returns the ids that were voided."""
    result = await session.execute(
        update(Ticket)
        .where(Ticket.id.in_(ticket_ids), Ticket.booking_id == booking_id, Ticket.status.in_(from_statuses))
        .values(status=TicketStatus.VOID, void_reason=reason[:100])
        .returning(Ticket.id)
    )
    return list(result.scalars().all())


# --- reading ------------------------------------------------------------------------------------


async def to_reads(
    session: AsyncSession, tickets: list[Ticket], *, paid: dict[tuple[uuid.UUID, int], int] | None = None
) -> list[TicketRead]:
    """``paid``: what each seat cost, by (booking item id, seat index) (bookings.seat_prices)."""
    if not tickets:
        return []
    events = {
        e.id: e for e in (await session.scalars(select(Event).where(Event.id.in_({t.event_id for t in tickets})))).all()
    }
    names = dict(
        (
            await session.execute(
                select(TicketType.id, TicketType.name).where(TicketType.id.in_({t.ticket_type_id for t in tickets}))
            )
        ).all()
    )
    scanner_ids = {t.checked_in_by for t in tickets if t.checked_in_by}
    scanners = (
        dict((await session.execute(select(User.id, User.full_name).where(User.id.in_(scanner_ids)))).all())
        if scanner_ids
        else {}
    )
    return [
        TicketRead(
            id=t.id,
            booking_id=t.booking_id,
            event_id=t.event_id,
            event_title=events[t.event_id].title,
            event_starts_at=events[t.event_id].starts_at,
            event_timezone=events[t.event_id].timezone,
            ticket_type_id=t.ticket_type_id,
            ticket_type_name=names.get(t.ticket_type_id, ""),
            attendee_name=t.attendee_name,
            attendee_email=t.attendee_email,
            code=t.code,
            status=t.status,
            checked_in_at=t.checked_in_at,
            checked_in_by_name=scanners.get(t.checked_in_by) if t.checked_in_by else None,
            qr_url=f"/api/tickets/{t.id}/qr.svg",
            pdf_url=f"/api/tickets/{t.id}/pdf",
            paid_minor=paid.get((t.booking_item_id, t.seat_index)) if paid is not None else None,
        )
        for t in tickets
    ]


async def for_booking(session: AsyncSession, booking_id: uuid.UUID, *, for_update: bool = False) -> list[Ticket]:
    """A booking's tickets; ``for_update`` locks them (in id order, so lockers never deadlock) and
    reads them afresh."""
    stmt = select(Ticket).where(Ticket.booking_id == booking_id)
    if for_update:
        stmt = stmt.order_by(Ticket.id).with_for_update().execution_options(populate_existing=True)
    else:
        stmt = stmt.order_by(Ticket.created_at, Ticket.seat_index)
    rows = await session.scalars(stmt)
    return list(rows.all())


async def visible_ticket(session: AsyncSession, principal: Principal, ticket_id: uuid.UUID) -> Ticket:
    """The holder, the event's organizer and admins see a ticket; for others it does not exist."""
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound("No such ticket.", code="ticket_not_found")
    if principal.is_admin or ticket.owner_id == principal.id:
        return ticket
    event = await session.get(Event, ticket.event_id)
    if event is not None and event.organizer_id == principal.id:
        return ticket
    raise NotFound("No such ticket.", code="ticket_not_found")


# --- the door -----------------------------------------------------------------------------------


async def door_role(session: AsyncSession, principal: Principal, event: Event) -> str | None:
    if principal.is_admin:
        return "admin"
    if event.organizer_id == principal.id:
        return "organizer"
    staff = await session.scalar(
        select(EventStaff.id).where(EventStaff.event_id == event.id, EventStaff.user_id == principal.id)
    )
    return "staff" if staff else None


async def require_door_access(session: AsyncSession, principal: Principal, event_id: uuid.UUID) -> Event:
    event = await session.get(Event, event_id)
    if event is None or await door_role(session, principal, event) is None:
        raise Forbidden("You are not on the door list for this event.", code="not_door_staff")
    return event


async def summary(session: AsyncSession, event_id: uuid.UUID) -> CheckInSummary:
    row = (
        await session.execute(
            text(
                "SELECT count(*) FILTER (WHERE status = 'checked_in') AS checked_in, "
                "count(*) FILTER (WHERE status <> 'void') AS sold FROM tickets WHERE event_id = :e"
            ),
            {"e": event_id},
        )
    ).one()
    return CheckInSummary(event_id=event_id, checked_in=row.checked_in, sold=row.sold)


def _decode(settings: Settings, code: str) -> codes.DecodedCode:
    try:
        return codes.verify(
            code, secret=settings.ticket_signing_secret, accepted_key_ids=set(settings.ticket_accepted_key_ids)
        )
    except codes.BadCode as exc:
        raise InvalidTicket("This is not a valid Boxoffice ticket.") from exc


async def check_in(
    session: AsyncSession, settings: Settings, principal: Principal, code: str, door_event_id: uuid.UUID | None
) -> Ticket:
    decoded = _decode(settings, code)
    event = await require_door_access(session, principal, decoded.event_id)
    if door_event_id is not None and door_event_id != decoded.event_id:
        raise TicketRefused(f"This ticket is for another event: {event.title}.", code="wrong_event")
    # Atomic: of two simultaneous scans exactly one matches status = 'valid'.
    admitted = (
        await session.execute(
            update(Ticket)
            .where(
                Ticket.id == decoded.ticket_id, Ticket.event_id == decoded.event_id, Ticket.status == TicketStatus.VALID
            )
            .values(status=TicketStatus.CHECKED_IN, checked_in_at=func.now(), checked_in_by=principal.id)
            .returning(Ticket.id)
        )
    ).first()
    ticket = await session.get(Ticket, decoded.ticket_id, populate_existing=True)
    if ticket is None:
        raise InvalidTicket("This ticket does not exist.")
    if admitted is not None:
        log.info("ticket_checked_in", ticket_id=str(ticket.id), event_id=str(event.id))
        realtime.announce_checkin(session, event.id)
        return ticket
    if ticket.status == TicketStatus.CHECKED_IN:
        who = await session.scalar(select(User.full_name).where(User.id == ticket.checked_in_by))
        assert ticket.checked_in_at is not None
        when = local_time(ticket.checked_in_at, event.timezone).split(", ")[-1]
        raise TicketRefused(f"Already checked in at {when} by {who or 'someone'}.", code="already_checked_in")
    reason = {"refunded": "refunded", "booking_cancelled": "cancelled"}.get(ticket.void_reason or "", "voided")
    raise TicketRefused(f"This ticket was {reason} and is not valid.", code="ticket_void")


async def lookup(session: AsyncSession, settings: Settings, principal: Principal, code: str) -> Ticket:
    decoded = _decode(settings, code)
    await require_door_access(session, principal, decoded.event_id)
    ticket = await session.get(Ticket, decoded.ticket_id)
    if ticket is None:
        raise InvalidTicket("This ticket does not exist.")
    return ticket


async def undo_check_in(session: AsyncSession, principal: Principal, ticket_id: uuid.UUID) -> Ticket:
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound("No such ticket.", code="ticket_not_found")
    event = await session.get(Event, ticket.event_id)
    assert event is not None
    role = await door_role(session, principal, event)
    if role not in ("admin", "organizer"):
        # Door staff and the ticket's owner know the ticket exists; anyone else learns nothing.
        if role is None and ticket.owner_id != principal.id:
            raise NotFound("No such ticket.", code="ticket_not_found")
        raise Forbidden("Only the organizer can undo a check-in.")
    # Lock only once the caller is allowed to change it.
    await session.refresh(ticket, with_for_update=True)
    if ticket.status != TicketStatus.CHECKED_IN:
        raise Conflict("This ticket is not checked in.", code="not_checked_in")
    ticket.status = TicketStatus.VALID
    ticket.checked_in_at = None
    ticket.checked_in_by = None
    await session.flush()
    realtime.announce_checkin(session, event.id)
    return ticket


async def my_doors(session: AsyncSession, principal: Principal) -> list[DoorEvent]:
    now = datetime.now(UTC)
    stmt = select(Event).where(Event.ends_at > now).order_by(Event.starts_at)
    if not principal.is_admin:
        staffed = select(EventStaff.event_id).where(EventStaff.user_id == principal.id)
        stmt = stmt.where((Event.organizer_id == principal.id) | Event.id.in_(staffed))
    events = (await session.scalars(stmt.limit(100))).all()
    doors = []
    for event in events:
        role = "admin" if principal.is_admin else ("organizer" if event.organizer_id == principal.id else "staff")
        doors.append(
            DoorEvent(
                id=event.id,
                title=event.title,
                starts_at=event.starts_at,
                timezone=event.timezone,
                venue_name=event.venue_name,
                role=role,
            )
        )
    return doors


# --- door staff grants --------------------------------------------------------------------------


async def owned_event(session: AsyncSession, principal: Principal, event_id: uuid.UUID) -> Event:
    event = await session.get(Event, event_id)
    if event is None:
        raise NotFound("No such event.", code="event_not_found")
    if not (principal.is_admin or event.organizer_id == principal.id):
        raise Forbidden("Only the event's organizer manages its door staff.")
    return event


async def grant_staff(session: AsyncSession, principal: Principal, event_id: uuid.UUID, email: str) -> User:
    await owned_event(session, principal, event_id)
    user = await session.scalar(select(User).where(User.email == email.strip().lower(), User.is_active))
    if user is None:
        raise NotFound("No active account uses this email; ask them to sign up first.", code="user_not_found")
    await session.execute(
        insert(EventStaff)
        .values(id=uuid.uuid4(), event_id=event_id, user_id=user.id, granted_by=principal.id)
        .on_conflict_do_nothing(index_elements=["event_id", "user_id"])
    )
    return user


async def list_staff(session: AsyncSession, principal: Principal, event_id: uuid.UUID) -> list[tuple[EventStaff, User]]:
    await owned_event(session, principal, event_id)
    rows = await session.execute(
        select(EventStaff, User)
        .join(User, User.id == EventStaff.user_id)
        .where(EventStaff.event_id == event_id)
        .order_by(EventStaff.created_at)
    )
    return [(staff, user) for staff, user in rows.all()]


async def revoke_staff(session: AsyncSession, principal: Principal, event_id: uuid.UUID, user_id: uuid.UUID) -> None:
    await owned_event(session, principal, event_id)
    staff = await session.scalar(
        select(EventStaff).where(EventStaff.event_id == event_id, EventStaff.user_id == user_id)
    )
    if staff is None:
        raise NotFound("This person is not on the door list.")
    await session.delete(staff)
