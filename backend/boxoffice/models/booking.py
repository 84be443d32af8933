"""Bookings, their line items, coupons and coupon redemptions.

Booking state machine (bookings/states.py holds the transition table):

    pending_payment --pay--> confirmed --refund/cancel--> cancelled
          |   \\                  \\--partial refund--> confirmed (refunded_minor > 0)
          |    \\--cancel--> cancelled
          \\--hold expires--> expired --late payment, seats still free--> confirmed
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boxoffice.db import Base, UUIDPrimaryKey, value_enum


class BookingStatus(enum.StrEnum):
    PENDING_PAYMENT = "pending_payment"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class CouponKind(enum.StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"


class Booking(UUIDPrimaryKey, Base):
    __tablename__ = "bookings"
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_key"),
        CheckConstraint("total_minor >= 0 AND subtotal_minor >= 0 AND discount_minor >= 0", name="money_non_negative"),
        CheckConstraint("refunded_minor >= 0 AND refunded_minor <= total_minor", name="refund_within_total"),
        # The expiry sweeper scans only pending bookings by deadline.
        Index("ix_bookings_pending_deadline", "hold_expires_at", postgresql_where="status = 'pending_payment'"),
        Index("ix_bookings_event_created", "event_id", "created_at"),
        Index("ix_bookings_user_created", "user_id", "created_at"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    event_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("events.id", ondelete="RESTRICT"), nullable=False
    )
    status: Mapped[BookingStatus] = mapped_column(
        value_enum(BookingStatus, "booking_status"), nullable=False, default=BookingStatus.PENDING_PAYMENT
    )
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    subtotal_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    discount_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    refunded_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    coupon_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("coupons.id", ondelete="RESTRICT"), index=True
    )
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    request_fingerprint: Mapped[str | None] = mapped_column(String(64))
    hold_expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(String(200))

    items: Mapped[list[BookingItem]] = relationship(
        back_populates="booking", cascade="all, delete-orphan", order_by="BookingItem.position"
    )


class BookingItem(UUIDPrimaryKey, Base):
    __tablename__ = "booking_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    booking_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("bookings.id", ondelete="CASCADE"), index=True, nullable=False
    )
    ticket_type_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("ticket_types.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    # The price actually charged per ticket (after dynamic pricing, before the coupon).
    unit_price_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    # One entry per seat: {"name": ..., "email": ...}; may be empty strings when not given.
    attendees: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)

    booking: Mapped[Booking] = relationship(back_populates="items")


class Coupon(UUIDPrimaryKey, Base):
    __tablename__ = "coupons"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("kind <> 'percent' OR amount <= 100", name="percent_at_most_100"),
        CheckConstraint("usage_limit IS NULL OR used_count <= usage_limit", name="within_usage_limit"),
        CheckConstraint("used_count >= 0", name="used_count_non_negative"),
    )

    code: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    organizer_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    # Null: valid for every event of the organizer.
    event_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[CouponKind] = mapped_column(value_enum(CouponKind, "coupon_kind"), nullable=False)
    # Percent (1-100) or minor units of ``currency``.
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    currency: Mapped[str | None] = mapped_column(String(3))
    usage_limit: Mapped[int | None] = mapped_column(Integer)
    per_user_limit: Mapped[int | None] = mapped_column(Integer)
    used_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    valid_from: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    min_purchase_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Empty: every ticket type.
    ticket_type_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), nullable=False, default=list)
    active: Mapped[bool] = mapped_column(nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


class CouponRedemption(UUIDPrimaryKey, Base):
    """One use of a coupon by one booking. Released (not deleted) when the booking expires or is
    cancelled before payment, which gives the use back."""

    __tablename__ = "coupon_redemptions"
    __table_args__ = (UniqueConstraint("booking_id"),)

    coupon_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("coupons.id", ondelete="CASCADE"), index=True, nullable=False
    )
    booking_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
