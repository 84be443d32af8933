"""db.fetch_raw, the hot path's own asyncpg pool: a connection the server ends (restart, failover,
an operator) never reaches a request twice, and the pool serves again at once."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from boxoffice.db import fetch_raw, make_raw_pool
from boxoffice.errors import ServiceUnavailable

KILL_OTHERS = (
    "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND application_name = $1) AS ended"
)


async def _pool(test_database: str, name: str) -> asyncpg.Pool:
    """A one-connection pool, its connection tagged so that the test ends only that one."""
    pool = await make_raw_pool(test_database, max_size=1)
    await fetch_raw(pool, "SELECT set_config('application_name', $1, false)", name)
    return pool


async def test_connections_ended_while_idle_cost_at_most_a_503_and_are_replaced(test_database: str) -> None:
    """Right after the server ends idle pooled connections, a statement may land on one whose end
    asyncpg has not finished reading: that is a 503 (retry shortly), never a 500, and the pool
    serves normally a moment later."""
    pool = await _pool(test_database, "raw-idle")
    admin = await asyncpg.connect(test_database)
    answered = unavailable = 0
    try:
        for _ in range(20):
            assert await admin.fetchval(KILL_OTHERS, "raw-idle") >= 1
            for pause in (0, 0.001, 0.01):
                await asyncio.sleep(pause)
                try:
                    assert (await fetch_raw(pool, "SELECT 41 + 1 AS n"))[0]["n"] == 42
                    answered += 1
                except ServiceUnavailable:
                    unavailable += 1
            await asyncio.sleep(0.05)
            assert await fetch_raw(pool, "SELECT set_config('application_name', 'raw-idle', false)")
    finally:
        await admin.close()
        await pool.close()
    assert answered > 0 and answered + unavailable == 60


async def test_a_connection_ended_mid_statement_is_a_503_and_is_not_reused(test_database: str) -> None:
    pool = await _pool(test_database, "raw-busy")
    try:
        admin = await asyncpg.connect(test_database)
        try:
            slow = asyncio.create_task(fetch_raw(pool, "SELECT pg_sleep(5)"))
            await asyncio.sleep(0.3)
            await admin.fetchval(KILL_OTHERS, "raw-busy")
            with pytest.raises(ServiceUnavailable):
                await slow
        finally:
            await admin.close()
        for _ in range(4):
            assert (await fetch_raw(pool, "SELECT 1 AS n"))[0]["n"] == 1
    finally:
        await pool.close()


async def test_an_error_the_server_answered_keeps_the_connection(test_database: str) -> None:
    pool = await make_raw_pool(test_database, max_size=1)
    try:
        pid = (await fetch_raw(pool, "SELECT pg_backend_pid() AS pid"))[0]["pid"]
        with pytest.raises(asyncpg.exceptions.RaiseError):
            await fetch_raw(pool, "DO $$ BEGIN RAISE EXCEPTION 'boxoffice:probe'; END $$")
        assert (await fetch_raw(pool, "SELECT pg_backend_pid() AS pid"))[0]["pid"] == pid
    finally:
        await pool.close()
