"""Reads for live messages: the current availability of events, straight from the database.

The numbers are computed by the same functions as the HTTP event pages (events/service.py), so a
live update never disagrees with a page reload.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import load_only, selectinload

from boxoffice.models import BookingStatus, Event, EventStatus
from boxoffice.realtime.events import Availability, TicketTypeAvailability


async def read_availability(
    sessionmaker: async_sessionmaker[AsyncSession], event_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[EventStatus, Availability]]:
    """Availability of each existing event in ``event_ids`` (two queries whatever their number)."""
    # Imported here: events/service.py may itself announce changes through boxoffice.realtime.
    from boxoffice.events.service import event_capacity_left, quote_ticket_type, sales_status, ticket_type_remaining

    if not event_ids:
        return {}
    stmt = (
        select(Event)
        .where(Event.id.in_(list(event_ids)))
        .options(
            load_only(Event.id, Event.status, Event.ends_at, Event.total_capacity, Event.currency),
            selectinload(Event.ticket_types),
        )
    )
    async with sessionmaker() as session:
        events = (await session.scalars(stmt)).all()
        now = datetime.now(UTC)
        found: dict[uuid.UUID, tuple[EventStatus, Availability]] = {}
        for event in events:
            capacity_left = event_capacity_left(event)
            tiers = []
            for ticket_type in sorted(event.ticket_types, key=lambda t: (t.sort_order, t.name, str(t.id))):
                if ticket_type.hidden:
                    continue
                remaining = ticket_type_remaining(ticket_type, capacity_left)
                tiers.append(
                    TicketTypeAvailability(
                        id=ticket_type.id,
                        remaining=remaining,
                        price_minor=quote_ticket_type(ticket_type, now=now),
                        sold_out=remaining <= 0,
                        sales_status=sales_status(event, ticket_type, remaining=remaining, now=now),
                    )
                )
            total: int | None = None
            if tiers:
                total = sum(t.remaining for t in tiers)
                if capacity_left is not None:
                    total = min(total, capacity_left)
            found[event.id] = (
                event.status,
                Availability(
                    event_id=event.id,
                    ticket_types=tiers,
                    remaining=total,
                    sold_out=total == 0,
                    currency=event.currency,
                    at=now,
                ),
            )
    return found


async def checkin_counts(
    sessionmaker: async_sessionmaker[AsyncSession], event_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, int]]:
    """(checked in, sold) per event, as the door's summary counts them."""
    from boxoffice.tickets.service import summary

    async with sessionmaker() as session:
        counts = [await summary(session, event_id) for event_id in event_ids]
    return {c.event_id: (c.checked_in, c.sold) for c in counts}


_BOOKINGS = text(
    """
    SELECT b.id, b.user_id, b.event_id, b.status, b.total_minor, b.currency, e.organizer_id,
           coalesce(sum(i.quantity), 0) AS quantity
    FROM bookings b JOIN events e ON e.id = b.event_id LEFT JOIN booking_items i ON i.booking_id = b.id
    WHERE b.id = ANY(:ids)
    GROUP BY b.id, e.organizer_id
    """
)


async def booking_changes(
    sessionmaker: async_sessionmaker[AsyncSession], booking_ids: Collection[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID, uuid.UUID, BookingStatus, int, int, str, uuid.UUID]]:
    """The arguments of ``Publisher.booking_changed`` for each booking, as committed."""
    async with sessionmaker() as session:
        rows = (await session.execute(_BOOKINGS, {"ids": list(booking_ids)})).all()
    return [
        (
            r.id,
            r.user_id,
            r.event_id,
            BookingStatus(r.status),
            int(r.quantity),
            r.total_minor,
            r.currency,
            r.organizer_id,
        )
        for r in rows
    ]


async def organizer_of(sessionmaker: async_sessionmaker[AsyncSession], event_id: uuid.UUID) -> uuid.UUID | None:
    async with sessionmaker() as session:
        return await session.scalar(select(Event.organizer_id).where(Event.id == event_id))
