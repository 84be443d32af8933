"""The guarantees under concurrency, against real PostgreSQL and Redis.

- hundreds of concurrent buyers for the last seats: exactly capacity sold, never more;
- the control: the same harness with the guard removed does oversell (so the test can fail);
- a single-use coupon hit by 200 concurrent requests: exactly one redemption;
- concurrent retries with one Idempotency-Key: one booking;
- sold-out requests are answered without waiting behind the inventory row lock.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import text

from boxoffice.batching import GroupCommit
from boxoffice.bookings import inventory
from boxoffice.db import unit_of_work
from tests.bookings.conftest import book, counters, gather_limited, order, single_use_coupon, sql

CAPACITY = 25
BUYERS = 20
REQUESTS = 300


async def _rush(client: httpx.AsyncClient, buyers: list[Any], event: Any) -> Counter[str]:
    responses = await gather_limited(
        [book(client, buyers[i % len(buyers)], order(event)) for i in range(REQUESTS)], limit=REQUESTS
    )
    outcome: Counter[str] = Counter()
    for response in responses:
        outcome[str(response.status_code) if response.status_code == 201 else response.json()["code"]] += 1
    return outcome


async def test_hot_drop_never_oversells(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Last seats", 3000, CAPACITY)])
    buyers = await make_buyers(BUYERS)
    outcome = await _rush(client, buyers, event)
    assert outcome["201"] == CAPACITY
    assert outcome["sold_out"] + outcome["201"] == REQUESTS, outcome
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": CAPACITY, "sold": 0, "held": CAPACITY}
    booked = await sql(runtime, "SELECT coalesce(sum(quantity), 0) AS n FROM booking_items")
    assert booked[0].n == CAPACITY


async def test_control_the_harness_oversells_without_the_guard(
    client: httpx.AsyncClient,
    make_event: Any,
    organizer: Any,
    make_buyers: Any,
    runtime: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Same harness, naive read-then-write inventory and no CHECK constraint: it must oversell,
    which proves the concurrency test above is able to catch a missing guard."""

    async def naive_place(pool: asyncpg.Pool, params: dict[str, Any]) -> str:
        """The same write without the guard: read what is left, then write, in separate statements."""
        items = params["items"]
        async with pool.acquire() as connection, connection.transaction():
            for line in items:
                type_id = uuid.UUID(line["ticket_type_id"])
                row = await connection.fetchrow(
                    "SELECT capacity - sold - held AS remaining, held FROM ticket_types WHERE id = $1", type_id
                )
                assert row is not None
                if row["remaining"] < line["quantity"]:
                    raise inventory.PlacementRefused("hold_failed", type_id)
                await asyncio.sleep(0.005)  # the gap between the read and the write that real servers have too
                await connection.execute(
                    "UPDATE ticket_types SET held = $1 WHERE id = $2", row["held"] + line["quantity"], type_id
                )
            await connection.execute(
                "INSERT INTO bookings (id, user_id, event_id, status, currency, subtotal_minor, discount_minor, "
                "total_minor, refunded_minor, hold_expires_at, created_at) VALUES ($1, $2, $3, 'pending_payment', "
                "$4, $5, $6, $7, 0, $8, $9)",
                *(params[name] for name in ("booking_id", "user_id", "event_id", "currency", "subtotal")),
                *(params[name] for name in ("discount", "total", "hold_expires_at", "created_at")),
            )
            for line in items:
                await connection.execute(
                    "INSERT INTO booking_items (id, booking_id, ticket_type_id, position, quantity, "
                    "unit_price_minor, attendees) VALUES ($1, $2, $3, 0, $4, $5, '[]')",
                    uuid.UUID(line["id"]),
                    params["booking_id"],
                    uuid.UUID(line["ticket_type_id"]),
                    line["quantity"],
                    line["unit_price_minor"],
                )
        return "ok"

    await sql(runtime, "ALTER TABLE ticket_types DROP CONSTRAINT ck_ticket_types_no_oversell")
    try:

        async def naive_send(batch: list[dict[str, Any]]) -> list[str | BaseException]:
            try:
                return [await naive_place(runtime.raw_pool, batch[0])]
            except inventory.PlacementRefused as refused:
                return [refused]

        # Every placement alone and at once, as a naive server would do it.
        monkeypatch.setattr(runtime, "placements", GroupCommit(naive_send, max_in_flight=1000, max_batch=1))
        event = await make_event(organizer.user, tiers=[("Last seats", 3000, CAPACITY)])
        buyers = await make_buyers(BUYERS)
        outcome = await _rush(client, buyers, event)
        booked = (await sql(runtime, "SELECT coalesce(sum(quantity), 0) AS n FROM booking_items"))[0].n
        assert booked > CAPACITY, f"the unguarded harness should oversell; it sold {booked} ({outcome})"
    finally:
        await sql(runtime, "TRUNCATE booking_items, bookings CASCADE")
        await sql(runtime, "UPDATE ticket_types SET held = 0, sold = 0")
        await sql(
            runtime,
            "ALTER TABLE ticket_types ADD CONSTRAINT ck_ticket_types_no_oversell CHECK (sold + held <= capacity)",
        )


async def test_multi_type_bookings_under_contention_stay_consistent(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    """Orders for two ticket types in both orders at once: no deadlock, no oversell, all-or-nothing."""
    event = await make_event(organizer.user, tiers=[("A", 1000, 15), ("B", 1000, 15)])
    buyers = await make_buyers(10)
    a, b = (str(t.id) for t in event.ticket_types)
    bodies = [
        {
            "event_id": str(event.id),
            "items": [{"ticket_type_id": x, "quantity": 1}, {"ticket_type_id": y, "quantity": 1}],
        }
        for x, y in ([a, b], [b, a]) * 50
    ]
    responses = await gather_limited([book(client, buyers[i % 10], body) for i, body in enumerate(bodies)])
    assert {r.status_code for r in responses} <= {201, 409}
    created = sum(r.status_code == 201 for r in responses)
    assert created == 15
    for tier in event.ticket_types:
        assert (await counters(runtime, tier.id))["held"] == 15


async def test_single_use_coupon_redeemed_exactly_once(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("General", 2000, 1000)])
    await single_use_coupon(client, organizer, event, code="ONLYONE")
    buyers = await make_buyers(20)
    responses = await gather_limited(
        [book(client, buyers[i % 20], order(event, coupon_code="onlyone")) for i in range(200)], limit=200
    )
    codes = Counter(r.status_code if r.status_code == 201 else r.json()["code"] for r in responses)
    assert codes[201] == 1, codes
    assert codes["coupon_exhausted"] == 199, codes
    redemptions = await sql(runtime, "SELECT count(*) AS n FROM coupon_redemptions")
    used = await sql(runtime, "SELECT used_count FROM coupons")
    assert redemptions[0].n == 1 and used[0].used_count == 1
    # Every refused request gave its seats back.
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 1000, "sold": 0, "held": 1}


async def test_concurrent_retries_with_one_idempotency_key_book_once(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user)
    (buyer,) = await make_buyers(1)
    responses = await asyncio.gather(
        *[book(client, buyer, order(event, 2), **{"Idempotency-Key": "retry-storm"}) for _ in range(20)]
    )
    assert {r.status_code for r in responses} <= {200, 201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum(r.status_code == 201 for r in responses) == 1
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 100, "sold": 0, "held": 2}


async def test_sold_out_is_answered_without_waiting_for_the_row_lock(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Tiny", 1000, 1)])
    first, second, third = await make_buyers(3)
    assert (await book(client, first, order(event))).status_code == 201
    sold_out = await book(client, second, order(event))
    assert sold_out.status_code == 409 and sold_out.json()["code"] == "sold_out"
    assert await runtime.redis.get(inventory.sold_out_key(event.ticket_types[0].id)) is not None

    # Someone holds the inventory row lock (a booking in flight). The sold-out answer must not queue.
    async with unit_of_work(runtime.sessionmaker) as session:
        await session.execute(
            text("SELECT 1 FROM ticket_types WHERE id = :id FOR UPDATE"), {"id": event.ticket_types[0].id}
        )
        started = time.monotonic()
        fast = await asyncio.wait_for(book(client, third, order(event)), timeout=3)
        elapsed = time.monotonic() - started
    assert fast.status_code == 409 and fast.json()["code"] == "sold_out"
    assert elapsed < 3  # it would have waited for the lock (5 s lock_timeout) otherwise
