"""Mail delivery job. With email disabled the stored row is the delivery (the outbox).

A delivery first *claims* the row (pending -> sending, atomically), so two attempts never send the
same mail twice; it then talks to SMTP with no transaction open, through the SMTP circuit breaker,
and records the outcome. Failures back off exponentially (the maintenance loop retries); a claim
that never finished (worker killed mid-send) is released after a few minutes.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import aiosmtplib
import structlog
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice import runtime
from boxoffice.config import Settings
from boxoffice.db import unit_of_work
from boxoffice.jobs import broker
from boxoffice.models import MailMessage, MailStatus, Ticket
from boxoffice.resilience import CircuitOpen
from boxoffice.tickets.render import qr_png

log = structlog.get_logger(__name__)

MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=5)

Attachment = tuple[str, bytes, str, str]  # filename, content, maintype, subtype


def build_message(mail: MailMessage, settings: Settings, attachments: list[Attachment]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Message-ID"] = f"<{mail.id}@boxoffice>"
    message.set_content(mail.text_body)
    if mail.html_body:
        message.add_alternative(mail.html_body, subtype="html")
    for filename, content, maintype, subtype in attachments:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


async def send_smtp(message: EmailMessage, settings: Settings) -> None:
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password,
        start_tls=settings.smtp_use_tls,
        timeout=10,
    )


async def _ticket_attachments(session: AsyncSession, mail: MailMessage) -> list[Attachment]:
    """Booking confirmations carry one QR image per ticket."""
    booking_id = mail.context.get("booking_id")
    if not booking_id:
        return []
    tickets = (
        await session.scalars(
            select(Ticket).where(Ticket.booking_id == uuid.UUID(str(booking_id))).order_by(Ticket.created_at)
        )
    ).all()
    return [(f"ticket-{str(t.id)[:8].upper()}.png", qr_png(t.code), "image", "png") for t in tickets]


@broker.task(task_name="notifications.deliver_mail")
async def deliver_mail(mail_id: str) -> None:
    started = runtime.current()
    settings = started.settings
    async with unit_of_work(started.sessionmaker) as session:
        if not settings.feature_email_enabled:
            await session.execute(
                text("UPDATE mail_messages SET status = 'outbox' WHERE id = :id AND status = 'pending'"),
                {"id": uuid.UUID(mail_id)},
            )
            return
        claimed = (
            await session.execute(
                text(
                    "UPDATE mail_messages SET status = 'sending', attempts = attempts + 1 "
                    "WHERE id = :id AND status = 'pending' AND next_attempt_at <= now() RETURNING id"
                ),
                {"id": uuid.UUID(mail_id)},
            )
        ).first()
        if claimed is None:
            return  # sent already, being sent by someone else, or not due yet
        mail = await session.get(MailMessage, uuid.UUID(mail_id))
        assert mail is not None
        message = build_message(mail, settings, await _ticket_attachments(session, mail))
    # The network call happens outside any transaction (no row lock held while talking to SMTP).
    try:
        await started.breakers.call("smtp", lambda: send_smtp(message, settings))
    except (aiosmtplib.SMTPException, OSError, TimeoutError, CircuitOpen) as exc:
        async with unit_of_work(started.sessionmaker) as session:
            failed = await session.get(MailMessage, uuid.UUID(mail_id), with_for_update=True)
            if failed is not None:
                failed.last_error = f"{type(exc).__name__}: {exc}"[:500]
                backoff = timedelta(seconds=min(30 * 2 ** (failed.attempts - 1), 3600))
                failed.next_attempt_at = datetime.now(UTC) + backoff
                failed.status = MailStatus.FAILED if failed.attempts >= MAX_ATTEMPTS else MailStatus.PENDING
        log.warning("mail_delivery_failed", mail_id=mail_id, error=type(exc).__name__)
        return
    async with unit_of_work(started.sessionmaker) as session:
        sent = await session.get(MailMessage, uuid.UUID(mail_id), with_for_update=True)
        if sent is not None:
            sent.status = MailStatus.SENT
            sent.sent_at = datetime.now(UTC)
    log.info("mail_sent", mail_id=mail_id)


async def release_stale_claims(session: AsyncSession) -> None:
    """A delivery that never finished (process killed mid-send) goes back to pending."""
    await session.execute(
        text(
            "UPDATE mail_messages SET status = 'pending' WHERE status = 'sending' "
            "AND next_attempt_at < now() - make_interval(secs => :stale)"
        ),
        {"stale": STALE_CLAIM.total_seconds()},
    )
