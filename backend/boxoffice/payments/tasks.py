"""Refund job: talk to the provider without holding locks, then record the outcome once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import structlog
from sqlalchemy import select, text

from boxoffice import runtime as runtime_module
from boxoffice.db import unit_of_work
from boxoffice.errors import AppError
from boxoffice.jobs import broker
from boxoffice.models import Payment, Refund, RefundStatus
from boxoffice.runtime import Runtime

log = structlog.get_logger(__name__)

MAX_REFUND_ATTEMPTS = 20


async def run_refund(runtime: Runtime, refund_id: uuid.UUID) -> bool:
    """Returns True when the refund is done (now or before)."""
    from boxoffice.payments.service import gateway

    async with unit_of_work(runtime.sessionmaker) as session:
        refund = await session.get(Refund, refund_id)
        if refund is None or refund.status != RefundStatus.PENDING:
            return refund is not None and refund.status == RefundStatus.SUCCEEDED
        payment = await session.get(Payment, refund.payment_id)
        assert payment is not None
        provider_ref, amount = payment.provider_ref, refund.amount_minor
    try:
        result = await gateway(runtime).refund(
            provider_ref=provider_ref, amount_minor=amount, idempotency_key=f"refund-{refund_id}"
        )
    except (AppError, OSError, TimeoutError) as exc:
        async with unit_of_work(runtime.sessionmaker) as session:
            failed = await session.get(Refund, refund_id, with_for_update=True)
            if failed is not None and failed.status == RefundStatus.PENDING:
                failed.attempts += 1
                failed.last_error = f"{type(exc).__name__}: {exc}"[:300]
                if failed.attempts >= MAX_REFUND_ATTEMPTS:
                    failed.status = RefundStatus.FAILED
        log.warning("refund_attempt_failed", refund_id=str(refund_id), error=type(exc).__name__)
        return False
    async with unit_of_work(runtime.sessionmaker) as session:
        done = await session.get(Refund, refund_id, with_for_update=True)
        if done is None or done.status != RefundStatus.PENDING:
            return True
        done.status = RefundStatus.SUCCEEDED
        done.provider_ref = result.provider_ref
        done.completed_at = datetime.now(UTC)
        await session.execute(
            text("UPDATE payments SET refunded_minor = refunded_minor + :n WHERE id = :id"),
            {"n": done.amount_minor, "id": done.payment_id},
        )
        await session.execute(
            text("UPDATE bookings SET refunded_minor = refunded_minor + :n WHERE id = :id"),
            {"n": done.amount_minor, "id": done.booking_id},
        )
    log.info("refund_succeeded", refund_id=str(refund_id))
    return True


@broker.task(task_name="payments.process_refund")
async def process_refund(refund_id: str) -> None:
    await run_refund(runtime_module.current(), uuid.UUID(refund_id))


async def retry_pending_refunds(runtime: Runtime, *, older_than_seconds: int = 30, limit: int = 50) -> int:
    """Maintenance: refunds whose job failed (provider down) are tried again."""
    async with unit_of_work(runtime.sessionmaker) as session:
        ids = (
            await session.scalars(
                select(Refund.id)
                .where(
                    Refund.status == RefundStatus.PENDING,
                    Refund.created_at < text(f"now() - interval '{int(older_than_seconds)} seconds'"),
                )
                .limit(limit)
            )
        ).all()
    done = 0
    for refund_id in ids:
        done += await run_refund(runtime, refund_id)
    return done
