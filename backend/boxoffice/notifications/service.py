"""Queue mail: render now, store as a row in the same transaction, deliver after commit.

Storing first means a mail is never lost when SMTP is down: the delivery job retries from the row.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice.db import after_commit
from boxoffice.models import MailMessage, MailStatus
from boxoffice.notifications.templates import render_mail


async def queue_mail(
    session: AsyncSession,
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    base_url: str,
    user_id: uuid.UUID | None = None,
    attachments: dict[str, Any] | None = None,
) -> MailMessage:
    rendered = render_mail(template, {**context, "base_url": base_url})
    mail = MailMessage(
        id=uuid.uuid4(),
        user_id=user_id,
        to_address=to,
        template=template,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        context=attachments or {},
        status=MailStatus.PENDING,
    )
    session.add(mail)
    await session.flush()

    async def enqueue() -> None:
        from boxoffice.notifications.tasks import deliver_mail

        await deliver_mail.kiq(str(mail.id))

    after_commit(session, enqueue)
    return mail
