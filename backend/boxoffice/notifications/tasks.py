"""Mail delivery job. With email disabled the stored row is the delivery (the outbox)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import aiosmtplib
import structlog
from sqlalchemy import select

from boxoffice import runtime
from boxoffice.config import Settings
from boxoffice.db import unit_of_work
from boxoffice.jobs import broker
from boxoffice.models import MailMessage, MailStatus
from boxoffice.resilience import CircuitOpen

log = structlog.get_logger(__name__)

MAX_ATTEMPTS = 8


def build_message(mail: MailMessage, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Message-ID"] = f"<{mail.id}@boxoffice>"
    message.set_content(mail.text_body)
    if mail.html_body:
        message.add_alternative(mail.html_body, subtype="html")
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


@broker.task(task_name="notifications.deliver_mail")
async def deliver_mail(mail_id: str) -> None:
    started = runtime.current()
    settings = started.settings
    async with unit_of_work(started.sessionmaker) as session:
        mail = await session.scalar(
            select(MailMessage).where(MailMessage.id == uuid.UUID(mail_id)).with_for_update(skip_locked=True)
        )
        if mail is None or mail.status not in (MailStatus.PENDING,):
            return
        if not settings.feature_email_enabled:
            mail.status = MailStatus.OUTBOX
            log.info("mail_kept_in_outbox", mail_id=mail_id, template=mail.template)
            return
        message = build_message(mail, settings)
        mail.attempts += 1
    # The network call happens outside the transaction (no row lock held while talking to SMTP).
    try:
        await started.breakers.call("smtp", lambda: send_smtp(message, settings))
    except (aiosmtplib.SMTPException, OSError, TimeoutError, CircuitOpen) as exc:
        async with unit_of_work(started.sessionmaker) as session:
            failed = await session.get(MailMessage, uuid.UUID(mail_id))
            if failed is not None:
                failed.last_error = f"{type(exc).__name__}: {exc}"[:500]
                backoff = timedelta(seconds=min(30 * 2 ** (failed.attempts - 1), 3600))
                failed.next_attempt_at = datetime.now(UTC) + backoff
                if failed.attempts >= MAX_ATTEMPTS:
                    failed.status = MailStatus.FAILED
        log.warning("mail_delivery_failed", mail_id=mail_id, error=type(exc).__name__)
        return
    async with unit_of_work(started.sessionmaker) as session:
        sent = await session.get(MailMessage, uuid.UUID(mail_id))
        if sent is not None:
            sent.status = MailStatus.SENT
            sent.sent_at = datetime.now(UTC)
    log.info("mail_sent", mail_id=mail_id)
