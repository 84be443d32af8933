"""When an event is cancelled, every booking is cancelled and every payment refunded by a background
job, one booking per transaction, with progress the organizer can watch."""

from __future__ import annotations

import uuid

import structlog
from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice import runtime as runtime_module
from boxoffice.auth.dependencies import OrganizerUser
from boxoffice.bookings import service as bookings
from boxoffice.db import after_commit, unit_of_work
from boxoffice.deps import SessionDep
from boxoffice.errors import NotFound, error_responses
from boxoffice.jobs import broker
from boxoffice.models import Booking, BookingStatus, EventStatus
from boxoffice.runtime import Runtime

log = structlog.get_logger(__name__)

REASON = "event_cancelled"
BATCH = 25


def schedule_refunds(session: AsyncSession, event_id: uuid.UUID) -> None:
    """Call in the transaction that cancels the event: the job starts only if it commits."""

    async def enqueue() -> None:
        await cancel_event_bookings.kiq(str(event_id))

    after_commit(session, enqueue)


async def run(runtime: Runtime, event_id: uuid.UUID) -> int:
    from boxoffice.payments.service import refund_and_cancel

    done = 0
    while True:
        async with unit_of_work(runtime.sessionmaker) as session:
            batch = (
                await session.scalars(
                    select(Booking.id)
                    .where(
                        Booking.event_id == event_id,
                        Booking.status.in_([BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED]),
                    )
                    .order_by(Booking.created_at)
                    .limit(BATCH)
                )
            ).all()
        if not batch:
            return done
        for booking_id in batch:
            async with unit_of_work(runtime.sessionmaker) as session:
                booking = await bookings.load(session, booking_id, for_update=True)
                if booking is None:
                    continue
                if booking.status == BookingStatus.PENDING_PAYMENT:
                    await bookings.cancel_unpaid(session, runtime, booking, REASON)
                elif booking.status == BookingStatus.CONFIRMED:
                    await refund_and_cancel(session, runtime, booking, REASON, requested_by=None)
                done += 1
        log.info("event_cancellation_progress", event_id=str(event_id), done=done)


@broker.task(task_name="bookings.cancel_event_bookings")
async def cancel_event_bookings(event_id: str) -> None:
    await run(runtime_module.current(), uuid.UUID(event_id))


class CancellationProgress(BaseModel):
    event_id: uuid.UUID
    status: EventStatus
    bookings_total: int
    bookings_cancelled: int
    refunds_total: int
    refunded: int
    failed: int
    pending: int


router = APIRouter(prefix="/events", tags=["events"])


@router.get(
    "/{event_id}/cancellation", operation_id="events-cancellation-progress", responses=error_responses(401, 403, 404)
)
async def progress(event_id: uuid.UUID, principal: OrganizerUser, session: SessionDep) -> CancellationProgress:
    """How far the refunds of a cancelled event have come (its organizer or an admin)."""
    event = await bookings.event_owned_by(session, principal, event_id)
    if event.status != EventStatus.CANCELLED:
        raise NotFound("This event is not cancelled.", code="not_cancelled")
    counts = (
        await session.execute(
            text(
                """
                SELECT
                  (SELECT count(*) FROM bookings WHERE event_id = :e AND
                     (status IN ('pending_payment', 'confirmed') OR cancel_reason = :reason)) AS bookings_total,
                  (SELECT count(*) FROM bookings WHERE event_id = :e AND cancel_reason = :reason) AS cancelled,
                  count(r.id) AS refunds_total,
                  count(r.id) FILTER (WHERE r.status = 'succeeded') AS refunded,
                  count(r.id) FILTER (WHERE r.status = 'failed') AS failed,
                  count(r.id) FILTER (WHERE r.status = 'pending') AS pending
                FROM refunds r JOIN bookings b ON b.id = r.booking_id
                WHERE b.event_id = :e AND r.reason = :reason
                """
            ),
            {"e": event_id, "reason": REASON},
        )
    ).one()
    return CancellationProgress(
        event_id=event_id,
        status=event.status,
        bookings_total=counts.bookings_total,
        bookings_cancelled=counts.cancelled,
        refunds_total=counts.refunds_total,
        refunded=counts.refunded,
        failed=counts.failed,
        pending=counts.pending,
    )
