"""OAuth 2.0 sign-in with Google (OpenID Connect), GitHub and Facebook, via Authlib.

Flow: ``/start`` stores a random ``state`` and a PKCE verifier server-side (Redis, 10 minutes,
single use) and binds the state to the browser with a cookie; ``/callback`` checks both, exchanges
the code, reads the profile and signs the person in with a refresh cookie. No token ever appears
in a URL: the web app then calls ``/api/auth/refresh`` to get its access token.

Linking: an existing link (provider, subject) wins; otherwise an account with the same email is
linked only when the provider says the email is verified; otherwise a new account is created.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
import structlog
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice.config import Settings
from boxoffice.errors import AppError, ServiceUnavailable
from boxoffice.models import OAuthAccount, Role, User
from boxoffice.runtime import Runtime

log = structlog.get_logger(__name__)

ProviderName = Literal["google", "github", "facebook"]
STATE_TTL_SECONDS = 600
HTTP_TIMEOUT = 10.0


class OAuthFailed(AppError):
    status, code, title = 400, "oauth_failed", "Sign-in with the provider failed"


@dataclass(frozen=True)
class Profile:
    subject: str
    email: str | None
    email_verified: bool
    name: str


@dataclass(frozen=True)
class Provider:
    name: ProviderName
    label: str
    client_id: str
    client_secret: str
    scope: str

    async def endpoints(self, settings: Settings, runtime: Runtime) -> dict[str, str]:
        if self.name == "google":
            return await _google_metadata(settings, runtime)
        if self.name == "github":
            return {
                "authorize": f"{settings.oauth_github_base_url}/login/oauth/authorize",
                "token": f"{settings.oauth_github_base_url}/login/oauth/access_token",
                "userinfo": f"{settings.oauth_github_api_base_url}/user",
                "emails": f"{settings.oauth_github_api_base_url}/user/emails",
            }
        return {
            "authorize": f"{settings.oauth_facebook_base_url}/v19.0/dialog/oauth",
            "token": f"{settings.oauth_facebook_graph_url}/v19.0/oauth/access_token",
            "userinfo": f"{settings.oauth_facebook_graph_url}/me?fields=id,name,email",
        }


async def _google_metadata(settings: Settings, runtime: Runtime) -> dict[str, str]:
    cached = runtime.extras.get("google_oidc_metadata")
    if isinstance(cached, dict):
        return cached
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as http:
            response = await http.get(settings.oauth_google_server_metadata_url)
            response.raise_for_status()
            document = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ServiceUnavailable("Google sign-in is unreachable right now; try again shortly.") from exc
    metadata = {
        "authorize": document["authorization_endpoint"],
        "token": document["token_endpoint"],
        "userinfo": document["userinfo_endpoint"],
    }
    runtime.extras["google_oidc_metadata"] = metadata
    return metadata


def enabled_providers(settings: Settings) -> dict[str, Provider]:
    candidates: list[tuple[ProviderName, str, str | None, str | None, str]] = [
        (
            "google",
            "Google",
            settings.oauth_google_client_id,
            settings.oauth_google_client_secret,
            "openid email profile",
        ),
        (
            "github",
            "GitHub",
            settings.oauth_github_client_id,
            settings.oauth_github_client_secret,
            "read:user user:email",
        ),
        (
            "facebook",
            "Facebook",
            settings.oauth_facebook_client_id,
            settings.oauth_facebook_client_secret,
            "email public_profile",
        ),
    ]
    return {
        name: Provider(name=name, label=label, client_id=cid, client_secret=secret or "", scope=scope)
        for name, label, cid, secret, scope in candidates
        if cid
    }


def callback_url(settings: Settings, provider: str) -> str:
    return f"{settings.public_base_url}/api/auth/oauth/{provider}/callback"


def _client(provider: Provider, settings: Settings) -> AsyncOAuth2Client:
    return AsyncOAuth2Client(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        scope=provider.scope,
        redirect_uri=callback_url(settings, provider.name),
        code_challenge_method="S256",
        timeout=HTTP_TIMEOUT,
    )


def safe_next(path: str | None) -> str:
    """Only same-site relative paths: never an open redirect."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


async def begin(provider: Provider, settings: Settings, runtime: Runtime, next_path: str | None) -> tuple[str, str]:
    """Return (authorization URL, state)."""
    endpoints = await provider.endpoints(settings, runtime)
    state = generate_token(32)
    verifier = generate_token(64)
    await runtime.redis.set(
        f"oauth:state:{state}",
        json.dumps({"provider": provider.name, "verifier": verifier, "next": safe_next(next_path)}),
        ex=STATE_TTL_SECONDS,
    )
    async with _client(provider, settings) as client:
        url, _ = client.create_authorization_url(endpoints["authorize"], state=state, code_verifier=verifier)
    return str(url), state


async def consume_state(runtime: Runtime, provider: Provider, state: str, cookie_state: str | None) -> dict[str, str]:
    if not state or cookie_state != state:
        raise OAuthFailed("The sign-in request did not start in this browser.", code="oauth_state_mismatch")
    raw = await runtime.redis.getdel(f"oauth:state:{state}")
    if raw is None:
        raise OAuthFailed("The sign-in request expired or was already used.", code="oauth_state_mismatch")
    stored: dict[str, str] = json.loads(raw)
    if stored["provider"] != provider.name:
        raise OAuthFailed("The sign-in request was for another provider.", code="oauth_state_mismatch")
    return stored


async def fetch_profile(
    provider: Provider, settings: Settings, runtime: Runtime, *, code: str, verifier: str
) -> Profile:
    """Network calls to the provider. Made before any database work (no lock held)."""
    endpoints = await provider.endpoints(settings, runtime)
    async with _client(provider, settings) as client:
        try:
            await client.fetch_token(
                endpoints["token"], code=code, code_verifier=verifier, headers={"Accept": "application/json"}
            )
            response = await client.get(endpoints["userinfo"])
            response.raise_for_status()
            data: dict[str, Any] = response.json()
            if provider.name == "google":
                return Profile(
                    subject=str(data["sub"]),
                    email=data.get("email"),
                    email_verified=bool(data.get("email_verified")),
                    name=str(data.get("name") or ""),
                )
            if provider.name == "github":
                emails = await client.get(endpoints["emails"])
                emails.raise_for_status()
                primary = next((e for e in emails.json() if e.get("primary")), None)
                return Profile(
                    subject=str(data["id"]),
                    email=primary["email"] if primary else None,
                    email_verified=bool(primary and primary.get("verified")),
                    name=str(data.get("name") or data.get("login") or ""),
                )
            # Facebook only returns an email it has confirmed.
            return Profile(
                subject=str(data["id"]),
                email=data.get("email"),
                email_verified=bool(data.get("email")),
                name=str(data.get("name") or ""),
            )
        except OAuthFailed:
            raise
        except Exception as exc:
            log.warning("oauth_exchange_failed", provider=provider.name, error=type(exc).__name__)
            raise OAuthFailed("The provider did not confirm the sign-in.", code="oauth_exchange_failed") from exc


async def resolve_user(session: AsyncSession, provider: ProviderName, profile: Profile) -> User:
    link = await session.scalar(
        select(OAuthAccount).where(OAuthAccount.provider == provider, OAuthAccount.subject == profile.subject)
    )
    if link is not None:
        user = await session.get(User, link.user_id)
        if user is None or not user.is_active:
            raise OAuthFailed("This account is disabled.", code="account_disabled")
        return user
    if not profile.email:
        raise OAuthFailed("The provider did not share an email address.", code="oauth_email_required")
    email = profile.email.strip().lower()
    user = await session.scalar(select(User).where(User.email == email))
    if user is not None:
        if not profile.email_verified:
            # Linking on an unverified address would let anyone take over the account.
            raise OAuthFailed(
                "Sign in with your password first: the provider has not verified this email.",
                code="oauth_email_unverified",
            )
        if not user.is_active:
            raise OAuthFailed("This account is disabled.", code="account_disabled")
        if user.email_verified_at is None:
            user.email_verified_at = datetime.now(UTC)
    else:
        user = User(
            id=uuid.uuid4(),
            email=email,
            full_name=profile.name[:200],
            password_hash=None,
            role=Role.CUSTOMER,
            email_verified_at=datetime.now(UTC) if profile.email_verified else None,
        )
        session.add(user)
        await session.flush()
    session.add(OAuthAccount(user_id=user.id, provider=provider, subject=profile.subject, email=email))
    await session.flush()
    log.info("oauth_account_linked", provider=provider, user_id=str(user.id))
    return user
