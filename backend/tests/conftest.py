"""Test recipe: real PostgreSQL and Redis, a fresh database per test run, tables emptied per test.

Environment (with the CI defaults):
  BOXOFFICE_TEST_PG_URL     postgresql://postgres@127.0.0.1:5432/postgres  (server to create the test DB on)
  BOXOFFICE_TEST_REDIS_URL  redis://127.0.0.1:6379/<1 + pid % 11> (a database per run)
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx
import pytest
from redis.asyncio import Redis

PG_SERVER_URL = os.environ.get("BOXOFFICE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# A Redis database per run (1-11) so that concurrent runs on one machine do not flush each other.
REDIS_URL = os.environ.get("BOXOFFICE_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{1 + os.getpid() % 11}")
TEST_DB = f"boxoffice_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
TEST_DB_URL = PG_SERVER_URL.rsplit("/", 1)[0] + f"/{TEST_DB}"

# Settings are read from the environment at import time by the job broker: set them first.
os.environ.update(
    {
        "BOXOFFICE_ENV": "test",
        "BOXOFFICE_DATABASE_URL": TEST_DB_URL,
        "BOXOFFICE_REDIS_URL": REDIS_URL,
        "BOXOFFICE_JOB_BROKER": "memory",
        # Argon2 at its default cost takes ~200 ms here; tests use a cheap one.
        "BOXOFFICE_ARGON2_TIME_COST": "1",
        "BOXOFFICE_ARGON2_MEMORY_COST": "1024",
        "BOXOFFICE_SEED_DEMO_ON_START": "false",
        "BOXOFFICE_LOG_LEVEL": "WARNING",
        "BOXOFFICE_MOCK_PAYMENT_DELAY_SECONDS": "0",
        "BOXOFFICE_MAINTENANCE_INTERVAL_SECONDS": "0",
    }
)

from boxoffice.config import Settings, get_settings  # noqa: E402
from boxoffice.main import create_app  # noqa: E402
from tests.jobs_helpers import drain_jobs  # noqa: E402

pytest_plugins = [
    "tests.fixtures.factories",
    "tests.fixtures.auth",
    "tests.fixtures.oauth_provider",
    "tests.fixtures.stripe",
    "tests.fixtures.smtp",
]


async def _admin_execute(sql: str) -> None:
    conn = await asyncpg.connect(PG_SERVER_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session", autouse=True)
def test_database() -> Iterator[str]:
    """Create the run's database, migrate it with Alembic, drop it at the end."""
    asyncio.run(_admin_execute(f'CREATE DATABASE "{TEST_DB}"'))
    get_settings.cache_clear()
    from boxoffice.cli import migrate

    migrate()
    yield TEST_DB_URL
    asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{TEST_DB}" WITH (FORCE)'))


@pytest.fixture
def settings() -> Settings:
    return get_settings()


@pytest.fixture(autouse=True)
async def _clean_state(test_database: str) -> AsyncIterator[None]:
    """Every test starts with empty tables and an empty Redis database."""
    conn = await asyncpg.connect(test_database)
    try:
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
        )
        if tables:
            names = ", ".join(f'"{t["tablename"]}"' for t in tables)
            await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    await redis.aclose()
    yield


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[object]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application
        await drain_jobs()  # no background job of this test may outlive it


@pytest.fixture
async def client(app: object) -> AsyncIterator[httpx.AsyncClient]:
    # The 500 handler answers, then Starlette re-raises for servers to log; a real client sees the answer.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as http:
        yield http


@asynccontextmanager
async def serve_app(settings: Settings, **overrides: object) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    """A separately configured app (lifespan running) and a client for it."""
    application = create_app(settings.model_copy(update=overrides))
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as http:
            yield application, http
        await drain_jobs()


@pytest.fixture
def runtime(app: object) -> object:
    return app.state.runtime  # type: ignore[attr-defined]
