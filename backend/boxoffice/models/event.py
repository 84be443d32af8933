"""Events and their ticket types (tiers).

Inventory lives on the ticket type as counters: ``remaining = capacity - sold - held``. Bookings
move seats between the counters with single conditional UPDATEs (see bookings/inventory.py), and a
CHECK constraint makes overselling impossible even if application code were wrong.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Computed,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boxoffice.db import Base, Timestamps, UUIDPrimaryKey, value_enum


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class EventVisibility(enum.StrEnum):
    PUBLIC = "public"  # listed in discovery
    UNLISTED = "unlisted"  # reachable by link only


SEARCH_DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(summary, '') || ' ' || coalesce(category, '') "
    "|| ' ' || coalesce(city, '') || ' ' || coalesce(venue_name, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(description_md, '')), 'C')"
)


class Event(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("total_capacity IS NULL OR total_capacity >= 0", name="capacity_non_negative"),
        CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="coordinates_paired"),
        Index("ix_events_search", "search", postgresql_using="gin"),
        Index("ix_events_listing", "status", "visibility", "starts_at"),
    )

    organizer_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    slug: Mapped[str] = mapped_column(String(220), unique=True, nullable=False)
    summary: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    description_md: Mapped[str] = mapped_column(Text, nullable=False, default="")
    category: Mapped[str] = mapped_column(String(64), nullable=False, default="other", index=True)
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    venue_name: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120), index=True)
    country: Mapped[str | None] = mapped_column(String(2))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    online_url: Mapped[str | None] = mapped_column(String(500))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="UTC")
    cover_image_path: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[EventStatus] = mapped_column(
        value_enum(EventStatus, "event_status"), nullable=False, default=EventStatus.DRAFT
    )
    visibility: Mapped[EventVisibility] = mapped_column(
        value_enum(EventVisibility, "event_visibility"), nullable=False, default=EventVisibility.PUBLIC
    )
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="EUR")
    # Optional cap across all ticket types; enforced with an event-level counter.
    total_capacity: Mapped[int | None] = mapped_column(Integer)
    # Customers may cancel paid bookings for a refund until this many hours before the start;
    # null means no self-service refunds.
    refund_until_hours: Mapped[int | None] = mapped_column(Integer)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_reason: Mapped[str | None] = mapped_column(String(500))
    # Optimistic concurrency: exposed as the ETag, required as If-Match on edits. It versions the
    # whole aggregate: ticket-type changes bump it too (bookings' counter updates do not).
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    search: Mapped[Any] = mapped_column(TSVECTOR, Computed(SEARCH_DOCUMENT, persisted=True))

    ticket_types: Mapped[list[TicketType]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="TicketType.sort_order"
    )

    __mapper_args__ = {"version_id_col": version}


class TicketType(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "ticket_types"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_non_negative"),
        CheckConstraint("price_minor >= 0", name="price_non_negative"),
        CheckConstraint("sold >= 0 AND held >= 0", name="counters_non_negative"),
        # The last line of defence against overselling.
        CheckConstraint("sold + held <= capacity", name="no_oversell"),
        CheckConstraint("min_per_order >= 1 AND max_per_order >= min_per_order", name="order_limits"),
        CheckConstraint(
            "sales_start IS NULL OR sales_end IS NULL OR sales_end > sales_start", name="sales_window_ordered"
        ),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("events.id", ondelete="CASCADE"), index=True, nullable=False
    )
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    description: Mapped[str] = mapped_column(String(1000), nullable=False, default="")
    price_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    capacity: Mapped[int] = mapped_column(Integer, nullable=False)
    sold: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    held: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    sales_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sales_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    min_per_order: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    max_per_order: Mapped[int] = mapped_column(Integer, nullable=False, default=10)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    hidden: Mapped[bool] = mapped_column(nullable=False, default=False)
    # Dynamic pricing rules (validated by events/pricing.py), evaluated at booking time.
    pricing_rules: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)

    event: Mapped[Event] = relationship(back_populates="ticket_types")

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.sold - self.held, 0)
