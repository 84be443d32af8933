"""Alembic is the only way the schema changes: models and migrations agree, and downgrade works."""

from __future__ import annotations

import asyncio

import asyncpg
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from boxoffice import models  # noqa: F401
from boxoffice.db import Base, make_engine
from tests.conftest import PG_SERVER_URL


async def test_models_match_migrations(test_database: str) -> None:
    engine = make_engine(test_database, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
    finally:
        await engine.dispose()
    assert diff == [], f"models and migrations differ; write a migration: {diff}"


def test_upgrade_downgrade_roundtrip() -> None:
    from alembic import command
    from alembic.config import Config

    from boxoffice.cli import BACKEND_DIR

    name = "boxoffice_migration_roundtrip"
    url = PG_SERVER_URL.rsplit("/", 1)[0] + f"/{name}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(PG_SERVER_URL)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        config = Config(str(BACKEND_DIR / "alembic.ini"))
        config.attributes["database_url"] = url
        command.upgrade(config, "head")
        command.downgrade(config, "base")
        command.upgrade(config, "head")
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
