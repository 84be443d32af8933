"""Payment rules: start a payment, verify it with the provider, confirm exactly once, refund.

Every network call to the provider happens outside any row lock: we read, call the provider, then
lock the booking and payment rows (always in that order) and apply the outcome. The same
``apply_success`` serves ``POST /bookings/{id}/confirm`` and the webhook, so whichever arrives
first confirms and the other is a no-op.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice import realtime
from boxoffice.auth.dependencies import Principal
from boxoffice.bookings import mails
from boxoffice.bookings import service as bookings
from boxoffice.bookings.states import next_status
from boxoffice.db import after_commit
from boxoffice.errors import AppError, Conflict, FieldError, NotFound
from boxoffice.models import (
    Booking,
    BookingStatus,
    Event,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
    Ticket,
    TicketStatus,
)
from boxoffice.payments.gateway import DECLINE_CARD, Intent, MockGateway, PaymentGateway, make_gateway
from boxoffice.payments.schemas import PaymentRead, PaymentStart
from boxoffice.resilience import Breakers
from boxoffice.runtime import Runtime
from boxoffice.tickets import service as tickets

log = structlog.get_logger(__name__)


class PaymentRequired(AppError):
    status, code, title = 402, "payment_required", "Payment not completed"


class RefundNotAllowed(Conflict):
    code, title = "refund_not_allowed", "This booking can no longer be refunded by you"


class TicketNotRefundable(Conflict):
    code, title = "ticket_not_refundable", "These tickets cannot be refunded"


def breakers(runtime: Runtime) -> Breakers:
    return runtime.breakers


def gateway(runtime: Runtime) -> PaymentGateway:
    found = runtime.extras.get("payment_gateway")
    if found is None:
        found = make_gateway(runtime.settings, runtime.redis, breakers(runtime))
        runtime.extras["payment_gateway"] = found
    return found


async def latest_payment(session: AsyncSession, booking_id: uuid.UUID) -> Payment | None:
    """The booking's current payment. A declined one stays current: the buyer retries the same
    payment intent with another card, as Stripe intends."""
    return await session.scalar(
        select(Payment).where(Payment.booking_id == booking_id).order_by(Payment.created_at.desc()).limit(1)
    )


# --- paying ---------------------------------------------------------------------------------------


async def start_payment(
    session: AsyncSession, runtime: Runtime, principal: Principal, booking_id: uuid.UUID
) -> PaymentStart:
    booking = await bookings.visible_booking(session, principal, booking_id)
    if booking.status != BookingStatus.PENDING_PAYMENT:
        raise Conflict(
            f"This booking is {booking.status.value.replace('_', ' ')}; there is nothing to pay.",
            code="invalid_transition",
        )
    if booking.total_minor == 0:
        raise Conflict("This booking is free: confirm it directly.", code="nothing_to_pay")
    gw = gateway(runtime)
    reusable = await latest_payment(session, booking.id)
    if reusable is not None and reusable.provider == gw.name and reusable.amount_minor == booking.total_minor:
        intent = await gw.retrieve(reusable.provider_ref)  # e.g. a reload of the checkout page
    else:
        # Idempotent per booking at the provider too: a retried request returns the same intent.
        intent = await gw.create_intent(
            amount_minor=booking.total_minor,
            currency=booking.currency,
            idempotency_key=f"booking-{booking.id}",
            metadata={"booking_id": str(booking.id)},
        )
    payment = await session.scalar(
        select(Payment).where(Payment.provider == gw.name, Payment.provider_ref == intent.provider_ref)
    )
    if payment is None:
        payment = Payment(
            id=uuid.uuid4(),
            booking_id=booking.id,
            provider=gw.name,
            provider_ref=intent.provider_ref,
            amount_minor=booking.total_minor,
            currency=booking.currency,
            status=PaymentStatus.REQUIRES_PAYMENT,
        )
        session.add(payment)
        await session.flush()
    demo = isinstance(gw, MockGateway)
    return PaymentStart(
        payment=PaymentRead.model_validate(payment),
        provider="mock" if demo else "stripe",
        client_secret=None if demo else intent.client_secret,
        demo_mode=demo,
        decline_card=DECLINE_CARD if demo else None,
    )


async def _payment_for(session: AsyncSession, principal: Principal, payment_id: uuid.UUID) -> Payment:
    payment = await session.get(Payment, payment_id)
    if payment is None:
        raise NotFound("No such payment.")
    await bookings.visible_booking(session, principal, payment.booking_id)  # 404 for strangers
    return payment


async def submit_mock_card(
    session: AsyncSession, runtime: Runtime, principal: Principal, payment_id: uuid.UUID, card_number: str
) -> PaymentRead:
    gw = gateway(runtime)
    if not isinstance(gw, MockGateway):
        raise NotFound("Demo payments are off on this server.", code="mock_payments_disabled")
    payment = await _payment_for(session, principal, payment_id)
    intent = await gw.submit_card(payment.provider_ref, card_number)
    _record_status(payment, intent)
    await session.flush()
    return PaymentRead.model_validate(payment)


def _record_status(payment: Payment, intent: Intent) -> None:
    if payment.status == PaymentStatus.SUCCEEDED:
        return  # out-of-order news never downgrades a success
    if intent.status == "failed" or intent.status == "canceled":
        payment.status = PaymentStatus.FAILED
        payment.failure_code = intent.failure_code or intent.status
    elif intent.status == "requires_payment":
        payment.status = PaymentStatus.REQUIRES_PAYMENT
    elif intent.status in ("processing", "succeeded"):
        # "succeeded" at the provider becomes SUCCEEDED here only through apply_success (which confirms).
        payment.status = PaymentStatus.PROCESSING


# --- confirming -----------------------------------------------------------------------------------


async def confirm_booking(
    session: AsyncSession, runtime: Runtime, principal: Principal, booking_id: uuid.UUID
) -> tuple[Booking, AppError | None]:
    """Returns the booking and, when the payment could not confirm it, a problem to report *after*
    committing what happened (e.g. an automatic refund was started)."""
    booking = await bookings.visible_booking(session, principal, booking_id)
    if booking.status == BookingStatus.CONFIRMED:
        return booking, None
    if booking.total_minor == 0 and booking.status == BookingStatus.PENDING_PAYMENT:
        locked = await bookings.load(session, booking.id, for_update=True)
        assert locked is not None
        if locked.status == BookingStatus.PENDING_PAYMENT:
            await bookings.confirm(session, runtime, locked)
            await _after_confirmation(session, runtime, locked)
        return locked, None
    if booking.status == BookingStatus.CANCELLED:
        raise Conflict("This booking was cancelled.", code="invalid_transition")
    payment = await latest_payment(session, booking.id)
    if payment is None:
        raise PaymentRequired("Pay for this booking first.")
    gw = gateway(runtime)
    intent = await gw.retrieve(payment.provider_ref)
    if isinstance(gw, MockGateway):
        # The demo payment settles a moment after the card form; wait for it (no lock is held).
        for _ in range(3):
            if intent.status != "processing":
                break
            wait = await gw.settles_in(payment.provider_ref)
            if wait > runtime.settings.mock_payment_delay_seconds + 1:
                break
            await asyncio.sleep(wait + 0.05)
            intent = await gw.retrieve(payment.provider_ref)
    if intent.status != "succeeded":
        _record_status(payment, intent)
        await session.flush()
        detail = {
            "processing": "The payment is still processing; try again in a moment.",
            "failed": "The payment failed" + (f" ({intent.failure_code})." if intent.failure_code else "."),
        }.get(intent.status, "The payment has not been completed.")
        return booking, PaymentRequired(detail, code=f"payment_{intent.status}")
    problem = await apply_success(session, runtime, payment.id, intent)
    refreshed = await bookings.load(session, booking.id)
    assert refreshed is not None
    return refreshed, problem


async def apply_success(
    session: AsyncSession, runtime: Runtime, payment_id: uuid.UUID, intent: Intent
) -> AppError | None:
    """The provider says the money arrived. Lock booking then payment; confirm exactly once."""
    payment = await session.get(Payment, payment_id)
    assert payment is not None
    booking = await bookings.load(session, payment.booking_id, for_update=True)
    assert booking is not None
    payment = await session.get(Payment, payment_id, with_for_update=True, populate_existing=True)
    assert payment is not None
    if payment.status == PaymentStatus.SUCCEEDED:
        return None  # already applied (by the other of confirm/webhook)
    if (
        intent.amount_minor != payment.amount_minor
        or intent.currency.upper() != payment.currency.upper()
        or payment.amount_minor != booking.total_minor
    ):
        payment.flag_reason = (
            f"provider reported {intent.amount_minor} {intent.currency}, booking expects "
            f"{booking.total_minor} {booking.currency}"
        )
        await session.flush()
        log.error("payment_amount_mismatch", payment_id=str(payment.id), booking_id=str(booking.id))
        return Conflict(
            "The payment does not match the booking; the organizer has been alerted.", code="payment_mismatch"
        )
    payment.status = PaymentStatus.SUCCEEDED
    payment.succeeded_at = datetime.now(UTC)
    if booking.status == BookingStatus.CANCELLED:
        await _start_refund(session, runtime, booking, payment, booking.total_minor, "booking_cancelled_before_payment")
        return Conflict(
            "The booking was cancelled before the payment arrived; it is being refunded.",
            code="booking_cancelled_refunding",
        )
    if not await bookings.confirm_or_report(session, runtime, booking):
        # Paid after the hold expired and the seats went to someone else.
        await _start_refund(session, runtime, booking, payment, booking.total_minor, "seats_gone_after_expiry")
        return Conflict(
            "Your hold expired and the tickets sold out meanwhile; your payment is being refunded.",
            code="seats_gone_refunding",
        )
    await session.flush()
    await _after_confirmation(session, runtime, booking)
    return None


async def _after_confirmation(session: AsyncSession, runtime: Runtime, booking: Booking) -> None:
    await tickets.issue_for_booking(session, runtime.settings, booking)
    await mails.booking_confirmed(session, runtime.settings, booking)


# --- refunds --------------------------------------------------------------------------------------


async def _start_refund(
    session: AsyncSession,
    runtime: Runtime,
    booking: Booking,
    payment: Payment,
    amount: int,
    reason: str,
    requested_by: uuid.UUID | None = None,
    ticket_ids: list[str] | None = None,
) -> Refund:
    refund = Refund(
        id=uuid.uuid4(),
        payment_id=payment.id,
        booking_id=booking.id,
        amount_minor=amount,
        currency=payment.currency,
        status=RefundStatus.PENDING,
        reason=reason,
        requested_by=requested_by,
        ticket_ids=ticket_ids or [],
    )
    session.add(refund)
    await session.flush()

    async def enqueue() -> None:
        from boxoffice.payments.tasks import process_refund

        await process_refund.kiq(str(refund.id))

    after_commit(session, enqueue)
    log.info("refund_started", refund_id=str(refund.id), booking_id=str(booking.id), amount=amount, reason=reason)
    return refund


def _check_self_refund(booking: Booking, event: Event) -> None:
    if not bookings.may_self_refund(booking, event, datetime.now(UTC)):
        policy = (
            f"up to {event.refund_until_hours} hours before the event"
            if event.refund_until_hours is not None
            else "not offered for this event"
        )
        raise RefundNotAllowed(f"Self-service refunds are {policy}. Contact the organizer.")


async def cancel_booking(
    session: AsyncSession, runtime: Runtime, principal: Principal, booking_id: uuid.UUID, reason: str | None
) -> Booking:
    booking, event, is_staff = await bookings.managed_booking(session, principal, booking_id, for_update=True)
    is_owner = booking.user_id == principal.id
    why = reason or ("cancelled_by_organizer" if is_staff and not is_owner else "cancelled_by_customer")
    if booking.status == BookingStatus.PENDING_PAYMENT:
        await bookings.cancel_unpaid(session, runtime, booking, why)
        return booking
    if booking.status != BookingStatus.CONFIRMED:
        next_status(booking.status, "cancel")  # raises the 409
    if not is_staff:
        _check_self_refund(booking, event)
    await refund_and_cancel(session, runtime, booking, why, requested_by=principal.id)
    return booking


async def refund_and_cancel(
    session: AsyncSession,
    runtime: Runtime,
    booking: Booking,
    reason: str,
    requested_by: uuid.UUID | None,
    ticket_ids: list[str] | None = None,
) -> tuple[Refund | None, int]:
    """Cancel a confirmed booking: seats back on sale, tickets voided, the rest of the money refunded.
    Returns the refund started (if any money was still due) and the amount."""
    await bookings.cancel_paid(session, runtime, booking, reason)
    await tickets.void_for_booking(session, booking.id, "refunded")
    due = await _still_due(session, booking)
    refund = None
    if due > 0:
        payment = await _settled_payment(session, booking.id)
        if payment is not None:
            refund = await _start_refund(
                session, runtime, booking, payment, due, reason, requested_by=requested_by, ticket_ids=ticket_ids
            )
    await mails.booking_cancelled(session, runtime.settings, booking, refunded_minor=max(due, 0))
    return refund, max(due, 0)


async def _still_due(session: AsyncSession, booking: Booking) -> int:
    """What may still be paid back: never more than the booking's total, whatever was refunded or is
    being refunded already (failed refunds do not count: that money was never returned)."""
    return booking.total_minor - booking.refunded_minor - await _pending_refunds(session, booking.id)


async def _settled_payment(session: AsyncSession, booking_id: uuid.UUID) -> Payment | None:
    return await session.scalar(
        select(Payment).where(Payment.booking_id == booking_id, Payment.status == PaymentStatus.SUCCEEDED)
    )


# --- refunding some tickets -----------------------------------------------------------------------


@dataclass(frozen=True)
class TicketRefund:
    booking: Booking
    refund: Refund | None
    amount_minor: int
    ticket_ids: list[uuid.UUID]


@dataclass(frozen=True)
class _Locked:
    booking: Booking
    event: Event
    is_staff: bool
    tickets: dict[uuid.UUID, Ticket]


async def _lock_booking_and_tickets(session: AsyncSession, principal: Principal, booking_id: uuid.UUID) -> _Locked:
    """The booking row lock (FOR UPDATE) serialises every refund and cancellation of one booking: a
    request waits for the previous one to commit, then reads its tickets already voided. The
    tickets are locked too (in id order), so a door scan cannot check one in while we refund it."""
    booking, event, is_staff = await bookings.managed_booking(session, principal, booking_id, for_update=True)
    issued = await tickets.for_booking(session, booking.id, for_update=True)
    return _Locked(booking, event, is_staff, {t.id: t for t in issued})


async def refund_tickets(
    session: AsyncSession,
    runtime: Runtime,
    principal: Principal,
    booking_id: uuid.UUID,
    ticket_ids: list[uuid.UUID],
    reason: str | None,
) -> TicketRefund:
    """Refund some tickets of a confirmed booking: each is voided, its seat goes back on sale and
    what was paid for it (bookings/seat_prices.py) is refunded. The customer may do so within the
    event's refund policy and only for tickets not used at the door; the organizer and admins at
    any time, checked-in tickets included (e.g. a goodwill refund). Refunding the last valid
    tickets cancels the booking exactly like ``DELETE /bookings/{id}``."""
    locked = await _lock_booking_and_tickets(session, principal, booking_id)
    booking, event, is_staff, issued = locked.booking, locked.event, locked.is_staff, locked.tickets
    is_owner = booking.user_id == principal.id
    if booking.status != BookingStatus.CONFIRMED:
        next_status(booking.status, "refund")  # raises the 409
    if not is_staff:
        _check_self_refund(booking, event)
    why = reason or ("tickets_refunded_by_organizer" if is_staff and not is_owner else "tickets_refunded_by_customer")
    allowed = (TicketStatus.VALID, TicketStatus.CHECKED_IN) if is_staff else (TicketStatus.VALID,)

    chosen = [issued[i] for i in ticket_ids if i in issued]
    _check_refundable(ticket_ids, issued, chosen, allowed)
    paid = await bookings.seat_prices(session, booking)
    amount = sum(paid[(t.booking_item_id, t.seat_index)] for t in chosen)
    still_valid = {i for i, t in issued.items() if t.status != TicketStatus.VOID}
    if still_valid == set(ticket_ids):
        refund, refunded = await refund_and_cancel(
            session, runtime, booking, why, requested_by=principal.id, ticket_ids=[str(i) for i in ticket_ids]
        )
        log.info("tickets_refunded", booking_id=str(booking.id), tickets=len(ticket_ids), amount=refunded, last=True)
        return TicketRefund(booking, refund, refunded, list(ticket_ids))

    voided = await tickets.void_tickets(session, booking.id, list(ticket_ids), "refunded", from_statuses=allowed)
    if len(voided) != len(ticket_ids):  # the locks above make this unreachable; never refund twice
        raise TicketNotRefundable("These tickets changed meanwhile; reload and try again.", code="ticket_changed")
    seats = Counter(t.ticket_type_id for t in chosen)
    await bookings.release_refunded_seats(session, runtime, booking, sorted(seats.items()))
    realtime.announce_checkin(session, booking.event_id, runtime=runtime)  # the door's "sold" count moved
    realtime.announce_booking(
        session, booking, organizer_id=event.organizer_id, runtime=runtime, change="tickets_refunded"
    )
    amount = min(amount, await _still_due(session, booking))
    refund = None
    if amount > 0:
        payment = await _settled_payment(session, booking.id)
        if payment is not None:
            refund = await _start_refund(
                session,
                runtime,
                booking,
                payment,
                amount,
                why,
                requested_by=principal.id,
                ticket_ids=[str(i) for i in ticket_ids],
            )
        else:
            amount = 0
    await mails.tickets_refunded(session, runtime.settings, booking, chosen, refunded_minor=amount, reason=why)
    log.info("tickets_refunded", booking_id=str(booking.id), tickets=len(ticket_ids), amount=amount, last=False)
    return TicketRefund(booking, refund, amount, list(ticket_ids))


def _check_refundable(
    requested: list[uuid.UUID],
    issued: dict[uuid.UUID, Ticket],
    chosen: list[Ticket],
    allowed: tuple[TicketStatus, ...],
) -> None:
    foreign = [i for i in requested if i not in issued]
    if foreign:
        raise TicketNotRefundable(
            "Some tickets are not part of this booking.",
            code="ticket_not_in_booking",
            errors=[FieldError(field="ticket_ids", message=f"not in this booking: {i}") for i in foreign],
        )
    void = [t for t in chosen if t.status == TicketStatus.VOID]
    if void:
        raise TicketNotRefundable(
            "Some tickets were already refunded or cancelled.",
            code="ticket_already_refunded",
            errors=[FieldError(field="ticket_ids", message=f"already void: {t.id}") for t in void],
        )
    used = [t for t in chosen if t.status not in allowed]
    if used:
        raise TicketNotRefundable(
            "Tickets used at the door cannot be refunded online. Contact the organizer.",
            code="ticket_checked_in",
            errors=[FieldError(field="ticket_ids", message=f"checked in: {t.id}") for t in used],
        )


async def _pending_refunds(session: AsyncSession, booking_id: uuid.UUID) -> int:
    rows = await session.scalars(
        select(Refund.amount_minor).where(Refund.booking_id == booking_id, Refund.status == RefundStatus.PENDING)
    )
    return sum(rows.all())


async def refunds_for(session: AsyncSession, principal: Principal, booking_id: uuid.UUID) -> list[Refund]:
    await bookings.managed_booking(session, principal, booking_id)
    rows = await session.scalars(select(Refund).where(Refund.booking_id == booking_id).order_by(Refund.created_at))
    return list(rows.all())
