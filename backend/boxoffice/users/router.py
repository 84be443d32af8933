"""Admin: users and roles (/api/users)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from boxoffice.auth.dependencies import AdminUser
from boxoffice.auth.schemas import UserRead
from boxoffice.deps import SessionDep
from boxoffice.errors import error_responses
from boxoffice.models import Role
from boxoffice.pagination import InvalidCursor, decode_cursor, encode_cursor
from boxoffice.users import service
from boxoffice.users.schemas import ActiveChange, RoleChange, UserPage

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", operation_id="users-list", responses=error_responses(400, 401, 403))
async def list_users(
    _: AdminUser,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    role: Role | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> UserPage:
    """All accounts, newest first (admin only)."""
    after = None
    if cursor:
        values = decode_cursor(cursor, 2)
        try:
            after = (datetime.fromisoformat(str(values[0])), uuid.UUID(str(values[1])))
        except ValueError as exc:
            raise InvalidCursor("The cursor does not belong to this listing.") from exc
    users, total = await service.list_users(session, q=q, role=role, after=after, limit=limit + 1)
    page = users[:limit]
    next_cursor = encode_cursor([page[-1].created_at.isoformat(), str(page[-1].id)]) if len(users) > limit else None
    return UserPage(items=[UserRead.model_validate(u) for u in page], next_cursor=next_cursor, total=total)


@router.put("/{user_id}/role", operation_id="users-change-role", responses=error_responses(401, 403, 404, 409, 422))
async def change_role(user_id: uuid.UUID, body: RoleChange, _: AdminUser, session: SessionDep) -> UserRead:
    """Change a user's role (admin only). The last active admin cannot be demoted."""
    return UserRead.model_validate(await service.change_role(session, user_id, body.role))


@router.put("/{user_id}/active", operation_id="users-set-active", responses=error_responses(401, 403, 404, 409, 422))
async def set_active(user_id: uuid.UUID, body: ActiveChange, _: AdminUser, session: SessionDep) -> UserRead:
    """Disable (signing out every session) or re-enable an account (admin only)."""
    return UserRead.model_validate(await service.set_active(session, user_id, body.is_active))
