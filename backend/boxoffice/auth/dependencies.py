"""Who is calling: ``CurrentUser`` (401 without a valid token), ``OptionalUser`` and role gates.

The token is verified, then the user and session are loaded in one query so that a role change,
a deactivated account or a revoked session (logout) takes effect at once, not after 15 minutes.
That query runs on every authenticated request, so it goes straight to asyncpg outside the
request's transaction (db.fetch_raw); ``Principal.user`` is therefore a detached snapshot of the
user: read it freely, but load the user into the session (``session.get``) to change it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from boxoffice.auth.tokens import decode_access_token
from boxoffice.db import fetch_raw
from boxoffice.deps import RuntimeDep
from boxoffice.errors import Forbidden, Unauthorized
from boxoffice.models import Role, User
from boxoffice.runtime import Runtime

bearer = HTTPBearer(auto_error=False, description="Access token from /api/auth/login or /api/auth/refresh")


@dataclass(frozen=True)
class Principal:
    user: User
    session_id: uuid.UUID

    @property
    def id(self) -> uuid.UUID:
        return self.user.id

    @property
    def role(self) -> Role:
        return self.user.role

    @property
    def is_admin(self) -> bool:
        return self.user.role == Role.ADMIN


_PRINCIPAL = (
    "SELECT u.id, u.email, u.full_name, u.password_hash, u.role::text AS role, u.email_verified_at, u.is_active,"
    " u.created_at, u.updated_at, s.revoked_at"
    " FROM users u JOIN auth_sessions s ON s.user_id = u.id WHERE u.id = $1 AND s.id = $2"
)


async def principal_from_token(token: str, runtime: Runtime) -> Principal:
    """Verify an access token and load its user and session (one query). Shared by the HTTP
    dependencies below and the Socket.IO connect handler (boxoffice/realtime/server.py)."""
    claims = decode_access_token(token, secret=runtime.settings.jwt_secret)
    rows = await fetch_raw(runtime.raw_pool, _PRINCIPAL, claims.user_id, claims.session_id)
    if not rows:
        raise Unauthorized("The session no longer exists.", code="invalid_token")
    row = rows[0]
    if row["revoked_at"] is not None:
        raise Unauthorized("The session has been signed out.", code="session_revoked")
    if not row["is_active"]:
        raise Unauthorized("This account is disabled.", code="account_disabled")
    user = User(
        id=row["id"],
        email=row["email"],
        full_name=row["full_name"],
        password_hash=row["password_hash"],
        role=Role(row["role"]),
        email_verified_at=row["email_verified_at"],
        is_active=row["is_active"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
    return Principal(user=user, session_id=claims.session_id)


async def optional_principal(
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal | None:
    if credentials is None:
        return None
    principal = await principal_from_token(credentials.credentials, runtime)
    request.state.principal = principal
    return principal


async def current_principal(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    if principal is None:
        raise Unauthorized("Sign in to continue.")
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]
OptionalUser = Annotated[Principal | None, Depends(optional_principal)]


def require_role(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """Dependency factory: 403 unless the caller has one of ``roles`` (admins always pass)."""
    allowed = set(roles) | {Role.ADMIN}

    async def _check(principal: CurrentUser) -> Principal:
        if principal.role not in allowed:
            raise Forbidden("Your account does not have access to this action.")
        return principal

    return _check


OrganizerUser = Annotated[Principal, Depends(require_role(Role.ORGANIZER))]
AdminUser = Annotated[Principal, Depends(require_role(Role.ADMIN))]


def ensure_owner_or_admin(principal: Principal, owner_id: uuid.UUID) -> None:
    """Object-level check used by services: the owner or an admin, nobody else."""
    if principal.is_admin or principal.id == owner_id:
        return
    raise Forbidden("You can only change your own resources.")
