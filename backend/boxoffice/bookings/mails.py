"""The mails a booking sends: confirmation (with tickets, from the tickets module), cancellation and
the refund of some of its tickets."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice.config import Settings
from boxoffice.models import Booking, Event, Ticket, TicketType, User
from boxoffice.notifications.service import queue_mail


def money(minor: int, currency: str) -> str:
    return f"{minor / 100:,.2f} {currency}"


async def _context(session: AsyncSession, booking: Booking) -> tuple[User, Event, dict[str, object]]:
    user = await session.get(User, booking.user_id)
    event = await session.get(Event, booking.event_id)
    assert user is not None and event is not None
    names = dict(
        (
            await session.execute(
                select(TicketType.id, TicketType.name).where(
                    TicketType.id.in_([i.ticket_type_id for i in booking.items])
                )
            )
        ).all()
    )
    lines = [
        {
            "name": names.get(i.ticket_type_id, ""),
            "quantity": i.quantity,
            "total": money(i.unit_price_minor * i.quantity, booking.currency),
        }
        for i in booking.items
    ]
    context: dict[str, object] = {
        "name": user.full_name or user.email,
        "event_title": event.title,
        "event_starts": event.starts_at.strftime("%Y-%m-%d %H:%M UTC"),
        "venue": ", ".join(p for p in (event.venue_name, event.city) if p) or "Online",
        "lines": lines,
        "total": money(booking.total_minor, booking.currency),
        "booking_id": str(booking.id),
        "booking_ref": str(booking.id)[:8].upper(),
    }
    return user, event, context


async def booking_confirmed(session: AsyncSession, settings: Settings, booking: Booking) -> None:
    user, _, context = await _context(session, booking)
    await queue_mail(
        session,
        to=user.email,
        template="booking_confirmed",
        context={**context, "link": f"{settings.public_base_url}/bookings/{booking.id}"},
        base_url=settings.public_base_url,
        user_id=user.id,
        attachments={"booking_id": str(booking.id)},
    )


async def booking_cancelled(
    session: AsyncSession, settings: Settings, booking: Booking, *, refunded_minor: int
) -> None:
    user, _, context = await _context(session, booking)
    await queue_mail(
        session,
        to=user.email,
        template="booking_cancelled",
        context={
            **context,
            "refund": money(refunded_minor, booking.currency) if refunded_minor else None,
            "reason": booking.cancel_reason or "",
        },
        base_url=settings.public_base_url,
        user_id=user.id,
    )


async def tickets_refunded(
    session: AsyncSession,
    settings: Settings,
    booking: Booking,
    refunded: list[Ticket],
    *,
    refunded_minor: int,
    reason: str,
) -> None:
    """Some tickets were refunded; the booking and its other tickets stay valid."""
    user, _, context = await _context(session, booking)
    names = dict(
        (
            await session.execute(
                select(TicketType.id, TicketType.name).where(TicketType.id.in_({t.ticket_type_id for t in refunded}))
            )
        ).all()
    )
    await queue_mail(
        session,
        to=user.email,
        template="tickets_refunded",
        context={
            **context,
            "count": len(refunded),
            "tickets": [
                {"name": names.get(t.ticket_type_id, ""), "attendee": t.attendee_name, "ref": str(t.id)[:8].upper()}
                for t in refunded
            ],
            "refund": money(refunded_minor, booking.currency) if refunded_minor else None,
            "reason": "" if reason.startswith("tickets_refunded_by_") else reason,
            "link": f"{settings.public_base_url}/bookings/{booking.id}",
        },
        base_url=settings.public_base_url,
        user_id=user.id,
    )
