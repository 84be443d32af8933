"""Queries over events and ticket types."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from boxoffice.models.event import Event, EventStatus, EventVisibility


def published_events() -> Select[Event]:
    return select(Event).where(Event.status == EventStatus.PUBLISHED, Event.visibility == EventVisibility.PUBLIC)


async def list_public_events(
    session: AsyncSession,
    *,
    q: str | None,
    category: str | None,
    city: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[Event]:
    stmt = published_events().options(selectinload(Event.ticket_types))
    conditions: list[Any] = []
    if q:
        conditions.append(Event.search.op("@@")(func.websearch_to_tsquery("english", q)))
    if category:
        conditions.append(Event.category == category)
    if city:
        conditions.append(func.lower(Event.city) == city.lower())
    if after is not None:
        starts_at, event_id = after
        conditions.append(or_(Event.starts_at > starts_at, and_(Event.starts_at == starts_at, Event.id > event_id)))
    stmt = stmt.where(*conditions).order_by(Event.starts_at, Event.id).limit(limit)
    return list((await session.scalars(stmt)).all())
