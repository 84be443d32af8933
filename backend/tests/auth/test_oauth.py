"""OAuth sign-in end to end against the local provider: state, PKCE, linking, no tokens in URLs."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from boxoffice.models import Role
from tests.conftest import serve_app
from tests.fixtures.auth import CSRF, bearer
from tests.fixtures.oauth_provider import CLIENT_ID, CLIENT_SECRET, Identity, ProviderState


def provider_settings(provider: ProviderState) -> dict[str, Any]:
    base = provider.base_url
    return {
        "oauth_google_client_id": CLIENT_ID,
        "oauth_google_client_secret": CLIENT_SECRET,
        "oauth_google_server_metadata_url": f"{base}/.well-known/openid-configuration",
        "oauth_github_client_id": CLIENT_ID,
        "oauth_github_client_secret": CLIENT_SECRET,
        "oauth_github_base_url": base,
        "oauth_github_api_base_url": base,
        "oauth_facebook_client_id": CLIENT_ID,
        "oauth_facebook_client_secret": CLIENT_SECRET,
        "oauth_facebook_base_url": base,
        "oauth_facebook_graph_url": base,
        "public_base_url": "https://testserver",
    }


async def run_flow(
    app_client: httpx.AsyncClient, provider_name: str, next_path: str = "/my/bookings"
) -> httpx.Response:
    """What the browser does: start -> provider consent -> callback. Returns the callback answer."""
    start = await app_client.get(f"/api/auth/oauth/{provider_name}", params={"next": next_path})
    assert start.status_code == 302, start.text
    async with httpx.AsyncClient() as browser:
        consent = await browser.get(start.headers["location"])
    assert consent.status_code == 302, consent.text
    callback = urlparse(consent.headers["location"])
    assert callback.path == f"/api/auth/oauth/{provider_name}/callback"
    return await app_client.get(f"{callback.path}?{callback.query}")


@pytest.mark.parametrize("provider_name", ["google", "github", "facebook"])
async def test_full_flow_creates_account_and_signs_in(
    settings: Any, oauth_provider: ProviderState, provider_name: str
) -> None:
    oauth_provider.next_identity = Identity(subject="sub-42", email=f"{provider_name}@example.com")
    async with serve_app(settings, **provider_settings(oauth_provider)) as (_, http):
        listed = (await http.get("/api/auth/oauth/providers")).json()
        assert {p["name"] for p in listed} == {"google", "github", "facebook"}

        done = await run_flow(http, provider_name)
        assert done.status_code == 302
        assert done.headers["location"] == "/auth/complete?next=/my/bookings"
        assert "token" not in done.headers["location"]  # no tokens in URLs
        assert "bo_refresh=" in done.headers.get("set-cookie", "")

        # The web app then exchanges the cookie for an access token.
        refreshed = await http.post("/api/auth/refresh", headers=CSRF)
        assert refreshed.status_code == 200
        me = (await http.get("/api/auth/me", headers=bearer(refreshed.json()["access_token"]))).json()
        assert me["email"] == f"{provider_name}@example.com"
        assert me["email_verified"] is True and me["role"] == "customer"
        sessions = (await http.get("/api/auth/sessions", headers=bearer(refreshed.json()["access_token"]))).json()
        assert sessions[0]["login_method"] == f"oauth:{provider_name}"

    # PKCE was used on the token request.
    assert oauth_provider.token_requests[-1]["code_verifier"]


async def test_verified_email_links_to_the_existing_account(
    settings: Any, oauth_provider: ProviderState, make_user: Any
) -> None:
    existing = await make_user(Role.ORGANIZER, email="linked@example.com")
    oauth_provider.next_identity = Identity(subject="google-777", email="Linked@Example.com", email_verified=True)
    async with serve_app(settings, **provider_settings(oauth_provider)) as (_, http):
        assert (await run_flow(http, "google")).headers["location"].startswith("/auth/complete")
        token = (await http.post("/api/auth/refresh", headers=CSRF)).json()["access_token"]
        me = (await http.get("/api/auth/me", headers=bearer(token))).json()
        assert me["id"] == str(existing.id) and me["role"] == "organizer"
        # Second time: found by the stored link (subject), even if the provider email changed.
        oauth_provider.next_identity = Identity(subject="google-777", email="changed@example.com")
        await run_flow(http, "google")
        token = (await http.post("/api/auth/refresh", headers=CSRF)).json()["access_token"]
        assert (await http.get("/api/auth/me", headers=bearer(token))).json()["id"] == str(existing.id)


async def test_unverified_email_never_links_to_an_existing_account(
    settings: Any, oauth_provider: ProviderState, make_user: Any
) -> None:
    await make_user(email="victim@example.com")
    oauth_provider.next_identity = Identity(subject="gh-1", email="victim@example.com", email_verified=False)
    async with serve_app(settings, **provider_settings(oauth_provider)) as (_, http):
        done = await run_flow(http, "github")
    assert done.status_code == 302
    assert done.headers["location"] == "/login?oauth_error=oauth_email_unverified"
    assert "bo_refresh" not in done.headers.get("set-cookie", "")


async def test_state_must_match_the_browser_and_is_single_use(settings: Any, oauth_provider: ProviderState) -> None:
    oauth_provider.next_identity = Identity(subject="sub-9", email="state@example.com")
    async with serve_app(settings, **provider_settings(oauth_provider)) as (_, http):
        start = await http.get("/api/auth/oauth/google")
        async with httpx.AsyncClient() as browser:
            consent = await browser.get(start.headers["location"])
        callback = urlparse(consent.headers["location"])
        # An attacker's browser (no state cookie) replaying the callback is refused (login CSRF).
        async with serve_app(settings, **provider_settings(oauth_provider)) as (_, other_browser):
            forged = await other_browser.get(f"{callback.path}?{callback.query}")
            assert forged.headers["location"] == "/login?oauth_error=oauth_state_mismatch"
        ok = await http.get(f"{callback.path}?{callback.query}")
        assert ok.headers["location"].startswith("/auth/complete")
        # Replaying the same callback again: state already consumed.
        http.cookies.set("bo_oauth_state", parse_qs(callback.query)["state"][0], path="/api/auth/oauth")
        replay = await http.get(f"{callback.path}?{callback.query}")
        assert replay.headers["location"] == "/login?oauth_error=oauth_state_mismatch"


async def test_open_redirects_are_neutralised(settings: Any, oauth_provider: ProviderState) -> None:
    oauth_provider.next_identity = Identity(subject="sub-10", email="redirect@example.com")
    async with serve_app(settings, **provider_settings(oauth_provider)) as (_, http):
        done = await run_flow(http, "google", next_path="//evil.example.com/steal")
    assert done.headers["location"] == "/auth/complete?next=/"


async def test_cancelled_consent_and_disabled_provider(settings: Any, oauth_provider: ProviderState) -> None:
    async with serve_app(settings, **provider_settings(oauth_provider)) as (_, http):
        start = await http.get("/api/auth/oauth/google")
        state = parse_qs(urlparse(start.headers["location"]).query)["state"][0]
        cancelled = await http.get("/api/auth/oauth/google/callback", params={"error": "access_denied", "state": state})
        assert cancelled.headers["location"] == "/login?oauth_error=oauth_cancelled"
    # Not configured -> not offered, and its routes are 404.
    async with serve_app(settings) as (_, http):
        assert (await http.get("/api/auth/oauth/providers")).json() == []
        missing = await http.get("/api/auth/oauth/google")
        assert missing.status_code == 404 and missing.json()["code"] == "oauth_provider_disabled"
