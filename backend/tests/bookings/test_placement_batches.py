"""Placements of concurrent bookings travel together (boxoffice/batching.py, migration 0006):
each booking keeps its own outcome, and nothing one booking's refusal undoes touches another."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from boxoffice.batching import GroupCommit
from boxoffice.bookings import inventory
from tests.bookings.conftest import book, counters, gather_limited, order, single_use_coupon, sql

# --- GroupCommit on its own ------------------------------------------------------------------------


async def test_items_submitted_while_a_send_is_in_flight_go_out_together_in_order() -> None:
    batches: list[list[int]] = []

    async def send(items: list[int]) -> list[int | BaseException]:
        batches.append(items)
        await asyncio.sleep(0.01)
        return [item * 10 for item in items]

    group: GroupCommit[int, int] = GroupCommit(send, max_in_flight=1, max_batch=16)
    first = asyncio.create_task(group.submit(0))
    await asyncio.sleep(0.001)  # sent at once, alone; the other 49 arrive while it is in flight
    results = [await first, *await asyncio.gather(*(group.submit(n) for n in range(1, 50)))]
    assert results == [n * 10 for n in range(50)]
    assert batches[0] == [0]
    assert [n for batch in batches for n in batch] == list(range(50))  # every item once, in order
    assert max(len(batch) for batch in batches) == 16 == group.largest_batch  # capped
    assert len(batches) == 5  # 1 + 16 + 16 + 16 + 1


async def test_each_caller_gets_its_own_outcome_and_a_failed_send_reaches_every_caller() -> None:
    calls = 0

    async def send(items: list[int]) -> list[int | BaseException]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        if calls == 2:
            raise ConnectionError("the database went away")
        return [ValueError(f"refused {n}") if n % 2 else n for n in items]

    group: GroupCommit[int, int] = GroupCommit(send, max_in_flight=1, max_batch=10)
    first = await asyncio.gather(*(group.submit(n) for n in range(3)), return_exceptions=True)
    assert first[0] == 0 and isinstance(first[1], ValueError) and str(first[1]) == "refused 1" and first[2] == 2
    failed = await asyncio.gather(*(group.submit(n) for n in range(4)), return_exceptions=True)
    assert all(isinstance(outcome, ConnectionError) for outcome in failed)  # one batch, and it failed
    later = await asyncio.gather(group.submit(4), group.submit(6))
    assert list(later) == [4, 6]  # the group works on after a failed send


async def test_a_caller_that_gave_up_before_the_send_is_left_out() -> None:
    sent: list[int] = []
    release = asyncio.Event()

    async def send(items: list[int]) -> list[int | BaseException]:
        sent.extend(items)
        await release.wait()
        return list(items)

    group: GroupCommit[int, int] = GroupCommit(send, max_in_flight=1, max_batch=10)
    first = asyncio.create_task(group.submit(1))
    await asyncio.sleep(0)
    impatient = asyncio.create_task(group.submit(2))
    patient = asyncio.create_task(group.submit(3))
    await asyncio.sleep(0.01)
    impatient.cancel()
    release.set()
    assert await first == 1 and await patient == 3
    assert sent == [1, 3]


# --- the batch statement -----------------------------------------------------------------------------


def _placement(event: Any, user_id: uuid.UUID, quantity: int = 1, **extra: Any) -> dict[str, Any]:
    """What bookings/service.py hands the placement: one booking of ``quantity`` first-tier seats."""
    now = datetime.now(UTC)
    ticket_type = event.ticket_types[0]
    return {
        "booking_id": uuid.uuid4(),
        "user_id": user_id,
        "event_id": event.id,
        "currency": "EUR",
        "subtotal": ticket_type.price_minor * quantity,
        "discount": 0,
        "total": ticket_type.price_minor * quantity,
        "coupon_id": None,
        "per_user_limit": None,
        "idempotency_key": None,
        "fingerprint": None,
        "hold_expires_at": now + timedelta(minutes=10),
        "created_at": now,
        "items": [
            {
                "id": str(uuid.uuid4()),
                "ticket_type_id": str(ticket_type.id),
                "position": 0,
                "quantity": quantity,
                "unit_price_minor": ticket_type.price_minor,
                "attendees": [{"name": "", "email": None}] * quantity,
            }
        ],
        **extra,
    }


async def _booked(runtime: Any) -> set[uuid.UUID]:
    return {row.id for row in await sql(runtime, "SELECT id FROM bookings")}


async def test_a_batch_refuses_only_the_bookings_that_do_not_fit(
    make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Few", 2000, 3)])
    buyers = await make_buyers(3)
    batch = [_placement(event, buyers[0].user.id, 2), _placement(event, buyers[1].user.id, 2)]
    batch.append(_placement(event, buyers[2].user.id, 1))
    outcomes = await inventory.place_batch(runtime.raw_pool, batch)
    assert outcomes[0] == "ok" and outcomes[2] == "ok"
    refused = outcomes[1]
    assert isinstance(refused, inventory.PlacementRefused) and refused.reason == "hold_failed"
    assert refused.ticket_type_id == event.ticket_types[0].id
    assert await _booked(runtime) == {batch[0]["booking_id"], batch[2]["booking_id"]}
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 3, "sold": 0, "held": 3}
    items = await sql(runtime, "SELECT booking_id FROM booking_items")
    assert {row.booking_id for row in items} == {batch[0]["booking_id"], batch[2]["booking_id"]}


async def test_a_used_up_coupon_refuses_the_later_booking_of_a_batch_and_keeps_its_seats_free(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("General", 2000, 10)])
    coupon_id = uuid.UUID((await single_use_coupon(client, organizer, event, code="ONCE"))["id"])
    first, second = await make_buyers(2)
    batch = [
        _placement(event, first.user.id, 2, coupon_id=coupon_id, discount=2000, total=2000),
        _placement(event, second.user.id, 3, coupon_id=coupon_id, discount=3000, total=3000),
    ]
    outcomes = await inventory.place_batch(runtime.raw_pool, batch)
    assert outcomes[0] == "ok"
    assert isinstance(outcomes[1], inventory.PlacementRefused) and outcomes[1].reason == "coupon_exhausted"
    assert await _booked(runtime) == {batch[0]["booking_id"]}
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 10, "sold": 0, "held": 2}
    (used,) = await sql(runtime, "SELECT used_count FROM coupons WHERE id = :id", id=coupon_id)
    assert used.used_count == 1
    redemptions = await sql(runtime, "SELECT booking_id FROM coupon_redemptions")
    assert [row.booking_id for row in redemptions] == [batch[0]["booking_id"]]


async def test_one_idempotency_key_twice_in_a_batch_books_once(
    make_event: Any, organizer: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("General", 2000, 10)])
    (buyer,) = await make_buyers(1)
    twice = [_placement(event, buyer.user.id, 1, idempotency_key="k-1", fingerprint="f") for _ in range(2)]
    assert await inventory.place_batch(runtime.raw_pool, twice) == ["ok", "duplicate"]
    assert await _booked(runtime) == {twice[0]["booking_id"]}
    assert (await counters(runtime, event.ticket_types[0].id))["held"] == 1


# --- through the API -----------------------------------------------------------------------------------


@pytest.mark.parametrize("capacity", [100])
async def test_concurrent_bookings_are_placed_in_batches_and_never_oversell(
    client: httpx.AsyncClient, make_event: Any, organizer: Any, make_buyers: Any, runtime: Any, capacity: int
) -> None:
    event = await make_event(organizer.user, tiers=[("Drop", 3000, capacity)])
    buyers = await make_buyers(20)
    responses = await gather_limited(
        [book(client, buyers[i % 20], order(event)) for i in range(capacity + 40)], limit=capacity + 40
    )
    outcome = Counter(str(r.status_code) if r.status_code == 201 else r.json()["code"] for r in responses)
    assert outcome["201"] == capacity, outcome
    assert outcome["sold_out"] + outcome["insufficient_inventory"] == 40, outcome
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": capacity, "sold": 0, "held": capacity}
    assert runtime.placements.largest_batch > 1  # the bookings did travel together
