"""Outgoing mail. Every message is stored first (an outbox), then delivered by a job, so a mail is
never lost when SMTP is down; with email disabled the stored message is the delivery (a browsable
outbox for the embedded mode)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from boxoffice.db import Base, UUIDPrimaryKey


class MailStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by one delivery attempt; reset to pending if it never finishes
    SENT = "sent"
    OUTBOX = "outbox"  # kept locally because email delivery is disabled
    FAILED = "failed"


class MailMessage(UUIDPrimaryKey, Base):
    __tablename__ = "mail_messages"

    user_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(320), nullable=False, index=True)
    template: Mapped[str] = mapped_column(String(64), nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    text_body: Mapped[str] = mapped_column(Text, nullable=False)
    html_body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Attachments are rendered at send time from this context (e.g. ticket ids for QR images).
    context: Mapped[dict[str, object]] = mapped_column(JSONB, nullable=False, default=dict)
    status: Mapped[MailStatus] = mapped_column(
        Enum(MailStatus, name="mail_status", values_callable=lambda e: [m.value for m in e]),
        nullable=False,
        default=MailStatus.PENDING,
        index=True,
    )
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
