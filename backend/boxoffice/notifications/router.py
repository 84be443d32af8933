"""The browsable mail outbox: where mail goes while email delivery is disabled (embedded mode)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from boxoffice.auth.dependencies import AdminUser, CurrentUser
from boxoffice.deps import SessionDep, SettingsDep
from boxoffice.errors import NotFound, error_responses
from boxoffice.models import MailMessage
from boxoffice.notifications.schemas import MailRead

router = APIRouter(prefix="/mail", tags=["mail"])


@router.get("/mine", operation_id="mail-mine", responses=error_responses(401, 404))
async def my_mail(principal: CurrentUser, session: SessionDep, settings: SettingsDep) -> list[MailRead]:
    """Mail addressed to you, newest first. Only while email delivery is disabled: it is how you
    receive verification links in the embedded mode."""
    if settings.feature_email_enabled:
        raise NotFound("Mail is delivered by email on this server.", code="outbox_disabled")
    rows = await session.scalars(
        select(MailMessage)
        .where(MailMessage.to_address == principal.user.email)
        .order_by(MailMessage.created_at.desc())
        .limit(50)
    )
    return [MailRead.model_validate(m) for m in rows.all()]


@router.get("/outbox", operation_id="mail-outbox", responses=error_responses(401, 403))
async def outbox(
    _: AdminUser,
    session: SessionDep,
    to: Annotated[str | None, Query(max_length=320)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[MailRead]:
    """All stored mail, newest first (admin only)."""
    stmt = select(MailMessage).order_by(MailMessage.created_at.desc()).limit(limit)
    if to:
        stmt = stmt.where(MailMessage.to_address == to.lower())
    return [MailRead.model_validate(m) for m in (await session.scalars(stmt)).all()]
