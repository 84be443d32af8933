"""Jobs run after commit only, and inherit the request id of the request that enqueued them."""

from __future__ import annotations

import asyncio
from typing import Any

from asgi_correlation_id import correlation_id
from sqlalchemy import text

from boxoffice.db import after_commit, unit_of_work
from boxoffice.jobs import broker

seen_request_ids: list[str | None] = []


@broker.task(task_name="tests.record_request_id")
async def record_request_id() -> None:
    seen_request_ids.append(correlation_id.get())


async def test_job_inherits_request_id(runtime: Any) -> None:
    seen_request_ids.clear()
    token = correlation_id.set("req-123")
    try:
        await record_request_id.kiq()
    finally:
        correlation_id.reset(token)
    await broker.wait_all()  # type: ignore[attr-defined]
    assert seen_request_ids == ["req-123"]


async def test_side_effects_run_after_commit_and_are_dropped_on_rollback(runtime: Any) -> None:
    ran: list[str] = []

    async def effect() -> None:
        ran.append("committed")

    async with unit_of_work(runtime.sessionmaker) as session:
        await session.execute(text("SELECT 1"))
        after_commit(session, effect)
        assert ran == []  # not before the commit
    assert ran == ["committed"]

    ran.clear()
    try:
        async with unit_of_work(runtime.sessionmaker) as session:
            after_commit(session, effect)
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    await asyncio.sleep(0)
    assert ran == []


async def test_a_failing_side_effect_does_not_undo_the_commit(runtime: Any) -> None:
    async def broken() -> None:
        raise ConnectionError("smtp down")

    async with unit_of_work(runtime.sessionmaker) as session:
        after_commit(session, broken)
    # No exception escaped: the committed transaction stands.
