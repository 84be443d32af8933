"""Contract of the tickets and door-check API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, EmailStr, Field

from boxoffice.models import TicketStatus


class TicketRead(BaseModel):
    id: uuid.UUID
    booking_id: uuid.UUID
    event_id: uuid.UUID
    event_title: str
    event_starts_at: datetime
    event_timezone: str
    ticket_type_id: uuid.UUID
    ticket_type_name: str
    attendee_name: str
    attendee_email: str | None
    code: str = Field(description="The signed code encoded in the QR image")
    status: TicketStatus
    checked_in_at: datetime | None
    checked_in_by_name: str | None
    qr_url: str
    pdf_url: str
    paid_minor: int | None = Field(
        default=None,
        description="What was paid for this seat (its price less its share of the coupon), in the booking's "
        "currency: what refunding this ticket pays back. Given in a booking's ticket list.",
    )


class ValidateRequest(BaseModel):
    code: str = Field(min_length=10, max_length=300)
    event_id: uuid.UUID | None = Field(default=None, description="The door's event; other events' tickets are refused")


class CheckInResult(BaseModel):
    result: str = Field(description="admitted")
    ticket: TicketRead
    checked_in: int
    sold: int


class CheckInSummary(BaseModel):
    event_id: uuid.UUID
    checked_in: int
    sold: int


class DoorEvent(BaseModel):
    id: uuid.UUID
    title: str
    starts_at: datetime
    timezone: str
    venue_name: str | None
    role: str = Field(description="organizer, staff or admin")


class StaffGrant(BaseModel):
    email: EmailStr


class StaffRead(BaseModel):
    user_id: uuid.UUID
    email: str
    full_name: str
    created_at: datetime


class PublicKey(BaseModel):
    key_id: int
    algorithm: str = "Ed25519"
    public_key: str = Field(description="Raw 32-byte public key, base64url")
