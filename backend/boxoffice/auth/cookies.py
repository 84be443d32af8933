"""The refresh-token cookie of the web app, and the CSRF rule for cookie-authenticated calls.

The cookie is httpOnly (no script can read it), Secure, SameSite=Strict and scoped to /api/auth,
so it only travels to the refresh/logout endpoints. Those endpoints additionally require the
``X-Requested-With: boxoffice`` header when they act on the cookie: a cross-site form cannot set a
custom header, and a cross-site script cannot send one without a CORS preflight we refuse.
"""

from __future__ import annotations

from fastapi import Request, Response

from boxoffice.config import Settings
from boxoffice.errors import Forbidden

REFRESH_COOKIE = "bo_refresh"
COOKIE_PATH = "/api/auth"
CSRF_HEADER = "X-Requested-With"
CSRF_VALUE = "boxoffice"


def set_refresh_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(
        REFRESH_COOKIE,
        token,
        max_age=settings.refresh_token_ttl_days * 24 * 3600,
        path=COOKIE_PATH,
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )


def clear_refresh_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        REFRESH_COOKIE, path=COOKIE_PATH, secure=settings.cookie_secure, httponly=True, samesite="strict"
    )


def refresh_token_from(request: Request, body_token: str | None) -> str | None:
    """The body wins (API clients); the cookie needs the CSRF header."""
    if body_token:
        return body_token
    cookie = request.cookies.get(REFRESH_COOKIE)
    if cookie is None:
        return None
    if request.headers.get(CSRF_HEADER) != CSRF_VALUE:
        raise Forbidden(
            f"Cookie-authenticated requests must send the {CSRF_HEADER}: {CSRF_VALUE} header.", code="csrf_failed"
        )
    return cookie
