"""Seat inventory: atomic holds, releases and sales on the ticket-type counters.

Hot path (DESIGN.md rule 3): one conditional UPDATE per ticket type,

    UPDATE ticket_types SET held = held + :n
    WHERE id = :id AND capacity - sold - held >= :n AND <sales window open>

A row matches only if the seats are there; concurrent buyers queue on the row lock and each sees
the previous one's result. There is no read-then-write gap, and the CHECK constraint
``sold + held <= capacity`` is a last line of defence. We chose it over SELECT ... FOR UPDATE
(which the spec mentions) because it needs one statement instead of two with the lock held.

The UPDATE runs inside ``boxoffice_place_booking()`` (migration 0004), called in autocommit mode,
together with the booking insert and the coupon redemption: the lock lives only inside the
database server for the few microseconds until the commit, never across a network round trip or
a busy event loop. Multi-type bookings update rows in sorted id order, so two bookings never wait
on each other in opposite orders (no deadlock). FOR UPDATE is used where several rows must be
read and decided on together (e.g. the expiry sweeper, confirmations).

Sold-out flags in Redis let a sold-out request be answered without queueing behind the row lock;
the database stays the authority (a flag only says "do not bother", never "there are seats").
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
import structlog
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice.db import fetch_raw
from boxoffice.errors import Conflict, NotFound

log = structlog.get_logger(__name__)

SOLD_OUT_FLAG_TTL_SECONDS = 30


class SoldOut(Conflict):
    code, title = "sold_out", "Sold out"


class NotEnoughSeats(Conflict):
    code, title = "insufficient_inventory", "Not enough tickets left"


class SalesClosed(Conflict):
    code, title = "sales_closed", "Ticket sales are closed"


@dataclass(frozen=True)
class Offer:
    """A ticket type as read (without a lock) before booking: what it costs and whether it can sell."""

    ticket_type_id: uuid.UUID
    name: str
    price_minor: int
    currency: str
    pricing_rules: list[dict[str, Any]]
    sold: int
    capacity: int
    remaining: int
    min_per_order: int
    max_per_order: int
    sales_start: datetime | None
    sales_end: datetime | None


_DIAGNOSE = text(
    """
    SELECT name, capacity - sold - held AS remaining, sales_start, sales_end, now() AS now
    FROM ticket_types WHERE id = :id AND event_id = :event_id
    """
)


def sold_out_key(ticket_type_id: uuid.UUID) -> str:
    return f"soldout:{ticket_type_id}"


# "Not flagged" answers are remembered in the process for a moment: while a drop is selling, every
# booking asks about the same ticket type, and a Redis round trip was ~4% of a booking's CPU. Only
# the negative answer is remembered: a stale "not flagged" sends a request to the database, which
# refuses it correctly (and this process then flags the type and forgets the answer); a stale
# "flagged" could refuse seats that were just released.
NOT_FLAGGED_MEMORY_SECONDS = 0.2
_not_flagged_until: dict[uuid.UUID, float] = {}


async def flagged_sold_out(redis: Redis, ticket_type_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Ticket types flagged sold out. Redis trouble means "no flags": the database decides."""
    now = time.monotonic()
    unknown = [i for i in ticket_type_ids if _not_flagged_until.get(i, 0.0) <= now]
    if not unknown:
        return set()
    try:
        values = await redis.mget([sold_out_key(i) for i in unknown])
    except Exception:  # fail open to the database guarantee
        log.warning("sold_out_flags_unavailable")
        return set()
    if len(_not_flagged_until) > 10_000:
        _not_flagged_until.clear()
    flagged = set()
    for type_id, value in zip(unknown, values, strict=True):
        if value is None:
            _not_flagged_until[type_id] = now + NOT_FLAGGED_MEMORY_SECONDS
        else:
            flagged.add(type_id)
    return flagged


async def flag_sold_out(redis: Redis, ticket_type_id: uuid.UUID) -> None:
    _not_flagged_until.pop(ticket_type_id, None)
    try:
        await redis.set(sold_out_key(ticket_type_id), b"1", ex=SOLD_OUT_FLAG_TTL_SECONDS)
    except Exception:
        log.warning("sold_out_flag_set_failed")


async def clear_sold_out(redis: Redis, ticket_type_ids: list[uuid.UUID]) -> None:
    if not ticket_type_ids:
        return
    try:
        await redis.delete(*[sold_out_key(i) for i in ticket_type_ids])
    except Exception:
        log.warning("sold_out_flag_clear_failed")


def offer_from_row(row: asyncpg.Record) -> Offer:
    """An Offer from a row with ticket_type_id, name, price_minor, currency, pricing_rules (text), sold,
    capacity, remaining, min_per_order, max_per_order, sales_start and sales_end."""
    return Offer(
        ticket_type_id=row["ticket_type_id"],
        name=row["name"],
        price_minor=row["price_minor"],
        currency=row["currency"],
        pricing_rules=json.loads(row["pricing_rules"]),
        sold=row["sold"],
        capacity=row["capacity"],
        remaining=row["remaining"],
        min_per_order=row["min_per_order"],
        max_per_order=row["max_per_order"],
        sales_start=row["sales_start"],
        sales_end=row["sales_end"],
    )


def _refuse(
    name: str, remaining: int, sales_start: datetime | None, sales_end: datetime | None, now: datetime, quantity: int
) -> None:
    if sales_start is not None and sales_start > now:
        raise SalesClosed(f"Sales for {name} start at {sales_start.isoformat()}.", code="sales_not_started")
    if sales_end is not None and sales_end <= now:
        raise SalesClosed(f"Sales for {name} have ended.", code="sales_ended")
    if remaining <= 0:
        raise SoldOut(f"{name} is sold out.")
    if remaining < quantity:
        raise NotEnoughSeats(f"Only {remaining} {name} ticket(s) left.")


def check_offer(offer: Offer, quantity: int, now: datetime) -> None:
    """Refuse early, without a lock, what the conditional UPDATE would refuse anyway."""
    _refuse(offer.name, offer.remaining, offer.sales_start, offer.sales_end, now, quantity)


_PLACE = "SELECT boxoffice_place_booking($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb)"
_PLACE_PARAMS = (
    "booking_id",
    "user_id",
    "event_id",
    "currency",
    "subtotal",
    "discount",
    "total",
    "coupon_id",
    "per_user_limit",
    "idempotency_key",
    "fingerprint",
    "hold_expires_at",
    "created_at",
    "items",
)


class PlacementRefused(Exception):
    """The database refused the write: ``reason`` is hold_failed, coupon_exhausted or coupon_user_limit."""

    def __init__(self, reason: str, ticket_type_id: uuid.UUID | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.ticket_type_id = ticket_type_id


def _refusal(message: str) -> PlacementRefused | None:
    """The refusal a ``boxoffice:<reason>`` message (RAISEd by the placement function) stands for."""
    marker = message.find("boxoffice:")
    if marker < 0:
        return None
    reason = message[marker + len("boxoffice:") :].split()[0]
    if reason.startswith("hold_failed:"):
        return PlacementRefused("hold_failed", uuid.UUID(reason.split(":", 1)[1]))
    return PlacementRefused(reason)


async def place_booking(pool: asyncpg.Pool, params: dict[str, Any]) -> str:
    """Insert the booking, redeem the coupon and take the seats in ONE autocommit statement
    (migration 0004), straight on asyncpg (db.fetch_raw). Returns "ok" or "duplicate" (an earlier
    request with the same Idempotency-Key won); raises PlacementRefused when seats or the coupon
    are gone (the function RAISEs ``boxoffice:<reason>``)."""
    values = [params[name] for name in _PLACE_PARAMS]
    values[-1] = json.dumps(params["items"])
    try:
        rows = await fetch_raw(pool, _PLACE, *values)
    except asyncpg.PostgresError as exc:
        refused = _refusal(str(exc))
        if refused is None:
            raise
        raise refused from exc
    return str(rows[0][0])


_PLACE_MANY = "SELECT boxoffice_place_bookings($1::jsonb)"


async def place_batch(pool: asyncpg.Pool, batch: list[dict[str, Any]]) -> list[str | BaseException]:
    """Place several bookings in ONE autocommit statement (migration 0006; the runtime's
    GroupCommit gathers them, see Runtime.placements). One outcome per booking, in order: "ok",
    "duplicate", or the PlacementRefused its caller gets. Each booking stays all-or-nothing on its
    own; a lone booking takes the single-booking statement."""
    if len(batch) == 1:
        return [await _place_alone(pool, batch[0])]
    try:
        rows = await fetch_raw(pool, _PLACE_MANY, json.dumps(batch, default=str))
    except asyncpg.PostgresError:
        # The batch failed as a whole and changed nothing (one statement): e.g. a lock timeout, or
        # a deadlock with another batch over two bookings sharing an Idempotency-Key. Place each
        # booking alone, so that one booking's trouble stays its own.
        log.warning("placement_batch_failed", bookings=len(batch), exc_info=True)
        return [await _place_alone(pool, params) for params in batch]
    return [_refusal(text) or text for text in rows[0][0]]


async def _place_alone(pool: asyncpg.Pool, params: dict[str, Any]) -> str | BaseException:
    try:
        return await place_booking(pool, params)
    except Exception as exc:  # handed to this booking's caller
        return exc


async def explain_refusal(session: AsyncSession, event_id: uuid.UUID, ticket_type_id: uuid.UUID, quantity: int) -> None:
    """After a refused hold: raise the precise reason (sold out, not enough left, sales closed)."""
    why = (await session.execute(_DIAGNOSE, {"id": ticket_type_id, "event_id": event_id})).first()
    if why is None:
        raise NotFound("This ticket type does not exist for this event.", code="ticket_type_not_found")
    _refuse(why.name, why.remaining, why.sales_start, why.sales_end, why.now, quantity)
    raise SoldOut(f"{why.name} is sold out.")


async def release_held(session: AsyncSession, items: list[tuple[uuid.UUID, int]]) -> None:
    """Give held seats back (expiry, cancellation before payment)."""
    for ticket_type_id, quantity in sorted(items):
        await session.execute(
            text("UPDATE ticket_types SET held = held - :n WHERE id = :id"), {"n": quantity, "id": ticket_type_id}
        )


async def held_to_sold(session: AsyncSession, items: list[tuple[uuid.UUID, int]]) -> None:
    """Payment arrived in time: held seats become sold."""
    for ticket_type_id, quantity in sorted(items):
        await session.execute(
            text("UPDATE ticket_types SET held = held - :n, sold = sold + :n WHERE id = :id"),
            {"n": quantity, "id": ticket_type_id},
        )


async def take_sold(session: AsyncSession, items: list[tuple[uuid.UUID, int]]) -> bool:
    """Sell seats directly (a late payment after the hold expired). False if any are gone."""
    for ticket_type_id, quantity in sorted(items):
        result = await session.execute(
            text(
                "UPDATE ticket_types SET sold = sold + :n WHERE id = :id AND capacity - sold - held >= :n RETURNING id"
            ),
            {"n": quantity, "id": ticket_type_id},
        )
        if result.first() is None:
            return False
    return True


async def release_sold(session: AsyncSession, items: list[tuple[uuid.UUID, int]]) -> None:
    """Refunded or cancelled paid seats go back on sale."""
    for ticket_type_id, quantity in sorted(items):
        await session.execute(
            text("UPDATE ticket_types SET sold = sold - :n WHERE id = :id"), {"n": quantity, "id": ticket_type_id}
        )
