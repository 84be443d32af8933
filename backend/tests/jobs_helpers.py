"""Wait for jobs enqueued on the in-memory broker (tests run it in-process)."""

from __future__ import annotations

import asyncio

from taskiq import InMemoryBroker

from boxoffice.jobs import broker


async def drain_jobs() -> None:
    assert isinstance(broker, InMemoryBroker)
    for _ in range(5):  # a job may enqueue another
        await broker.wait_all()
        await asyncio.sleep(0)
