"""Shared setup for booking tests: an organizer, a published event, buyers with tokens."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import httpx
from sqlalchemy import text

from boxoffice.db import unit_of_work
from tests.fixtures.auth import Buyer


def order(event: Any, quantity: int = 1, tier: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "event_id": str(event.id),
        "items": [{"ticket_type_id": str(event.ticket_types[tier].id), "quantity": quantity}],
        **extra,
    }


async def book(client: httpx.AsyncClient, buyer: Buyer, body: dict[str, Any], **headers: str) -> httpx.Response:
    return await client.post("/api/bookings", json=body, headers={**buyer.headers, **headers})


async def single_use_coupon(client: httpx.AsyncClient, organizer: Buyer, event: Any, **fields: Any) -> dict[str, Any]:
    """An event coupon usable once (``fields``: code, kind, amount, ... override the defaults)."""
    body = {"event_id": str(event.id), "kind": "percent", "amount": 50, "usage_limit": 1, **fields}
    created = await client.post("/api/coupons", headers=organizer.headers, json=body)
    assert created.status_code == 201, created.text
    coupon: dict[str, Any] = created.json()
    return coupon


async def counters(runtime: Any, ticket_type_id: Any) -> dict[str, int]:
    async with unit_of_work(runtime.sessionmaker) as session:
        row = (
            await session.execute(
                text("SELECT capacity, sold, held FROM ticket_types WHERE id = :id"), {"id": ticket_type_id}
            )
        ).one()
    return {"capacity": row.capacity, "sold": row.sold, "held": row.held}


async def sql(runtime: Any, statement: str, **params: Any) -> Any:
    async with unit_of_work(runtime.sessionmaker) as session:
        result = await session.execute(text(statement), params)
        try:
            return result.all()
        except Exception:
            return None


async def gather_limited(coros: list[Awaitable[Any]], limit: int = 64) -> list[Any]:
    semaphore = asyncio.Semaphore(limit)

    async def run(coro: Awaitable[Any]) -> Any:
        async with semaphore:
            return await coro

    return await asyncio.gather(*(run(c) for c in coros))
