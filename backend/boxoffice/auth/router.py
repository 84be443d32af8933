"""HTTP layer of authentication: /api/auth/*."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice.auth import service
from boxoffice.auth.cookies import clear_refresh_cookie, refresh_token_from, set_refresh_cookie
from boxoffice.auth.dependencies import CurrentUser, Principal
from boxoffice.auth.schemas import (
    Accepted,
    ChangePasswordRequest,
    ForgotPasswordRequest,
    LoginRequest,
    LogoutRequest,
    ProfileUpdate,
    RefreshRequest,
    RegisterRequest,
    ResetPasswordRequest,
    SessionRead,
    TokenResponse,
    UserRead,
    VerifyEmailRequest,
)
from boxoffice.auth.throttle import Throttle
from boxoffice.deps import RuntimeDep, SessionDep, SettingsDep
from boxoffice.errors import Problem, Unauthorized, error_responses, problem_response
from boxoffice.models import User

router = APIRouter(prefix="/auth", tags=["auth"])


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _token_response(issued: service.IssuedTokens, *, in_body: bool) -> TokenResponse:
    return TokenResponse(
        access_token=issued.access_token,
        expires_in=issued.access_expires_in,
        refresh_token=issued.refresh_token if in_body else None,
        user=UserRead.model_validate(issued.user),
    )


@router.post(
    "/register",
    operation_id="auth-register",
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(400, 422, 429),
)
async def register(body: RegisterRequest, request: Request, session: SessionDep, runtime: RuntimeDep) -> Accepted:
    """Create an account. The answer is the same whether or not the email is already registered;
    the owner of an existing account gets an email instead. Sign in with the same credentials next."""
    await Throttle(runtime).hit_ip("register", client_ip(request) or "-", Throttle(runtime).sensitive)
    await service.register(
        session, runtime.settings, email=body.email, password=body.password, full_name=body.full_name
    )
    return Accepted(message="Check your inbox to confirm your email address.")


@router.post("/login", operation_id="auth-login", responses=error_responses(401, 422, 429))
async def login(
    body: LoginRequest, request: Request, response: Response, session: SessionDep, runtime: RuntimeDep
) -> TokenResponse:
    """Sign in with email and password. Rate limited per IP and per account (429 with Retry-After)."""
    throttle = Throttle(runtime)
    email = service.normalize_email(body.email)
    await throttle.hit_ip("login", client_ip(request) or "-")
    await throttle.check_account(email)
    try:
        user = await service.authenticate(session, email=email, password=body.password)
    except Unauthorized:
        await throttle.record_failure(email)
        raise
    await throttle.clear_failures(email)
    issued = await service.start_session(
        session,
        runtime.settings,
        user,
        user_agent=request.headers.get("user-agent", ""),
        ip=client_ip(request),
        method="password",
    )
    if body.token_delivery == "cookie":
        set_refresh_cookie(response, runtime.settings, issued.refresh_token)
    return _token_response(issued, in_body=body.token_delivery == "body")


@router.post(
    "/refresh",
    operation_id="auth-refresh",
    responses=error_responses(401, 403, 422),
)
async def refresh(
    request: Request, response: Response, session: SessionDep, settings: SettingsDep, body: RefreshRequest | None = None
) -> TokenResponse:
    """Exchange a refresh token (cookie or body) for a new access token and a new refresh token.
    Every refresh token works once; presenting a used one signs the whole session out."""
    from_body = bool(body and body.refresh_token)
    raw = refresh_token_from(request, body.refresh_token if body else None)
    if not raw:
        raise Unauthorized("Your session has ended. Please sign in again.", code="invalid_refresh_token")
    try:
        issued = await service.rotate_refresh_token(session, settings, raw, ip=client_ip(request))
    except service.RefreshReuseDetected:
        # Return (not raise) so that the session's revocation is committed.
        problem = Problem(
            type="https://boxoffice.dev/problems/refresh_token_reused",
            title="Session revoked",
            status=401,
            detail="This sign-in was used from somewhere else, so it has been signed out for your safety.",
            code="refresh_token_reused",
            instance=request.url.path,
        )
        answer = problem_response(problem)
        clear_refresh_cookie(answer, settings)
        return answer  # type: ignore[return-value]
    if not from_body:
        set_refresh_cookie(response, settings, issued.refresh_token)
    return _token_response(issued, in_body=from_body)


@router.post("/logout", operation_id="auth-logout", status_code=204, responses=error_responses(403, 422))
async def logout(
    request: Request, session: SessionDep, settings: SettingsDep, body: LogoutRequest | None = None
) -> Response:
    """End this session: its refresh token stops working and its access tokens are refused."""
    raw = refresh_token_from(request, body.refresh_token if body else None)
    if raw:
        await service.revoke_session_by_refresh_token(session, raw)
    answer = Response(status_code=204)
    clear_refresh_cookie(answer, settings)
    return answer


@router.post("/logout-all", operation_id="auth-logout-all", status_code=204, responses=error_responses(401))
async def logout_all(principal: CurrentUser, session: SessionDep, settings: SettingsDep) -> Response:
    """Sign out everywhere, this device included."""
    await service.revoke_all_sessions(session, principal.id, reason="logout_all")
    answer = Response(status_code=204)
    clear_refresh_cookie(answer, settings)
    return answer


async def _own_user(session: AsyncSession, principal: Principal) -> User:
    """The caller's user row in this request's transaction, locked: ``principal.user`` is a
    read-only snapshot (auth/dependencies.py), changes go through the session."""
    user = await session.get(User, principal.id, with_for_update=True)
    if user is None:  # deleted since the token was checked
        raise Unauthorized("The session no longer exists.", code="invalid_token")
    return user


@router.get("/me", operation_id="auth-me", responses=error_responses(401))
async def me(principal: CurrentUser) -> UserRead:
    return UserRead.model_validate(principal.user)


@router.patch("/me", operation_id="auth-update-profile", responses=error_responses(401, 422))
async def update_profile(body: ProfileUpdate, principal: CurrentUser, session: SessionDep) -> UserRead:
    user = await _own_user(session, principal)
    user.full_name = body.full_name.strip()
    await session.flush()
    return UserRead.model_validate(user)


@router.post(
    "/change-password", operation_id="auth-change-password", status_code=204, responses=error_responses(400, 401, 422)
)
async def change_password(body: ChangePasswordRequest, principal: CurrentUser, session: SessionDep) -> Response:
    """Change the password; every other session is signed out."""
    await service.change_password(
        session,
        await _own_user(session, principal),
        principal.session_id,
        current=body.current_password,
        new=body.new_password,
    )
    return Response(status_code=204)


@router.post("/verify-email", operation_id="auth-verify-email", responses=error_responses(400, 422))
async def verify_email(body: VerifyEmailRequest, session: SessionDep) -> UserRead:
    user = await service.verify_email(session, body.token)
    return UserRead.model_validate(user)


@router.post(
    "/verify-email/resend",
    operation_id="auth-resend-verification",
    status_code=202,
    responses=error_responses(401, 429),
)
async def resend_verification(principal: CurrentUser, session: SessionDep, runtime: RuntimeDep) -> Accepted:
    throttle = Throttle(runtime)
    await throttle.hit_ip("resend-verification", str(principal.id), throttle.sensitive)
    if not principal.user.email_verified:
        await service.send_verification(session, runtime.settings, principal.user)
    return Accepted(message="If your address is not yet confirmed, a new link is on its way.")


@router.post(
    "/forgot-password",
    operation_id="auth-forgot-password",
    status_code=202,
    responses=error_responses(422, 429),
)
async def forgot_password(
    body: ForgotPasswordRequest, request: Request, session: SessionDep, runtime: RuntimeDep
) -> Accepted:
    """Mail a reset link. Same answer whether or not the email is registered."""
    throttle = Throttle(runtime)
    await throttle.hit_ip("forgot-password", client_ip(request) or "-", throttle.sensitive)
    await service.forgot_password(session, runtime.settings, body.email)
    return Accepted(message="If an account exists for this address, a reset link is on its way.")


@router.post(
    "/reset-password", operation_id="auth-reset-password", status_code=204, responses=error_responses(400, 422)
)
async def reset_password(body: ResetPasswordRequest, session: SessionDep) -> Response:
    """Set a new password with the mailed token; signs out every session."""
    await service.reset_password(session, raw_token=body.token, new_password=body.new_password)
    return Response(status_code=204)


@router.get("/sessions", operation_id="auth-sessions", responses=error_responses(401))
async def sessions(principal: CurrentUser, session: SessionDep) -> list[SessionRead]:
    """Devices signed in to this account, most recently used first."""
    rows = await service.active_sessions(session, principal.id)
    return [
        SessionRead(
            id=s.id,
            device_label=s.device_label,
            user_agent=s.user_agent,
            ip_address=str(s.ip_address) if s.ip_address else None,
            login_method=s.login_method,
            created_at=s.created_at,
            last_used_at=s.last_used_at,
            expires_at=s.expires_at,
            current=s.id == principal.session_id,
        )
        for s in rows
    ]


@router.delete(
    "/sessions/{session_id}", operation_id="auth-revoke-session", status_code=204, responses=error_responses(401, 404)
)
async def revoke_session(session_id: uuid.UUID, principal: CurrentUser, session: SessionDep) -> Response:
    """Sign one device out. Other people's sessions are 404 (never revealed)."""
    await service.revoke_session(session, principal.id, session_id, reason="revoked_by_user")
    return Response(status_code=204)
