"""Contract of the payments API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from boxoffice.models import PaymentStatus, RefundStatus


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
    created_at: datetime
    completed_at: datetime | None


class WebhookAck(BaseModel):
    received: bool = True
    duplicate: bool = False
