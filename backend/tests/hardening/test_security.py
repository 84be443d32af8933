"""Security checks beyond the per-route authorization matrix (tests/test_authorization_matrix.py).

- IDOR: another customer (and another organizer) probing someone's booking, tickets, QR/PDF,
  refunds, payment, card form and cancellation gets 404 and changes nothing;
- tokens: roles come from the database, never from the token; other signing algorithms are refused;
- CSRF: the refresh cookie acts only with the custom header, is never an access credential, and a
  foreign origin cannot get the header through CORS;
- CORS: allowlisted origin only, credentials only for it, foreign preflights refused;
- headers: CSP (frame-ancestors 'none'), nosniff, DENY on the web app and the API, errors included;
  HSTS only behind TLS; the web app never serves files outside its folder;
- request size: a streamed body without Content-Length is cut off at the limit (413);
- rate limits: booking creation and door scans per account (429 problem+json with Retry-After);
- logs: no password, token, ticket code, secret or SQL value reaches a log line, access log included.

(JWT tampering, the CSRF header on refresh, login throttling and the 413 by Content-Length are in
tests/auth/ and tests/foundation/.)
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from fastapi import APIRouter
from sqlalchemy import text

from boxoffice.auth.tokens import issue_access_token
from boxoffice.config import Settings
from boxoffice.deps import SessionDep
from boxoffice.main import create_app
from tests.bookings.conftest import book, order, sql
from tests.conftest import serve_app
from tests.fixtures.auth import CSRF, Buyer, bearer, login, mails_to, token_from_link
from tests.fixtures.factories import DEFAULT_PASSWORD
from tests.fixtures.stripe import _free_port
from tests.hardening.conftest import World, assert_problem
from tests.hardening.test_faults import BACKEND_DIR, CARD, wait_live
from tests.tickets.conftest import paid_booking, tickets_of

ALLOWED_ORIGIN = "http://localhost:5173"
FOREIGN_ORIGIN = "https://evil.example"

# --- IDOR -----------------------------------------------------------------------------------------


async def _state(runtime: Any, world: World) -> list[Any]:
    return [
        await sql(runtime, "SELECT id, status, refunded_minor FROM bookings ORDER BY id"),
        await sql(runtime, "SELECT id, status FROM payments ORDER BY id"),
        await sql(runtime, "SELECT id, status, checked_in_at FROM tickets ORDER BY id"),
        await sql(runtime, "SELECT id FROM refunds ORDER BY id"),
    ]


async def test_other_peoples_bookings_tickets_and_payments_do_not_exist(
    client: httpx.AsyncClient, world: World, runtime: Any
) -> None:
    before = await _state(runtime, world)
    booking, pending, ticket = world.paid_booking_id, world.pending_booking_id, world.ticket_id
    probes: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", f"/api/bookings/{booking}", None),
        ("GET", f"/api/bookings/{booking}/tickets", None),
        ("GET", f"/api/bookings/{booking}/refunds", None),
        ("GET", f"/api/tickets/{ticket}/qr.svg", None),
        ("GET", f"/api/tickets/{ticket}/pdf", None),
        ("DELETE", f"/api/bookings/{booking}", None),
        ("DELETE", f"/api/bookings/{pending}", None),
        ("POST", f"/api/bookings/{pending}/payment", None),
        ("POST", f"/api/bookings/{pending}/confirm", None),
        ("POST", f"/api/payments/{world.payment_id}/mock-card", CARD),
    ]
    for intruder in (world.stranger, world.other_organizer):
        for method, path, body in probes:
            response = await client.request(method, path, json=body, headers=intruder.headers)
            assert_problem(response, 404)
            assert response.json()["detail"] and world.customer.user.email not in response.text
    # Another organizer cannot read or manage this event's bookings, coupons or door.
    managing: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", f"/api/bookings/event/{world.event.id}/bookings", None),
        ("GET", f"/api/bookings/event/{world.event.id}/bookings.csv", None),
        ("PATCH", f"/api/coupons/{world.coupon_id}", {"active": False}),
        ("POST", "/api/tickets/validate", {"code": world.ticket_code}),
        ("GET", f"/api/tickets/lookup?code={world.ticket_code}", None),
        ("POST", f"/api/tickets/{ticket}/undo-checkin", None),
        ("GET", f"/api/events/{world.event.id}/staff", None),
    ]
    for method, path, body in managing:
        response = await client.request(method, path, json=body, headers=world.other_organizer.headers)
        assert response.status_code in (403, 404), (path, response.status_code)
        assert_problem(response)
    # A customer cannot scan tickets either (not even their own).
    assert_problem(
        await client.post("/api/tickets/validate", json={"code": world.ticket_code}, headers=world.customer.headers),
        403,
        "not_door_staff",
    )
    assert await _state(runtime, world) == before
    # The owner still sees everything.
    for path in (f"/api/bookings/{booking}", f"/api/tickets/{ticket}/qr.svg", f"/api/bookings/{booking}/refunds"):
        assert (await client.get(path, headers=world.customer.headers)).status_code == 200


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # HS512 with the test secret
async def test_roles_come_from_the_database_not_from_the_token(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    good = world.customer.headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(good, options={"verify_signature": False})
    # Even a correctly signed token that claims "admin" (a leaked secret, an old token) does not
    # make a customer an admin: the role is read from the user row on every request.
    promoted, _ = issue_access_token(
        user_id=world.customer.user.id,
        session_id=uuid.UUID(claims["sid"]),
        role="admin",
        secret=settings.jwt_secret,
        ttl_seconds=60,
    )
    assert_problem(await client.get("/api/users", headers=bearer(promoted)), 403, "forbidden")
    assert_problem(await client.get("/api/bookings/admin/all", headers=bearer(promoted)), 403, "forbidden")
    # The same claims under another algorithm, another secret, or for a session that does not exist.
    forged = [
        jwt.encode(claims, settings.jwt_secret, algorithm="HS512"),
        jwt.encode(claims, "another-secret-of-sufficient-length-0123456789", algorithm="HS256"),
        jwt.encode({**claims, "sid": str(uuid.uuid4())}, settings.jwt_secret, algorithm="HS256"),
        jwt.encode({k: v for k, v in claims.items() if k != "sid"}, settings.jwt_secret, algorithm="HS256"),
    ]
    for token in forged:
        response = await client.post("/api/bookings", json=order(world.event), headers=bearer(token))
        assert_problem(response, 401)


# --- CSRF and CORS --------------------------------------------------------------------------------


async def test_the_refresh_cookie_needs_the_csrf_header_and_is_no_access_credential(
    client: httpx.AsyncClient, make_user: Any
) -> None:
    user = await make_user()
    signed_in = await client.post("/api/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD})
    assert signed_in.status_code == 200 and client.cookies.get("bo_refresh")
    # A cross-site form can post to logout with the cookie, but not with the custom header: refused.
    forged_logout = await client.post("/api/auth/logout")
    assert_problem(forged_logout, 403, "csrf_failed")
    # The cookie alone never authenticates an API call.
    assert_problem(await client.get("/api/auth/me"), 401)
    assert_problem(await client.post("/api/bookings", json={"event_id": str(uuid.uuid4()), "items": []}), 401)
    # The session survived the forged logout.
    assert (await client.post("/api/auth/refresh", headers=CSRF)).status_code == 200
    assert (await client.post("/api/auth/logout", headers=CSRF)).status_code == 204
    assert_problem(await client.post("/api/auth/refresh", headers=CSRF), 401)


async def test_cors_allows_the_allowlisted_origin_only(client: httpx.AsyncClient, settings: Settings) -> None:
    assert ALLOWED_ORIGIN in settings.cors_origins and FOREIGN_ORIGIN not in settings.cors_origins
    allowed = await client.get("/api/events", headers={"Origin": ALLOWED_ORIGIN})
    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert allowed.headers["access-control-allow-credentials"] == "true"
    foreign = await client.get("/api/events", headers={"Origin": FOREIGN_ORIGIN})
    assert "access-control-allow-origin" not in foreign.headers  # the browser withholds the answer

    def preflight(origin: str, headers: str) -> dict[str, str]:
        return {
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": headers,
        }

    ok = await client.options("/api/bookings", headers=preflight(ALLOWED_ORIGIN, "authorization,content-type"))
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    # A foreign page can neither send credentials with a bearer header nor get the CSRF header through.
    for headers in ("authorization,content-type", "x-requested-with"):
        refused = await client.options("/api/auth/refresh", headers=preflight(FOREIGN_ORIGIN, headers))
        assert refused.status_code == 400
        assert "access-control-allow-origin" not in refused.headers


# --- headers, files, sizes ------------------------------------------------------------------------


def _assert_hardened(response: httpx.Response, *, hsts: bool) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff", response.url
    assert headers["x-frame-options"] == "DENY", response.url
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    if not str(response.url.path).startswith("/docs"):
        script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    if hsts:
        value = headers["strict-transport-security"]
        assert int(re.search(r"max-age=(\d+)", value).group(1)) >= 31536000  # type: ignore[union-attr]
    else:
        assert "strict-transport-security" not in headers


@pytest.fixture
def web_dist(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Boxoffice</title><div id=root></div>")
    (dist / "assets" / "app-1234.js").write_text("console.log('app')")
    (tmp_path / "secret.txt").write_text("outside the web root")
    return dist


@pytest.mark.parametrize("base_url", ["http://localhost:8000", "https://tickets.example"])
async def test_security_headers_on_the_web_app_and_the_api(settings: Settings, web_dist: Path, base_url: str) -> None:
    hsts = base_url.startswith("https://")
    async with serve_app(settings, public_base_url=base_url, frontend_dist=web_dist) as (_, http):
        index = await http.get("/")
        assert index.status_code == 200 and "<div id=root>" in index.text
        deep_link = await http.get("/events/some-event")
        assert deep_link.status_code == 200 and deep_link.text == index.text
        asset = await http.get("/assets/app-1234.js")
        assert asset.status_code == 200
        for response in (
            index,
            deep_link,
            asset,
            await http.get("/api/events"),
            await http.get("/api/nope"),  # problem+json 404
            await http.post("/api/auth/login", json={}),  # 422
            await http.get("/api/auth/me"),  # 401
            await http.get("/docs"),
            await http.get("/health/live"),
        ):
            _assert_hardened(response, hsts=hsts)


async def test_the_web_app_never_serves_files_outside_its_folder(settings: Settings, web_dist: Path) -> None:
    async with serve_app(settings, frontend_dist=web_dist) as (_, http):
        for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt", "/..%2fsecret.txt"):
            response = await http.get(path)
            assert "outside the web root" not in response.text, path


async def test_a_streamed_body_over_the_limit_is_cut_off(settings: Settings) -> None:
    limit = 4096

    async def chunks() -> Any:
        for _ in range(64):
            yield b"x" * 512

    async with serve_app(settings, max_request_bytes=limit) as (_, http):
        response = await http.post("/api/auth/login", content=chunks(), headers={"Content-Type": "application/json"})
        assert "content-length" not in response.request.headers
        assert_problem(response, 413, "payload_too_large")


# --- rate limits ----------------------------------------------------------------------------------


async def test_booking_creation_is_rate_limited_per_account(
    settings: Settings, make_event: Any, organizer: Buyer, make_buyers: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("General", 0, 100)])
    first, second = await make_buyers(2)
    async with serve_app(settings, booking_rate_per_user="3/minute") as (_, http):
        statuses = [(await book(http, first, order(event))).status_code for _ in range(4)]
        assert statuses == [201, 201, 201, 429]
        limited = await book(http, first, order(event))
        assert_problem(limited, 429, "rate_limited")
        assert 0 < int(limited.headers["retry-after"]) <= 60
        # Per account: someone else is not affected.
        assert (await book(http, second, order(event))).status_code == 201


async def test_door_scans_are_rate_limited_per_account(
    client: httpx.AsyncClient, settings: Settings, make_event: Any, organizer: Buyer, make_buyers: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("General", 2500, 10)])
    (buyer,) = await make_buyers(1)
    ticket = (await tickets_of(client, buyer, await paid_booking(client, buyer, event, 1)))[0]
    async with serve_app(settings, validate_rate_per_user="3/minute") as (_, http):
        scans = [
            await http.get("/api/tickets/lookup", params={"code": ticket["code"]}, headers=organizer.headers),
            await http.post("/api/tickets/validate", json={"code": ticket["code"]}, headers=organizer.headers),
            await http.post("/api/tickets/validate", json={"code": ticket["code"]}, headers=organizer.headers),
            await http.post("/api/tickets/validate", json={"code": ticket["code"]}, headers=organizer.headers),
        ]
        assert [r.status_code for r in scans] == [200, 200, 409, 429]  # lookup and validate share the limit
        assert_problem(scans[-1], 429, "rate_limited")
        assert int(scans[-1].headers["retry-after"]) > 0


# --- nothing secret in the logs -------------------------------------------------------------------

SECRETS_ENV = {
    "BOXOFFICE_JWT_SECRET": "jwt-secret-for-the-log-test-0123456789abcdef",
    "BOXOFFICE_TICKET_SIGNING_SECRET": "ticket-secret-for-the-log-test-0123456789",
    "BOXOFFICE_STRIPE_SECRET_KEY": "sk_test_logtest0123456789abcdef",
    "BOXOFFICE_STRIPE_WEBHOOK_SECRET": "whsec_logtest0123456789abcdef",
    "BOXOFFICE_SMTP_PASSWORD": "smtp-password-for-the-log-test",
    "BOXOFFICE_LOG_LEVEL": "DEBUG",
    "BOXOFFICE_LOG_JSON": "true",
}
JWT_LIKE = re.compile(r"eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}")


async def test_no_secret_or_token_reaches_the_logs(
    settings: Settings, runtime: Any, make_event: Any, organizer: Buyer, tmp_path: Path
) -> None:
    """The real server (uvicorn, DEBUG logs, access log on) through sign-up, sign-in, refresh, a paid
    booking, tickets, a door scan by URL and by body, a password reset and some failures."""
    port = _free_port()
    log_file = tmp_path / "server.log"
    env = {**os.environ, **SECRETS_ENV}
    with log_file.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "boxoffice.main:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "debug"],
            cwd=BACKEND_DIR, env=env, stdout=sink, stderr=sink,
        )  # fmt: skip
    seen: list[str] = []
    try:
        base = f"http://127.0.0.1:{port}"
        await wait_live(base, server)
        async with httpx.AsyncClient(base_url=base, timeout=20) as http:
            seen += await _walk_through_the_product(http, runtime, make_event, organizer)
    finally:
        server.terminate()
        server.wait(timeout=20)
    logs = log_file.read_text(errors="replace")
    assert '"GET /api/tickets/lookup?code=[redacted]' in logs  # the access log is on, and redacted
    assert "app_started" in logs
    leaked = [secret for secret in {*seen, *SECRETS_ENV.values()} - {"DEBUG", "true"} if secret in logs]
    assert not leaked, f"{len(leaked)} secret(s) in the server log, e.g. {leaked[0][:12]}..."
    assert not JWT_LIKE.search(logs), JWT_LIKE.search(logs)


async def _walk_through_the_product(
    http: httpx.AsyncClient, runtime: Any, make_event: Any, organizer: Buyer
) -> list[str]:
    """Drives the flows; returns every secret value that went over the wire."""
    email, password = f"logs-{uuid.uuid4().hex[:8]}@example.com", "Log-test-passw0rd!"
    registered = await http.post(
        "/api/auth/register", json={"email": email, "password": password, "full_name": "Lou Logs"}
    )
    assert registered.status_code == 202, registered.text
    await asyncio.sleep(0.3)  # the verification mail is written after the commit
    verify_token = token_from_link((await mails_to(runtime, email))[-1])
    assert (await http.post("/api/auth/verify-email", json={"token": verify_token})).status_code == 200
    tokens = await login(http, email, password)
    wrong = await http.post("/api/auth/login", json={"email": email, "password": "Wrong-passw0rd!"})
    assert wrong.status_code == 401
    cookie_login = await http.post(
        "/api/auth/login", json={"email": email, "password": password, "token_delivery": "cookie"}
    )
    cookie = cookie_login.cookies.get("bo_refresh") or ""
    refreshed = (await http.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).json()
    me = bearer(refreshed["access_token"])

    event = await make_event(organizer.user, tiers=[("General", 2500, 10)])
    door = bearer((await login(http, organizer.user.email, DEFAULT_PASSWORD))["access_token"])
    created = await http.post("/api/bookings", json=order(event, 1), headers=me)
    assert created.status_code == 201, created.text
    booking_id = created.json()["id"]
    started = await http.post(f"/api/bookings/{booking_id}/payment", headers=me)
    card = await http.post(f"/api/payments/{started.json()['payment']['id']}/mock-card", json=CARD, headers=me)
    assert card.status_code == 200, card.text
    assert (await http.post(f"/api/bookings/{booking_id}/confirm", headers=me)).status_code == 200
    code = (await http.get(f"/api/bookings/{booking_id}/tickets", headers=me)).json()[0]["code"]
    assert (await http.get("/api/tickets/lookup", params={"code": code}, headers=door)).status_code == 200
    assert (await http.post("/api/tickets/validate", json={"code": code}, headers=door)).status_code == 200

    assert (await http.post("/api/auth/forgot-password", json={"email": email})).status_code == 202
    await asyncio.sleep(0.3)
    reset_token = token_from_link((await mails_to(runtime, email))[-1])
    new_password = "N3w-log-test-passw0rd!"
    reset = await http.post("/api/auth/reset-password", json={"token": reset_token, "new_password": new_password})
    assert reset.status_code == 204, reset.text
    # Failures log too: a forged token, a bad refresh token, an OAuth callback with a code in the URL.
    assert (await http.get("/api/auth/me", headers=bearer(refreshed["access_token"] + "x"))).status_code == 401
    assert (await http.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).status_code == 401
    oauth_code, oauth_state = "oauth-code-" + uuid.uuid4().hex, "oauth-state-" + uuid.uuid4().hex
    await http.get("/api/auth/oauth/google/callback", params={"code": oauth_code, "state": oauth_state})
    return [
        password,
        new_password,
        "Wrong-passw0rd!",
        tokens["access_token"],
        tokens["refresh_token"],
        refreshed["access_token"],
        refreshed["refresh_token"],
        cookie,
        me["Authorization"],
        door["Authorization"].removeprefix("Bearer "),
        verify_token,
        reset_token,
        code,
        oauth_code,
        oauth_state,
    ]


async def test_database_errors_do_not_log_statement_values(
    settings: Settings, capfd: pytest.CaptureFixture[str]
) -> None:
    """An unexpected database error is logged with its SQL but without the values bound to it."""
    secret = "sk_live_" + uuid.uuid4().hex
    app = create_app(settings.model_copy(update={"log_level": "INFO"}))
    probe = APIRouter()

    @probe.post("/api/_test/db-error")
    async def fail(session: SessionDep) -> dict[str, str]:
        await session.execute(text("SELECT CAST(:value AS integer)"), {"value": secret})
        return {}

    app.router.routes[:0] = probe.routes
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            capfd.readouterr()
            response = await http.post("/api/_test/db-error")
    assert_problem(response, 500, "internal_error")
    assert secret not in response.text
    logs = capfd.readouterr().err
    lines = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
    assert any(line["event"] == "unhandled_error" for line in lines)
    assert "CAST" in logs and secret not in logs


async def test_security_headers_also_on_answers_made_by_other_middleware(client: httpx.AsyncClient) -> None:
    too_big = await client.post("/api/events", content=b"x" * (3 * 1024 * 1024))
    assert too_big.status_code == 413
    preflight = await client.options(
        "/api/bookings", headers={"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 200
    for response in (too_big, preflight):
        _assert_hardened(response, hsts=False)
