"""Queries over events and ticket types."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    DateTime,
    Select,
    and_,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from boxoffice.events.schemas import ListingSort
from boxoffice.models.event import Event, EventStatus, EventVisibility, TicketType

# Events without a visible ticket type sort after every priced one.
NO_PRICE_SORT_KEY = 2**62


def published_events() -> Select[Event]:
    return select(Event).where(Event.status == EventStatus.PUBLISHED, Event.visibility == EventVisibility.PUBLIC)


def current_price_sql(now: datetime) -> ColumnElement[int]:
    """SQL twin of ``pricing.quote_price`` for the ticket type row in scope."""
    return func.boxoffice_ticket_price(
        TicketType.price_minor,
        TicketType.pricing_rules,
        TicketType.sold,
        TicketType.capacity,
        literal(now, DateTime(timezone=True)),
        type_=BigInteger,
    )


def lowest_price_sql(now: datetime) -> ColumnElement[int]:
    """An event's lowest current price among its visible ticket types (a correlated subquery)."""
    lowest = (
        select(func.min(current_price_sql(now)))
        .where(TicketType.event_id == Event.id, TicketType.hidden.is_(False))
        .correlate(Event)
        .scalar_subquery()
    )
    return func.coalesce(lowest, NO_PRICE_SORT_KEY)


def _has_seats_on_sale(now: datetime) -> ColumnElement[bool]:
    tier_open = exists().where(
        TicketType.event_id == Event.id,
        TicketType.hidden.is_(False),
        TicketType.capacity - TicketType.sold - TicketType.held > 0,
        or_(TicketType.sales_end.is_(None), TicketType.sales_end > now),
    )
    used = (
        select(func.coalesce(func.sum(TicketType.sold + TicketType.held), 0))
        .where(TicketType.event_id == Event.id)
        .correlate(Event)
        .scalar_subquery()
    )
    return and_(tier_open, or_(Event.total_capacity.is_(None), Event.total_capacity > used))


def _after(columns: Sequence[Any], values: Sequence[Any]) -> Any:
    """The cursor's values as typed literals, compared as a row: ``(a, b) > (:a, :b)``."""
    return tuple_(*(literal(value, column.type) for column, value in zip(columns, values, strict=True)))


@dataclass(frozen=True)
class ListingFilters:
    q: str | None = None
    category: str | None = None
    city: str | None = None
    tag: str | None = None
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    price_max_minor: int | None = None
    available_only: bool = False


async def list_public_events(
    session: AsyncSession,
    filters: ListingFilters,
    *,
    sort: ListingSort,
    after: Sequence[Any] | None,
    now: datetime,
    limit: int,
) -> list[tuple[Event, int | None]]:
    """A page of listed events; each with its price sort key when sorting by price."""
    stmt = published_events().options(selectinload(Event.ticket_types))
    conditions: list[ColumnElement[bool]] = []
    if filters.q:
        conditions.append(Event.search.op("@@")(func.websearch_to_tsquery("english", filters.q)))
    if filters.category:
        conditions.append(Event.category == filters.category.lower())
    if filters.city:
        conditions.append(func.lower(Event.city) == filters.city.lower())
    if filters.tag:
        conditions.append(Event.tags.contains([filters.tag.lower()]))
    if filters.starts_after is not None:
        conditions.append(Event.starts_at >= filters.starts_after)
    else:
        conditions.append(Event.ends_at > now)  # by default only what has not ended yet
    if filters.starts_before is not None:
        conditions.append(Event.starts_at < filters.starts_before)
    if filters.price_max_minor is not None:
        conditions.append(
            exists().where(
                TicketType.event_id == Event.id,
                TicketType.hidden.is_(False),
                current_price_sql(now) <= filters.price_max_minor,
            )
        )
    if filters.available_only:
        conditions.append(_has_seats_on_sale(now))

    price_key = lowest_price_sql(now)
    if sort == ListingSort.PRICE:
        if after is not None:
            conditions.append(
                tuple_(price_key, Event.starts_at, Event.id) > _after([price_key, Event.starts_at, Event.id], after)
            )
        stmt = stmt.add_columns(price_key).order_by(price_key, Event.starts_at, Event.id)
    elif sort == ListingSort.DATE_DESC:
        if after is not None:
            conditions.append(tuple_(Event.starts_at, Event.id) < _after([Event.starts_at, Event.id], after))
        stmt = stmt.order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        if after is not None:
            conditions.append(tuple_(Event.starts_at, Event.id) > _after([Event.starts_at, Event.id], after))
        stmt = stmt.order_by(Event.starts_at, Event.id)
    rows: list[Any] = list((await session.execute(stmt.where(*conditions).limit(limit))).all())
    if sort == ListingSort.PRICE:
        return [(row[0], int(row[1])) for row in rows]
    return [(row[0], None) for row in rows]


async def list_organizer_events(
    session: AsyncSession,
    organizer_id: uuid.UUID,
    *,
    status: EventStatus | None,
    descending: bool,
    after: Sequence[Any] | None,
    limit: int,
) -> list[Event]:
    stmt = select(Event).options(selectinload(Event.ticket_types)).where(Event.organizer_id == organizer_id)
    if status is not None:
        stmt = stmt.where(Event.status == status)
    if descending:
        if after is not None:
            stmt = stmt.where(tuple_(Event.starts_at, Event.id) < _after([Event.starts_at, Event.id], after))
        stmt = stmt.order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        if after is not None:
            stmt = stmt.where(tuple_(Event.starts_at, Event.id) > _after([Event.starts_at, Event.id], after))
        stmt = stmt.order_by(Event.starts_at, Event.id)
    return list((await session.scalars(stmt.limit(limit))).all())


async def get_event(
    session: AsyncSession, *, event_id: uuid.UUID | None = None, slug: str | None = None
) -> Event | None:
    stmt = select(Event).options(selectinload(Event.ticket_types))
    if event_id is not None:
        stmt = stmt.where(Event.id == event_id)
    elif slug is not None:
        stmt = stmt.where(Event.slug == slug)
    else:
        stmt = stmt.where(false())
    return (await session.scalars(stmt)).one_or_none()


async def slug_taken(session: AsyncSession, slug: str, *, exclude: uuid.UUID | None = None) -> bool:
    stmt = select(Event.id).where(Event.slug == slug)
    if exclude is not None:
        stmt = stmt.where(Event.id != exclude)
    return (await session.scalar(stmt)) is not None


async def lock_ticket_types(session: AsyncSession, event_id: uuid.UUID) -> list[TicketType]:
    """Lock the event's ticket-type rows (in id order, so two lockers never deadlock) and return
    their current counters: bookings change them with conditional UPDATEs outside the ORM."""
    stmt = (
        select(TicketType)
        .where(TicketType.event_id == event_id)
        .order_by(TicketType.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list((await session.scalars(stmt)).all())
