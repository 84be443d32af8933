"""Pydantic schemas of the events API (the contract the web app is generated from)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from boxoffice.models.event import EventStatus


class EventSummary(BaseModel):
    """An event as shown in listings and cards."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    slug: str
    title: str
    summary: str
    category: str
    city: str | None
    venue_name: str | None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    status: EventStatus
    price_from_minor: int | None
    price_to_minor: int | None
    currency: str
    remaining: int | None
    cover_image_url: str | None


class EventPage(BaseModel):
    items: list[EventSummary]
    next_cursor: str | None
