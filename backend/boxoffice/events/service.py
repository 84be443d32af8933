"""Event rules: what a listing shows."""

from __future__ import annotations

import uuid
from datetime import datetime

from boxoffice.events.schemas import EventSummary
from boxoffice.models.event import Event
from boxoffice.pagination import InvalidCursor


def summarize(event: Event) -> EventSummary:
    visible = [t for t in event.ticket_types if not t.hidden]
    prices = [t.price_minor for t in visible]
    remaining = sum(t.remaining for t in visible) if visible else None
    return EventSummary(
        id=event.id,
        slug=event.slug,
        title=event.title,
        summary=event.summary,
        category=event.category,
        city=event.city,
        venue_name=event.venue_name,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        status=event.status,
        price_from_minor=min(prices) if prices else None,
        price_to_minor=max(prices) if prices else None,
        currency=event.currency,
        remaining=remaining,
        cover_image_url=f"/api/events/{event.id}/cover" if event.cover_image_path else None,
    )


def parse_after(values: list[object]) -> tuple[datetime, str]:
    try:
        return datetime.fromisoformat(str(values[0])), str(uuid.UUID(str(values[1])))
    except ValueError as exc:
        raise InvalidCursor("The cursor does not belong to this listing.") from exc
