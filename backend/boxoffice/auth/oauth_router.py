"""HTTP layer of OAuth sign-in: /api/auth/oauth/*."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from boxoffice.auth import oauth, service
from boxoffice.auth.cookies import set_refresh_cookie
from boxoffice.auth.router import client_ip
from boxoffice.auth.schemas import OAuthProvider
from boxoffice.deps import RuntimeDep, SessionDep
from boxoffice.errors import NotFound, error_responses

router = APIRouter(prefix="/auth/oauth", tags=["auth"])
STATE_COOKIE = "bo_oauth_state"


def _provider(name: str, runtime: RuntimeDep) -> oauth.Provider:
    provider = oauth.enabled_providers(runtime.settings).get(name)
    if provider is None:
        raise NotFound("This sign-in provider is not enabled.", code="oauth_provider_disabled")
    return provider


@router.get("/providers", operation_id="auth-oauth-providers")
async def providers(runtime: RuntimeDep) -> list[OAuthProvider]:
    """Providers enabled by configuration, for the sign-in buttons."""
    return [
        OAuthProvider(name=p.name, label=p.label, authorize_url=f"/api/auth/oauth/{p.name}")
        for p in oauth.enabled_providers(runtime.settings).values()
    ]


@router.get(
    "/{provider}",
    operation_id="auth-oauth-start",
    status_code=302,
    response_class=RedirectResponse,
    responses=error_responses(404),
)
async def start(
    provider: str, runtime: RuntimeDep, next: Annotated[str | None, Query(max_length=500)] = None
) -> RedirectResponse:
    """Redirect the browser to the provider's consent page."""
    chosen = _provider(provider, runtime)
    url, state = await oauth.begin(chosen, runtime.settings, runtime, next)
    response = RedirectResponse(url, status_code=302)
    # Lax, not Strict: the provider's redirect back to us is a cross-site top-level navigation.
    response.set_cookie(
        STATE_COOKIE,
        state,
        max_age=oauth.STATE_TTL_SECONDS,
        path="/api/auth/oauth",
        secure=runtime.settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )
    return response


@router.get(
    "/{provider}/callback",
    operation_id="auth-oauth-callback",
    status_code=302,
    response_class=RedirectResponse,
    responses=error_responses(404),
)
async def callback(
    provider: str,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    code: Annotated[str | None, Query(max_length=2000)] = None,
    state: Annotated[str | None, Query(max_length=200)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> RedirectResponse:
    """The provider sends the browser back here. Success: refresh cookie + redirect into the web app
    (which then calls /api/auth/refresh). Failure: redirect to the sign-in page with an error code."""
    chosen = _provider(provider, runtime)
    settings = runtime.settings
    try:
        stored = await oauth.consume_state(runtime, chosen, state or "", request.cookies.get(STATE_COOKIE))
        if error or not code:
            raise oauth.OAuthFailed("Sign-in was cancelled at the provider.", code="oauth_cancelled")
        profile = await oauth.fetch_profile(chosen, settings, runtime, code=code, verifier=stored["verifier"])
        user = await oauth.resolve_user(session, chosen.name, profile)
        issued = await service.start_session(
            session,
            settings,
            user,
            user_agent=request.headers.get("user-agent", ""),
            ip=client_ip(request),
            method=f"oauth:{chosen.name}",
        )
    except oauth.OAuthFailed as failure:
        failed = RedirectResponse(f"/login?oauth_error={quote(failure.code)}", status_code=302)
        failed.delete_cookie(STATE_COOKIE, path="/api/auth/oauth")
        return failed
    response = RedirectResponse(f"/auth/complete?next={quote(stored['next'])}", status_code=302)
    response.delete_cookie(STATE_COOKIE, path="/api/auth/oauth")
    set_refresh_cookie(response, settings, issued.refresh_token)
    return response
