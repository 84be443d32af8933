"""The process-wide resources: database engine, Redis (or its in-process stand-in), rate-limit storage.

Production points at PostgreSQL and Redis by URL. Embedded mode (no URLs) starts the embedded
PostgreSQL and uses fakeredis — a faithful in-process Redis, Lua scripts and locks included — so
the code paths above this module are the same in both modes.
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import structlog
from limits.aio.storage import Storage
from limits.storage import storage_from_string
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from boxoffice.batching import GroupCommit
from boxoffice.bookings.inventory import place_batch
from boxoffice.config import Settings
from boxoffice.db import make_engine, make_raw_pool, make_sessionmaker
from boxoffice.embedded import embedded_database_url
from boxoffice.resilience import Breakers

log = structlog.get_logger(__name__)


def resolve_database_url(settings: Settings) -> str:
    if settings.database_url:
        return settings.database_url
    return embedded_database_url(settings.data_dir)


def make_redis(settings: Settings) -> Redis:
    if settings.redis_url:
        return Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=2)
    import fakeredis

    server = fakeredis.FakeServer()
    client: Redis = fakeredis.FakeAsyncRedis(server=server)
    return client


def make_rate_limit_storage(settings: Settings) -> Storage:
    if not settings.redis_url:
        storage = storage_from_string("async+memory://")
    else:
        # redis-py (hiredis), the client the rest of the app uses: about half the CPU per check of
        # the library's default coredis client (measured on the booking hot path).
        storage = storage_from_string("async+" + settings.redis_url, implementation="redispy")
    assert isinstance(storage, Storage)
    return storage


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    redis: Redis
    rate_limits: Storage
    breakers: Breakers
    raw_pool: asyncpg.Pool  # db.fetch_raw's connections (the hot path), beside the engine's
    # Seat placements of concurrent bookings, sent to the database together (bookings/inventory.py).
    placements: GroupCommit[dict[str, Any], str]
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    async def start(cls, settings: Settings) -> Runtime:
        url = await asyncio.to_thread(resolve_database_url, settings)
        engine = make_engine(url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow)
        raw_pool = await make_raw_pool(url, max_size=settings.db_pool_size)
        runtime = cls(
            settings=settings,
            engine=engine,
            sessionmaker=make_sessionmaker(engine),
            redis=make_redis(settings),
            rate_limits=make_rate_limit_storage(settings),
            breakers=Breakers(
                threshold=settings.breaker_threshold,
                ttl=settings.breaker_ttl_seconds,
                timeout=settings.breaker_timeout_seconds,
            ),
            raw_pool=raw_pool,
            placements=GroupCommit(
                functools.partial(place_batch, raw_pool),
                max_in_flight=settings.placement_concurrency,
                max_batch=settings.placement_batch_max,
            ),
        )
        log.info(
            "runtime_started",
            embedded_database=settings.embedded_database,
            embedded_redis=settings.embedded_redis,
        )
        return runtime

    async def close(self) -> None:
        await self.placements.close()
        await self.redis.aclose()
        try:
            # Requests have drained by now; a connection still out after 10 s is cut.
            await asyncio.wait_for(self.raw_pool.close(), 10)
        except TimeoutError:
            self.raw_pool.terminate()
        await self.engine.dispose()


_current: Runtime | None = None


def set_current(runtime: Runtime | None) -> None:
    global _current
    _current = runtime


def is_started() -> bool:
    return _current is not None


def current() -> Runtime:
    """The runtime of this process, for code outside a request (jobs, CLI)."""
    if _current is None:
        raise RuntimeError("Boxoffice runtime not started")
    return _current
