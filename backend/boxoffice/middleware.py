"""HTTP middleware: request size limit and security headers (pure ASGI, no per-request overhead
beyond a header scan)."""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from boxoffice.errors import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE

# 'wasm-unsafe-eval' lets the door scanner compile its QR decoder (WebAssembly from our own
# origin); it does not allow eval() of JavaScript.
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' https://js.stripe.com; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; "
    "connect-src 'self' ws: wss: https://api.stripe.com; frame-src https://js.stripe.com https://hooks.stripe.com; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
# Swagger UI loads its assets from a CDN; give /docs a CSP that allows it.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        csp = DOCS_CSP if path.startswith(("/docs", "/redoc")) else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"strict-origin-when-cross-origin"),
                    (b"content-security-policy", csp.encode()),
                    (b"permissions-policy", b"camera=(self), microphone=(), geolocation=()"),
                ]
                if self.hsts:
                    headers.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


# Uploads (event cover images, checked to 5 MB by their route) get a larger envelope.
UPLOAD_PATH = re.compile(r"^/api/events/[^/]+/cover$")
UPLOAD_MAX_BYTES = 6 * 1024 * 1024


class BodySizeLimitMiddleware:
    """Refuse bodies over the limit with 413 problem+json, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.default_max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = UPLOAD_PATH.match(scope.get("path", "")) is not None
        max_bytes = max(self.default_max_bytes, UPLOAD_MAX_BYTES) if upload else self.default_max_bytes
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > max_bytes:
                await self._reject(scope, send, max_bytes)
                return
        received = 0
        too_large = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    too_large = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if too_large and not started:
                # The framework may catch _BodyTooLarge while reading the body and answer 400/422
                # on its own: that answer is replaced by the 413 below.
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not too_large:
                raise
        if too_large and not started:
            await self._reject(scope, send, max_bytes)

    async def _reject(self, scope: Scope, send: Send, max_bytes: int) -> None:
        body = json.dumps(
            {
                "type": PROBLEM_TYPE_BASE + "payload_too_large",
                "title": "Request body too large",
                "status": 413,
                "detail": f"The request body may be at most {max_bytes} bytes.",
                "code": "payload_too_large",
                "instance": scope.get("path"),
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass
