"""Admin rules for accounts: listing, role changes, (de)activation."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice.auth.service import revoke_all_sessions
from boxoffice.errors import Conflict, NotFound
from boxoffice.models import Role, User


async def list_users(
    session: AsyncSession, *, q: str | None, role: Role | None, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> tuple[list[User], int]:
    conditions: list[Any] = []
    if q:
        pattern = f"%{q.lower()}%"
        conditions.append(or_(User.email.like(pattern), func.lower(User.full_name).like(pattern)))
    if role is not None:
        conditions.append(User.role == role)
    total = await session.scalar(select(func.count()).select_from(User).where(*conditions)) or 0
    if after is not None:
        created, user_id = after
        conditions.append(or_(User.created_at < created, and_(User.created_at == created, User.id < user_id)))
    rows = await session.scalars(
        select(User).where(*conditions).order_by(User.created_at.desc(), User.id.desc()).limit(limit)
    )
    return list(rows.all()), int(total)


async def _get(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFound("No such user.")
    return user


async def _ensure_another_admin_remains(session: AsyncSession, user: User) -> None:
    others = await session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.is_active, User.id != user.id)
    )
    if not others:
        raise Conflict("The platform needs at least one active admin.", code="last_admin")


async def change_role(session: AsyncSession, user_id: uuid.UUID, role: Role) -> User:
    user = await _get(session, user_id)
    if user.role == Role.ADMIN and role != Role.ADMIN:
        await _ensure_another_admin_remains(session, user)
    user.role = role
    await session.flush()
    return user


async def set_active(session: AsyncSession, user_id: uuid.UUID, active: bool) -> User:
    user = await _get(session, user_id)
    if not active and user.role == Role.ADMIN:
        await _ensure_another_admin_remains(session, user)
    user.is_active = active
    if not active:
        await revoke_all_sessions(session, user.id, reason="account_disabled")
    await session.flush()
    return user
