"""Shared setup for booking tests: an organizer, a published event, buyers with tokens."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from boxoffice.db import unit_of_work
from boxoffice.models import Role, User


@dataclass
class Buyer:
    user: User
    headers: dict[str, str]


@pytest.fixture
def make_buyers(make_user: Any, token_for: Any) -> Callable[..., Awaitable[list[Buyer]]]:
    async def _make(count: int, *, verified: bool = True) -> list[Buyer]:
        buyers = []
        for _ in range(count):
            user = await make_user(Role.CUSTOMER, verified=verified)
            buyers.append(Buyer(user, await token_for(user)))
        return buyers

    return _make


@pytest.fixture
async def organizer(make_user: Any, token_for: Any) -> Buyer:
    user = await make_user(Role.ORGANIZER)
    return Buyer(user, await token_for(user))


@pytest.fixture
async def admin(make_user: Any, token_for: Any) -> Buyer:
    user = await make_user(Role.ADMIN)
    return Buyer(user, await token_for(user))


def order(event: Any, quantity: int = 1, tier: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "event_id": str(event.id),
        "items": [{"ticket_type_id": str(event.ticket_types[tier].id), "quantity": quantity}],
        **extra,
    }


async def book(client: httpx.AsyncClient, buyer: Buyer, body: dict[str, Any], **headers: str) -> httpx.Response:
    return await client.post("/api/bookings", json=body, headers={**buyer.headers, **headers})


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
