"""Contract of the bookings API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Self

from pydantic import BaseModel, EmailStr, Field, model_validator

from boxoffice.models import BookingStatus

MAX_TICKETS_PER_LINE = 50


class Attendee(BaseModel):
    name: str = Field(default="", max_length=200)
    email: EmailStr | None = None


class BookingLineCreate(BaseModel):
    ticket_type_id: uuid.UUID
    quantity: int = Field(ge=1, le=MAX_TICKETS_PER_LINE)
    attendees: list[Attendee] = Field(
        default_factory=list, max_length=MAX_TICKETS_PER_LINE, description="Optional, one per ticket"
    )

    @model_validator(mode="after")
    def _attendees_fit(self) -> Self:
        if len(self.attendees) > self.quantity:
            raise ValueError("more attendees than tickets")
        return self


class BookingCreate(BaseModel):
    event_id: uuid.UUID
    items: list[BookingLineCreate] = Field(min_length=1, max_length=20)
    coupon_code: str | None = Field(default=None, max_length=40)

    @model_validator(mode="after")
    def _distinct_ticket_types(self) -> Self:
        ids = [item.ticket_type_id for item in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError("each ticket type may appear once; use its quantity")
        return self


class BookingLineRead(BaseModel):
    ticket_type_id: uuid.UUID
    ticket_type_name: str
    quantity: int
    unit_price_minor: int
    line_total_minor: int
    attendees: list[Attendee]


class BookingRead(BaseModel):
    id: uuid.UUID
    user_id: uuid.UUID
    event_id: uuid.UUID
    event_title: str
    event_starts_at: datetime
    event_timezone: str
    status: BookingStatus
    currency: str
    subtotal_minor: int
    discount_minor: int
    total_minor: int
    refunded_minor: int
    coupon_code: str | None
    hold_expires_at: datetime
    created_at: datetime
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    expired_at: datetime | None
    cancel_reason: str | None
    items: list[BookingLineRead]
    customer_email: str | None = Field(default=None, description="Shown to organizers and admins")
    customer_name: str | None = None


class BookingPage(BaseModel):
    items: list[BookingRead]
    next_cursor: str | None
    total: int | None = None
