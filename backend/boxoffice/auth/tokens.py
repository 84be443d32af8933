"""Access tokens (short-lived JWT, HS256) and opaque secrets (refresh, email tokens) stored hashed."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import jwt

from boxoffice.errors import Unauthorized

ALGORITHM = "HS256"
ISSUER = "boxoffice"
AUDIENCE = "boxoffice-api"
ACCESS_TYPE = "access"


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    role: str
    expires_at: datetime


def issue_access_token(
    *, user_id: uuid.UUID, session_id: uuid.UUID, role: str, secret: str, ttl_seconds: int
) -> tuple[str, datetime]:
    now = datetime.now(UTC)
    expires = now + timedelta(seconds=ttl_seconds)
    payload = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(user_id),
        "sid": str(session_id),
        "role": role,
        "type": ACCESS_TYPE,
        "iat": now,
        "exp": expires,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM), expires


def decode_access_token(token: str, *, secret: str) -> AccessClaims:
    """Verify signature, algorithm (HS256 only, so ``alg: none`` is refused), expiry, issuer,
    audience and token type.

    A client sends the same token on every request for its 15 minutes, so a token that verified
    once is remembered (bounded LRU) and only its expiry is checked again: the signature check was
    ~5% of a booking request's CPU. Invalid tokens raise and are never remembered."""
    claims = _verified_claims(token, secret)
    if claims.expires_at <= datetime.now(UTC):
        raise Unauthorized("The access token has expired.", code="token_expired")
    return claims


@lru_cache(maxsize=8192)
def _verified_claims(token: str, secret: str) -> AccessClaims:
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "sid", "type"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The access token has expired.", code="token_expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("The access token is invalid.", code="invalid_token") from exc
    if payload.get("type") != ACCESS_TYPE:
        raise Unauthorized("This token cannot be used for API access.", code="invalid_token")
    try:
        return AccessClaims(
            user_id=uuid.UUID(payload["sub"]),
            session_id=uuid.UUID(payload["sid"]),
            role=str(payload.get("role", "")),
            expires_at=datetime.fromtimestamp(payload["exp"], UTC),
        )
    except (ValueError, TypeError) as exc:
        raise Unauthorized("The access token is invalid.", code="invalid_token") from exc


def new_opaque_token() -> str:
    """256 bits of randomness, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Opaque tokens are high-entropy, so a plain SHA-256 is enough (no salt/stretching needed)."""
    return hashlib.sha256(token.encode()).hexdigest()
