"""Identity rules: registration, login, rotating refresh tokens, sessions, email tokens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice.auth.devices import device_label
from boxoffice.auth.passwords import hash_password, password_problems, verify_password
from boxoffice.auth.tokens import hash_token, issue_access_token, new_opaque_token
from boxoffice.config import Settings
from boxoffice.errors import AppError, NotFound, Unauthorized
from boxoffice.models import AuthSession, EmailToken, EmailTokenPurpose, RefreshToken, Role, User
from boxoffice.notifications.service import queue_mail

log = structlog.get_logger(__name__)

VERIFY_TTL = timedelta(hours=48)
RESET_TTL = timedelta(minutes=60)
GENERIC_LOGIN_FAILURE = "The email or password is incorrect."


class WeakPassword(AppError):
    status, code, title = 400, "weak_password", "Password does not meet the policy"


class InvalidToken(AppError):
    status, code, title = 400, "invalid_token", "Invalid or expired link"


@dataclass(frozen=True)
class IssuedTokens:
    user: User
    session: AuthSession
    access_token: str
    access_expires_in: int
    refresh_token: str


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _now() -> datetime:
    return datetime.now(UTC)


def check_password_policy(password: str, email: str | None, field: str) -> None:
    problems = password_problems(password, email=email, field=field)
    if problems:
        raise WeakPassword(" ".join(p.message for p in problems), errors=problems)


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normalize_email(email)))


# --- registration and email verification -------------------------------------------------------


async def register(session: AsyncSession, settings: Settings, *, email: str, password: str, full_name: str) -> None:
    """Create the account and mail a verification link. When the email is taken, mail its owner
    instead; the caller sees the same answer either way (no account enumeration)."""
    email = normalize_email(email)
    check_password_policy(password, email, "password")
    existing = await get_user_by_email(session, email)
    if existing is not None:
        await queue_mail(
            session,
            to=existing.email,
            template="account_exists",
            context={"name": existing.full_name or existing.email},
            base_url=settings.public_base_url,
            user_id=existing.id,
        )
        return
    user = User(email=email, full_name=full_name.strip(), password_hash=hash_password(password), role=Role.CUSTOMER)
    session.add(user)
    await session.flush()
    await send_verification(session, settings, user)
    log.info("user_registered", user_id=str(user.id))


async def _issue_email_token(session: AsyncSession, user: User, purpose: EmailTokenPurpose, ttl: timedelta) -> str:
    # Only the newest link of a purpose works: older unused ones are retired.
    await session.execute(
        update(EmailToken)
        .where(EmailToken.user_id == user.id, EmailToken.purpose == purpose, EmailToken.used_at.is_(None))
        .values(used_at=_now())
    )
    raw = new_opaque_token()
    session.add(EmailToken(user_id=user.id, purpose=purpose, token_hash=hash_token(raw), expires_at=_now() + ttl))
    await session.flush()
    return raw


async def send_verification(session: AsyncSession, settings: Settings, user: User) -> None:
    raw = await _issue_email_token(session, user, EmailTokenPurpose.VERIFY_EMAIL, VERIFY_TTL)
    await queue_mail(
        session,
        to=user.email,
        template="verify_email",
        context={
            "name": user.full_name or user.email,
            "link": f"{settings.public_base_url}/verify-email?token={raw}",
            "hours": int(VERIFY_TTL.total_seconds() // 3600),
        },
        base_url=settings.public_base_url,
        user_id=user.id,
    )


async def _consume_email_token(session: AsyncSession, raw: str, purpose: EmailTokenPurpose) -> User:
    token = await session.scalar(
        select(EmailToken)
        .where(EmailToken.token_hash == hash_token(raw), EmailToken.purpose == purpose)
        .with_for_update()
    )
    if token is None or token.used_at is not None or token.expires_at <= _now():
        raise InvalidToken("This link is invalid, was already used or has expired. Request a new one.")
    token.used_at = _now()
    user = await session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise InvalidToken("This link is invalid, was already used or has expired. Request a new one.")
    return user


async def verify_email(session: AsyncSession, raw: str) -> User:
    user = await _consume_email_token(session, raw, EmailTokenPurpose.VERIFY_EMAIL)
    if user.email_verified_at is None:
        user.email_verified_at = _now()
    await session.flush()
    return user


# --- password reset ------------------------------------------------------------------------------


async def forgot_password(session: AsyncSession, settings: Settings, email: str) -> None:
    user = await get_user_by_email(session, email)
    if user is None or not user.is_active:
        return  # same answer as for a real account
    raw = await _issue_email_token(session, user, EmailTokenPurpose.RESET_PASSWORD, RESET_TTL)
    await queue_mail(
        session,
        to=user.email,
        template="reset_password",
        context={
            "name": user.full_name or user.email,
            "link": f"{settings.public_base_url}/reset-password?token={raw}",
            "minutes": int(RESET_TTL.total_seconds() // 60),
        },
        base_url=settings.public_base_url,
        user_id=user.id,
    )


async def reset_password(session: AsyncSession, *, raw_token: str, new_password: str) -> User:
    user = await _consume_email_token(session, raw_token, EmailTokenPurpose.RESET_PASSWORD)
    check_password_policy(new_password, user.email, "new_password")
    user.password_hash = hash_password(new_password)
    # Receiving the mail proves the address; and whoever knew the old password is signed out.
    if user.email_verified_at is None:
        user.email_verified_at = _now()
    await revoke_all_sessions(session, user.id, reason="password_reset")
    return user


async def change_password(
    session: AsyncSession, principal_user: User, current_session_id: uuid.UUID, *, current: str, new: str
) -> None:
    if not verify_password(current, principal_user.password_hash):
        raise AppError("The current password is incorrect.", status=400, code="wrong_password", title="Wrong password")
    check_password_policy(new, principal_user.email, "new_password")
    principal_user.password_hash = hash_password(new)
    await revoke_all_sessions(session, principal_user.id, reason="password_changed", keep=current_session_id)


# --- login, sessions, refresh --------------------------------------------------------------------


async def authenticate(session: AsyncSession, *, email: str, password: str) -> User:
    user = await get_user_by_email(session, email)
    # verify_password hashes even when the user is missing: equal timing for both cases.
    if not verify_password(password, user.password_hash if user else None) or user is None:
        raise Unauthorized(GENERIC_LOGIN_FAILURE, code="invalid_credentials", headers={})
    if not user.is_active:
        raise Unauthorized(GENERIC_LOGIN_FAILURE, code="invalid_credentials", headers={})
    return user


async def start_session(
    session: AsyncSession, settings: Settings, user: User, *, user_agent: str, ip: str | None, method: str
) -> IssuedTokens:
    auth_session = AuthSession(
        id=uuid.uuid4(),
        user_id=user.id,
        device_label=device_label(user_agent),
        user_agent=user_agent[:512],
        ip_address=ip,
        login_method=method,
        expires_at=_now() + timedelta(days=settings.refresh_token_ttl_days),
    )
    session.add(auth_session)
    raw = new_opaque_token()
    session.add(RefreshToken(session_id=auth_session.id, token_hash=hash_token(raw)))
    await session.flush()
    log.info("session_started", user_id=str(user.id), session_id=str(auth_session.id), method=method)
    return _tokens(settings, user, auth_session, raw)


def _tokens(settings: Settings, user: User, auth_session: AuthSession, raw_refresh: str) -> IssuedTokens:
    access, _ = issue_access_token(
        user_id=user.id,
        session_id=auth_session.id,
        role=user.role.value,
        secret=settings.jwt_secret,
        ttl_seconds=settings.access_token_ttl_seconds,
    )
    return IssuedTokens(
        user=user,
        session=auth_session,
        access_token=access,
        access_expires_in=settings.access_token_ttl_seconds,
        refresh_token=raw_refresh,
    )


class RefreshReuseDetected(Exception):
    """A rotated-out refresh token came back: someone holds a copy. The session was revoked."""


async def rotate_refresh_token(session: AsyncSession, settings: Settings, raw: str, *, ip: str | None) -> IssuedTokens:
    invalid = Unauthorized("Your session has ended. Please sign in again.", code="invalid_refresh_token")
    row = (
        await session.execute(
            select(RefreshToken, AuthSession)
            .join(AuthSession, AuthSession.id == RefreshToken.session_id)
            .where(RefreshToken.token_hash == hash_token(raw))
            .with_for_update(of=[RefreshToken, AuthSession])
        )
    ).first()
    if row is None:
        raise invalid
    token, auth_session = row
    if auth_session.revoked_at is not None or auth_session.expires_at <= _now():
        raise invalid
    in_grace = token.used_at is not None and _now() - token.used_at <= timedelta(
        seconds=settings.refresh_reuse_grace_seconds
    )
    if token.used_at is not None and not in_grace:
        auth_session.revoked_at = _now()
        auth_session.revoked_reason = "refresh_token_reuse"
        await session.flush()
        log.warning("refresh_token_reuse_detected", session_id=str(auth_session.id))
        raise RefreshReuseDetected
    user = await session.get(User, auth_session.user_id)
    if user is None or not user.is_active:
        raise invalid
    if token.used_at is None:
        token.used_at = _now()
    auth_session.last_used_at = _now()
    auth_session.expires_at = _now() + timedelta(days=settings.refresh_token_ttl_days)
    if ip:
        auth_session.ip_address = ip
    new_raw = new_opaque_token()
    session.add(RefreshToken(session_id=auth_session.id, token_hash=hash_token(new_raw)))
    await session.flush()
    return _tokens(settings, user, auth_session, new_raw)


async def revoke_session_by_refresh_token(session: AsyncSession, raw: str) -> None:
    auth_session = await session.scalar(
        select(AuthSession)
        .join(RefreshToken, RefreshToken.session_id == AuthSession.id)
        .where(RefreshToken.token_hash == hash_token(raw))
    )
    if auth_session is not None and auth_session.revoked_at is None:
        auth_session.revoked_at = _now()
        auth_session.revoked_reason = "logout"


async def revoke_session(session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID, reason: str) -> None:
    auth_session = await session.scalar(
        select(AuthSession).where(AuthSession.id == session_id, AuthSession.user_id == user_id)
    )
    if auth_session is None:
        raise NotFound("No such session.")
    if auth_session.revoked_at is None:
        auth_session.revoked_at = _now()
        auth_session.revoked_reason = reason


async def revoke_all_sessions(
    session: AsyncSession, user_id: uuid.UUID, *, reason: str, keep: uuid.UUID | None = None
) -> int:
    stmt = (
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=_now(), revoked_reason=reason)
    )
    if keep is not None:
        stmt = stmt.where(AuthSession.id != keep)
    result = await session.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)


async def active_sessions(session: AsyncSession, user_id: uuid.UUID) -> list[AuthSession]:
    rows = await session.scalars(
        select(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None), AuthSession.expires_at > _now())
        .order_by(AuthSession.last_used_at.desc())
    )
    return list(rows.all())
