"""Contract of user administration."""

from __future__ import annotations

from pydantic import BaseModel

from boxoffice.auth.schemas import UserRead
from boxoffice.models import Role


class UserPage(BaseModel):
    items: list[UserRead]
    next_cursor: str | None
    total: int


class RoleChange(BaseModel):
    role: Role


class ActiveChange(BaseModel):
    is_active: bool
