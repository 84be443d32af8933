"""HTTP layer of payments: start a payment, demo card form, refunds list, Stripe webhooks."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, status

from boxoffice.auth.dependencies import CurrentUser
from boxoffice.bookings import service as bookings
from boxoffice.deps import RuntimeDep, SessionDep
from boxoffice.errors import error_responses
from boxoffice.payments import service, webhooks
from boxoffice.payments.schemas import (
    MockCardSubmit,
    PaymentRead,
    PaymentStart,
    RefundRead,
    TicketRefundCreate,
    TicketRefundResult,
    WebhookAck,
)

router = APIRouter(tags=["payments"])


@router.post(
    "/bookings/{booking_id}/payment",
    operation_id="payments-start",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 404, 409, 502, 503),
)
async def start_payment(
    booking_id: uuid.UUID, principal: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> PaymentStart:
    """Create (or reuse) the provider payment for a pending booking. Stripe: returns the
    client secret for Stripe Elements. Demo mode: pay with the card form below."""
    return await service.start_payment(session, runtime, principal, booking_id)


@router.post(
    "/payments/{payment_id}/mock-card",
    operation_id="payments-mock-card",
    responses=error_responses(401, 404, 422),
)
async def mock_card(
    payment_id: uuid.UUID, body: MockCardSubmit, principal: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> PaymentRead:
    """Demo mode only: submit a test card. Any card succeeds ~2 s later, except 4000 0000 0000 0002
    which is declined."""
    return await service.submit_mock_card(session, runtime, principal, payment_id, body.card_number)


@router.get("/bookings/{booking_id}/refunds", operation_id="payments-refunds", responses=error_responses(401, 404))
async def refunds(booking_id: uuid.UUID, principal: CurrentUser, session: SessionDep) -> list[RefundRead]:
    """The refunds of a booking, oldest first (its customer, the event's organizer, admins)."""
    return [RefundRead.model_validate(r) for r in await service.refunds_for(session, principal, booking_id)]


@router.post(
    "/bookings/{booking_id}/refunds",
    operation_id="payments-refund-tickets",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 404, 409, 422, 503),
)
async def refund_tickets(
    booking_id: uuid.UUID, body: TicketRefundCreate, principal: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> TicketRefundResult:
    """Refund some tickets of a confirmed booking: they are voided, their seats go back on sale and
    what was paid for each (its price less its share of the coupon, ``paid_minor`` in the ticket
    list) is refunded to the original payment method. Refunding every ticket one by one adds up
    to the booking's total exactly; refunding the last valid tickets cancels the booking.

    The customer: within the event's refund policy (409 ``refund_not_allowed``), and not for tickets
    used at the door (409 ``ticket_checked_in``). The event's organizer and admins: at any time,
    checked-in tickets included. Others: 404. Tickets already refunded: 409
    ``ticket_already_refunded``; tickets of another booking: 409 ``ticket_not_in_booking``; a booking
    that is not confirmed: 409 ``invalid_transition``."""
    done = await service.refund_tickets(session, runtime, principal, booking_id, body.ticket_ids, body.reason)
    return TicketRefundResult(
        booking=(await bookings.to_reads(session, [done.booking]))[0],
        refund=RefundRead.model_validate(done.refund) if done.refund is not None else None,
        amount_minor=done.amount_minor,
        ticket_ids=done.ticket_ids,
    )


@router.post("/webhooks/stripe", operation_id="payments-stripe-webhook", responses=error_responses(400, 404))
async def stripe_webhook(request: Request, session: SessionDep, runtime: RuntimeDep) -> WebhookAck:
    """Stripe events (signature verified). Each event is processed exactly once."""
    event = webhooks.verify(
        await request.body(), request.headers.get("stripe-signature"), runtime.settings.stripe_webhook_secret
    )
    processed = await webhooks.record_and_process(session, runtime, event)
    return WebhookAck(duplicate=not processed)
