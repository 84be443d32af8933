"""Coupon rules: ownership, validity, discount math, race-free redemption.

Redemption is serialised per code by a Redis distributed lock (redis-py's asyncio Lock), held
until the booking write ends; the database is the final guard: inside boxoffice_place_booking()
(migration 0004) a conditional UPDATE only increments ``used_count`` below ``usage_limit``, the
per-user limit is checked in the same statement, and a CHECK constraint backs both.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from redis.asyncio import Redis
from redis.exceptions import LockError
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice.auth.dependencies import Principal
from boxoffice.coupons.schemas import CouponCreate, CouponPublic, CouponUpdate
from boxoffice.db import after_transaction
from boxoffice.errors import AppError, Conflict, Forbidden, NotFound, ServiceUnavailable
from boxoffice.models import Coupon, CouponKind, Event, TicketType

log = structlog.get_logger(__name__)

LOCK_TIMEOUT_SECONDS = 10
LOCK_WAIT_SECONDS = 5


class CouponNotApplicable(AppError):
    status, code, title = 422, "coupon_not_applicable", "This coupon cannot be used here"


class CouponExhausted(Conflict):
    code, title = "coupon_exhausted", "This coupon has been used up"


def normalize_code(code: str) -> str:
    return code.strip().upper()


async def create(session: AsyncSession, principal: Principal, body: CouponCreate) -> Coupon:
    if body.event_id is not None:
        event = await session.get(Event, body.event_id)
        if event is None:
            raise NotFound("No such event.")
        if not principal.is_admin and event.organizer_id != principal.id:
            raise Forbidden("You can only create coupons for your own events.")
        organizer_id = event.organizer_id
        if body.ticket_type_ids:
            found = set(
                (
                    await session.scalars(
                        select(TicketType.id).where(
                            TicketType.event_id == event.id, TicketType.id.in_(body.ticket_type_ids)
                        )
                    )
                ).all()
            )
            missing = [str(i) for i in body.ticket_type_ids if i not in found]
            if missing:
                raise CouponNotApplicable(f"Ticket types not in this event: {', '.join(missing)}")
    else:
        if body.ticket_type_ids:
            raise CouponNotApplicable("Ticket-type restrictions need an event.")
        organizer_id = principal.id
    coupon = Coupon(
        id=uuid.uuid4(),
        code=body.code,
        organizer_id=organizer_id,
        event_id=body.event_id,
        kind=body.kind,
        amount=body.amount,
        currency=body.currency,
        usage_limit=body.usage_limit,
        per_user_limit=body.per_user_limit,
        valid_from=body.valid_from,
        valid_until=body.valid_until,
        min_purchase_minor=body.min_purchase_minor,
        ticket_type_ids=body.ticket_type_ids,
    )
    session.add(coupon)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("A coupon with this code already exists.", code="coupon_code_taken") from exc
    return coupon


async def owned(session: AsyncSession, principal: Principal, coupon_id: uuid.UUID) -> Coupon:
    coupon = await session.get(Coupon, coupon_id)
    if coupon is None or (not principal.is_admin and coupon.organizer_id != principal.id):
        raise NotFound("No such coupon.")
    return coupon


NOT_NULLABLE = ("active", "min_purchase_minor")


async def update(session: AsyncSession, principal: Principal, coupon_id: uuid.UUID, body: CouponUpdate) -> Coupon:
    coupon = await owned(session, principal, coupon_id)
    changes = body.model_dump(exclude_unset=True)
    for name in NOT_NULLABLE:  # null means "clear" for limits and dates, "keep" for these
        if name in changes and changes[name] is None:
            del changes[name]
    if "usage_limit" in changes and changes["usage_limit"] is not None and changes["usage_limit"] < coupon.used_count:
        raise Conflict(
            f"{coupon.used_count} uses are already taken; the limit cannot go below that.",
            code="usage_limit_below_used",
        )
    for name, value in changes.items():
        setattr(coupon, name, value)
    await session.flush()
    return coupon


async def list_mine(session: AsyncSession, principal: Principal, event_id: uuid.UUID | None) -> list[Coupon]:
    stmt = select(Coupon).order_by(Coupon.created_at.desc())
    if not principal.is_admin:
        stmt = stmt.where(Coupon.organizer_id == principal.id)
    if event_id is not None:
        stmt = stmt.where(Coupon.event_id == event_id)
    return list((await session.scalars(stmt)).all())


async def public_view(session: AsyncSession, code: str) -> CouponPublic:
    coupon = await session.scalar(select(Coupon).where(Coupon.code == normalize_code(code)))
    if coupon is None or not coupon.active:
        raise NotFound("This coupon code is not valid.", code="coupon_not_found")
    now = datetime.now(UTC)
    available = (
        (coupon.usage_limit is None or coupon.used_count < coupon.usage_limit)
        and (coupon.valid_from is None or coupon.valid_from <= now)
        and (coupon.valid_until is None or coupon.valid_until > now)
    )
    return CouponPublic(
        code=coupon.code,
        kind=coupon.kind,
        amount=coupon.amount,
        currency=coupon.currency,
        event_id=coupon.event_id,
        valid_until=coupon.valid_until,
        min_purchase_minor=coupon.min_purchase_minor,
        ticket_type_ids=coupon.ticket_type_ids,
        available=available,
    )


@dataclass(frozen=True)
class PricedLine:
    ticket_type_id: uuid.UUID
    quantity: int
    unit_price_minor: int


def discount_for(coupon: Coupon, lines: list[PricedLine], currency: str) -> int:
    """The discount in minor units (never more than what it applies to)."""
    applicable = sum(
        line.unit_price_minor * line.quantity
        for line in lines
        if not coupon.ticket_type_ids or line.ticket_type_id in coupon.ticket_type_ids
    )
    if coupon.kind == CouponKind.PERCENT:
        return min(applicable, (applicable * coupon.amount + 50) // 100)
    if coupon.currency != currency:
        raise CouponNotApplicable(f"This coupon is in {coupon.currency}; these tickets are in {currency}.")
    return min(applicable, coupon.amount)


async def find_for_event(session: AsyncSession, code: str, *, event_id: uuid.UUID, organizer_id: uuid.UUID) -> Coupon:
    coupon = await session.scalar(select(Coupon).where(Coupon.code == normalize_code(code)))
    if coupon is None or not coupon.active:
        raise CouponNotApplicable("This coupon code is not valid.", code="coupon_not_found")
    if coupon.event_id is not None and coupon.event_id != event_id:
        raise CouponNotApplicable("This coupon is for another event.")
    if coupon.event_id is None and coupon.organizer_id != organizer_id:
        raise CouponNotApplicable("This coupon is for another organizer's events.")
    now = datetime.now(UTC)
    if coupon.valid_from is not None and coupon.valid_from > now:
        raise CouponNotApplicable("This coupon is not valid yet.")
    if coupon.valid_until is not None and coupon.valid_until <= now:
        raise CouponNotApplicable("This coupon has expired.", code="coupon_expired")
    return coupon


async def lock_coupon(session: AsyncSession, redis: Redis, coupon: Coupon) -> None:
    """Serialise redemptions of this code until the booking transaction ends."""
    lock = redis.lock(f"lock:coupon:{coupon.id}", timeout=LOCK_TIMEOUT_SECONDS, blocking_timeout=LOCK_WAIT_SECONDS)
    try:
        acquired = await lock.acquire()
    except Exception as exc:  # Redis down: the database guard alone still prevents over-redemption
        log.warning("coupon_lock_unavailable", error=type(exc).__name__)
        return
    if not acquired:
        raise ServiceUnavailable("This coupon is in heavy use; try again in a moment.", headers={"Retry-After": "1"})

    async def release() -> None:
        try:
            await lock.release()
        except LockError:
            log.warning("coupon_lock_expired_before_release", coupon_id=str(coupon.id))

    after_transaction(session, release)


async def release_redemption(session: AsyncSession, booking_id: uuid.UUID) -> None:
    """Give the use back (booking expired or cancelled before payment)."""
    result = await session.execute(
        text(
            "UPDATE coupon_redemptions SET released_at = now() WHERE booking_id = :b AND released_at IS NULL "
            "RETURNING coupon_id"
        ),
        {"b": booking_id},
    )
    row = result.first()
    if row is not None:
        await session.execute(
            text("UPDATE coupons SET used_count = used_count - 1 WHERE id = :id"), {"id": row.coupon_id}
        )
