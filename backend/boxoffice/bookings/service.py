"""Booking rules: the hot booking path, reads, confirmation, cancellation, hold expiry.

The hot path (``create_booking``) reads and checks everything without locks, ends that read-only
transaction, then makes the one write as a single atomic statement in autocommit mode (booking,
lines, coupon redemption and seats; see bookings/inventory.py), sent together with the placements
of concurrent requests (runtime.placements, boxoffice/batching.py). This is the one deliberate
exception to "the session dependency commits": it keeps the hot row's lock inside the database.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import structlog
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from boxoffice import realtime
from boxoffice.auth.dependencies import Principal
from boxoffice.bookings import inventory
from boxoffice.bookings.schemas import Attendee, BookingCreate, BookingLineRead, BookingRead
from boxoffice.bookings.seat_prices import PricedLine, seat_amounts
from boxoffice.bookings.states import next_status
from boxoffice.coupons import service as coupons
from boxoffice.db import after_commit, after_transaction, commit_if_needed, fetch_raw
from boxoffice.errors import AppError, Conflict, Forbidden, NotFound
from boxoffice.events.pricing import parse_rules, quote_price
from boxoffice.models import Booking, BookingStatus, Coupon, Event, EventStatus, Ticket, TicketStatus, TicketType, User
from boxoffice.runtime import Runtime

log = structlog.get_logger(__name__)


class EventNotOnSale(Conflict):
    code, title = "event_not_on_sale", "This event is not on sale"


# The money columns are 32-bit integers (minor units): larger totals cannot be stored.
MAX_ORDER_TOTAL_MINOR = 2**31 - 1


class OrderLimit(AppError):
    status, code, title = 422, "order_limit", "Quantity outside the allowed range"


class EmailNotVerified(Forbidden):
    code, title = "email_not_verified", "Confirm your email first"


class IdempotencyMismatch(AppError):
    status, code, title = 422, "idempotency_key_reused", "Idempotency key reused with a different request"


class DuplicateRequest(Exception):
    """A concurrent request with the same Idempotency-Key won: return its booking instead."""


def fingerprint(body: BookingCreate) -> str:
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class _EventRow:
    id: uuid.UUID
    organizer_id: uuid.UUID
    title: str
    status: EventStatus
    starts_at: datetime
    ends_at: datetime
    timezone: str
    currency: str


# The event and the requested ticket types in one round trip (a hot-path read): one row per
# requested type of this event, or a single row with NULL type columns when none matches.
# The ticket type columns are the ones inventory.offer_from_row reads.
_SALE_READ = """
    SELECT e.id, e.organizer_id, e.title, e.status::text AS status, e.starts_at, e.ends_at, e.timezone,
           e.currency AS event_currency,
           t.id AS ticket_type_id, t.name, t.price_minor, t.currency, t.pricing_rules::text AS pricing_rules,
           t.sold, t.capacity, t.capacity - t.sold - t.held AS remaining, t.min_per_order, t.max_per_order,
           t.sales_start, t.sales_end
    FROM events e LEFT JOIN ticket_types t ON t.event_id = e.id AND t.id = ANY($2::uuid[])
    WHERE e.id = $1
"""


async def _read_sale(
    pool: asyncpg.Pool, event_id: uuid.UUID, ticket_type_ids: list[uuid.UUID]
) -> tuple[_EventRow, dict[uuid.UUID, inventory.Offer]]:
    """The event (refused unless on sale) and the offers, read without a lock and outside the
    request's transaction (db.fetch_raw): the placement statement re-checks everything that matters
    under its lock."""
    rows = await fetch_raw(pool, _SALE_READ, event_id, ticket_type_ids)
    if not rows:
        raise NotFound("No such event.", code="event_not_found")
    row = rows[0]
    event = _EventRow(
        id=row["id"],
        organizer_id=row["organizer_id"],
        title=row["title"],
        status=EventStatus(row["status"]),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        timezone=row["timezone"],
        currency=row["event_currency"],
    )
    if event.status != EventStatus.PUBLISHED:
        raise EventNotOnSale(f"This event is {event.status.value}; tickets cannot be booked.")
    if event.ends_at <= datetime.now(UTC):
        raise EventNotOnSale("This event is over.", code="event_over")
    offers = {r["ticket_type_id"]: inventory.offer_from_row(r) for r in rows if r["ticket_type_id"] is not None}
    return event, offers


async def find_by_idempotency_key(session: AsyncSession, user_id: uuid.UUID, key: str) -> Booking | None:
    stmt = (
        select(Booking)
        .where(Booking.user_id == user_id, Booking.idempotency_key == key)
        .options(selectinload(Booking.items))
    )
    return await session.scalar(stmt)


async def create_booking(
    session: AsyncSession,
    runtime: Runtime,
    principal: Principal,
    body: BookingCreate,
    idempotency_key: str | None,
) -> tuple[BookingRead, bool]:
    """Returns the booking and whether it was created now (False: an idempotent replay)."""
    settings = runtime.settings
    request_fingerprint = fingerprint(body) if idempotency_key else None
    if idempotency_key:
        existing = await find_by_idempotency_key(session, principal.id, idempotency_key)
        if existing is not None:
            if existing.request_fingerprint != request_fingerprint:
                raise IdempotencyMismatch("This Idempotency-Key was used for a different booking request.")
            return (await to_reads(session, [existing]))[0], False
        # The reads below take their own pooled connection (db.fetch_raw): hand this one back
        # first, or a burst of requests could each hold one while waiting for a second.
        await session.commit()

    lines = sorted(body.items, key=lambda line: line.ticket_type_id)
    requested = [line.ticket_type_id for line in lines]
    # Answer sold-out requests first and fast: no database work, no queueing behind the row lock.
    flagged = await inventory.flagged_sold_out(runtime.redis, requested)
    if flagged:
        raise inventory.SoldOut("Sold out.", errors=[])

    # Outside the request's transaction, before it holds a connection (see above).
    event, offers = await _read_sale(runtime.raw_pool, body.event_id, requested)

    coupon: Coupon | None = None
    if body.coupon_code:
        coupon = await coupons.find_for_event(
            session, body.coupon_code, event_id=event.id, organizer_id=event.organizer_id
        )
        await coupons.lock_coupon(session, runtime.redis, coupon)  # before any inventory lock

    # 1. Check every line without taking any lock (sales window, limits, a quick availability
    #    pre-check, the price). The conditional UPDATE below stays the guarantee.
    now = datetime.now(UTC)
    priced: list[coupons.PricedLine] = []
    for line in lines:
        offer = offers.get(line.ticket_type_id)
        if offer is None:
            raise NotFound("This ticket type does not exist for this event.", code="ticket_type_not_found")
        try:
            inventory.check_offer(offer, line.quantity, now)
        except inventory.SoldOut:
            _flag_after(session, runtime, line.ticket_type_id)
            raise
        if not offer.min_per_order <= line.quantity <= offer.max_per_order:
            raise OrderLimit(
                f"{offer.name}: between {offer.min_per_order} and {offer.max_per_order} tickets per order.",
                errors=[],
            )
        if offer.currency != event.currency:
            raise Conflict("Ticket types with different currencies cannot be booked together.", code="mixed_currency")
        unit = offer.price_minor
        if offer.pricing_rules:
            unit = quote_price(
                offer.price_minor, parse_rules(offer.pricing_rules), now=now, sold=offer.sold, capacity=offer.capacity
            )
        priced.append(coupons.PricedLine(line.ticket_type_id, line.quantity, unit))

    subtotal = sum(p.unit_price_minor * p.quantity for p in priced)
    if subtotal > MAX_ORDER_TOTAL_MINOR:
        raise OrderLimit("This order is too large to pay at once; split it into smaller orders.", errors=[])
    discount = coupons.discount_for(coupon, priced, event.currency) if coupon else 0
    total = subtotal - discount
    if total > 0 and settings.require_verified_email_for_paid and not principal.user.email_verified:
        raise EmailNotVerified("Confirm your email address before booking paid tickets.")

    # 2. One atomic statement writes the booking and its lines, redeems the coupon and takes the
    #    seats (inventory.place_booking). This read-only transaction ends first, so the request
    #    holds no connection or lock of its own while the write happens.
    booking_id = uuid.uuid4()
    hold_expires_at = now + timedelta(minutes=settings.hold_minutes)
    attendees_by_line = {line.ticket_type_id: _seat_attendees(line.attendees, line.quantity) for line in lines}
    params: dict[str, Any] = {
        "booking_id": booking_id,
        "user_id": principal.id,
        "event_id": event.id,
        "currency": event.currency,
        "subtotal": subtotal,
        "discount": discount,
        "total": total,
        "coupon_id": coupon.id if coupon else None,
        "per_user_limit": coupon.per_user_limit if coupon else None,
        "idempotency_key": idempotency_key,
        "fingerprint": request_fingerprint,
        "hold_expires_at": hold_expires_at,
        "created_at": now,
        "items": [
            {
                "id": str(uuid.uuid4()),
                "ticket_type_id": str(p.ticket_type_id),
                "position": index,
                "quantity": p.quantity,
                "unit_price_minor": p.unit_price_minor,
                "attendees": attendees_by_line[p.ticket_type_id],
            }
            for index, p in enumerate(priced)
        ],
    }
    if coupon is not None and subtotal < coupon.min_purchase_minor:
        raise coupons.CouponNotApplicable(
            f"This coupon needs a purchase of at least {coupon.min_purchase_minor} (minor units).",
            code="coupon_min_purchase",
        )
    await commit_if_needed(session)
    try:
        # Together with the placements of concurrent requests, in one statement (see batching.py).
        outcome = await runtime.placements.submit(params)
    except inventory.PlacementRefused as refused:
        if refused.reason == "coupon_exhausted":
            raise coupons.CouponExhausted("This coupon has been used up.") from refused
        if refused.reason == "coupon_user_limit":
            raise coupons.CouponExhausted(
                "You have already used this coupon as often as allowed.", code="coupon_user_limit"
            ) from refused
        assert refused.ticket_type_id is not None
        quantity = next(line.quantity for line in lines if line.ticket_type_id == refused.ticket_type_id)
        try:
            await inventory.explain_refusal(session, event.id, refused.ticket_type_id, quantity)
        except inventory.SoldOut:
            _flag_after(session, runtime, refused.ticket_type_id)
            raise
        raise AssertionError("unreachable") from refused
    if outcome == "duplicate":
        raise DuplicateRequest

    await _announce_now(runtime, event.id, requested)
    names = {type_id: offer.name for type_id, offer in offers.items()}
    read = BookingRead(
        id=booking_id,
        user_id=principal.id,
        event_id=event.id,
        event_title=event.title,
        event_starts_at=event.starts_at,
        event_timezone=event.timezone,
        status=BookingStatus.PENDING_PAYMENT,
        currency=event.currency,
        subtotal_minor=subtotal,
        discount_minor=discount,
        total_minor=total,
        refunded_minor=0,
        coupon_code=coupon.code if coupon else None,
        hold_expires_at=hold_expires_at,
        created_at=now,
        confirmed_at=None,
        cancelled_at=None,
        expired_at=None,
        cancel_reason=None,
        items=[
            BookingLineRead(
                ticket_type_id=p.ticket_type_id,
                ticket_type_name=names[p.ticket_type_id],
                quantity=p.quantity,
                unit_price_minor=p.unit_price_minor,
                line_total_minor=p.unit_price_minor * p.quantity,
                attendees=[Attendee.model_validate(a) for a in attendees_by_line[p.ticket_type_id]],
            )
            for p in priced
        ],
    )
    await realtime.publish_booking(read, organizer_id=event.organizer_id, runtime=runtime)
    return read, True


def _flag_after(session: AsyncSession, runtime: Runtime, ticket_type_id: uuid.UUID) -> None:
    """Set the sold-out flag when the transaction ends (it is rolling back: the request failed)."""

    async def flag() -> None:
        await inventory.flag_sold_out(runtime.redis, ticket_type_id)

    after_transaction(session, flag)


def _seat_attendees(given: list[Attendee], quantity: int) -> list[dict[str, Any]]:
    seats = [{"name": a.name, "email": a.email} for a in given]
    seats += [{"name": "", "email": None} for _ in range(quantity - len(given))]
    return seats


def _announce(session: AsyncSession, runtime: Runtime, event_id: uuid.UUID, ticket_type_ids: list[uuid.UUID]) -> None:
    """After commit, tell live listeners that availability changed (realtime hooks in later)."""
    hook = runtime.extras.get("availability_changed")
    if hook is None:
        return

    async def notify() -> None:
        await hook(event_id, ticket_type_ids)

    after_commit(session, notify)


async def _announce_now(runtime: Runtime, event_id: uuid.UUID, ticket_type_ids: list[uuid.UUID]) -> None:
    """For writes already committed (the atomic hot path): notify live listeners now."""
    hook = runtime.extras.get("availability_changed")
    if hook is not None:
        try:
            await hook(event_id, ticket_type_ids)
        except Exception:  # a notification never fails a committed booking
            log.exception("availability_announce_failed")


# --- reads ----------------------------------------------------------------------------------------


async def to_reads(session: AsyncSession, bookings: list[Booking], *, with_customer: bool = False) -> list[BookingRead]:
    """Shape bookings for the API with one query per related table (no N+1)."""
    if not bookings:
        return []
    event_ids = {b.event_id for b in bookings}
    events = {e.id: e for e in (await session.scalars(select(Event).where(Event.id.in_(event_ids)))).all()}
    type_ids = {item.ticket_type_id for b in bookings for item in b.items}
    names = dict(
        (await session.execute(select(TicketType.id, TicketType.name).where(TicketType.id.in_(type_ids)))).all()
    )
    coupon_ids = {b.coupon_id for b in bookings if b.coupon_id}
    codes = (
        dict((await session.execute(select(Coupon.id, Coupon.code).where(Coupon.id.in_(coupon_ids)))).all())
        if coupon_ids
        else {}
    )
    customers: dict[uuid.UUID, tuple[str, str]] = {}
    if with_customer:
        user_ids = {b.user_id for b in bookings}
        customers = {
            row.id: (row.email, row.full_name)
            for row in (await session.execute(select(User.id, User.email, User.full_name).where(User.id.in_(user_ids))))
        }
    reads = []
    for b in bookings:
        event = events[b.event_id]
        customer = customers.get(b.user_id)
        reads.append(
            BookingRead(
                id=b.id,
                user_id=b.user_id,
                event_id=b.event_id,
                event_title=event.title,
                event_starts_at=event.starts_at,
                event_timezone=event.timezone,
                status=b.status,
                currency=b.currency,
                subtotal_minor=b.subtotal_minor,
                discount_minor=b.discount_minor,
                total_minor=b.total_minor,
                refunded_minor=b.refunded_minor,
                coupon_code=codes.get(b.coupon_id) if b.coupon_id else None,
                hold_expires_at=b.hold_expires_at,
                created_at=b.created_at,
                confirmed_at=b.confirmed_at,
                cancelled_at=b.cancelled_at,
                expired_at=b.expired_at,
                cancel_reason=b.cancel_reason,
                items=[
                    BookingLineRead(
                        ticket_type_id=i.ticket_type_id,
                        ticket_type_name=names.get(i.ticket_type_id, ""),
                        quantity=i.quantity,
                        unit_price_minor=i.unit_price_minor,
                        line_total_minor=i.unit_price_minor * i.quantity,
                        attendees=[Attendee.model_validate(a) for a in i.attendees],
                    )
                    for i in b.items
                ],
                customer_email=customer[0] if customer else None,
                customer_name=customer[1] if customer else None,
            )
        )
    return reads


async def load(session: AsyncSession, booking_id: uuid.UUID, *, for_update: bool = False) -> Booking | None:
    stmt = select(Booking).where(Booking.id == booking_id).options(selectinload(Booking.items))
    if for_update:
        stmt = stmt.with_for_update(of=Booking)
    return await session.scalar(stmt)


async def visible_booking(
    session: AsyncSession, principal: Principal, booking_id: uuid.UUID, *, for_update: bool = False
) -> Booking:
    """The owner and admins see a booking; for anyone else it does not exist (no IDOR oracle)."""
    booking = await load(session, booking_id, for_update=for_update)
    if booking is None or not (principal.is_admin or booking.user_id == principal.id):
        raise NotFound("No such booking.", code="booking_not_found")
    return booking


async def managed_booking(
    session: AsyncSession, principal: Principal, booking_id: uuid.UUID, *, for_update: bool = False
) -> tuple[Booking, Event, bool]:
    """A booking its customer, the event's organizer or an admin may act on (cancel, refund, see
    its tickets and refunds); 404 for anyone else. Returns the booking, its event and whether the
    caller acts as staff (organizer or admin) rather than as the customer."""
    booking = await load(session, booking_id, for_update=for_update)
    if booking is None:
        raise NotFound("No such booking.", code="booking_not_found")
    event = await session.get(Event, booking.event_id)
    assert event is not None
    is_staff = principal.is_admin or event.organizer_id == principal.id
    if not (is_staff or booking.user_id == principal.id):
        raise NotFound("No such booking.", code="booking_not_found")
    return booking, event, is_staff


async def event_owned_by(session: AsyncSession, principal: Principal, event_id: uuid.UUID) -> Event:
    event = await session.get(Event, event_id)
    if event is None:
        raise NotFound("No such event.", code="event_not_found")
    if not (principal.is_admin or event.organizer_id == principal.id):
        raise Forbidden("Only the event's organizer can see its bookings.")
    return event


# --- transitions ----------------------------------------------------------------------------------


def _lines(booking: Booking) -> list[tuple[uuid.UUID, int]]:
    return [(item.ticket_type_id, item.quantity) for item in booking.items]


async def confirm(session: AsyncSession, runtime: Runtime, booking: Booking) -> bool:
    """Move a paid (or free) booking to confirmed. The caller holds the booking row lock.

    Returns False when the hold had expired and the seats are gone in the meantime (the caller
    refunds). Confirming an already confirmed booking is a no-op that returns True (idempotent)."""
    if booking.status == BookingStatus.CONFIRMED:
        return True
    target = next_status(booking.status, "confirm")
    if booking.status == BookingStatus.PENDING_PAYMENT:
        await inventory.held_to_sold(session, _lines(booking))
    else:  # expired: try to take the seats again
        async with session.begin_nested():
            taken = await inventory.take_sold(session, _lines(booking))
            if not taken:
                raise _RollbackSavepoint
    booking.status = target
    booking.confirmed_at = datetime.now(UTC)
    await session.flush()
    _announce(session, runtime, booking.event_id, [t for t, _ in _lines(booking)])
    realtime.announce_booking(session, booking, runtime=runtime)
    log.info("booking_confirmed", booking_id=str(booking.id))
    return True


class _RollbackSavepoint(Exception):
    pass


async def confirm_or_report(session: AsyncSession, runtime: Runtime, booking: Booking) -> bool:
    try:
        return await confirm(session, runtime, booking)
    except _RollbackSavepoint:
        return False


async def cancel_unpaid(session: AsyncSession, runtime: Runtime, booking: Booking, reason: str) -> None:
    booking.status = next_status(booking.status, "cancel")
    booking.cancelled_at = datetime.now(UTC)
    booking.cancel_reason = reason
    await inventory.release_held(session, _lines(booking))
    await coupons.release_redemption(session, booking.id)
    await session.flush()
    _after_release(session, runtime, booking.event_id, [t for t, _ in _lines(booking)])
    realtime.announce_booking(session, booking, runtime=runtime)


async def cancel_paid(session: AsyncSession, runtime: Runtime, booking: Booking, reason: str) -> None:
    """Seats of a refunded booking go back on sale. (The refund itself is the payments' job.)
    Call before voiding its tickets: seats of tickets already voided (refunded one by one) went
    back on sale then, and are not released twice."""
    booking.status = next_status(booking.status, "cancel")
    booking.cancelled_at = datetime.now(UTC)
    booking.cancel_reason = reason
    await inventory.release_sold(session, await _seats_still_sold(session, booking))
    await session.flush()
    _after_release(session, runtime, booking.event_id, [t for t, _ in _lines(booking)])
    realtime.announce_booking(session, booking, runtime=runtime)


async def _seats_still_sold(session: AsyncSession, booking: Booking) -> list[tuple[uuid.UUID, int]]:
    voided = dict(
        (
            await session.execute(
                select(Ticket.booking_item_id, func.count())
                .where(Ticket.booking_id == booking.id, Ticket.status == TicketStatus.VOID)
                .group_by(Ticket.booking_item_id)
            )
        ).all()
    )
    still: dict[uuid.UUID, int] = {}
    for item in booking.items:
        left = item.quantity - int(voided.get(item.id, 0))
        if left > 0:
            still[item.ticket_type_id] = still.get(item.ticket_type_id, 0) + left
    return sorted(still.items())


async def release_refunded_seats(
    session: AsyncSession, runtime: Runtime, booking: Booking, seats: list[tuple[uuid.UUID, int]]
) -> None:
    """Seats of tickets refunded one by one go back on sale; the booking stays confirmed."""
    await inventory.release_sold(session, seats)
    await session.flush()
    _after_release(session, runtime, booking.event_id, [t for t, _ in seats])


async def seat_prices(session: AsyncSession, booking: Booking) -> dict[tuple[uuid.UUID, int], int]:
    """What was paid for each seat, keyed by (booking item id, seat index): see seat_prices.py.
    The coupon applies to the lines of its ticket types (all lines when it names none)."""
    coupon_types: list[uuid.UUID] = []
    if booking.coupon_id is not None and booking.discount_minor > 0:
        coupon_types = list(
            await session.scalar(select(Coupon.ticket_type_ids).where(Coupon.id == booking.coupon_id)) or []
        )
    lines = [
        PricedLine(
            key=item.id,
            quantity=item.quantity,
            unit_price_minor=item.unit_price_minor,
            discounted=not coupon_types or item.ticket_type_id in coupon_types,
        )
        for item in booking.items
    ]
    amounts = seat_amounts(lines, booking.total_minor)
    return {
        (item.id, seat): amount
        for item, seats in zip(booking.items, amounts, strict=True)
        for seat, amount in enumerate(seats)
    }


def _after_release(session: AsyncSession, runtime: Runtime, event_id: uuid.UUID, type_ids: list[uuid.UUID]) -> None:
    async def clear() -> None:
        await inventory.clear_sold_out(runtime.redis, type_ids)

    after_commit(session, clear)
    _announce(session, runtime, event_id, type_ids)


def may_self_refund(booking: Booking, event: Event, now: datetime) -> bool:
    if event.refund_until_hours is None:
        return False
    return now <= event.starts_at - timedelta(hours=event.refund_until_hours)


# --- hold expiry ----------------------------------------------------------------------------------

_DUE = text(
    """
    WITH due AS (
        SELECT id FROM bookings
        WHERE status = 'pending_payment' AND hold_expires_at <= now()
        ORDER BY hold_expires_at LIMIT :limit
        FOR UPDATE SKIP LOCKED
    )
    UPDATE bookings b SET status = 'expired', expired_at = now()
    FROM due WHERE b.id = due.id
    RETURNING b.id, b.event_id
    """
)


async def expire_due_holds(session: AsyncSession, runtime: Runtime, limit: int = 500) -> int:
    """Return expired holds to inventory. Safe to run from many processes at once (SKIP LOCKED)."""
    expired = (await session.execute(_DUE, {"limit": limit})).all()
    if not expired:
        return 0
    booking_ids = [row.id for row in expired]
    totals = (
        await session.execute(
            text(
                "SELECT ticket_type_id, sum(quantity) AS n FROM booking_items WHERE booking_id = ANY(:ids) "
                "GROUP BY ticket_type_id ORDER BY ticket_type_id"
            ),
            {"ids": booking_ids},
        )
    ).all()
    await inventory.release_held(session, [(row.ticket_type_id, int(row.n)) for row in totals])
    for booking_id in booking_ids:
        await coupons.release_redemption(session, booking_id)
    type_ids = [row.ticket_type_id for row in totals]
    for event_id in {row.event_id for row in expired}:
        _announce(session, runtime, event_id, type_ids)
    realtime.announce_bookings(session, booking_ids, runtime=runtime)

    async def clear() -> None:
        await inventory.clear_sold_out(runtime.redis, type_ids)

    after_commit(session, clear)
    log.info("holds_expired", bookings=len(booking_ids))
    return len(booking_ids)
