"""A short-lived cache of the public catalogue (listing pages and event details) in Redis.

Every entry's key contains the current *catalogue version*, a counter that every catalogue write
increments after its transaction commits. A write therefore makes all earlier entries unreachable
at once (they expire on their own), so an organizer's change is visible as soon as the request
that made it has answered.

Pages also depend on the clock (early-bird prices, events ending) and on bookings (remaining
seats, demand pricing), which are not catalogue writes: the TTL bounds that staleness. Bookings
should call :meth:`CatalogueCache.bump_after_commit` when availability changes *state* (a ticket
type sells out or frees up again) rather than on every sale, so a hot drop does not defeat the
cache; a booking itself always checks the database.

Redis being down only disables the cache; the catalogue is then read from PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

import structlog
from fastapi import Depends
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice.db import after_commit
from boxoffice.deps import RedisDep

log = structlog.get_logger(__name__)

VERSION_KEY = "catalogue:version"
TTL_SECONDS = 15
_BUMP_REGISTERED = "boxoffice.catalogue_bump_registered"


class CatalogueCache:
    def __init__(self, redis: Redis, *, ttl_seconds: int = TTL_SECONDS) -> None:
        self.redis = redis
        self.ttl_seconds = ttl_seconds

    async def version(self) -> int | None:
        """The current catalogue version, or None when the cache is unavailable."""
        try:
            raw = await self.redis.get(VERSION_KEY)
        except (RedisError, OSError) as exc:
            log.warning("catalogue_cache_unavailable", error=str(exc))
            return None
        return int(raw) if raw is not None else 0

    @staticmethod
    def key(kind: str, version: int, parts: dict[str, Any]) -> str:
        digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:32]
        return f"catalogue:{kind}:v{version}:{digest}"

    async def get(self, key: str) -> bytes | None:
        try:
            value = await self.redis.get(key)
        except (RedisError, OSError) as exc:
            log.warning("catalogue_cache_unavailable", error=str(exc))
            return None
        return value.encode() if isinstance(value, str) else value

    async def put(self, key: str, value: bytes) -> None:
        try:
            await self.redis.set(key, value, ex=self.ttl_seconds)
        except (RedisError, OSError) as exc:
            log.warning("catalogue_cache_unavailable", error=str(exc))

    async def bump(self) -> None:
        await self.redis.incr(VERSION_KEY)

    def bump_after_commit(self, session: AsyncSession) -> None:
        """Invalidate every cached page once (and only if) the current transaction commits."""
        if session.info.get(_BUMP_REGISTERED):
            return
        session.info[_BUMP_REGISTERED] = True
        after_commit(session, self.bump)


async def get_catalogue_cache(redis: RedisDep) -> CatalogueCache:
    return CatalogueCache(redis)


CatalogueCacheDep = Annotated[CatalogueCache, Depends(get_catalogue_cache)]
