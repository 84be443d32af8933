"""Contract of the payments API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from boxoffice.bookings.schemas import MAX_TICKETS_PER_LINE, BookingRead
from boxoffice.models import PaymentStatus, RefundStatus

# A booking has at most 20 lines of at most 50 tickets.
MAX_TICKETS_PER_BOOKING = 20 * MAX_TICKETS_PER_LINE


class PaymentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    booking_id: uuid.UUID
    provider: str
    amount_minor: int
    currency: str
    status: PaymentStatus
    refunded_minor: int
    failure_code: str | None
    created_at: datetime
    succeeded_at: datetime | None


class PaymentStart(BaseModel):
    payment: PaymentRead
    provider: Literal["mock", "stripe"]
    client_secret: str | None = Field(description="Stripe: for Stripe Elements. Mock: not needed.")
    demo_mode: bool = Field(description="True when payments are simulated (mock provider)")
    decline_card: str | None = Field(default=None, description="Mock only: the test card that is declined")


class MockCardSubmit(BaseModel):
    card_number: str = Field(min_length=12, max_length=23, pattern=r"^[0-9 ]+$")


class RefundRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    booking_id: uuid.UUID
    amount_minor: int
    currency: str
    status: RefundStatus
    reason: str
    ticket_ids: list[uuid.UUID] = Field(description="The tickets this refund is for; empty: the whole booking")
    created_at: datetime
    completed_at: datetime | None


class TicketRefundCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    ticket_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_TICKETS_PER_BOOKING)
    reason: str | None = Field(default=None, max_length=200, description="Shown to the customer (empty: who refunded)")

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        if len(self.ticket_ids) != len(set(self.ticket_ids)):
            raise ValueError("each ticket may appear once")
        return self


class TicketRefundResult(BaseModel):
    booking: BookingRead = Field(description="The booking afterwards: cancelled when no valid ticket is left")
    refund: RefundRead | None = Field(description="The refund started; null when the tickets were free")
    amount_minor: int = Field(description="Paid back for these tickets, in the booking's currency")
    ticket_ids: list[uuid.UUID] = Field(description="The tickets voided (their seats are back on sale)")


class WebhookAck(BaseModel):
    received: bool = True
    duplicate: bool = False
