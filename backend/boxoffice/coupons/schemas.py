"""Contract of the coupons API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from boxoffice.models import CouponKind

CODE_PATTERN = r"^[A-Za-z0-9_-]{3,40}$"
# The columns are 32-bit integers: larger values must be a 422, not a database error.
MAX_AMOUNT = 1_000_000_000
MAX_USES = 1_000_000_000


class CouponCreate(BaseModel):
    code: str = Field(pattern=CODE_PATTERN, description="Letters, digits, - and _; case-insensitive")
    event_id: uuid.UUID | None = Field(default=None, description="Null: every event of yours")
    kind: CouponKind
    amount: int = Field(gt=0, le=MAX_AMOUNT, description="Percent (1-100) or minor units for fixed amounts")
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$", description="Required for fixed amounts")
    usage_limit: int | None = Field(default=None, ge=1, le=MAX_USES)
    per_user_limit: int | None = Field(default=None, ge=1, le=MAX_USES)
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    min_purchase_minor: int = Field(default=0, ge=0, le=MAX_AMOUNT)
    ticket_type_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)

    @field_validator("code")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.kind == CouponKind.PERCENT and self.amount > 100:
            raise ValueError("a percentage discount is at most 100")
        if self.kind == CouponKind.FIXED and not self.currency:
            raise ValueError("a fixed discount needs a currency")
        for name in ("valid_from", "valid_until"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"{name} needs a UTC offset")
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        return self


class CouponUpdate(BaseModel):
    active: bool | None = None
    usage_limit: int | None = Field(default=None, ge=1, le=MAX_USES)
    per_user_limit: int | None = Field(default=None, ge=1, le=MAX_USES)
    valid_until: datetime | None = None
    min_purchase_minor: int | None = Field(default=None, ge=0, le=MAX_AMOUNT)


class CouponRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    event_id: uuid.UUID | None
    kind: CouponKind
    amount: int
    currency: str | None
    usage_limit: int | None
    per_user_limit: int | None
    used_count: int
    valid_from: datetime | None
    valid_until: datetime | None
    min_purchase_minor: int
    ticket_type_ids: list[uuid.UUID]
    active: bool
    created_at: datetime


class CouponPublic(BaseModel):
    """What a buyer may know about a code before using it."""

    code: str
    kind: CouponKind
    amount: int
    currency: str | None
    event_id: uuid.UUID | None
    valid_until: datetime | None
    min_purchase_minor: int
    ticket_type_ids: list[uuid.UUID]
    available: bool
